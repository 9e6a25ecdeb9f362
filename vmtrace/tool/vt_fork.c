/* vt_fork.c: processes.  fork, vfork and clone seen from the system-call
   wrappers, and the frames that the processes of a run share copy-on-write.

   Why a log file: after fork, parent and child are separate Valgrind
   processes, each with its own copy of the simulator, yet whether a write
   to a shared page copies it or reuses it depends on whether the *other*
   process still maps it (Linux's page refcount).  Valgrind's tool API offers
   no shared memory, but it offers files: every process of a run appends its
   frame events (a fork shares frames, a process lets one go) to one
   append-only log in $TMPDIR, and reads the events of the others when it
   must decide.  Appends with O_APPEND are atomic, so no lock is needed; a
   decision sees every event that happened before it, which is what the
   kernel's refcount would show.  The log is removed when no frame is live.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_vki.h"
#include "pub_tool_vkiscnums.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_mallocfree.h"
#include "vt_tool.h"

/* A log record: delta applies to the count frames [id, id + n).  A record
   with id 0 creates n frames whose ids derive from its own offset. */
struct rec { ULong id; UInt n; Int delta; };
#define IDS_PER_REC (1u << 20)
/* Keys that are not frames: shared memory pages (top bit), and the count
   of processes that use the log (the log goes when it drops to 0). */
#define SHMEM_KEY_BIT (1ULL << 63)
#define PROC_KEY      (1ULL << 62)
#define FILE_KEY_BIT  (1ULL << 61)
static Long procs;

static HChar log_path[512];
static Off64T read_off;             /* how far this process has read */
static Long   live;                 /* sum of all counts read */
static Bool   log_broken;

/* Frame counts: an open-addressing table, id -> count. */
static struct { ULong id; Long count; } *tab;
static ULong tab_cap, tab_used;

static Long *slot(ULong id, Bool add)
{
   if (add && 2 * (tab_used + 1) > tab_cap) {
      ULong ocap = tab_cap;
      __typeof__(tab) old = tab;
      tab_cap = ocap ? ocap * 2 : 4096;
      tab = VT_CALLOC("vt.frames", tab_cap, sizeof *tab);
      tab_used = 0;
      for (ULong i = 0; i < ocap; i++)
         if (old[i].id)
            *slot(old[i].id, True) = old[i].count;
      if (old)
         VG_(free)(old);
   }
   if (!tab_cap)
      return NULL;
   for (ULong h = (id * 0x9E3779B97F4A7C15ULL) & (tab_cap - 1);; h = (h + 1) & (tab_cap - 1)) {
      if (tab[h].id == id)
         return &tab[h].count;
      if (!tab[h].id) {
         if (!add)
            return NULL;
         tab[h].id = id;
         tab_used++;
         return &tab[h].count;
      }
   }
}

static void log_failed(const HChar *what)
{
   if (!log_broken)
      VG_(umsg)("warning: vmtrace's frame log %s: %s failed; copy-on-write "
                "faults are classified as if no other process shared pages\n",
                log_path, what);
   log_broken = True;
}

static void apply(const struct rec *r, Off64T at)
{
   if (r->id == PROC_KEY) {
      procs += r->delta;
      return;
   }
   if (r->id & (SHMEM_KEY_BIT | FILE_KEY_BIT)) {
      if (r->n)
         *slot(r->id, True) += r->delta;
      return;
   }
   ULong id = r->id ? r->id : ((ULong)at / sizeof *r + 1) * IDS_PER_REC;
   for (UInt i = 0; i < r->n; i++) {
      Long *c = slot(id + i, True);
      *c += r->delta;
      live += r->delta;
   }
}

