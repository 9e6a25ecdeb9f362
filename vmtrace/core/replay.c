/* replay.c: a process's page trace given to the core again (vt_replay in
   vt_trace.h), with simulations the run did not have.  The replay is a host
   like the tool: the same filter (the core's), the clock and order the
   tool's instrumentation gave each reference, the simulations' periodic
   work at the same superblock entries, the events applied where the run
   made them, and the answers of the run's other processes read back as
   the core asks for them.  So a simulation fed here sees exactly what it
   would have seen online, and its figures are the online run's.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"
#include "vt_sim.h"
#include "vt_trace.h"

#define VT_REPLAY_MSG 256

struct vt_replay {
   struct vt_trace_reader *r;
   struct vt_mm           *mm;
   struct vt_filter        filter;
   struct vt_sim         **sims;
   uint32_t                nr_sims;
   const struct vt_replay_env *env;
   vt_u64                  insns;
   vt_u64                  pos;          /* the reference's place in its superblock */
   vt_u64                  order;        /* of the previous reference (CONT) */
   vt_addr                 page;         /* its page */
   bool                    sb_start;     /* the clock moved (a superblock
                                            begins, or passed an exit):
                                            ticks due? */
   int                     in_parent;    /* replaying a parent's trace up to the fork */
   struct vt_file        **files;        /* by trace index - 1 */
   uint32_t                nr_files;
   char                  **names;        /* mappings' names: the core keeps the
                                            pointers, the replay frees them */
   uint32_t                nr_names, cap_names;
   bool                    stepping;     /* vt_replay_step: stop at CLOCK */
   bool                    made;         /* the address space was made */
   vt_u64                  clock;        /* the CLOCK event stopped at */
   vt_u64                  parent_pid, parent_id;   /* the trace being read,
                                            when in_parent */
   const char             *error;
   vt_u64                  error_at;
   bool                    error_in_parent;
   vt_u64                  error_pid, error_id;
   char                    msg[VT_REPLAY_MSG];
};

static void fail(struct vt_replay *rp, vt_u64 at, const char *what)
{
   if (!rp->error) {
      rp->error = what;
      rp->error_at = at;
      /* an error in a parent's trace names that trace, not the child's */
      rp->error_in_parent = rp->in_parent > 0;
      rp->error_pid = rp->parent_pid;
      rp->error_id = rp->parent_id;
   }
}

/* The next item must be the answer the run got (the core asks in the same
   order the run asked). */
bool vt_replay_answer(struct vt_replay *rp, unsigned kind)
{
   struct vt_titem it;
   if (rp->error)
      return false;
   if (!vt_trace_next(rp->r, &it)) {
      fail(rp, it.offset, it.error);
      return false;
   }
   if (it.kind != VT_TI_EVENT || it.op != VT_TEV_ANSWER || it.arg[0] != kind) {
      fail(rp, it.offset, "corrupt trace (the core asked what the run's other "
                          "processes said, and the trace says something else)");
      return false;
   }
   return it.arg[1] != 0;
}

static void file_event(struct vt_replay *rp, const struct vt_titem *it)
{
   if (it->arg[0] != rp->nr_files + 1) {
      fail(rp, it->offset, "corrupt trace (files are not numbered in order)");
      return;
   }
   struct vt_file *f = vt_file_get(rp->mm, it->arg[1], it->arg[2], it->str,
                                   it->arg[3] << VT_PAGE_SHIFT, (it->arg[4] & 1) != 0);
   f->sysv_shm = (it->arg[4] & 2) != 0;
   f->gid = it->arg[5];
   rp->files = vt_realloc_array(rp->files, rp->nr_files, rp->nr_files + 1, sizeof *rp->files);
   rp->files[rp->nr_files++] = f;
}

/* ---- what the tool guarantees of each event, checked --------------------

   The tool gives the core only what the kernel accepted: page-aligned
   ranges inside the 47-bit user address space, sizes that fit, one fork
   at a time.  A trace that says otherwise is corrupt (or made by hand),
   and is refused before the core sees it. */
#define USER_END ((vt_u64)1 << 47)

static bool range_ok(vt_u64 start, vt_u64 len, bool aligned, bool nonempty)
{
   if (aligned && ((start | len) & (VT_PAGE_SIZE - 1)))
      return false;
   return (!nonempty || len) && start <= USER_END && len <= USER_END - start;
}

