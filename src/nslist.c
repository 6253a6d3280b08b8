#include "nslist.h"

#include <stdlib.h>
#include <string.h>

#include "kdoc.h"
#include "lines.h"
#include "names.h"
#include "strbuf.h"
#include "strset.h"
#include "xalloc.h"

/*
 * A hash index of the names, so that adding N names and looking them up
 * costs O(N), not O(N^2) (`namespaces --from` a list of 100,000 took
 * minutes). struct nslist is the entries alone, so the index lives in the
 * same heap block, after the alloc entries: 2 * alloc slots, each an entry
 * number + 1, 0 for empty. One block keeps nslist_release a single free;
 * alloc is a power of two, so the slots are too.
 */
_Static_assert(sizeof(struct nslist_entry) % _Alignof(size_t) == 0,
	       "the index after the entries is aligned");

static size_t *index_slots(const struct nslist *list)
{
	return (size_t *)(void *)(list->items + list->alloc);
}

/* The slot of name: the one holding it, or the empty one where it goes. */
static size_t *find_slot(const struct nslist *list, const char *name)
{
	size_t mask = 2 * list->alloc - 1, *slots = index_slots(list);
	size_t at = (size_t)strset_hash(STRSET_HASH_START, name, strlen(name)) & mask;
	while (slots[at] && strcmp(list->items[slots[at] - 1].name, name) != 0)
		at = (at + 1) & mask;
	return &slots[at];
}

/* Room for twice the entries, the index built again for them. */
static void grow(struct nslist *list)
{
	size_t alloc = list->alloc ? list->alloc * 2 : 32;
	struct nslist old = *list;
	list->items = xmalloc(alloc * sizeof(*list->items) + 2 * alloc * sizeof(size_t));
	list->alloc = alloc;
	if (old.count)
		memcpy(list->items, old.items, old.count * sizeof(*list->items));
	memset(index_slots(list), 0, 2 * alloc * sizeof(size_t));
	for (size_t i = 0; i < list->count; i++)
		*find_slot(list, list->items[i].name) = i + 1;
	free(old.items);
}

void nslist_release(struct nslist *list)
{
	free(list->items);
	memset(list, 0, sizeof(*list));
}

bool nslist_contains(const struct nslist *list, const char *name)
{
	return list->alloc && *find_slot(list, name) != 0;
}

const char *nslist_origin_name(enum nslist_origin origin)
{
	switch (origin) {
	case NSLIST_LISTED: return "listed";
	case NSLIST_KUBERNETES: return "kubernetes";
	case NSLIST_DEPLOYKF: return "deployKF";
	case NSLIST_PROFILE: return "profile";
	}
	return "listed";
}

/* Append unless already present. */
static void add(struct nslist *list, const char *name, struct mark at, enum nslist_origin origin)
{
	if (nslist_contains(list, name))
		return;
	if (list->count == list->alloc)
		grow(list);
	*find_slot(list, name) = list->count + 1;
	list->items[list->count].name = name;
	list->items[list->count].at = at;
	list->items[list->count].origin = origin;
	list->count++;
}

/* What is wrong with a bad entry, in words that quote none of it. A
 * KEY=value line is the usual mistake (a .env given as the list), and its
 * '=' says so better than its upper-case letters would. */
static const char *problem_phrase(const char *name, size_t len, enum name_problem p)
{
	if (memchr(name, '=', len))
		return "has '=', like a KEY=value setting";
	return names_problem_text_for(p, NAMES_LABEL_MAX);
}

/*
 * A name from the list, checked. The file may be anything given by
 * mistake (a .env, a Secret), so a bad entry gets its position and what is
 * wrong with it, never its text: CI logs are public.
 */
static void add_checked(struct nslist *list, struct arena *arena, struct diag_list *diags,
			const char *name, size_t len, struct mark at)
{
	enum name_problem p = names_check_label(name, len);
	if (p != NAME_OK) {
		diag_add(diags, DKF130, at,
			 "this is not a namespace name: it %s; list one namespace per line, as "
			 "`kubectl get ns -o name` prints them",
			 problem_phrase(name, len, p));
		return;
	}
	add(list, arena_strndup(arena, name, len), at, NSLIST_LISTED);
}

