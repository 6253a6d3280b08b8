/* memmem: finding markers without walking every line (glibc, GNU extension) */
#define _GNU_SOURCE

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
_Static_assert(sizeof(marker_word) - 1 == SUPPRESS_WORD_LEN, "SUPPRESS_WORD_LEN");

void suppress_watch_feed(struct suppress_watch *w, const char *buf, size_t len)
{
	if (w->seen || len == 0)
		return;
	/* the word may start in the last block's tail and end in this one */
	char seam[2 * (SUPPRESS_WORD_LEN - 1)];
	size_t head = len < SUPPRESS_WORD_LEN - 1 ? len : SUPPRESS_WORD_LEN - 1;
	memcpy(seam, w->tail, w->tail_len);
	memcpy(seam + w->tail_len, buf, head);
	if (memmem(seam, w->tail_len + head, marker_word, SUPPRESS_WORD_LEN) ||
	    memmem(buf, len, marker_word, SUPPRESS_WORD_LEN)) {
		w->seen = true;
		return;
	}
	/* keep the last SUPPRESS_WORD_LEN - 1 bytes of everything fed so far */
	size_t total = w->tail_len + len, keep = SUPPRESS_WORD_LEN - 1;
	if (total < keep)
		keep = total;
	char next[SUPPRESS_WORD_LEN - 1];
	size_t from_buf = len < keep ? len : keep;
	size_t from_tail = keep - from_buf;
	memcpy(next, w->tail + w->tail_len - from_tail, from_tail);
	memcpy(next + from_tail, buf + len - from_buf, from_buf);
	memcpy(w->tail, next, keep);
	w->tail_len = keep;
}

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

/*
 * Find the suppression comments of a file (kept text, or read again in
 * blocks) without walking it line by line: only lines holding "dkfpolicy:"
 * go to scan_line; between them, line ends are counted with memchr. Lines
 * end at LF, CR LF or a lone CR, as libyaml counts them, so the numbers
 * match the diagnostics'. Long lines are cut at LINE_CHUNK: a marker is a
 * short comment.
 */
struct line_scan {
	const char *name;
	unsigned breaks; /* line ends before the current position */
	struct marker_list *out;
	struct diag_list *diags;
};

/* Line ends in [a, b); limit is where the text ends (for CR LF lookahead). */
static unsigned count_breaks(const char *a, const char *b, const char *limit)
{
	unsigned n = 0;
	for (const char *q = a; (q = memchr(q, '\n', (size_t)(b - q))) != NULL; q++)
		n++;
	for (const char *q = a; (q = memchr(q, '\r', (size_t)(b - q))) != NULL; q++)
		if (q + 1 >= limit || q[1] != '\n')
			n++;
	return n;
}

/* Scan text[0..len), which ends at a line end (or at the end of the file). */
static void scan_block(struct line_scan *st, const char *text, size_t len)
{
	const char *cur = text, *end = text + len;
	while (cur < end) {
		const char *hit = memmem(cur, (size_t)(end - cur), marker_word, sizeof(marker_word) - 1);
		if (!hit) {
			st->breaks += count_breaks(cur, end, end);
			return;
		}
		const char *start = hit;
		while (start > cur && start[-1] != '\n' && start[-1] != '\r')
			start--;
		st->breaks += count_breaks(cur, start, end);
		const char *stop = hit;
		while (stop < end && *stop != '\n' && *stop != '\r')
			stop++;
		char line[LINE_CHUNK];
		size_t keep = (size_t)(stop - start) < sizeof(line) - 1 ? (size_t)(stop - start)
									: sizeof(line) - 1;
		memcpy(line, start, keep);
		line[keep] = '\0';
		scan_line(st->name, line, st->breaks + 1, st->out, st->diags);
		cur = stop;
	}
}

static void scan_file(const struct excerpt_file *f, struct marker_list *out,
		      struct diag_list *diags)
{
	struct line_scan st = { f->name, 0, out, diags };
	if (f->data) {
		scan_block(&st, f->data, f->size);
		return;
	}
	FILE *fp = fopen(f->name, "rb");
	if (!fp)
		return;
	enum { BLOCK = 64 * 1024 };
	char *buf = xmalloc(BLOCK);
	size_t have = 0;
	for (;;) {
		size_t n = fread(buf + have, 1, BLOCK - have, fp);
		have += n;
		if (n == 0) {
			scan_block(&st, buf, have);
			break;
		}
		/* hand over whole lines only; keep the unfinished one for the next block */
		size_t cut = have;
		while (cut > 0 && buf[cut - 1] != '\n' && !(buf[cut - 1] == '\r' && cut < have))
			cut--;
		if (cut == 0)
			cut = have; /* a line longer than the block: its marker, if any, is cut */
		scan_block(&st, buf, cut);
		memmove(buf, buf + cut, have - cut);
		have -= cut;
	}
	free(buf);
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
		if (f->has_no_marker)
			continue;
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