/* Reads the records the others appended since last time. */
static void flush_file_records(void);
static void refresh(void)
{
   if (!log_path[0] || log_broken)
      return;
   flush_file_records();
   SysRes sr = VG_(open)(log_path, VKI_O_RDONLY, 0);
   if (sr_isError(sr)) {
      log_failed("open");
      return;
   }
   Int fd = (Int)sr_Res(sr);
   if (VG_(lseek)(fd, read_off, VKI_SEEK_SET) != read_off) {
      VG_(close)(fd);
      log_failed("seek");
      return;
   }
   struct rec buf[256];
   for (;;) {
      Int n = VG_(read)(fd, buf, sizeof buf);
      if (n <= 0)
         break;
      Int whole = n / (Int)sizeof buf[0];
      for (Int i = 0; i < whole; i++)
         apply(&buf[i], read_off + (Off64T)i * (Off64T)sizeof buf[0]);
      read_off += (Off64T)whole * (Off64T)sizeof buf[0];
      if (n % (Int)sizeof buf[0]) {   /* a record being written: later */
         break;
      }
   }
   VG_(close)(fd);
}

/* Appends records; returns the offset the first one landed at, or -1. */
static Off64T append(const struct rec *r, UInt n)
{
   if (log_broken)
      return -1;
   if (!log_path[0]) {
      struct vki_timeval tv;
      VG_(gettimeofday)(&tv, NULL);
      VG_(snprintf)(log_path, sizeof log_path, "%s/vmtrace-cow.%d.%lld.%06lld",
                    VG_(tmpdir)(), VG_(getpid)(), (Long)tv.tv_sec, (Long)tv.tv_usec);
   }
   SysRes sr = VG_(open)(log_path, VKI_O_WRONLY | VKI_O_CREAT | VKI_O_APPEND, 0600);
   if (sr_isError(sr)) {
      log_failed("create");
      return -1;
   }
   Int fd = (Int)sr_Res(sr);
   Int len = (Int)(n * sizeof *r);
   Int w = VG_(write)(fd, r, len);
   Off64T end = VG_(lseek)(fd, 0, VKI_SEEK_CUR);
   VG_(close)(fd);
   if (w != len || end < len) {
      log_failed("write");
      return -1;
   }
   return end - len;
}

/* The log exists from the first fork on (creating it is cheap: empty). */
static void ensure_log(void)
{
   if (!log_path[0]) {
      struct rec me = { PROC_KEY, 1, 1 };      /* this process uses it */
      append(&me, 1);
   }
}

static void frames_fork(void *ctx, vt_u64 *ids, UInt n_new, const vt_u64 *old,
                        UInt n_old)
{
   (void)ctx;
   /* New frames: held by parent and child (+2), in records of IDS_PER_REC. */
   for (UInt done = 0; done < n_new;) {
      UInt k = n_new - done < IDS_PER_REC ? n_new - done : IDS_PER_REC;
      struct rec r = { 0, k, 2 };
      Off64T at = append(&r, 1);
      ULong base = at < 0 ? 0 : ((ULong)at / sizeof r + 1) * IDS_PER_REC;
      for (UInt i = 0; i < k; i++)
         ids[done + i] = at < 0 ? 0 : base + i;
      done += k;
   }
   /* Frames already shared: the child holds them too. */
   struct rec *rs = VT_CALLOC("vt.frames", n_old ? n_old : 1, sizeof *rs);
   for (UInt i = 0; i < n_old; i++) {
      rs[i].id = old[i];
      rs[i].n = 1;
      rs[i].delta = 1;
   }
   if (n_old)
      append(rs, n_old);
   VG_(free)(rs);
   refresh();
}

static bool frames_shared(void *ctx, vt_u64 id)
{
   (void)ctx;
   if (!id)
      return False;
   refresh();
   Long *c = slot(id, False);
   return c && *c > 1;
}

/* Releases are batched while a whole address space goes (exit, exec). */
static struct rec *batch;
static UInt batch_n, batch_cap;
static Bool batching;

static void frames_release(void *ctx, vt_u64 id)
{
   (void)ctx;
   if (!id)
      return;
   struct rec r = { id, 1, -1 };
   if (!batching) {
      append(&r, 1);
      return;
   }
   if (batch_n == batch_cap) {
      batch_cap = batch_cap ? batch_cap * 2 : 1024;
      struct rec *nb = VT_CALLOC("vt.frames", batch_cap, sizeof *nb);
      if (batch) {
         VG_(memcpy)(nb, batch, batch_n * sizeof *nb);
         VG_(free)(batch);
      }
      batch = nb;
   }
   batch[batch_n++] = r;
}

