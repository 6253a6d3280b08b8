#include "suppress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strset.h"
#include "xalloc.h"

static const char marker_word[] = "dkfpolicy:";

void suppress_init(struct suppress_set *set)
{
	memset(set, 0, sizeof(*set));
}

void suppress_release(struct suppress_set *set)
{
	for (size_t i = 0; i < set->count; i++) {
		free(set->items[i].codes);
		free(set->items[i].used);
	}
	free(set->items);
	free(set->index);
	memset(set, 0, sizeof(*set));
}

static size_t slot_of(const char *file, unsigned line, size_t alloc)
{
	unsigned long long h = strset_hash(STRSET_HASH_START, file, strlen(file));
	h = strset_hash(h, (const char *)&line, sizeof(line));
	return (size_t)h & (alloc - 1);
}

static bool same_place(const struct suppress_marker *m, const char *file, unsigned line)
{
	return m->line == line && (m->file == file || strcmp(m->file, file) == 0);
}

static void index_marker(struct suppress_set *set, size_t i)
{
	const struct suppress_marker *m = &set->items[i];
	size_t j = slot_of(m->file, m->line, set->index_alloc);
	while (set->index[j])
		j = (j + 1) & (set->index_alloc - 1);
	set->index[j] = i + 1;
}

static void add_marker(struct suppress_set *set, const struct suppress_marker *m)
{
	if (set->count == set->alloc) {
		set->alloc = set->alloc ? set->alloc * 2 : 8;
		set->items = xrealloc(set->items, set->alloc * sizeof(*set->items));
	}
	set->items[set->count++] = *m;
	if (set->count * 2 > set->index_alloc) {
		free(set->index);
		set->index_alloc = set->index_alloc ? set->index_alloc * 2 : 16;
		while (set->count * 2 > set->index_alloc)
			set->index_alloc *= 2;
		set->index = xcalloc(set->index_alloc, sizeof(*set->index));
		for (size_t i = 0; i < set->count; i++)
			index_marker(set, i);
	} else {
		index_marker(set, set->count - 1);
	}
}

/* The marker on line of file, or NULL. */
static struct suppress_marker *find(struct suppress_set *set, const char *file, unsigned line)
{
	if (!set->index_alloc)
		return NULL;
	for (size_t j = slot_of(file, line, set->index_alloc); set->index[j];
	     j = (j + 1) & (set->index_alloc - 1)) {
		struct suppress_marker *m = &set->items[set->index[j] - 1];
		if (same_place(m, file, line))
			return m;
	}
	return NULL;
}

/* Characters (not continuation bytes) in [from, to). */
static unsigned chars_between(const char *from, const char *to)
{
	unsigned n = 0;
	for (const char *q = from; q < to; q++)
		n += ((unsigned char)*q & 0xc0) != 0x80;
	return n;
}

/* Parse one kept line; add a marker when it holds one. Unknown names are
 * reported right away. */
static void scan_line(struct suppress_set *set, const char *file, const char *line, unsigned number,
		      struct diag_list *diags)
{
	const char *hash = strchr(line, '#');
	while (hash) {
		const char *p = hash + 1;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, marker_word, sizeof(marker_word) - 1) == 0)
			break;
		hash = strchr(hash + 1, '#');
	}
	if (!hash)
		return;
	const char *p = strstr(hash, marker_word) + sizeof(marker_word) - 1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "ignore[", 7) != 0)
		return;
	p += 7;
	const char *end = strchr(p, ']');
	if (!end)
		return;
	unsigned col = 1 + chars_between(line, hash);
	struct mark at = mark_at(file, number, col);
	struct suppress_marker m;
	memset(&m, 0, sizeof(m));
	m.file = file;
	m.line = number;
	m.col = col;
	m.is_alone = line[strspn(line, " \t")] == '#' && line + strspn(line, " \t") == hash;
	size_t alloc = 0;
	while (p < end) {
		while (p < end && (*p == ' ' || *p == ','))
			p++;
		size_t len = 0;
		while (p + len < end && p[len] != ',' && p[len] != ' ')
			len++;
		if (!len)
			break;
		char name[64];
		enum diag_code code;
		snprintf(name, sizeof(name), "%.*s", (int)(len < 63 ? len : 63), p);
		if (!diag_lookup(name, &code)) {
			/* positions, not content: a comment may hold anything */
			struct mark entry = at;
			entry.col = col + chars_between(hash, p);
			diag_add(diags, DKF122, entry,
				 "this entry of the suppression is not a rule, so it silences "
				 "nothing; name rules by code (DKF301) or name "
				 "(dropped-default-exclude); 'dkfpolicy rules' lists them");
		} else {
			if (m.code_count == alloc) {
				alloc = alloc ? alloc * 2 : 4;
				m.codes = xrealloc(m.codes, alloc * sizeof(*m.codes));
			}
			m.codes[m.code_count++] = code;
		}
		p += len;
	}
	if (m.code_count && !find(set, file, number)) {
		m.used = xcalloc(m.code_count, sizeof(*m.used));
		add_marker(set, &m);
	} else {
		free(m.codes);
	}
}

void suppress_read(struct suppress_set *set, const struct excerpt_book *book,
		   struct diag_list *diags)
{
	if (!book)
		return;
	for (; set->files_read < book->count; set->files_read++) {
		const struct excerpt_file *f = book->files[set->files_read];
		for (size_t i = 0; i < f->marker_line_count; i++)
			scan_line(set, f->name, f->marker_lines[i].text, f->marker_lines[i].line,
				  diags);
	}
}

static bool use_code(struct suppress_marker *m, enum diag_code code)
{
	for (size_t j = 0; m && j < m->code_count; j++) {
		if (m->codes[j] == code) {
			m->used[j] = true;
			return true;
		}
	}
	return false;
}

bool suppress_silences(struct suppress_set *set, const struct diag *d)
{
	if (!d->at.file || !d->at.line || d->code == DKF121 || d->code == DKF122)
		return false;
	/* a marker alone on the line above the finding, or on its own line */
	if (d->at.line > 1) {
		struct suppress_marker *above = find(set, d->at.file, d->at.line - 1);
		if (above && above->is_alone && use_code(above, d->code))
			return true;
	}
	return use_code(find(set, d->at.file, d->at.line), d->code);
}

void suppress_report_unused(const struct suppress_set *set, struct diag_list *diags)
{
	for (size_t i = 0; i < set->count; i++) {
		const struct suppress_marker *m = &set->items[i];
		for (size_t j = 0; j < m->code_count; j++) {
			if (m->used[j])
				continue;
			struct mark at = mark_at(m->file, m->line, m->col);
			diag_add(diags, DKF121, at,
				 "this suppression of %s (%s) silences nothing on this line%s; "
				 "remove it",
				 diag_info(m->codes[j])->code, diag_info(m->codes[j])->name,
				 m->is_alone ? " or the next" : "");
		}
	}
}
