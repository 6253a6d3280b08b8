#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

struct diag *diag_add(struct diag_list *list, enum diag_code code, struct mark at,
		      const char *fmt, ...)
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

/* qsort has no context argument in C11; the sort runs once per report. */
static const char *const *sort_files;
static size_t sort_file_count;

/* Input files in command-line order, then other files (deployKF's defaults),
 * then findings about the run as a whole, which read best last. */
static size_t file_rank(const char *file)
{
	if (!file)
		return sort_file_count + 2;
	for (size_t i = 0; i < sort_file_count; i++)
		if (sort_files[i] == file || strcmp(sort_files[i], file) == 0)
			return i + 1;
	return sort_file_count + 1;
}

static int compare_diags(const void *pa, const void *pb)
{
	const struct diag *a = pa, *b = pb;
	size_t ra = file_rank(a->at.file), rb = file_rank(b->at.file);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ra == sort_file_count + 1) {
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
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static bool same_place(const struct diag *a, const struct diag *b)
{
	return a->code == b->code && a->at.line == b->at.line && a->at.col == b->at.col &&
	       file_rank(a->at.file) == file_rank(b->at.file) &&
	       (a->at.file == b->at.file ||
		(a->at.file && b->at.file && strcmp(a->at.file, b->at.file) == 0));
}

void diag_sort(struct diag_list *list, const char *const *files, size_t file_count)
{
	sort_files = files;
	sort_file_count = file_count;
	if (list->count > 1)
		qsort(list->items, list->count, sizeof(*list->items), compare_diags);
	/* A repeat need not be next to its first: a shared layer checked under two
	 * files adds "drops 'argocd'", "drops 'kube-system'", then both again at
	 * one position. Compare with every kept item of the same place and code. */
	size_t kept = 0, group = 0;
	for (size_t i = 0; i < list->count; i++) {
		const struct diag *d = &list->items[i];
		if (kept && !same_place(&list->items[kept - 1], d))
			group = kept;
		bool repeat = false;
		for (size_t j = group; j < kept && !repeat; j++)
			repeat = strcmp(list->items[j].message, d->message) == 0;
		if (!repeat)
			list->items[kept++] = *d;
	}
	list->count = kept;
	sort_files = NULL;
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
