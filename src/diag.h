#ifndef DKF_DIAG_H
#define DKF_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "mark.h"

/*
 * Diagnostics: stages append to a diag_list and never print; the reporter
 * sorts, removes duplicates and prints. Messages follow git's guidelines:
 * lower-case start, no full stop, the problem first, then what to do.
 */
/* The exit status a run ends with (mandoc's idea: the worst severity kept
 * decides). */
enum dkf_exit {
	DKF_EXIT_OK = 0,       /* fine (warnings allowed) */
	DKF_EXIT_FINDINGS = 1, /* errors, or warnings under --strict; a stale --check file */
	DKF_EXIT_TROUBLE = 2,  /* usage, I/O, out of memory: the tool could not do its job */
};

enum diag_severity {
	DIAG_INFO,
	DIAG_WARNING,
	DIAG_ERROR,
};

enum diag_code {
#define DIAG_CODE(code, sev, name, title, help) code,
#include "diag_codes.def"
#undef DIAG_CODE
	DIAG_CODE_COUNT
};

struct diag_info {
	const char *code; /* "DKF201" */
	enum diag_severity severity;
	const char *name; /* "missing-existing-secret" */
	const char *title;
	const char *help;
};

struct diag {
	enum diag_code code;
	enum diag_severity severity;
	struct mark at;
	const char *message; /* arena-owned */
	struct mark note_at; /* optional related position (line 0: none) */
	const char *note;    /* arena-owned, or NULL */
	/* which of several stacks the finding belongs to (an Argo CD Application,
	 * a declared stack): "in Application 'x'", shown as a second note */
	struct mark context_at;
	const char *context; /* arena-owned, or NULL */
	size_t seq;          /* insertion order, for a stable sort */
};

struct excerpt_book;

struct diag_list {
	struct arena *arena; /* owns messages; borrowed */
	struct diag *items;  /* heap; released by diag_list_release */
	size_t count;
	size_t alloc;
	struct excerpt_book *book; /* which lines may be quoted, or NULL; borrowed */
};

void diag_list_init(struct diag_list *list, struct arena *arena);
void diag_list_release(struct diag_list *list);

/* Add a diagnostic with the code's default severity; returns it so a caller
 * can attach a note. The pointer is valid until the next diag_add. Its line
 * may be quoted only when at.is_public (mark.h): a diagnostic at a node's
 * mark is quotable exactly when the node is on the path or in the block. */
struct diag *diag_add(struct diag_list *list, enum diag_code code, struct mark at, const char *fmt,
		      ...) __attribute__((format(printf, 4, 5)));
void diag_set_note(struct diag_list *list, struct diag *d, struct mark at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Give every diagnostic from index first on that has no context this one
 * (fmt: "in Application '%s'"): they came from one stack among several. */
void diag_set_context(struct diag_list *list, size_t first, struct mark at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

const struct diag_info *diag_info(enum diag_code code);
/* Find a code by "DKF201", "dkf201", "201" or its name; returns false if none. */
bool diag_lookup(const char *text, enum diag_code *out);
const char *diag_severity_name(enum diag_severity s);

/* Sort by (file order, line, column, code), drop exact repeats. files lists
 * the input names in command-line order so a stack reports in stack order. */
void diag_sort(struct diag_list *list, const char *const *files, size_t file_count);
size_t diag_count_at_least(const struct diag_list *list, enum diag_severity s);

#endif
