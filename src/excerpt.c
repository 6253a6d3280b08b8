#include "excerpt.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "xalloc.h"

/* Longer lines are not quoted: no one reads a 4 KB line in a log. */
enum { EXCERPT_MAX_LINE = 512 };

void excerpt_book_init(struct excerpt_book *book, struct arena *arena)
{
	book->arena = arena;
	book->files = NULL;
}

void excerpt_book_release(struct excerpt_book *book)
{
	for (struct excerpt_file *f = book->files; f; f = f->next) {
		free(f->private_lines);
		f->private_lines = NULL;
		f->count = f->alloc = 0;
	}
	book->files = NULL;
}

static struct excerpt_file *find(const struct excerpt_book *book, const char *name)
{
	for (struct excerpt_file *f = book->files; f; f = f->next)
		if (f->name == name || strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

struct excerpt_file *excerpt_book_add(struct excerpt_book *book, const char *name,
				      const char *data, size_t size)
{
	struct excerpt_file *f = find(book, name);
	if (!f) {
		f = arena_alloc(book->arena, sizeof(*f));
		memset(f, 0, sizeof(*f));
		f->name = name;
		f->next = book->files;
		book->files = f;
	}
	f->data = data;
	f->size = size;
	f->count = 0;
	f->has_no_marker = false;
	return f;
}

void excerpt_mark_private_range(struct excerpt_file *file, unsigned first, unsigned last)
{
	if (last < first)
		last = first;
	if (file->count) {
		struct excerpt_range *r = &file->private_lines[file->count - 1];
		if (first <= r->last + 1 && last + 1 >= r->first) {
			if (first < r->first)
				r->first = first;
			if (last > r->last)
				r->last = last;
			return;
		}
		if (first < r->first) {
			/* out of order (never for libyaml's events): be safe, merge all */
			r->first = first < r->first ? first : r->first;
			r->last = last > r->last ? last : r->last;
			return;
		}
	}
	if (file->count == file->alloc) {
		file->alloc = file->alloc ? file->alloc * 2 : 16;
		file->private_lines =
			xrealloc(file->private_lines, file->alloc * sizeof(*file->private_lines));
	}
	file->private_lines[file->count].first = first;
	file->private_lines[file->count].last = last;
	file->count++;
}

static bool is_private(const struct excerpt_file *f, unsigned line)
{
	size_t lo = 0, hi = f->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct excerpt_range *r = &f->private_lines[mid];
		if (line < r->first)
			hi = mid;
		else if (line > r->last)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/* Copy line `line` of the text into buf; false when there is no such line
 * or it is too long. Lines end at LF, CR LF or a lone CR, as in YAML. */
static bool line_from_memory(const char *data, size_t size, unsigned line, char *buf)
{
	unsigned n = 1;
	size_t i = 0;
	while (n < line && i < size) {
		char c = data[i++];
		if (c == '\r' && i < size && data[i] == '\n')
			i++;
		if (c == '\n' || c == '\r')
			n++;
	}
	if (n != line || i > size)
		return false;
	size_t len = 0;
	while (i + len < size && data[i + len] != '\n' && data[i + len] != '\r')
		len++;
	if (len >= EXCERPT_MAX_LINE)
		return false;
	memcpy(buf, data + i, len);
	buf[len] = '\0';
	return true;
}

static bool line_from_file(const char *path, unsigned line, char *buf)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return false;
	unsigned n = 1;
	int c = 0, prev = 0;
	size_t len = 0;
	bool ok = false;
	while ((c = getc(fp)) != EOF) {
		if (c == '\n' && prev == '\r') {
			prev = c;
			continue;
		}
		prev = c;
		if (c == '\n' || c == '\r') {
			if (n == line) {
				ok = true;
				break;
			}
			n++;
			continue;
		}
		if (n == line) {
			if (len + 1 >= EXCERPT_MAX_LINE)
				break;
			buf[len++] = (char)c;
		}
	}
	if (c == EOF && n == line && !ferror(fp))
		ok = true;
	fclose(fp);
	buf[len] = '\0';
	return ok;
}

const char *excerpt_public_line(const struct excerpt_book *book, const char *name, unsigned line)
{
	if (!book || !name || !line)
		return NULL;
	const struct excerpt_file *f = find(book, name);
	if (!f || is_private(f, line))
		return NULL;
	char buf[EXCERPT_MAX_LINE];
	bool ok = f->data ? line_from_memory(f->data, f->size, line, buf)
			  : line_from_file(f->name, line, buf);
	if (!ok)
		return NULL;
	return arena_strdup(book->arena, buf);
}
