#ifndef DKF_UTF8_H
#define DKF_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * One UTF-8 decoder for the tool: the escaping of user text (strbuf.c) and
 * Kyverno's wildcard matcher (names.c, which reads an ill-formed byte as
 * U+FFFD as Go does) must agree on what a character is.
 */

/* The length (1 to 4) of the well-formed UTF-8 sequence at s[0..avail), its
 * code point in *code; 0 when the bytes there are not one (an overlong form,
 * a surrogate, a value above U+10FFFF, a cut sequence, a stray byte), *code
 * then untouched. avail must be at least 1. */
size_t utf8_decode(const unsigned char *s, size_t avail, uint32_t *code);

#endif
