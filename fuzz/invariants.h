#ifndef DKF_FUZZ_INVARIANTS_H
#define DKF_FUZZ_INVARIANTS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * What must hold for any output of the tool, whatever the input: the checks
 * the harnesses make beyond "no crash". Each one prints what failed (what
 * names the output, "json report" say) and abort()s, so libFuzzer keeps the
 * input as a crash. They are written independently of src/ (their own UTF-8
 * decoder, their own JSON grammar), so a bug shared with the code under test
 * does not hide itself.
 */

enum {
	INV_TAB = 1, /* a raw TAB may appear (an excerpt keeps the line's tabs) */
	INV_SGR = 2, /* ESC may appear, but only as a colour: ESC '[' digits and ';' 'm' */
};

/*
 * Text for a terminal or a CI log: valid UTF-8; no C0 control but LF (and
 * TAB with INV_TAB), no DEL, no C1 control, no LS or PS, no bidirectional
 * mark or override raw (strbuf_add_display's list); and no line whose
 * first non-blank characters are "::", which GitHub Actions would run as a
 * workflow command.
 */
void inv_text(const char *what, const char *buf, size_t len, unsigned flags);

/* buf is one JSON value (RFC 8259), with nothing but blanks around it. */
void inv_json(const char *what, const char *buf, size_t len);

/*
 * --format github: exactly count lines, each one workflow command the tool
 * writes (::error, ::warning or ::notice, then a space): no line a message
 * could have started.
 */
void inv_github(const char *what, const char *buf, size_t len, size_t count);

/* secret does not occur in buf. */
void inv_absent(const char *what, const char *buf, size_t len, const char *secret);

/*
 * The oracle for Kyverno's wildcards (go-wildcard: '*' any run, '?' one code
 * point, the rest literal, the whole name; a byte that is not UTF-8 is one
 * code point), by dynamic programming: slow, and obviously right.
 */
bool inv_wildcard_match(const char *pattern, const char *name, size_t len);

/* Print "fuzz invariant: what: why" and abort(). */
_Noreturn void inv_fail(const char *what, const char *why);

#endif
