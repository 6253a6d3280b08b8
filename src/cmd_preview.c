/*
 * `dkfpolicy preview`: what the policy's add-image-pull-secrets-to-pods rule
 * does to a Pod created from each manifest (a Pod, or the Pod template of a
 * Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob): the
 * resulting imagePullSecrets, or why it is left alone.
 */
#include <stdlib.h>
#include <string.h>

#include "check_block.h"
#include "cmd.h"
#include "kdoc.h"
#include "names.h"
#include "nsmatch.h"
#include "xalloc.h"

struct preview_options {
	const char *default_namespace; /* for manifests without metadata.namespace */
	bool yaml;                     /* print the mutated manifests, not a summary */
};

/* Where each kind keeps the spec of the Pods it creates. */
struct workload {
	const char *kind;
	const char *const *path; /* NULL-terminated keys from the document root */
};

static const char *const pod_path[] = { "spec", NULL };
static const char *const template_path[] = { "spec", "template", "spec", NULL };
static const char *const cronjob_path[] = {
	"spec", "jobTemplate", "spec", "template", "spec", NULL
};

static const struct workload workloads[] = {
	{ "Pod", pod_path },
	{ "Deployment", template_path },
	{ "StatefulSet", template_path },
	{ "DaemonSet", template_path },
	{ "ReplicaSet", template_path },
	{ "Job", template_path },
	{ "CronJob", cronjob_path },
};

struct previewer {
	const struct policy *policy;
	bool renders;
	const struct preview_options *options;
	struct nsmatch match;
	struct arena *arena;
	struct diag_list *diags;
	struct strbuf *out;
};

static const struct workload *find_workload(const char *kind)
{
	for (size_t i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++)
		if (strcmp(workloads[i].kind, kind) == 0)
			return &workloads[i];
	return NULL;
}

/* A name from a manifest, which may hold anything: shown escaped (strbuf.h). */
static void add_name(struct previewer *pv, const char *s)
{
	strbuf_add_display(pv->out, s, strlen(s), false);
}

static void line_start(struct previewer *pv, const struct kdoc_node *obj, const char *kind,
		       const char *ns, const char *name)
{
	if (pv->options->yaml)
		return;
	add_name(pv, obj->mark.file);
	strbuf_addf(pv->out, ":%u: ", obj->mark.line);
	add_name(pv, kind);
	strbuf_addch(pv->out, ' ');
	if (ns) {
		add_name(pv, ns);
		strbuf_addch(pv->out, '/');
	}
	add_name(pv, name);
	strbuf_adds(pv->out, ": ");
}

static void line_add(struct previewer *pv, const char *text)
{
	if (!pv->options->yaml)
		strbuf_adds(pv->out, text);
}

/* The Pod spec of obj, following path; reports a missing or wrong step. */
static struct kdoc_node *pod_spec(struct previewer *pv, const struct kdoc_node *obj,
				  const struct workload *w, const char *label)
{
	const struct kdoc_node *at = obj;
	char where[128] = "";
	for (size_t i = 0; w->path[i]; i++) {
		size_t used = strlen(where);
		snprintf(where + used, sizeof(where) - used, "%s%s", i ? "." : "", w->path[i]);
		struct kdoc_node *next = kdoc_get(at, w->path[i]);
		if (!next || next->kind != NODE_MAP) {
			diag_add(pv->diags, DKF131, next ? next->mark : at->mark,
				 "%s: '%s' is %s; a %s keeps its Pod spec there", label, where,
				 !next || kdoc_is_null(next) ? "missing" : "not a map", w->kind);
			return NULL;
		}
		at = next;
	}
	return (struct kdoc_node *)at;
}

static void preview_object(struct previewer *pv, struct kdoc_node *obj, const char *where);

