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
#include <unistd.h>

#include "arena.h"
#include "cmd_namespaces.h"
#include "cmd_preview.h"
#include "config.h"
#include "diag.h"
#include "drift.h"
#include "excerpt.h"
#include "names.h"
#include "output.h"
#include "render.h"
#include "report.h"
#include "report_color.h"
#include "report_rules.h"
#include "risk.h"
#include "rsize.h"
#include "schema.h"
#include "stack.h"
#include "strbuf.h"
#include "suppress.h"
#include "version.h"
#include "xalloc.h"

#include "tool_version.h" /* DKF_TOOL_VERSION, generated from VERSION by the Makefile */

enum exit_status {
	EXIT_OK = 0,
	EXIT_FINDINGS = 1,
	EXIT_TROUBLE = 2,
};

static const char usage_text[] =
	"usage: dkfpolicy render [options] [-f FILE]... [FILE]...\n"
	"       dkfpolicy lint   [options] [-f FILE]... [FILE]...\n"
	"       dkfpolicy schema\n"
	"       dkfpolicy namespaces [options] [-f FILE]... [--from FILE|-] [--format text|json]\n"
	"       dkfpolicy preview [options] [-f FILE]... [--namespace NS] [-o yaml] MANIFEST...\n"
	"       dkfpolicy rules [--markdown]\n"
	"       dkfpolicy explain CODE|NAME\n"
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
	"  namespaces  show which namespaces get the cloned secrets and which are\n"
	"            excluded (and why), for the namespaces of --from FILE (one name\n"
	"            per line, or `kubectl get ns -o name|json|yaml`) or, by default,\n"
	"            those of a deployKF cluster and its profiles\n"
	"  preview   show the imagePullSecrets a Pod created from each MANIFEST gets\n"
	"            (Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs,\n"
	"            CronJobs); '-o yaml' prints the mutated manifests instead\n"
	"  rules     list every check: code, name, default severity, summary\n"
	"  explain   what a check means, why it matters, how to fix it, an example\n"
	"\n"
	"options:\n"
	"  -f, --values FILE          a values file layer ('-' is standard input)\n"
	"  -o, --output FILE          render: write FILE atomically instead of stdout\n"
	"                             preview: 'text' (default) or 'yaml'\n"
	"      --from FILE            namespaces: the namespace list ('-' is standard input)\n"
	"      --namespace NS         preview: for manifests without one (default 'default')\n"
	"      --check FILE           render: exit 0 when FILE holds exactly the policy,\n"
	"                             1 and a unified diff when it does not\n"
	"      --format F             diagnostics as text (default), json, sarif or github;\n"
	"                             lint prints json/sarif/github on stdout, render on\n"
	"                             stderr; namespaces: the listing as text or json\n"
	"      --deploykf-version V   v0.1.3, v0.1.4 or v0.1.5 (default v0.1.5)\n"
	"      --source-path DIR      read defaults from DIR/generator/default_values.yaml\n"
	"      --strict               warnings fail too (exit 1)\n"
	"      --color=WHEN           colour diagnostics: auto (default), always, never\n"
	"      --config FILE          settings file (default: the nearest .dkfpolicy.yaml\n"
	"                             in the working folder or its parents)\n"
	"      --max-bytes N          refuse input larger than N bytes (default 64 MiB)\n"
	"      --max-depth N          refuse YAML nested deeper than N (default 256)\n"
	"      --max-alias-nodes N    refuse aliases expanding to more than N values\n"
	"      --max-nodes N          refuse a file holding more than N values and keys\n"
	"                             (default 1000000)\n"
	"  -h, --help                 show this help\n"
	"      --version              show the version\n"
	"\n"
	"exit status: 0 fine (warnings allowed), 1 problems found, 2 usage or I/O error\n";

enum command {
	CMD_NONE,
	CMD_RENDER,
	CMD_LINT,
	CMD_SCHEMA,
	CMD_NAMESPACES,
	CMD_PREVIEW,
	CMD_RULES,
	CMD_EXPLAIN,
};

