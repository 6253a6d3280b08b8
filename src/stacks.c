#include "stacks.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xalloc.h"

bool stacks_file_id(const char *path, struct file_id *id)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return false;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	return true;
}

/* The set's key of a file: its identity as text, in the arena. */
static const char *id_key(struct arena *arena, const struct file_id *id, size_t *len)
{
	const char *key = arena_printf(arena, "%llx:%llx", (unsigned long long)id->dev,
				       (unsigned long long)id->ino);
	*len = strlen(key);
	return key;
}

/* The folder of path, as a prefix for the paths written next to it: "" for
 * a file in the working folder, else the folder and "/". */
static const char *folder_prefix(struct arena *arena, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return "";
	if (slash == path)
		return "/";
	return arena_strndup(arena, path, (size_t)(slash - path) + 1);
}

/* rel, written relative to the configuration's folder, from the working
 * folder: "values/prod.yaml" with the configuration in "../" is
 * "../values/prod.yaml". A leading "./" says nothing and goes. */
static const char *resolve(struct arena *arena, const char *prefix, const char *rel)
{
	if (rel[0] == '/')
		return rel;
	while (rel[0] == '.' && rel[1] == '/')
		for (rel += 2; *rel == '/';)
			rel++;
	return *prefix ? arena_printf(arena, "%s%s", prefix, rel) : rel;
}

/* Whether rel, a relative path, names something below its folder when read
 * as written: "a/../b" stays, "../b" and "a/../../b" climb out, "." and
 * "a/.." are the folder itself. */
static bool stays_below(const char *rel)
{
	if (rel[0] == '/')
		return false;
	long depth = 0;
	for (const char *p = rel; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return false;
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			depth++;
		}
		p += n;
		p += strspn(p, "/");
	}
	return depth > 0;
}

/* path with "." and empty components gone and "a/.." folded (path climbs
 * out of nothing: stays_below was asked first), so two spellings of a file
 * not written yet compare equal. */
static const char *lexically_clean(struct arena *arena, const char *path)
{
	size_t len = strlen(path);
	char *out = arena_alloc(arena, len + 2);
	size_t n = 0;
	if (path[0] == '/')
		out[n++] = '/';
	for (const char *p = path; *p;) {
		size_t c = strcspn(p, "/");
		bool is_up = c == 2 && p[0] == '.' && p[1] == '.';
		if (c == 0 || (c == 1 && p[0] == '.')) {
			/* nothing */
		} else if (is_up && n > 0 &&
			   !(n >= 2 && out[n - 1] == '.' && out[n - 2] == '.' &&
			     (n == 2 || out[n - 3] == '/'))) {
			while (n > 0 && out[n - 1] != '/')
				n--; /* drop the last component ... */
			if (n > 0 && (n > 1 || out[0] != '/'))
				n--; /* ... and its slash */
		} else {
			if (n > 0 && out[n - 1] != '/')
				out[n++] = '/';
			memcpy(out + n, p, c);
			n += c;
		}
		p += c;
		p += strspn(p, "/");
	}
	out[n] = '\0';
	return out;
}

/* Whether path's folder, where it exists, is inside folder (both through
 * symbolic links): a link in the repository pointing out of it would let a
 * render write anywhere. A folder that does not exist yet cannot point out. */