static void preview_list(struct previewer *pv, struct kdoc_node *list)
{
	struct kdoc_node *items = kdoc_get(list, "items");
	if (!items || items->kind != NODE_SEQ) {
		if (!kdoc_is_null(items))
			diag_add(pv->diags, DKF131, items->mark,
				 "a List's 'items' must be a list of objects");
		return;
	}
	/* one level: a List of Lists is not something kubectl prints */
	for (size_t i = 0; i < items->count; i++) {
		struct kdoc_node *item = items->items[i];
		const char *kind = kdoc_string(kdoc_get(item, "kind"));
		if (kind && strcmp(kind, "List") == 0) {
			diag_add(pv->diags, DKF131, item->mark, "a List inside a List; flatten it");
			continue;
		}
		preview_object(pv, item, "this list item");
	}
}

static void preview_object(struct previewer *pv, struct kdoc_node *obj, const char *where)
{
	if (obj->kind != NODE_MAP) {
		diag_add(pv->diags, DKF131, obj->mark,
			 "%s is a %s, not a Kubernetes object (a map with 'kind')", where,
			 obj->kind == NODE_SEQ ? "list" : "scalar");
		return;
	}
	const char *kind = kdoc_string(kdoc_get(obj, "kind"));
	if (!kind) {
		diag_add(pv->diags, DKF131, obj->mark,
			 "%s has no 'kind'; name what it is (Pod, Deployment, ...)", where);
		return;
	}
	if (strcmp(kind, "List") == 0) {
		preview_list(pv, obj);
		return;
	}
	const struct kdoc_node *meta = kdoc_get(obj, "metadata");
	const char *name = kdoc_string(kdoc_get(meta, "name"));
	if (!name)
		name = kdoc_string(kdoc_get(meta, "generateName"));
	if (!name)
		name = "(unnamed)";
	const struct workload *w = find_workload(kind);
	if (!w) {
		line_start(pv, obj, kind, NULL, name);
		line_add(pv, "skipped: not a Pod or a Pod controller\n");
		return;
	}
	const char *ns = kdoc_string(kdoc_get(meta, "namespace"));
	if (!ns || !*ns)
		ns = pv->options->default_namespace;
	struct kdoc_node *spec = pod_spec(pv, obj, w, arena_printf(pv->arena, "%s %s", kind, name));
	if (!spec)
		return;

	struct kdoc_pair *pair = kdoc_get_pair(spec, "imagePullSecrets");
	struct kdoc_node *existing = pair && !kdoc_is_null(pair->value) ? pair->value : NULL;
	if (existing && existing->kind != NODE_SEQ) {
		diag_add(pv->diags, DKF131, existing->mark,
			 "%s %s: imagePullSecrets is a %s; it must be a list such as "
			 "[{name: \"regcred\"}]",
			 kind, name, existing->kind == NODE_MAP ? "map" : "scalar");
		return;
	}

	line_start(pv, obj, kind, ns, name);
	const char *pattern;
	enum nsmatch_reason reason = nsmatch_classify(&pv->match, ns, strlen(ns), &pattern);
	if (!pv->renders) {
		line_add(pv, "unchanged: the policy renders nothing\n");
		return;
	}
	if (reason == NSMATCH_KYVERNO_NAMESPACE) {
		if (!pv->options->yaml)
			strbuf_addf(pv->out, "unchanged: '%s' is the kyverno namespace\n",
				    pv->policy->kyverno_namespace);
		return;
	}
	if (reason == NSMATCH_PATTERN) {
		if (!pv->options->yaml) {
			strbuf_adds(pv->out, "unchanged: namespace '");
			add_name(pv, ns);
			strbuf_addf(pv->out, "' is excluded by '%s'\n", pattern);
		}
		return;
	}

	/*
	 * The rule's patchesJson6902 adds each copy at /spec/imagePullSecrets/-:
	 * an append, so the Pod's own entries stay first; Kyverno applies JSON
	 * patches creating a missing list (EnsurePathExistsOnAdd).
	 */
	size_t kept = existing ? existing->count : 0;
	size_t added = pv->policy->credential_count;
	struct kdoc_node *result = kdoc_new_seq(pv->arena, kept + added, spec->mark);
	for (size_t i = 0; i < kept; i++)
		result->items[result->count++] = existing->items[i];
	char copy[NSMATCH_CLONE_NAME_MAX];
	for (size_t c = 0; c < added; c++) {
		nsmatch_clone_name(c, copy, sizeof(copy));
		struct kdoc_node *entry = kdoc_new_map(pv->arena, 1, spec->mark);
		kdoc_map_append(pv->arena, entry,
				kdoc_new_string(pv->arena, "name", spec->mark, true),
				kdoc_new_string(pv->arena, copy, spec->mark, false));
		result->items[result->count++] = entry;
	}
	if (pv->options->yaml) {
		if (pair)
			pair->value = result;
		else
			kdoc_map_append(pv->arena, spec,
					kdoc_new_string(pv->arena, "imagePullSecrets", spec->mark,
							true),
					result);
		return;
	}
	strbuf_adds(pv->out, strcmp(kind, "Pod") == 0 ? "gets" : "its Pods get");
	strbuf_adds(pv->out, " imagePullSecrets [");
	for (size_t i = 0; i < result->count; i++) {
		const char *entry = kdoc_string(kdoc_get(result->items[i], "name"));
		strbuf_adds(pv->out, i ? ", " : "");
		add_name(pv, entry ? entry : "(no name)");
	}
	strbuf_addf(pv->out, "] (%zu kept, %zu added)\n", kept, added);
}

