#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

static char empty_text[1];

void strbuf_init(struct strbuf *sb)
{
	sb->buf = empty_text;
	sb->len = 0;
	sb->alloc = 0;
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb);
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->buf[0] = '\0';
	if (!sb->alloc)
		return;
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return;
	size_t alloc = sb->alloc ? sb->alloc : 64;
	while (alloc < need)
		alloc *= 2;
	if (sb->alloc) {
		sb->buf = xrealloc(sb->buf, alloc);
	} else {
		sb->buf = xmalloc(alloc);
		sb->buf[0] = '\0';
	}
	sb->alloc = alloc;
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_adds(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

static void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	strbuf_grow(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

/*
 * The UTF-8 sequence at s[0..avail) as a code point that a YAML 1.1 reader
 * (kubectl, PyYAML, libyaml) does not take as it is inside a quoted
 * scalar: a C1 control (not printable: the file is refused), NEL, LS or PS
 * (line breaks: folded into a space), U+FFFE or U+FFFF. Returns its length
 * and sets *code, or 0 for any other bytes.
 */
static size_t yaml11_unsafe_char(const unsigned char *s, size_t avail, unsigned *code)
{
	if (avail >= 2 && s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) {
		*code = s[1];
		return 2;
	}
	if (avail >= 3 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9)) {
		*code = 0x2000u | (s[2] & 0x3fu); /* 0x2028, 0x2029 */
		return 3;
	}
	if (avail >= 3 && s[0] == 0xef && s[1] == 0xbf && (s[2] == 0xbe || s[2] == 0xbf)) {
		*code = 0xffc0u | (s[2] & 0x3fu); /* 0xfffe, 0xffff */
		return 3;
	}
	return 0;
}

void strbuf_add_json_string(struct strbuf *sb, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	strbuf_grow(sb, len + 2);
	strbuf_addch(sb, '"');
	for (size_t i = 0; i < len;) {
		/* copy a run of bytes that stay as they are in one go; the lead
		 * bytes of the characters yaml11_unsafe_char knows stop it */
		size_t run = i;
		while (run < len && u[run] >= 0x20 && u[run] != 0x7f && u[run] != '"' &&
		       u[run] != '\\' && u[run] != 0xc2 && u[run] != 0xe2 && u[run] != 0xef)
			run++;
		if (run > i) {
			strbuf_add(sb, s + i, run - i);
			i = run;
			continue;
		}
		unsigned code = u[i];
		size_t n = u[i] >= 0x80 ? yaml11_unsafe_char(u + i, len - i, &code) : 1;
		if (n == 0) {
			strbuf_addch(sb,
				     s[i++]); /* 0xc2, 0xe2 or 0xef starting a plain character */
			continue;
		}
		i += n;
		switch (code) {
		case '"': strbuf_adds(sb, "\\\""); break;
		case '\\': strbuf_adds(sb, "\\\\"); break;
		case '\n': strbuf_adds(sb, "\\n"); break;
		case '\r': strbuf_adds(sb, "\\r"); break;
		case '\t': strbuf_adds(sb, "\\t"); break;
		default: {
			char esc[7] = { '\\',
					'u',
					hex[code >> 12],
					hex[(code >> 8) & 15],
					hex[(code >> 4) & 15],
					hex[code & 15],
					0 };
			strbuf_adds(sb, esc);
		}
		}
	}
	strbuf_addch(sb, '"');
}

/* A character a reader must see escaped (see strbuf_add_display). */
static bool is_control(unsigned code, bool keep_tab)
{
	if (code == '\t')
		return !keep_tab;
	return code < 0x20 || code == 0x7f || (code >= 0x80 && code <= 0x9f) || code == 0x200e ||
	       code == 0x200f || code == 0x2028 || code == 0x2029 ||
	       (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

void strbuf_add_display(struct strbuf *sb, const char *s, size_t len, bool keep_tab)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	strbuf_grow(sb, len);
	for (size_t i = 0; i < len;) {
		/* a run of printable ASCII goes in one piece */
		size_t run = i;
		while (run < len && u[run] >= 0x20 && u[run] < 0x7f)
			run++;
		if (run > i) {
			strbuf_add(sb, s + i, run - i);
			i = run;
			continue;
		}
		uint32_t code;
		size_t n = utf8_decode(u + i, len - i, &code);
		if (n == 0) {
			char esc[5] = { '\\', 'x', hex[u[i] >> 4], hex[u[i] & 15], 0 };
			strbuf_adds(sb, esc);
			i++;
			continue;
		}
		if (!is_control(code, keep_tab)) {
			strbuf_add(sb, s + i, n);
		} else if (code == '\n') {
			strbuf_adds(sb, "\\n");
		} else if (code == '\r') {
			strbuf_adds(sb, "\\r");
		} else if (code == '\t') {
			strbuf_adds(sb, "\\t");
		} else if (code < 0x80) {
			char esc[5] = { '\\', 'x', hex[code >> 4], hex[code & 15], 0 };
			strbuf_adds(sb, esc);
		} else {
			char esc[7] = { '\\',
					'u',
					hex[code >> 12],
					hex[(code >> 8) & 15],
					hex[(code >> 4) & 15],
					hex[code & 15],
					0 };
			strbuf_adds(sb, esc);
		}
		i += n;
	}
}

void strbuf_add_json_display(struct strbuf *sb, const char *s, size_t len)
{
	struct strbuf shown;
	strbuf_init(&shown);
	strbuf_add_display(&shown, s, len, false);
	strbuf_add_json_string(sb, shown.buf, shown.len);
	strbuf_release(&shown);
}