/* Spelled as on the command line; indexed by the enums above and below. */
static const char *const command_names[] = {
	[CMD_RENDER] = "render", [CMD_LINT] = "lint", [CMD_SCHEMA] = "schema",
	[CMD_NAMESPACES] = "namespaces", [CMD_PREVIEW] = "preview", [CMD_RULES] = "rules",
	[CMD_EXPLAIN] = "explain",
};

enum report_format {
	FORMAT_TEXT,
	FORMAT_JSON,
	FORMAT_SARIF,
	FORMAT_GITHUB,
};

static const char *const format_names[] = {
	[FORMAT_TEXT] = "text", [FORMAT_JSON] = "json", [FORMAT_SARIF] = "sarif",
	[FORMAT_GITHUB] = "github",
};

/* The index of word in names[0..count), or -1; NULL entries never match. */
static int lookup_word(const char *const *names, size_t count, const char *word)
{
	for (size_t i = 0; i < count; i++)
		if (names[i] && strcmp(names[i], word) == 0)
			return (int)i;
	return -1;
}

struct cli {
	enum command command;
	const char **stack_files; /* -f, and for render every positional file too */
	size_t stack_count;
	const char **lint_files;  /* lint's positional files */
	size_t lint_count;
	const char *output;
	const char *check;        /* render --check FILE */
	enum report_format format;
	bool format_given;
	enum dkf_version version;
	bool strict;
	bool markdown;            /* rules --markdown */
	const char *explain;      /* explain's CODE|NAME */
	const char *config_path;  /* --config */
	bool version_given;       /* --deploykf-version wins over the config */
	struct dkf_config config;
	struct stack_options stack;
	const char *from;          /* namespaces --from */
	const char *namespace;     /* preview --namespace */
	const char **manifests;    /* preview's positional files */
	size_t manifest_count;
};

enum long_only {
	OPT_VERSION = 256,
	OPT_DEPLOYKF_VERSION,
	OPT_SOURCE_PATH,
	OPT_STRICT,
	OPT_MAX_BYTES,
	OPT_MAX_DEPTH,
	OPT_MAX_ALIAS_NODES,
	OPT_FROM,
	OPT_FORMAT,
	OPT_NAMESPACE,
	OPT_MARKDOWN,
	OPT_CONFIG,
	OPT_COLOR,
	OPT_CHECK,
	OPT_MAX_NODES,
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
	{ "from", required_argument, NULL, OPT_FROM },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "namespace", required_argument, NULL, OPT_NAMESPACE },
	{ "markdown", no_argument, NULL, OPT_MARKDOWN },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "check", required_argument, NULL, OPT_CHECK },
	{ "max-nodes", required_argument, NULL, OPT_MAX_NODES },
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

static bool extra_options_invalid(const struct cli *cli);
/* Colour only for a person at a terminal: jq's rule (NO_COLOR, TERM=dumb). */
static bool color_auto(void)
{
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	if (no_color && *no_color)
		return false;
	if (!term || strcmp(term, "dumb") == 0)
		return false;
	return isatty(fileno(stderr));
}

