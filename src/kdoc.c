#include "kdoc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "scalar.h"
#include "source.h"
#include "xalloc.h"

/* ------------------------------------------------------------------ reading */

int kdoc_read_text(const char *path, size_t max_bytes, struct strbuf *buf, const char **name,
		   char *err, size_t errlen)
{
	struct source src;
	if (source_open(&src, path, max_bytes, err, errlen) != 0)
		return -1;
	*name = src.name;
	int rc = 0;
	if (src.data) {
		strbuf_add(buf, src.data, src.size);
	} else {
		char chunk[16384];
		size_t n;
		while ((n = fread(chunk, 1, sizeof(chunk), src.fp)) > 0) {
			if (buf->len + n > max_bytes) {
				snprintf(err, errlen,
					 "'%s' is larger than %zu bytes (raise the limit with "
					 "--max-bytes)",
					 path, max_bytes);
				rc = -1;
				break;
			}
			strbuf_add(buf, chunk, n);
		}
		if (rc == 0 && ferror(src.fp)) {
			snprintf(err, errlen, "cannot read '%s': %s", path,
				 strerror(errno ? errno : EIO));
			rc = -1;
		}
	}
	source_close(&src);
	return rc;
}

/* ------------------------------------------------------------------ parsing */

struct frame {
	struct kdoc_node *node;
	char *anchor; /* heap; registered when the collection ends */
	struct kdoc_pair *pairs;
	struct kdoc_node **items;
	size_t count, alloc;
	struct kdoc_node *key; /* a map's key waiting for its value */
};

struct parser {
	struct yparse y; /* the front end: input, positions, budgets, anchors */
	struct arena *arena;
	struct frame *frames;
	size_t depth, frames_alloc;
	struct kdoc_doc *docs; /* heap while parsing */
	size_t doc_count, doc_alloc;
	struct kdoc_node *root;
};

static struct mark mark_of(const struct parser *p, yaml_mark_t m)
{
	return yparse_mark(&p->y, m);
}

static void register_anchor(struct parser *p, const yaml_char_t *anchor, struct kdoc_node *node)
{
	if (anchor)
		yparse_anchor_define(&p->y, (const char *)anchor, node);
}

/* A finished node: the document's root, a map key or value, or a list item. */
static void add_node(struct parser *p, struct kdoc_node *node)
{
	if (p->depth == 0) {
		p->root = node;
		return;
	}
	struct frame *f = &p->frames[p->depth - 1];
	f->node->weight += node->weight;
	if (f->node->kind == NODE_MAP && !f->key) {
		f->key = node;
		return;
	}
	if (f->count == f->alloc) {
		f->alloc = f->alloc ? f->alloc * 2 : 8;
		if (f->node->kind == NODE_MAP)
			f->pairs = xrealloc(f->pairs, f->alloc * sizeof(*f->pairs));
		else
			f->items = xrealloc(f->items, f->alloc * sizeof(*f->items));
	}
	if (f->node->kind == NODE_MAP) {
		f->pairs[f->count].key = f->key;
		f->pairs[f->count].value = node;
		f->key = NULL;
	} else {
		f->items[f->count] = node;
	}
	f->count++;
}

static const char *explicit_tag(struct parser *p, const yaml_char_t *tag, bool implicit)
{
	if (!tag || implicit)
		return NULL;
	/* "!" alone only marks a non-plain scalar as a string */
	if (strcmp((const char *)tag, "!") == 0)
		return NULL;
	return arena_strdup(p->arena, (const char *)tag);
}

static bool on_scalar(struct parser *p, const yaml_event_t *ev)
{
	struct mark at = mark_of(p, ev->start_mark);
	/* every node is built: a manifest of millions is refused, not held */
	if (!yparse_hold(&p->y, at))
		return false;
	struct kdoc_node *n = arena_alloc(p->arena, sizeof(*n));
	n->kind = NODE_SCALAR;
	n->mark = at;
	n->end_line = yparse_mark(&p->y, ev->end_mark).line;
	n->tag = explicit_tag(p, ev->data.scalar.tag,
			      ev->data.scalar.plain_implicit || ev->data.scalar.quoted_implicit);
	n->style = ev->data.scalar.style;
	n->text = arena_strndup(p->arena, (const char *)ev->data.scalar.value,
				ev->data.scalar.length);
	n->len = ev->data.scalar.length;
	n->weight = 1;
	register_anchor(p, ev->data.scalar.anchor, n);
	add_node(p, n);
	return true;
}