const struct vt_frame_ops vt_frame_ops = { frames_fork, frames_shared, frames_release };

/* ---- shared memory pages ------------------------------------------------

   Which pages of a shared memory object exist is shared by the processes
   too (a parent reading pages its child wrote finds them in the page
   cache).  A page that comes into existence is a log record keyed by a
   hash of (object, page) with the top bit set, so it never meets a frame
   id; objects get ids unique to the run from the pid, the process's start
   time and a counter.  Nothing is logged before the process first forks or
   was forked: until then no other process shares anything. */
static ULong shmem_counter;

static vt_u64 shmem_key(vt_u64 gid, vt_u64 pgoff)
{
   vt_u64 h = (gid ^ (pgoff * 0x9E3779B97F4A7C15ULL)) * 0xC2B2AE3D27D4EB4FULL;
   return (h ^ (h >> 29)) | SHMEM_KEY_BIT;
}

static vt_u64 shmem_new_gid(void)
{
   vt_u64 g = ((vt_u64)VG_(getpid)() << 40) ^ (vt_start_time_ms * 0x100000001B3ULL)
              ^ ++shmem_counter;
   return g ? g : 1;
}

static Bool shmem_logging(void)
{
   return log_path[0] != 0 && !log_broken;
}

static void shmem_created(void *ctx, vt_u64 gid, vt_u64 pgoff)
{
   (void)ctx;
   if (!shmem_logging())
      return;
   struct rec r = { shmem_key(gid, pgoff), 1, 1 };
   append(&r, 1);
}

static ULong last_refresh_time = ~0ULL;
static bool shmem_exists(void *ctx, vt_u64 gid, vt_u64 pgoff)
{
   (void)ctx;
   if (!shmem_logging())
      return False;
   if (last_refresh_time != vt_mm.now) {   /* once per instant */
      refresh();
      last_refresh_time = vt_mm.now;
   }
   Long *c = slot(shmem_key(gid, pgoff), False);
   return c && *c > 0;
}

static const struct vt_shmem_ops shmem_ops = { shmem_created, shmem_exists, NULL };

/* ---- file pages mapped by several processes ------------------------------

   PSS divides a page-cache page among the processes that map it, as it
   divides a shared anonymous frame.  Once the process shares a log (it
   forked or was forked), every file page it maps or unmaps is a record
   keyed by (file, page); they are batched and written before anything
   reads the log (a sample, a decision, the end). */
static struct rec *fbatch;
static UInt fbatch_n, fbatch_cap;

static vt_u64 file_key(const struct vt_file *f, vt_u64 pgoff)
{
   vt_u64 id = f->shmem ? f->gid : (f->dev * 0x9E3779B97F4A7C15ULL) ^ f->ino;
   vt_u64 h = (id ^ (pgoff * 0xC2B2AE3D27D4EB4FULL)) * 0x100000001B3ULL;
   return ((h ^ (h >> 31)) & (FILE_KEY_BIT - 1)) | FILE_KEY_BIT;
}

static void flush_file_records(void)
{
   if (fbatch_n)
      append(fbatch, fbatch_n);
   fbatch_n = 0;
}

static void file_map(void *ctx, const struct vt_file *f, vt_u64 pgoff, int delta)
{
   (void)ctx;
   if (!log_path[0] || log_broken)
      return;
   if (fbatch_n == fbatch_cap) {
      if (fbatch_cap >= 4096) {
         flush_file_records();
      } else {
         fbatch_cap = fbatch_cap ? fbatch_cap * 2 : 256;
         struct rec *nb = VT_CALLOC("vt.frames", fbatch_cap, sizeof *nb);
         if (fbatch) {
            VG_(memcpy)(nb, fbatch, fbatch_n * sizeof *nb);
            VG_(free)(fbatch);
         }
         fbatch = nb;
      }
   }
   struct rec r = { file_key(f, pgoff), 1, delta };
   fbatch[fbatch_n++] = r;
}

/* At a fork that starts the log: this process's file pages, once for it
   and once for the child (whose copy of the page table maps them too,
   until it drops those of the VMAs fork does not copy). */
