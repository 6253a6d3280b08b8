#include "keyset.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct keyset_entry {
	uint32_t hash;
	uint32_t record; /* offset of the key's record from the level's bytes_base, + 1; 0: free */
};

/* A key in keyset.bytes: this header, then the identity's bytes. */
struct keyset_record {
	unsigned line, col;
	uint32_t len;  /* of the identity */
	uint32_t slot; /* its entry in the level's table */
};

struct keyset_level {
	struct keyset_entry *slots;
	size_t used;
	size_t alloc;      /* power of two, or 0 */
	size_t bytes_base; /* keyset.len when the map started */
};

void keyset_init(struct keyset *set)
{
	memset(set, 0, sizeof(*set));
}

void keyset_release(struct keyset *set)
{
	for (size_t i = 0; i < set->level_alloc; i++)
		free(set->levels[i].slots);
	free(set->levels);
	free(set->bytes);
	memset(set, 0, sizeof(*set));
}

uint32_t keyset_hash(const char *s, size_t len)
{
	const uint64_t mul = 0xff51afd7ed558ccdull;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len, w;
	if (len >= 8) {
		for (size_t i = 0; i + 8 < len; i += 8) {
			memcpy(&w, s + i, 8);
			h = (h ^ w) * mul;
			h ^= h >> 32;
		}
		/* the last eight, overlapping */
		memcpy(&w, s + len - 8, 8);
	} else if (len >= 4) {
		/* short keys in two overlapping halves */
		uint32_t lo, hi;
		memcpy(&lo, s, 4);
		memcpy(&hi, s + len - 4, 4);
		w = (uint64_t)hi << 32 | lo;
	} else {
		w = 0;
		for (size_t i = 0; i < len; i++)
			w |= (uint64_t)(unsigned char)s[i] << (8 * i);
	}
	h = (h ^ w) * mul;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return (uint32_t)h;
}

/* Place the record at offset (from the level's bytes_base) in the table. */
static void place(struct keyset_level *level, char *bytes, size_t offset, uint32_t hash)
{
	size_t j = hash & (level->alloc - 1);
	while (level->slots[j].record)
		j = (j + 1) & (level->alloc - 1);
	level->slots[j].hash = hash;
	level->slots[j].record = (uint32_t)offset + 1;
	struct keyset_record rec;
	memcpy(&rec, bytes + offset, sizeof(rec));
	rec.slot = (uint32_t)j;
	memcpy(bytes + offset, &rec, sizeof(rec));
}

/* Double the table in place (realloc keeps the pages it has) and place the
 * map's records again, walking them in the byte stack. */
static void grow(struct keyset *set, struct keyset_level *level)
{
	size_t alloc = level->alloc ? level->alloc * 2 : 16;
	level->slots = xrealloc(level->slots, alloc * sizeof(*level->slots));
	memset(level->slots, 0, alloc * sizeof(*level->slots));
	level->alloc = alloc;
	size_t end = set->len - level->bytes_base;
	if (!end)
		return; /* no records yet (and no byte stack before the first key) */
	char *bytes = set->bytes + level->bytes_base;
	for (size_t at = 0; at < end;) {
		struct keyset_record rec;
		memcpy(&rec, bytes + at, sizeof(rec));
		place(level, bytes, at, keyset_hash(bytes + at + sizeof(rec), rec.len));
		at += sizeof(rec) + rec.len;
	}
}

void keyset_open(struct keyset *set, size_t depth)
{
	if (depth >= set->level_alloc) {
		size_t alloc = set->level_alloc ? set->level_alloc * 2 : 16;
		while (alloc <= depth)
			alloc *= 2;
		set->levels = xrealloc(set->levels, alloc * sizeof(*set->levels));
		memset(set->levels + set->level_alloc, 0,
		       (alloc - set->level_alloc) * sizeof(*set->levels));
		set->level_alloc = alloc;
	}
	struct keyset_level *level = &set->levels[depth];
	level->used = 0;
	level->bytes_base = set->len;
}

void keyset_close(struct keyset *set, size_t depth)
{
	if (depth >= set->level_alloc)
		return;
	struct keyset_level *level = &set->levels[depth];
	if (level->used == 0) {
		/* nothing to free */
	} else if (level->alloc <= 64) {
		/* a small table (most maps) is cleared faster than walked */
		memset(level->slots, 0, level->alloc * sizeof(*level->slots));
	} else {
		for (size_t at = level->bytes_base; at < set->len;) {
			struct keyset_record rec;
			memcpy(&rec, set->bytes + at, sizeof(rec));
			level->slots[rec.slot].record = 0;
			at += sizeof(rec) + rec.len;
		}
	}
	level->used = 0;
	set->len = level->bytes_base;
}

enum keyset_result keyset_insert(struct keyset *set, size_t depth, char kind, const char *text,
				 size_t len, unsigned line, unsigned col, unsigned *first_line,
				 unsigned *first_col)
{
	struct keyset_level *level = &set->levels[depth];
	/* offset <= KEYSET_MAX_BYTES holds (every record passed this test), and
	 * a key is text the caller holds, so the sum cannot wrap */
	size_t offset = set->len - level->bytes_base;
	if (offset + sizeof(struct keyset_record) + 1 + len > KEYSET_MAX_BYTES)
		return KEYSET_TOO_MANY;
	if ((level->used + 1) * 4 > level->alloc * 3)
		grow(set, level);
	struct keyset_record rec = { line, col, (uint32_t)len + 1, 0 };
	size_t need = set->len + sizeof(rec) + rec.len;
	if (need > set->alloc) {
		size_t alloc = set->alloc ? set->alloc : 4096;
		while (alloc < need)
			alloc *= 2;
		set->bytes = xrealloc(set->bytes, alloc);
		set->alloc = alloc;
	}
	char *bytes = set->bytes + level->bytes_base;
	char *id = bytes + offset + sizeof(rec);
	id[0] = kind;
	if (len)
		memcpy(id + 1, text, len);
	uint32_t h = keyset_hash(id, rec.len);
	for (size_t j = h & (level->alloc - 1); level->slots[j].record;
	     j = (j + 1) & (level->alloc - 1)) {
		const struct keyset_entry *e = &level->slots[j];
		if (e->hash != h)
			continue;
		struct keyset_record seen;
		memcpy(&seen, bytes + e->record - 1, sizeof(seen));
		if (seen.len == rec.len &&
		    memcmp(bytes + e->record - 1 + sizeof(seen), id, rec.len) == 0) {
			*first_line = seen.line;
			*first_col = seen.col;
			return KEYSET_DUPLICATE;
		}
	}
	memcpy(bytes + offset, &rec, sizeof(rec));
	place(level, bytes, offset, h);
	set->len = need;
	level->used++;
	return KEYSET_NEW;
}
