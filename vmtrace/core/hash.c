/* hash.c: the core's one hash table, from 64-bit keys to two words of the
   user's: open addressing with linear probing, Fibonacci hashing, kept at
   most half full, deleted with backward shift (no tombstones).  Used for
   the simulations' resident and evicted pages, the page cache of shared
   memory, the heatmap's rows, and by the tool.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_core.h"

static vt_u64 hash_home(const struct vt_hash *m, vt_u64 key)
{
   /* Fibonacci hashing: the high bits of key * 2^64/phi. */
   return (key * 0x9E3779B97F4A7C15ull) >> m->shift;
}

static void hash_alloc(struct vt_hash *m, unsigned bits)
{
   vt_u64 cap = (vt_u64)1 << bits;
   m->e = vt_alloc((size_t)cap * sizeof *m->e);
   for (vt_u64 i = 0; i < cap; i++)
      m->e[i].key = VT_HASH_EMPTY;
   m->mask = cap - 1;
   m->shift = 64 - bits;
   m->n = 0;
}

void vt_hash_init(struct vt_hash *m, vt_u64 expected)
{
   unsigned bits = 4;
   while (((vt_u64)1 << bits) < 2 * expected + 2)
      bits++;
   hash_alloc(m, bits);
}

void vt_hash_destroy(struct vt_hash *m)
{
   vt_free(m->e);
   m->e = NULL;
}

struct vt_hash_ent *vt_hash_get(const struct vt_hash *m, vt_u64 key)
{
   for (vt_u64 i = hash_home(m, key);; i = (i + 1) & m->mask) {
      if (m->e[i].key == key)
         return &m->e[i];
      if (m->e[i].key == VT_HASH_EMPTY)
         return NULL;
   }
}

static void hash_grow(struct vt_hash *m)
{
   struct vt_hash_ent *old = m->e;
   vt_u64 cap = m->mask + 1;
   hash_alloc(m, 64 - m->shift + 1);
   for (vt_u64 i = 0; i < cap; i++)
      if (old[i].key != VT_HASH_EMPTY) {
         vt_u64 j = hash_home(m, old[i].key);
         while (m->e[j].key != VT_HASH_EMPTY)
            j = (j + 1) & m->mask;
         m->e[j] = old[i];
         m->n++;
      }
   vt_free(old);
}

struct vt_hash_ent *vt_hash_put(struct vt_hash *m, vt_u64 key, bool *added)
{
   VT_ASSERT(key != VT_HASH_EMPTY);
   struct vt_hash_ent *e = vt_hash_get(m, key);
   if (e) {
      if (added)
         *added = false;
      return e;
   }
   if (2 * (m->n + 1) > m->mask + 1)
      hash_grow(m);
   vt_u64 i = hash_home(m, key);
   while (m->e[i].key != VT_HASH_EMPTY)
      i = (i + 1) & m->mask;
   m->e[i].key = key;
   m->e[i].val = 0;
   m->e[i].aux = 0;
   m->n++;
   if (added)
      *added = true;
   return &m->e[i];
}

bool vt_hash_del(struct vt_hash *m, vt_u64 key)
{
   struct vt_hash_ent *e = vt_hash_get(m, key);
   if (!e)
      return false;
   /* Backward-shift deletion (Knuth 6.4, algorithm R): no tombstones. */
   vt_u64 i = (vt_u64)(e - m->e), j = i;
   for (;;) {
      j = (j + 1) & m->mask;
      if (m->e[j].key == VT_HASH_EMPTY)
         break;
      vt_u64 h = hash_home(m, m->e[j].key);
      /* Leave e[j] if its home lies cyclically in (i, j]. */
      if (i <= j ? (i < h && h <= j) : (i < h || h <= j))
         continue;
      m->e[i] = m->e[j];
      i = j;
   }
   m->e[i].key = VT_HASH_EMPTY;
   m->n--;
   return true;
}

void vt_hash_del_from(struct vt_hash *m, vt_u64 from)
{
   if (!m->e || !m->n)
      return;
   /* collected first: a deletion shifts the entries after it */
   vt_u64 *gone = vt_alloc(m->n * sizeof *gone), n = 0;
   for (vt_u64 i = 0; i <= m->mask; i++)
      if (m->e[i].key != VT_HASH_EMPTY && m->e[i].key >= from)
         gone[n++] = m->e[i].key;
   while (n)
      vt_hash_del(m, gone[--n]);
   vt_free(gone);
}