#define CORRUPT(what) "corrupt trace (" what ")"

static const char *check_event(const struct vt_replay *rp, const struct vt_titem *it)
{
   const vt_u64 *a = it->arg;
   const char *range = CORRUPT("a range outside the address space");
   switch (it->op) {
   case VT_TEV_FILE:
      if (a[3] > (USER_END >> VT_PAGE_SHIFT))
         return CORRUPT("a file larger than the address space");
      return NULL;
   case VT_TEV_MMAP:
      /* (an unaligned or empty request is the core's to refuse, as it
         refused it in the run: Valgrind's trampoline comes so) */
      if (!range_ok(a[0], a[1], false, false))
         return range;
      if (a[3] > rp->nr_files)
         return CORRUPT("a mapping of a file never defined");
      if ((a[6] & 0xff) > VT_NR_MK || (a[6] >> 10))    /* VT_NR_MK: inferred */
         return CORRUPT("an unknown mapping kind");
      if (a[4] > (USER_END >> VT_PAGE_SHIFT) || a[5] > 1)
         return CORRUPT("a mapping's file offset or populate flag out of range");
      return NULL;
   case VT_TEV_MUNMAP:
      return range_ok(a[0], a[1], true, true) ? NULL : range;
   case VT_TEV_DONTNEED:       /* madvise and mprotect of 0 bytes succeed */
   case VT_TEV_COLLAPSE:
   case VT_TEV_REMOVE:
   case VT_TEV_UNSHARE:
      return range_ok(a[0], a[1], true, false) ? NULL : range;
   case VT_TEV_MPROTECT:
      return range_ok(a[0], a[1], true, false) && a[2] <= VT_VM_PROT_MASK ? NULL : range;
   case VT_TEV_MLOCK:          /* 2, 3: a failed munlock, mlock */
      return range_ok(a[0], a[1], true, false) && a[2] <= 3 ? NULL : range;
   case VT_TEV_POPULATE:
   case VT_TEV_GUARD:
      return range_ok(a[0], a[1], true, false) && a[2] <= 1 ? NULL : range;
   case VT_TEV_MADVISE:
      if (!range_ok(a[0], a[1], true, false))
         return range;
      return (a[2] | a[3]) & ~(vt_u64)(VT_VM_DONTCOPY | VT_VM_WIPEONFORK |
                                        VT_VM_SEQ_READ | VT_VM_RAND_READ)
                ? CORRUPT("a madvise flag out of range") : NULL;
   case VT_TEV_MREMAP: {
      /* the new address may carry VT_MREMAP_CHOSEN (the recorder chose it) */
      vt_u64 to = a[2] & ~(vt_u64)VT_MREMAP_CHOSEN;
      if ((a[0] | to) & (VT_PAGE_SIZE - 1) || a[1] > USER_END || a[3] > USER_END ||
          !range_ok(a[0], VT_PAGE_ALIGN(a[1]), true, false) ||
          !range_ok(to, VT_PAGE_ALIGN(a[3]), true, true))
         return range;
      /* a move never overlaps its source (the kernel: EINVAL) */
      if (to != a[0] && to < a[0] + VT_PAGE_ALIGN(a[1]) && a[0] < to + VT_PAGE_ALIGN(a[3]))
         return CORRUPT("a remap onto itself");
      return NULL;
   }
   case VT_TEV_LABEL:
   case VT_TEV_UNLABEL:
      return range_ok(a[0], a[1], false, false) ? NULL : range;
   case VT_TEV_BRK:
      return a[0] <= USER_END ? NULL : range;
   case VT_TEV_STACK:
      return a[0] <= USER_END && a[1] <= USER_END ? NULL : range;
   case VT_TEV_RESIZE:
      return a[2] <= USER_END ? NULL : CORRUPT("a file larger than the address space");
   case VT_TEV_FILE_READ:
      return a[2] <= USER_END && a[3] <= USER_END && a[4] <= USER_END
                ? NULL : CORRUPT("a read beyond the largest file");
   case VT_TEV_FILE_CACHED: {
      /* whole folios, none starting past the file's last page */
      if ((a[5] & ~0x3ffULL) || (a[5] & 0xff) > VT_PMD_ORDER)
         return CORRUPT("a folio order out of range");
      vt_u64 n = (vt_u64)1 << (a[5] & 0xff);
      vt_u64 pages = a[2] <= USER_END ? (a[2] + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT : 0;
      return a[4] && !((a[3] | a[4]) & (n - 1)) && a[3] < pages && a[4] <= pages - a[3] + n - 1
                ? NULL : CORRUPT("cached pages out of range or not in whole folios");
   }
   case VT_TEV_FILE_RA:
      return a[2] <= USER_END && a[3] <= 1u << 20 ? NULL
                : CORRUPT("a readahead window out of range");
   case VT_TEV_FILE_ADVICE:
      return a[2] <= USER_END && (a[3] <= VT_FADV_SEQUENTIAL || a[3] == VT_FADV_NOREUSE) ? NULL
                : CORRUPT("an unknown posix_fadvise advice");
   case VT_TEV_FILE_WRITE:
      /* one write(2) moves at most MAX_RW_COUNT bytes */
      if (a[5] > VT_PMD_ORDER)
         return CORRUPT("a folio order out of range");
      return a[2] <= USER_END && a[3] <= USER_END && a[4] <= 0x7ffff000 &&
                a[4] <= USER_END - a[3]
                ? NULL : CORRUPT("a write beyond the largest file");
   case VT_TEV_FILE_PAGES:
      return a[2] <= a[3] && a[3] <= (USER_END >> VT_PAGE_SHIFT) && a[4] <= 5
                ? NULL : CORRUPT("a file's pages out of range");
   case VT_TEV_MLOCKALL:
      /* 1 or 2 (with MCL_ONFAULT): alike where both are set */
      return a[0] <= 2 && a[1] <= 2 && (a[0] == 0 || a[1] == 0 || a[0] == a[1])
                ? NULL : CORRUPT("a flag out of range");
   case VT_TEV_COLLECT:
   case VT_TEV_FORK_CHILD:
      return a[0] <= 1 ? NULL : CORRUPT("a flag out of range");
   case VT_TEV_OOM_ADJ:
      return a[0] <= 2000 ? NULL : CORRUPT("an oom_score_adj out of range");
   case VT_TEV_THP:
      return a[0] <= VT_THP_ALWAYS && a[1] <= 1 && a[2] <= 1 ? NULL
           : CORRUPT("a THP setting out of range");
   case VT_TEV_HUGEPAGE:
      return range_ok(a[0], a[1], true, false) && a[2] <= 1 ? NULL : range;
   case VT_TEV_THP_ORDERS:
      return !((a[0] | a[1] | a[2]) & ~(vt_u64)VT_THP_ORDERS_ANON) &&
             !(a[0] & a[1]) && !(a[0] & a[2]) && !(a[1] & a[2]) ? NULL
           : CORRUPT("THP orders out of range");
   default:
      return NULL;
   }
}

void vt_trace_apply(struct vt_mm *mm, const struct vt_titem *it)
{
   const vt_u64 *a = it->arg;
   struct vt_replay *rp = mm->replay;
   const char *bad = check_event(rp, it);
   if (bad) {
      fail(rp, it->offset, bad);
      return;
   }
   switch (it->op) {
   case VT_TEV_CONFIG:
      break;                          /* read when the address space was made */
   case VT_TEV_FILE:
      file_event(rp, it);
      break;
   case VT_TEV_MMAP: {
      char *name = NULL;
      if (a[6] & 0x100) {
         if (rp->nr_names == rp->cap_names) {
            uint32_t cap = rp->cap_names ? rp->cap_names * 2 : 16;
            rp->names = vt_realloc_array(rp->names, rp->nr_names, cap, sizeof *rp->names);
            rp->cap_names = cap;
         }
         name = rp->names[rp->nr_names++] = vt_strdup(it->str);
      }
      struct vt_mmap_req q = { a[0], a[1], (uint32_t)a[2], a[3] ? rp->files[a[3] - 1] : NULL,
                               a[4], a[5] != 0, (enum vt_map_kind)(a[6] & 0xff), name,
                               (a[6] & 0x200) != 0, (a[6] & 0x400) != 0 };
      vt_mmap(mm, &q);
      break;
   }
   case VT_TEV_MUNMAP:      vt_munmap(mm, a[0], a[1]); break;
   case VT_TEV_MPROTECT:    vt_mprotect(mm, a[0], a[1], (uint32_t)a[2]); break;
   case VT_TEV_MREMAP:      vt_mremap(mm, a[0], a[1], a[2], a[3]); break;
   case VT_TEV_DONTNEED:    vt_madvise_dontneed(mm, a[0], a[1]); break;
   case VT_TEV_POPULATE:    vt_madvise_populate(mm, a[0], a[1], a[2] != 0); break;
   case VT_TEV_COLLAPSE:    vt_madvise_collapse(mm, a[0], a[1]); break;
   case VT_TEV_REMOVE:      vt_madvise_remove(mm, a[0], a[1]); break;
   case VT_TEV_UNSHARE:     vt_gup_unshare(mm, a[0], a[1]); break;
   case VT_TEV_FILE_PAGES:  vt_file_pages(mm, a[0], a[1], a[2], a[3], (unsigned)a[4]); break;
   case VT_TEV_FILE_READ:   vt_file_read(mm, a[0], a[1], NULL, a[2], a[3], a[4]); break;
   case VT_TEV_FILE_WRITE:
      vt_file_write(mm, a[0], a[1], NULL, a[2], a[3], a[4], (unsigned)a[5]);
      break;
   case VT_TEV_FILE_OPEN:   vt_file_open(mm, a[0], a[1]); break;
   case VT_TEV_FILE_CACHED:
      vt_file_cached(mm, a[0], a[1], NULL, a[2], a[3], a[4], (unsigned)(a[5] & 0xff),
                     (unsigned)(a[5] >> 8) & 3u);
      break;
   case VT_TEV_FILE_RA:     vt_file_ra_pages(mm, a[0], a[1], NULL, a[2], (unsigned)a[3]); break;
   case VT_TEV_FILE_ADVICE: vt_file_fadvise(mm, a[0], a[1], NULL, a[2], (unsigned)a[3]); break;
   case VT_TEV_GUARD:       vt_madvise_guard(mm, a[0], a[1], a[2] != 0); break;
   case VT_TEV_MADVISE:
      vt_madvise_flags(mm, a[0], a[1], (uint32_t)a[2], (uint32_t)a[3]);
      break;
   case VT_TEV_MLOCK:
      if (a[2] >= 2)
         vt_mlock_failed(mm, a[0], a[1], a[2] == 3);
      else
         vt_mlock(mm, a[0], a[1], a[2] != 0);
      break;
   case VT_TEV_MLOCKALL:    vt_mlockall(mm, a[0] != 0, a[1] != 0, a[0] == 2 || a[1] == 2); break;
   case VT_TEV_MUNLOCKALL:  vt_munlockall(mm); break;
   case VT_TEV_BRK:         vt_set_brk(mm, a[0]); break;
   case VT_TEV_STACK:       vt_set_stack(mm, a[0], a[1]); break;
   case VT_TEV_RESIZE:      vt_file_resize(mm, a[0], a[1], a[2]); break;
   case VT_TEV_LABEL:       vt_label(mm, a[0], a[1], it->str); break;
   case VT_TEV_UNLABEL:     vt_unlabel(mm, a[0], a[1]); break;
   case VT_TEV_PHASE:       vt_set_phase(mm, it->str); break;
   case VT_TEV_COLLECT:     vt_set_collecting(mm, a[0] != 0); break;
   case VT_TEV_FORK:        vt_fork_prepare(mm); break;
   case VT_TEV_FORK_CHILD:  vt_fork_child(mm, a[0] != 0); break;
   case VT_TEV_RELEASE:     vt_release_frames(mm); break;
   case VT_TEV_THP:         vt_set_thp(mm, (unsigned)a[0], a[1] != 0, a[2] != 0); break;
   case VT_TEV_HUGEPAGE:    vt_madvise_hugepage(mm, a[0], a[1], a[2] != 0); break;
   case VT_TEV_THP_ORDERS:
      vt_set_thp_orders(mm, (uint16_t)a[0], (uint16_t)a[1], (uint16_t)a[2]);
      break;
   case VT_TEV_CLOCK:                 /* for interleaving a tree's traces */
   case VT_TEV_OOM_ADJ:               /* for its OOM killer */
   case VT_TEV_UNMODELLED:            /* for the reader of the results */
      break;
   case VT_TEV_ANSWER:
      fail(rp, it->offset, "corrupt trace (an answer nobody asked for)");
      break;
   default:
      fail(rp, it->offset, "corrupt trace (an unknown event)");
      break;
   }
}

/* The simulations' periodic work, where the tool runs it: at the entry of
   a superblock whose clock has reached a tick, or after an exit of it
   that moved the clock there. */
static void ticks(struct vt_replay *rp)
{
   for (uint32_t i = 0; i < rp->nr_sims; i++)
      if (!rp->mm->sim_stopped[i] && rp->insns >= vt_mm_sims_next_tick(rp->mm, i))
         vt_mm_sims_advance(rp->mm, i, rp->insns);
}

void vt_replay_dropped(struct vt_replay *rp, vt_u64 key)
{
   if (rp->env && rp->env->keys && rp->env->drop && !rp->in_parent)
      rp->env->drop(rp->env->ctx, key);
}

static void reference(struct vt_replay *rp, const struct vt_titem *it)
{
   vt_u64 order;
   if (it->cont)
      order = rp->order;
   else if (it->kernel)
      order = VT_ORDER_KERNEL(rp->insns);   /* before the next block's */
   else
      order = VT_ORDER(rp->insns, rp->pos < VT_POS_MAX ? rp->pos++ : VT_POS_MAX);
   rp->order = order;
   if (rp->sb_start) {
      rp->sb_start = false;
      ticks(rp);
   }
   vt_set_clock(rp->mm, rp->insns, rp->insns, order);
   if (rp->env && rp->env->keys) {
      /* every reference's key, as the simulations would see it */
      unsigned res = vt_access(rp->mm, it->page, it->acc);
      vt_u64 key;
      unsigned flags;
      if (vt_mm_sims_key(rp->mm, it->page, it->acc, &key, &flags) && !rp->in_parent)
         rp->env->keys(rp->env->ctx, key,
                       flags | ((res & VT_RES_FAULT) ? VT_REPLAY_FAULTED : 0) |
                       (rp->mm->collecting ? 0 : VT_REPLAY_PAUSED), rp->insns);
      return;
   }
   if (it->kernel) {
      vt_filter_miss(&rp->filter, it->page, it->acc);   /* as the tool: never absorbed */
   } else if (it->cont) {
      /* A straddling access: the tool's check misses it whole, and its
         pages reach the simulator one by one, each before the next
         (vt_filter.c's miss).  The first page's reference, which the
         filter may have absorbed here, reaches the simulations now, and
         this one is never absorbed: absorbed, the pages, of one order,
         would reach them in the order of the filter's slots, which
         decides between two that tie (LRU, LFU, ARC: the one learnt of
         first goes first). */
      vt_filter_deliver_page(&rp->filter, rp->page);
      vt_filter_miss(&rp->filter, it->page, it->acc);
   } else {
      vt_filter_ref(&rp->filter, it->page, it->acc, order);
   }
   rp->page = it->page;
}

/* Replays items until the end, or until the item at byte offset stop_at
   (the fork of the child being replayed) when stop_at is not 0, or, when
   stepping through the trace's own items, until a CLOCK event (1). */
static int run(struct vt_replay *rp, vt_u64 stop_at)
{
   struct vt_titem it;
   while (!rp->error) {
      if (!vt_trace_next(rp->r, &it)) {
         fail(rp, it.offset, it.error);
         return 0;
      }
      if (stop_at && it.offset >= stop_at) {
         vt_filter_deliver(&rp->filter);
         return 0;
      }
      switch (it.kind) {
      case VT_TI_REF:
         reference(rp, &it);
         break;
      case VT_TI_TIME:
         rp->insns = it.insns;
         /* at a superblock's end, or at an exit of it not taken: either
            way the tool runs the ticks due before the next reference
            (vt_instrument.c's exit_ticks) */
         rp->sb_start = true;
         if (it.sb_end)
            rp->pos = 0;
         break;
      case VT_TI_EVENT:
         if (it.op == VT_TEV_UNMODELLED) {
            /* a note for the reader of the results, no input of the model
               (online it is no call of the core's): the filter and the
               clock stay as they are */
            if (!rp->in_parent && rp->env && rp->env->event)
               rp->env->event(rp->env->ctx, &it);
            break;
         }
         vt_filter_deliver(&rp->filter);
         /* at the clock the tool's event handlers set (vt_insns: the TIME
            item before the event), not the last reference's: a tick due
            in between runs before a page the event maps in, as online
            (a forked child's first events keep its parent's time) */
         if (it.op != VT_TEV_FORK_CHILD && it.op != VT_TEV_PARENT)
            vt_set_clock(rp->mm, rp->insns, rp->insns, rp->mm->sim_order);
         vt_trace_apply(rp->mm, &it);
         if (rp->in_parent || rp->error)
            break;
         if (rp->env && rp->env->event)
            rp->env->event(rp->env->ctx, &it);
         if (rp->stepping && it.op == VT_TEV_CLOCK) {
            rp->clock = it.arg[0];
            return 1;
         }
         break;
      case VT_TI_END:
         vt_filter_deliver(&rp->filter);
         if (stop_at)
            fail(rp, it.offset, "the parent's trace ends before the child's fork");
         return 0;
      default:
         fail(rp, it.offset, "corrupt trace");
         return 0;
      }
   }
   return 0;
}

/* Opens the address space: fresh (CONFIG) or, for a forked child, its
   parent's as it stood at the fork (PARENT), its parent's trace replayed
   that far into the same address space and simulations. */
static void begin(struct vt_replay *rp, bool *made, int depth)
{
   struct vt_titem it;
   if (!vt_trace_next(rp->r, &it)) {
      fail(rp, it.offset, it.error);
      return;
   }
   if (it.kind == VT_TI_EVENT && it.op == VT_TEV_CONFIG) {
      /* THP is off unless a THP event follows */
      struct vt_config cfg = { .fault_around_pages = (unsigned)it.arg[0],
                               .notes_hits = true, .zero_page = it.arg[1] != 0,
                               .cold_cache = it.arg[2] != 0,
                               .readahead_pages = (unsigned)it.arg[3] };
      vt_mm_init(rp->mm, &cfg);
      *made = true;
      rp->mm->replay = rp;
      vt_filter_init(&rp->filter, rp->mm, !(rp->env && rp->env->keys));
      for (uint32_t i = 0; i < rp->nr_sims; i++)
         vt_mm_add_sim(rp->mm, rp->sims[i]);
      vt_filter_start(&rp->filter);
      /* the tool's way of stamping hits when no policy counts them */
      if (rp->filter.count_hits && !rp->filter.count_n)
         vt_filter_set_stamp_after(&rp->filter);
      return;
   }
   if (!(it.kind == VT_TI_EVENT && it.op == VT_TEV_PARENT)) {
      fail(rp, it.offset, "corrupt trace (it begins with neither CONFIG nor PARENT)");
      return;
   }
   struct vt_trace_reader *pr = rp->env && rp->env->parent_trace
                              ? rp->env->parent_trace(rp->env->ctx, it.arg[0], it.arg[1]) : NULL;
   if (!pr || depth > 64) {
      if (pr)
         vt_trace_reader_free(pr);
      fail(rp, it.offset, "the trace of a forked child needs its parent's trace, "
                          "which is not there");
      return;
   }
   struct vt_trace_reader *child = rp->r;
   vt_u64 outer_pid = rp->parent_pid, outer_id = rp->parent_id;
   rp->r = pr;
   rp->in_parent++;
   rp->parent_pid = it.arg[0];
   rp->parent_id = it.arg[1];
   begin(rp, made, depth + 1);
   if (!rp->error)
      run(rp, it.arg[2]);
   rp->parent_pid = outer_pid;
   rp->parent_id = outer_id;
   /* as the tool's child: its clock 0, the simulations' still the parent's
      time at the fork (its last TIME), which vt_fork_child (the child's
      FORK_CHILD) makes the child's sim_base */
   vt_set_clock(rp->mm, 0, rp->insns, rp->mm->sim_order);
   rp->in_parent--;
   rp->mm->prefaults = 0;             /* the child's are its own */
   rp->mm->populated = 0;
   vt_trace_reader_free(pr);
   rp->r = child;
   rp->nr_files = 0;                  /* the child's trace numbers its own */
   rp->insns = 0;                     /* the child's clock starts at 0 */
   rp->pos = 0;
   rp->sb_start = true;
}

static size_t put_str(char *msg, size_t n, size_t cap, const char *s)
{
   for (; *s && n < cap - 1; s++)
      msg[n++] = *s;
   return n;
}

static size_t put_num(char *msg, size_t n, size_t cap, vt_u64 v, unsigned base, int width)
{
   char num[24];
   int k = 0;
   do num[k++] = "0123456789abcdef"[v % base]; while ((v /= base) && k < 23);
   while (k < width)
      num[k++] = '0';
   while (k && n < cap - 1)
      msg[n++] = num[--k];
   return n;
}

/* "offset N: what", or for an error in a forked child's parent's trace
   "in the parent's trace (pid P, id I): offset N: what". */
static const char *error_line(struct vt_replay *rp)
{
   char *msg = rp->msg;
   size_t n = 0, cap = sizeof rp->msg;
   if (rp->error_in_parent) {
      n = put_str(msg, n, cap, "in the parent's trace (pid ");
      n = put_num(msg, n, cap, rp->error_pid, 10, 0);
      n = put_str(msg, n, cap, ", id ");
      n = put_num(msg, n, cap, rp->error_id, 16, 16);
      n = put_str(msg, n, cap, "): ");
   }
   n = put_str(msg, n, cap, "offset ");
   n = put_num(msg, n, cap, rp->error_at, 10, 0);
   n = put_str(msg, n, cap, ": ");
   n = put_str(msg, n, cap, rp->error);
   msg[n] = 0;
   return msg;
}

struct vt_replay *vt_replay_open(struct vt_trace_reader *r, struct vt_sim **sims,
                                 uint32_t nr_sims, const struct vt_replay_env *env,
                                 const char **error)
{
   struct vt_replay *rp = vt_alloc(sizeof *rp);
   rp->r = r;
   rp->mm = vt_alloc(sizeof *rp->mm);
   rp->sims = sims;
   rp->nr_sims = nr_sims;
   rp->env = env;
   rp->sb_start = true;
   begin(rp, &rp->made, 0);
   if (rp->error) {
      /* the message outlives rp (until the next failed open) */
      static char keep[VT_REPLAY_MSG];
      const char *line = error_line(rp);
      for (size_t i = 0; i < sizeof keep; i++)
         if (!(keep[i] = line[i]))
            break;
      *error = keep;
      vt_replay_close(rp);
      return NULL;
   }
   rp->stepping = true;
   return rp;
}

int vt_replay_step(struct vt_replay *rp, vt_u64 *clock, const char **error)
{
   int r = run(rp, 0);
   if (rp->error) {
      *error = error_line(rp);
      return -1;
   }
   if (r)
      *clock = rp->clock;
   return r;
}

struct vt_mm *vt_replay_mm(struct vt_replay *rp)
{
   return rp->made ? rp->mm : NULL;
}

void vt_replay_close(struct vt_replay *rp)
{
   if (rp->made) {
      rp->mm->replay = NULL;
      vt_filter_destroy(&rp->filter);
      vt_mm_destroy(rp->mm);
   }
   for (uint32_t i = 0; i < rp->nr_names; i++)
      vt_free(rp->names[i]);
   vt_free(rp->names);
   vt_free(rp->files);
   vt_free(rp->mm);
   vt_free(rp);
}

int vt_replay(struct vt_trace_reader *r, struct vt_sim **sims, uint32_t nr_sims,
              const struct vt_replay_env *env, const char **error)
{
   struct vt_replay *rp = vt_alloc(sizeof *rp);
   struct vt_mm *mm = vt_alloc(sizeof *mm);
   rp->r = r;
   rp->mm = mm;
   rp->sims = sims;
   rp->nr_sims = nr_sims;
   rp->env = env;
   rp->sb_start = true;
   begin(rp, &rp->made, 0);
   if (!rp->error)
      run(rp, 0);
   int ret = 0;
   if (rp->error) {
      static char msg[VT_REPLAY_MSG];
      const char *line = error_line(rp);
      for (size_t i = 0; i < sizeof msg; i++)
         if (!(msg[i] = line[i]))
            break;
      *error = msg;
      ret = -1;
   }
   if (rp->made && !rp->error && env && env->done)
      env->done(env->ctx, mm);
   vt_replay_close(rp);
   return ret;
}
