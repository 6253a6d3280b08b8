/*
 * `dkfpolicy lint`: check each FILE on its own, on top of deployKF's defaults
 * and the -f stack, so a pre-commit hook can pass many files at once; with
 * no FILE, check the -f stack itself. When .dkfpolicy.yaml declares stacks
 * (and no -f is given), each FILE is checked in the stacks that hold it.
 */
#include <stdio.h>
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
	const char *want = env->cli->application;
	if (status == 0 && want) {
		/* --application that names none: say so, as render does */
		bool found = false;
		for (size_t i = 0; i < file.app_count; i++)
			found |= strcmp(want, file.apps[i].name) == 0;
		if (!found)
			return cmd_pick_application(env, &file, &status) ? 0 : status;
	}
	for (size_t i = 0; status == 0 && i < file.app_count; i++) {
		const struct plugin_app *app = &file.apps[i];
		if (want && strcmp(want, app->name) != 0)
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

/*
 * Check one file on top of layers[0, stacked) (the -f stack), in an arena of
 * its own: its nodes, and what its stack evaluates to, are dropped once it
 * is checked (diagnostics live in the run's arena), so memory stays flat
 * however many files a pre-commit hook passes. layers has room for one more.
 */
static int lint_one_file(struct cmd_env *env, struct stack_layer *layers, size_t stacked,
			 const char *path)
{
	struct arena file_arena;
	arena_init(&file_arena);
	char err[512];
	size_t first_diag = env->diags.count;
	int rc = stack_load(&env->stack, path, &file_arena, &layers[stacked], err, sizeof(err));
	if (rc == 0 && stack_layer_is_manifest(&layers[stacked])) {
		arena_free(&file_arena);
		if (stacked)
			return cmd_whole_stack_alone(path);
		return lint_plugin_file(env, path, first_diag);
	}
	struct stack_result result;
	if (rc == 0 && stack_evaluate(&env->stack, layers, stacked + 1, &file_arena, &result))
		check_size_config(&result.config, env->version, &file_arena, &env->diags);
	arena_free(&file_arena);
	return rc != 0 ? cmd_trouble(err) : 0;
}

/*
 * With stacks declared (and no -f): each FILE is checked as part of every
 * stack that holds it, whole; a FILE in no stack alone, with an info that
 * says so; a stack's committed output is check's business, not lint's. No
 * FILE: every stack (--stack: that one).
 */
static int lint_declared(struct cmd_env *env)
{
	const struct cli *cli = env->cli;
	struct stack_decls *decls = cmd_stacks(env);
	bool *which = xcalloc(decls->count + 1, sizeof(*which));
	const char **alone = xcalloc(cli->file_count + 1, sizeof(*alone));
	size_t alone_count = 0;
	int status = 0;
	if (cli->stack_name) {
		const struct stack_decl *d = cmd_pick_stack(env, &status);
		if (d)
			which[d - decls->items] = true;
	} else if (cli->file_count == 0) {
		for (size_t i = 0; i < decls->count; i++)
			which[i] = true;
	} else {
		cmd_stacks_learn_applications(env);
	}
	for (size_t i = 0; status == 0 && i < cli->file_count; i++) {
		struct file_id id;
		const struct stack_holder *h = NULL;
		if (stacks_file_id(cli->files[i], &id))
			h = stacks_first_holder(decls, &id);
		if (!h) {
			alone[alone_count++] = cli->files[i];
			continue;
		}
		for (; h; h = stacks_next_holder(decls, h))
			if (!h->is_output)
				which[h->stack] = true;
	}
	if (status == 0)
		status = cmd_lint_stacks(env, which, NULL, NULL);
	for (size_t i = 0; i < alone_count; i++)
		report_input(&env->report, alone[i]);
	struct stack_layer layers[1];
	for (size_t i = 0; status == 0 && i < alone_count; i++) {
		struct mark at = mark_at(alone[i], 0, 0);
		diag_add(&env->diags, DKF124, at,
			 "the file is in no stack of %s, so it is checked alone on deployKF's "
			 "defaults; add it to the values of its stack",
			 decls->config_path);
		status = lint_one_file(env, layers, 0, alone[i]);
	}
	free(alone);
	free(which);
	return status;
}

/* Whether lint checks the declared stacks: some are declared (or --stack
 * asks for one) and no -f names a stack of its own. */
static bool uses_declared_stacks(const struct cmd_env *env)
{
	const struct cli *cli = env->cli;
	return cli->stack_count == 0 && !cli->plugin_env &&
	       (env->config.stack_count || cli->stack_name);
}

static int lint_files(struct cmd_env *env)
{
	const struct cli *cli = env->cli;
	struct report_output o = cmd_report_output(env, cli->format, true);
	if (cli->plugin_env) {
		lint_plugin_environment(env);
		return report_finish(&env->report, &o);
	}
	if (uses_declared_stacks(env)) {
		int status = lint_declared(env);
		return status ? status : report_finish(&env->report, &o);
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
		if (cli->stack_count > 1) {
			free(layers);
			return cmd_whole_stack_alone(cli->stack_files[i]);
		}
		int status = lint_plugin_file(env, cli->stack_files[i], first_diag);
		if (status) {
			free(layers);
			return status;
		}
	}
	struct stack_result result;
	int status = 0;
	if (cli->file_count == 0) {
		if ((stacked || stacked == cli->stack_count) &&
		    stack_evaluate(&env->stack, layers, stacked, &env->arena, &result))
			check_size_config(&result.config, env->version, &env->arena, &env->diags);
	} else {
		/* each file on its own, on top of the shared -f stack */
		for (size_t i = 0; status == 0 && i < cli->file_count; i++)
			status = lint_one_file(env, layers, stacked, cli->files[i]);
	}
	free(layers);
	return status ? status : report_finish(&env->report, &o);
}

int cmd_lint(const struct cli *cli)
{
	struct cmd_env env;
	int status = cmd_env_open(&env, cli);
	/* findings go in the order of the files; the stacks' files are named
	 * as the stacks are checked */
	for (size_t i = 0; status == 0 && !uses_declared_stacks(&env) && i < cli->file_count; i++)
		report_input(&env.report, cli->files[i]);
	if (status == 0)
		status = lint_files(&env);
	cmd_env_close(&env);
	return status;
}
