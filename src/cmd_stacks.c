/*
 * The stacks a repository declares (.dkfpolicy.yaml `stacks:`, stacks.h), as
 * the commands use them: evaluating one, picking the one --stack names, and
 * linting several at once with each finding reported once.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_size.h"
#include "cmd.h"
#include "xalloc.h"

struct stack_decls *cmd_stacks(struct cmd_env *env)
{
	if (!env->has_stacks) {
		stacks_resolve(&env->config, &env->arena, &env->diags, &env->stacks);
		env->has_stacks = true;
	}
	return &env->stacks;
}

/* An Application's values_files are read under --repo-root, else under the
 * folder of the configuration that declares its stack: the repository's top,
 * the folder pre-commit and CI run in. */
static struct plugin_context stack_plugin_context(const struct cmd_env *env,
						  const struct stack_decls *decls)
{
	struct plugin_context ctx = env->plugin;
	if (!ctx.repo_root)
		ctx.repo_root = decls->folder;
	return ctx;
}

void cmd_stacks_learn_applications(struct cmd_env *env)
{
	struct stack_decls *decls = cmd_stacks(env);
	for (size_t i = 0; i < decls->count; i++) {
		const struct stack_decl *d = &decls->items[i];
		if (!d->is_valid || !d->application)
			continue;
		/* read once more, quietly and apart: what the file says is said
		 * when its stack is checked */
		struct arena scratch;
		arena_init(&scratch);
		struct diag_list quiet;
		diag_list_init(&quiet, &scratch);
		struct plugin_context ctx = stack_plugin_context(env, decls);
		ctx.arena = &scratch;
		ctx.diags = &quiet;
		struct plugin_file file;
		char err[512];
		if (plugin_read_file(&ctx, d->application, &file, err, sizeof(err)) == 0)
			for (size_t a = 0; a < file.app_count; a++) {
				const struct plugin_app *app = &file.apps[a];
				if (d->application_name
					    ? strcmp(app->name, d->application_name) != 0
					    : file.app_count != 1)
					continue;
				for (size_t v = 0; v < app->values_file_count; v++) {
					struct file_id id;
					if (stacks_file_id(plugin_values_path(app, v, &scratch),
							   &id))
						stacks_add_application_file(decls, i, &id,
									    &env->arena);
				}
			}
		diag_list_release(&quiet);
		arena_free(&scratch);
	}
}

static int stack_trouble(struct cmd_env *env, const char *reason)
{
	/* the configuration's own findings (DKF120, DKF123) say more */
	struct report_output o = cmd_report_output(env, env->cli->format, false);
	(void)report_finish(&env->report, &o);
	return cmd_trouble(reason);
}

const struct stack_decl *cmd_pick_stack(struct cmd_env *env, int *status)
{
	const char *want = env->cli->stack_name;
	struct stack_decls *decls = cmd_stacks(env);
	char why[1024];
	if (decls->count == 0) {
		if (env->config.path)
			snprintf(why, sizeof(why), "--stack %s: '%s' declares no stacks", want,
				 env->config.path);
		else
			snprintf(why, sizeof(why),
				 "--stack %s: no .dkfpolicy.yaml declares stacks here (see 'stacks:' "
				 "in README.md)",
				 want);
		*status = stack_trouble(env, why);
		return NULL;
	}
	const struct stack_decl *d = stacks_find(decls, want);
	if (!d) {
		struct strbuf names;
		strbuf_init(&names);
		for (size_t i = 0; i < decls->count; i++)
			if (decls->items[i].name[0])
				strbuf_addf(&names, "%s'%s'", names.len ? ", " : "",
					    decls->items[i].name);
		snprintf(why, sizeof(why),
			 "--stack %s: '%s' declares no such stack; it declares %s", want,
			 env->config.path, names.len ? names.buf : "none with a name");
		strbuf_release(&names);
		*status = stack_trouble(env, why);
		return NULL;
	}
	return d;
}

/* The Application of an application stack: the one applicationName names,
 * or the only one. NULL after a finding at the stack's entry. */