/* Returns -1 to continue, or an exit status. */
static int parse_cli(int argc, char **argv, struct cli *cli)
{
	memset(cli, 0, sizeof(*cli));
	cli->version = DKF_VERSION_DEFAULT;
	cli->stack.max_bytes = SOURCE_DEFAULT_MAX_BYTES;
	cli->stack.limits.max_depth = YLOAD_DEFAULT_MAX_DEPTH;
	cli->stack.limits.max_alias_nodes = YLOAD_DEFAULT_MAX_ALIAS_NODES;
	cli->stack.limits.max_nodes = YLOAD_DEFAULT_MAX_NODES;
	cli->stack.expected_excludes = risk_default_excludes;
	cli->stack.expected_exclude_count = risk_default_exclude_count;
	report_text_use_color(color_auto());

	int first = 1;
	if (argc > 1 && argv[1][0] != '-') {
		const char *name = argv[1];
		int found = lookup_word(command_names, sizeof(command_names) / sizeof(command_names[0]),
					name);
		if (found <= 0) {
			usage_error("unknown command '%s' (commands: render, lint, schema, rules, "
				    "explain, namespaces, preview)",
				    name);
			return EXIT_TROUBLE;
		}
		cli->command = (enum command)found;
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
			if (cli->command == CMD_EXPLAIN) {
				if (cli->explain) {
					usage_error("%s", "explain takes one CODE or NAME");
					return EXIT_TROUBLE;
				}
				cli->explain = optarg;
			} else if (cli->command == CMD_LINT)
				push(&cli->lint_files, &cli->lint_count, optarg);
			else if (cli->command == CMD_PREVIEW)
				push(&cli->manifests, &cli->manifest_count, optarg);
			else
				push(&cli->stack_files, &cli->stack_count, optarg);
			break;
		case 'f': push(&cli->stack_files, &cli->stack_count, optarg); break;
		case 'o': cli->output = optarg; break;
		case 'h': fputs(usage_text, stdout); return fflush(stdout) ? EXIT_TROUBLE : EXIT_OK;
		case OPT_VERSION:
			printf("dkfpolicy %s (deployKF v0.1.3 to v0.1.5 policies)\n",
			       DKF_TOOL_VERSION);
			return fflush(stdout) ? EXIT_TROUBLE : EXIT_OK;
		case OPT_DEPLOYKF_VERSION:
			cli->version_given = true;
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
		case OPT_FROM: cli->from = optarg; break;
		case OPT_NAMESPACE: cli->namespace = optarg; break;
		case OPT_MARKDOWN: cli->markdown = true; break;
		case OPT_CONFIG: cli->config_path = optarg; break;
		case OPT_COLOR:
			if (strcmp(optarg, "always") == 0) {
				report_text_use_color(true);
			} else if (strcmp(optarg, "never") == 0) {
				report_text_use_color(false);
			} else if (strcmp(optarg, "auto") == 0) {
				report_text_use_color(color_auto());
			} else {
				usage_error("--color is auto, always or never, not '%s'", optarg);
				return EXIT_TROUBLE;
			}
			break;
		case OPT_CHECK: cli->check = optarg; break;
		case OPT_FORMAT: {
			int found = lookup_word(format_names,
						sizeof(format_names) / sizeof(format_names[0]), optarg);
			if (found < 0) {
				usage_error("unknown format '%s'; use text, json, sarif or github",
					    optarg);
				return EXIT_TROUBLE;
			}
			cli->format = (enum report_format)found;
			cli->format_given = true;
			break;
		}
		case OPT_MAX_BYTES:
		case OPT_MAX_DEPTH:
		case OPT_MAX_ALIAS_NODES:
		case OPT_MAX_NODES:
			if (!parse_count(optarg, &n) || (c == OPT_MAX_DEPTH && n > UINT_MAX)) {
				usage_error("'%s' is not a positive whole number", optarg);
				return EXIT_TROUBLE;
			}
			if (c == OPT_MAX_ALIAS_NODES && n >= YLOAD_MAX_ALIAS_NODES_LIMIT) {
				usage_error("--max-alias-nodes must be below %u", YLOAD_MAX_ALIAS_NODES_LIMIT);
				return EXIT_TROUBLE;
			}
			if (c == OPT_MAX_BYTES)
				cli->stack.max_bytes = n;
			else if (c == OPT_MAX_DEPTH)
				cli->stack.limits.max_depth = (unsigned)n;
			else if (c == OPT_MAX_NODES)
				cli->stack.limits.max_nodes = n;
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
		usage_error("%s", "name a command: render, lint, schema, rules, explain, namespaces or "
				  "preview");
		return EXIT_TROUBLE;
	}
	if (cli->command == CMD_EXPLAIN && !cli->explain) {
		usage_error("%s", "explain needs a CODE or NAME, e.g. 'dkfpolicy explain DKF301' "
				  "('dkfpolicy rules' lists them)");
		return EXIT_TROUBLE;
	}
	if (cli->check && cli->command != CMD_RENDER) {
		usage_error("%s", "--check is an option of render");
		return EXIT_TROUBLE;
	}
	if (cli->check && cli->output) {
		usage_error("%s", "use either -o to write a file or --check to compare with one");
		return EXIT_TROUBLE;
	}
	if (cli->output && cli->command != CMD_RENDER && cli->command != CMD_PREVIEW) {
		usage_error("%s", "-o is an option of render and preview");
		return EXIT_TROUBLE;
	}
	if (extra_options_invalid(cli))
		return EXIT_TROUBLE;
	return -1;
}