static bool on_alias(struct parser *p, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	struct kdoc_node *n = yparse_anchor_find(&p->y, name);
	if (n) {
		if (!yparse_expand(&p->y, n->weight, mark_of(p, ev->start_mark)))
			return false;
		add_node(p, n);
		return true;
	}
	diag_add(p->y.diags, DKF106, mark_of(p, ev->start_mark),
		 "the alias '*%s' refers to no anchor defined before it in this document", name);
	p->y.failed = true;
	return false;
}

static bool push_frame(struct parser *p, const yaml_event_t *ev, enum node_kind kind)
{
	struct mark at = mark_of(p, ev->start_mark);
	if (!yparse_within_depth(&p->y, p->depth, at) || !yparse_hold(&p->y, at))
		return false;
	if (p->depth == p->frames_alloc) {
		p->frames_alloc = p->frames_alloc ? p->frames_alloc * 2 : 16;
		p->frames = xrealloc(p->frames, p->frames_alloc * sizeof(*p->frames));
	}
	struct frame *f = &p->frames[p->depth++];
	memset(f, 0, sizeof(*f));
	f->node = arena_alloc(p->arena, sizeof(*f->node));
	f->node->kind = kind;
	f->node->mark = at;
	f->node->weight = 1;
	const yaml_char_t *anchor, *tag;
	bool implicit;
	if (kind == NODE_MAP) {
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
		implicit = ev->data.mapping_start.implicit;
	} else {
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
		implicit = ev->data.sequence_start.implicit;
	}
	f->node->tag = explicit_tag(p, tag, implicit);
	if (anchor)
		f->anchor = xstrdup((const char *)anchor);
	return true;
}

static void pop_frame(struct parser *p)
{
	struct frame *f = &p->frames[--p->depth];
	struct kdoc_node *n = f->node;
	n->count = f->count;
	if (n->kind == NODE_MAP) {
		n->pairs = arena_alloc(p->arena, (f->count + 1) * sizeof(*n->pairs));
		if (f->count)
			memcpy(n->pairs, f->pairs, f->count * sizeof(*n->pairs));
	} else {
		n->items = arena_alloc(p->arena, (f->count + 1) * sizeof(*n->items));
		if (f->count)
			memcpy(n->items, f->items, f->count * sizeof(*n->items));
	}
	free(f->pairs);
	free(f->items);
	if (f->anchor) {
		register_anchor(p, (const yaml_char_t *)f->anchor, n);
		free(f->anchor);
	}
	add_node(p, n);
}

static void end_document(struct parser *p, struct mark start)
{
	if (p->doc_count == p->doc_alloc) {
		p->doc_alloc = p->doc_alloc ? p->doc_alloc * 2 : 8;
		p->docs = xrealloc(p->docs, p->doc_alloc * sizeof(*p->docs));
	}
	struct kdoc_doc *d = &p->docs[p->doc_count++];
	d->root = kdoc_is_null(p->root) ? NULL : p->root;
	d->mark = start;
	p->root = NULL;
	yparse_anchors_clear(&p->y); /* anchors are local to their document */
}

/* Parse every document of src into out. */
static void parse(const struct source *src, const struct yparse_limits *limits, struct arena *arena,
		  struct diag_list *diags, struct kdoc_file *out)
{
	struct parser p;
	memset(&p, 0, sizeof(p));
	yparse_init(&p.y, src, limits, &yparse_manifest_words, NULL, diags, NULL);
	p.arena = arena;
	memset(out, 0, sizeof(*out));
	out->name = src->name;

	struct mark doc_start = mark_at(src->name, 1, 1);
	bool done = false;
	while (!done) {
		yaml_event_t ev;
		if (!yparse_next(&p.y, &ev))
			break;
		bool ok = true;
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT: doc_start = mark_of(&p, ev.start_mark); break;
		case YAML_DOCUMENT_END_EVENT: end_document(&p, doc_start); break;
		case YAML_SCALAR_EVENT: ok = on_scalar(&p, &ev); break;
		case YAML_ALIAS_EVENT: ok = on_alias(&p, &ev); break;
		case YAML_MAPPING_START_EVENT: ok = push_frame(&p, &ev, NODE_MAP); break;
		case YAML_SEQUENCE_START_EVENT: ok = push_frame(&p, &ev, NODE_SEQ); break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT: pop_frame(&p); break;
		case YAML_STREAM_END_EVENT: done = true; break;
		default: break;
		}
		yaml_event_delete(&ev);
		if (!ok) {
			p.y.failed = true;
			break;
		}
	}

	while (p.depth) {
		struct frame *f = &p.frames[--p.depth];
		free(f->anchor);
		free(f->pairs);
		free(f->items);
	}
	free(p.frames);
	out->docs = arena_alloc(arena, (p.doc_count + 1) * sizeof(*out->docs));
	if (p.doc_count)
		memcpy(out->docs, p.docs, p.doc_count * sizeof(*out->docs));
	out->count = p.doc_count;
	out->failed = p.y.failed;
	out->read_errno = p.y.read_errno;
	free(p.docs);
	yparse_release(&p.y);
}

