#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_block.h"
#include "names.h"
#include "output.h"
#include "check_risk.h"
#include "check_size.h"
#include "xalloc.h"

/* POSIX defines it but declares it in no header (glibc only under _GNU_SOURCE) */
extern char **environ;

char *const *cmd_environment(void)
{
	return environ;
}

int cmd_whole_stack_alone(const char *path)
{
	char why[1024];
	snprintf(why, sizeof(why),
		 "'%s' holds Kubernetes manifests, not values, so it cannot be a layer of a "
		 "stack: an Argo CD Application of deployKF's plugin is a whole stack, give it on "
		 "its own, without other values files; other manifests go to preview or "
		 "namespaces --from",
		 path);
	return cmd_trouble(why);
}

int cmd_trouble(const char *reason)
{
	/* a reason names files, and a file name may hold a newline or an ESC */
	struct strbuf line;
	strbuf_init(&line);
	strbuf_adds(&line, "dkfpolicy: ");
	strbuf_add_display(&line, reason, strlen(reason), false);
	strbuf_addch(&line, '\n');
	fputs(line.buf, stderr);
	strbuf_release(&line);
	return DKF_EXIT_TROUBLE;
}

int cmd_env_open(struct cmd_env *env, const struct cli *cli)
{
	memset(env, 0, sizeof(*env));
	env->cli = cli;
	arena_init(&env->arena);
	diag_list_init(&env->diags, &env->arena);
	excerpt_book_init(&env->book, &env->arena);
	env->diags.book = &env->book;
	report_init(&env->report, &env->diags, &env->config);
	for (size_t i = 0; i < cli->stack_count; i++)
		report_input(&env->report, cli->stack_files[i]);

	char err[512];
	if (config_load(cli->config_path, &env->arena, &env->diags, &env->config, err,
			sizeof(err)) != 0)
		return cmd_trouble(err);
	struct stack_options *o = &env->stack_options;
	o->source_path = cli->source_path;
	o->max_bytes = cli->max_bytes;
	o->limits = cli->limits;
	o->expected_excludes = risk_default_excludes;
	o->expected_exclude_count = risk_default_exclude_count;
	if (env->config.expected_excludes) {
		o->expected_excludes = env->config.expected_excludes;
		o->expected_exclude_count = env->config.expected_exclude_count;
	}
	o->known_namespaces = env->config.known_namespaces;
	o->known_namespace_count = env->config.known_namespace_count;
	/* --deploykf-version wins over the configuration */
	env->version = cli->version;
	if (env->config.has_version && !(cli->given & CLI_OPT(OPT_DEPLOYKF_VERSION)))
		env->version = env->config.version;
	if (stack_init(&env->stack, o, &env->arena, &env->diags, err, sizeof(err)) != 0)
		return cmd_trouble(err);
	env->plugin = (struct plugin_context){
		.options = &env->stack_options,
		.arena = &env->arena,
		.diags = &env->diags,
		.repo_root = cli->repo_root,
		.is_strict = cli->strict,
		.has_version_option = (cli->given & CLI_OPT(OPT_DEPLOYKF_VERSION)) != 0,
		.version_option = cli->version,
	};
	return 0;
}

int cmd_read_plugin_file(struct cmd_env *env, const char *path, size_t first_diag,
			 struct plugin_file *out)
{
	/* what the values loader said about a manifest is no finding */
	if (env->diags.count > first_diag)
		env->diags.count = first_diag;
	char err[512];
	if (plugin_read_file(&env->plugin, path, out, err, sizeof(err)) != 0)
		return cmd_trouble(err);
	return 0;
}

const struct plugin_app *cmd_pick_application(struct cmd_env *env, const struct plugin_file *file,
					      int *status)
{
	const char *want = env->cli->application;
	for (size_t i = 0; want && i < file->app_count; i++)
		if (strcmp(file->apps[i].name, want) == 0)
			return &file->apps[i];
	if (!want && file->app_count == 1)
		return &file->apps[0];
	struct strbuf names;
	strbuf_init(&names);
	for (size_t i = 0; i < file->app_count; i++)
		strbuf_addf(&names, "%s'%s'", i ? ", " : "", file->apps[i].name);
	char why[1024];
	if (file->app_count == 0)
		snprintf(why, sizeof(why),
			 "'%s' holds no Argo CD Application that uses deployKF's plugin",
			 file->name);
	else if (want)
		snprintf(why, sizeof(why), "'%s' holds no Application '%s'; it holds %s",
			 file->name, want, names.buf);
	else
		snprintf(why, sizeof(why),
			 "'%s' holds %zu Applications of deployKF's plugin (%s); name one with "
			 "--application NAME",
			 file->name, file->app_count, names.buf);
	strbuf_release(&names);
	struct report_output o = cmd_report_output(env, env->cli->format, false);
	if (!report_output_takes_messages(&o)) {
		/* a JSON document on stderr cannot be followed by the reason:
		 * errors of the file (they are why) go as the document, else the
		 * reason alone, as for any other trouble */
		if (file->app_count == 0 && report_errors(&env->report)) {
			*status = report_finish(&env->report, &o);
			return NULL;
		}
		*status = cmd_trouble(why);
		return NULL;
	}
	/* what the file's reading found (DKF14x) comes first */
	int rc = report_finish(&env->report, &o);
	*status = cmd_trouble(why);
	if (rc == DKF_EXIT_FINDINGS && file->app_count == 0)
		*status = DKF_EXIT_FINDINGS;
	return NULL;
}

