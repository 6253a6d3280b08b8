/*
 * `dkfpolicy schema`: the JSON Schema of the checked values (schema.h), and
 * `dkfpolicy completion bash`: the bash completion script (cli.h). Both are
 * generated from the tables the tool itself uses.
 */
#include <string.h>

#include "cmd.h"
#include "output.h"
#include "schema.h"

static int print(struct strbuf *text)
{
	char err[512];
	int rc = output_stdout(text->buf, text->len, err, sizeof(err));
	strbuf_release(text);
	return rc ? cmd_trouble(err) : DKF_EXIT_OK;
}

int cmd_schema(const struct cli *cli)
{
	(void)cli;
	struct strbuf text;
	strbuf_init(&text);
	schema_write(&text);
	return print(&text);
}

int cmd_completion(const struct cli *cli)
{
	if (strcmp(cli->files[0], "bash") != 0) {
		cli_usage_error("completion is written for bash, not '%s'", cli->files[0]);
		return DKF_EXIT_TROUBLE;
	}
	struct strbuf text;
	strbuf_init(&text);
	cli_bash_completion(cli, &text);
	return print(&text);
}
