/* memmem: finding a watched word without walking every line (glibc, GNU extension) */
#define _GNU_SOURCE

#include "lines.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

size_t lines_break_at(const char *text, size_t avail)
{
	const unsigned char *p = (const unsigned char *)text;
	if (!avail)
		return 0;
	if (p[0] == '\n')
		return 1;
	if (p[0] == '\r')
		return avail >= 2 && p[1] == '\n' ? 2 : 1;
	if (p[0] == 0xc2)
		return avail >= 2 && p[1] == 0x85 ? 2 : 0;
	if (p[0] == 0xe2)
		return avail >= 3 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9) ? 3 : 0;
	return 0;
}

/* A break ends at byte i: p[i] is its last byte. */
static bool break_ends_at(const unsigned char *p, size_t i)
{
	switch (p[i]) {
	case '\n': return true;
	case '\r': return true; /* a CR followed by LF is counted at the LF: see lines_count */
	case 0x85: return i >= 1 && p[i - 1] == 0xc2;
	case 0xa8:
	case 0xa9: return i >= 2 && p[i - 1] == 0x80 && p[i - 2] == 0xe2;
	default: return false;
	}
}

/*
 * Sixteen bytes at a time with the compiler's vector extension (GCC and
 * clang): values files are megabytes and every byte of them is counted, so
 * this must cost no more than reading them. A break is counted at the byte
 * that ends it: an LF not after a CR, a CR not before an LF... counted here
 * as every CR plus every LF not after a CR, the same thing; NEL at its 0x85,
 * LS and PS at their last byte.
 */
typedef unsigned char bytes16 __attribute__((vector_size(16)));

static bytes16 splat(unsigned char c)
{
	bytes16 v;
	memset(&v, c, sizeof(v));
	return v;
}

static size_t count_one(const unsigned char *p, size_t i)
{
	switch (p[i]) {
	case '\r': return 1;
	case '\n': return i == 0 || p[i - 1] != '\r';
	case 0x85: return i >= 1 && p[i - 1] == 0xc2;
	case 0xa8:
	case 0xa9: return i >= 2 && p[i - 1] == 0x80 && p[i - 2] == 0xe2;
	default: return 0;
	}
}

/* Line breaks in text[0..len), which must not cut a break in two (whole
 * lines; see lines_complete). */
static size_t lines_count(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t n = 0, i = 0;
	for (; i < len && i < 2; i++)
		n += count_one(p, i);
	const bytes16 lf = splat('\n'), cr = splat('\r'), nel = splat(0x85), c2 = splat(0xc2);
	const bytes16 a8 = splat(0xa8), a9 = splat(0xa9), x80 = splat(0x80), e2 = splat(0xe2);
	while (i + 16 <= len) {
		bytes16 acc = splat(0);
		/* 255 rounds at most: each lane counts to 255 */
		for (unsigned round = 0; round < 255 && i + 16 <= len; round++, i += 16) {
			bytes16 x, y, z;
			memcpy(&x, p + i, 16);
			memcpy(&y, p + i - 1, 16);
			/* most of a values file is ASCII without CR: there a break is
			 * an LF, and one compare finds them all */
			bytes16 odd = (bytes16)(x == cr) | (bytes16)(y == cr) | (bytes16)(x >= x80);
			uint64_t halves[2];
			memcpy(halves, &odd, 16);
			if (!(halves[0] | halves[1])) {
				acc -= (bytes16)(x == lf);
				continue;
			}
			memcpy(&z, p + i - 2, 16);
			bytes16 hit = (bytes16)(x == cr) |
				      ((bytes16)(x == lf) & ~(bytes16)(y == cr)) |
				      ((bytes16)(x == nel) & (bytes16)(y == c2)) |
				      (((bytes16)(x == a8) | (bytes16)(x == a9)) &
				       (bytes16)(y == x80) & (bytes16)(z == e2));
			acc -= hit; /* a hit lane is 0xff: subtracting it adds one */
		}
		for (int k = 0; k < 16; k++)
			n += acc[k];
	}
	for (; i < len; i++)
		n += count_one(p, i);
	return n;
}

size_t lines_complete(const char *text, size_t len, bool at_end)
{
	const unsigned char *p = (const unsigned char *)text;
	if (at_end)
		return len;
	size_t end = len;
	/* what may still grow into a longer break stays for the next piece */
	if (end && p[end - 1] == '\r')
		end--;
	else if (end && p[end - 1] == 0xc2)
		end--;
	else if (end && p[end - 1] == 0xe2)
		end--;
	else if (end >= 2 && p[end - 2] == 0xe2 && p[end - 1] == 0x80)
		end -= 2;
	while (end && !break_ends_at(p, end - 1))
		end--;
	return end;
}

