#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "source.h"
#include "tool_version.h" /* DKF_TOOL_VERSION, generated from VERSION by the Makefile */
#include "xalloc.h"

/* the tool's own version, shown by --version and in JSON and SARIF reports */
const char cli_tool_version[] = DKF_TOOL_VERSION;

/* What completion offers for an option's value. */
enum cli_value {
	VALUE_NONE, /* no value */
	VALUE_FILE,
	VALUE_DIR,
	VALUE_WORDS, /* one of `words` */
	VALUE_NUMBER,
	VALUE_NAME, /* free text (a namespace) */
};

struct cli_option {
	const char *name; /* long name, without "--" */
	char short_name;  /* 0: none */
	const char *arg;  /* how help names the value, NULL: takes none */
	enum cli_value value;
	const char *words; /* VALUE_WORDS: space-separated */
	const char *help;  /* one or more lines ('\n'), for --help */
};

static const struct cli_option options[OPT_COUNT] = {
	[OPT_VALUES] = { "values", 'f', "FILE", VALUE_FILE, NULL,
			 "a values file layer ('-' is standard input)" },
	[OPT_OUTPUT] = { "output", 'o', "FILE", VALUE_FILE, NULL,
			 "render: write FILE atomically instead of stdout\n"
			 "preview: 'text' (default) or 'yaml'" },
	[OPT_CHECK] = { "check", 0, "FILE", VALUE_FILE, NULL,
			"render: exit 0 when FILE holds exactly the policy,\n"
			"1 and a unified diff when it does not" },
	[OPT_FORMAT] = { "format", 0, "F", VALUE_WORDS, "text json sarif github",
			 "diagnostics as text (default), json, sarif or github;\n"
			 "lint prints json/sarif/github on stdout, render on\n"
			 "stderr; namespaces: the listing as text or json" },
	[OPT_DEPLOYKF_VERSION] = { "deploykf-version", 0, "V", VALUE_WORDS, "v0.1.3 v0.1.4 v0.1.5",
				   "v0.1.3, v0.1.4 or v0.1.5 (default v0.1.5)" },
	[OPT_SOURCE_PATH] = { "source-path", 0, "DIR", VALUE_DIR, NULL,
			      "read defaults from DIR/generator/default_values.yaml" },
	[OPT_STRICT] = { "strict", 0, NULL, VALUE_NONE, NULL, "warnings fail too (exit 1)" },
	[OPT_FROM] = { "from", 0, "FILE", VALUE_FILE, NULL,
		       "namespaces: the namespace list ('-' is standard input)" },
	[OPT_NAMESPACE] = { "namespace", 0, "NS", VALUE_NAME, NULL,
			    "preview: for manifests without one (default 'default')" },
	[OPT_MARKDOWN] = { "markdown", 0, NULL, VALUE_NONE, NULL,
			   "rules: the table as Markdown (README.md's)" },
	[OPT_CONFIG] = { "config", 0, "FILE", VALUE_FILE, NULL,
			 "settings file (default: the nearest .dkfpolicy.yaml\n"
			 "in the working folder or its parents)" },
	[OPT_COLOR] = { "color", 0, "WHEN", VALUE_WORDS, "auto always never",
			"colour diagnostics: auto (default), always, never" },
	[OPT_MAX_BYTES] = { "max-bytes", 0, "N", VALUE_NUMBER, NULL,
			    "refuse input larger than N bytes (default 64 MiB)" },
	[OPT_MAX_DEPTH] = { "max-depth", 0, "N", VALUE_NUMBER, NULL,
			    "refuse YAML nested deeper than N (default 256)" },
	[OPT_MAX_ALIAS_NODES] = { "max-alias-nodes", 0, "N", VALUE_NUMBER, NULL,
				  "refuse aliases expanding to more than N values" },
	[OPT_MAX_NODES] = { "max-nodes", 0, "N", VALUE_NUMBER, NULL,
			    "refuse a file holding more than N values and keys\n"
			    "(default 1000000)" },
	[OPT_REPO_ROOT] = { "repo-root", 0, "DIR", VALUE_DIR, NULL,
			    "an Argo CD Application's values_files are read under\n"
			    "DIR and the source's path (default: the top of the git\n"
			    "work tree holding the Application file)" },
	[OPT_APPLICATION] = { "application", 0, "NAME", VALUE_NAME, NULL,
			      "of a file with several Applications, the one to use" },
	[OPT_PLUGIN_ENV] = { "plugin-env", 0, NULL, VALUE_NONE, NULL,
			     "read the stack from deployKF's Argo CD plugin\n"
			     "parameters (PARAM_*) in the environment, as its init\n"
			     "script sees them, in the working folder" },
	[OPT_STACK] = { "stack", 0, "NAME", VALUE_NAME, NULL,
			"the stack NAME that .dkfpolicy.yaml declares, instead\n"
			"of -f files" },
	[OPT_HELP] = { "help", 'h', NULL, VALUE_NONE, NULL, "show this help" },
	[OPT_VERSION] = { "version", 0, NULL, VALUE_NONE, NULL, "show the version" },
};