void kdoc_parse(const char *name, const char *data, size_t size, const struct yparse_limits *limits,
		struct arena *arena, struct diag_list *diags, struct kdoc_file *out)
{
	struct source src;
	source_from_memory(&src, name, data, size);
	parse(&src, limits, arena, diags, out);
}

int kdoc_load(const char *path, size_t max_bytes, const struct yparse_limits *limits,
	      struct arena *arena, struct diag_list *diags, struct kdoc_file *out, char *err,
	      size_t errlen)
{
	/* streamed: memory follows the nodes kept (the node budget), not the file */
	struct source src;
	if (source_open(&src, path, max_bytes, err, errlen) != 0)
		return -1;
	parse(&src, limits, arena, diags, out); /* every string is copied into the arena */
	source_close(&src);
	if (out->read_errno) {
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(out->read_errno));
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ access */

bool kdoc_is_null(const struct kdoc_node *n)
{
	if (!n)
		return true;
	if (n->kind != NODE_SCALAR)
		return false;
	if (n->tag)
		return strcmp(n->tag, YAML_NULL_TAG) == 0;
	if (n->style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	struct scalar_value v;
	scalar_resolve_plain(n->text, n->len, &v);
	return v.type == SCALAR_NULL;
}

const char *kdoc_string(const struct kdoc_node *n)
{
	if (!n || n->kind != NODE_SCALAR || kdoc_is_null(n))
		return NULL;
	if (n->tag && strcmp(n->tag, YAML_STR_TAG) != 0)
		return NULL;
	return n->text;
}

struct kdoc_pair *kdoc_get_pair(const struct kdoc_node *map, const char *key)
{
	if (!map || map->kind != NODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->count; i++) {
		const struct kdoc_node *k = map->pairs[i].key;
		if (k->kind == NODE_SCALAR && strcmp(k->text, key) == 0)
			return &map->pairs[i];
	}
	return NULL;
}

struct kdoc_node *kdoc_get(const struct kdoc_node *map, const char *key)
{
	struct kdoc_pair *p = kdoc_get_pair(map, key);
	return p ? p->value : NULL;
}

/* A node the preview writes itself (not read from a file): one alias-free value. */
static struct kdoc_node *new_kdoc_node(struct arena *arena, enum node_kind kind, struct mark at)
{
	struct kdoc_node *n = arena_alloc(arena, sizeof(*n));
	n->kind = kind;
	n->mark = at;
	n->weight = 1;
	return n;
}

struct kdoc_node *kdoc_new_string(struct arena *arena, const char *text, struct mark at,
				  bool is_key)
{
	struct kdoc_node *n = new_kdoc_node(arena, NODE_SCALAR, at);
	/* keys are our own fixed words; values are names from the values files */
	n->style = is_key ? YAML_PLAIN_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	n->text = arena_strdup(arena, text);
	n->len = strlen(text);
	return n;
}

struct kdoc_node *kdoc_new_map(struct arena *arena, size_t count, struct mark at)
{
	struct kdoc_node *n = new_kdoc_node(arena, NODE_MAP, at);
	n->pairs = arena_alloc(arena, (count + 1) * sizeof(*n->pairs));
	return n;
}

struct kdoc_node *kdoc_new_seq(struct arena *arena, size_t count, struct mark at)
{
	struct kdoc_node *n = new_kdoc_node(arena, NODE_SEQ, at);
	n->items = arena_alloc(arena, (count + 1) * sizeof(*n->items));
	return n;
}

void kdoc_map_append(struct arena *arena, struct kdoc_node *map, struct kdoc_node *key,
		     struct kdoc_node *value)
{
	struct kdoc_pair *pairs = arena_alloc(arena, (map->count + 2) * sizeof(*pairs));
	if (map->count)
		memcpy(pairs, map->pairs, map->count * sizeof(*pairs));
	pairs[map->count].key = key;
	pairs[map->count].value = value;
	map->pairs = pairs;
	map->count++;
	map->weight += key->weight + value->weight;
}

/* ------------------------------------------------------------------ writing */

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
	strbuf_add(data, buffer, size);
	return 1;
}

static bool emit(yaml_emitter_t *e, yaml_event_t *ev, bool made)
{
	/* yaml_emitter_emit frees the event, also on failure */
	return made && yaml_emitter_emit(e, ev);
}

static bool emit_scalar(yaml_emitter_t *e, const struct kdoc_node *n)
{
	yaml_event_t ev;
	yaml_scalar_style_t style = (yaml_scalar_style_t)n->style;
	/* A quoted string stays quoted (a kubectl reading YAML 1.1 must not see
	 * `"yes"` as a boolean); double quotes can say anything single ones can. */
	if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE)
		style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	int implicit = n->tag == NULL;
	return emit(e, &ev,
		    yaml_scalar_event_initialize(&ev, NULL, (yaml_char_t *)n->tag,
						 (yaml_char_t *)n->text, (int)n->len, implicit,
						 implicit, style));
}