struct fm_ctx { const struct vt_vma *v; Int delta; };
static void count_file_pte(void *vctx, vt_addr addr, vt_pte *ptep)
{
   struct fm_ctx *c = vctx;
   if ((*ptep & (VT_PTE_PRESENT | VT_PTE_FILE)) == (VT_PTE_PRESENT | VT_PTE_FILE))
      file_map(NULL, c->v->vm_file,
               c->v->vm_pgoff + ((addr - c->v->vm_start) >> VT_PAGE_SHIFT), c->delta);
}

static void all_file_pages(Int delta)
{
   for (UInt i = 0; i < vt_mm.nr_vmas; i++) {
      struct fm_ctx c = { &vt_mm.vmas[i], delta };
      if (c.v->vm_file)
         vt_walk_ptes(&vt_mm, c.v->vm_start, c.v->vm_end, count_file_pte, &c);
   }
}

void vt_file_sharing_init(void)
{
   vt_mm.file_map = file_map;
}

void vt_shmem_init(void)
{
   vt_shmem_new_gid = shmem_new_gid;
   vt_shmem_host_ops = &shmem_ops;
}

/* At exit and before execve: the address space goes. */
void vt_frames_exit(void)
{
   if (vt_mm.file_map)
      all_file_pages(-1);      /* the address space goes */
   vt_mm.file_map = NULL;
   batching = True;
   vt_release_frames(&vt_mm);
   batching = False;
   if (batch_n)
      append(batch, batch_n);
   batch_n = 0;
   if (log_path[0] && !log_broken) {
      struct rec gone = { PROC_KEY, 1, -1 };
      append(&gone, 1);
      refresh();
      if (procs <= 0)                  /* the last process of the run */
         VG_(unlink)(log_path);
   }
}

/* How many processes map a frame, for PSS (1 if unknown). */
ULong vt_frame_sharers(vt_u64 id)
{
   Long *c = id ? slot(id, False) : NULL;
   return c && *c > 1 ? (ULong)*c : 1;
}

void vt_frames_refresh(void)
{
   refresh();
}

/* PSS (x1000) and USS in pages: each resident page counts 1/n of the n
   processes that map it (a frame shared copy-on-write, a page-cache page),
   USS only the pages no other process maps. */
struct pss_ctx { const struct vt_vma *v; ULong pss_x1000, uss; };

static void pss_pte(void *vctx, vt_addr addr, vt_pte *ptep)
{
   struct pss_ctx *c = vctx;
   vt_pte pte = *ptep;
   if (!(pte & VT_PTE_PRESENT) || (pte & VT_PTE_ZERO))
      return;
   ULong n = 1;
   if (pte & VT_PTE_COW) {
      n = vt_frame_sharers(vt_mm.frames[VT_PTE_FRAME(pte)]);
   } else if ((pte & VT_PTE_FILE) && c->v->vm_file) {
      Long *k = slot(file_key(c->v->vm_file, c->v->vm_pgoff +
                              ((addr - c->v->vm_start) >> VT_PAGE_SHIFT)), False);
      n = k && *k > 1 ? (ULong)*k : 1;
   }
   c->pss_x1000 += 1000 / n;
   if (n == 1)
      c->uss++;
}

void vt_frames_pss(ULong *pss_x1000, ULong *uss)
{
   if (!log_path[0] || log_broken) {      /* nothing shared with anyone */
      *pss_x1000 = vt_mm.rss * 1000;
      *uss = vt_mm.rss;
   } else {
      refresh();
      struct pss_ctx c = { NULL, 0, 0 };
      for (UInt i = 0; i < vt_mm.nr_vmas; i++) {
         c.v = &vt_mm.vmas[i];
         vt_walk_ptes(&vt_mm, c.v->vm_start, c.v->vm_end, pss_pte, &c);
      }
      *pss_x1000 = c.pss_x1000;
      *uss = c.uss;
   }
   if (vt_is_vfork_child)
      *pss_x1000 = *uss = 0;   /* every page it maps is its parent's */
}

/* ---- fork, vfork, clone ------------------------------------------------ */

