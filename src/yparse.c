#include "yparse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyset.h"
#include "strbuf.h"
#include "xalloc.h"

const struct yparse_words yparse_values_words = {
	.syntax = "deployKF cannot load this file",
	.encoding = "values files must be UTF-8 text; re-save the file as UTF-8",
	.aliasing = "deployKF refuses excessive aliasing",
};

const struct yparse_words yparse_manifest_words = {
	.syntax = "the file is not valid YAML",
	.encoding = "the file must be UTF-8 text",
	.aliasing = "refused",
};

/* The marker of inline suppressions (suppress.h): lines holding it are kept
 * as they are read, since comments are not in libyaml's events. */
static const char marker_word[] = "dkfpolicy:";

/* Bytes read from a file at a time. Whole lines go to the line reader; the
 * last, unfinished one waits at the start of the buffer for the next read. */
enum { BUFFER_SIZE = 64 * 1024 };

struct yparse_anchor {
	char *name; /* heap; NULL: a free slot */
	uint32_t hash;
	void *value;
};

_Noreturn void yparse_out_of_memory(void)
{
	fputs("dkfpolicy: out of memory\n", stderr);
	exit(2);
}

/* ---------------------------------------------------------------- input */

/* Count and scan the whole lines of the buffer not yet counted. */
static void scan_lines(struct yparse *p)
{
	if (p->is_utf16) {
		p->scanned = p->buf_len; /* its bytes are no UTF-8 lines */
		return;
	}
	size_t done = lines_complete(p->buf + p->scanned, p->buf_len - p->scanned, p->at_eof);
	lines_reader_feed(&p->lines, p->buf + p->scanned, done);
	p->scanned += done;
}

/* Read the next piece of the file into the buffer, after the unfinished line.
 * Returns false at the end of the input or on an error (p says which). */
static bool refill(struct yparse *p)
{
	FILE *fp = p->src->fp;
	if (p->at_eof)
		return false;
	size_t keep = p->buf_len - p->scanned;
	if (keep >= BUFFER_SIZE - 2) {
		/* a line as long as the buffer: lines.h's reader takes it as one
		 * long line it need not keep, and this buffer keeps its end only */
		lines_reader_feed_long(&p->lines, p->buf + p->scanned, keep - 2);
		p->scanned += keep - 2;
		keep = 2;
	}
	memmove(p->buf, p->buf + p->scanned, keep);
	p->buf_offset += p->scanned;
	p->buf_line = p->lines.line;
	p->served -= p->scanned;
	p->buf_len = keep;
	p->scanned = 0;
	errno = 0; /* the error below must be this read's, not an older one */
	size_t n = fread(p->buf + keep, 1, BUFFER_SIZE - keep, fp);
	p->bytes_read += n;
	if (p->bytes_read > p->src->max_bytes) {
		p->too_large = true;
		return false;
	}
	/* also after a short read: a file that fails halfway is not valid input */
	if (ferror(fp)) {
		p->read_errno = errno ? errno : EIO;
		return false;
	}
	if (p->bytes_read == n && n && lines_is_utf16(p->buf, n))
		p->is_utf16 = true;
	p->buf_len += n;
	p->at_eof = n == 0;
	scan_lines(p);
	return n != 0;
}

static int read_handler(void *data, unsigned char *out, size_t size, size_t *size_read)
{
	struct yparse *p = data;
	*size_read = 0;
	if (p->served == p->buf_len && !refill(p))
		return !(p->too_large || p->read_errno);
	size_t n = p->buf_len - p->served;
	if (n > size)
		n = size;
	memcpy(out, p->buf + p->served, n);
	p->served += n;
	*size_read = n;
	return 1;
}

void yparse_init(struct yparse *p, const struct source *src, const struct yparse_limits *limits,
		 const struct yparse_words *words, const struct yparse_origin *origin,
		 struct diag_list *diags, struct excerpt_book *book)
{
	memset(p, 0, sizeof(*p));
	p->src = src;
	p->limits = limits;
	p->words = words;
	p->origin = origin;
	p->diags = diags;
	lines_reader_init(&p->lines, marker_word);
	p->buf_line = 1;
	const char *name = origin ? origin->file : src->name;
	if (book && !origin) {
		/* stdin cannot be read again at report time: keep its text, in the
		 * book's arena (lint frees each file's arena before reporting) */
		const char *kept = src->data;
		if (src->owned_data) {
			char *copy = arena_alloc(book->arena, src->size + 1);
			memcpy(copy, src->data, src->size);
			copy[src->size] = '\0';
			kept = copy;
		}
		p->excerpt = excerpt_book_add(book, name, kept, src->size);
	} else if (book) {
		p->excerpt = (struct excerpt_file *)excerpt_book_find(book, name);
	}
	if (!yaml_parser_initialize(&p->parser))
		yparse_out_of_memory();
	if (src->fp) {
		p->buf = xmalloc(BUFFER_SIZE);
		yaml_parser_set_input(&p->parser, read_handler, p);
	} else {
		p->is_utf16 = lines_is_utf16(src->data, src->size);
		/* the text stays in memory: its lines are only looked for in it
		 * when a report will need them */
		if (!p->is_utf16 && p->excerpt && !origin)
			lines_reader_feed(&p->lines, src->data, src->size);
		yaml_parser_set_input_string(&p->parser, (const unsigned char *)src->data,
					     src->size);
	}
}