void cmd_env_close(struct cmd_env *env)
{
	stacks_release(&env->stacks);
	report_release(&env->report);
	diag_list_release(&env->diags);
	excerpt_book_release(&env->book);
	arena_free(&env->arena);
	names_release();
	check_size_release();
}

struct report_output cmd_report_output(const struct cmd_env *env, const char *format,
				       bool machine_on_stdout)
{
	struct report_output o = {
		&report_text_format, stderr, { false, cli_tool_version }, env->cli->strict
	};
	for (size_t i = 0; format && report_formats[i]; i++)
		if (strcmp(report_formats[i]->name, format) == 0)
			o.format = report_formats[i];
	if (machine_on_stdout && o.format != &report_text_format)
		o.out = stdout;
	/* colour is for a person at a terminal: stderr's */
	o.ctx.color = o.out == stderr && cli_use_color(env->cli);
	return o;
}

static int evaluated(struct cmd_env *env, struct stack_result *result, bool loaded,
		     enum dkf_version version, struct policy *policy);

int cmd_evaluate_policy(struct cmd_env *env, struct stack_result *result, struct policy *policy)
{
	const struct cli *cli = env->cli;
	enum dkf_version version = env->version;
	bool loaded = false;
	if (cli->stack_name) {
		int status = cmd_evaluate_named_stack(env, result, &version, &loaded);
		if (status)
			return status;
		return evaluated(env, result, loaded, version, policy);
	}
	struct stack_layer *layers = xcalloc(cli->stack_count + 1, sizeof(*layers));
	for (size_t i = 0; i < cli->stack_count; i++) {
		char err[512];
		size_t first_diag = env->diags.count;
		if (stack_load(&env->stack, cli->stack_files[i], &env->arena, &layers[i], err,
			       sizeof(err)) != 0) {
			free(layers);
			return cmd_trouble(err);
		}
		if (!stack_layer_is_manifest(&layers[i]))
			continue;
		/* an Argo CD Application is a whole stack, not a layer of one */
		free(layers);
		if (cli->stack_count > 1)
			return cmd_whole_stack_alone(cli->stack_files[i]);
		struct plugin_file file;
		int status = cmd_read_plugin_file(env, cli->stack_files[i], first_diag, &file);
		if (status)
			return status;
		const struct plugin_app *app = cmd_pick_application(env, &file, &status);
		if (!app)
			return status;
		layers = NULL;
		loaded = plugin_evaluate(&env->plugin, app, &env->arena, result, &version);
		break;
	}
	if (layers) {
		loaded = stack_evaluate(&env->stack, layers, cli->stack_count, &env->arena, result);
		free(layers);
	}
	return evaluated(env, result, loaded, version, policy);
}

/* The end of cmd_evaluate_policy: the policy, or the report of why not. */
static int evaluated(struct cmd_env *env, struct stack_result *result, bool loaded,
		     enum dkf_version version, struct policy *policy)
{
	bool buildable = loaded && !result->config.unrenderable;
	if (!buildable || report_errors(&env->report)) {
		struct report_output o = cmd_report_output(env, NULL, false);
		return report_result(&env->report, &o, buildable, "policy");
	}
	ips_config_to_policy(&result->config, version, &env->arena, policy);
	return -1;
}

int cmd_finish_with(struct cmd_env *env, struct strbuf *text, bool built, const char *what)
{
	struct report_output o = cmd_report_output(env, NULL, false);
	int status = report_result(&env->report, &o, built, what);
	if (status == DKF_EXIT_OK && text->len) {
		char err[512];
		if (output_stdout(text->buf, text->len, err, sizeof(err)) != 0)
			status = cmd_trouble(err);
	}
	strbuf_release(text);
	return status;
}