ULong vt_fork_time;          /* the parent's clock at fork; 0: first process */
Bool  vt_is_forked_child;
Bool  vt_is_vfork_child;     /* borrows its parent's memory until exec/exit */
/* Set between the pre- and post-syscall hooks of a fork in the parent (and
   so also in the child's copy of memory): 1 fork, 2 vfork or
   clone(CLONE_VM) that Valgrind runs as a fork. */
static Int fork_pending;

/* Is this system call a fork that copies the address space?  vfork and
   clone(CLONE_VM) share it (the child borrows the parent's memory until
   it execs or exits): no copy-on-write at all. */
static Bool is_copying_fork(UInt sysno, UWord *args)
{
   if (sysno == __NR_fork)
      return True;
   if (sysno == __NR_clone)
      return !(args[0] & VKI_CLONE_VM);
   return False;
}

static Bool is_fork(UInt sysno, UWord *args)
{
   return sysno == __NR_fork || sysno == __NR_vfork ||
          (sysno == __NR_clone && !(args[0] & VKI_CLONE_THREAD));
}

static ULong fork_wall_ms;    /* when the fork began */

void vt_fork_pre(UInt sysno, UWord *args)
{
   if (!is_fork(sysno, args))
      return;
   fork_wall_ms = vt_wall_ms();
   vt_mm.now = vt_mm.sim_now = vt_insns;
   /* Shared memory pages that exist so far are known to the child by its
      copy of memory; from now on both log the ones they create.  The child
      is one more process using the log. */
   Bool first = !log_path[0];
   ensure_log();
   struct rec child = { PROC_KEY, 1, 1 };
   append(&child, 1);
   if (first)
      all_file_pages(1);       /* this process's, from now on logged */
   if (is_copying_fork(sysno, args))
      all_file_pages(1);       /* the child's copies (a vfork child has none) */
   flush_file_records();
   if (is_copying_fork(sysno, args)) {
      vt_fork_prepare(&vt_mm);
      fork_pending = 1;
   } else {
      fork_pending = 2;
   }
}

static void undo_pte(void *ctx, vt_addr addr, vt_pte *ptep)
{
   (void)ctx; (void)addr;
   if (*ptep & VT_PTE_COW) {
      struct rec r = { vt_mm.frames[VT_PTE_FRAME(*ptep)], 1, -1 };
      if (r.id)
         append(&r, 1);
   }
}

/* In the parent after the call: a fork that failed created no child, so
   the frames it would have shared lose that holder again. */
void vt_fork_post(UInt sysno, UWord *args, SysRes res)
{
   (void)sysno; (void)args;
   Int kind = fork_pending;
   fork_pending = 0;
   /* The parent's memory once it shares it (a parent blocked in waitpid
      would take no sample until the child is gone), from the moment of the
      fork: the child may have run and sampled before the parent returns,
      and a tree's memory at that time must not count the parent's pages
      as its own alone. */
   if (kind && !sr_isError(res) && sr_Res(res) != 0)
      vt_sample_now_at(fork_wall_ms);
   if (kind && sr_isError(res)) {
      struct rec nochild = { PROC_KEY, 1, -1 };
      append(&nochild, 1);
   }
   if (kind == 1 && sr_isError(res))
      for (UInt i = 0; i < vt_mm.nr_vmas; i++)
         vt_walk_ptes(&vt_mm, vt_mm.vmas[i].vm_start, vt_mm.vmas[i].vm_end,
                      undo_pte, NULL);
}

void vt_fork_child_hook(ThreadId tid)
{
   (void)tid;
   Int kind = fork_pending;
   fork_pending = 0;
   vt_fork_time = vt_insns;
   vt_is_forked_child = True;
   vt_insns = vt_refs = vt_misses = 0;
   vt_mm.now = 0;
   /* After a vfork the child borrows the parent's memory: nothing is
      copied or write-protected, only the figures start afresh. */
   vt_fork_child(&vt_mm, kind == 1);
   vt_memsim_child();
   vt_sample_init();
   vt_sample_now();            /* the child's memory at its start */
   if (kind != 1) {
      vt_mm.frame_ops = NULL;  /* the parent's frames stay the parent's */
      vt_mm.file_map = NULL;   /* and so do its file pages */
      vt_is_vfork_child = True;
   }
   vt_child_reset_output();
   vt_start_time_ms = vt_wall_ms();
}
