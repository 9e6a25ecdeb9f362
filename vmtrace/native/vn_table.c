/* The one hash table of vmtrace-native (see vn.h for why it is shaped so). */
#include "vn.h"

#include <stdlib.h>

/* A 64-bit finaliser: every bit of x moves every bit of the result, so
   the low bits the table indexes by are as good as the high ones. */
uint64_t vn_hash_u64(uint64_t x)
{
   x ^= x >> 33;
   x *= 0xff51afd7ed558ccdull;
   x ^= x >> 33;
   x *= 0xc4ceb9fe1a85ec53ull;
   x ^= x >> 33;
   return x;
}

uint64_t vn_hash_add(uint64_t h, uint64_t v)
{
   return vn_hash_u64(h ^ (v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2)));
}

uint64_t vn_hash_str(const char *s)
{
   uint64_t h = 0;
   for (; *s; s++)
      h = (h ^ (unsigned char)*s) * 0x100000001b3ull;   /* FNV-1a's prime */
   return vn_hash_u64(h);
}

/* The slot of key, or the empty one where it would go. */
static uint32_t *probe(const struct vn_table *t, uint64_t hash, const void *key)
{
   size_t i = (size_t)hash & (t->cap - 1);
   while (t->slot[i] && !t->same(t->slot[i] - 1, key))
      i = (i + 1) & (t->cap - 1);
   return &t->slot[i];
}

/* Room for one more entry, keeping the table at most half full. */
static void grow(struct vn_table *t)
{
   uint32_t *old = t->slot;
   size_t oldcap = t->cap, k;
   if ((t->used + 1) * 2 <= t->cap)
      return;
   t->cap = t->cap ? t->cap * 2 : 64;
   t->slot = vn_xcalloc(t->cap, sizeof *t->slot);
   for (k = 0; k < oldcap; k++) {
      size_t i;
      if (!old[k])
         continue;
      i = (size_t)t->hash(old[k] - 1) & (t->cap - 1);
      while (t->slot[i])
         i = (i + 1) & (t->cap - 1);
      t->slot[i] = old[k];
   }
   free(old);
}

int64_t vn_table_find(const struct vn_table *t, uint64_t hash, const void *key)
{
   if (!t->cap)
      return -1;
   return (int64_t)*probe(t, hash, key) - 1;
}

uint32_t vn_table_intern(struct vn_table *t, uint64_t hash, const void *key, uint32_t new_index)
{
   uint32_t *s;
   grow(t);
   s = probe(t, hash, key);
   if (*s)
      return *s - 1;
   *s = new_index + 1;
   t->used++;
   return new_index;
}

void vn_table_put(struct vn_table *t, uint64_t hash, const void *key, uint32_t index)
{
   uint32_t *s;
   grow(t);
   s = probe(t, hash, key);
   if (!*s)
      t->used++;
   *s = index + 1;
}