static bool lands_inside(const char *path, const char *folder)
{
	char parent[PATH_MAX], real_parent[PATH_MAX], real_folder[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : 1;
	if (len >= sizeof(parent))
		return false;
	memcpy(parent, slash ? path : ".", len);
	parent[len] = '\0';
	if (len == 0)
		strcpy(parent, "/");
	if (!realpath(parent, real_parent))
		return true;
	if (!realpath(*folder ? folder : ".", real_folder))
		return true;
	size_t n = strlen(real_folder);
	if (strcmp(real_folder, "/") == 0)
		return true;
	return strncmp(real_parent, real_folder, n) == 0 &&
	       (real_parent[n] == '\0' || real_parent[n] == '/');
}

/* A name to give on the command line (--stack) and in messages. */
static bool is_stack_name(const char *name)
{
	if (!*name)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return false;
	return true;
}

struct resolver {
	struct stack_decls *decls;
	struct arena *arena;
	struct diag_list *diags;
	const char *prefix;    /* the configuration's folder (folder_prefix) */
	const char *config;    /* its name, for messages */
	struct strset names;   /* stack name -> index */
	struct strset outputs; /* output identity -> stack index */
};

static void add_holder(struct stack_decls *d, const char *key, size_t len, size_t stack,
		       size_t layer, bool is_output)
{
	if (d->holder_count == d->holder_alloc) {
		d->holder_alloc = d->holder_alloc ? 2 * d->holder_alloc : 16;
		d->holders = xrealloc(d->holders, d->holder_alloc * sizeof(*d->holders));
	}
	size_t index = d->holder_count++;
	struct stack_holder *h = &d->holders[index];
	h->stack = stack;
	h->layer = layer;
	h->is_output = is_output;
	h->next = 0;
	size_t head;
	if (!strset_insert(&d->by_file, key, len, index + 1, &head)) {
		/* the set keeps the first holder; the new one goes second, so the
		 * newest is always found in one step (and the chain is the first
		 * holder, then the others newest first) */
		h->next = d->holders[head - 1].next;
		d->holders[head - 1].next = index + 1;
	}
}

/*
 * The file a stack names at t (what: "values file", "Application file"):
 * resolved, and there. Returns the resolved path, or NULL after a finding.
 * *key is the file's identity as a set key.
 */
static const char *existing_file(struct resolver *r, const struct config_text *t, const char *what,
				 const char **key, size_t *key_len)
{
	if (!*t->text) {
		diag_add(r->diags, DKF123, t->at, "the %s is an empty path", what);
		return NULL;
	}
	const char *path = resolve(r->arena, r->prefix, t->text);
	struct stat st;
	if (stat(path, &st) != 0) {
		int e = errno;
		if (e == ENOENT)
			diag_add(r->diags, DKF123, t->at,
				 "the %s '%s' is not there (paths are relative to the folder of "
				 "%s)",
				 what, t->text, r->config);
		else
			diag_add(r->diags, DKF123, t->at, "the %s '%s' cannot be read: %s", what,
				 t->text, strerror(e));
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		diag_add(r->diags, DKF123, t->at, "the %s '%s' is a folder, not a file", what,
			 t->text);
		return NULL;
	}
	struct file_id id = { st.st_dev, st.st_ino };
	*key = id_key(r->arena, &id, key_len);
	return path;
}

/* values: the -f files, each there, none twice. */
static bool resolve_values(struct resolver *r, size_t index, struct stack_decl *d)
{
	const struct config_stack *e = d->entry;
	bool ok = true;
	d->values = arena_alloc(r->arena, (e->value_count + 1) * sizeof(*d->values));
	d->value_count = e->value_count;
	for (size_t i = 0; i < e->value_count; i++) {
		const char *key;
		size_t len;
		d->values[i] = existing_file(r, &e->values[i], "values file", &key, &len);
		if (!d->values[i]) {
			ok = false;
			continue;
		}
		/* stacks are resolved one after the other, so if this stack holds
		 * the file already, that holder is the file's newest */
		size_t head;
		if (strset_find(&r->decls->by_file, key, len, &head)) {
			const struct stack_holder *first = &r->decls->holders[head - 1];
			const struct stack_holder *last =
				first->next ? &r->decls->holders[first->next - 1] : first;
			if (last->stack == index && !last->is_output) {
				struct mark first_at = e->values[last->layer].at;
				diag_add(r->diags, DKF123, e->values[i].at,
					 "'%s' is listed twice in stack '%s' (first at %u:%u); a "
					 "file is one layer",
					 e->values[i].text, d->name, first_at.line, first_at.col);
				ok = false;
				continue;
			}
		}
		add_holder(r->decls, key, len, index, i, false);
	}
	return ok;
}

static bool resolve_output(struct resolver *r, size_t index, struct stack_decl *d)
{
	const struct config_text *t = &d->entry->output;
	if (!stays_below(t->text)) {
		diag_add(r->diags, DKF123, t->at,
			 "output '%s' is not inside the folder of %s; write it as a path "
			 "below that folder",
			 t->text, r->config);
		return false;
	}
	const char *path = resolve(r->arena, r->prefix, t->text);
	if (!lands_inside(path, r->prefix)) {
		diag_add(r->diags, DKF123, t->at,
			 "output '%s' leads out of the folder of %s through a symbolic link",
			 t->text, r->config);
		return false;
	}
	struct stat st;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			diag_add(r->diags, DKF123, t->at, "output '%s' is a folder, not a file",
				 t->text);
			return false;
		}
		struct file_id id = { st.st_dev, st.st_ino };
		size_t len, other;
		const char *key = id_key(r->arena, &id, &len);
		if (!strset_insert(&r->outputs, key, len, index, &other)) {
			diag_add(r->diags, DKF123, t->at,
				 "output '%s' is also the output of stack '%s'; each stack needs a "
				 "file of its own",
				 t->text, r->decls->items[other].name);
			return false;
		}
		add_holder(r->decls, key, len, index, 0, true);
	} else {
		/* not committed yet: two stacks may still name the same path */
		const char *clean = lexically_clean(r->arena, path);
		size_t other;
		if (!strset_insert(&r->outputs, clean, strlen(clean), index, &other)) {
			diag_add(r->diags, DKF123, t->at,
				 "output '%s' is also the output of stack '%s'; each stack needs a "
				 "file of its own",
				 t->text, r->decls->items[other].name);
			return false;
		}
	}
	d->output = path;
	return true;
}

