/*
 * dkfpolicy: the table of commands, and main. Each command lives in its own
 * cmd_<name>.c; cli.c parses the command line against this table and the
 * option table, and writes --help and the completion script from them.
 */
#include <signal.h>
#include <stddef.h>

#include "cli.h"
#include "cmd.h"

#define VALUES_OPTIONS                                                                             \
	(CLI_OPT(OPT_VALUES) | CLI_OPT(OPT_DEPLOYKF_VERSION) | CLI_OPT(OPT_SOURCE_PATH) |          \
	 CLI_OPT(OPT_STRICT) | CLI_OPT(OPT_CONFIG) | CLI_OPT(OPT_COLOR) | CLI_OPT(OPT_MAX_BYTES) | \
	 CLI_OPT(OPT_MAX_DEPTH) | CLI_OPT(OPT_MAX_ALIAS_NODES) | CLI_OPT(OPT_MAX_NODES) |          \
	 CLI_OPT(OPT_REPO_ROOT) | CLI_OPT(OPT_APPLICATION) | CLI_OPT(OPT_STACK))

/* In the order --help lists them (and completion offers them). */
static const struct cli_command commands[] = {
	{
		.name = "render",
		.run = cmd_render,
		.options = VALUES_OPTIONS | CLI_OPT(OPT_OUTPUT) | CLI_OPT(OPT_CHECK) |
			   CLI_OPT(OPT_FORMAT) | CLI_OPT(OPT_PLUGIN_ENV),
		.operands = CLI_STACKED_FILES,
		.synopsis = "[options] [-f FILE]... [FILE]...",
		.summary = "stack the values files (deployKF's defaults lowest, later files win) "
			   "and print the ClusterPolicy; nothing when it renders nothing",
	},
	{
		.name = "lint",
		.run = cmd_lint,
		.options = VALUES_OPTIONS | CLI_OPT(OPT_FORMAT) | CLI_OPT(OPT_PLUGIN_ENV),
		.operands = CLI_LINT_FILES,
		.synopsis = "[options] [-f FILE]... [FILE]...",
		.summary = "check each FILE on top of the defaults and the -f stack; with no "
			   "FILE, check the -f stack itself",
	},
	{
		.name = "check",
		.run = cmd_check,
		.options = CLI_OPT(OPT_STACK) | CLI_OPT(OPT_DEPLOYKF_VERSION) |
			   CLI_OPT(OPT_STRICT) | CLI_OPT(OPT_CONFIG) | CLI_OPT(OPT_COLOR) |
			   CLI_OPT(OPT_FORMAT) | CLI_OPT(OPT_MAX_BYTES) | CLI_OPT(OPT_MAX_DEPTH) |
			   CLI_OPT(OPT_MAX_ALIAS_NODES) | CLI_OPT(OPT_MAX_NODES) |
			   CLI_OPT(OPT_REPO_ROOT),
		.operands = CLI_NO_OPERANDS,
		.synopsis = "[options] [--stack NAME]",
		.summary = "lint every stack .dkfpolicy.yaml declares and compare each committed "
			   "policy (a stack's output) with what the stack renders; exit 0 only "
			   "when every stack is clean and every policy current",
	},
	{
		.name = "schema",
		.run = cmd_schema,
		.operands = CLI_NO_OPERANDS,
		.synopsis = "",
		.summary = "print the JSON Schema of the checked values",
	},
	{
		.name = "namespaces",
		.run = cmd_namespaces,
		.options = VALUES_OPTIONS | CLI_OPT(OPT_FROM) | CLI_OPT(OPT_FORMAT),
		.operands = CLI_STACKED_FILES,
		.synopsis = "[options] [-f FILE]... [--from FILE|-] [--format text|json]",
		.summary = "show which namespaces get the cloned secrets and which are excluded "
			   "(and why), for the namespaces of --from FILE (one name per line, or "
			   "`kubectl get ns -o name|json|yaml`) or, by default, those of a "
			   "deployKF cluster and its profiles",
	},
	{
		.name = "preview",
		.run = cmd_preview,
		.options = VALUES_OPTIONS | CLI_OPT(OPT_NAMESPACE) | CLI_OPT(OPT_OUTPUT),
		.operands = CLI_MANIFESTS,
		.synopsis = "[options] [-f FILE]... [--namespace NS] [-o yaml] MANIFEST...",
		.summary = "show the imagePullSecrets a Pod created from each MANIFEST gets "
			   "(Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, "
			   "CronJobs); '-o yaml' prints the mutated manifests instead",
		.needs = "preview needs a MANIFEST file ('-' is standard input)",
	},
	{
		.name = "rules",
		.run = cmd_rules,
		.options = CLI_OPT(OPT_MARKDOWN),
		.operands = CLI_NO_OPERANDS,
		.synopsis = "[--markdown]",
		.summary = "list every check: code, name, default severity, summary",
	},
	{
		.name = "explain",
		.run = cmd_explain,
		.operands = CLI_ONE_WORD,
		.synopsis = "CODE|NAME",
		.summary = "what a check means, why it matters, how to fix it, an example",
		.needs = "explain needs a CODE or NAME, e.g. 'dkfpolicy explain DKF301' "
			 "('dkfpolicy rules' lists them)",
	},
	{
		.name = "completion",
		.run = cmd_completion,
		.operands = CLI_ONE_WORD,
		.synopsis = "bash",
		.summary = "print the bash completion script",
		.needs = "completion needs a shell: 'dkfpolicy completion bash'",
	},
};

int main(int argc, char **argv)
{
	/* a closed pipe is reported as a write error, not a silent death */
	signal(SIGPIPE, SIG_IGN);

	struct cli cli;
	int status = cli_parse(argc, argv, commands, sizeof(commands) / sizeof(commands[0]), &cli);
	if (status < 0)
		status = cli.command->run(&cli);
	cli_release(&cli);
	return status;
}
