/*
 * dkfpolicy: options, wiring and exit status. No YAML knowledge here: the
 * stages (stack, block, risk, render) do the work and report() prints.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "names.h"
#include "output.h"
#include "render.h"
#include "report.h"
#include "risk.h"
#include "schema.h"
#include "stack.h"
#include "strbuf.h"
#include "version.h"
#include "xalloc.h"

#ifndef DKF_VERSION_STRING
#define DKF_VERSION_STRING "0.1.0"
#endif

enum exit_status {
	EXIT_OK = 0,
	EXIT_FINDINGS = 1,
	EXIT_TROUBLE = 2,
};

static const char usage_text[] =
	"usage: dkfpolicy render [options] [-f FILE]... [FILE]...\n"
	"       dkfpolicy lint   [options] [-f FILE]... [FILE]...\n"
	"       dkfpolicy schema\n"
	"       dkfpolicy --help | --version\n"
	"\n"
	"Check deployKF values for the Kyverno image-pull-secrets policy and render\n"
	"the ClusterPolicy deployKF would generate from them.\n"
	"\n"
	"commands:\n"
	"  render    stack the values files (deployKF's defaults lowest, later files\n"
	"            win) and print the ClusterPolicy; nothing when it renders nothing\n"
	"  lint      check each FILE on top of the defaults and the -f stack; with no\n"
	"            FILE, check the -f stack itself\n"
	"  schema    print the JSON Schema of the checked values\n"
	"\n"
	"options:\n"
	"  -f, --values FILE          a values file layer ('-' is standard input)\n"
	"  -o, --output FILE          render: write FILE atomically instead of stdout\n"
	"      --deploykf-version V   v0.1.3, v0.1.4 or v0.1.5 (default v0.1.5)\n"
	"      --source-path DIR      read defaults from DIR/generator/default_values.yaml\n"
	"      --strict               warnings fail too (exit 1)\n"
	"      --max-bytes N          refuse input larger than N bytes (default 64 MiB)\n"
	"      --max-depth N          refuse YAML nested deeper than N (default 256)\n"
	"      --max-alias-nodes N    refuse aliases expanding to more than N values\n"
	"  -h, --help                 show this help\n"
	"      --version              show the version\n"
	"\n"
	"exit status: 0 fine (warnings allowed), 1 problems found, 2 usage or I/O error\n";

enum command {
	CMD_NONE,
	CMD_RENDER,
	CMD_LINT,
	CMD_SCHEMA,
};

struct cli {
	enum command command;
	const char **stack_files; /* -f, and for render every positional file too */
	size_t stack_count;
	const char **lint_files;  /* lint's positional files */
	size_t lint_count;
	const char *output;
	enum dkf_version version;
	bool strict;
	struct stack_options stack;
};

enum long_only {
	OPT_VERSION = 256,
	OPT_DEPLOYKF_VERSION,
	OPT_SOURCE_PATH,
	OPT_STRICT,
	OPT_MAX_BYTES,
	OPT_MAX_DEPTH,
	OPT_MAX_ALIAS_NODES,
};

static const struct option long_options[] = {
	{ "values", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "deploykf-version", required_argument, NULL, OPT_DEPLOYKF_VERSION },
	{ "source-path", required_argument, NULL, OPT_SOURCE_PATH },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "max-bytes", required_argument, NULL, OPT_MAX_BYTES },
	{ "max-depth", required_argument, NULL, OPT_MAX_DEPTH },
	{ "max-alias-nodes", required_argument, NULL, OPT_MAX_ALIAS_NODES },
	{ NULL, 0, NULL, 0 },
};

static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("dkfpolicy: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'dkfpolicy --help' for more information.\n", stderr);
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

static void push(const char ***list, size_t *count, const char *item)
{
	*list = xrealloc(*list, (*count + 1) * sizeof(**list));
	(*list)[(*count)++] = item;
}

