#include "yload.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "excerpt.h"
#include "keyset.h"
#include "check_pathkeys.h"
#include "yparse.h"
#include "xalloc.h"

/* A map or list being read. */
struct frame {
	unsigned long serial; /* which collection this is: frames are reused */
	enum node_kind kind;
	bool building; /* the node is being built; otherwise streamed past */
	bool keep_all; /* build every value below */
	bool is_public;
	const struct yload_want *want;      /* wanted keys of a map on the path */
	const struct yload_want *item_want; /* wanted keys of this list's map items */
	struct mark mark;
	char *anchor; /* heap; register the node under this name when it ends */
	/* children being collected (heap, copied to the arena at the end) */
	struct node_pair *pairs;
	struct node **items;
	size_t count, alloc;
	size_t weight;
	/* map state: between a key and its value */
	bool have_key;
	struct node *key;  /* the key node when building */
	bool skip_value;   /* the key was not a scalar, or is not wanted */
	bool value_public; /* the value is on the path to the block or in it */
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

struct loader {
	struct yparse p; /* the front end: input, positions, budgets, anchors */
	const struct yload_want *top;
	struct arena *arena;
	struct diag_list *diags;
	struct frame *frames;
	size_t depth, frames_alloc;
	struct keyset keys; /* for duplicate keys, per open map */
	struct node *root;
	bool root_set;
	/* deployKF reads the first document that is not null; once it has been
	 * read, the documents after it are only looked at for content */
	bool values_read;
	unsigned long frames_opened;
	/* the map holding a misplaced deploykf_dependencies, while it is open:
	 * what lies below it is not reported again */
	size_t misplaced_depth;
	unsigned long misplaced_serial;
	/* texts of keys built lately, shared by later keys written the same */
	struct {
		const char *text;
		size_t len;
	} key_texts[64];
};

static struct mark mark_of(const struct loader *ld, yaml_mark_t m)
{
	return yparse_mark(&ld->p, m);
}

/* Lines holding a value that is neither on the path nor in the block are
 * never quoted: they may hold passwords. Most events of a large file fall in
 * the range marked last, and are answered without a call. */
static void mark_private(struct loader *ld, const yaml_event_t *ev)
{
	unsigned first = (unsigned)ev->start_mark.line + 1, last = (unsigned)ev->end_mark.line + 1;
	if (ld->p.excerpt && !ld->p.origin)
		excerpt_mark_private(ld->p.excerpt, first, last);
	else
		yparse_private(&ld->p, first, last);
}

/* ------------------------------------------------------------- building */

/* deployKF could not load the file; reading goes on for more problems */
static void fail(struct loader *ld)
{
	ld->p.failed = true;
}

/* stop reading: a second document */
static void fail_fatal(struct loader *ld)
{
	ld->p.failed = true;
	ld->p.fatal = true;
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
	(void)yparse_hold(&ld->p, at);
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
	n->mark.is_public = is_public;
	n->canonical = "";
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
	if (f->weight > ld->p.limits->max_alias_nodes && !ld->p.failed) {
		diag_add(ld->diags, DKF110, at,
			 "this value expands to more than %zu values through aliases; "
			 "deployKF refuses such a file (raise --max-alias-nodes if it is real)",
			 ld->p.limits->max_alias_nodes);
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

/* A key, for duplicate detection. */
struct key_seen {
	const char *text; /* the scalar's text, or an alias key's anchor name */
	size_t len;
	const char *shown; /* the key as a message names it (its text; an alias's target) */
	bool is_alias;
	struct mark at; /* at.is_public: the key may be named and its line quoted */
	bool is_held;   /* already counted against the node budget */
};

/*
 * The block's own keys where deployKF never reads them: real files nest the
 * values under a made-up top-level key (`values:` or `deploykf:` holding
 * deploykf_dependencies) or under the wrong parent
 * (deploykf_core.kyverno.clusterPolicies). Off the path, any
 * `deploykf_dependencies` or `clusterPolicies` key is one (neither appears
 * anywhere else in deployKF's values). check_pathkeys.c covers the keys near the
 * path in the maps on it.
 */
static void watch_misplaced(struct loader *ld, const struct frame *f, const struct key_seen *k)
{
	size_t depth = (size_t)(f - ld->frames);
	if (ld->frames[0].kind != NODE_MAP)
		return; /* the top level is no map: that is the finding (DKF103) */
	if (ld->misplaced_serial && ld->misplaced_depth < depth &&
	    ld->frames[ld->misplaced_depth].serial == ld->misplaced_serial)
		return; /* inside one reported already */
	if (k->len == 21 && memcmp(k->text, "deploykf_dependencies", 21) == 0) {
		ld->misplaced_depth = depth;
		ld->misplaced_serial = f->serial;
		diag_add(ld->diags, DKF214, k->at,
			 "'deploykf_dependencies' is nested inside another key here, so deployKF "
			 "never reads it and the image-pull-secrets policy below it is not used; "
			 "move it to the top level of the values");
	} else if (k->len == 15 && memcmp(k->text, "clusterPolicies", 15) == 0)
		diag_add(ld->diags, DKF214, k->at,
			 "'clusterPolicies' here is not under deploykf_dependencies.kyverno, so "
			 "deployKF never reads it; move it to "
			 "deploykf_dependencies.kyverno.clusterPolicies");
}

static void note_key(struct loader *ld, struct frame *f, const struct key_seen *k)
{
	if (!f->is_public && (k->len == 21 || k->len == 15) && !k->is_alias)
		watch_misplaced(ld, f, k);
	/* identity = node kind + text, as yaml.v3 compares keys */
	struct mark at = k->at;
	unsigned first_line = 0, first_col = 0;
	switch (keyset_insert(&ld->keys, (size_t)(f - ld->frames), k->is_alias ? 'a' : 's', k->text,
			      k->len, at.line, at.col, &first_line, &first_col)) {
	case KEYSET_NEW:
		if (!k->is_held)
			hold(ld, at);
		return;
	case KEYSET_TOO_MANY:
		diag_add(ld->diags, DKF111, at,
			 "the keys of this map take more than 4 GiB, more than dkfpolicy checks "
			 "for repeats; refused (split the map)");
		fail_fatal(ld);
		return;
	case KEYSET_DUPLICATE: break;
	}
	struct diag *d;
	if (at.is_public)
		d = diag_add(ld->diags, DKF105, at,
			     "'%s' is set twice in this map; deployKF's YAML parser fails with "
			     "\"mapping key already defined\"; keep one of them",
			     k->shown);
	else
		d = diag_add(ld->diags, DKF105, at,
			     "a key is set twice in this map; deployKF's YAML parser fails with "
			     "\"mapping key already defined\"; keep one of them");
	struct mark first = mark_at(at.file, first_line, first_col);
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
			 n->kind == NODE_SEQ
				 ? (f->value_via_alias ? "list" : "a list of other values")
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
				 tag_is(tag, "int")         ? "!!int"
				 : tag_is(tag, "bool")      ? "!!bool"
				 : tag_is(tag, "float")     ? "!!float"
				 : tag_is(tag, "null")      ? "!!null"
				 : tag_is(tag, "timestamp") ? "!!timestamp"
							    : "?");
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
		struct key_seen k = { (const char *)ev->data.scalar.value,
				      ev->data.scalar.length,
				      NULL,
				      false,
				      at,
				      false };
		note_key(ld, f, &k);
		frame_set_key(ld, f, NULL, true);
		f->value_is_merge = is_merge;
		f->merge_key_at = at;
		return;
	}
	resolve_scalar(ld, ev, &value, &is_plain, at, true);
	/* a key of a map on the path that is none of its keys but may be a
	 * misspelling of one (check_pathkeys.h): kept, and on the path too */
	bool is_near_path =
		c.is_key && f->building && !f->keep_all && !anchor && value.type == SCALAR_STRING &&
		!want_text(f->want, (const char *)ev->data.scalar.value, ev->data.scalar.length);
	if (is_near_path && !check_pathkeys_may_matter((const char *)ev->data.scalar.value,
						       ev->data.scalar.length)) {
		/*
		 * A key on the path that no check reads (most top-level keys of a
		 * large file) and that is no misspelling of the path either:
		 * checked for duplicates, then dropped with its value, so memory
		 * does not grow with the part of the file outside the block.
		 */
		/* off the path: a repeat is reported by position only */
		struct key_seen k = { (const char *)ev->data.scalar.value,
				      ev->data.scalar.length,
				      NULL,
				      false,
				      at,
				      true };
		note_key(ld, f, &k);
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
			yparse_anchor_define(&ld->p, anchor, n);
	}
	if (c.is_key) {
		frame_set_key(ld, f, n, true);
		/* a key's line shows its value: public only when the value is (or
		 * when the key is a near miss of the path, whose value is not read) */
		n->mark.is_public = f->value_public || (is_near_path && f->is_public);
		/* named in a repeat only when it is on the path or in the block */
		struct key_seen k = { n->text, n->len, n->text, false, n->mark, f->building };
		note_key(ld, f, &k);
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
	struct node *target = yparse_anchor_find(&ld->p, name);
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
	(void)yparse_expand(&ld->p, target->weight, at);
	if (c.is_key) {
		if (target->kind != NODE_SCALAR) {
			diag_add(ld->diags, DKF104, at,
				 "this key is an alias of a %s; map keys must be plain values",
				 node_kind_name(target));
			fail(ld);
			frame_set_key(ld, f, NULL, false);
			return;
		}
		frame_set_key(ld, f, target, true);
		struct key_seen k = { name, strlen(name), target->text, true, at, f->building };
		k.at.is_public = f->building && f->value_public;
		note_key(ld, f, &k);
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
	f->serial = ++ld->frames_opened;
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
	(void)yparse_within_depth(&ld->p, ld->depth, at);
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
 * win, then earlier sources win over later ones. The keys already there are
 * kept in a set, so merging a map of thousands of keys stays linear. */
static void merge_one(struct frame *f, const struct node *src, struct node_keyset *seen,
		      struct node_pair **out, size_t *out_count, size_t *out_alloc)
{
	if (src->kind != NODE_MAP)
		return;
	for (size_t i = 0; i < src->count; i++) {
		const struct node_pair *p = &src->pairs[i];
		if (!node_keyset_insert(seen, p->key, 0, NULL))
			continue;
		if (*out_count == *out_alloc) {
			*out_alloc = *out_alloc ? *out_alloc * 2 : 8;
			*out = xrealloc(*out, *out_alloc * sizeof(**out));
		}
		(*out)[(*out_count)++] = *p;
		if (p->value)
			f->weight = add_weight(f->weight, p->value->weight);
	}
}

static void apply_merges(struct frame *f)
{
	bool any = false;
	for (size_t i = 0; i < f->count; i++)
		if (f->pairs[i].key->value_type == SCALAR_MERGE)
			any = true;
	if (!any)
		return;
	struct node_keyset seen;
	node_keyset_init(&seen);
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
		(void)node_keyset_insert(&seen, f->pairs[i].key, 0, NULL);
	}
	for (size_t i = 0; i < f->count; i++) {
		const struct node_pair *p = &f->pairs[i];
		if (p->key->value_type != SCALAR_MERGE || !p->value)
			continue;
		/* a bad source was reported when it was placed (place_value) */
		const struct node *v = p->value;
		if (v->kind == NODE_SEQ) {
			for (size_t j = 0; j < v->count; j++)
				merge_one(f, v->items[j], &seen, &out, &count, &alloc);
		} else {
			merge_one(f, v, &seen, &out, &count, &alloc);
		}
	}
	node_keyset_release(&seen);
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
			apply_merges(f);
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
			yparse_anchor_define(&ld->p, f->anchor, n);
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
			struct key_seen k = { text, len, NULL, false, mark_of(ld, ev->start_mark),
					      false };
			note_key(ld, f, &k);
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
		    ld->depth >= ld->p.limits->max_depth)
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
	default: return false;
	}
	mark_private(ld, ev);
	return true;
}

/*
 * A syntax error after the document's top level turned out to be a single
 * value: a stray word or a pasted sentence on the first line, which the lines
 * after it run on into as one plain scalar until something cannot belong to
 * it, maybe many lines down. The user must fix the first line: say so there
 * (DKF103 replaces the DKF101 libyaml's error just added).
 */
static void blame_top_value(struct loader *ld)
{
	struct diag_list *diags = ld->diags;
	if (!ld->root_set || !ld->root || ld->root->kind != NODE_SCALAR || !diags->count ||
	    diags->items[diags->count - 1].code != DKF101)
		return;
	diags->count--;
	diag_add(diags, DKF103,
		 mark_at(ld->root->mark.file, ld->root->mark.line, ld->root->mark.col),
		 "the top level is a single value, not a map: this line is not 'key: value', "
		 "and the lines after it run on into it; a values file must be a map of keys "
		 "such as 'deploykf_dependencies:' (remove the line, or make it a comment)");
}

/* A document that was null (empty, or comments only): its anchors go, and
 * the next document is the values. */
static void forget_document(struct loader *ld)
{
	ld->root = NULL;
	ld->root_set = false;
	yparse_anchors_clear(&ld->p);
}

/*
 * After the values: deployKF ignores every later document, so settings
 * there never take effect. An empty one (a lone `---`, comments, `{}`, `[]`
 * or null) is common and harmless; the first one with content is a warning
 * at its start, and nothing after it is read (deployKF does not read it
 * either, so a syntax error there fails nothing). None of it is quoted.
 */
static void check_later_documents(struct loader *ld)
{
	struct mark start = mark_at(ld->p.src->name, 0, 0);
	unsigned events = 0; /* of the current document, after its start */
	bool opened = false; /* its first event opened a collection */
	for (;;) {
		yaml_event_t ev;
		if (!yparse_next_silently(&ld->p, &ev)) {
			if (start.line)
				break; /* unreadable after a document start: said below */
			return;
		}
		yaml_event_type_t type = ev.type;
		bool is_null = false;
		if (type == YAML_SCALAR_EVENT && !ev.data.scalar.tag &&
		    ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
			struct scalar_value v;
			scalar_resolve_plain((const char *)ev.data.scalar.value,
					     ev.data.scalar.length, &v);
			is_null = v.type == SCALAR_NULL;
		}
		if (type != YAML_STREAM_END_EVENT)
			mark_private(ld, &ev);
		if (type == YAML_DOCUMENT_START_EVENT)
			start = mark_of(ld, ev.start_mark);
		yaml_event_delete(&ev);
		if (type == YAML_STREAM_END_EVENT)
			return;
		if (type == YAML_DOCUMENT_START_EVENT || type == YAML_DOCUMENT_END_EVENT) {
			events = 0;
			opened = false;
			continue;
		}
		events++;
		if (events == 1 &&
		    (type == YAML_MAPPING_START_EVENT || type == YAML_SEQUENCE_START_EVENT)) {
			opened = true;
			continue;
		}
		if ((events == 1 && is_null) ||
		    (events == 2 && opened &&
		     (type == YAML_MAPPING_END_EVENT || type == YAML_SEQUENCE_END_EVENT)))
			continue;
		break; /* content */
	}
	diag_add(ld->diags, DKF102, start,
		 "another YAML document starts here; deployKF reads only the first one that "
		 "holds values and ignores the rest, so nothing from here on takes effect; "
		 "merge them or pass another -f file");
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
	case YAML_SEQUENCE_START_EVENT: is_public = is_public_as(c, NODE_SCALAR); break;
	case YAML_MAPPING_START_EVENT: is_public = is_public_as(c, NODE_MAP); break;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT: is_public = ld->depth && top_frame(ld)->is_public; break;
	default: return;
	}
	if (!is_public)
		mark_private(ld, ev);
}

