/*
 * `dkfpolicy lint`: check each FILE on its own, on top of deployKF's defaults
 * and the -f stack, so a pre-commit hook can pass many files at once; with
 * no FILE, check the -f stack itself.
 */
#include <stdlib.h>

#include "cmd.h"
#include "rsize.h"
#include "xalloc.h"

static int lint_files(struct cmd_env *env)
{
	const struct cli *cli = env->cli;
	struct stack_layer *layers = NULL;
	int status = cmd_load_layers(env, cli->stack_files, cli->stack_count, &layers);
	if (status) {
		free(layers);
		return status;
	}
	struct stack_result result;
	if (cli->file_count == 0) {
		if (stack_evaluate(&env->stack, layers, cli->stack_count, &env->arena, &result))
			rsize_check_config(&result.config, env->version, &env->arena, &env->diags);
	} else {
		/* each file on its own, on top of the shared -f stack */
		layers = xrealloc(layers, (cli->stack_count + 1) * sizeof(*layers));
		for (size_t i = 0; i < cli->file_count; i++) {
			/*
			 * A file's nodes, and what its stack evaluates to, are dropped
			 * once it is checked (diagnostics live in the run's arena), so
			 * memory stays flat however many files a pre-commit hook passes.
			 */
			struct arena file_arena;
			arena_init(&file_arena);
			char err[512];
			int rc = stack_load(&env->stack, cli->files[i], &file_arena,
					    &layers[cli->stack_count], err, sizeof(err));
			if (rc == 0 && stack_evaluate(&env->stack, layers, cli->stack_count + 1,
						      &file_arena, &result))
				rsize_check_config(&result.config, env->version, &file_arena,
						   &env->diags);
			arena_free(&file_arena);
			if (rc != 0) {
				free(layers);
				return cmd_trouble(err);
			}
		}
	}
	free(layers);
	struct report_output o = cmd_report_output(env, cli->format, true);
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