void yparse_release(struct yparse *p)
{
	struct excerpt_file *f = p->excerpt;
	if (f && !p->origin) {
		if (p->src->fp && !p->at_eof)
			scan_lines(p); /* stopped early: what was read still counts */
		f->is_never_quoted = p->is_utf16;
		/* the book takes the line tables over */
		f->marker_lines = p->lines.kept;
		f->marker_line_count = p->lines.kept_count;
		p->lines.kept = NULL;
		p->lines.kept_count = 0;
		if (p->src->fp) {
			f->checkpoints = p->lines.checkpoints;
			f->checkpoint_count = p->lines.checkpoint_count;
			p->lines.checkpoints = NULL;
			p->lines.checkpoint_count = 0;
		}
	}
	lines_reader_release(&p->lines);
	yparse_anchors_clear(p);
	free(p->anchors);
	free(p->buf);
	yaml_parser_delete(&p->parser);
	memset(p, 0, sizeof(*p));
}

/* ------------------------------------------------------------ positions */

struct mark yparse_mark(const struct yparse *p, yaml_mark_t m)
{
	unsigned line = (unsigned)m.line + 1, col = (unsigned)m.column + 1;
	if (p->origin) {
		p->origin->map(p->origin->ctx, &line, &col);
		return mark_at(p->origin->file, line, col);
	}
	return mark_at(p->src->name, line, col);
}

void yparse_private(struct yparse *p, unsigned first, unsigned last)
{
	if (!p->excerpt)
		return;
	if (p->origin) {
		unsigned col = 1;
		p->origin->map(p->origin->ctx, &first, &col);
		col = 1;
		p->origin->map(p->origin->ctx, &last, &col);
	}
	excerpt_mark_private(p->excerpt, first, last);
}

/*
 * The position of a reader error, which libyaml gives as a byte offset. The
 * bytes around it are still in the buffer (libyaml has decoded everything it
 * was handed but a cut character when it asks for more), unless the line is
 * longer than the buffer: then read the file again from the checkpoint
 * before it.
 */