void cli_usage_error(const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* the message may repeat a word of the command line: shown escaped */
	struct strbuf line;
	strbuf_init(&line);
	strbuf_adds(&line, "dkfpolicy: ");
	strbuf_add_display(&line, text, strlen(text), false);
	strbuf_adds(&line, "\nTry 'dkfpolicy --help' for more information.\n");
	fputs(line.buf, stderr);
	strbuf_release(&line);
}

static void push(const char ***list, size_t *count, const char *item)
{
	*list = xrealloc(*list, (*count + 1) * sizeof(**list));
	(*list)[(*count)++] = item;
}

/* "render, lint and namespaces": the commands that take option id. */
static void commands_taking(const struct cli *cli, enum cli_option_id id, struct strbuf *out)
{
	size_t n = 0, total = 0;
	for (size_t i = 0; i < cli->command_count; i++)
		total += (cli->commands[i].options & CLI_OPT(id)) != 0;
	for (size_t i = 0; i < cli->command_count; i++) {
		if (!(cli->commands[i].options & CLI_OPT(id)))
			continue;
		n++;
		strbuf_addf(out, "%s%s",
			    n == 1       ? ""
			    : n == total ? " and "
					 : ", ",
			    cli->commands[i].name);
	}
}

static bool parse_count(const char *text, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-' || v == 0 || v > SIZE_MAX)
		return false;
	*out = (size_t)v;
	return true;
}

/* ------------------------------------------------------------------ help */

static void add_usage_lines(const struct cli *cli, struct strbuf *out)
{
	size_t width = 0;
	for (size_t i = 0; i < cli->command_count; i++)
		if (strlen(cli->commands[i].name) > width && cli->commands[i].synopsis[0])
			width = strlen(cli->commands[i].name);
	for (size_t i = 0; i < cli->command_count; i++) {
		const struct cli_command *c = &cli->commands[i];
		strbuf_addf(out, "%s dkfpolicy %s", i ? "      " : "usage:", c->name);
		if (c->synopsis[0])
			strbuf_addf(out, "%*s %s", (int)(width - strlen(c->name)), "", c->synopsis);
		strbuf_addch(out, '\n');
	}
	strbuf_adds(out, "       dkfpolicy --help | --version\n");
}

/* "  -f, --values FILE          help" with continuation lines aligned. */
static void add_option_help(const struct cli_option *o, struct strbuf *out)
{
	size_t start = out->len;
	strbuf_adds(out, o->short_name ? "  -" : "     ");
	if (o->short_name)
		strbuf_addf(out, "%c,", o->short_name);
	strbuf_addf(out, " --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	for (const char *line = o->help; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		size_t have = out->len - start;
		strbuf_addf(out, "%*s%.*s\n", (int)(have < 29 ? 29 - have : 1), "", (int)len, line);
		start = out->len;
		line += len + (nl != NULL);
	}
}

/* Append text in lines of at most 78 columns; the cursor stands at column
 * (what the caller wrote on this line), later lines start after indent
 * spaces. */
