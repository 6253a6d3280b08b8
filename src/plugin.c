#include "plugin.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check_block.h"
#include "lines.h"
#include "source.h"
#include "strbuf.h"
#include "strset.h"
#include "suggest.h"
#include "xalloc.h"
#include "yload.h"

/* What deployKF's plugin.yaml declares; any other name it never reads. */
static const char *const known_parameters[] = {
	"source_version",
	"source_path",
	"values_files",
	"values",
	"output_kustomize_path",
	"output_helm_path",
	"output_helm_values_files",
};
enum { KNOWN_PARAMETER_COUNT = sizeof(known_parameters) / sizeof(known_parameters[0]) };

/* The plugin's own last layer (plugin.yaml: REQUIRED_VALUES). */
static const char plugin_layer_text[] =
	"{\"argocd\":{\"source\":{\"plugin\":{\"enabled\":true}}}}\n";
static const char plugin_layer_name[] = "deployKF's plugin (its own values)";

/* --------------------------------------------------- positions in a string */

/*
 * A run of the values string that stands, byte for byte, on one line of the
 * file: a line of a `|` or `>` block scalar without its indentation, or a
 * line of a plain or quoted one without its leading blanks. Folding and
 * chomping only change what is between the runs.
 */
struct segment {
	size_t offset; /* in the string */
	size_t len;
	unsigned line, col; /* where the run starts in the file */
};

struct plugin_string_origin {
	struct yparse_origin origin;
	const char *text; /* the decoded string */
	size_t len;
	size_t *line_starts; /* arena: offsets of the string's lines (lines.h's breaks) */
	size_t line_count;
	struct segment *segs; /* arena, by offset */
	size_t seg_count;
	struct mark fallback; /* the parameter's value, for text no run holds */
};

/* Bytes of the first chars characters of s[0..len). */
static size_t bytes_of_chars(const char *s, size_t len, unsigned chars)
{
	size_t i = 0;
	for (unsigned c = 0; c < chars && i < len; c++) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
	}
	return i;
}

static unsigned chars_of(const char *s, size_t len)
{
	unsigned n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

static void map_string_position(const void *ctx, unsigned *line, unsigned *col)
{
	const struct plugin_string_origin *o = ctx;
	if (!o->seg_count || *line == 0 || *line > o->line_count) {
		*line = o->fallback.line;
		*col = o->fallback.col;
		return;
	}
	size_t start = o->line_starts[*line - 1];
	size_t end = *line < o->line_count ? o->line_starts[*line] : o->len;
	size_t offset = start + bytes_of_chars(o->text + start, end - start, *col - 1);
	/* the last run that starts at or before offset */
	size_t lo = 0, hi = o->seg_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->segs[mid].offset <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0) {
		*line = o->segs[0].line;
		*col = o->segs[0].col;
		return;
	}
	const struct segment *s = &o->segs[lo - 1];
	size_t into = offset - s->offset;
	if (into > s->len)
		into = s->len; /* between runs: the end of the one before */
	*line = s->line;
	*col = s->col + chars_of(o->text + s->offset, into);
}

/* The end of the line of text holding byte at, and where the next starts. */
static size_t line_end(const char *text, size_t size, size_t at, size_t *next)
{
	size_t end = at, brk = 0;
	while (end < size && !(brk = lines_break_at(text + end, size - end)))
		end++;
	*next = end + brk;
	return end;
}

static void add_segment(struct strbuf *segs, size_t offset, size_t len, unsigned line, unsigned col)
{
	struct segment s = { offset, len, line, col };
	strbuf_add(segs, &s, sizeof(s));
}

/*
 * The runs of node's string in the file text: for a block scalar, each line
 * after the header, less its indentation (the first non-empty line's); for
 * any other, each line of the scalar from its start, less leading blanks.
 * A run is taken only where it stands in the string at the place reached so
 * far, so escapes in a quoted string just leave that part to the fallback.
 */