/* The options of the namespaces and preview commands. */
static bool extra_options_invalid(const struct cli *cli)
{
	if (cli->from && cli->command != CMD_NAMESPACES) {
		usage_error("%s", "--from is an option of namespaces");
		return true;
	}
	if (cli->format_given && cli->command != CMD_NAMESPACES && cli->command != CMD_LINT &&
	    cli->command != CMD_RENDER) {
		usage_error("%s", "--format is an option of lint, render and namespaces");
		return true;
	}
	if (cli->command == CMD_NAMESPACES && cli->format != FORMAT_TEXT &&
	    cli->format != FORMAT_JSON) {
		usage_error("%s", "namespaces prints text or json");
		return true;
	}
	if (cli->namespace && cli->command != CMD_PREVIEW) {
		usage_error("%s", "--namespace is an option of preview");
		return true;
	}
	if (cli->command == CMD_PREVIEW && cli->output && strcmp(cli->output, "text") != 0 &&
	    strcmp(cli->output, "yaml") != 0) {
		usage_error("preview prints 'text' or 'yaml', not '%s'", cli->output);
		return true;
	}
	if (cli->command == CMD_PREVIEW && cli->manifest_count == 0) {
		usage_error("%s", "preview needs a MANIFEST file ('-' is standard input)");
		return true;
	}
	return false;
}

static int io_failure(const char *reason)
{
	fprintf(stderr, "dkfpolicy: %s\n", reason);
	return EXIT_TROUBLE;
}

/* What decides which findings count: inline suppressions, then the
 * severities of .dkfpolicy.yaml. */
static void settle(struct diag_list *diags, const struct cli *cli)
{
	suppress_apply(diags, diags->book);
	config_apply(&cli->config, diags);
}

/*
 * The errors report() will count, diags left as they are: a silenced error
 * must not stop a command from printing its result (nor a finding upgraded
 * to an error let it through).
 */
static size_t settled_errors(const struct diag_list *diags, const struct cli *cli)
{
	if (!diags->count)
		return 0;
	struct diag_list copy;
	diag_list_copy(&copy, diags);
	settle(&copy, cli);
	size_t n = diag_count_at_least(&copy, DIAG_ERROR);
	diag_list_release(&copy);
	return n;
}

/* "DKF101, DKF204": the codes of the errors in diags, each once. */
static void error_codes(const struct diag_list *diags, char *buf, size_t size)
{
	bool seen[DIAG_CODE_COUNT] = { false };
	for (size_t i = 0; i < diags->count; i++)
		if (diags->items[i].severity >= DIAG_ERROR)
			seen[diags->items[i].code] = true;
	size_t used = 0;
	buf[0] = '\0';
	for (int code = 0; code < DIAG_CODE_COUNT && used < size; code++) {
		if (!seen[code])
			continue;
		int n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
				 diag_info((enum diag_code)code)->code);
		used += n > 0 ? (size_t)n : 0;
	}
}

/*
 * After report(), for a command that prints a result (render, namespaces,
 * preview) and could not build it: errors stopped it that silencing cannot
 * lift (deployKF fails on the values, or a setting it would use has the
 * wrong shape). When every one was silenced, report() found nothing to
 * fail on; yet success with no output would hand a sync job an empty
 * policy. Fail, naming them.
 */
