#ifndef DKF_MARK_H
#define DKF_MARK_H

/*
 * A position in an input file: 1-based line and column (columns count
 * characters, as libyaml's marks do). line == 0 means "no position"
 * (a problem with the stack as a whole). file points at a name that lives
 * for the whole run (a command-line argument or a literal).
 */
struct mark {
	const char *file;
	unsigned line;
	unsigned col;
};

#endif
