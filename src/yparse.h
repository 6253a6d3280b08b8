#ifndef DKF_YPARSE_H
#define DKF_YPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "diag.h"
#include "excerpt.h"
#include "lines.h"
#include "mark.h"
#include "source.h"

/*
 * The one libyaml front end. Every YAML input — values files, the values
 * string of an Argo CD Application, manifests, namespace lists, the tool's
 * rendered policy when it is sized — is read through this module, which owns
 * what they share: feeding libyaml from a file (streamed, never held whole)
 * or from memory; the input size budget; positions (libyaml's marks, byte
 * offsets of reader errors, lines.h's one definition of a line); libyaml's
 * errors as diagnostics with positions (DKF101, DKF111, DKF112); anchors; the
 * depth, alias and node budgets (DKF109, DKF110, DKF113); what an excerpt
 * needs later (private lines, suppression markers, where lines start); and
 * running out of memory (exit 2, as xalloc.h).
 *
 * The loaders on top (yload.c for values, kdoc.c for manifests, check_size.c for
 * sizing) turn its events into their own trees.
 */

/* Budgets for hostile input, the same for every kind of input. */
struct yparse_limits {
	unsigned max_depth;     /* nesting of maps and lists */
	size_t max_alias_nodes; /* values reachable through aliases, counted expanded;
				 * below YPARSE_MAX_ALIAS_NODES_LIMIT */
	size_t max_nodes;       /* values and keys held in memory; 0: the default */
};

enum {
	YPARSE_DEFAULT_MAX_DEPTH = 256,
	YPARSE_DEFAULT_MAX_ALIAS_NODES = 1000000,
	YPARSE_DEFAULT_MAX_NODES = 1000000,
};
/* a node keeps its expanded size in 32 bits (see node.h) */
#define YPARSE_MAX_ALIAS_NODES_LIMIT 4294967295u

/* What a problem means for this kind of input, for the diagnostics: the end
 * of a syntax error ("deployKF cannot load this file") and of an encoding
 * error ("values files must be UTF-8 text; ..."), and who refuses excessive
 * aliasing. */
struct yparse_words {
	const char *syntax;
	const char *encoding;
	const char *aliasing;
};
extern const struct yparse_words yparse_values_words;
extern const struct yparse_words yparse_manifest_words;

/*
 * A text inside another file (the `values` string of an Application): its
 * positions are those of the file that holds it. map turns a line and column
 * of the text (1-based) into the file's.
 */
struct yparse_origin {
	const char *file; /* the name positions are given in */
	void (*map)(const void *ctx, unsigned *line, unsigned *col);
	const void *ctx;
};

struct yparse_anchor;

struct yparse {
	yaml_parser_t parser;
	const struct source *src;
	const struct yparse_limits *limits;
	const struct yparse_words *words;
	const struct yparse_origin *origin; /* NULL: positions are the source's own */
	struct diag_list *diags;
	struct excerpt_file *excerpt; /* what the report may quote later, or NULL */
	/* a streamed file: a buffer of whole lines (the last one may go on) */
	char *buf;
	size_t buf_len;
	size_t served;     /* bytes of buf handed to libyaml */
	size_t scanned;    /* bytes of buf counted into lines */
	size_t buf_offset; /* of buf[0] in the file */
	size_t buf_line;   /* the line of buf[0] */
	size_t bytes_read;
	bool at_eof;
	bool too_large;
	int read_errno;
	bool is_utf16; /* libyaml reads UTF-16: byte positions do not apply */
	struct lines_reader lines;
	/* anchors: name -> what the loader built for it */
	struct yparse_anchor *anchors;
	size_t anchor_count, anchor_alloc;
	size_t expanded; /* alias budget used */
	size_t held;     /* node budget used */
	bool failed;     /* the input cannot be loaded; reading may go on for more problems */
	bool fatal;      /* stop reading: a syntax error, a limit */
};

/*
 * Start reading src. Problems go to diags (NULL: only p->failed says so).
 * book (NULL: none) records the input so a report can quote its public lines
 * later and find its suppression markers; standard input is kept there, since
 * it cannot be read again, and a text in memory must outlive the book. Never
 * fails (out of memory exits).
 */
void yparse_init(struct yparse *p, const struct source *src, const struct yparse_limits *limits,
		 const struct yparse_words *words, const struct yparse_origin *origin,
		 struct diag_list *diags, struct excerpt_book *book);
/* Hand what the report needs to the book, free everything else. */
void yparse_release(struct yparse *p);

/*
 * The next event. On a problem returns false: it has been reported (syntax
 * and encoding errors, the size budget) and p->fatal is set, unless reading
 * the file failed (p->read_errno, an I/O error for the caller to report,
 * exit status 2). The caller deletes the event with yaml_event_delete.
 */
bool yparse_next(struct yparse *p, yaml_event_t *ev);

/* The same, for what is read only to look at (the documents after the values,
 * which deployKF does not read): a syntax or encoding error there is no
 * problem of the input and is not reported; an unreadable or too large input
 * still is. */
bool yparse_next_silently(struct yparse *p, yaml_event_t *ev);

/* A libyaml mark as a position of the input (or of the file holding it). */
struct mark yparse_mark(const struct yparse *p, yaml_mark_t m);

/* Mark lines first..last (1-based, of the input) as never to be quoted. */
void yparse_private(struct yparse *p, unsigned first, unsigned last);

/* Anchors: a redefined name replaces the old one for the aliases after it. */
void yparse_anchor_define(struct yparse *p, const char *name, void *value);
void *yparse_anchor_find(const struct yparse *p, const char *name);
void yparse_anchors_clear(struct yparse *p);

/*
 * Budgets. Each returns true while the input is within it; otherwise it has
 * added the diagnostic once (at `at`) and set p->fatal.
 */
/* One more value or key held in memory. */
bool yparse_hold(struct yparse *p, struct mark at);
/* An alias reached weight more values. */
bool yparse_expand(struct yparse *p, size_t weight, struct mark at);
/* A collection opens at depth (0-based). */
bool yparse_within_depth(struct yparse *p, size_t depth, struct mark at);

/* Out of memory in a library (libyaml's, libcyaml's): the same message and
 * exit status as xalloc.h. */
_Noreturn void yparse_out_of_memory(void);

#endif