static const struct plugin_app *stack_application(struct cmd_env *env, const struct stack_decl *d,
						  const struct plugin_file *file)
{
	const char *want = d->application_name;
	for (size_t i = 0; want && i < file->app_count; i++)
		if (strcmp(file->apps[i].name, want) == 0)
			return &file->apps[i];
	if (!want && file->app_count == 1)
		return &file->apps[0];
	const struct config_stack *e = d->entry;
	if (file->app_count == 0)
		diag_add(&env->diags, DKF123, e->application.at,
			 "'%s' holds no Argo CD Application that uses deployKF's plugin, so stack "
			 "'%s' is not checked",
			 e->application.text, d->name);
	else if (want)
		diag_add(&env->diags, DKF123, e->application_name.at,
			 "'%s' holds no Application of deployKF's plugin named '%s', so stack '%s' "
			 "is not checked",
			 e->application.text, want, d->name);
	else
		diag_add(&env->diags, DKF123, e->application.at,
			 "'%s' holds %zu Applications of deployKF's plugin; name the one of stack "
			 "'%s' with applicationName",
			 e->application.text, file->app_count, d->name);
	return NULL;
}

static int evaluate_application(struct cmd_env *env, const struct stack_decl *d,
				struct arena *arena, struct stack_result *out,
				enum dkf_version *version, bool *loaded)
{
	char err[512];
	struct plugin_file file;
	struct plugin_context ctx = stack_plugin_context(env, &env->stacks);
	/* the file and its Applications live in the run's arena: findings and
	 * excerpts point into them */
	if (plugin_read_file(&ctx, d->application, &file, err, sizeof(err)) != 0)
		return cmd_trouble(err);
	const struct plugin_app *app = stack_application(env, d, &file);
	if (app)
		*loaded = plugin_evaluate(&ctx, app, arena, out, version);
	return 0;
}

int cmd_evaluate_declared(struct cmd_env *env, const struct stack_decl *d, struct arena *arena,
			  struct stack_result *out, enum dkf_version *version, bool *loaded)
{
	memset(out, 0, sizeof(*out));
	*loaded = false;
	/* --deploykf-version wins, then the stack's own, then the file's */
	*version = env->version;
	if (d->has_version && !(env->cli->given & CLI_OPT(OPT_DEPLOYKF_VERSION)))
		*version = d->version;
	if (d->application)
		return evaluate_application(env, d, arena, out, version, loaded);

	struct stack_options options = env->stack_options;
	struct stack own, *stack = &env->stack;
	char err[512];
	if (d->source_path) {
		options.source_path = d->source_path;
		if (stack_init(&own, &options, arena, &env->diags, err, sizeof(err)) != 0)
			return cmd_trouble(err);
		stack = &own;
	}
	struct stack_layer *layers = xcalloc(d->value_count + 1, sizeof(*layers));
	bool ok = true;
	for (size_t i = 0; i < d->value_count; i++) {
		size_t first_diag = env->diags.count;
		if (stack_load(stack, d->values[i], arena, &layers[i], err, sizeof(err)) != 0) {
			free(layers);
			return cmd_trouble(err);
		}
		if (stack_layer_is_manifest(&layers[i])) {
			/* what reading it as values said is beside the point */
			env->diags.count = first_diag;
			diag_add(&env->diags, DKF123, d->entry->values[i].at,
				 "'%s' is Kubernetes manifests, not values; an Argo CD Application "
				 "is a stack of its own ('application: %s')",
				 d->entry->values[i].text, d->entry->values[i].text);
			ok = false;
		}
	}
	if (ok)
		*loaded = stack_evaluate(stack, layers, d->value_count, arena, out);
	free(layers);
	return 0;
}

int cmd_evaluate_named_stack(struct cmd_env *env, struct stack_result *out,
			     enum dkf_version *version, bool *loaded)
{
	int status = 0;
	memset(out, 0, sizeof(*out));
	*version = env->version;
	*loaded = false;
	const struct stack_decl *d = cmd_pick_stack(env, &status);
	if (!d)
		return status;
	if (d->application)
		report_input(&env->report, d->application);
	for (size_t v = 0; v < d->value_count; v++)
		report_input(&env->report, d->values[v]);
	if (!d->is_valid)
		return 0; /* DKF123 says why */
	return cmd_evaluate_declared(env, d, &env->arena, out, version, loaded);
}

