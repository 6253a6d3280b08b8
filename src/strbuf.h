#ifndef DKF_STRBUF_H
#define DKF_STRBUF_H

#include <stdarg.h>
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

#endif