/* A Secret holds credentials: -o yaml never writes one back. Any apiVersion:
 * what matters is what the object may hold, not whether the API server
 * would take it. */
static bool is_secret(const struct kdoc_node *obj)
{
	const char *kind = obj && obj->kind == NODE_MAP ? kdoc_string(kdoc_get(obj, "kind")) : NULL;
	return kind && strcmp(kind, "Secret") == 0;
}

static void note_secret_left_out(struct previewer *pv, const struct kdoc_node *obj)
{
	struct diag *d = diag_add(pv->diags, DKF131, obj->mark,
				  "this Secret is left out of the YAML: preview never prints a "
				  "Secret's data; apply it from its own file");
	d->severity = DIAG_INFO; /* nothing is wrong with it */
}

/*
 * Drop the Secrets among the items of list, and of Lists inside it (an
 * error, but one that can be silenced), each with a note. A work list
 * instead of recursion: nesting is bounded only by --max-depth.
 */
static void leave_out_listed_secrets(struct previewer *pv, struct kdoc_node *list)
{
	size_t count = 1, alloc = 8;
	struct kdoc_node **todo = xmalloc(alloc * sizeof(*todo));
	todo[0] = list;
	while (count) {
		struct kdoc_node *items = kdoc_get(todo[--count], "items");
		if (!items || items->kind != NODE_SEQ)
			continue;
		size_t kept = 0;
		for (size_t i = 0; i < items->count; i++) {
			struct kdoc_node *item = items->items[i];
			const char *kind = kdoc_string(kdoc_get(item, "kind"));
			if (is_secret(item)) {
				note_secret_left_out(pv, item);
				continue;
			}
			if (kind && strcmp(kind, "List") == 0) {
				if (count == alloc)
					todo = xrealloc(todo, (alloc *= 2) * sizeof(*todo));
				todo[count++] = item;
			}
			items->items[kept++] = item;
		}
		items->count = kept;
	}
	free(todo);
}

/* -o yaml: no Secret, whole or inside a List, reaches the output. */
static void leave_out_secrets(struct previewer *pv, struct kdoc_file *files, size_t count)
{
	for (size_t f = 0; f < count; f++)
		for (size_t d = 0; d < files[f].count; d++) {
			struct kdoc_node *root = files[f].docs[d].root;
			const char *kind = root ? kdoc_string(kdoc_get(root, "kind")) : NULL;
			if (is_secret(root)) {
				note_secret_left_out(pv, root);
				files[f].docs[d].root = NULL; /* kdoc_emit skips it */
			} else if (kind && strcmp(kind, "List") == 0) {
				leave_out_listed_secrets(pv, root);
			}
		}
}