/* One name per line; "namespace/NAME" as `kubectl get ns -o name` prints it. */
static void read_lines(const char *name, const char *data, size_t size, struct arena *arena,
		       struct diag_list *diags, struct nslist *out)
{
	unsigned line = 0;
	size_t pos = 0;
	while (pos < size) {
		/* lines end where YAML's do (lines.h): LF, CR LF, CR, NEL, LS, PS */
		const char *start = data + pos;
		size_t len = 0, brk = 0;
		while (pos + len < size &&
		       (brk = lines_break_at(start + len, size - pos - len)) == 0)
			len++;
		pos += len + brk;
		line++;
		size_t b = 0, e = len;
		while (b < e && (start[b] == ' ' || start[b] == '\t'))
			b++;
		while (e > b &&
		       (start[e - 1] == ' ' || start[e - 1] == '\t' || start[e - 1] == '\r'))
			e--;
		if (b == e || start[b] == '#')
			continue;
		static const char prefix[] = "namespace/";
		if (e - b > sizeof(prefix) - 1 &&
		    memcmp(start + b, prefix, sizeof(prefix) - 1) == 0)
			b += sizeof(prefix) - 1;
		struct mark at = mark_at(name, line, (unsigned)b + 1);
		add_checked(out, arena, diags, start + b, e - b, at);
	}
}

/* A Namespace object: take metadata.name. */
static void read_namespace_object(const struct kdoc_node *obj, const char *where,
				  struct arena *arena, struct diag_list *diags, struct nslist *out)
{
	const char *kind = kdoc_string(kdoc_get(obj, "kind"));
	if (kind && strcmp(kind, "Namespace") != 0) {
		/* the kind is the file's text too: not quoted */
		diag_add(diags, DKF130, obj->mark,
			 "%s is not a Namespace; list namespaces with `kubectl get ns -o json`",
			 where);
		return;
	}
	const struct kdoc_node *name = kdoc_get(kdoc_get(obj, "metadata"), "name");
	const char *text = kdoc_string(name);
	if (!text) {
		diag_add(diags, DKF130, obj->mark, "%s has no metadata.name; it names no namespace",
			 where);
		return;
	}
	add_checked(out, arena, diags, text, name->len, name->mark);
}

static void read_documents(const char *name, const char *data, size_t size,
			   const struct yparse_limits *limits, struct arena *arena,
			   struct diag_list *diags, struct nslist *out)
{
	struct kdoc_file file;
	kdoc_parse(name, data, size, limits, arena, diags, &file);
	for (size_t d = 0; d < file.count; d++) {
		const struct kdoc_node *root = file.docs[d].root;
		if (!root)
			continue;
		const struct kdoc_node *items = kdoc_get(root, "items");
		if (root->kind == NODE_SEQ)
			items = root;
		if (items && items->kind == NODE_SEQ) {
			for (size_t i = 0; i < items->count; i++) {
				const struct kdoc_node *item = items->items[i];
				const char *text = kdoc_string(item);
				if (text) /* a plain list of names */
					add_checked(out, arena, diags, text, item->len, item->mark);
				else if (item->kind == NODE_MAP)
					read_namespace_object(item,
							      arena_printf(arena, "items[%zu]", i),
							      arena, diags, out);
				else
					diag_add(diags, DKF130, item->mark,
						 "items[%zu] is neither a name nor a Namespace", i);
			}
		} else if (root->kind == NODE_MAP && kdoc_get(root, "metadata")) {
			read_namespace_object(root, "the document", arena, diags, out);
		} else {
			diag_add(diags, DKF130, root->mark,
				 "this document holds no namespaces; give the output of `kubectl get "
				 "ns -o json` (or -o yaml, or -o name), or one name per line");
		}
	}
}

