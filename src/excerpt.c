#include "excerpt.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Longer lines are not quoted: no one reads a 4 KB line in a log. */
enum { EXCERPT_MAX_LINE = 512 };

void excerpt_book_init(struct excerpt_book *book, struct arena *arena)
{
	memset(book, 0, sizeof(*book));
	book->arena = arena;
	strset_init(&book->by_name);
}

static void forget(struct excerpt_file *f)
{
	free(f->private_lines);
	free(f->checkpoints);
	for (size_t i = 0; i < f->marker_line_count; i++)
		free(f->marker_lines[i].text);
	free(f->marker_lines);
	f->private_lines = NULL;
	f->checkpoints = NULL;
	f->marker_lines = NULL;
	f->count = f->alloc = f->checkpoint_count = f->marker_line_count = 0;
}

void excerpt_book_release(struct excerpt_book *book)
{
	for (size_t i = 0; i < book->count; i++)
		forget(book->files[i]);
	free(book->files);
	strset_release(&book->by_name);
	book->files = NULL;
	book->count = book->alloc = 0;
}

const struct excerpt_file *excerpt_book_find(const struct excerpt_book *book, const char *name)
{
	size_t i;
	if (!book || !name || !strset_find(&book->by_name, name, strlen(name), &i))
		return NULL;
	return book->files[i];
}

struct excerpt_file *excerpt_book_add(struct excerpt_book *book, const char *name, const char *data,
				      size_t size)
{
	struct excerpt_file *f = (struct excerpt_file *)excerpt_book_find(book, name);
	if (f) {
		forget(f);
	} else {
		f = arena_alloc(book->arena, sizeof(*f));
		if (book->count == book->alloc) {
			book->alloc = book->alloc ? book->alloc * 2 : 16;
			book->files = xrealloc(book->files, book->alloc * sizeof(*book->files));
		}
		/* the name lives as long as the run (it is what marks point at) */
		strset_insert(&book->by_name, name, strlen(name), book->count, NULL);
		book->files[book->count++] = f;
	}
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->data = data;
	f->size = size;
	return f;
}

void excerpt_mark_private_range(struct excerpt_file *file, unsigned first, unsigned last)
{
	if (last < first)
		last = first;
	/* where the range goes: after every range that ends before it (the
	 * loader's calls come in order, so this is nearly always the end) */
	size_t at = file->count;
	while (at > 0 && file->private_lines[at - 1].first > last + 1)
		at--;
	if (at > 0 && file->private_lines[at - 1].last + 1 >= first) {
		/* touches the range before: widen it, then swallow what it reaches */
		struct excerpt_range *r = &file->private_lines[at - 1];
		if (first < r->first)
			r->first = first;
		if (last > r->last)
			r->last = last;
		size_t next = at;
		while (next < file->count && file->private_lines[next].first <= r->last + 1) {
			if (file->private_lines[next].last > r->last)
				r->last = file->private_lines[next].last;
			next++;
		}
		/* and any before it that it now reaches */
		size_t keep = at - 1;
		while (keep > 0 && file->private_lines[keep - 1].last + 1 >= r->first) {
			if (file->private_lines[keep - 1].first < r->first)
				r->first = file->private_lines[keep - 1].first;
			keep--;
		}
		if (keep != at - 1)
			file->private_lines[keep] = *r;
		memmove(&file->private_lines[keep + 1], &file->private_lines[next],
			(file->count - next) * sizeof(*file->private_lines));
		file->count -= next - keep - 1;
		return;
	}
	if (file->count == file->alloc) {
		file->alloc = file->alloc ? file->alloc * 2 : 16;
		file->private_lines =
			xrealloc(file->private_lines, file->alloc * sizeof(*file->private_lines));
	}
	memmove(&file->private_lines[at + 1], &file->private_lines[at],
		(file->count - at) * sizeof(*file->private_lines));
	file->private_lines[at].first = first;
	file->private_lines[at].last = last;
	file->count++;
	/* a new range may reach the ones after it */
	size_t next = at + 1;
	while (next < file->count && file->private_lines[next].first <= last + 1) {
		if (file->private_lines[next].last > file->private_lines[at].last)
			file->private_lines[at].last = file->private_lines[next].last;
		next++;
	}
	memmove(&file->private_lines[at + 1], &file->private_lines[next],
		(file->count - next) * sizeof(*file->private_lines));
	file->count -= next - at - 1;
}

/* Whether line of file may be quoted at all (no private value on it). */
static bool is_public_line(const struct excerpt_file *f, unsigned line)
{
	if (!f || f->is_never_quoted || !line)
		return false;
	size_t lo = 0, hi = f->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct excerpt_range *r = &f->private_lines[mid];
		if (line < r->first)
			hi = mid;
		else if (line > r->last)
			lo = mid + 1;
		else
			return false;
	}
	return true;
}

/* ------------------------------------------------------------ fetching */

/* requests of one file, sorted by line */
static int by_line(const void *pa, const void *pb)
{
	const struct excerpt_request *a = *(const struct excerpt_request *const *)pa;
	const struct excerpt_request *b = *(const struct excerpt_request *const *)pb;
	return a->line < b->line ? -1 : a->line > b->line;
}

/* Cut line[0..len) before a YAML comment (a '#' at its start or after a
 * blank, outside quotes) and drop the blanks before it; the new length. */
