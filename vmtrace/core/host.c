/* host.c: the host interface (struct vt_host_ops), handed over once.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"
#include "vt_trace.h"

const struct vt_host_ops *vt_host;
void *vt_host_ctx;

void vt_core_init(const struct vt_host_ops *ops, void *ctx)
{
   vt_host = ops;
   vt_host_ctx = ctx;
}

void *vt_alloc(size_t n)
{
   return vt_host->alloc(n);
}

void vt_free(void *p)
{
   if (p)
      vt_host->free(p);
}

void vt_panic(const char *msg)
{
   vt_host->panic(msg);
}

bool vt_ask_shared(struct vt_mm *mm, vt_u64 frame_id)
{
   bool r = mm->replay ? vt_replay_answer(mm->replay, VT_TANS_SHARED)
          : vt_host->frame_shared && vt_host->frame_shared(vt_host_ctx, frame_id);
   vt_trace_answer(mm, VT_TANS_SHARED, r);
   return r;
}

bool vt_ask_exists(struct vt_mm *mm, vt_u64 gid, vt_u64 pgoff)
{
   bool r = mm->replay ? vt_replay_answer(mm->replay, VT_TANS_EXISTS)
          : vt_host->shmem_exists && vt_host->shmem_exists(vt_host_ctx, gid, pgoff);
   vt_trace_answer(mm, VT_TANS_EXISTS, r);
   return r;
}

void vt_tell_shmem_removed(struct vt_mm *mm, const struct vt_file *f, vt_u64 first,
                           vt_u64 end)
{
   if (f->shmem && f->gid && first < end && !mm->replay && vt_host->shmem_removed)
      vt_host->shmem_removed(vt_host_ctx, f->gid, first, end);
}

void vt_tell_file_resized(struct vt_mm *mm, const struct vt_file *f, vt_u64 size_pages)
{
   if (!mm->replay && vt_host->file_resized)
      vt_host->file_resized(vt_host_ctx, f, size_pages);
}

void vt_tell_file_punched(struct vt_mm *mm, const struct vt_file *f, vt_u64 first,
                          vt_u64 end)
{
   if (first < end && !mm->replay && vt_host->file_punched)
      vt_host->file_punched(vt_host_ctx, f, first, end);
}
