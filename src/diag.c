#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strset.h"
#include "xalloc.h"

static const struct diag_info diag_table[DIAG_CODE_COUNT] = {
#define DIAG_CODE(code, sev, name, title, help) { #code, DIAG_##sev, name, title, help },
#include "diag_codes.def"
#undef DIAG_CODE
};

void diag_list_init(struct diag_list *list, struct arena *arena)
{
	list->arena = arena;
	list->items = NULL;
	list->count = 0;
	list->alloc = 0;
	list->book = NULL;
}

void diag_list_release(struct diag_list *list)
{
	free(list->items);
	list->items = NULL;
	list->count = list->alloc = 0;
}

struct diag *diag_add(struct diag_list *list, enum diag_code code, struct mark at, const char *fmt,
		      ...)
{
	if (list->count == list->alloc) {
		list->alloc = list->alloc ? list->alloc * 2 : 16;
		list->items = xrealloc(list->items, list->alloc * sizeof(*list->items));
	}
	struct diag *d = &list->items[list->count];
	memset(d, 0, sizeof(*d));
	d->code = code;
	d->severity = diag_table[code].severity;
	d->at = at;
	d->seq = list->count;
	va_list ap;
	va_start(ap, fmt);
	d->message = arena_vprintf(list->arena, fmt, ap);
	va_end(ap);
	list->count++;
	return d;
}

void diag_set_note(struct diag_list *list, struct diag *d, struct mark at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	d->note = arena_vprintf(list->arena, fmt, ap);
	va_end(ap);
	d->note_at = at;
}

void diag_set_context(struct diag_list *list, size_t first, struct mark at, const char *fmt, ...)
{
	if (first >= list->count)
		return;
	va_list ap;
	va_start(ap, fmt);
	const char *text = arena_vprintf(list->arena, fmt, ap);
	va_end(ap);
	for (size_t i = first; i < list->count; i++) {
		if (list->items[i].context)
			continue;
		list->items[i].context = text;
		list->items[i].context_at = at;
	}
}

const struct diag_info *diag_info(enum diag_code code)
{
	return &diag_table[code];
}

bool diag_lookup(const char *text, enum diag_code *out)
{
	const char *digits = text;
	if (strncasecmp(text, "DKF", 3) == 0)
		digits = text + 3;
	for (size_t i = 0; i < DIAG_CODE_COUNT; i++) {
		if (strcmp(diag_table[i].code + 3, digits) == 0 ||
		    strcasecmp(diag_table[i].name, text) == 0) {
			*out = (enum diag_code)i;
			return true;
		}
	}
	return false;
}

const char *diag_severity_name(enum diag_severity s)
{
	switch (s) {
	case DIAG_INFO: return "info";
	case DIAG_WARNING: return "warning";
	case DIAG_ERROR: return "error";
	}
	return "?";
}

/*
 * Sorting: each finding gets its file's rank once, from a hash set of the
 * command line's names, and the sort compares ranks; repeats at one place
 * are found with a hash set of that place's messages once there are more
 * than a few. Both were linear searches per comparison: a hook over 30,000
 * files, or 100,000 aliases of one bad name (distinct messages at one
 * position), took minutes.
 */
struct sort_key {
	size_t rank;  /* see file_rank */
	size_t index; /* into the unsorted items */
};

/* qsort has no context argument in C11; the sort runs once per report. */
static const struct diag *sort_items;
static size_t sort_file_count;

/* Input files in command-line order (1, 2, ...; a name given twice ranks
 * where it was first given), then other files (deployKF's defaults), then
 * findings about the run as a whole, which read best last. ranks maps the
 * command line's names to their rank; other names are added as they come. */
static size_t file_rank(struct strset *ranks, const char *file)
{
	size_t rank;
	if (!file)
		return sort_file_count + 2;
	if (strset_insert(ranks, file, strlen(file), sort_file_count + 1, &rank))
		return sort_file_count + 1;
	return rank;
}