static struct mark offset_mark(const struct yparse *p, size_t offset, bool to_char_start)
{
	unsigned line, col;
	if (!p->src->fp) {
		lines_position(p->src->data, p->src->size, offset, to_char_start, &line, &col);
	} else if (offset >= p->buf_offset && offset <= p->buf_offset + p->buf_len) {
		lines_position(p->buf, p->buf_len, offset - p->buf_offset, to_char_start, &line,
			       &col);
		line += (unsigned)p->buf_line - 1;
	} else {
		/* a line longer than the buffer: count from the start of the file */
		struct strbuf text;
		strbuf_init(&text);
		FILE *fp = p->src->fp;
		char chunk[16384];
		size_t n;
		if (fseek(fp, 0, SEEK_SET) == 0)
			while (text.len <= offset && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
				strbuf_add(&text, chunk, n);
		lines_position(text.buf, text.len, offset, to_char_start, &line, &col);
		strbuf_release(&text);
	}
	if (p->origin) {
		p->origin->map(p->origin->ctx, &line, &col);
		return mark_at(p->origin->file, line, col);
	}
	return mark_at(p->src->name, line, col);
}

static void report_error(struct yparse *p)
{
	yaml_parser_t *yp = &p->parser;
	p->failed = p->fatal = true;
	if (yp->error == YAML_MEMORY_ERROR)
		yparse_out_of_memory();
	if (!p->diags)
		return;
	if (p->too_large) {
		struct mark at = mark_at(p->src->name, 0, 0);
		diag_add(p->diags, DKF111, at,
			 "the input is larger than %zu bytes; refused (raise --max-bytes if it is real)",
			 p->src->max_bytes);
	} else if (p->read_errno) {
		/* an I/O error, not a finding: the caller reports it naming the file */
	} else if (yp->error == YAML_READER_ERROR) {
		bool is_trailing = yp->problem && strstr(yp->problem, "trailing") != NULL;
		struct mark at = offset_mark(p, yp->problem_offset, is_trailing);
		diag_add(p->diags, DKF112, at, "%s; %s",
			 yp->problem ? yp->problem : "unreadable text", p->words->encoding);
	} else {
		struct mark at = yparse_mark(p, yp->problem_mark);
		struct diag *d =
			diag_add(p->diags, DKF101, at, "%s%s%s; %s",
				 yp->problem ? yp->problem : "syntax error", yp->context ? " " : "",
				 yp->context ? yp->context : "", p->words->syntax);
		if (yp->context && yp->context_mark.line != yp->problem_mark.line)
			diag_set_note(p->diags, d, yparse_mark(p, yp->context_mark),
				      "the construct started here");
	}
}

bool yparse_next(struct yparse *p, yaml_event_t *ev)
{
	if (yaml_parser_parse(&p->parser, ev))
		return true;
	report_error(p);
	return false;
}

bool yparse_next_silently(struct yparse *p, yaml_event_t *ev)
{
	if (yaml_parser_parse(&p->parser, ev))
		return true;
	if (p->parser.error == YAML_MEMORY_ERROR || p->too_large || p->read_errno)
		report_error(p);
	return false;
}

/* -------------------------------------------------------------- anchors */

static struct yparse_anchor *anchor_slot(const struct yparse *p, const char *name, uint32_t h)
{
	size_t mask = p->anchor_alloc - 1;
	for (size_t j = h & mask;; j = (j + 1) & mask) {
		struct yparse_anchor *a = &p->anchors[j];
		if (!a->name || (a->hash == h && strcmp(a->name, name) == 0))
			return a;
	}
}

void yparse_anchor_define(struct yparse *p, const char *name, void *value)
{
	if ((p->anchor_count + 1) * 4 > p->anchor_alloc * 3) {
		struct yparse_anchor *old = p->anchors;
		size_t old_alloc = p->anchor_alloc;
		p->anchor_alloc = old_alloc ? old_alloc * 2 : 16;
		p->anchors = xcalloc(p->anchor_alloc, sizeof(*p->anchors));
		for (size_t i = 0; i < old_alloc; i++)
			if (old[i].name)
				*anchor_slot(p, old[i].name, old[i].hash) = old[i];
		free(old);
	}
	uint32_t h = keyset_hash(name, strlen(name));
	struct yparse_anchor *a = anchor_slot(p, name, h);
	if (!a->name) {
		a->name = xstrdup(name);
		a->hash = h;
		p->anchor_count++;
	}
	a->value = value;
}

void *yparse_anchor_find(const struct yparse *p, const char *name)
{
	if (!p->anchor_alloc)
		return NULL;
	struct yparse_anchor *a = anchor_slot(p, name, keyset_hash(name, strlen(name)));
	return a->name ? a->value : NULL;
}

void yparse_anchors_clear(struct yparse *p)
{
	for (size_t i = 0; i < p->anchor_alloc; i++) {
		free(p->anchors[i].name);
		p->anchors[i].name = NULL;
	}
	p->anchor_count = 0;
}

/* -------------------------------------------------------------- budgets */

bool yparse_hold(struct yparse *p, struct mark at)
{
	size_t max = p->limits->max_nodes ? p->limits->max_nodes : YPARSE_DEFAULT_MAX_NODES;
	if (++p->held <= max)
		return true;
	if (!p->fatal && p->diags)
		diag_add(p->diags, DKF113, at,
			 "the file holds more than %zu values and keys; refused (raise --max-nodes "
			 "if it is real)",
			 max);
	p->failed = p->fatal = true;
	return false;
}

bool yparse_expand(struct yparse *p, size_t weight, struct mark at)
{
	p->expanded = p->expanded > SIZE_MAX - weight ? SIZE_MAX : p->expanded + weight;
	if (p->expanded <= p->limits->max_alias_nodes)
		return true;
	if (!p->failed && p->diags)
		diag_add(p->diags, DKF110, at,
			 "aliases in this file expand to more than %zu values; %s (raise "
			 "--max-alias-nodes if the file is real)",
			 p->limits->max_alias_nodes, p->words->aliasing);
	p->failed = p->fatal = true;
	return false;
}

bool yparse_within_depth(struct yparse *p, size_t depth, struct mark at)
{
	if (depth < p->limits->max_depth)
		return true;
	if (!p->failed && p->diags)
		diag_add(p->diags, DKF109, at,
			 "values nest more than %u levels deep here; refused (raise --max-depth if "
			 "the file is real)",
			 p->limits->max_depth);
	p->failed = p->fatal = true;
	return false;
}
