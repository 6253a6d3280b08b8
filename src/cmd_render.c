/*
 * `dkfpolicy render`: stack the values files as `deploykf generate -f a -f b`
 * does and print the ClusterPolicy deployKF would render; `-o FILE` replaces
 * a file atomically, `--check FILE` compares with a committed one.
 */
#include <stdio.h>
#include <stdlib.h>

#include "check_block.h"
#include "cmd.h"
#include "drift.h"
#include "output.h"
#include "render.h"
#include "check_size.h"

static const char broken_template[] = "internal error: the embedded policy template is broken";
/* a literal, for printf's checks: as a message and as a DKF412 */
#define STALE_CHECK_FILE                                                                           \
	"'%s' is not what render writes; update it with 'dkfpolicy render ... -o %s'"

/* --check: compare the rendered text (empty when nothing renders) with the
 * file; print a unified diff on stdout when they differ. A stale file is a
 * message and exit 1, or, as_finding, a DKF412 in the report still to come
 * (a JSON document on stderr, which no message may follow). */
static int check_rendered(struct cmd_env *env, const struct strbuf *text, bool as_finding)
{
	const char *path = env->cli->check;
	char err[512];
	struct strbuf diff;
	strbuf_init(&diff);
	enum drift_result r = drift_check(path, text->buf, text->len, env->cli->max_bytes, &diff,
					  err, sizeof(err));
	int status = DKF_EXIT_OK;
	if (r == DRIFT_UNREADABLE) {
		status = cmd_trouble(err);
	} else if (r == DRIFT_DIFFERENT) {
		status = as_finding ? DKF_EXIT_OK : DKF_EXIT_FINDINGS;
		if (output_stdout(diff.buf, diff.len, err, sizeof(err)) != 0)
			status = cmd_trouble(err);
		else if (as_finding)
			diag_add(&env->diags, DKF412, mark_at(path, 0, 0), STALE_CHECK_FILE, path,
				 path);
		else {
			struct strbuf shown;
			strbuf_init(&shown);
			strbuf_add_display(&shown, path, strlen(path), false);
			fprintf(stderr, "dkfpolicy: " STALE_CHECK_FILE "\n", shown.buf, shown.buf);
			strbuf_release(&shown);
		}
	}
	strbuf_release(&diff);
	return status;
}

static void write_to_output(void *ctx, const char *data, size_t len)
{
	output_write(ctx, data, len);
}

/* The policy to stdout or -o FILE, streamed as it is produced (a file is
 * still replaced only once it is whole). */
static int write_rendered(const struct cmd_env *env, const struct policy *policy)
{
	char err[512];
	struct output out;
	if (output_open(&out, env->cli->output, err, sizeof(err)) != 0)
		return cmd_trouble(err);
	if (render_policy_stream(policy, write_to_output, &out) != 0) {
		output_abort(&out);
		return cmd_trouble(broken_template);
	}
	if (output_close(&out, err, sizeof(err)) != 0)
		return cmd_trouble(err);
	return DKF_EXIT_OK;
}

/* What render was asked to do with the policy (NULL: it renders nothing):
 * compare it with --check FILE, or write it out. */
static int emit_policy(struct cmd_env *env, const struct policy *policy, bool stale_as_finding)
{
	if (!env->cli->check)
		return policy ? write_rendered(env, policy) : DKF_EXIT_OK;
	struct strbuf text;
	strbuf_init(&text);
	int status = policy && render_policy(policy, &text) != 0
			     ? cmd_trouble(broken_template)
			     : check_rendered(env, &text, stale_as_finding);
	strbuf_release(&text);
	return status;
}