static int refuse_silenced(int status, const char *what, const char *codes)
{
	if (status != EXIT_OK)
		return status;
	if (!*codes)
		codes = "a file that did not load"; /* every load error has a code; be safe */
	bool one = strchr(codes, ',') == NULL && strncmp(codes, "DKF", 3) == 0;
	fprintf(stderr,
		"dkfpolicy: no %s: errors that silencing does not fix stop it (%s, silenced); "
		"fix the input ('dkfpolicy explain %s' says how)\n",
		what, codes, one ? codes : "CODE");
	return EXIT_FINDINGS;
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
	if (cli->from)
		push(&files, &count, strcmp(cli->from, "-") ? cli->from : "<stdin>");
	for (size_t i = 0; i < cli->manifest_count; i++)
		push(&files, &count, strcmp(cli->manifests[i], "-") ? cli->manifests[i] : "<stdin>");
	settle(diags, cli);
	diag_sort(diags, files, count);
	free(files);
	/* render's stdout is the policy, so its diagnostics always go to stderr */
	/* for namespaces, --format is the listing's; its diagnostics stay text */
	enum report_format format = cli->command == CMD_LINT || cli->command == CMD_RENDER
					    ? cli->format
					    : FORMAT_TEXT;
	FILE *out = cli->command == CMD_LINT && format != FORMAT_TEXT ? stdout : stderr;
	int rc;
	switch (format) {
	case FORMAT_JSON: rc = report_json(out, diags, DKF_TOOL_VERSION); break;
	case FORMAT_SARIF: rc = report_sarif(out, diags, DKF_TOOL_VERSION); break;
	case FORMAT_GITHUB: rc = report_github(out, diags); break;
	default: rc = report_text(out, diags); break;
	}
	if (rc != 0 || fflush(out) != 0) {
		if (out == stdout)
			fprintf(stderr, "dkfpolicy: cannot write to standard output: %s\n",
				strerror(errno));
		return EXIT_TROUBLE;
	}
	if (diag_count_at_least(diags, DIAG_ERROR))
		return EXIT_FINDINGS;
	if (cli->strict && diag_count_at_least(diags, DIAG_WARNING))
		return EXIT_FINDINGS;
	return EXIT_OK;
}

/* report(), for a command that prints a result; built: it could build it
 * (see refuse_silenced when it could not). */
static int report_result(struct diag_list *diags, const struct cli *cli, bool built,
			 const char *what)
{
	char codes[256];
	error_codes(diags, codes, sizeof(codes));
	int status = report(diags, cli);
	return built ? status : refuse_silenced(status, what, codes);
}

/* render --check: compare the rendered text (empty when nothing renders)
 * with the file; print a unified diff on stdout when they differ. */
