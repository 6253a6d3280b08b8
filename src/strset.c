#include "strset.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

unsigned long long strset_hash(unsigned long long h, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static unsigned long long hash_of(const char *s, size_t len)
{
	return strset_hash(STRSET_HASH_START, s, len);
}

void strset_init(struct strset *set)
{
	memset(set, 0, sizeof(*set));
}

void strset_release(struct strset *set)
{
	free(set->slots);
	memset(set, 0, sizeof(*set));
}

void strset_reserve(struct strset *set, size_t count)
{
	if (set->alloc || count == 0)
		return;
	size_t alloc = 16;
	while (alloc * 3 < count * 4 + 4) /* the load grow() keeps: (used + 1) * 4 <= alloc * 3 */
		alloc *= 2;
	set->slots = xcalloc(alloc, sizeof(*set->slots));
	set->alloc = alloc;
}

static struct strset_entry *find_slot(const struct strset *set, const char *s, size_t len,
				      unsigned long long h)
{
	size_t mask = set->alloc - 1;
	for (size_t j = h & mask;; j = (j + 1) & mask) {
		struct strset_entry *e = &set->slots[j];
		if (!e->s || (e->hash == h && e->len == len && memcmp(e->s, s, len) == 0))
			return e;
	}
}

static void grow(struct strset *set)
{
	struct strset old = *set;
	set->alloc = old.alloc ? old.alloc * 2 : 16;
	set->slots = xcalloc(set->alloc, sizeof(*set->slots));
	for (size_t i = 0; i < old.alloc; i++)
		if (old.slots[i].s)
			*find_slot(set, old.slots[i].s, old.slots[i].len, old.slots[i].hash) =
				old.slots[i];
	free(old.slots);
}

bool strset_insert(struct strset *set, const char *s, size_t len, size_t value, size_t *existing)
{
	if ((set->used + 1) * 4 > set->alloc * 3)
		grow(set);
	unsigned long long h = hash_of(s, len);
	struct strset_entry *e = find_slot(set, s, len, h);
	if (e->s) {
		if (existing)
			*existing = e->value;
		return false;
	}
	e->s = s;
	e->len = len;
	e->value = value;
	e->hash = h;
	set->used++;
	return true;
}

bool strset_find(const struct strset *set, const char *s, size_t len, size_t *value)
{
	if (!set->alloc)
		return false;
	const struct strset_entry *e = find_slot(set, s, len, hash_of(s, len));
	if (!e->s)
		return false;
	*value = e->value;
	return true;
}
