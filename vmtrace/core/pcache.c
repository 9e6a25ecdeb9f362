/* pcache.c: which pages of a file are in the page cache.  Regular files are
   taken as fully cached (a warm cache) and need no record; shared memory
   (tmpfs, shared anonymous, SysV) has pages only once something faulted
   them in, and fault-around maps only pages that exist.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"

#define EMPTY (~(vt_u64)0)

static uint32_t slot(vt_u64 key, uint32_t cap)
{
   return (uint32_t)((key * 0x9E3779B97F4A7C15ULL) >> 32) & (cap - 1);
}

vt_u64 (*vt_shmem_new_gid)(void);
const struct vt_shmem_ops *vt_shmem_host_ops;

static bool local_has(const struct vt_file *f, vt_u64 pgoff);

bool vt_pcache_has(const struct vt_file *f, vt_u64 pgoff)
{
   if (local_has(f, pgoff))
      return true;
   /* Shared memory: another process may have created the page. */
   if (f->shmem && f->gid && f->shmem_ops &&
       f->shmem_ops->exists(f->shmem_ops->ctx, f->gid, pgoff)) {
      vt_pcache_add((struct vt_file *)f, pgoff);
      return true;
   }
   return false;
}

static bool local_has(const struct vt_file *f, vt_u64 pgoff)
{
   if (pgoff >= f->size_pages && !f->shmem)
      return false;
   if (!f->shmem && !f->cold)
      return true;
   if (!f->cache_cap)
      return false;
   for (uint32_t h = slot(pgoff, f->cache_cap);; h = (h + 1) & (f->cache_cap - 1)) {
      if (f->cache[h] == pgoff)
         return true;
      if (f->cache[h] == EMPTY)
         return false;
   }
}

static void insert(struct vt_file *f, vt_u64 pgoff)
{
   for (uint32_t h = slot(pgoff, f->cache_cap);; h = (h + 1) & (f->cache_cap - 1)) {
      if (f->cache[h] == pgoff)
         return;
      if (f->cache[h] == EMPTY) {
         f->cache[h] = pgoff;
         f->cache_n++;
         return;
      }
   }
}

void vt_pcache_add(struct vt_file *f, vt_u64 pgoff)
{
   if (!f->shmem && !f->cold)
      return;
   if (local_has(f, pgoff))
      return;
   if (f->shmem && f->gid && f->shmem_ops)
      f->shmem_ops->created(f->shmem_ops->ctx, f->gid, pgoff);
   if (2 * (f->cache_n + 1) > f->cache_cap) {
      uint32_t ocap = f->cache_cap;
      vt_u64 *old = f->cache;
      f->cache_cap = ocap ? ocap * 2 : 64;
      f->cache = vt_host_alloc(f->cache_cap * sizeof *f->cache);
      vt_memset(f->cache, 0xff, f->cache_cap * sizeof *f->cache);
      f->cache_n = 0;
      for (uint32_t i = 0; i < ocap; i++)
         if (old[i] != EMPTY)
            insert(f, old[i]);
      vt_host_free(old);
   }
   insert(f, pgoff);
}