static int compare_diags(const void *pa, const void *pb)
{
	const struct sort_key *ka = pa, *kb = pb;
	const struct diag *a = &sort_items[ka->index], *b = &sort_items[kb->index];
	if (ka->rank != kb->rank)
		return ka->rank < kb->rank ? -1 : 1;
	if (ka->rank == sort_file_count + 1) {
		int c = strcmp(a->at.file, b->at.file);
		if (c)
			return c;
	}
	if (a->at.line != b->at.line)
		return a->at.line < b->at.line ? -1 : 1;
	if (a->at.col != b->at.col)
		return a->at.col < b->at.col ? -1 : 1;
	if (a->code != b->code)
		return a->code < b->code ? -1 : 1;
	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	return ka->index < kb->index ? -1 : ka->index > kb->index;
}

/* Same file (equal ranks are equal names, but for the files ranked
 * together after the command line's), line, column and code. */
static bool same_place(const struct diag *a, size_t rank_a, const struct diag *b, size_t rank_b)
{
	return a->code == b->code && a->at.line == b->at.line && a->at.col == b->at.col &&
	       rank_a == rank_b &&
	       (rank_a != sort_file_count + 1 || strcmp(a->at.file, b->at.file) == 0);
}

enum { COMPARED_REPEATS = 8 }; /* kept messages of a place compared one by one */

/* Whether message repeats one of kept[0, count), the kept findings of its
 * place. Past COMPARED_REPEATS the messages go into seen (empty when a
 * place starts), and a message that is no repeat is added there too. */
static bool is_repeat(struct strset *seen, const struct diag *kept, size_t count,
		      const char *message)
{
	if (count <= COMPARED_REPEATS) {
		for (size_t j = 0; j < count; j++)
			if (strcmp(kept[j].message, message) == 0)
				return true;
		return false;
	}
	if (!seen->used)
		for (size_t j = 0; j < count; j++)
			strset_insert(seen, kept[j].message, strlen(kept[j].message), 0, NULL);
	return !strset_insert(seen, message, strlen(message), 0, NULL);
}

void diag_sort(struct diag_list *list, const char *const *files, size_t file_count)
{
	size_t count = list->count;
	if (count == 0)
		return;
	struct strset ranks, seen;
	strset_init(&ranks);
	strset_init(&seen);
	strset_reserve(&ranks, file_count);
	sort_file_count = file_count;
	for (size_t i = 0; i < file_count; i++)
		strset_insert(&ranks, files[i], strlen(files[i]), i + 1, NULL);
	struct sort_key *keys = xmalloc(count * sizeof(*keys));
	const char *last_file = NULL;
	size_t last_rank = 0;
	for (size_t i = 0; i < count; i++) {
		const char *file = list->items[i].at.file;
		/* findings come in runs of one file: look each run up once */
		if (i == 0 || file != last_file)
			last_rank = file_rank(&ranks, file);
		last_file = file;
		keys[i].rank = last_rank;
		keys[i].index = i;
	}
	sort_items = list->items;
	qsort(keys, count, sizeof(*keys), compare_diags);
	/* A repeat need not be next to its first: a shared layer checked under two
	 * files adds "drops 'argocd'", "drops 'kube-system'", then both again at
	 * one position. A repeat is a message equal to any kept one of the same
	 * place and code (see is_repeat). */
	struct diag *sorted = xmalloc(count * sizeof(*sorted));
	size_t *kept_rank = xmalloc(count * sizeof(*kept_rank));
	for (size_t i = 0; i < count; i++)
		sorted[i] = list->items[keys[i].index];
	size_t kept = 0, group = 0;
	for (size_t i = 0; i < count; i++) {
		const struct diag *d = &sorted[i];
		if (kept &&
		    !same_place(&list->items[kept - 1], kept_rank[kept - 1], d, keys[i].rank)) {
			group = kept;
			strset_release(&seen);
		}
		if (is_repeat(&seen, list->items + group, kept - group, d->message))
			continue;
		kept_rank[kept] = keys[i].rank;
		list->items[kept++] = *d;
	}
	list->count = kept;
	free(kept_rank);
	free(sorted);
	free(keys);
	strset_release(&ranks);
	strset_release(&seen);
	sort_items = NULL;
	sort_file_count = 0;
}

size_t diag_count_at_least(const struct diag_list *list, enum diag_severity s)
{
	size_t n = 0;
	for (size_t i = 0; i < list->count; i++)
		if (list->items[i].severity >= s)
			n++;
	return n;
}