static void find_segments(struct plugin_string_origin *o, const char *file_text, size_t file_size,
			  const struct kdoc_node *node, struct arena *arena)
{
	struct strbuf segs;
	strbuf_init(&segs);
	/* where the scalar starts: its line's offset in the file */
	size_t at = 0, next;
	for (unsigned line = 1; line < node->mark.line && at < file_size; line++)
		line_end(file_text, file_size, at, &at);
	bool is_block =
		node->style == YAML_LITERAL_SCALAR_STYLE || node->style == YAML_FOLDED_SCALAR_STYLE;
	unsigned line = node->mark.line;
	size_t pos = 0; /* how far into the string the runs reach */
	size_t indent = 0;
	if (is_block) {
		/* the content starts on the line after the header */
		line_end(file_text, file_size, at, &at);
		line++;
		/* its indentation: that of the first line that is not blank */
		for (size_t probe = at; probe < file_size;) {
			size_t end = line_end(file_text, file_size, probe, &next);
			size_t blanks = 0;
			while (probe + blanks < end && file_text[probe + blanks] == ' ')
				blanks++;
			if (probe + blanks < end) {
				indent = blanks;
				break;
			}
			probe = next;
		}
	} else {
		/* the first line: from the scalar's column (past an opening quote) */
		size_t skip = bytes_of_chars(file_text + at, file_size - at, node->mark.col - 1);
		at += skip;
		if (node->style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
		    node->style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
			at++;
	}
	bool first_line = !is_block;
	while (at < file_size && pos < o->len && (is_block || line <= node->end_line)) {
		size_t end = line_end(file_text, file_size, at, &next);
		size_t start = at;
		if (is_block) {
			size_t blanks = 0;
			while (start + blanks < end && file_text[start + blanks] == ' ')
				blanks++;
			if (start + blanks < end && blanks < indent)
				break; /* less indented: the scalar has ended */
			start += blanks < indent ? blanks : indent;
		} else if (!first_line) {
			while (start < end && (file_text[start] == ' ' || file_text[start] == '\t'))
				start++;
		}
		size_t len = end - start;
		/* a quoted scalar's last line ends with its closing quote */
		while (!is_block && len &&
		       (file_text[start + len - 1] == ' ' || file_text[start + len - 1] == '\t'))
			len--;
		if (len) {
			/* the run stands at pos, after what folding left between runs */
			size_t gap = 0;
			while (pos + gap < o->len && gap < 4 &&
			       (o->text[pos + gap] == '\n' || o->text[pos + gap] == ' '))
				gap++;
			for (size_t g = 0; g <= gap; g++) {
				size_t want = len;
				if (!is_block && pos + g + want > o->len)
					want = o->len - pos -
					       g; /* the closing quote is not in it */
				if (want && pos + g + want <= o->len &&
				    memcmp(o->text + pos + g, file_text + start, want) == 0) {
					/* the column: characters from the line's start */
					size_t line_start = start;
					while (line_start > 0 &&
					       file_text[line_start - 1] != '\n' &&
					       file_text[line_start - 1] != '\r')
						line_start--;
					add_segment(&segs, pos + g, want, line,
						    1 + chars_of(file_text + line_start,
								 start - line_start));
					pos += g + want;
					break;
				}
			}
		}
		first_line = false;
		at = next;
		line++;
	}
	o->seg_count = segs.len / sizeof(struct segment);
	o->segs = arena_alloc(arena, segs.len + sizeof(struct segment));
	if (segs.len)
		memcpy(o->segs, segs.buf, segs.len);
	strbuf_release(&segs);
}

static const struct yparse_origin *string_origin(const char *file, const char *file_text,
						 size_t file_size, const struct kdoc_node *node,
						 struct arena *arena)
{
	struct plugin_string_origin *o = arena_alloc(arena, sizeof(*o));
	o->origin.file = file;
	o->origin.map = map_string_position;
	o->origin.ctx = o;
	o->text = node->text;
	o->len = node->len;
	o->fallback = mark_at(file, node->mark.line, node->mark.col);
	o->line_count = 1;
	for (size_t i = 0; i < node->len;) {
		size_t b = lines_break_at(node->text + i, node->len - i);
		o->line_count += b != 0;
		i += b ? b : 1;
	}
	o->line_starts = arena_alloc(arena, o->line_count * sizeof(*o->line_starts));
	size_t n = 1;
	for (size_t i = 0; i < node->len;) {
		size_t b = lines_break_at(node->text + i, node->len - i);
		i += b ? b : 1;
		if (b)
			o->line_starts[n++] = i;
	}
	find_segments(o, file_text, file_size, node, arena);
	return &o->origin;
}

/* ------------------------------------------------------------- Applications */

static const char *string_at(const struct kdoc_node *map, const char *key)
{
	return kdoc_string(kdoc_get(map, key));
}

static bool is_argo(const struct kdoc_node *doc)
{
	const char *api = string_at(doc, "apiVersion");
	return api && strncmp(api, "argoproj.io/", 12) == 0;
}

/* deployKF's own repository: its values files are deployKF's sample values. */
static bool is_deploykf_repo(const char *url)
{
	if (!url)
		return false;
	static const char *const forms[] = {
		"https://github.com/deployKF/deployKF", "https://github.com/deploykf/deploykf",
		"http://github.com/deployKF/deployKF",  "git@github.com:deployKF/deployKF",
		"git@github.com:deploykf/deploykf",     "https://www.github.com/deployKF/deployKF",
	};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t n = strlen(forms[i]);
		if (strncmp(url, forms[i], n) == 0 &&
		    (url[n] == '\0' || strcmp(url + n, ".git") == 0 || strcmp(url + n, "/") == 0 ||
		     strcmp(url + n, ".git/") == 0))
			return true;
	}
	return false;
}

