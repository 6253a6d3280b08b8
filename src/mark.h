#ifndef DKF_MARK_H
#define DKF_MARK_H

/*
 * A position in an input file: 1-based line and column (columns count
 * characters, as libyaml's marks do). line == 0 means "no position"
 * (a problem with the stack as a whole). file points at a name that lives
 * for the whole run (a command-line argument or a literal).
 *
 * is_public says whether what stands there is on the path to the block or
 * in it: only then may a report quote the line (and only when excerpt.h
 * agrees that nothing else on the line is private). The loader sets it on
 * the nodes it builds; every other mark is private, so no caller has to
 * remember to keep a line from being quoted.
 */
struct mark {
	const char *file;
	unsigned line;
	unsigned col : 31;
	unsigned is_public : 1;
};

/* A private mark (see above): every position that is not a built node's. */
static inline struct mark mark_at(const char *file, unsigned line, unsigned col)
{
	struct mark m = { file, line, col, 0 };
	return m;
}

#endif