static size_t cut_comment(const char *line, size_t len)
{
	char quote = 0;
	size_t i = 0;
	for (; i < len; i++) {
		char c = line[i];
		if (quote == '"') {
			if (c == '\\')
				i++; /* an escaped character, a quote among them */
			else if (c == '"')
				quote = 0;
			continue;
		}
		if (quote == '\'') {
			if (c == '\'' && i + 1 < len && line[i + 1] == '\'')
				i++; /* '' is a quote inside single quotes */
			else if (c == '\'')
				quote = 0;
			continue;
		}
		if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t'))
			break;
		/* a quote opens a scalar only at its start, not inside a plain word */
		if ((c == '"' || c == '\'') && (i == 0 || strchr(" \t:,[{-?", line[i - 1]) != NULL))
			quote = c;
	}
	while (i > 0 && (line[i - 1] == ' ' || line[i - 1] == '\t'))
		i--;
	return i;
}

/* Give every request for line its text: the line, cut before a comment. */
static void answer(const struct excerpt_book *book, struct excerpt_request **reqs, size_t count,
		   size_t *next, unsigned line, const char *text, size_t len)
{
	const char *copy = NULL;
	if (len < EXCERPT_MAX_LINE) {
		/* a comment beside a setting may hold a token: the line stops there */
		len = cut_comment(text, len);
		copy = arena_strndup(book->arena, text, len);
	}
	while (*next < count && reqs[*next]->line == line)
		reqs[(*next)++]->text = copy;
}

/* Walk text, whose first line is first_line, and answer every request in
 * reqs[*next..count) for a line in it. */
static void walk_text(const struct excerpt_book *book, const char *text, size_t size,
		      size_t first_line, struct excerpt_request **reqs, size_t count, size_t *next)
{
	size_t line = first_line, i = 0;
	while (*next < count && i < size) {
		size_t end = i, brk = 0;
		while (end < size && !(brk = lines_break_at(text + end, size - end)))
			end++;
		while (*next < count && reqs[*next]->line < line)
			(*next)++;
		if (*next < count && reqs[*next]->line == line)
			answer(book, reqs, count, next, (unsigned)line, text + i, end - i);
		i = end + brk;
		line++;
	}
}

/*
 * Read the lines asked for from the file: from the checkpoint before each
 * wanted line, a piece at a time, never the whole file for one line. A line
 * too long to quote is passed over without being held.
 */
static void fetch_from_file(const struct excerpt_book *book, const struct excerpt_file *f,
			    struct excerpt_request **reqs, size_t count)
{
	FILE *fp = fopen(f->name, "rb");
	if (!fp)
		return;
	enum { PIECE = 64 * 1024 };
	char *buf = xmalloc(PIECE);
	size_t have = 0, line = 0, next = 0;
	bool is_open = false, at_eof = false, is_long = false;
	while (next < count) {
		size_t want = reqs[next]->line;
		const struct lines_checkpoint *c =
			lines_checkpoint_before(f->checkpoints, f->checkpoint_count, want);
		if (!c)
			break;
		if (!is_open || c->line > line) {
			/* start over at the checkpoint: what lies before it is not wanted */
			if (fseek(fp, (long)c->offset, SEEK_SET) != 0)
				break;
			have = 0;
			line = c->line;
			at_eof = is_long = false;
			is_open = true;
		}
		if (!at_eof) {
			size_t n = fread(buf + have, 1, PIECE - have, fp);
			at_eof = n == 0;
			have += n;
		}
		size_t done = lines_complete(buf, have, at_eof), i = 0;
		while (i < done && next < count) {
			size_t end = i, brk = 0;
			while (end < done && !(brk = lines_break_at(buf + end, done - end)))
				end++;
			while (next < count && reqs[next]->line < line)
				next++;
			if (next < count && reqs[next]->line == line)
				answer(book, reqs, count, &next, (unsigned)line, buf + i,
				       is_long ? EXCERPT_MAX_LINE : end - i);
			is_long = false;
			i = end + brk;
			line++;
		}
		memmove(buf, buf + i, have - i);
		have -= i;
		if (have == PIECE) {
			/* one line fills the piece: too long to quote; keep its end for
			 * a break cut in two */
			is_long = true;
			memmove(buf, buf + have - 2, 2);
			have = 2;
		}
		if (at_eof && have == 0)
			break; /* the file is shorter now than when it was loaded */
	}
	free(buf);
	fclose(fp);
}

static int by_file_then_line(const void *pa, const void *pb)
{
	const struct excerpt_request *a = *(const struct excerpt_request *const *)pa;
	const struct excerpt_request *b = *(const struct excerpt_request *const *)pb;
	int c = strcmp(a->file, b->file);
	if (c)
		return c;
	return by_line(pa, pb);
}

void excerpt_fetch(const struct excerpt_book *book, struct excerpt_request *requests, size_t count)
{
	struct excerpt_request **order = xcalloc(count + 1, sizeof(*order));
	size_t n = 0;
	for (size_t i = 0; i < count; i++) {
		struct excerpt_request *r = &requests[i];
		r->text = NULL;
		if (r->file && is_public_line(excerpt_book_find(book, r->file), r->line))
			order[n++] = r;
	}
	qsort(order, n, sizeof(*order), by_file_then_line);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && strcmp(order[j]->file, order[i]->file) == 0)
			j++;
		const struct excerpt_file *f = excerpt_book_find(book, order[i]->file);
		if (f->data) {
			size_t next = 0;
			walk_text(book, f->data, f->size, 1, order + i, j - i, &next);
		} else {
			fetch_from_file(book, f, order + i, j - i);
		}
		i = j;
	}
	free(order);
}