/* The top of the git work tree holding path's folder, else that folder. */
static const char *repo_root_of(const char *path, struct arena *arena)
{
	const char *slash = strrchr(path, '/');
	struct strbuf dir;
	strbuf_init(&dir);
	if (slash)
		strbuf_add(&dir, path, (size_t)(slash - path) + (slash == path));
	else
		strbuf_adds(&dir, ".");
	const char *found = NULL;
	struct strbuf probe;
	strbuf_init(&probe);
	strbuf_add(&probe, dir.buf, dir.len);
	for (int up = 0; up < 64; up++) {
		size_t len = probe.len;
		strbuf_adds(&probe, "/.git");
		struct stat st;
		bool has_git = stat(probe.buf, &st) == 0;
		probe.len = len;
		probe.buf[len] = '\0';
		if (has_git) {
			found = arena_strdup(arena, probe.buf);
			break;
		}
		/* one folder up, as a relative path: the user's own spelling */
		char real[4096];
		if (!realpath(probe.buf, real) || strcmp(real, "/") == 0)
			break;
		strbuf_adds(&probe, "/..");
	}
	if (!found)
		found = arena_strdup(arena, dir.buf);
	strbuf_release(&probe);
	strbuf_release(&dir);
	return found;
}

/* dir/rel, without "./" noise; rel absolute: rel. */
static const char *join(struct arena *arena, const char *dir, const char *rel)
{
	if (rel[0] == '/')
		return arena_strdup(arena, rel);
	while (rel[0] == '.' && rel[1] == '/')
		rel += 2;
	if (strcmp(rel, ".") == 0 || !*rel)
		return arena_strdup(arena, dir);
	if (strcmp(dir, ".") == 0)
		return arena_strdup(arena, rel);
	return arena_printf(arena, "%s/%s", dir, rel);
}

/* A parameter as written: its name's node and the entry holding the value. */
struct parameter {
	const struct kdoc_node *item; /* the list item */
	const char *name;
	const struct kdoc_node *string, *array, *map;
};

static void value_of(struct plugin_value *v, const struct kdoc_node *n)
{
	const char *text = kdoc_string(n);
	if (!text || !*text) {
		v->text = NULL; /* the plugin tests -n: an empty string is not set */
		return;
	}
	v->text = text;
	v->len = n->len;
	v->at = n->mark;
}

/* The order bash's ${!PARAM_VALUES_FILES_@} gives: names sorted as text. */
static int by_index_text(const void *pa, const void *pb)
{
	const size_t *a = pa, *b = pb;
	char x[32], y[32];
	snprintf(x, sizeof(x), "%zu", *a);
	snprintf(y, sizeof(y), "%zu", *b);
	return strcmp(x, y);
}

/* Read the plugin's parameters into app; problems are diagnostics.
 * *values is the node of the values string, or NULL. */