/* Preview every document of files[0..count) against the policy of a valid
 * block: a summary line per manifest, or with options->yaml every document
 * with its Pod templates mutated (in place), appended to out. Adds DKF131
 * errors for manifests that cannot be previewed. */
static void preview_files(const struct policy *policy, bool renders, struct kdoc_file *files,
			  size_t count, const struct preview_options *options, struct arena *arena,
			  struct diag_list *diags, struct strbuf *out)
{
	struct previewer pv = { policy, renders, options, { NULL, NULL }, arena, diags, out };
	nsmatch_init(&pv.match, policy);
	for (size_t f = 0; f < count; f++)
		for (size_t d = 0; d < files[f].count; d++)
			if (files[f].docs[d].root)
				preview_object(&pv, files[f].docs[d].root, "the document");
	if (options->yaml)
		leave_out_secrets(&pv, files, count);
	if (options->yaml)
		for (size_t f = 0; f < count; f++)
			if (kdoc_emit(files[f].docs, files[f].count, out) != 0) {
				struct mark at = mark_at(files[f].name, 0, 0);
				diag_add(diags, DKF131, at,
					 "the manifests of this file cannot be written back as YAML");
			}
	nsmatch_release(&pv.match);
}

static int run_preview(struct cmd_env *env)
{
	const struct cli *cli = env->cli;
	if (cli->output && strcmp(cli->output, "text") != 0 && strcmp(cli->output, "yaml") != 0) {
		cli_usage_error("preview prints 'text' or 'yaml', not '%s'", cli->output);
		return DKF_EXIT_TROUBLE;
	}
	enum name_problem bad = cli->namespace
					? names_check_label(cli->namespace, strlen(cli->namespace))
					: NAME_OK;
	if (bad != NAME_OK) {
		cli_usage_error("--namespace '%s' %s; name a namespace (lower-case letters, digits "
				"and '-')",
				cli->namespace, names_problem_text_for(bad, NAMES_LABEL_MAX));
		return DKF_EXIT_TROUBLE;
	}
	struct stack_result result;
	struct policy policy;
	int status = cmd_evaluate_policy(env, &result, &policy);
	if (status >= 0)
		return status;
	struct kdoc_file *files = xcalloc(cli->file_count + 1, sizeof(*files));
	bool failed = false;
	for (size_t i = 0; i < cli->file_count; i++) {
		char err[512];
		if (kdoc_load(cli->files[i], cli->max_bytes, &cli->limits, &env->arena, &env->diags,
			      &files[i], err, sizeof(err)) != 0) {
			free(files);
			return cmd_trouble(err);
		}
		failed = failed || files[i].failed;
	}
	struct strbuf text;
	strbuf_init(&text);
	struct preview_options options = { cli->namespace ? cli->namespace : "default",
					   cli->output && strcmp(cli->output, "yaml") == 0 };
	/* a manifest that does not load (DKF131) previews nothing, silenced or not */
	if (!failed && report_errors(&env->report) == 0)
		preview_files(&policy, ips_config_renders(&result.config), files, cli->file_count,
			      &options, &env->arena, &env->diags, &text);
	free(files);
	return cmd_finish_with(env, &text, !failed, "preview");
}

int cmd_preview(const struct cli *cli)
{
	struct cmd_env env;
	int status = cmd_env_open(&env, cli);
	for (size_t i = 0; status == 0 && i < cli->file_count; i++)
		report_input(&env.report, cli->files[i]);
	if (status == 0)
		status = run_preview(&env);
	cmd_env_close(&env);
	return status;
}