static void add_wrapped(struct strbuf *out, const char *text, size_t column, size_t indent)
{
	bool first = true;
	while (*text) {
		size_t word = strcspn(text, " ");
		if (!first && column + 1 + word > 78) {
			strbuf_addf(out, "\n%*s", (int)indent, "");
			column = indent;
		} else if (!first) {
			strbuf_addch(out, ' ');
			column++;
		}
		strbuf_add(out, text, word);
		column += word;
		text += word;
		while (*text == ' ')
			text++;
		first = false;
	}
	strbuf_addch(out, '\n');
}

static void add_help(const struct cli *cli, const struct cli_command *only, struct strbuf *out)
{
	if (only) {
		strbuf_addf(out, "usage: dkfpolicy %s %s\n\n", only->name, only->synopsis);
		add_wrapped(out, only->summary, 0, 0);
		strbuf_adds(out, "\noptions:\n");
	} else {
		add_usage_lines(cli, out);
		strbuf_adds(out,
			    "\nCheck deployKF values for the Kyverno image-pull-secrets policy "
			    "and render\nthe ClusterPolicy deployKF would generate from them.\n"
			    "\ncommands:\n");
		for (size_t i = 0; i < cli->command_count; i++) {
			strbuf_addf(out, "  %-11s ", cli->commands[i].name);
			add_wrapped(out, cli->commands[i].summary, 14, 14);
		}
		strbuf_adds(out, "\n'dkfpolicy COMMAND --help' lists the options of one command.\n"
				 "\noptions:\n");
	}
	for (int id = 0; id < OPT_COUNT; id++)
		if (!only || (only->options & CLI_OPT(id)) || id == OPT_HELP)
			add_option_help(&options[id], out);
	strbuf_adds(out, "\nexit status: 0 fine (warnings allowed), 1 problems found, 2 usage or "
			 "I/O error\n");
}

/* Write text to stdout; a closed pipe or a full disk is exit 2 with a message. */
static int print_stdout(const struct strbuf *text)
{
	if (fwrite(text->buf, 1, text->len, stdout) != text->len || fflush(stdout) != 0) {
		fprintf(stderr, "dkfpolicy: cannot write to standard output: %s\n",
			strerror(errno));
		return DKF_EXIT_TROUBLE;
	}
	return DKF_EXIT_OK;
}

/* --------------------------------------------------------------- parsing */

static const struct cli_command *find_command(const struct cli *cli, const char *name)
{
	for (size_t i = 0; i < cli->command_count; i++)
		if (strcmp(cli->commands[i].name, name) == 0)
			return &cli->commands[i];
	return NULL;
}

static void add_command_names(const struct cli *cli, struct strbuf *out, const char *last)
{
	for (size_t i = 0; i < cli->command_count; i++)
		strbuf_addf(out, "%s%s",
			    i == 0                        ? ""
			    : i + 1 == cli->command_count ? last
							  : ", ",
			    cli->commands[i].name);
}

