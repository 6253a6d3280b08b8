#include "suppress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

enum { LINE_CHUNK = 4096, MARKER_CODES_MAX = 8 };

struct marker {
	unsigned line, col;
	size_t code_count;
	enum diag_code codes[MARKER_CODES_MAX];
	bool used[MARKER_CODES_MAX];
};

struct marker_list {
	struct marker *items;
	size_t count, alloc;
};

static const char marker_word[] = "dkfpolicy:";

/* Parse one line; add a marker when it holds one. Unknown names are
 * reported right away. */
static void scan_line(const char *file, const char *line, unsigned number,
		      struct marker_list *out, struct diag_list *diags)
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
	unsigned col = 1;
	for (const char *q = line; q < hash; q++)
		if (((unsigned char)*q & 0xc0) != 0x80)
			col++;
	struct mark at = { file, number, col };
	struct marker m;
	memset(&m, 0, sizeof(m));
	m.line = number;
	m.col = col;
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
		if (!diag_lookup(name, &code))
			diag_add(diags, DKF122, at,
				 "'%s' in this suppression is not a rule, so it silences nothing; "
				 "'dkfpolicy rules' lists codes and names",
				 name);
		else if (m.code_count < MARKER_CODES_MAX)
			m.codes[m.code_count++] = code;
		p += len;
	}
	if (!m.code_count)
		return;
	if (out->count == out->alloc) {
		out->alloc = out->alloc ? out->alloc * 2 : 8;
		out->items = xrealloc(out->items, out->alloc * sizeof(*out->items));
	}
	out->items[out->count++] = m;
}

/* Feed each line of the file (kept text or read again) to scan_line. Long
 * lines are cut at LINE_CHUNK: a marker is a short comment. */
static void scan_file(const struct excerpt_file *f, struct marker_list *out,
		      struct diag_list *diags)
{
	char buf[LINE_CHUNK];
	unsigned number = 0;
	if (f->data) {
		size_t i = 0;
		while (i < f->size) {
			size_t len = 0;
			while (i + len < f->size && f->data[i + len] != '\n' && f->data[i + len] != '\r')
				len++;
			number++;
			size_t keep = len < sizeof(buf) - 1 ? len : sizeof(buf) - 1;
			memcpy(buf, f->data + i, keep);
			buf[keep] = '\0';
			if (memchr(buf, '#', keep))
				scan_line(f->name, buf, number, out, diags);
			i += len;
			if (i < f->size && f->data[i] == '\r') {
				i++;
				if (i < f->size && f->data[i] == '\n')
					i++;
			} else if (i < f->size) {
				i++; /* '\n' */
			}
		}
		return;
	}
	FILE *fp = fopen(f->name, "rb");
	if (!fp)
		return;
	bool at_start = true;
	while (fgets(buf, sizeof(buf), fp)) {
		size_t len = strlen(buf);
		bool ends = len && buf[len - 1] == '\n';
		if (at_start) {
			number++;
			buf[strcspn(buf, "\r\n")] = '\0';
			if (strchr(buf, '#'))
				scan_line(f->name, buf, number, out, diags);
		}
		at_start = ends;
	}
	fclose(fp);
}

static bool silenced(struct marker_list *markers, const struct diag *d)
{
	for (size_t i = 0; i < markers->count; i++) {
		struct marker *m = &markers->items[i];
		if (m->line != d->at.line && m->line + 1 != d->at.line)
			continue;
		for (size_t j = 0; j < m->code_count; j++) {
			if (m->codes[j] == d->code) {
				m->used[j] = true;
				return true;
			}
		}
	}
	return false;
}

void suppress_apply(struct diag_list *diags, const struct excerpt_book *book)
{
	if (!book)
		return;
	for (const struct excerpt_file *f = book->files; f; f = f->next) {
		struct marker_list markers = { NULL, 0, 0 };
		scan_file(f, &markers, diags);
		if (!markers.count)
			continue;
		size_t kept = 0;
		for (size_t i = 0; i < diags->count; i++) {
			struct diag *d = &diags->items[i];
			bool here = d->at.file && d->at.line &&
				    (d->at.file == f->name || strcmp(d->at.file, f->name) == 0);
			if (here && d->code != DKF121 && d->code != DKF122 && silenced(&markers, d))
				continue;
			diags->items[kept++] = *d;
		}
		diags->count = kept;
		for (size_t i = 0; i < markers.count; i++) {
			const struct marker *m = &markers.items[i];
			for (size_t j = 0; j < m->code_count; j++) {
				if (m->used[j])
					continue;
				struct mark at = { f->name, m->line, m->col };
				diag_add(diags, DKF121, at,
					 "this suppression of %s (%s) silences nothing on this line or "
					 "the next; remove it",
					 diag_info(m->codes[j])->code, diag_info(m->codes[j])->name);
			}
		}
		free(markers.items);
	}
}