void lines_position(const char *text, size_t size, size_t offset, bool to_char_start,
		    unsigned *line, unsigned *col)
{
	/* the position of the last character that starts before offset */
	unsigned l = 1, c = 1, start_l = 1, start_c = 1;
	if (offset > size)
		offset = size;
	for (size_t i = 0; i < offset;) {
		start_l = l;
		start_c = c;
		size_t brk = lines_break_at(text + i, size - i);
		if (brk && i + brk <= offset) {
			l++;
			c = 1;
			i += brk;
			continue;
		}
		/* columns count characters: a continuation byte is not one */
		do
			i++;
		while (i < offset && ((unsigned char)text[i] & 0xc0) == 0x80);
		c++;
	}
	*line = to_char_start ? start_l : l;
	*col = to_char_start ? start_c : c;
}

bool lines_is_utf16(const char *text, size_t size)
{
	const unsigned char *p = (const unsigned char *)text;
	return size >= 2 && ((p[0] == 0xfe && p[1] == 0xff) || (p[0] == 0xff && p[1] == 0xfe));
}

/* ------------------------------------------------------------ reader */

void lines_reader_init(struct lines_reader *r, const char *word)
{
	memset(r, 0, sizeof(*r));
	r->word = word;
	r->line = 1;
}

void lines_reader_release(struct lines_reader *r)
{
	free(r->checkpoints);
	for (size_t i = 0; i < r->kept_count; i++)
		free(r->kept[i].text);
	free(r->kept);
	memset(r, 0, sizeof(*r));
}

static void keep_line(struct lines_reader *r, size_t line, const char *text, size_t len)
{
	if (r->kept_count == r->kept_alloc) {
		r->kept_alloc = r->kept_alloc ? r->kept_alloc * 2 : 8;
		r->kept = xrealloc(r->kept, r->kept_alloc * sizeof(*r->kept));
	}
	if (len > LINES_KEPT_MAX)
		len = LINES_KEPT_MAX;
	struct lines_kept *k = &r->kept[r->kept_count++];
	k->line = line > UINT32_MAX ? UINT32_MAX : (unsigned)line;
	k->text = xstrndup(text, len);
	k->len = len;
}

/* Start of the line that holds byte at: back to the end of a break, or 0. */
static size_t line_start(const char *text, size_t at)
{
	const unsigned char *p = (const unsigned char *)text;
	while (at && !break_ends_at(p, at - 1))
		at--;
	return at;
}

/* Where the line holding byte at ends: the first break at or after it. */
static size_t line_end(const char *text, size_t len, size_t at)
{
	while (at < len && !lines_break_at(text + at, len - at))
		at++;
	return at;
}

void lines_reader_feed(struct lines_reader *r, const char *text, size_t len)
{
	if (!len)
		return;
	size_t last = r->checkpoint_count ? r->checkpoints[r->checkpoint_count - 1].offset : 0;
	if (!r->checkpoint_count || r->offset - last >= LINES_CHECKPOINT_EVERY) {
		if (r->checkpoint_count == r->checkpoint_alloc) {
			r->checkpoint_alloc = r->checkpoint_alloc ? r->checkpoint_alloc * 2 : 16;
			r->checkpoints = xrealloc(r->checkpoints,
						  r->checkpoint_alloc * sizeof(*r->checkpoints));
		}
		r->checkpoints[r->checkpoint_count].offset = r->offset;
		r->checkpoints[r->checkpoint_count].line = r->line;
		r->checkpoint_count++;
	}
	/* only the lines that hold the word are looked at line by line */
	size_t counted = 0, from = 0;
	if (r->is_mid_line) {
		/* the end of a line too long to keep */
		from = line_end(text, len, 0);
		r->is_mid_line = false;
	}
	size_t wlen = r->word ? strlen(r->word) : 0;
	const char *hit =
		wlen && from < len ? memmem(text + from, len - from, r->word, wlen) : NULL;
	while (hit) {
		size_t at = (size_t)(hit - text);
		size_t start = line_start(text, at), end = line_end(text, len, at);
		r->line += lines_count(text + counted, start - counted);
		keep_line(r, r->line, text + start, end - start);
		counted = start;
		hit = end < len ? memmem(text + end, len - end, r->word, wlen) : NULL;
	}
	r->line += lines_count(text + counted, len - counted);
	r->offset += len;
}

void lines_reader_feed_long(struct lines_reader *r, const char *text, size_t len)
{
	(void)text; /* no break in it, nothing kept */
	r->offset += len;
	r->is_mid_line = true;
}

const struct lines_checkpoint *lines_checkpoint_before(const struct lines_checkpoint *points,
						       size_t count, size_t line)
{
	size_t lo = 0, hi = count;
	/* the first checkpoint after line, then one back */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (points[mid].line <= line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &points[lo - 1] : NULL;
}