/* The value of one option; returns false after a usage error. */
static bool take_option(struct cli *cli, enum cli_option_id id, const char *arg)
{
	size_t n;
	cli->given |= CLI_OPT(id);
	switch (id) {
	case OPT_VALUES: push(&cli->stack_files, &cli->stack_count, arg); break;
	case OPT_OUTPUT: cli->output = arg; break;
	case OPT_CHECK: cli->check = arg; break;
	case OPT_FROM: cli->from = arg; break;
	case OPT_NAMESPACE: cli->namespace = arg; break;
	case OPT_SOURCE_PATH:
		if (!*arg) {
			/* "" would read /generator/default_values.yaml */
			cli_usage_error("%s",
					"--source-path needs a folder: a deployKF source tree "
					"holding generator/default_values.yaml");
			return false;
		}
		cli->source_path = arg;
		break;
	case OPT_CONFIG: cli->config_path = arg; break;
	case OPT_STRICT: cli->strict = true; break;
	case OPT_REPO_ROOT: cli->repo_root = arg; break;
	case OPT_APPLICATION: cli->application = arg; break;
	case OPT_PLUGIN_ENV: cli->plugin_env = true; break;
	case OPT_STACK:
		if (!*arg) {
			cli_usage_error("%s",
					"--stack needs the name of a stack of .dkfpolicy.yaml");
			return false;
		}
		cli->stack_name = arg;
		break;
	case OPT_MARKDOWN: cli->markdown = true; break;
	case OPT_FORMAT: {
		const char *w = options[OPT_FORMAT].words;
		size_t len = strlen(arg);
		const char *hit = len ? strstr(w, arg) : NULL;
		if (!hit || (hit != w && hit[-1] != ' ') || (hit[len] != ' ' && hit[len])) {
			cli_usage_error("unknown format '%s'; use text, json, sarif or github",
					arg);
			return false;
		}
		cli->format = arg;
		break;
	}
	case OPT_DEPLOYKF_VERSION:
		switch (version_parse(arg, &cli->version)) {
		case VERSION_OK: break;
		case VERSION_TOO_OLD:
			cli_usage_error("deployKF %s has no clone-image-pull-secrets policy (it "
					"first appeared in v0.1.3); use v0.1.3, v0.1.4 or v0.1.5",
					arg);
			return false;
		case VERSION_UNKNOWN:
			cli_usage_error("unknown deployKF version '%s'; use v0.1.3, v0.1.4 or "
					"v0.1.5",
					arg);
			return false;
		}
		break;
	case OPT_COLOR:
		if (strcmp(arg, "always") == 0) {
			cli->color = CLI_COLOR_ALWAYS;
		} else if (strcmp(arg, "never") == 0) {
			cli->color = CLI_COLOR_NEVER;
		} else if (strcmp(arg, "auto") == 0) {
			cli->color = CLI_COLOR_AUTO;
		} else {
			cli_usage_error("--color is auto, always or never, not '%s'", arg);
			return false;
		}
		break;
	case OPT_MAX_BYTES:
	case OPT_MAX_DEPTH:
	case OPT_MAX_ALIAS_NODES:
	case OPT_MAX_NODES:
		if (!parse_count(arg, &n) || (id == OPT_MAX_DEPTH && n > UINT_MAX)) {
			cli_usage_error("'%s' is not a positive whole number", arg);
			return false;
		}
		if (id == OPT_MAX_ALIAS_NODES && n >= YPARSE_MAX_ALIAS_NODES_LIMIT) {
			cli_usage_error("--max-alias-nodes must be below %u",
					YPARSE_MAX_ALIAS_NODES_LIMIT);
			return false;
		}
		if (id == OPT_MAX_BYTES)
			cli->max_bytes = n;
		else if (id == OPT_MAX_DEPTH)
			cli->limits.max_depth = (unsigned)n;
		else if (id == OPT_MAX_NODES)
			cli->limits.max_nodes = n;
		else
			cli->limits.max_alias_nodes = n;
		break;
	case OPT_HELP:
	case OPT_VERSION:
	case OPT_COUNT: break;
	}
	return true;
}

/* A word that is not an option, in order. */
static bool take_operand(struct cli *cli, const char *word)
{
	switch (cli->command->operands) {
	case CLI_STACKED_FILES: push(&cli->stack_files, &cli->stack_count, word); return true;
	case CLI_NO_OPERANDS:
		cli_usage_error("%s takes no operand, not '%s'", cli->command->name, word);
		return false;
	case CLI_ONE_WORD:
		if (cli->file_count) {
			cli_usage_error("%s takes one %s, not also '%s'", cli->command->name,
					cli->command->synopsis, word);
			return false;
		}
		break;
	case CLI_LINT_FILES:
	case CLI_MANIFESTS: break;
	}
	push(&cli->files, &cli->file_count, word);
	return true;
}

