#ifndef DKF_STRSET_H
#define DKF_STRSET_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A hash set of byte strings, each with a caller's value (an index), so
 * duplicate checks stay linear in the number of credentials and excludes.
 * Strings are borrowed: they must outlive the set.
 */
struct strset_entry {
	const char *s;
	size_t len;
	size_t value;
	unsigned long long hash;
};

struct strset {
	struct strset_entry *slots;
	size_t used;
	size_t alloc;
};

/* FNV-1a over s[0..len), continuing from h (start from STRSET_HASH_START):
 * the set's hash, also for keys made of several strings. */
#define STRSET_HASH_START 1469598103934665603ull
unsigned long long strset_hash(unsigned long long h, const char *s, size_t len);

void strset_init(struct strset *set);
void strset_release(struct strset *set);
/* Size an empty set for count strings at once: a set that grows step by
 * step touches every smaller table on the way (2,000 credentials: twice the
 * memory). */
void strset_reserve(struct strset *set, size_t count);
/* Insert s with value; if s is already present, return false and set
 * *existing to the value stored first. */
bool strset_insert(struct strset *set, const char *s, size_t len, size_t value, size_t *existing);
/* The value stored with s; false when s is not in the set. */
bool strset_find(const struct strset *set, const char *s, size_t len, size_t *value);

#endif