static void read_parameters(const struct plugin_context *ctx, const struct kdoc_node *plugin,
			    struct plugin_app *app, const struct kdoc_node **values)
{
	*values = NULL;
	struct diag_list *diags = ctx->diags;
	const struct kdoc_node *params = kdoc_get(plugin, "parameters");
	struct parameter *seen = NULL;
	size_t count = 0;
	struct strset names;
	strset_init(&names);
	if (params && params->kind == NODE_SEQ) {
		seen = xcalloc(params->count + 1, sizeof(*seen));
		for (size_t i = 0; i < params->count; i++) {
			const struct kdoc_node *item = params->items[i];
			const char *name = string_at(item, "name");
			if (!name)
				continue;
			size_t first;
			if (!strset_insert(&names, name, strlen(name), count, &first)) {
				struct diag *d =
					diag_add(diags, DKF144, item->mark,
						 "the parameter '%s' is set twice; Argo CD "
						 "passes both as one variable and which one "
						 "deployKF's plugin sees is not defined; keep one",
						 name);
				diag_set_note(diags, d, seen[first].item->mark, "first set here");
				app->is_refused = true;
				continue;
			}
			struct parameter *p = &seen[count++];
			p->item = item;
			p->name = name;
			p->string = kdoc_get(item, "string");
			p->array = kdoc_get(item, "array");
			p->map = kdoc_get(item, "map");
		}
	}
	strset_release(&names);
	const struct parameter *values_files = NULL;
	for (size_t i = 0; i < count; i++) {
		const struct parameter *p = &seen[i];
		bool is_array_param = strcmp(p->name, "values_files") == 0 ||
				      strcmp(p->name, "output_helm_values_files") == 0;
		size_t k = 0;
		while (k < KNOWN_PARAMETER_COUNT && strcmp(known_parameters[k], p->name) != 0)
			k++;
		if (k == KNOWN_PARAMETER_COUNT) {
			const char *close =
				suggest_closest(p->name, strlen(p->name), known_parameters,
						KNOWN_PARAMETER_COUNT);
			if (close)
				diag_add(diags, DKF142, p->item->mark,
					 "deployKF's plugin has no parameter '%s', so it is ignored; "
					 "did you mean '%s'?",
					 p->name, close);
			else
				diag_add(diags, DKF142, p->item->mark,
					 "deployKF's plugin has no parameter '%s', so it is ignored",
					 p->name);
			continue;
		}
		if (is_array_param && !p->array && (p->string || p->map)) {
			diag_add(diags, DKF142, p->item->mark,
				 "'%s' is written as a %s, but deployKF's plugin reads it only as "
				 "an array (PARAM_%s_0, ...), so it is ignored; write 'array: [...]'",
				 p->name, p->string ? "string" : "map",
				 strcmp(p->name, "values_files") == 0 ? "VALUES_FILES"
								      : "OUTPUT_HELM_VALUES_FILES");
			continue;
		}
		if (!is_array_param && !p->string && (p->array || p->map)) {
			diag_add(diags, DKF142, p->item->mark,
				 "'%s' is written as %s, but deployKF's plugin reads it only as a "
				 "string, so it is ignored; write 'string: ...'",
				 p->name, p->array ? "an array" : "a map");
			continue;
		}
		if (strcmp(p->name, "source_version") == 0)
			value_of(&app->source_version, p->string);
		else if (strcmp(p->name, "source_path") == 0)
			value_of(&app->source_path, p->string);
		else if (strcmp(p->name, "values") == 0) {
			value_of(&app->values, p->string);
			*values = app->values.text ? p->string : NULL;
		} else if (strcmp(p->name, "values_files") == 0)
			values_files = p;
	}
	if (values_files && values_files->array && values_files->array->kind == NODE_SEQ) {
		const struct kdoc_node *list = values_files->array;
		size_t *order = xcalloc(list->count + 1, sizeof(*order));
		for (size_t i = 0; i < list->count; i++)
			order[i] = i;
		if (list->count > 10) {
			qsort(order, list->count, sizeof(*order), by_index_text);
			diag_add(diags, DKF143, values_files->item->mark,
				 "%zu values_files: deployKF's plugin lists them as bash sorts "
				 "${!PARAM_VALUES_FILES_@}, as text (0, 1, 10, 11, 2, ...), not in the "
				 "order written; they are checked in the plugin's order; use ten files "
				 "or fewer",
				 list->count);
		}
		app->values_files =
			arena_alloc(ctx->arena, (list->count + 1) * sizeof(*app->values_files));
		for (size_t i = 0; i < list->count; i++) {
			struct plugin_value *v = &app->values_files[app->values_file_count];
			value_of(v, list->items[order[i]]);
			if (v->text) /* Argo CD leaves an empty item out of the environment */
				app->values_file_count++;
		}
		free(order);
	}
	free(seen);
}