/* Options the command does not take, and operands it lacks. */
static bool check_command(const struct cli *cli)
{
	const struct cli_command *c = cli->command;
	unsigned long long wrong = cli->given & ~c->options & ~(CLI_OPT(OPT_HELP));
	for (int id = 0; id < OPT_COUNT; id++) {
		if (!(wrong & CLI_OPT(id)))
			continue;
		struct strbuf who;
		strbuf_init(&who);
		commands_taking(cli, (enum cli_option_id)id, &who);
		if (options[id].short_name)
			cli_usage_error("-%c is an option of %s", options[id].short_name, who.buf);
		else
			cli_usage_error("--%s is an option of %s", options[id].name, who.buf);
		strbuf_release(&who);
		return false;
	}
	if (cli->plugin_env && (cli->stack_count || cli->file_count)) {
		cli_usage_error("%s", "--plugin-env reads the stack from the environment: give no "
				      "values files with it");
		return false;
	}
	if (cli->stack_name && (cli->stack_count || cli->plugin_env)) {
		cli_usage_error("%s", cli->plugin_env ? "use either --stack or --plugin-env"
						      : "use either --stack NAME or values files: "
							"the stack names its files");
		return false;
	}
	if (cli->stack_name && c->operands == CLI_LINT_FILES && cli->file_count) {
		cli_usage_error("%s",
				"use either --stack NAME or FILEs: the stack names its files");
		return false;
	}
	if (cli->check && cli->output) {
		cli_usage_error("%s",
				"use either -o to write a file or --check to compare with one");
		return false;
	}
	if ((c->operands == CLI_MANIFESTS || c->operands == CLI_ONE_WORD) && cli->file_count == 0) {
		cli_usage_error("%s", c->needs);
		return false;
	}
	return true;
}

int cli_parse(int argc, char **argv, const struct cli_command *commands, size_t count,
	      struct cli *cli)
{
	memset(cli, 0, sizeof(*cli));
	cli->commands = commands;
	cli->command_count = count;
	cli->version = DKF_VERSION_DEFAULT;
	cli->max_bytes = SOURCE_DEFAULT_MAX_BYTES;
	cli->limits.max_depth = YPARSE_DEFAULT_MAX_DEPTH;
	cli->limits.max_alias_nodes = YPARSE_DEFAULT_MAX_ALIAS_NODES;
	cli->limits.max_nodes = YPARSE_DEFAULT_MAX_NODES;

	struct option long_options[OPT_COUNT + 1];
	char short_options[3 * OPT_COUNT + 4] = "-:";
	size_t s = 2;
	for (int id = 0; id < OPT_COUNT; id++) {
		const struct cli_option *o = &options[id];
		long_options[id] =
			(struct option){ o->name, o->arg ? required_argument : no_argument, NULL,
					 256 + id };
		if (o->short_name) {
			short_options[s++] = o->short_name;
			if (o->arg)
				short_options[s++] = ':';
		}
	}
	short_options[s] = '\0';
	long_options[OPT_COUNT] = (struct option){ NULL, 0, NULL, 0 };

	int first = 1;
	if (argc > 1 && argv[1][0] != '-') {
		cli->command = find_command(cli, argv[1]);
		if (!cli->command) {
			struct strbuf names;
			strbuf_init(&names);
			add_command_names(cli, &names, ", ");
			cli_usage_error("unknown command '%s' (commands: %s)", argv[1], names.buf);
			strbuf_release(&names);
			return DKF_EXIT_TROUBLE;
		}
		first = 2;
	}
	/* "-" first in the short options: operands come back in order, between
	 * the -f files, so a stack keeps the order it was written in */
	optind = first;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
		enum cli_option_id id = OPT_COUNT;
		if (c >= 256) {
			id = (enum cli_option_id)(c - 256);
		} else {
			for (int i = 0; i < OPT_COUNT; i++)
				if (options[i].short_name && options[i].short_name == c)
					id = (enum cli_option_id)i;
		}
		if (c == 1) {
			if (!cli->command) {
				cli_usage_error("unknown command '%s'", optarg);
				return DKF_EXIT_TROUBLE;
			}
			if (!take_operand(cli, optarg))
				return DKF_EXIT_TROUBLE;
			continue;
		}
		if (c == ':') {
			cli_usage_error("option '%s' needs a value", argv[optind - 1]);
			return DKF_EXIT_TROUBLE;
		}
		if (id == OPT_COUNT) {
			cli_usage_error("unknown option '%s'", argv[optind - 1]);
			return DKF_EXIT_TROUBLE;
		}
		if (id == OPT_HELP) {
			struct strbuf text;
			strbuf_init(&text);
			add_help(cli, cli->command, &text);
			int rc = print_stdout(&text);
			strbuf_release(&text);
			return rc;
		}
		if (id == OPT_VERSION) {
			struct strbuf text;
			strbuf_init(&text);
			strbuf_addf(&text, "dkfpolicy %s (deployKF v0.1.3 to v0.1.5 policies)\n",
				    DKF_TOOL_VERSION);
			int rc = print_stdout(&text);
			strbuf_release(&text);
			return rc;
		}
		if (!take_option(cli, id, optarg))
			return DKF_EXIT_TROUBLE;
	}
	if (!cli->command) {
		struct strbuf names;
		strbuf_init(&names);
		add_command_names(cli, &names, " or ");
		cli_usage_error("name a command: %s", names.buf);
		strbuf_release(&names);
		return DKF_EXIT_TROUBLE;
	}
	/* after "--", every word is an operand, even one that starts with '-' */
	for (; optind < argc; optind++)
		if (!take_operand(cli, argv[optind]))
			return DKF_EXIT_TROUBLE;
	return check_command(cli) ? -1 : DKF_EXIT_TROUBLE;
}

