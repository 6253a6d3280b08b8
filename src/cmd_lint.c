/*
 * `dkfpolicy lint`: check each FILE on its own, on top of deployKF's defaults
 * and the -f stack, so a pre-commit hook can pass many files at once; with
 * no FILE, check the -f stack itself.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "check_size.h"
#include "xalloc.h"

/* Every Application of deployKF's plugin in a manifest file, each its own
 * stack (--application: only that one). */
static int lint_plugin_file(struct cmd_env *env, const char *path, size_t first_diag)
{
	struct plugin_file file;
	int status = cmd_read_plugin_file(env, path, first_diag, &file);
	for (size_t i = 0; status == 0 && i < file.app_count; i++) {
		const struct plugin_app *app = &file.apps[i];
		if (env->cli->application && strcmp(env->cli->application, app->name) != 0)
			continue;
		struct arena arena;
		arena_init(&arena);
		struct stack_result result;
		enum dkf_version version;
		if (plugin_evaluate(&env->plugin, app, &arena, &result, &version))
			check_size_config(&result.config, version, &arena, &env->diags);
		arena_free(&arena);
	}
	return status;
}

static void lint_plugin_environment(struct cmd_env *env)
{
	struct plugin_app app;
	plugin_from_environment(&env->plugin, cmd_environment(), &app);
	struct stack_result result;
	enum dkf_version version;
	if (plugin_evaluate(&env->plugin, &app, &env->arena, &result, &version))
		check_size_config(&result.config, version, &env->arena, &env->diags);
}

static int lint_files(struct cmd_env *env)
{
	const struct cli *cli = env->cli;
	struct report_output o = cmd_report_output(env, cli->format, true);
	if (cli->plugin_env) {
		lint_plugin_environment(env);
		return report_finish(&env->report, &o);
	}
	struct stack_layer *layers = xcalloc(cli->stack_count + 2, sizeof(*layers));
	size_t stacked = 0;
	for (size_t i = 0; i < cli->stack_count; i++) {
		char err[512];
		size_t first_diag = env->diags.count;
		if (stack_load(&env->stack, cli->stack_files[i], &env->arena, &layers[stacked], err,
			       sizeof(err)) != 0) {
			free(layers);
			return cmd_trouble(err);
		}
		if (!stack_layer_is_manifest(&layers[stacked])) {
			stacked++;
			continue;
		}
		/* an Argo CD Application is a whole stack of its own, not a layer */
		int status = lint_plugin_file(env, cli->stack_files[i], first_diag);
		if (status) {
			free(layers);
			return status;
		}
	}
	struct stack_result result;
	if (cli->file_count == 0) {
		if ((stacked || stacked == cli->stack_count) &&
		    stack_evaluate(&env->stack, layers, stacked, &env->arena, &result))
			check_size_config(&result.config, env->version, &env->arena, &env->diags);
	} else {
		/* each file on its own, on top of the shared -f stack */
		for (size_t i = 0; i < cli->file_count; i++) {
			/*
			 * A file's nodes, and what its stack evaluates to, are dropped
			 * once it is checked (diagnostics live in the run's arena), so
			 * memory stays flat however many files a pre-commit hook passes.
			 */
			struct arena file_arena;
			arena_init(&file_arena);
			char err[512];
			size_t first_diag = env->diags.count;
			int rc = stack_load(&env->stack, cli->files[i], &file_arena, &layers[stacked],
					    err, sizeof(err));
			if (rc == 0 && stack_layer_is_manifest(&layers[stacked])) {
				arena_free(&file_arena);
				rc = lint_plugin_file(env, cli->files[i], first_diag);
				if (rc) {
					free(layers);
					return rc;
				}
				continue;
			}
			if (rc == 0 && stack_evaluate(&env->stack, layers, stacked + 1, &file_arena,
						      &result))
				check_size_config(&result.config, env->version, &file_arena,
						   &env->diags);
			arena_free(&file_arena);
			if (rc != 0) {
				free(layers);
				return cmd_trouble(err);
			}
		}
	}
	free(layers);
	return report_finish(&env->report, &o);
}

int cmd_lint(const struct cli *cli)
{
	struct cmd_env env;
	int status = cmd_env_open(&env, cli);
	for (size_t i = 0; status == 0 && i < cli->file_count; i++)
		report_input(&env.report, cli->files[i]);
	if (status == 0)
		status = lint_files(&env);
	cmd_env_close(&env);
	return status;
}