/* The version the plugin generates with; a refusal when it is not one. */
static void read_version(const struct plugin_context *ctx, struct plugin_app *app)
{
	bool has_version = app->source_version.text != NULL;
	bool has_path = app->source_path.text != NULL;
	if (has_version == has_path) {
		diag_add(ctx->diags, DKF141, app->at,
			 has_version ? "Application '%s' sets both source_version and source_path; "
				       "deployKF's plugin fails unless exactly one is set"
				     : "Application '%s' sets neither source_version nor "
				       "source_path; deployKF's plugin fails unless exactly one is "
				       "set (e.g. source_version: \"0.1.5\")",
			 app->name);
		app->is_refused = true;
		return;
	}
	if (!has_version)
		return;
	switch (version_parse(app->source_version.text, &app->version)) {
	case VERSION_OK: app->has_version = true; return;
	case VERSION_TOO_OLD:
		diag_add(ctx->diags, DKF147, app->source_version.at,
			 "deployKF %s has no clone-image-pull-secrets policy (it first appeared in "
			 "0.1.3); dkfpolicy knows 0.1.3, 0.1.4 and 0.1.5",
			 app->source_version.text);
		break;
	case VERSION_UNKNOWN:
		diag_add(ctx->diags, DKF147, app->source_version.at,
			 "source_version '%s' is no deployKF release dkfpolicy knows; it knows "
			 "0.1.3, 0.1.4 and 0.1.5 (a newer deployKF needs a newer dkfpolicy)",
			 app->source_version.text);
		break;
	}
	app->is_refused = true;
}

/* The source of doc that uses deployKF's plugin: spec.source or one of
 * spec.sources[]; *other names a plugin of another name when there is one. */
static const struct kdoc_node *deploykf_source(const struct kdoc_node *doc, const char **other)
{
	const struct kdoc_node *spec = kdoc_get(doc, "spec");
	const struct kdoc_node *one = kdoc_get(spec, "source");
	const struct kdoc_node *many = kdoc_get(spec, "sources");
	size_t n = many && many->kind == NODE_SEQ ? many->count : 0;
	*other = NULL;
	for (size_t i = 0; i <= n; i++) {
		const struct kdoc_node *src = i < n ? many->items[i] : one;
		const struct kdoc_node *plugin = kdoc_get(src, "plugin");
		if (!plugin || plugin->kind != NODE_MAP)
			continue;
		const char *name = string_at(plugin, "name");
		if (name && strcmp(name, "deploykf") == 0)
			return src;
		if (!*other)
			*other = name ? name : "(unnamed)";
	}
	return NULL;
}