/* One evaluated stack's part of the run. */
struct evaluated {
	size_t decl;        /* index into the declared stacks */
	size_t first, end;  /* its findings: diags[first, end) */
	const char **files; /* the files they can be in (stack_result.files), or NULL */
	size_t file_count;
};

#define NO_STACK SIZE_MAX

/* "in stack 'a'", "in stacks 'a' and 'b'", "in stacks 'a', 'b' and 'c'" */
static const char *context_of(struct arena *arena, const struct stack_decls *decls,
			      const struct evaluated *ev, const size_t *members, size_t count)
{
	struct strbuf text;
	strbuf_init(&text);
	strbuf_adds(&text, count == 1 ? "in stack " : "in stacks ");
	for (size_t i = 0; i < count; i++) {
		if (i)
			strbuf_adds(&text, i + 1 == count ? " and " : ", ");
		strbuf_addf(&text, "'%s'", decls->items[ev[members[i]].decl].name);
	}
	const char *s = arena_strdup(arena, text.buf);
	strbuf_release(&text);
	return s;
}

/* What tells a finding from another: all but the stack it came from. */
static void finding_key(struct strbuf *key, const struct diag *d)
{
	strbuf_reset(key);
	strbuf_addf(key, "%d\037%s\037%u\037%u\037", (int)d->code, d->at.file ? d->at.file : "",
		    d->at.line, d->at.col);
	strbuf_adds(key, d->message);
	strbuf_addch(key, '\037');
	if (d->note)
		strbuf_adds(key, d->note);
}

/*
 * Each finding once: the same finding (code, place, message) from several
 * stacks is kept once. It names the stacks it came from, unless it came from
 * every checked stack that holds its file: true wherever it can be, it needs
 * no qualifier. The contexts of the stacks' own Applications give way to the
 * stacks' names. Linear: two hash sets, one pass each.
 */
static void merge_findings(struct cmd_env *env, const struct stack_decls *decls,
			   const struct evaluated *ev, size_t ev_count, size_t start)
{
	struct diag_list *diags = &env->diags;
	size_t end = diags->count, n = end - start;
	if (n == 0)
		return;
	struct arena scratch;
	arena_init(&scratch);

	/* how many checked stacks hold each file */
	struct strset files;
	strset_init(&files);
	size_t file_total = 0;
	for (size_t k = 0; k < ev_count; k++)
		file_total += ev[k].file_count;
	size_t *holding = xcalloc(file_total + 1, sizeof(*holding));
	size_t *last_stack = xcalloc(file_total + 1, sizeof(*last_stack));
	size_t file_count = 0;
	for (size_t k = 0; k < ev_count; k++)
		for (size_t f = 0; f < ev[k].file_count; f++) {
			const char *name = ev[k].files[f];
			size_t at;
			if (!name)
				continue;
			if (strset_insert(&files, name, strlen(name), file_count, &at)) {
				holding[file_count] = 1;
				last_stack[file_count++] = k;
			} else if (last_stack[at] != k) {
				holding[at]++;
				last_stack[at] = k;
			}
		}

	/* which stack each finding came from */
	size_t *origin = xmalloc(n * sizeof(*origin));
	for (size_t i = 0; i < n; i++)
		origin[i] = NO_STACK;
	for (size_t k = 0; k < ev_count; k++)
		for (size_t i = ev[k].first; i < ev[k].end; i++)
			origin[i - start] = k;

	/* groups of the same finding: a leader, and its stacks in order */
	struct strset groups;
	strset_init(&groups);
	size_t *leader = xmalloc(n * sizeof(*leader));
	size_t *member_head = xmalloc(n * sizeof(*member_head));
	size_t *member_count = xmalloc(n * sizeof(*member_count));
	size_t *members = xmalloc(n * sizeof(*members)); /* stack of each member */
	size_t *member_next = xmalloc(n * sizeof(*member_next));
	size_t *member_tail = xmalloc(n * sizeof(*member_tail));
	bool *dropped = xcalloc(n, sizeof(*dropped));
	size_t group_count = 0;
	struct strbuf key;
	strbuf_init(&key);
	for (size_t i = 0; i < n; i++) {
		if (origin[i] == NO_STACK)
			continue;
		finding_key(&key, &diags->items[start + i]);
		const char *copy = arena_strndup(&scratch, key.buf, key.len);
		size_t g;
		if (strset_insert(&groups, copy, key.len, group_count, &g)) {
			g = group_count++;
			leader[g] = i;
			member_head[g] = member_tail[g] = i;
			member_count[g] = 1;
			members[i] = origin[i];
			member_next[i] = NO_STACK;
			continue;
		}
		dropped[i] = true;
		if (members[member_tail[g]] == origin[i])
			continue; /* one stack said it twice */
		members[i] = origin[i];
		member_next[i] = NO_STACK;
		member_next[member_tail[g]] = i;
		member_tail[g] = i;
		member_count[g]++;
	}
	strbuf_release(&key);

	size_t *names = xmalloc((ev_count + 1) * sizeof(*names));
	for (size_t g = 0; g < group_count; g++) {
		struct diag *d = &diags->items[start + leader[g]];
		size_t relevant = ev_count, at;
		if (d->at.file && strset_find(&files, d->at.file, strlen(d->at.file), &at))
			relevant = holding[at];
		d->context = NULL;
		if (member_count[g] >= relevant)
			continue;
		size_t count = 0;
		for (size_t m = member_head[g]; m != NO_STACK; m = member_next[m])
			names[count++] = members[m];
		d->context = context_of(diags->arena, decls, ev, names, count);
		d->context_at = decls->items[ev[names[0]].decl].entry->name.at;
	}

	size_t kept = start;
	for (size_t i = 0; i < n; i++)
		if (!dropped[i])
			diags->items[kept++] = diags->items[start + i];
	diags->count = kept;

	free(names);
	free(dropped);
	free(member_tail);
	free(member_next);
	free(members);
	free(member_count);
	free(member_head);
	free(leader);
	strset_release(&groups);
	free(origin);
	free(last_stack);
	free(holding);
	strset_release(&files);
	arena_free(&scratch);
}

