#include "yload.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "excerpt.h"
#include "keyset.h"
#include "pathkeys.h"
#include "suppress.h"
#include "xalloc.h"

/* A map or list being read. */
struct frame {
	enum node_kind kind;
	bool building;   /* the node is being built; otherwise streamed past */
	bool keep_all;   /* build every value below */
	bool is_public;
	const struct yload_want *want; /* wanted keys of a map on the path */
	const struct yload_want *item_want; /* wanted keys of this list's map items */
	struct mark mark;
	char *anchor;    /* heap; register the node under this name when it ends */
	/* children being collected (heap, copied to the arena at the end) */
	struct node_pair *pairs;
	struct node **items;
	size_t count, alloc;
	size_t weight;
	/* map state: between a key and its value */
	bool have_key;
	struct node *key;           /* the key node when building */
	bool skip_value;            /* the key was not a scalar, or is not wanted */
	bool value_public;          /* the value is on the path to the block or in it */
	const struct yload_want *value_want;
	const struct yload_want *value_items;
	bool value_keep_all;
	bool is_key; /* this collection is itself a (refused) map key */
	/* the current key is `<<`: its value is built and checked even in a
	 * streamed-past map, since yaml.v3 refuses a bad merge anywhere */
	bool value_is_merge;
	bool value_via_alias;
	struct mark merge_key_at;
};

struct anchor_entry {
	char *name; /* heap */
	struct node *node;
};

struct loader {
	const struct source *src;
	const struct yload_want *top;
	const struct yload_limits *limits;
	struct arena *arena;
	struct diag_list *diags;
	yaml_parser_t parser;
	struct frame *frames;
	size_t depth, frames_alloc;
	struct keyset keys;         /* for duplicate keys, per open map */
	struct anchor_entry *anchors;
	size_t anchor_count, anchor_alloc;
	size_t expanded;    /* alias budget used */
	size_t held;        /* node budget used: values built and keys remembered */
	struct node *root;
	bool root_set;
	bool failed; /* deployKF could not load the file; keep reading for more problems */
	bool fatal;  /* stop reading: syntax error, a limit, a second document */
	struct excerpt_file *excerpt; /* lines that must never be quoted, or NULL */
	/* texts of keys built lately, shared by later keys written the same */
	struct {
		const char *text;
		size_t len;
	} key_texts[64];
	/* streaming input */
	size_t bytes_read;
	bool reached_end;             /* every byte was read */
	struct suppress_watch watch;  /* for suppression markers, on the way */
	bool too_large;
	int read_errno;
};

static struct mark mark_of(const struct loader *ld, yaml_mark_t m)
{
	struct mark at = { ld->src->name, (unsigned)m.line + 1, (unsigned)m.column + 1 };
	return at;
}

/* ------------------------------------------------------------- anchors */

static void anchor_define(struct loader *ld, const char *name, struct node *node)
{
	/* A redefined anchor replaces the old one for the aliases after it. */
	for (size_t i = ld->anchor_count; i-- > 0;) {
		if (strcmp(ld->anchors[i].name, name) == 0) {
			ld->anchors[i].node = node;
			return;
		}
	}
	if (ld->anchor_count == ld->anchor_alloc) {
		ld->anchor_alloc = ld->anchor_alloc ? ld->anchor_alloc * 2 : 8;
		ld->anchors = xrealloc(ld->anchors, ld->anchor_alloc * sizeof(*ld->anchors));
	}
	ld->anchors[ld->anchor_count].name = xstrdup(name);
	ld->anchors[ld->anchor_count].node = node;
	ld->anchor_count++;
}

static struct node *anchor_find(const struct loader *ld, const char *name)
{
	for (size_t i = ld->anchor_count; i-- > 0;)
		if (strcmp(ld->anchors[i].name, name) == 0)
			return ld->anchors[i].node;
	return NULL;
}

/* ------------------------------------------------------------- building */

static void fail(struct loader *ld)
{
	ld->failed = true;
}

static void fail_fatal(struct loader *ld)
{
	ld->failed = true;
	ld->fatal = true;
}