/* JSON or YAML rather than a plain list of names? */
static bool looks_structured(const char *data, size_t size)
{
	size_t i = 0;
	while (i < size &&
	       (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	if (i < size && (data[i] == '{' || data[i] == '['))
		return true;
	/* a name never holds ':'; "apiVersion: v1", "- name: x" always do */
	return memchr(data, ':', size) != NULL;
}

int nslist_read(const char *path, size_t max_bytes, const struct yparse_limits *limits,
		struct arena *arena, struct diag_list *diags, struct nslist *out, char *err,
		size_t errlen)
{
	struct strbuf text;
	strbuf_init(&text);
	const char *name;
	if (kdoc_read_text(path, max_bytes, &text, &name, err, errlen) != 0) {
		strbuf_release(&text);
		return -1;
	}
	/* A byte order mark (Windows editors, PowerShell's Out-File) is not
	 * part of the first name; libyaml skips it by itself. */
	static const char bom[] = "\xef\xbb\xbf";
	size_t skip = text.len >= 3 && memcmp(text.buf, bom, 3) == 0 ? 3 : 0;
	if (looks_structured(text.buf + skip, text.len - skip))
		read_documents(name, text.buf, text.len, limits, arena, diags, out);
	else
		read_lines(name, text.buf + skip, text.len - skip, arena, diags, out);
	strbuf_release(&text);
	return 0;
}

/*
 * The namespaces of a deployKF v0.1.5 cluster. Every `namespace:` key of
 * deployKF's generator/default_values.yaml, in file order, and `kubeflow`,
 * which deployKF's kubeflow_tools templates fix rather than read from the
 * values. Only the kyverno and argocd ones are read from the values (the
 * loader builds just those); the others keep their defaults here.
 */
static const char *const deploykf_namespaces[] = {
	"argocd",                  /* argocd.namespace */
	"cert-manager",            /* deploykf_dependencies.cert_manager.namespace */
	"istio-system",            /* deploykf_dependencies.istio.namespace */
	"kyverno",                 /* deploykf_dependencies.kyverno.namespace */
	"deploykf-auth",           /* deploykf_core.deploykf_auth.namespace */
	"deploykf-dashboard",      /* deploykf_core.deploykf_dashboard.namespace */
	"deploykf-istio-gateway",  /* deploykf_core.deploykf_istio_gateway.namespace */
	"deploykf-minio",          /* deploykf_opt.deploykf_minio.namespace */
	"deploykf-mysql",          /* deploykf_opt.deploykf_mysql.namespace */
	"kubeflow-argo-workflows", /* kubeflow_dependencies.kubeflow_argo_workflows.namespace */
	"kubeflow",                /* kubeflow_tools (fixed) */
};

/* Every Kubernetes cluster has these; kube-system is a default exclusion. */
static const char *const kubernetes_namespaces[] = {
	"default",
	"kube-node-lease",
	"kube-public",
	"kube-system",
};

static const char *string_at(const struct node *root, const char *a, const char *b)
{
	const struct node_pair *p = node_map_get(root, a);
	if (!p || !p->value || p->value->kind != NODE_MAP)
		return NULL;
	p = node_map_get(p->value, b);
	if (!p || !node_is_string(p->value) || p->value->len == 0)
		return NULL;
	return p->value->text;
}

void nslist_defaults(const struct node *merged, const char *kyverno_namespace, struct nslist *out)
{
	struct mark none = mark_at(NULL, 0, 0);
	for (size_t i = 0; i < sizeof(kubernetes_namespaces) / sizeof(kubernetes_namespaces[0]);
	     i++)
		add(out, kubernetes_namespaces[i], none, NSLIST_KUBERNETES);
	const char *argocd = merged ? string_at(merged, "argocd", "namespace") : NULL;
	for (size_t i = 0; i < sizeof(deploykf_namespaces) / sizeof(deploykf_namespaces[0]); i++) {
		const char *ns = deploykf_namespaces[i];
		if (strcmp(ns, "kyverno") == 0 && kyverno_namespace)
			ns = kyverno_namespace;
		else if (strcmp(ns, "argocd") == 0 && argocd)
			ns = argocd;
		add(out, ns, none, NSLIST_DEPLOYKF);
	}
	/* deploykf_core.deploykf_profiles_generator.profiles[].name: a profile's
	 * name is also its namespace's name */
	const struct node_pair *p = merged ? node_map_get(merged, "deploykf_core") : NULL;
	const struct node *v = p ? p->value : NULL;
	p = v && v->kind == NODE_MAP ? node_map_get(v, "deploykf_profiles_generator") : NULL;
	v = p ? p->value : NULL;
	p = v && v->kind == NODE_MAP ? node_map_get(v, "profiles") : NULL;
	v = p ? p->value : NULL;
	if (!v || v->kind != NODE_SEQ)
		return;
	for (size_t i = 0; i < v->count; i++) {
		const struct node *item = v->items[i];
		if (!item || item->kind != NODE_MAP)
			continue;
		const struct node_pair *name = node_map_get(item, "name");
		if (name && node_is_string(name->value) && name->value->len &&
		    names_check_label(name->value->text, name->value->len) == NAME_OK)
			add(out, name->value->text, name->value->mark, NSLIST_PROFILE);
	}
}