/* Returns -1 to continue, or an exit status. */
static int parse_cli(int argc, char **argv, struct cli *cli)
{
	memset(cli, 0, sizeof(*cli));
	cli->version = DKF_VERSION_DEFAULT;
	cli->stack.max_bytes = SOURCE_DEFAULT_MAX_BYTES;
	cli->stack.limits.max_depth = YLOAD_DEFAULT_MAX_DEPTH;
	cli->stack.limits.max_alias_nodes = YLOAD_DEFAULT_MAX_ALIAS_NODES;
	cli->stack.expected_excludes = risk_default_excludes;
	cli->stack.expected_exclude_count = risk_default_exclude_count;

	int first = 1;
	if (argc > 1 && argv[1][0] != '-') {
		const char *name = argv[1];
		if (strcmp(name, "render") == 0)
			cli->command = CMD_RENDER;
		else if (strcmp(name, "lint") == 0)
			cli->command = CMD_LINT;
		else if (strcmp(name, "schema") == 0)
			cli->command = CMD_SCHEMA;
		else {
			usage_error("unknown command '%s' (commands: render, lint, schema)", name);
			return EXIT_TROUBLE;
		}
		first = 2;
	}
	/* "-" first: positional files come back in order, between the -f files */
	optind = first;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "-:f:o:h", long_options, NULL)) != -1) {
		size_t n;
		switch (c) {
		case 1:
			if (cli->command == CMD_LINT)
				push(&cli->lint_files, &cli->lint_count, optarg);
			else
				push(&cli->stack_files, &cli->stack_count, optarg);
			break;
		case 'f': push(&cli->stack_files, &cli->stack_count, optarg); break;
		case 'o': cli->output = optarg; break;
		case 'h': fputs(usage_text, stdout); return fflush(stdout) ? EXIT_TROUBLE : EXIT_OK;
		case OPT_VERSION:
			printf("dkfpolicy %s (deployKF v0.1.3 to v0.1.5 policies)\n",
			       DKF_VERSION_STRING);
			return fflush(stdout) ? EXIT_TROUBLE : EXIT_OK;
		case OPT_DEPLOYKF_VERSION:
			switch (version_parse(optarg, &cli->version)) {
			case VERSION_OK: break;
			case VERSION_TOO_OLD:
				usage_error("deployKF %s has no clone-image-pull-secrets policy (it "
					    "first appeared in v0.1.3); use v0.1.3, v0.1.4 or v0.1.5",
					    optarg);
				return EXIT_TROUBLE;
			case VERSION_UNKNOWN:
				usage_error("unknown deployKF version '%s'; use v0.1.3, v0.1.4 or "
					    "v0.1.5",
					    optarg);
				return EXIT_TROUBLE;
			}
			break;
		case OPT_SOURCE_PATH: cli->stack.source_path = optarg; break;
		case OPT_STRICT: cli->strict = true; break;
		case OPT_MAX_BYTES:
		case OPT_MAX_DEPTH:
		case OPT_MAX_ALIAS_NODES:
			if (!parse_count(optarg, &n) || (c == OPT_MAX_DEPTH && n > UINT_MAX)) {
				usage_error("'%s' is not a positive whole number", optarg);
				return EXIT_TROUBLE;
			}
			if (c == OPT_MAX_BYTES)
				cli->stack.max_bytes = n;
			else if (c == OPT_MAX_DEPTH)
				cli->stack.limits.max_depth = (unsigned)n;
			else
				cli->stack.limits.max_alias_nodes = n;
			break;
		case ':':
			usage_error("option '%s' needs a value", argv[optind - 1]);
			return EXIT_TROUBLE;
		default:
			usage_error("unknown option '%s'", argv[optind - 1]);
			return EXIT_TROUBLE;
		}
	}
	if (cli->command == CMD_NONE) {
		usage_error("%s", "name a command: render, lint or schema");
		return EXIT_TROUBLE;
	}
	if (cli->output && cli->command != CMD_RENDER) {
		usage_error("%s", "-o is an option of render");
		return EXIT_TROUBLE;
	}
	return -1;
}

static int io_failure(const char *reason)
{
	fprintf(stderr, "dkfpolicy: %s\n", reason);
	return EXIT_TROUBLE;
}

/* Print the collected diagnostics and work out the exit status. */
static int report(struct diag_list *diags, const struct cli *cli)
{
	const char **files = NULL;
	size_t count = 0;
	for (size_t i = 0; i < cli->stack_count; i++)
		push(&files, &count, cli->stack_files[i]);
	for (size_t i = 0; i < cli->lint_count; i++)
		push(&files, &count, cli->lint_files[i]);
	diag_sort(diags, files, count);
	free(files);
	if (report_text(stderr, diags) != 0 || fflush(stderr) != 0)
		return EXIT_TROUBLE;
	if (diag_count_at_least(diags, DIAG_ERROR))
		return EXIT_FINDINGS;
	if (cli->strict && diag_count_at_least(diags, DIAG_WARNING))
		return EXIT_FINDINGS;
	return EXIT_OK;
}

