#ifndef DKF_LINES_H
#define DKF_LINES_H

#include <stdbool.h>
#include <stddef.h>

/*
 * What a line is, once for every input: the line breaks libyaml counts in its
 * marks, which are the positions every diagnostic shows. They are LF, CR LF,
 * a lone CR, NEL (U+0085), LS (U+2028) and PS (U+2029). Excerpts, inline
 * suppression markers, reader-error positions and namespace lists all count
 * lines here, so a NEL in a comment cannot shift a quoted line onto the next
 * physical line (which may hold a password).
 *
 * Text is UTF-8 (libyaml reads UTF-16 too; such a file is never quoted and
 * its markers are not seen, see lines_is_utf16).
 */

/* Bytes of the line break that starts at p[0..avail): 1 (LF, CR), 2 (CR LF,
 * NEL) or 3 (LS, PS); 0 when none starts there. */
size_t lines_break_at(const char *p, size_t avail);

/*
 * The length of the longest prefix of p[0..len) that ends with a line break
 * (0 when it has none). With at_end, the text is whole and the rest is the
 * last line; without, a CR (or a NEL, LS or PS cut short) at the very end may
 * still be the start of a longer break, so it is left to the next piece.
 */
size_t lines_complete(const char *p, size_t len, bool at_end);

/*
 * Line and column (1-based; columns count characters, as libyaml's marks do)
 * of byte offset in text[0..size). With to_char_start, of the character that
 * the byte at offset belongs to (libyaml gives the offset of a bad
 * continuation byte; the user must fix the character).
 */
void lines_position(const char *text, size_t size, size_t offset, bool to_char_start,
		    unsigned *line, unsigned *col);

/* Whether text starts with a UTF-16 byte order mark (libyaml then reads
 * UTF-16: byte offsets and lines of this module do not apply). */
bool lines_is_utf16(const char *text, size_t size);

/*
 * Lines of a text read piece by piece, as the front end reads a values file
 * (a 10 MB file is never held whole): feed each piece of whole lines in
 * order. It counts lines, remembers where each piece started (so that a line
 * can be found again by reading a little of the file, not all of it), and
 * keeps the lines that hold a watched word (the inline suppression markers,
 * `dkfpolicy:`), since comments are not in libyaml's events.
 */
struct lines_checkpoint {
	size_t offset; /* where a piece starts in the file (always a line start) */
	size_t line;   /* its line number, 1-based */
};

struct lines_kept {
	unsigned line; /* 1-based */
	char *text;    /* heap, NUL-terminated, without the break; at most LINES_KEPT_MAX bytes */
	size_t len;
};

enum {
	LINES_KEPT_MAX = 4096,          /* a marker is a short comment on a short line */
	LINES_CHECKPOINT_EVERY = 16384, /* bytes between checkpoints, at least */
};

struct lines_reader {
	const char *word;                     /* kept lines hold it; NULL: keep none */
	size_t offset;                        /* bytes fed so far */
	size_t line;                          /* the line of the next byte, 1-based */
	struct lines_checkpoint *checkpoints; /* heap */
	size_t checkpoint_count, checkpoint_alloc;
	struct lines_kept *kept; /* heap */
	size_t kept_count, kept_alloc;
	bool is_mid_line; /* the last piece was part of a line too long to keep */
};

void lines_reader_init(struct lines_reader *r, const char *word);
/* Frees the checkpoints and the kept lines that were not taken. */
void lines_reader_release(struct lines_reader *r);
/* Feed text[0..len), which starts at a line start and ends with a line break
 * (or is the end of the input). */
void lines_reader_feed(struct lines_reader *r, const char *text, size_t len);
/* Feed a piece of a line too long to hold (it has no line break): it is
 * counted, and neither it nor the rest of its line is kept. */
void lines_reader_feed_long(struct lines_reader *r, const char *text, size_t len);

/* The checkpoint to start reading from to find line: the last one at or
 * before it. */
const struct lines_checkpoint *lines_checkpoint_before(const struct lines_checkpoint *points,
						       size_t count, size_t line);

#endif
