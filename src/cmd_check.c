/*
 * `dkfpolicy check`: every stack .dkfpolicy.yaml declares, linted whole, and
 * each committed policy (a stack's `output`) compared with what its stack
 * renders now. One command for CI and pre-commit: exit 0 only when every
 * stack is clean and every committed policy current.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check_block.h"
#include "cmd.h"
#include "drift.h"
#include "output.h"
#include "render.h"
#include "xalloc.h"

struct check_run {
	struct strbuf diffs; /* of every stale policy, in stack order */
	int status;          /* an exit status after trouble, else 0 */
};

/* The first line of the committed file that a unified diff changes: the
 * first hunk's start plus its leading context lines. */
static unsigned first_changed_line(const char *diff)
{
	const char *hunk = strncmp(diff, "@@ -", 4) == 0 ? diff : strstr(diff, "\n@@ -");
	if (!hunk)
		return 1;
	hunk += *hunk == '\n' ? 5 : 4;
	unsigned long line = strtoul(hunk, NULL, 10);
	const char *p = strchr(hunk, '\n');
	while (p && p[1] == ' ') {
		line++;
		p = strchr(p + 1, '\n');
	}
	return line ? (unsigned)line : 1;
}

/* A DKF412 of stack d; its context names the stack (the merge of findings
 * across stacks leaves it alone: no other stack has this output). */
static void stale(struct cmd_env *env, const struct stack_decl *d, struct mark at,
		  const char *message)
{
	size_t index = env->diags.count;
	diag_add(&env->diags, DKF412, at, "%s", message);
	diag_set_context(&env->diags, index, d->entry->name.at, "in stack '%s'", d->name);
}

static void compare_output(struct cmd_env *env, const struct stack_decl *d,
			   const struct stack_result *result, bool loaded, enum dkf_version version,
			   size_t errors, void *ctx)
{
	struct check_run *run = ctx;
	/* a stack with errors renders nothing to compare with; its errors fail
	 * the check already */
	if (!d->output || !loaded || result->config.unrenderable || errors)
		return;
	bool renders = ips_config_renders(&result->config);
	struct strbuf text, diff;
	strbuf_init(&text);
	strbuf_init(&diff);
	char message[1024], err[512];
	if (renders) {
		struct policy policy;
		ips_config_to_policy(&result->config, version, &env->arena, &policy);
		if (render_policy(&policy, &text) != 0) {
			run->status = cmd_trouble("internal error: the embedded policy template is "
						  "broken");
			goto done;
		}
	}
	struct stat st;
	if (stat(d->output, &st) != 0 && errno == ENOENT) {
		if (renders) {
			snprintf(message, sizeof(message),
				 "the committed policy '%s' is not there; write it with 'dkfpolicy "
				 "render --stack %s -o %s' and commit it",
				 d->entry->output.text, d->name, d->output);
			stale(env, d, d->entry->output.at, message);
		}
		goto done; /* nothing renders and nothing is committed: current */
	}
	switch (drift_check(d->output, text.buf, text.len, env->cli->max_bytes, &diff, err,
			    sizeof(err))) {
	case DRIFT_SAME: break;
	case DRIFT_DIFFERENT:
		if (renders)
			snprintf(message, sizeof(message),
				 "this committed policy is not what its stack renders; update it "
				 "with 'dkfpolicy render --stack %s -o %s'",
				 d->name, d->output);
		else
			snprintf(message, sizeof(message),
				 "the stack renders nothing (it needs 'enabled: true' and a registry "
				 "credential), but this file holds a policy; remove the file, or fix "
				 "the values");
		stale(env, d, mark_at(d->output, first_changed_line(diff.buf), 1), message);
		strbuf_add(&run->diffs, diff.buf, diff.len);
		break;
	case DRIFT_UNREADABLE:
		snprintf(message, sizeof(message), "the committed policy %s", err);
		stale(env, d, d->entry->output.at, message);
		break;
	}
done:
	strbuf_release(&diff);
	strbuf_release(&text);
}

/* The diffs: on stdout beside a text report (as render --check prints its
 * one), on stderr when stdout carries a machine-readable report. */
static int write_diffs(const struct cmd_env *env, const struct strbuf *diffs, int status)
{
	if (!diffs->len)
		return status;
	const char *format = env->cli->format;
	if (format && strcmp(format, "text") != 0) {
		fwrite(diffs->buf, 1, diffs->len, stderr);
		return status;
	}
	char err[512];
	if (output_stdout(diffs->buf, diffs->len, err, sizeof(err)) != 0)
		return cmd_trouble(err);
	return status;
}

static int check_stacks(struct cmd_env *env)
{
	const struct cli *cli = env->cli;
	struct stack_decls *decls = cmd_stacks(env);
	if (decls->count == 0 && !cli->stack_name) {
		char why[1024];
		if (env->config.path)
			snprintf(why, sizeof(why),
				 "check: '%s' declares no stacks; list them under 'stacks:' (see "
				 "README.md)",
				 env->config.path);
		else
			snprintf(why, sizeof(why), "%s",
				 "check: no .dkfpolicy.yaml here declares stacks; list them under "
				 "'stacks:' (see README.md)");
		struct report_output o = cmd_report_output(env, cli->format, true);
		(void)report_finish(&env->report, &o);
		return cmd_trouble(why);
	}
	bool *which = xcalloc(decls->count + 1, sizeof(*which));
	if (cli->stack_name) {
		int status;
		const struct stack_decl *d = cmd_pick_stack(env, &status);
		if (!d) {
			free(which);
			return status;
		}
		which[d - decls->items] = true;
	} else {
		for (size_t i = 0; i < decls->count; i++)
			which[i] = true;
	}
	struct check_run run;
	memset(&run, 0, sizeof(run));
	strbuf_init(&run.diffs);
	int status = cmd_lint_stacks(env, which, compare_output, &run);
	free(which);
	if (status == 0)
		status = run.status;
	if (status == 0) {
		struct report_output o = cmd_report_output(env, cli->format, true);
		status = report_finish(&env->report, &o);
		status = write_diffs(env, &run.diffs, status);
	}
	strbuf_release(&run.diffs);
	return status;
}

int cmd_check(const struct cli *cli)
{
	struct cmd_env env;
	int status = cmd_env_open(&env, cli);
	if (status == 0)
		status = check_stacks(&env);
	cmd_env_close(&env);
	return status;
}
