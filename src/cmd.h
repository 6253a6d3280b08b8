#ifndef DKF_CMD_H
#define DKF_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "cli.h"
#include "config.h"
#include "diag.h"
#include "excerpt.h"
#include "plugin.h"
#include "policy.h"
#include "report.h"
#include "stack.h"
#include "stacks.h"
#include "strbuf.h"

/*
 * The commands, one file each (cmd_<name>.c), each `int cmd_<name>(const
 * struct cli *)` returning the exit status; main.c's table names them. This
 * header also holds what the commands that read values share: the run's
 * arena, diagnostics and report, the configuration, and deployKF's defaults.
 */
int cmd_render(const struct cli *cli);
int cmd_lint(const struct cli *cli);
int cmd_schema(const struct cli *cli);
int cmd_namespaces(const struct cli *cli);
int cmd_preview(const struct cli *cli);
int cmd_rules(const struct cli *cli);
int cmd_explain(const struct cli *cli);
int cmd_completion(const struct cli *cli);
int cmd_check(const struct cli *cli);

struct cmd_env {
	const struct cli *cli;
	struct arena arena; /* the whole run: defaults, diagnostics, results */
	struct diag_list diags;
	struct excerpt_book book;
	struct dkf_config config;
	struct report report;
	struct stack_options stack_options;
	struct stack stack;
	enum dkf_version version;     /* --deploykf-version, else the config's, else the default */
	struct plugin_context plugin; /* for Argo CD Applications of deployKF's plugin */
	struct stack_decls stacks;    /* the configuration's stacks (cmd_stacks) */
	bool has_stacks;              /* stacks is resolved */
};

/*
 * Set up a run: the configuration (.dkfpolicy.yaml or --config) and the
 * defaults layer. Returns 0, or an exit status after printing why (an
 * unreadable --config or defaults file). Close it with cmd_env_close always.
 */
int cmd_env_open(struct cmd_env *env, const struct cli *cli);
void cmd_env_close(struct cmd_env *env);

/* Where the diagnostics go: the --format given (NULL: text), to stdout
 * when machine_on_stdout and the format is not text, else to stderr. */
struct report_output cmd_report_output(const struct cmd_env *env, const char *format,
				       bool machine_on_stdout);

/* The process environment ("NAME=value" strings), for --plugin-env. */
char *const *cmd_environment(void);

/* An Application of deployKF's plugin (path) given with other values files:
 * they cannot go under or over the stack the plugin builds. Says so;
 * returns DKF_EXIT_TROUBLE. */
int cmd_whole_stack_alone(const char *path);

/* Print "dkfpolicy: reason" on stderr; returns DKF_EXIT_TROUBLE. */
int cmd_trouble(const char *reason);

/*
 * What namespaces and preview share: the policy of the -f stack, exactly as
 * render sees it. Returns -1 with *result and *policy set when the values
 * are valid; otherwise the exit status, with the diagnostics reported.
 */
int cmd_evaluate_policy(struct cmd_env *env, struct stack_result *result, struct policy *policy);

/*
 * A file given as values that is a Kubernetes manifest (stack.h): drop what
 * reading it as values said (diagnostics from first_diag on) and read its
 * Argo CD Applications instead. Returns 0, or an exit status after an I/O
 * problem.
 */
int cmd_read_plugin_file(struct cmd_env *env, const char *path, size_t first_diag,
			 struct plugin_file *out);

/* The Application of file a command that makes one result uses: the one
 * --application names, or the only one. NULL after saying why (*status). */
const struct plugin_app *cmd_pick_application(struct cmd_env *env, const struct plugin_file *file,
					      int *status);

/* The configuration's declared stacks, checked and resolved the first time
 * they are asked for (DKF123 findings then). */
struct stack_decls *cmd_stacks(struct cmd_env *env);

/* Learn which files the Applications of application stacks stack (their
 * values_files), so that a file is known to be in those stacks too. Reads
 * each Application file once more; says nothing. */
void cmd_stacks_learn_applications(struct cmd_env *env);

/* The declared stack --stack names; NULL after saying why (*status: none
 * declared, or no such name). It may be invalid (d->is_valid). */
const struct stack_decl *cmd_pick_stack(struct cmd_env *env, int *status);

/*
 * Evaluate declared stack d (valid) as its values or its Application say,
 * nodes in arena; *version is what its policy renders for (--deploykf-version,
 * else the stack's, else the configuration's, else the default). Returns 0
 * (*loaded: it could be evaluated; else diagnostics say why), or an exit
 * status after an I/O problem.
 */
int cmd_evaluate_declared(struct cmd_env *env, const struct stack_decl *d, struct arena *arena,
			  struct stack_result *out, enum dkf_version *version, bool *loaded);

/* cmd_evaluate_declared for the stack --stack names, in the run's arena
 * (*loaded false when it is invalid: DKF123 says why). Returns 0, or an exit
 * status after saying why there is no such stack. */
int cmd_evaluate_named_stack(struct cmd_env *env, struct stack_result *out,
			     enum dkf_version *version, bool *loaded);

/* Called for each stack cmd_lint_stacks checks, once its findings are in and
 * settled (errors: how many of them are errors), while result lives. */
typedef void (*cmd_stack_hook)(struct cmd_env *env, const struct stack_decl *d,
			       const struct stack_result *result, bool loaded,
			       enum dkf_version version, size_t errors, void *ctx);

/*
 * Lint each valid declared stack i with which[i], whole, in declaration
 * order, each in an arena of its own; then keep each finding once: one true
 * in every checked stack holding its file says nothing more, any other
 * names the stacks it is true in (diag context). Returns 0, or an exit
 * status after an I/O problem.
 */
int cmd_lint_stacks(struct cmd_env *env, const bool *which, cmd_stack_hook hook, void *ctx);

/* Report, then print text on stdout when nothing failed. built: the command
 * produced its result (false when errors in its input stopped it). */
int cmd_finish_with(struct cmd_env *env, struct strbuf *text, bool built, const char *what);

#endif
