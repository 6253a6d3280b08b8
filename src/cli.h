#ifndef DKF_CLI_H
#define DKF_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"
#include "version.h"
#include "yparse.h"

/*
 * The command line, from two tables: the options (cli.c) and the commands
 * (main.c, git's style: name, function, the options it takes, its operands,
 * a line of help). Parsing, usage errors ("--check is an option of render"),
 * `--help` and the bash completion script all follow from them, so a new
 * option or command is one table entry.
 */
enum cli_option_id {
	OPT_VALUES,
	OPT_OUTPUT,
	OPT_CHECK,
	OPT_FORMAT,
	OPT_DEPLOYKF_VERSION,
	OPT_SOURCE_PATH,
	OPT_STRICT,
	OPT_FROM,
	OPT_NAMESPACE,
	OPT_MARKDOWN,
	OPT_CONFIG,
	OPT_COLOR,
	OPT_MAX_BYTES,
	OPT_MAX_DEPTH,
	OPT_MAX_ALIAS_NODES,
	OPT_MAX_NODES,
	OPT_REPO_ROOT,
	OPT_APPLICATION,
	OPT_PLUGIN_ENV,
	OPT_STACK,
	OPT_HELP,
	OPT_VERSION,
	OPT_COUNT
};

#define CLI_OPT(id) (1ull << (id))

/* What the words that are not options are. */
enum cli_operands {
	CLI_NO_OPERANDS,
	CLI_STACKED_FILES, /* values files, stacked with the -f ones in command-line order */
	CLI_LINT_FILES,    /* values files, each checked on top of the -f stack */
	CLI_MANIFESTS,     /* manifests to preview, at least one */
	CLI_ONE_WORD,      /* exactly one (a code or name; a shell's name) */
};

enum cli_color { CLI_COLOR_AUTO, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };

struct cli;

struct cli_command {
	const char *name;
	int (*run)(const struct cli *cli);
	unsigned long long options; /* CLI_OPT() of each option it takes */
	enum cli_operands operands;
	const char *synopsis; /* after the name, for usage lines */
	const char *summary;  /* what it does, for --help */
	const char *needs;    /* the usage error when required operands are missing */
};

/* The parsed command line. Lists point into argv (heap arrays). */
struct cli {
	const struct cli_command *command;
	const struct cli_command *commands; /* the whole table, for help and completion */
	size_t command_count;
	unsigned long long given; /* CLI_OPT() of each option given */
	const char **stack_files; /* -f, and stacked positional files */
	size_t stack_count;
	const char **files; /* the other operands: lint files, manifests, a word */
	size_t file_count;
	const char *output;       /* -o */
	const char *check;        /* --check */
	const char *format;       /* --format, or NULL */
	enum dkf_version version; /* --deploykf-version, or the default */
	const char *source_path;
	bool strict;
	const char *from;
	const char *namespace;
	bool markdown;
	const char *config_path;
	enum cli_color color;
	const char *repo_root;   /* --repo-root */
	const char *application; /* --application */
	bool plugin_env;         /* --plugin-env */
	const char *stack_name;  /* --stack: a stack .dkfpolicy.yaml declares */
	size_t max_bytes;
	struct yparse_limits limits;
};

/*
 * Parse argv against the tables. Returns -1 to go on, or an exit status: 0
 * after printing help or the version, 2 after a usage error (printed). The
 * caller releases cli with cli_release.
 */
int cli_parse(int argc, char **argv, const struct cli_command *commands, size_t count,
	      struct cli *cli);
void cli_release(struct cli *cli);

/* Print "dkfpolicy: <message>" and the hint to --help on stderr (exit 2). */
void cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whether colour is on for stderr: --color, or for auto a terminal whose TERM
 * is not "dumb" with NO_COLOR unset or empty (jq's rule). */
bool cli_use_color(const struct cli *cli);

/* dkfpolicy's own version, "X.Y.Z" (--version, JSON and SARIF). */
extern const char cli_tool_version[];

/* The bash completion script, from the tables (`dkfpolicy completion bash`). */
void cli_bash_completion(const struct cli *cli, struct strbuf *out);

#endif