static const struct kdoc_node empty_scalar = {
	.kind = NODE_SCALAR,
	.text = "",
	.style = YAML_PLAIN_SCALAR_STYLE,
};

struct emit_frame {
	const struct kdoc_node *node;
	size_t next; /* next child: for a map, 2*pair + (0 key, 1 value) */
};

/* Iterative, so a deep tree (or a chain of aliases) cannot exhaust the C stack. */
static bool emit_node(yaml_emitter_t *e, const struct kdoc_node *root)
{
	struct emit_frame *stack = NULL;
	size_t depth = 0, alloc = 0;
	const struct kdoc_node *n = root;
	bool ok = true;
	for (;;) {
		if (n) {
			yaml_event_t ev;
			if (n->kind == NODE_SCALAR) {
				ok = emit_scalar(e, n);
			} else {
				int implicit = n->tag == NULL;
				yaml_char_t *tag = (yaml_char_t *)n->tag;
				ok = n->kind == NODE_MAP
					     ? emit(e, &ev,
						    yaml_mapping_start_event_initialize(
							    &ev, NULL, tag, implicit,
							    YAML_BLOCK_MAPPING_STYLE))
					     : emit(e, &ev,
						    yaml_sequence_start_event_initialize(
							    &ev, NULL, tag, implicit,
							    YAML_BLOCK_SEQUENCE_STYLE));
				if (ok) {
					if (depth == alloc) {
						alloc = alloc ? alloc * 2 : 16;
						stack = xrealloc(stack, alloc * sizeof(*stack));
					}
					stack[depth].node = n;
					stack[depth].next = 0;
					depth++;
				}
			}
			if (!ok)
				break;
			n = NULL;
		}
		if (depth == 0)
			break;
		struct emit_frame *f = &stack[depth - 1];
		const struct kdoc_node *c = f->node;
		size_t total = c->kind == NODE_MAP ? 2 * c->count : c->count;
		if (f->next < total) {
			size_t i = f->next++;
			n = c->kind == NODE_MAP
				    ? (i % 2 ? c->pairs[i / 2].value : c->pairs[i / 2].key)
				    : c->items[i];
			if (!n) /* never built: write null rather than lose the key */
				n = &empty_scalar;
			continue;
		}
		yaml_event_t ev;
		ok = c->kind == NODE_MAP ? emit(e, &ev, yaml_mapping_end_event_initialize(&ev))
					 : emit(e, &ev, yaml_sequence_end_event_initialize(&ev));
		if (!ok)
			break;
		depth--;
	}
	free(stack);
	return ok;
}

int kdoc_emit(const struct kdoc_doc *docs, size_t count, struct strbuf *out)
{
	struct strbuf text;
	strbuf_init(&text);
	yaml_emitter_t e;
	if (!yaml_emitter_initialize(&e)) {
		fputs("dkfpolicy: out of memory\n", stderr);
		exit(2);
	}
	yaml_emitter_set_output(&e, write_handler, &text);
	yaml_emitter_set_width(&e, -1);
	yaml_emitter_set_unicode(&e, 1);
	yaml_emitter_set_indent(&e, 2);
	yaml_event_t ev;
	bool ok = emit(&e, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
	for (size_t i = 0; ok && i < count; i++) {
		if (!docs[i].root)
			continue;
		ok = emit(&e, &ev,
			  yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0)) &&
		     emit_node(&e, docs[i].root) &&
		     emit(&e, &ev, yaml_document_end_event_initialize(&ev, 1));
	}
	ok = ok && emit(&e, &ev, yaml_stream_end_event_initialize(&ev)) && yaml_emitter_flush(&e);
	yaml_emitter_delete(&e);
	if (ok)
		strbuf_add(out, text.buf, text.len);
	strbuf_release(&text);
	return ok ? 0 : -1;
}