/* One document: an Application with deployKF's plugin, or an info. */
static void read_document(const struct plugin_context *ctx, const char *file, const char *text,
			  size_t size, const struct kdoc_node *doc, const char *repo_root,
			  struct strbuf *apps)
{
	struct diag_list *diags = ctx->diags;
	const char *kind = string_at(doc, "kind");
	const char *name = string_at(kdoc_get(doc, "metadata"), "name");
	if (!name)
		name = "(unnamed)";
	if (doc->kind != NODE_MAP || !kind) {
		diag_add(diags, DKF140, doc->mark,
			 "this document is no Kubernetes object (it has no kind), so it holds no "
			 "values; nothing in it is checked");
		return;
	}
	if (!is_argo(doc) || (strcmp(kind, "Application") != 0)) {
		if (is_argo(doc) && strcmp(kind, "ApplicationSet") == 0)
			diag_add(diags, DKF140, doc->mark,
				 "ApplicationSet '%s' holds no values itself; lint the values files "
				 "it points at, or an Application it generates",
				 name);
		else
			diag_add(diags, DKF140, doc->mark,
				 "this is a Kubernetes manifest (kind '%s'), not values; nothing in it "
				 "is checked",
				 kind);
		return;
	}
	const char *other;
	const struct kdoc_node *source = deploykf_source(doc, &other);
	if (!source) {
		if (other)
			diag_add(diags, DKF140, doc->mark,
				 "Application '%s' uses the plugin '%s', not deployKF's ('deploykf'), "
				 "so it holds no values for it; nothing in it is checked",
				 name, other);
		else
			diag_add(diags, DKF140, doc->mark,
				 "Application '%s' uses no Config Management Plugin, so it holds no "
				 "deployKF values (in plugin mode they are parameters of the "
				 "'deploykf' plugin); nothing in it is checked",
				 name);
		return;
	}
	struct plugin_app app;
	memset(&app, 0, sizeof(app));
	app.name = name;
	app.is_named = true;
	/* where the Application is named, else where it starts */
	const struct kdoc_node *name_node = kdoc_get(kdoc_get(doc, "metadata"), "name");
	app.at = name_node ? name_node->mark : doc->mark;
	app.repo_url = string_at(source, "repoURL");
	const char *path = string_at(source, "path");
	app.base_dir = join(ctx->arena, repo_root, path ? path : ".");
	const struct kdoc_node *values;
	read_parameters(ctx, kdoc_get(source, "plugin"), &app, &values);
	read_version(ctx, &app);
	if (values)
		app.values_origin = string_origin(file, text, size, values, ctx->arena);
	strbuf_add(apps, &app, sizeof(app));
}

int plugin_read_file(const struct plugin_context *ctx, const char *path, struct plugin_file *out,
		     char *err, size_t errlen)
{
	memset(out, 0, sizeof(out[0]));
	struct strbuf buf;
	strbuf_init(&buf);
	const char *name;
	if (kdoc_read_text(path, ctx->options->max_bytes, &buf, &name, err, errlen) != 0) {
		strbuf_release(&buf);
		return -1;
	}
	out->name = name;
	/* kept: positions inside the values strings are mapped against it, and
	 * the report may quote the strings' public lines */
	char *text = arena_alloc(ctx->arena, buf.len + 1);
	memcpy(text, buf.buf, buf.len);
	size_t size = buf.len;
	strbuf_release(&buf);

	struct excerpt_file *book = NULL;
	unsigned last_line = 1;
	if (ctx->diags->book) {
		/* the suppression markers, as the front end keeps them for a file */
		book = excerpt_book_add(ctx->diags->book, name, text, size);
		struct lines_reader lines;
		lines_reader_init(&lines, "dkfpolicy:");
		lines_reader_feed(&lines, text, size);
		book->marker_lines = lines.kept;
		book->marker_line_count = lines.kept_count;
		last_line = lines.line > UINT32_MAX ? UINT32_MAX : (unsigned)lines.line;
		lines.kept = NULL;
		lines.kept_count = 0;
		lines_reader_release(&lines);
	}
	struct kdoc_file docs;
	kdoc_parse(name, text, size, &ctx->options->limits, ctx->arena, ctx->diags, &docs);
	const char *root = ctx->repo_root ? ctx->repo_root : repo_root_of(path, ctx->arena);
	struct strbuf apps;
	strbuf_init(&apps);
	for (size_t d = 0; d < docs.count; d++)
		if (docs.docs[d].root)
			read_document(ctx, name, text, size, docs.docs[d].root, root, &apps);
	out->app_count = apps.len / sizeof(struct plugin_app);
	out->apps = arena_alloc(ctx->arena, apps.len + sizeof(struct plugin_app));
	if (apps.len)
		memcpy(out->apps, apps.buf, apps.len);
	strbuf_release(&apps);
	if (book) {
		/* nothing of the Application may be quoted but the lines of its
		 * values strings; the values loader then marks theirs */
		unsigned last = last_line, from = 1;
		for (size_t i = 0; i < out->app_count; i++) {
			const struct plugin_string_origin *o =
				(const struct plugin_string_origin *)out->apps[i].values_origin;
			if (!o || !o->seg_count)
				continue;
			unsigned first = o->segs[0].line, end = o->segs[o->seg_count - 1].line;
			if (first > from)
				excerpt_mark_private_range(book, from, first - 1);
			from = end + 1;
		}
		if (from <= last)
			excerpt_mark_private_range(book, from, last);
	}
	return 0;
}

