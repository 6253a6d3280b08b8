#ifndef DKF_STRBUF_H
#define DKF_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * A growable text buffer. Invariants (as in git's strbuf.h): buf is never
 * NULL after strbuf_init, buf[len] is always '\0', and len is the truth
 * (the text may contain NUL bytes). The owner releases it with strbuf_release.
 */
struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s as a JSON string literal with its double quotes; also a valid YAML
 * double-quoted scalar, so no value can change the structure around it. */
void strbuf_add_json_string(struct strbuf *sb, const char *s, size_t len);

/*
 * Append s for people to read: in a terminal, a CI log or an annotation.
 * Text from the inputs (a decoded YAML string, a file name, a manifest's
 * names) may hold anything: a raw ESC changes a terminal's title or clears
 * it, a newline followed by "::" forges a GitHub Actions workflow command,
 * and a bidirectional override reorders what is read. So every C0 control
 * (TAB too, unless keep_tab), DEL, every C1 control, LS, PS and the
 * bidirectional marks and overrides are written as escapes (\n, \r, \t,
 * \x1b, \u2028), and every byte that is not UTF-8 as \xNN; everything else
 * stays as it is. Every report format writes every message, note, file name
 * and excerpt through this one function (JSON and SARIF then escape the
 * result as JSON, so they are always valid UTF-8).
 */
void strbuf_add_display(struct strbuf *sb, const char *s, size_t len, bool keep_tab);
/* strbuf_add_display(s) as a JSON string literal. */
void strbuf_add_json_display(struct strbuf *sb, const char *s, size_t len);

#endif