static size_t add_weight(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static struct frame *top_frame(struct loader *ld)
{
	return ld->depth ? &ld->frames[ld->depth - 1] : NULL;
}

/* Where the next value goes, and whether to build it. */
struct value_context {
	bool build;
	bool keep_all;
	bool is_public;
	bool is_key;
	const struct yload_want *want;
	const struct yload_want *items; /* for a list: see yload_want.items */
};

static const struct yload_want *want_text(const struct yload_want *table, const char *text,
					  size_t len)
{
	if (!table)
		return NULL;
	for (const struct yload_want *w = table; w->key; w++)
		if (strlen(w->key) == len && memcmp(w->key, text, len) == 0)
			return w;
	return NULL;
}

static const struct yload_want *want_child(const struct yload_want *table, const struct node *key)
{
	return node_is_string(key) ? want_text(table, key->text, key->len) : NULL;
}

static struct value_context context_for_next(struct loader *ld)
{
	struct value_context c = { 0 };
	struct frame *f = top_frame(ld);
	if (!f) {
		c.build = true;
		c.is_public = true;
		c.want = ld->top;
		return c;
	}
	c.keep_all = f->keep_all;
	c.is_public = f->is_public;
	if (f->kind == NODE_SEQ) {
		c.build = f->building;
		c.want = f->item_want;
		return c;
	}
	if (!f->have_key) {
		/* Keys of a built map are built (they are scalars); keys of a skipped
		 * map are only looked at for duplicates. */
		c.is_key = true;
		c.build = f->building;
		return c;
	}
	c.build = f->building && !f->skip_value;
	c.is_public = f->value_public;
	c.want = f->value_want;
	c.items = f->value_items;
	c.keep_all = f->keep_all || f->value_keep_all;
	if (f->value_is_merge && !f->building) {
		c.build = true;
		c.keep_all = true;
		c.is_public = false;
	}
	return c;
}

/*
 * Count one value or key the loader keeps in memory. Streamed-past values
 * cost nothing, but anchored values are built whole and every key of every
 * map is remembered for duplicate detection, so a 60 MB file of one huge
 * anchored list or one huge map would otherwise cost gigabytes. Stops the
 * load at the first value over the budget.
 */
static void hold(struct loader *ld, struct mark at)
{
	size_t max = ld->limits->max_nodes ? ld->limits->max_nodes : YLOAD_DEFAULT_MAX_NODES;
	if (++ld->held <= max || ld->fatal)
		return;
	diag_add(ld->diags, DKF113, at,
		 "the file holds more than %zu values and keys; refused (raise --max-nodes if "
		 "it is real)",
		 max);
	fail_fatal(ld);
}

/*
 * Where the path expects a map (c->want is set), anything else is a wrong
 * type whose text is not ours to show: a list or scalar there may be any
 * value at all, a password included. Only a map there stays public.
 */
static bool is_public_as(const struct value_context *c, enum node_kind kind)
{
	return c->build && c->is_public && (!c->want || kind == NODE_MAP);
}

/*
 * A built key's text. A list of maps repeats its keys in every item (2,000
 * credentials, 2,000 times "existingSecret"): node texts are never changed,
 * so equal keys share one copy, found in a small cache of recent ones.
 */
static const char *key_text(struct loader *ld, const char *text, size_t len)
{
	size_t slot = keyset_hash(text, len) % (sizeof(ld->key_texts) / sizeof(ld->key_texts[0]));
	if (ld->key_texts[slot].text && ld->key_texts[slot].len == len &&
	    memcmp(ld->key_texts[slot].text, text, len) == 0)
		return ld->key_texts[slot].text;
	char *copy = arena_strndup(ld->arena, text, len);
	ld->key_texts[slot].text = copy;
	ld->key_texts[slot].len = len;
	return copy;
}

static struct node *new_node(struct loader *ld, enum node_kind kind, struct mark at, bool is_public)
{
	hold(ld, at);
	struct node *n = arena_alloc(ld->arena, sizeof(*n));
	n->kind = kind;
	n->mark = at;
	n->canonical = "";
	n->is_public = is_public;
	n->weight = 1;
	return n;
}

static void frame_add(struct frame *f, struct node_pair pair, struct node *item)
{
	if (f->count == f->alloc) {
		f->alloc = f->alloc ? f->alloc * 2 : 8;
		if (f->kind == NODE_MAP)
			f->pairs = xrealloc(f->pairs, f->alloc * sizeof(*f->pairs));
		else
			f->items = xrealloc(f->items, f->alloc * sizeof(*f->items));
	}
	if (f->kind == NODE_MAP)
		f->pairs[f->count++] = pair;
	else
		f->items[f->count++] = item;
}

static void check_weight(struct loader *ld, struct frame *f, struct mark at)
{
	if (f->weight > ld->limits->max_alias_nodes && !ld->failed) {
		diag_add(ld->diags, DKF110, at,
			 "this value expands to more than %zu values through aliases; "
			 "deployKF refuses such a file (raise --max-alias-nodes if it is real)",
			 ld->limits->max_alias_nodes);
		fail_fatal(ld);
	}
}

/*
 * Decide, for a new key, whether its value is built: yes inside a kept
 * subtree, for a wanted key on the path, and for `<<` (merged into the map).
 */
static void frame_set_key(struct loader *ld, struct frame *f, struct node *key, bool key_ok)
{
	f->have_key = true;
	f->key = key;
	f->skip_value = !key_ok;
	f->value_want = NULL;
	f->value_items = NULL;
	f->value_keep_all = false;
	f->value_public = false;
	if (!key_ok || !f->building)
		return;
	if (f->keep_all || key->value_type == SCALAR_MERGE) {
		f->value_keep_all = true;
		f->value_public = f->is_public;
		return;
	}
	const struct yload_want *w = want_child(f->want, key);
	if (!w) {
		f->skip_value = true;
		return;
	}
	f->value_keep_all = w->keep_all;
	f->value_want = w->children;
	f->value_items = w->items;
	/* argocd.namespace and the profiles are read, but are not the block */
	f->value_public = f->is_public && w->is_public;
	(void)ld;
}

/* Record a key for duplicate detection: text is the scalar's text, or an
 * alias key's anchor name; shown is the key as written when the map is built
 * (it may be quoted in the message), else NULL. */
static void note_key(struct loader *ld, struct frame *f, const char *shown, const char *text,
		     size_t len, bool is_alias, struct mark at)
{
	/* identity = node kind + text, as yaml.v3 compares keys */
	struct mark first = { at.file, 0, 0 };
	switch (keyset_insert(&ld->keys, (size_t)(f - ld->frames), is_alias ? 'a' : 's', text, len,
			      at.line, at.col, &first.line, &first.col)) {
	case KEYSET_NEW:
		if (!shown)
			hold(ld, at); /* a built key was counted as a node already */
		return;
	case KEYSET_TOO_MANY:
		diag_add(ld->diags, DKF111, at,
			 "the keys of this map take more than 4 GiB, more than dkfpolicy checks "
			 "for repeats; refused (split the map)");
		fail_fatal(ld);
		return;
	case KEYSET_DUPLICATE:
		break;
	}
	struct diag *d;
	if (f->is_public && shown) {
		d = diag_add(ld->diags, DKF105, at,
			     "'%s' is set twice in this map; deployKF's YAML parser fails with "
			     "\"mapping key already defined\"; keep one of them",
			     shown);
		d->may_quote = true;
	} else
		d = diag_add(ld->diags, DKF105, at,
			     "a key is set twice in this map; deployKF's YAML parser fails with "
			     "\"mapping key already defined\"; keep one of them");
	diag_set_note(ld->diags, d, first, "first set here");
	fail(ld);
}

/*
 * Whether n may follow `<<`, as yaml.v3's decoder merge() checks: a map, an
 * alias of a map, or a list written in place whose items are maps or
 * aliases of maps. An alias of a list is refused.
 */
static bool merge_source_ok(const struct node *n, bool via_alias)
{
	if (n->kind == NODE_MAP)
		return true;
	if (n->kind != NODE_SEQ || via_alias)
		return false;
	for (size_t i = 0; i < n->count; i++)
		if (n->items[i]->kind != NODE_MAP)
			return false;
	return true;
}

/* A map's value was read: the next event is a key. */
static void value_done(struct frame *f)
{
	f->value_is_merge = false;
	f->value_via_alias = false;
	f->have_key = false;
	f->key = NULL;
}

/* Attach a finished value to its parent (or make it the root). */
static void place_value(struct loader *ld, struct node *n, const struct value_context *c)
{
	struct frame *f = top_frame(ld);
	if (!f) {
		ld->root = n;
		ld->root_set = true;
		return;
	}
	if (f->kind == NODE_SEQ) {
		if (f->building && n) {
			frame_add(f, (struct node_pair){ 0 }, n);
			f->weight = add_weight(f->weight, n->weight);
		}
		return;
	}
	if (c->is_key)
		return; /* keys are handled where they are read */
	if (f->value_is_merge && n && !merge_source_ok(n, f->value_via_alias)) {
		diag_add(ld->diags, DKF107, f->merge_key_at,
			 "'<<' must merge a map or a list of maps, not %s%s; deployKF's YAML "
			 "parser fails here",
			 f->value_via_alias ? "an alias of a " : "",
			 n->kind == NODE_SEQ ? (f->value_via_alias ? "list" : "a list of other values")
					     : node_kind_name(n));
		fail(ld);
	}
	if (f->building && n && !f->skip_value) {
		frame_add(f, (struct node_pair){ f->key, n }, NULL);
		f->weight = add_weight(f->weight, n->weight);
	} else if (f->building && f->key) {
		/* a streamed-past value: keep the key, so checks can see it */
		frame_add(f, (struct node_pair){ f->key, NULL }, NULL);
	}
	value_done(f);
}

static bool tag_is(const char *tag, const char *name)
{
	static const char prefix[] = "tag:yaml.org,2002:";
	return tag && strncmp(tag, prefix, sizeof(prefix) - 1) == 0 &&
	       strcmp(tag + sizeof(prefix) - 1, name) == 0;
}

static void resolve_scalar(struct loader *ld, const yaml_event_t *ev, struct scalar_value *value,
			   bool *is_plain, struct mark at, bool report)
{
	const char *text = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	const char *tag = (const char *)ev->data.scalar.tag;
	*is_plain = false;
	/* the non-specific tag "!" on a plain scalar leaves it untagged (yaml.v3) */
	if (tag && strcmp(tag, "!") == 0 && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
		tag = NULL;
	if (tag && strcmp(tag, "!") != 0) {
		if (!scalar_resolve_tagged(tag, text, len, value) && report) {
			diag_add(ld->diags, DKF108, at,
				 "the value does not fit its tag '%s'; deployKF's YAML parser fails here; "
				 "remove the tag or fix the value",
				 tag_is(tag, "int") ? "!!int" : tag_is(tag, "bool") ? "!!bool"
				 : tag_is(tag, "float") ? "!!float" : tag_is(tag, "null") ? "!!null"
				 : tag_is(tag, "timestamp") ? "!!timestamp" : "?");
			fail(ld);
		}
		return;
	}
	if (!tag && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		*is_plain = true;
		scalar_resolve_plain(text, len, value);
		return;
	}
	memset(value, 0, sizeof(*value));
	value->type = SCALAR_STRING;
}

static void on_scalar(struct loader *ld, const yaml_event_t *ev, const struct value_context *cp)
{
	struct value_context c = *cp;
	struct frame *f = top_frame(ld);
	struct mark at = mark_of(ld, ev->start_mark);
	const char *anchor = (const char *)ev->data.scalar.anchor;
	bool build = c.build || anchor;
	struct scalar_value value;
	bool is_plain;
	if (!build && !c.is_key) {
		/*
		 * A value streamed past (most scalars of a large file): what it means
		 * does not matter, so it is not resolved. Only an explicit tag can
		 * make yaml.v3 fail on it (`!!int abc`), so only then is it checked.
		 */
		if (ev->data.scalar.tag)
			resolve_scalar(ld, ev, &value, &is_plain, at, true);
		place_value(ld, NULL, &c);
		return;
	}
	if (c.is_key && !f->building && !anchor) {
		/*
		 * A key of a streamed-past map: looked at for duplicates (by text, as
		 * yaml.v3 does) and for `<<`; its type matters only when a tag could
		 * make yaml.v3 fail on it, so only then is it resolved.
		 */
		bool is_merge;
		if (ev->data.scalar.tag) {
			resolve_scalar(ld, ev, &value, &is_plain, at, true);
			is_merge = value.type == SCALAR_MERGE;
		} else {
			is_merge = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
				   ev->data.scalar.length == 2 &&
				   memcmp(ev->data.scalar.value, "<<", 2) == 0;
		}
		note_key(ld, f, NULL, (const char *)ev->data.scalar.value, ev->data.scalar.length,
			 false, at);
		frame_set_key(ld, f, NULL, true);
		f->value_is_merge = is_merge;
		f->merge_key_at = at;
		return;
	}
	resolve_scalar(ld, ev, &value, &is_plain, at, true);
	if (c.is_key && f->building && !f->keep_all && !anchor && value.type == SCALAR_STRING &&
	    !want_text(f->want, (const char *)ev->data.scalar.value, ev->data.scalar.length) &&
	    !pathkeys_may_matter((const char *)ev->data.scalar.value, ev->data.scalar.length)) {
		/*
		 * A key on the path that no check reads (most top-level keys of a
		 * large file) and that is no misspelling of the path either:
		 * checked for duplicates, then dropped with its value, so memory
		 * does not grow with the part of the file outside the block.
		 */
		note_key(ld, f, (const char *)ev->data.scalar.value,
			 (const char *)ev->data.scalar.value, ev->data.scalar.length, false, at);
		frame_set_key(ld, f, NULL, false);
		return;
	}
	struct node *n = NULL;
	if (build || c.is_key) {
		n = new_node(ld, NODE_SCALAR, at, is_public_as(&c, NODE_SCALAR));
		n->text = c.is_key ? key_text(ld, (const char *)ev->data.scalar.value,
					      ev->data.scalar.length)
				   : arena_strndup(ld->arena, (const char *)ev->data.scalar.value,
						   ev->data.scalar.length);
		n->len = ev->data.scalar.length;
		node_set_value(n, ld->arena, &value);
		n->is_plain = is_plain;
		if (anchor)
			anchor_define(ld, anchor, n);
	}
	if (c.is_key) {
		note_key(ld, f, f->building ? n->text : NULL, n->text, n->len, false, at);
		frame_set_key(ld, f, n, true);
		/* a key's line shows its value: public only when the value is */
		n->is_public = f->value_public;
		f->value_is_merge = value.type == SCALAR_MERGE;
		f->merge_key_at = at;
		return;
	}
	place_value(ld, c.build ? n : NULL, &c);
}

static void on_alias(struct loader *ld, const yaml_event_t *ev, const struct value_context *cp)
{
	struct value_context c = *cp;
	struct frame *f = top_frame(ld);
	struct mark at = mark_of(ld, ev->start_mark);
	const char *name = (const char *)ev->data.alias.anchor;
	struct node *target = anchor_find(ld, name);
	if (!target) {
		/* the name is file text: quote it only on the path to the block or in it */
		if (c.build && c.is_public)
			diag_add(ld->diags, DKF106, at,
				 "alias '*%s' refers to no anchor defined before it; define '&%s' "
				 "first",
				 name, name);
		else
			diag_add(ld->diags, DKF106, at,
				 "this alias refers to no anchor defined before it; define the anchor "
				 "first");
		fail(ld);
		if (c.is_key)
			frame_set_key(ld, f, NULL, false);
		else
			place_value(ld, NULL, &c);
		return;
	}
	ld->expanded = add_weight(ld->expanded, target->weight);
	if (ld->expanded > ld->limits->max_alias_nodes && !ld->failed) {
		diag_add(ld->diags, DKF110, at,
			 "aliases in this file expand to more than %zu values; deployKF refuses "
			 "excessive aliasing (raise --max-alias-nodes if the file is real)",
			 ld->limits->max_alias_nodes);
		fail_fatal(ld);
	}
	if (c.is_key) {
		if (target->kind != NODE_SCALAR) {
			diag_add(ld->diags, DKF104, at,
				 "this key is an alias of a %s; map keys must be plain values",
				 node_kind_name(target));
			fail(ld);
			frame_set_key(ld, f, NULL, false);
			return;
		}
		note_key(ld, f, f->building ? target->text : NULL, name, strlen(name), true, at);
		frame_set_key(ld, f, target, true);
		return;
	}
	if (f && f->kind == NODE_MAP)
		f->value_via_alias = true;
	place_value(ld, c.build ? target : NULL, &c);
}

/* A new frame for a map or list at at, streamed past until told otherwise. */
static struct frame *open_frame(struct loader *ld, enum node_kind kind, struct mark at)
{
	if (ld->depth == ld->frames_alloc) {
		ld->frames_alloc = ld->frames_alloc ? ld->frames_alloc * 2 : 16;
		ld->frames = xrealloc(ld->frames, ld->frames_alloc * sizeof(*ld->frames));
	}
	if (kind == NODE_MAP)
		keyset_open(&ld->keys, ld->depth);
	struct frame *f = &ld->frames[ld->depth++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->mark = at;
	f->weight = 1;
	return f;
}

static void push_frame(struct loader *ld, const yaml_event_t *ev, enum node_kind kind,
		       const struct value_context *cp)
{
	struct value_context c = *cp;
	struct mark at = mark_of(ld, ev->start_mark);
	const char *anchor = kind == NODE_MAP ? (const char *)ev->data.mapping_start.anchor
					      : (const char *)ev->data.sequence_start.anchor;
	if (c.is_key) {
		struct frame *f = top_frame(ld);
		diag_add(ld->diags, DKF104, at,
			 "this key is a %s; map keys must be plain values such as 'enabled'",
			 kind == NODE_MAP ? "map" : "list");
		fail(ld);
		frame_set_key(ld, f, NULL, false);
		c.build = false;
		anchor = NULL;
	}
	if (ld->depth >= ld->limits->max_depth) {
		if (!ld->failed)
			diag_add(ld->diags, DKF109, at,
				 "values nest more than %u levels deep here; refused (raise "
				 "--max-depth if the file is real)",
				 ld->limits->max_depth);
		fail_fatal(ld);
	}
	struct frame *f = open_frame(ld, kind, at);
	f->is_key = c.is_key;
	if (anchor) {
		/* Anchored values are built whole: an alias anywhere may use them. */
		f->anchor = xstrdup(anchor);
		f->building = true;
		f->keep_all = true;
		f->is_public = is_public_as(&c, kind);
		return;
	}
	f->building = c.build;
	f->is_public = is_public_as(&c, kind);
	f->want = kind == NODE_MAP ? c.want : NULL;
	f->item_want = kind == NODE_SEQ ? c.items : NULL;
	/* A list, or a map reached by an unexpected type, is kept whole, unless
	 * only some keys of a list's map items are wanted. */
	f->keep_all = c.keep_all || (c.build && (kind == NODE_SEQ ? !c.items : !c.want));
}

/* Merge `<<` sources into a finished map, as yaml.v3 does: explicit keys
 * win, then earlier sources win over later ones. */
static bool merged_has(const struct node_pair *pairs, size_t count, const struct node *key)
{
	for (size_t i = 0; i < count; i++) {
		const struct node *k = pairs[i].key;
		if (k->value_type != key->value_type)
			continue;
		if (key->value_type == SCALAR_STRING) {
			if (k->len == key->len && memcmp(k->text, key->text, k->len) == 0)
				return true;
		} else if (strcmp(k->canonical, key->canonical) == 0) {
			return true;
		}
	}
	return false;
}

static bool merge_one(struct loader *ld, struct frame *f, const struct node *src,
		      struct node_pair **out, size_t *out_count, size_t *out_alloc)
{
	if (src->kind != NODE_MAP)
		return false;
	for (size_t i = 0; i < src->count; i++) {
		const struct node_pair *p = &src->pairs[i];
		if (merged_has(*out, *out_count, p->key))
			continue;
		if (*out_count == *out_alloc) {
			*out_alloc = *out_alloc ? *out_alloc * 2 : 8;
			*out = xrealloc(*out, *out_alloc * sizeof(**out));
		}
		(*out)[(*out_count)++] = *p;
		if (p->value)
			f->weight = add_weight(f->weight, p->value->weight);
	}
	(void)ld;
	return true;
}

static void apply_merges(struct loader *ld, struct frame *f)
{
	bool any = false;
	for (size_t i = 0; i < f->count; i++)
		if (f->pairs[i].key->value_type == SCALAR_MERGE)
			any = true;
	if (!any)
		return;
	struct node_pair *out = NULL;
	size_t count = 0, alloc = 0;
	for (size_t i = 0; i < f->count; i++) {
		if (f->pairs[i].key->value_type == SCALAR_MERGE)
			continue;
		if (count == alloc) {
			alloc = alloc ? alloc * 2 : 8;
			out = xrealloc(out, alloc * sizeof(*out));
		}
		out[count++] = f->pairs[i];
	}
	for (size_t i = 0; i < f->count; i++) {
		const struct node_pair *p = &f->pairs[i];
		if (p->key->value_type != SCALAR_MERGE || !p->value)
			continue;
		/* a bad source was reported when it was placed (place_value) */
		const struct node *v = p->value;
		if (v->kind == NODE_SEQ) {
			for (size_t j = 0; j < v->count; j++)
				merge_one(ld, f, v->items[j], &out, &count, &alloc);
		} else {
			merge_one(ld, f, v, &out, &count, &alloc);
		}
	}
	free(f->pairs);
	f->pairs = out;
	f->count = count;
	f->alloc = alloc;
}

static void pop_frame(struct loader *ld)
{
	struct frame *f = top_frame(ld);
	struct node *n = NULL;
	if (f->building) {
		if (f->kind == NODE_MAP)
			apply_merges(ld, f);
		n = new_node(ld, f->kind, f->mark, f->is_public);
		n->count = f->count;
		/* over the alias budget (below 2^32) the load stops just below */
		n->weight = f->weight > UINT32_MAX ? UINT32_MAX : (uint32_t)f->weight;
		if (f->kind == NODE_MAP && f->count) {
			n->pairs = arena_alloc(ld->arena, f->count * sizeof(*n->pairs));
			memcpy(n->pairs, f->pairs, f->count * sizeof(*n->pairs));
		} else if (f->kind == NODE_SEQ && f->count) {
			n->items = arena_alloc(ld->arena, f->count * sizeof(*n->items));
			memcpy(n->items, f->items, f->count * sizeof(*n->items));
		}
		check_weight(ld, f, f->mark);
		if (f->anchor)
			anchor_define(ld, f->anchor, n);
	}
	bool was_key = f->is_key;
	if (f->kind == NODE_MAP)
		keyset_close(&ld->keys, ld->depth - 1);
	free(f->anchor);
	free(f->pairs);
	free(f->items);
	ld->depth--;
	if (was_key)
		return; /* a refused collection key: its value comes next */
	struct value_context c = context_for_next(ld);
	place_value(ld, c.build ? n : NULL, &c);
}

/*
 * Most events of a large file lie in values no check reads: a frame that is
 * streamed past (nothing built, not a refused key, no `<<` pending). Their
 * handling is fixed — keys go to the duplicate check, collections open and
 * close, every line is private — so it is done here without working out a
 * value context for each. Anything else (anchors, aliases, tags, `<<`, a
 * collection as a key, the depth limit, a built parent) goes to the general
 * handlers, which would do the same for these events, only slower.
 */
static bool stream_past(struct loader *ld, const yaml_event_t *ev)
{
	struct frame *f = top_frame(ld);
	if (!f || f->building || f->is_key || f->value_is_merge)
		return false;
	switch (ev->type) {
	case YAML_SCALAR_EVENT: {
		const char *text = (const char *)ev->data.scalar.value;
		size_t len = ev->data.scalar.length;
		if (ev->data.scalar.anchor || ev->data.scalar.tag)
			return false;
		if (f->kind == NODE_MAP && !f->have_key) {
			if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && len == 2 &&
			    memcmp(text, "<<", 2) == 0)
				return false;
			note_key(ld, f, NULL, text, len, false, mark_of(ld, ev->start_mark));
			frame_set_key(ld, f, NULL, true);
		} else if (f->kind == NODE_MAP) {
			value_done(f);
		}
		break;
	}
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT: {
		bool is_map = ev->type == YAML_MAPPING_START_EVENT;
		const char *anchor = is_map ? (const char *)ev->data.mapping_start.anchor
					    : (const char *)ev->data.sequence_start.anchor;
		if (anchor || (f->kind == NODE_MAP && !f->have_key) ||
		    ld->depth >= ld->limits->max_depth)
			return false;
		open_frame(ld, is_map ? NODE_MAP : NODE_SEQ, mark_of(ld, ev->start_mark));
		break;
	}
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT: {
		struct frame *parent = ld->depth >= 2 ? &ld->frames[ld->depth - 2] : NULL;
		if (!parent || parent->building)
			return false;
		if (f->kind == NODE_MAP)
			keyset_close(&ld->keys, ld->depth - 1);
		ld->depth--;
		if (parent->kind == NODE_MAP)
			value_done(parent);
		break;
	}
	default:
		return false;
	}
	if (ld->excerpt)
		excerpt_mark_private(ld->excerpt, (unsigned)ev->start_mark.line + 1,
				     (unsigned)ev->end_mark.line + 1);
	return true;
}

/* ------------------------------------------------------------- input */

static int read_stream(void *data, unsigned char *buffer, size_t size, size_t *size_read)
{
	struct loader *ld = data;
	errno = 0; /* the error below must be this read's, not an older one */
	size_t n = fread(buffer, 1, size, ld->src->fp);
	*size_read = n;
	ld->bytes_read += n;
	suppress_watch_feed(&ld->watch, (const char *)buffer, n);
	if (ld->bytes_read > ld->src->max_bytes) {
		ld->too_large = true;
		return 0;
	}
	/* also after a short read: a file that fails halfway is not valid input */
	if (ferror(ld->src->fp)) {
		ld->read_errno = errno ? errno : EIO;
		return 0;
	}
	if (n == 0)
		ld->reached_end = true;
	return 1;
}

/* libyaml's reader errors carry a byte offset, not a line: count lines up
 * to it (LF, CR LF and a lone CR each end a line, as in YAML). With
 * to_char_start, point at the character the byte at offset continues: for
 * "invalid trailing UTF-8 octet" libyaml gives the offset of the bad
 * continuation byte, but the user must fix the character it belongs to. */
static struct mark mark_at_offset(const struct loader *ld, size_t offset, bool to_char_start)
{
	struct mark at = { ld->src->name, 1, 1 };
	struct mark char_start = at;
	int prev = 0;
	FILE *fp = ld->src->fp;
	if (fp && fseek(fp, 0, SEEK_SET) != 0)
		return at;
	for (size_t i = 0; i < offset; i++) {
		int ch;
		if (fp) {
			ch = getc(fp);
			if (ch == EOF)
				break;
		} else {
			if (i >= ld->src->size)
				break;
			ch = (unsigned char)ld->src->data[i];
		}
		if ((ch & 0xc0) != 0x80)
			char_start = at;
		if (ch == '\n' && prev == '\r') {
			/* second half of CR LF: the line already ended */
		} else if (ch == '\n' || ch == '\r') {
			at.line++;
			at.col = 1;
		} else if ((ch & 0xc0) != 0x80) {
			at.col++;
		}
		prev = ch;
	}
	return to_char_start ? char_start : at;
}

static void report_parser_error(struct loader *ld)
{
	yaml_parser_t *p = &ld->parser;
	if (ld->too_large) {
		struct mark at = { ld->src->name, 0, 0 };
		diag_add(ld->diags, DKF111, at,
			 "the input is larger than %zu bytes; refused (raise --max-bytes if it is real)",
			 ld->src->max_bytes);
	} else if (ld->read_errno) {
		/* an I/O error, not a finding: yload returns YLOAD_READ_ERROR */
	} else if (p->error == YAML_READER_ERROR) {
		bool is_trailing = p->problem && strstr(p->problem, "trailing") != NULL;
		struct mark at = mark_at_offset(ld, p->problem_offset, is_trailing);
		diag_add(ld->diags, DKF112, at,
			 "%s; values files must be UTF-8 text; re-save the file as UTF-8",
			 p->problem ? p->problem : "unreadable text");
	} else if (p->error == YAML_MEMORY_ERROR) {
		fputs("dkfpolicy: out of memory\n", stderr);
		exit(2);
	} else {
		struct mark at = mark_of(ld, p->problem_mark);
		struct diag *d = diag_add(ld->diags, DKF101, at, "%s%s%s; deployKF cannot load this file",
					  p->problem ? p->problem : "syntax error",
					  p->context ? " " : "", p->context ? p->context : "");
		if (p->context && p->context_mark.line != p->problem_mark.line)
			diag_set_note(ld->diags, d, mark_of(ld, p->context_mark),
				      "the construct started here");
	}
	fail_fatal(ld);
}

/* Lines holding a value that is neither on the path nor in the block are
 * never quoted: they may hold passwords. Called before each event is used,
 * with the context of the value it starts (NULL for other events). */
static void note_privacy(struct loader *ld, const yaml_event_t *ev, const struct value_context *c)
{
	bool is_public;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
	case YAML_ALIAS_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		is_public = is_public_as(c, NODE_SCALAR);
		break;
	case YAML_MAPPING_START_EVENT:
		is_public = is_public_as(c, NODE_MAP);
		break;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		is_public = ld->depth && top_frame(ld)->is_public;
		break;
	default:
		return;
	}
	if (!is_public)
		excerpt_mark_private(ld->excerpt, (unsigned)ev->start_mark.line + 1,
				     (unsigned)ev->end_mark.line + 1);
}

static bool starts_value(yaml_event_type_t type)
{
	return type == YAML_SCALAR_EVENT || type == YAML_ALIAS_EVENT ||
	       type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT;
}

int yload(const struct source *src, const struct yload_want *top,
	  const struct yload_limits *limits, struct arena *arena, struct diag_list *diags,
	  struct node **root)
{
	struct loader ld;
	memset(&ld, 0, sizeof(ld));
	ld.src = src;
	ld.top = top;
	ld.limits = limits;
	ld.arena = arena;
	ld.diags = diags;
	if (diags->book) {
		/* stdin cannot be read again at report time: keep its text */
		const char *kept = src->data;
		if (src->owned_data) {
			/* in the book's arena: lint frees each file's arena before reporting */
			char *copy = arena_alloc(diags->book->arena, src->size + 1);
			memcpy(copy, src->data, src->size);
			copy[src->size] = '\0';
			kept = copy;
		}
		ld.excerpt = excerpt_book_add(diags->book, src->name, kept, src->size);
	}
	*root = NULL;

	if (!yaml_parser_initialize(&ld.parser)) {
		fputs("dkfpolicy: out of memory\n", stderr);
		exit(2);
	}
	if (src->fp)
		yaml_parser_set_input(&ld.parser, read_stream, &ld);
	else
		yaml_parser_set_input_string(&ld.parser, (const unsigned char *)src->data,
					     src->size);

	int documents = 0;
	bool done = false;
	while (!done && !ld.fatal) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&ld.parser, &ev)) {
			report_parser_error(&ld);
			break;
		}
		if (stream_past(&ld, &ev)) {
			yaml_event_delete(&ev);
			continue;
		}
		/* where the value an event starts goes: worked out once per event */
		struct value_context c = { 0 };
		if (starts_value(ev.type))
			c = context_for_next(&ld);
		if (ld.excerpt)
			note_privacy(&ld, &ev, &c);
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (++documents > 1) {
				diag_add(diags, DKF102, mark_of(&ld, ev.start_mark),
					 "a second YAML document starts here; deployKF reads only the "
					 "first and ignores the rest; merge them or pass another -f file");
				fail_fatal(&ld);
			}
			break;
		case YAML_SCALAR_EVENT: on_scalar(&ld, &ev, &c); break;
		case YAML_ALIAS_EVENT: on_alias(&ld, &ev, &c); break;
		case YAML_MAPPING_START_EVENT: push_frame(&ld, &ev, NODE_MAP, &c); break;
		case YAML_SEQUENCE_START_EVENT: push_frame(&ld, &ev, NODE_SEQ, &c); break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT: pop_frame(&ld); break;
		case YAML_STREAM_END_EVENT: done = true; break;
		default: break;
		}
		yaml_event_delete(&ev);
	}

	while (ld.depth) {
		struct frame *f = &ld.frames[--ld.depth];
		free(f->anchor);
		free(f->pairs);
		free(f->items);
	}
	free(ld.frames);
	keyset_release(&ld.keys);
	for (size_t i = 0; i < ld.anchor_count; i++)
		free(ld.anchors[i].name);
	free(ld.anchors);
	yaml_parser_delete(&ld.parser);
	if (ld.excerpt && src->fp && ld.reached_end && !ld.watch.seen)
		ld.excerpt->has_no_marker = true;

	if (ld.failed && ld.read_errno) {
		errno = ld.read_errno;
		return YLOAD_READ_ERROR;
	}
	if (ld.failed)
		return -1;
	if (ld.root && ld.root->kind != NODE_MAP && !node_is_null(ld.root)) {
		diag_add(diags, DKF103, ld.root->mark,
			 "the top level is a %s; a values file must be a map of keys such as "
			 "'deploykf_dependencies:'",
			 node_kind_name(ld.root));
		return -1;
	}
	*root = node_is_null(ld.root) ? NULL : ld.root;
	return 0;
}
