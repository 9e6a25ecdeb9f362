/* pcache.c: which pages of a file are in the page cache.  Regular files are
   taken as fully cached (a warm cache) and need no record; shared memory
   (tmpfs, shared anonymous, SysV) has pages only once something faulted
   them in, and fault-around maps only pages that exist.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"

static bool local_has(const struct vt_file *f, vt_u64 pgoff)
{
   if (pgoff >= f->size_pages && !f->shmem)
      return false;
   if (!f->shmem && !f->cold)
      return true;
   return f->cache.e && vt_hash_get(&f->cache, pgoff);
}

bool vt_pcache_has(struct vt_mm *mm, const struct vt_file *f, vt_u64 pgoff)
{
   if (local_has(f, pgoff))
      return true;
   /* Shared memory: another process may have created the page. */
   if (f->shmem && f->gid && vt_ask_exists(mm, f->gid, pgoff)) {
      vt_pcache_add((struct vt_file *)f, pgoff);
      return true;
   }
   return false;
}

void vt_pcache_add(struct vt_file *f, vt_u64 pgoff)
{
   if (!f->shmem && !f->cold)
      return;
   if (local_has(f, pgoff))
      return;
   if (f->shmem && f->gid && vt_host->shmem_created)
      vt_host->shmem_created(vt_host_ctx, f->gid, pgoff);
   if (!f->cache.e)
      vt_hash_init(&f->cache, 32);
   vt_hash_put(&f->cache, pgoff, NULL);
}