/* Render what a stack evaluated to (loaded: every layer loaded), for version. */
static int render_result(struct cmd_env *env, const struct stack_result *result, bool loaded,
			 enum dkf_version version)
{
	const struct cli *cli = env->cli;
	const struct ips_config *config = &result->config;
	bool buildable = loaded && !config->unrenderable;
	bool renders = buildable && ips_config_renders(config);
	struct policy policy;
	if (renders) {
		ips_config_to_policy(config, version, &env->arena, &policy);
		/* sized before it is written out: a policy too big to store (DKF411)
		 * is never written, so its megabytes need not be built */
		check_size_policy(&policy, config, &env->diags);
	}

	bool write_policy = false;
	if (buildable && report_errors(&env->report) == 0) {
		if (renders) {
			write_policy = true;
		} else {
			struct mark at = mark_at(NULL, 0, 0);
			diag_add(&env->diags, DKF401, at,
				 "the policy renders nothing: it needs 'enabled: true' and at least "
				 "one registry credential");
		}
	}
	const struct policy *out = write_policy ? &policy : NULL;
	struct report_output o = cmd_report_output(env, cli->format, false);
	if (report_output_takes_messages(&o)) {
		int status = report_result(&env->report, &o, buildable, "policy");
		return status == DKF_EXIT_OK ? emit_policy(env, out, false) : status;
	}
	/* a JSON document on stderr (--format json or sarif) is followed by
	 * nothing: the policy is written or compared first, a stale --check
	 * file goes into the document, and trouble is the message alone */
	if (buildable && report_outcome(&env->report, o.strict) == DKF_EXIT_OK) {
		int status = emit_policy(env, out, true);
		if (status != DKF_EXIT_OK)
			return status;
	}
	return report_result(&env->report, &o, buildable, "policy");
}

/* The policy of an Argo CD Application of deployKF's plugin, or of the
 * plugin's parameters in the environment (app NULL: --plugin-env). */
static int render_plugin(struct cmd_env *env, const struct plugin_file *file)
{
	struct plugin_app from_env;
	const struct plugin_app *app = &from_env;
	int status = 0;
	if (file)
		app = cmd_pick_application(env, file, &status);
	else
		plugin_from_environment(&env->plugin, cmd_environment(), &from_env);
	if (!app)
		return status;
	struct stack_result result;
	enum dkf_version version;
	bool loaded = plugin_evaluate(&env->plugin, app, &env->arena, &result, &version);
	return render_result(env, &result, loaded, version);
}

static int render_stack(struct cmd_env *env)
{
	const struct cli *cli = env->cli;
	if (cli->plugin_env)
		return render_plugin(env, NULL);
	if (cli->stack_name) {
		struct stack_result result;
		enum dkf_version version;
		bool loaded;
		int status = cmd_evaluate_named_stack(env, &result, &version, &loaded);
		return status ? status : render_result(env, &result, loaded, version);
	}
	/* merged file by file: 500 files cost the memory of one */
	struct stack_fold fold;
	stack_fold_begin(&env->stack, &fold);
	for (size_t i = 0; i < cli->stack_count; i++) {
		char err[512];
		size_t first_diag = env->diags.count;
		if (stack_fold_add(&fold, cli->stack_files[i], err, sizeof(err)) != 0) {
			stack_fold_release(&fold);
			return cmd_trouble(err);
		}
		if (!fold.last_is_manifest)
			continue;
		/* an Argo CD Application is a whole stack, not a layer of one */
		stack_fold_release(&fold);
		if (cli->stack_count > 1)
			return cmd_whole_stack_alone(cli->stack_files[i]);
		struct plugin_file file;
		int status = cmd_read_plugin_file(env, cli->stack_files[i], first_diag, &file);
		return status ? status : render_plugin(env, &file);
	}
	struct stack_result result;
	bool loaded = stack_fold_finish(&fold, &result);
	int status = render_result(env, &result, loaded, env->version);
	stack_fold_release(&fold);
	return status;
}

int cmd_render(const struct cli *cli)
{
	struct cmd_env env;
	int status = cmd_env_open(&env, cli);
	if (status == 0)
		status = render_stack(&env);
	cmd_env_close(&env);
	return status;
}