static int check_rendered(const struct cli *cli, const struct strbuf *text)
{
	char err[512];
	struct strbuf diff;
	strbuf_init(&diff);
	enum drift_result r = drift_check(cli->check, text->buf, text->len, cli->stack.max_bytes,
					  &diff, err, sizeof(err));
	int status = EXIT_OK;
	if (r == DRIFT_UNREADABLE) {
		status = io_failure(err);
	} else if (r == DRIFT_DIFFERENT) {
		status = EXIT_FINDINGS;
		if (output_stdout(diff.buf, diff.len, err, sizeof(err)) != 0)
			status = io_failure(err);
		else
			fprintf(stderr,
				"dkfpolicy: '%s' is not what render writes; update it with "
				"'dkfpolicy render ... -o %s'\n",
				cli->check, cli->check);
	}
	strbuf_release(&diff);
	return status;
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

static const char broken_template[] = "internal error: the embedded policy template is broken";

static void write_to_output(void *ctx, const char *data, size_t len)
{
	output_write(ctx, data, len);
}

/* render: the policy to stdout or -o FILE, streamed as it is produced (a
 * file is still replaced only once it is whole). */
static int write_rendered(const struct cli *cli, const struct policy *policy)
{
	char err[512];
	struct output out;
	if (output_open(&out, cli->output, err, sizeof(err)) != 0)
		return io_failure(err);
	if (render_policy_stream(policy, write_to_output, &out) != 0) {
		output_abort(&out);
		return io_failure(broken_template);
	}
	if (output_close(&out, err, sizeof(err)) != 0)
		return io_failure(err);
	return EXIT_OK;
}

static int run_render(const struct cli *cli, struct stack *stack, struct diag_list *diags,
		      struct arena *arena)
{
	/* merged file by file: 500 files cost the memory of one */
	struct stack_fold fold;
	stack_fold_begin(stack, &fold);
	for (size_t i = 0; i < cli->stack_count; i++) {
		char err[512];
		if (stack_fold_add(&fold, cli->stack_files[i], err, sizeof(err)) != 0) {
			stack_fold_release(&fold);
			return io_failure(err);
		}
	}
	struct ips_config config;
	bool loaded = stack_fold_finish(&fold, &config);
	bool buildable = loaded && !config.unrenderable;
	bool renders = buildable && block_renders(&config);
	struct policy policy;
	if (renders) {
		block_to_policy(&config, cli->version, arena, &policy);
		/* sized before it is written out: a policy too big to store (DKF411)
		 * is never written, so its megabytes need not be built */
		rsize_check_policy(&policy, &config, diags);
	}

	bool write_policy = false;
	if (buildable && settled_errors(diags, cli) == 0) {
		if (renders) {
			write_policy = true;
		} else {
			struct mark at = { NULL, 0, 0 };
			diag_add(diags, DKF401, at,
				 "the policy renders nothing: it needs 'enabled: true' and at least "
				 "one registry credential");
		}
	}
	int status = report_result(diags, cli, buildable, "policy");
	if (status == EXIT_OK && cli->check) {
		struct strbuf text;
		strbuf_init(&text);
		if (write_policy && render_policy(&policy, &text) != 0)
			status = io_failure(broken_template);
		else
			status = check_rendered(cli, &text);
		strbuf_release(&text);
	} else if (status == EXIT_OK && write_policy) {
		status = write_rendered(cli, &policy);
	}
	stack_fold_release(&fold);
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
		if (stack_evaluate(stack, layers, cli->stack_count, &config))
			rsize_check_config(&config, cli->version, stack->arena, diags);
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
			if (rc == 0 && stack_evaluate(stack, layers, cli->stack_count + 1, &config))
				rsize_check_config(&config, cli->version, stack->arena, diags);
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

/*
 * Shared by namespaces and preview: the policy of the values stack, exactly
 * as render sees it. Returns -1 and sets *policy when the values are valid;
 * otherwise the exit status (diagnostics reported).
 */
static int evaluate_policy(const struct cli *cli, struct stack *stack, struct diag_list *diags,
			   struct arena *arena, struct ips_config *config, struct policy *policy)
{
	struct stack_layer *layers = NULL;
	int status = load_layers(stack, cli->stack_files, cli->stack_count, &layers);
	if (status) {
		free(layers);
		return status;
	}
	bool loaded = stack_evaluate(stack, layers, cli->stack_count, config);
	free(layers);
	bool buildable = loaded && !config->unrenderable;
	if (!buildable || settled_errors(diags, cli))
		return report_result(diags, cli, buildable, "policy");
	block_to_policy(config, cli->version, arena, policy);
	return -1;
}

/* Report, then print text when nothing failed. built: the command produced
 * its result (false when errors in its input stopped it). */
static int finish_with(struct diag_list *diags, const struct cli *cli, struct strbuf *text,
		       bool built, const char *what)
{
	int status = report_result(diags, cli, built, what);
	if (status == EXIT_OK && text->len) {
		char err[512];
		if (output_stdout(text->buf, text->len, err, sizeof(err)) != 0)
			status = io_failure(err);
	}
	strbuf_release(text);
	return status;
}

static int run_namespaces(const struct cli *cli, struct stack *stack, struct diag_list *diags,
			  struct arena *arena)
{
	struct ips_config config;
	struct policy policy;
	int status = evaluate_policy(cli, stack, diags, arena, &config, &policy);
	if (status >= 0)
		return status;
	struct nslist list = { NULL, 0, 0 };
	struct namespaces_options options = { cli->format == FORMAT_JSON,
					      cli->from != NULL };
	size_t errors_before = diag_count_at_least(diags, DIAG_ERROR);
	if (cli->from) {
		char err[512];
		if (nslist_read(cli->from, cli->stack.max_bytes, &cli->stack.limits, arena, diags,
				&list, err, sizeof(err)) != 0)
			return io_failure(err);
	} else {
		nslist_defaults(stack_merged_root(stack), policy.kyverno_namespace, &list);
	}
	struct strbuf text;
	strbuf_init(&text);
	/* a namespace list with errors (DKF130) lists nothing, silenced or not */
	bool list_ok = diag_count_at_least(diags, DIAG_ERROR) == errors_before;
	if (list_ok && settled_errors(diags, cli) == 0)
		cmd_namespaces(&config, &policy, block_renders(&config), &list, &options, diags,
			       &text);
	nslist_release(&list);
	return finish_with(diags, cli, &text, list_ok, "namespace listing");
}

static int run_preview(const struct cli *cli, struct stack *stack, struct diag_list *diags,
		       struct arena *arena)
{
	struct ips_config config;
	struct policy policy;
	int status = evaluate_policy(cli, stack, diags, arena, &config, &policy);
	if (status >= 0)
		return status;
	struct kdoc_file *files = xcalloc(cli->manifest_count + 1, sizeof(*files));
	bool failed = false;
	for (size_t i = 0; i < cli->manifest_count; i++) {
		char err[512];
		if (kdoc_load(cli->manifests[i], cli->stack.max_bytes, &cli->stack.limits, arena,
			      diags, &files[i], err, sizeof(err)) != 0) {
			free(files);
			return io_failure(err);
		}
		failed = failed || files[i].failed;
	}
	struct strbuf text;
	strbuf_init(&text);
	struct preview_options options = { cli->namespace ? cli->namespace : "default",
					   cli->output && strcmp(cli->output, "yaml") == 0 };
	/* a manifest that does not load (DKF131) previews nothing, silenced or not */
	if (!failed && settled_errors(diags, cli) == 0)
		cmd_preview(&policy, block_renders(&config), files, cli->manifest_count, &options,
			    arena, diags, &text);
	free(files);
	return finish_with(diags, cli, &text, !failed, "preview");
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

static int run_rules(const struct cli *cli)
{
	enum diag_code code;
	if (cli->command == CMD_RULES)
		return report_rules(stdout, cli->markdown) || fflush(stdout) ? EXIT_TROUBLE
									      : EXIT_OK;
	if (!diag_lookup(cli->explain, &code)) {
		usage_error("no check is called '%s'; 'dkfpolicy rules' lists them", cli->explain);
		return EXIT_TROUBLE;
	}
	return report_explain(stdout, code) || fflush(stdout) ? EXIT_TROUBLE : EXIT_OK;
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
	if (cli.command == CMD_RULES || cli.command == CMD_EXPLAIN) {
		status = run_rules(&cli);
		goto out_cli;
	}

	struct arena arena;
	arena_init(&arena);
	struct diag_list diags;
	diag_list_init(&diags, &arena);
	struct excerpt_book book;
	excerpt_book_init(&book, &arena);
	diags.book = &book;
	struct stack stack;
	char err[512];
	if (config_load(cli.config_path, &arena, &diags, &cli.config, err, sizeof(err)) != 0) {
		status = io_failure(err);
		goto out_run;
	}
	if (cli.config.expected_excludes) {
		cli.stack.expected_excludes = cli.config.expected_excludes;
		cli.stack.expected_exclude_count = cli.config.expected_exclude_count;
	}
	cli.stack.known_namespaces = cli.config.known_namespaces;
	cli.stack.known_namespace_count = cli.config.known_namespace_count;
	if (cli.config.has_version && !cli.version_given)
		cli.version = cli.config.version;
	if (stack_init(&stack, &cli.stack, &arena, &diags, err, sizeof(err)) != 0)
		status = io_failure(err);
	else if (cli.command == CMD_RENDER)
		status = run_render(&cli, &stack, &diags, &arena);
	else if (cli.command == CMD_NAMESPACES)
		status = run_namespaces(&cli, &stack, &diags, &arena);
	else if (cli.command == CMD_PREVIEW)
		status = run_preview(&cli, &stack, &diags, &arena);
	else
		status = run_lint(&cli, &stack, &diags);
out_run:
	diag_list_release(&diags);
	excerpt_book_release(&book);
	arena_free(&arena);
	names_release();
	rsize_release();
out_cli:
	free(cli.stack_files);
	free(cli.lint_files);
	free(cli.manifests);
	return status;
}