/* ------------------------------------------------------------- environment */

/* A PARAM_VALUES_FILES_<i> variable. */
struct env_file {
	const char *var; /* its name */
	const char *value;
};

static int by_variable_name(const void *pa, const void *pb)
{
	const struct env_file *a = pa, *b = pb;
	return strcmp(a->var, b->var);
}

void plugin_from_environment(const struct plugin_context *ctx, char *const *env,
			     struct plugin_app *out)
{
	memset(out, 0, sizeof(*out));
	const char *name = NULL;
	size_t count = 0;
	for (char *const *e = env; *e; e++)
		count += strncmp(*e, "PARAM_VALUES_FILES_", 19) == 0;
	struct env_file *files = xcalloc(count + 1, sizeof(*files));
	size_t n = 0;
	for (char *const *e = env; *e; e++) {
		const char *eq = strchr(*e, '=');
		if (!eq)
			continue;
		size_t klen = (size_t)(eq - *e);
		const char *value = eq + 1;
		const char *key = arena_strndup(ctx->arena, *e, klen);
		struct mark at = mark_at(key, 0, 0);
		struct plugin_value v = { *value ? value : NULL, strlen(value), at };
		if (strcmp(key, "PARAM_SOURCE_VERSION") == 0)
			out->source_version = v;
		else if (strcmp(key, "PARAM_SOURCE_PATH") == 0)
			out->source_path = v;
		else if (strcmp(key, "PARAM_VALUES") == 0)
			out->values = v;
		else if (strcmp(key, "ARGOCD_APP_NAME") == 0)
			name = value;
		else if (strncmp(key, "PARAM_VALUES_FILES_", 19) == 0 && *value) {
			files[n].var = key;
			files[n].value = value;
			n++;
		} else if (strcmp(key, "PARAM_VALUES_FILES") == 0)
			diag_add(ctx->diags, DKF142, at,
				 "PARAM_VALUES_FILES is set, but deployKF's plugin reads values_files "
				 "only as an array (PARAM_VALUES_FILES_0, ...), so it is ignored");
		else if (strncmp(key, "PARAM_VALUES_", 13) == 0 && key[13] >= '0' && key[13] <= '9')
			diag_add(ctx->diags, DKF142, at,
				 "%s is set, but deployKF's plugin reads values only as a string "
				 "(PARAM_VALUES), so it is ignored",
				 key);
	}
	/* bash lists ${!PARAM_VALUES_FILES_@} sorted by name, as text */
	qsort(files, n, sizeof(*files), by_variable_name);
	out->values_files = arena_alloc(ctx->arena, (n + 1) * sizeof(*out->values_files));
	for (size_t i = 0; i < n; i++) {
		out->values_files[i].text = files[i].value;
		out->values_files[i].len = strlen(files[i].value);
		out->values_files[i].at = mark_at(files[i].var, 0, 0);
	}
	out->values_file_count = n;
	free(files);
	out->name = name ? arena_strdup(ctx->arena, name) : "the plugin's parameters";
	out->is_named = name != NULL;
	out->at = mark_at(NULL, 0, 0);
	out->base_dir = ".";
	read_version(ctx, out);
}

/* ------------------------------------------------------------- evaluation */

static bool file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* A finding inside a values string whose lines no line of the file holds
 * (a quoted string with escapes) stands at the string's start: say so. */
static void note_unplaced(struct diag_list *diags, size_t first, const struct plugin_app *app)
{
	const struct plugin_string_origin *o =
		(const struct plugin_string_origin *)app->values_origin;
	if (!o)
		return;
	for (size_t i = first; i < diags->count; i++) {
		struct diag *d = &diags->items[i];
		if (d->note || !d->at.file || d->at.line != o->fallback.line ||
		    d->at.col != o->fallback.col || strcmp(d->at.file, o->fallback.file) != 0)
			continue;
		diag_set_note(diags, d, o->fallback,
			      "the finding is inside the values string, whose lines cannot be "
			      "told apart in this file (it is quoted, with escapes); write it as a "
			      "block scalar ('string: |') to see the line");
	}
}