static bool starts_value(yaml_event_type_t type)
{
	return type == YAML_SCALAR_EVENT || type == YAML_ALIAS_EVENT ||
	       type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT;
}

int yload(const struct source *src, const struct yload_want *top,
	  const struct yparse_limits *limits, struct arena *arena, struct diag_list *diags,
	  struct node **root)
{
	return yload_embedded(src, NULL, top, limits, arena, diags, root);
}

int yload_embedded(const struct source *src, const struct yparse_origin *origin,
		   const struct yload_want *top, const struct yparse_limits *limits,
		   struct arena *arena, struct diag_list *diags, struct node **root)
{
	struct loader ld;
	memset(&ld, 0, sizeof(ld));
	yparse_init(&ld.p, src, limits, &yparse_values_words, origin, diags, diags->book);
	ld.top = top;
	ld.arena = arena;
	ld.diags = diags;
	keyset_init(&ld.keys);
	*root = NULL;

	bool done = false;
	while (!done && !ld.p.fatal) {
		yaml_event_t ev;
		if (ld.values_read) {
			check_later_documents(&ld);
			break;
		}
		if (!yparse_next(&ld.p, &ev)) {
			blame_top_value(&ld);
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
		if (ld.p.excerpt)
			note_privacy(&ld, &ev, &c);
		switch (ev.type) {
		case YAML_DOCUMENT_END_EVENT:
			if (ld.root_set && !node_is_null(ld.root))
				ld.values_read = true;
			else
				forget_document(&ld); /* null: deployKF reads the next one */
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
	bool failed = ld.p.failed;
	int read_errno = ld.p.read_errno;
	yparse_release(&ld.p);

	if (failed && read_errno) {
		errno = read_errno;
		return YLOAD_READ_ERROR;
	}
	if (failed)
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