/* Load every named file once. Returns 0, or an exit status on I/O failure. */
static int load_layers(struct stack *stack, const char **paths, size_t count,
		       struct stack_layer **out)
{
	char err[512];
	*out = xcalloc(count + 1, sizeof(**out));
	for (size_t i = 0; i < count; i++)
		if (stack_load(stack, paths[i], &(*out)[i], err, sizeof(err)) != 0)
			return io_failure(err);
	return 0;
}

static int run_render(const struct cli *cli, struct stack *stack, struct diag_list *diags,
		      struct arena *arena)
{
	struct stack_layer *layers = NULL;
	int status = load_layers(stack, cli->stack_files, cli->stack_count, &layers);
	if (status) {
		free(layers);
		return status;
	}
	struct ips_config config;
	bool loaded = stack_evaluate(stack, layers, cli->stack_count, &config);
	free(layers);

	struct strbuf text;
	strbuf_init(&text);
	bool failed = !loaded || config.has_errors || diag_count_at_least(diags, DIAG_ERROR);
	if (!failed && !block_renders(&config)) {
		struct mark at = { NULL, 0, 0 };
		diag_add(diags, DKF401, at,
			 "the policy renders nothing: it needs 'enabled: true' and at least one "
			 "registry credential");
	} else if (!failed) {
		struct policy policy;
		block_to_policy(&config, cli->version, arena, &policy);
		if (render_policy(&policy, &text) != 0) {
			strbuf_release(&text);
			return io_failure("internal error: the embedded policy template is broken");
		}
	}
	status = report(diags, cli);
	if (status == EXIT_OK && text.len) {
		char err[512];
		int rc = cli->output ? output_file_atomic(cli->output, text.buf, text.len, err,
							  sizeof(err))
				     : output_stdout(text.buf, text.len, err, sizeof(err));
		if (rc != 0)
			status = io_failure(err);
	}
	strbuf_release(&text);
	return status;
}

static int run_lint(const struct cli *cli, struct stack *stack, struct diag_list *diags)
{
	struct stack_layer *layers = NULL;
	int status = load_layers(stack, cli->stack_files, cli->stack_count, &layers);
	if (status) {
		free(layers);
		return status;
	}
	struct ips_config config;
	if (cli->lint_count == 0) {
		stack_evaluate(stack, layers, cli->stack_count, &config);
	} else {
		/* each file on its own, on top of the shared -f stack */
		layers = xrealloc(layers, (cli->stack_count + 1) * sizeof(*layers));
		struct arena *shared = stack->arena;
		for (size_t i = 0; i < cli->lint_count; i++) {
			/*
			 * A file's nodes are dropped once it is checked (diagnostics
			 * live in their own arena), so memory stays flat however many
			 * files a pre-commit hook passes.
			 */
			struct arena file_arena;
			arena_init(&file_arena);
			stack->arena = &file_arena;
			char err[512];
			int rc = stack_load(stack, cli->lint_files[i], &layers[cli->stack_count], err,
					    sizeof(err));
			if (rc == 0)
				stack_evaluate(stack, layers, cli->stack_count + 1, &config);
			stack->arena = shared;
			arena_free(&file_arena);
			if (rc != 0) {
				free(layers);
				return io_failure(err);
			}
		}
	}
	free(layers);
	return report(diags, cli);
}

static int run_schema(void)
{
	struct strbuf text;
	strbuf_init(&text);
	schema_write(&text);
	char err[512];
	int rc = output_stdout(text.buf, text.len, err, sizeof(err));
	strbuf_release(&text);
	return rc ? io_failure(err) : EXIT_OK;
}

int main(int argc, char **argv)
{
	/* a closed pipe is reported as a write error, not a silent death */
	signal(SIGPIPE, SIG_IGN);

	struct cli cli;
	int status = parse_cli(argc, argv, &cli);
	if (status >= 0)
		goto out_cli;
	if (cli.command == CMD_SCHEMA) {
		status = run_schema();
		goto out_cli;
	}

	struct arena arena;
	arena_init(&arena);
	struct diag_list diags;
	diag_list_init(&diags, &arena);
	struct stack stack;
	char err[512];
	if (stack_init(&stack, &cli.stack, &arena, &diags, err, sizeof(err)) != 0)
		status = io_failure(err);
	else if (cli.command == CMD_RENDER)
		status = run_render(&cli, &stack, &diags, &arena);
	else
		status = run_lint(&cli, &stack, &diags);
	diag_list_release(&diags);
	arena_free(&arena);
	names_release();
out_cli:
	free(cli.stack_files);
	free(cli.lint_files);
	return status;
}
