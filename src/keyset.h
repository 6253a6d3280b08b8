#ifndef DKF_KEYSET_H
#define DKF_KEYSET_H

#include <stddef.h>
#include <stdint.h>

/*
 * The keys seen in each open map of a YAML document, for yaml.v3's "mapping
 * key already defined" error (deployKF fails on a repeated key). yaml.v3
 * (decode.go, mapping) compares keys by node kind and text as written after
 * unescaping, not by decoded value: `"1"` and `1` collide, `1` and `01` do
 * not, `<<` twice collides, and an alias key `*a` is compared by its anchor
 * name. The caller passes that identity as a kind byte plus the text.
 *
 * This runs for every key of a file, most of them in maps that are only
 * streamed past, so it is built to cost next to nothing: a key's identity is
 * appended to one byte stack shared by all open maps, which a map gives back
 * when it ends (maps nest, so their keys are freed last in, first out), and
 * each nesting depth keeps its hash table from map to map. A map that ends
 * frees its table's slots through its records (each knows its slot), so the
 * next map at that depth starts with an empty table at a cost of its own
 * keys, not of the table. Memory follows the keys of the maps open at one
 * time, not the size of the file. A slot takes 8 bytes (the position and
 * text live in the byte stack) and a table grows in place, since a map of ten
 * thousand keys (a large file's top level) makes a table of 32768 slots, and
 * every page of it is one the process must fault in.
 */
struct keyset_level;

struct keyset {
	struct keyset_level *levels; /* one per depth, reused by every map at that depth */
	size_t level_alloc;
	char *bytes; /* identities of the keys of the open maps, as a stack */
	size_t len, alloc;
};

void keyset_init(struct keyset *set);
/* Frees every table and the byte stack. */
void keyset_release(struct keyset *set);

/* A map opens at depth (0-based; maps and lists both count). Its table is
 * empty: the map before it at this depth freed the slots it used. */
void keyset_open(struct keyset *set, size_t depth);
/* The map at depth ended: free its slots and give its keys' bytes back. */
void keyset_close(struct keyset *set, size_t depth);

enum keyset_result {
	KEYSET_NEW,
	KEYSET_DUPLICATE, /* the map already has the key */
	KEYSET_TOO_MANY,  /* the map's keys pass KEYSET_MAX_BYTES */
};
/* The records of one map must stay addressable in 32 bits. */
#define KEYSET_MAX_BYTES ((size_t)UINT32_MAX - 1)

/*
 * Insert the identity kind + text[0..len) into the set of the map open at
 * depth (keyset_open first), remembering where it was written. For
 * KEYSET_DUPLICATE, *first_line and *first_col are set to where it was
 * written first.
 */
enum keyset_result keyset_insert(struct keyset *set, size_t depth, char kind, const char *text,
				 size_t len, unsigned line, unsigned col, unsigned *first_line,
				 unsigned *first_col);

/* The hash the tables use: eight bytes at a time, mixed so that the low bits
 * depend on all of them. Also for other small caches of key texts. */
uint32_t keyset_hash(const char *s, size_t len);

#endif