static bool resolve_source_path(struct resolver *r, struct stack_decl *d)
{
	const struct config_text *t = &d->entry->source_path;
	const char *path = resolve(r->arena, r->prefix, *t->text ? t->text : ".");
	const char *defaults = arena_printf(r->arena, "%s/generator/default_values.yaml", path);
	struct stat st;
	if (!*t->text || stat(defaults, &st) != 0 || !S_ISREG(st.st_mode)) {
		diag_add(r->diags, DKF123, t->at,
			 "sourcePath '%s' is not a deployKF source tree: it has no "
			 "generator/default_values.yaml",
			 t->text);
		return false;
	}
	d->source_path = path;
	return true;
}

static bool resolve_version(struct resolver *r, struct stack_decl *d)
{
	const struct config_text *t = &d->entry->deploykf_version;
	switch (version_parse(t->text, &d->version)) {
	case VERSION_OK: break;
	case VERSION_TOO_OLD:
		diag_add(r->diags, DKF123, t->at,
			 "deployKF %s has no clone-image-pull-secrets policy (it first appeared in "
			 "v0.1.3); use v0.1.3, v0.1.4 or v0.1.5",
			 t->text);
		return false;
	case VERSION_UNKNOWN:
		diag_add(r->diags, DKF123, t->at,
			 "deploykfVersion '%s' is not one dkfpolicy knows; use v0.1.3, v0.1.4 or "
			 "v0.1.5",
			 t->text);
		return false;
	}
	d->has_version = true;
	return true;
}

/* The name: there, fit for a command line, and not taken. */
static bool resolve_name(struct resolver *r, size_t index, struct stack_decl *d)
{
	const struct config_stack *e = d->entry;
	if (!e->name.text) {
		diag_add(r->diags, DKF123, e->at, "a stack needs a name (name: prod)");
		return false;
	}
	d->name = e->name.text;
	if (!is_stack_name(d->name)) {
		diag_add(r->diags, DKF123, e->name.at,
			 "stack name '%s' is not a name: use letters, digits, '-', '_' and '.'",
			 d->name);
		return false;
	}
	size_t first;
	if (!strset_insert(&r->names, d->name, strlen(d->name), index, &first)) {
		diag_add(r->diags, DKF123, e->name.at,
			 "a stack named '%s' is declared already, on line %u; give each stack its "
			 "own name",
			 d->name, r->decls->items[first].entry->name.at.line);
		return false;
	}
	return true;
}

/* What the stack is made of: values, or an Application (and then nothing
 * that the Application's own parameters decide). */