const char *plugin_values_path(const struct plugin_app *app, size_t i, struct arena *arena)
{
	return join(arena, app->base_dir, app->values_files[i].text);
}

bool plugin_evaluate(const struct plugin_context *ctx, const struct plugin_app *app,
		     struct arena *arena, struct stack_result *out, enum dkf_version *version)
{
	struct diag_list *diags = ctx->diags;
	size_t first = diags->count;
	memset(out, 0, sizeof(*out));
	*version = app->has_version ? app->version : DKF_VERSION_DEFAULT;
	if (ctx->has_version_option) {
		if (app->has_version && app->version != ctx->version_option)
			diag_add(diags, DKF148, app->source_version.at,
				 "--deploykf-version %s wins over source_version '%s' of Application "
				 "'%s'",
				 version_name(ctx->version_option), app->source_version.text,
				 app->name);
		*version = ctx->version_option;
	}
	bool ok = !app->is_refused;
	struct stack_options options = *ctx->options;
	if (app->source_path.text)
		options.source_path = join(ctx->arena, app->base_dir, app->source_path.text);
	struct stack stack;
	char err[512];
	if (ok && stack_init(&stack, &options, arena, diags, err, sizeof(err)) != 0) {
		diag_add(diags, DKF145, app->source_path.at,
			 "the source_path of Application '%s' is not a deployKF source tree here (%s); "
			 "check --repo-root",
			 app->name, err);
		ok = false;
	}
	struct stack_layer *layers = NULL;
	size_t n = 0;
	if (ok) {
		layers = xcalloc(app->values_file_count + 3, sizeof(*layers));
		for (size_t i = 0; i < app->values_file_count; i++) {
			const struct plugin_value *v = &app->values_files[i];
			/* the name outlives arena: diagnostics and the excerpt book keep it */
			const char *path = plugin_values_path(app, i, ctx->arena);
			if (!file_exists(path)) {
				if (is_deploykf_repo(app->repo_url))
					diag_add(diags, DKF146, v->at,
						 "'%s' comes from deployKF's own repository (its sample "
						 "values, which keep this policy's defaults); checked as "
						 "if it set nothing",
						 v->text);
				else
					diag_add(diags, DKF145, v->at,
						 "values file '%s' is not at '%s' here; it is left out of "
						 "the check (the plugin reads it from %s; point "
						 "--repo-root at a checkout of that repository)",
						 v->text, path,
						 app->repo_url ? app->repo_url : "the repository");
				continue;
			}
			if (stack_load(&stack, path, arena, &layers[n], err, sizeof(err)) != 0) {
				diag_add(diags, DKF145, v->at, "values file '%s': %s", v->text,
					 err);
				continue;
			}
			n++;
		}
		if (app->values.text) {
			struct source src;
			source_from_memory(&src,
					   app->values_origin ? app->values_origin->file
							      : app->values.at.file,
					   app->values.text, app->values.len);
			struct stack_layer *layer = &layers[n++];
			layer->name = src.name;
			layer->failed =
				yload_embedded(&src, app->values_origin, block_wanted_keys,
					       &options.limits, arena, diags, &layer->root) != 0;
		}
		struct source plugin_src;
		source_from_memory(&plugin_src, plugin_layer_name, plugin_layer_text,
				   sizeof(plugin_layer_text) - 1);
		struct stack_layer *layer = &layers[n++];
		layer->name = plugin_layer_name;
		layer->failed = yload_embedded(&plugin_src, NULL, block_wanted_keys,
					       &options.limits, arena, diags, &layer->root) != 0;
		ok = stack_evaluate(&stack, layers, n, arena, out);
	}
	free(layers);
	note_unplaced(diags, first, app);
	if (app->is_named)
		diag_set_context(diags, first, app->at, "in Application '%s'", app->name);
	return ok;
}