void cli_release(struct cli *cli)
{
	free(cli->stack_files);
	free(cli->files);
	cli->stack_files = cli->files = NULL;
	cli->stack_count = cli->file_count = 0;
}

bool cli_use_color(const struct cli *cli)
{
	if (cli->color != CLI_COLOR_AUTO)
		return cli->color == CLI_COLOR_ALWAYS;
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	if (no_color && *no_color)
		return false;
	if (!term || strcmp(term, "dumb") == 0)
		return false;
	return isatty(fileno(stderr));
}

/* ------------------------------------------------------------ completion */

static void add_words_of(const struct cli_command *c, struct strbuf *out)
{
	for (int id = 0; id < OPT_COUNT; id++) {
		if (!(c->options & CLI_OPT(id)) && id != OPT_HELP)
			continue;
		strbuf_addf(out, " --%s", options[id].name);
		if (options[id].short_name)
			strbuf_addf(out, " -%c", options[id].short_name);
	}
}

void cli_bash_completion(const struct cli *cli, struct strbuf *out)
{
	strbuf_adds(out,
		    "# bash completion for dkfpolicy(1), written by `dkfpolicy completion bash`\n"
		    "# from the same tables as `dkfpolicy --help` (a test keeps this file equal\n"
		    "# to that output). Installed by `make install` to\n"
		    "# share/bash-completion/completions/dkfpolicy, where bash-completion loads\n"
		    "# it on first use; or source this file from ~/.bashrc.\n\n"
		    "_dkfpolicy()\n{\n"
		    "\tlocal cur prev words cword\n"
		    "\tif declare -F _init_completion >/dev/null 2>&1; then\n"
		    "\t\t_init_completion || return\n"
		    "\telse\n"
		    "\t\tcur=${COMP_WORDS[COMP_CWORD]}\n"
		    "\t\tprev=${COMP_WORDS[COMP_CWORD - 1]}\n"
		    "\t\twords=(\"${COMP_WORDS[@]}\")\n"
		    "\t\tcword=$COMP_CWORD\n"
		    "\tfi\n\n\tlocal commands='");
	for (size_t i = 0; i < cli->command_count; i++)
		strbuf_addf(out, "%s%s", i ? " " : "", cli->commands[i].name);
	strbuf_adds(out, "'\n\n\t# the command is the first word after the program name\n"
			 "\tlocal command= i\n"
			 "\tfor ((i = 1; i < cword; i++)); do\n"
			 "\t\tcase \" $commands \" in\n"
			 "\t\t*\" ${words[i]} \"*)\n"
			 "\t\t\tcommand=${words[i]}\n"
			 "\t\t\tbreak\n"
			 "\t\t\t;;\n"
			 "\t\tesac\n"
			 "\tdone\n\n"
			 "\tcase $prev in\n");
	for (int id = 0; id < OPT_COUNT; id++) {
		const struct cli_option *o = &options[id];
		if (!o->arg)
			continue;
		strbuf_adds(out, "\t");
		if (o->short_name)
			strbuf_addf(out, "-%c | ", o->short_name);
		strbuf_addf(out, "--%s)\n", o->name);
		switch (o->value) {
		case VALUE_WORDS:
			strbuf_addf(out,
				    "\t\tmapfile -t COMPREPLY < <(compgen -W '%s' -- \"$cur\")\n",
				    o->words);
			break;
		case VALUE_FILE:
			if (id == OPT_OUTPUT)
				strbuf_adds(out, "\t\tif [[ $command == preview ]]; then\n"
						 "\t\t\tmapfile -t COMPREPLY < <(compgen -W 'text "
						 "yaml' -- \"$cur\")\n"
						 "\t\t\treturn\n\t\tfi\n");
			strbuf_adds(out, "\t\tmapfile -t COMPREPLY < <(compgen -f -- \"$cur\")\n");
			break;
		case VALUE_DIR:
			strbuf_adds(out, "\t\tmapfile -t COMPREPLY < <(compgen -d -- \"$cur\")\n");
			break;
		case VALUE_NUMBER:
		case VALUE_NAME:
		case VALUE_NONE: break;
		}
		strbuf_adds(out, "\t\treturn\n\t\t;;\n");
	}
	strbuf_adds(out,
		    "\tesac\n\n"
		    "\tif [[ -z $command ]]; then\n"
		    "\t\tmapfile -t COMPREPLY < <(compgen -W \"$commands --help --version\" -- "
		    "\"$cur\")\n"
		    "\t\treturn\n"
		    "\tfi\n"
		    "\tlocal opts= operands=\n"
		    "\tcase $command in\n");
	for (size_t i = 0; i < cli->command_count; i++) {
		const struct cli_command *c = &cli->commands[i];
		strbuf_addf(out, "\t%s)\n\t\topts='", c->name);
		add_words_of(c, out);
		strbuf_adds(out, "'\n");
		if (c->operands == CLI_ONE_WORD && strcmp(c->name, "explain") == 0) {
			strbuf_adds(out, "\t\toperands='");
			for (size_t k = 0; k < DIAG_CODE_COUNT; k++)
				strbuf_addf(out, "%s%s %s", k ? " " : "",
					    diag_info((enum diag_code)k)->code,
					    diag_info((enum diag_code)k)->name);
			strbuf_adds(out, "'\n");
		} else if (c->operands == CLI_ONE_WORD) {
			strbuf_adds(out, "\t\toperands=bash\n");
		} else if (c->operands != CLI_NO_OPERANDS) {
			strbuf_adds(out, "\t\toperands=files\n");
		}
		strbuf_adds(out, "\t\t;;\n");
	}
	strbuf_adds(out, "\tesac\n"
			 "\tif [[ $cur == -* ]]; then\n"
			 "\t\tmapfile -t COMPREPLY < <(compgen -W \"$opts\" -- \"$cur\")\n"
			 "\t\treturn\n"
			 "\tfi\n"
			 "\tif [[ $operands == files ]]; then\n"
			 "\t\t# YAML files and folders to descend into\n"
			 "\t\tmapfile -t COMPREPLY < <(\n"
			 "\t\t\tcompgen -f -X '!*.yaml' -- \"$cur\"\n"
			 "\t\t\tcompgen -f -X '!*.yml' -- \"$cur\"\n"
			 "\t\t\tcompgen -f -X '!*.json' -- \"$cur\"\n"
			 "\t\t\tcompgen -d -- \"$cur\"\n"
			 "\t\t)\n"
			 "\telif [[ -n $operands ]]; then\n"
			 "\t\tmapfile -t COMPREPLY < <(compgen -W \"$operands\" -- \"$cur\")\n"
			 "\tfi\n"
			 "}\n"
			 "complete -F _dkfpolicy dkfpolicy\n");
}
