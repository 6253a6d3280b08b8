#include "linediff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

enum { CONTEXT = 3 };

struct line {
	const char *text;
	size_t len; /* with the '\n', when there is one */
};

struct lines {
	struct line *items;
	size_t count;
};

enum op_kind { OP_SAME, OP_DEL, OP_ADD };

struct op {
	enum op_kind kind;
	size_t a; /* index into old (OP_SAME, OP_DEL) */
	size_t b; /* index into new (OP_SAME, OP_ADD) */
};

static void split_lines(const char *text, size_t len, struct lines *out)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n')
			n++;
	if (len && text[len - 1] != '\n')
		n++;
	out->items = xcalloc(n ? n : 1, sizeof(*out->items));
	out->count = 0;
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n') {
			out->items[out->count++] = (struct line){ text + start, i + 1 - start };
			start = i + 1;
		}
	}
	if (start < len)
		out->items[out->count++] = (struct line){ text + start, len - start };
}

static bool same_line(const struct line *x, const struct line *y)
{
	return x->len == y->len && memcmp(x->text, y->text, x->len) == 0;
}

/* The edit script for old[lo_a, hi_a) against new[lo_b, hi_b), appended to ops. */
static void diff_middle(const struct lines *a, const struct lines *b, size_t lo_a, size_t hi_a,
			size_t lo_b, size_t hi_b, struct op *ops, size_t *nops)
{
	size_t n = hi_a - lo_a, m = hi_b - lo_b;
	uint32_t *lcs = NULL;
	if (n && m && (n + 1) <= LINEDIFF_MAX_CELLS / (m + 1))
		lcs = xcalloc((n + 1) * (m + 1), sizeof(*lcs));
	if (!lcs) {
		for (size_t i = lo_a; i < hi_a; i++)
			ops[(*nops)++] = (struct op){ OP_DEL, i, 0 };
		for (size_t j = lo_b; j < hi_b; j++)
			ops[(*nops)++] = (struct op){ OP_ADD, 0, j };
		return;
	}
	/* lcs[i][j]: longest common subsequence of old[lo_a+i..] and new[lo_b+j..] */
	size_t w = m + 1;
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;)
			lcs[i * w + j] = same_line(&a->items[lo_a + i], &b->items[lo_b + j])
						 ? lcs[(i + 1) * w + j + 1] + 1
					 : lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]
						 ? lcs[(i + 1) * w + j]
						 : lcs[i * w + j + 1];
	size_t i = 0, j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && same_line(&a->items[lo_a + i], &b->items[lo_b + j])) {
			ops[(*nops)++] = (struct op){ OP_SAME, lo_a + i, lo_b + j };
			i++;
			j++;
		} else if (j == m || (i < n && lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
			ops[(*nops)++] = (struct op){ OP_DEL, lo_a + i, 0 };
			i++;
		} else {
			ops[(*nops)++] = (struct op){ OP_ADD, 0, lo_b + j };
			j++;
		}
	}
	free(lcs);
}

static void add_line(struct strbuf *out, char prefix, const struct line *l)
{
	strbuf_addch(out, prefix);
	strbuf_add(out, l->text, l->len);
	if (!l->len || l->text[l->len - 1] != '\n')
		strbuf_adds(out, "\n\\ No newline at end of file\n");
}

/* "-3,2" in a hunk header; diff -u writes a one-line range without the count
 * and an empty range as the line before it. */
static void add_range(struct strbuf *out, char sign, size_t first, size_t count)
{
	if (count == 1)
		strbuf_addf(out, "%c%zu", sign, first + 1);
	else
		strbuf_addf(out, "%c%zu,%zu", sign, count ? first + 1 : first, count);
}

static void add_hunk(struct strbuf *out, const struct lines *a, const struct lines *b,
		     const struct op *ops, size_t nops, size_t from, size_t to)
{
	/* where the hunk starts in each file: the first line of either side at or after from */
	size_t a_first = 0, b_first = 0, a_count = 0, b_count = 0;
	size_t a_next = 0, b_next = 0; /* line indexes reached before ops[from] */
	for (size_t k = 0; k < from; k++) {
		if (ops[k].kind != OP_ADD)
			a_next = ops[k].a + 1;
		if (ops[k].kind != OP_DEL)
			b_next = ops[k].b + 1;
	}
	a_first = a_next;
	b_first = b_next;
	for (size_t k = from; k < to && k < nops; k++) {
		if (ops[k].kind != OP_ADD)
			a_count++;
		if (ops[k].kind != OP_DEL)
			b_count++;
	}
	strbuf_adds(out, "@@ ");
	add_range(out, '-', a_first, a_count);
	strbuf_addch(out, ' ');
	add_range(out, '+', b_first, b_count);
	strbuf_adds(out, " @@\n");
	for (size_t k = from; k < to && k < nops; k++) {
		switch (ops[k].kind) {
		case OP_SAME: add_line(out, ' ', &a->items[ops[k].a]); break;
		case OP_DEL: add_line(out, '-', &a->items[ops[k].a]); break;
		case OP_ADD: add_line(out, '+', &b->items[ops[k].b]); break;
		}
	}
}

bool linediff_unified(struct strbuf *out, const char *old_label, const char *old_text,
		      size_t old_len, const char *new_label, const char *new_text, size_t new_len)
{
	if (old_len == new_len && memcmp(old_text, new_text, old_len) == 0)
		return false;
	struct lines a, b;
	split_lines(old_text, old_len, &a);
	split_lines(new_text, new_len, &b);

	size_t head = 0;
	while (head < a.count && head < b.count && same_line(&a.items[head], &b.items[head]))
		head++;
	size_t tail = 0;
	while (tail < a.count - head && tail < b.count - head &&
	       same_line(&a.items[a.count - 1 - tail], &b.items[b.count - 1 - tail]))
		tail++;

	struct op *ops = xcalloc(a.count + b.count + 1, sizeof(*ops));
	size_t nops = 0;
	for (size_t i = 0; i < head; i++)
		ops[nops++] = (struct op){ OP_SAME, i, i };
	diff_middle(&a, &b, head, a.count - tail, head, b.count - tail, ops, &nops);
	for (size_t t = tail; t-- > 0;)
		ops[nops++] = (struct op){ OP_SAME, a.count - 1 - t, b.count - 1 - t };

	strbuf_addf(out, "--- %s\n+++ %s\n", old_label, new_label);
	size_t k = 0;
	while (k < nops) {
		while (k < nops && ops[k].kind == OP_SAME)
			k++;
		if (k == nops)
			break;
		size_t from = k > CONTEXT ? k - CONTEXT : 0;
		/* extend over changes separated by at most 2*CONTEXT unchanged lines */
		size_t last_change = k;
		size_t j = k;
		while (j < nops) {
			if (ops[j].kind != OP_SAME) {
				last_change = j;
			} else if (j - last_change > 2 * CONTEXT) {
				break;
			}
			j++;
		}
		size_t to = last_change + 1 + CONTEXT;
		if (to > nops)
			to = nops;
		add_hunk(out, &a, &b, ops, nops, from, to);
		k = to;
	}
	free(ops);
	free(a.items);
	free(b.items);
	return true;
}