int cmd_lint_stacks(struct cmd_env *env, const bool *which, cmd_stack_hook hook, void *ctx)
{
	struct stack_decls *decls = cmd_stacks(env);
	struct evaluated *ev = xcalloc(decls->count + 1, sizeof(*ev));
	size_t ev_count = 0;
	/* everything before is settled once, so the stacks' findings can be
	 * settled stack by stack (the hook needs each stack's errors) */
	(void)report_errors(&env->report);
	size_t start = env->diags.count;
	int status = 0;
	for (size_t i = 0; status == 0 && i < decls->count; i++) {
		const struct stack_decl *d = &decls->items[i];
		if (!which[i] || !d->is_valid)
			continue;
		if (d->application)
			report_input(&env->report, d->application);
		for (size_t v = 0; v < d->value_count; v++)
			report_input(&env->report, d->values[v]);
		if (d->output)
			report_input(&env->report, d->output);
		/* a stack's trees go when it is checked: memory stays that of one */
		struct arena arena;
		arena_init(&arena);
		struct evaluated *e = &ev[ev_count++];
		e->decl = i;
		e->first = env->diags.count;
		size_t errors_before = report_errors(&env->report);
		struct stack_result result;
		enum dkf_version version;
		bool loaded;
		status = cmd_evaluate_declared(env, d, &arena, &result, &version, &loaded);
		if (status == 0 && loaded)
			check_size_config(&result.config, version, &arena, &env->diags);
		size_t errors = report_errors(&env->report) - errors_before;
		e->end = env->diags.count;
		if (result.file_count) {
			e->files = arena_alloc(&env->arena, result.file_count * sizeof(*e->files));
			memcpy(e->files, result.files, result.file_count * sizeof(*e->files));
			e->file_count = result.file_count;
		}
		if (status == 0 && hook)
			hook(env, d, &result, loaded, version, errors, ctx);
		arena_free(&arena);
	}
	/* what the hooks added is settled too: the merge leaves it alone */
	(void)report_errors(&env->report);
	merge_findings(env, decls, ev, ev_count, start);
	env->report.settled = env->diags.count;
	free(ev);
	return status;
}