static bool resolve_shape(struct resolver *r, size_t index, struct stack_decl *d)
{
	const struct config_stack *e = d->entry;
	bool has_values = e->value_count > 0, has_app = e->application.text != NULL;
	if (has_values && has_app) {
		diag_add(r->diags, DKF123, e->application.at,
			 "stack '%s' has both values and an application; a stack is one or the "
			 "other",
			 d->name ? d->name : "");
		return false;
	}
	if (!has_values && !has_app) {
		diag_add(r->diags, DKF123, e->at,
			 "stack '%s' has neither values (the -f files, in order) nor an "
			 "application (an Argo CD Application of deployKF's plugin)",
			 d->name ? d->name : "");
		return false;
	}
	if (has_values) {
		if (e->application_name.text) {
			diag_add(r->diags, DKF123, e->application_name.at,
				 "applicationName picks an Application of the application file; "
				 "this stack has values instead");
			return false;
		}
		return resolve_values(r, index, d);
	}
	bool ok = true;
	if (e->deploykf_version.text || e->source_path.text) {
		const struct config_text *t =
			e->deploykf_version.text ? &e->deploykf_version : &e->source_path;
		diag_add(r->diags, DKF123, t->at,
			 "the Application's own source_version or source_path decides what "
			 "deployKF renders it; remove %s from stack '%s'",
			 e->deploykf_version.text ? "deploykfVersion" : "sourcePath", d->name);
		ok = false;
	}
	const char *key;
	size_t len;
	d->application = existing_file(r, &e->application, "application file", &key, &len);
	if (!d->application)
		return false;
	d->application_name = e->application_name.text;
	add_holder(r->decls, key, len, index, STACK_APPLICATION_LAYER, false);
	return ok;
}

void stacks_resolve(const struct dkf_config *config, struct arena *arena, struct diag_list *diags,
		    struct stack_decls *out)
{
	memset(out, 0, sizeof(*out));
	strset_init(&out->by_file);
	out->config_path = config->path;
	if (!config->stack_count)
		return;
	struct resolver r = { out,          arena, diags, folder_prefix(arena, config->path),
			      config->path, { 0 }, { 0 } };
	size_t prefix_len = strlen(r.prefix);
	out->folder = prefix_len == 0   ? "."
		      : prefix_len == 1 ? "/"
					: arena_strndup(arena, r.prefix, prefix_len - 1);
	strset_init(&r.names);
	strset_init(&r.outputs);
	out->items = arena_alloc(arena, config->stack_count * sizeof(*out->items));
	out->count = config->stack_count;
	for (size_t i = 0; i < config->stack_count; i++) {
		struct stack_decl *d = &out->items[i];
		memset(d, 0, sizeof(*d));
		d->entry = &config->stacks[i];
		bool ok = resolve_name(&r, i, d);
		if (!d->name)
			d->name = "";
		ok &= resolve_shape(&r, i, d);
		if (d->entry->deploykf_version.text && !d->application)
			ok &= resolve_version(&r, d);
		if (d->entry->source_path.text && !d->application)
			ok &= resolve_source_path(&r, d);
		if (d->entry->output.text)
			ok &= resolve_output(&r, i, d);
		d->is_valid = ok;
	}
	strset_release(&r.names);
	strset_release(&r.outputs);
}

void stacks_release(struct stack_decls *decls)
{
	strset_release(&decls->by_file);
	free(decls->holders);
	decls->holders = NULL;
	decls->holder_count = decls->holder_alloc = 0;
}

const struct stack_decl *stacks_find(const struct stack_decls *decls, const char *name)
{
	for (size_t i = 0; i < decls->count; i++)
		if (strcmp(decls->items[i].name, name) == 0)
			return &decls->items[i];
	return NULL;
}

const struct stack_holder *stacks_first_holder(const struct stack_decls *decls,
					       const struct file_id *id)
{
	char key[64];
	int len = snprintf(key, sizeof(key), "%llx:%llx", (unsigned long long)id->dev,
			   (unsigned long long)id->ino);
	size_t head;
	if (len < 0 || !strset_find(&decls->by_file, key, (size_t)len, &head))
		return NULL;
	return &decls->holders[head - 1];
}

const struct stack_holder *stacks_next_holder(const struct stack_decls *decls,
					      const struct stack_holder *h)
{
	return h->next ? &decls->holders[h->next - 1] : NULL;
}

void stacks_add_application_file(struct stack_decls *decls, size_t stack, const struct file_id *id,
				 struct arena *arena)
{
	size_t len;
	const char *key = id_key(arena, id, &len);
	add_holder(decls, key, len, stack, STACK_APPLICATION_VALUES, false);
}
