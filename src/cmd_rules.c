/*
 * `dkfpolicy rules` and `dkfpolicy explain CODE|NAME`: the table of checks,
 * and what one check means, from src/diag_codes.def.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "report_rules.h"

/* A write error on stdout (a closed pipe, a full disk) is said, not silent. */
static int done_writing(int rc)
{
	if (rc != 0 || fflush(stdout) != 0) {
		fprintf(stderr, "dkfpolicy: cannot write to standard output: %s\n",
			strerror(errno ? errno : EIO));
		return DKF_EXIT_TROUBLE;
	}
	return DKF_EXIT_OK;
}

int cmd_rules(const struct cli *cli)
{
	errno = 0;
	return done_writing(report_rules(stdout, cli->markdown));
}

int cmd_explain(const struct cli *cli)
{
	enum diag_code code;
	if (!diag_lookup(cli->files[0], &code)) {
		cli_usage_error("no check is called '%s'; 'dkfpolicy rules' lists them",
				cli->files[0]);
		return DKF_EXIT_TROUBLE;
	}
	errno = 0;
	return done_writing(report_explain(stdout, code));
}
