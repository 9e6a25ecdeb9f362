/* vt_sharelog.c: what the processes of a run share, through one log file.

   Why a log file: after fork, parent and child are separate Valgrind
   processes, each with its own copy of the simulator, yet whether a write
   to a shared page copies it or reuses it depends on whether the *other*
   process still maps it (Linux's page refcount).  Valgrind's tool API offers
   no shared memory, but it offers files: every process of a run appends its
   events (a fork shares frames, a process lets one go, a shared-memory page
   comes into existence, a file page is mapped or unmapped) to one
   append-only log in $TMPDIR, and reads the events of the others when it
   must decide.  Appends with O_APPEND are atomic, so no lock is needed; a
   decision sees every event that happened before it, which is what the
   kernel's refcount would show.  The log is unlinked as soon as it is made
   and lives on only as an open file descriptor, which forked children
   inherit, and the images Valgrind follows at an execve find (it is closed
   before one it does not follow): it goes with the last process of the
   tree, however it ends (SIGKILL included), and nothing is ever left in
   $TMPDIR.
   Each access opens the file anew through /proc/thread-self/fd, so every process
   has its own file offset.

   The core reaches this file through the host operations frames_fork,
   frame_shared, frame_release, shmem_new_gid, shmem_created, shmem_exists,
   shmem_removed, file_map, file_resized and file_punched (vt_main.c hands
   them over); PSS and USS are computed here from the counts the log
   holds.
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
#include "pub_tool_clientstate.h"
#include "pub_tool_xarray.h"
#include "vt_tool.h"

/* A log record: delta applies to the count of keys [id, id + n).  A record
   with id 0 creates n frames whose ids derive from its own offset. */
struct rec { ULong id; UInt n; Int delta; };
#define IDS_PER_REC (1u << 20)
/* Keys that are not frames: shared memory pages (top bit) and file pages. */
#define SHMEM_KEY_BIT (1ULL << 63)
#define FILE_KEY_BIT  (1ULL << 61)
/* Frames of --thp-compare's second address space (vt_thpcmp.c): shared
   with the second address spaces of the other processes only, and not
   counted in dup (nor PSS, which walks the first's page table). */
#define CMP_KEY_BIT   (1ULL << 62)
/* A file resized or punched (vt_share_file_resized): a record with this
   bit and the file's key, the writer's pid as n and what happened as
   delta, followed by one record of its figures (frame ids never reach
   this bit: they would need a log of 2^44 records). */
#define SHOOT_KEY_BIT (1ULL << 60)
#define O_CLOEXEC_VALUE 02000000    /* O_CLOEXEC, which vki does not name */
#define O_DIRECTORY_VALUE 0200000   /* O_DIRECTORY (amd64) */

static HChar  log_path[512];        /* where it was made (for messages) */
static Int    log_fd = -1;          /* the log, unlinked */
static HChar  log_self[64];         /* /proc/thread-self/fd/<log_fd> */
static Off64T read_off;             /* how far this process has read */
static Bool   log_broken;
/* Pages the run's processes count more than once in their RSS: over the
   frames and file pages they share, the holders minus one, summed. */
static Long   dup;
static struct vt_hash counts;       /* key -> count (as a Long) */

/* This process's frames and file pages are its parent's: a vfork child
   borrows its parent's memory until it execs or exits. */
static Bool borrowed;
/* The address space is gone (exit, exec): its file pages were counted off. */
static Bool gone;

static Long *count_of(ULong key, Bool add)
{
   if (!counts.e) {
      if (!add)
         return NULL;
      vt_hash_init(&counts, 2048);
   }
   struct vt_hash_ent *e = add ? vt_hash_put(&counts, key, NULL)
                               : vt_hash_get(&counts, key);
   return e ? (Long *)&e->val : NULL;
}

static Bool logging(void)
{
   return log_fd >= 0 && !log_broken;
}

static void log_failed(const HChar *what)
{
   if (!log_broken)
      VG_(umsg)("warning: vmtrace's frame log %s: %s failed; copy-on-write "
                "faults are classified as if no other process shared pages\n",
                log_path, what);
   log_broken = True;
}

/* A holder count changes by delta: dup follows. */
static void count_add(ULong key, Long delta, Bool holders)
{
   Long *c = count_of(key, True);
   if (holders)
      dup += (*c + delta > 1 ? *c + delta - 1 : 0) - (*c > 1 ? *c - 1 : 0);
   *c += delta;
}

static void shoot_read(const struct rec *r, Off64T at);
static Bool shoot_body;             /* the next record is a shootdown's figures */
static Off64T shoot_floor;          /* before this offset: not this image's */
static Int shoot_pid;               /* this process: its own are skipped */
static Bool shooting;               /* another's change being made here */

/* This process's pid, asked once (refresh wants it at every read of the
   log, which a fault of a shared page may make): a forked child, which
   inherits the parent's, asks again (vt_share_child); an exec'd image
   starts with none. */
static Int self_pid;

static Int my_pid(void)
{
   if (!self_pid)
      self_pid = VG_(getpid)();
   return self_pid;
}

static void apply(const struct rec *r, Off64T at)
{
   if (shoot_body ||
       (r->id & (SHOOT_KEY_BIT | SHMEM_KEY_BIT | FILE_KEY_BIT)) == SHOOT_KEY_BIT) {
      shoot_read(r, at);
      return;
   }
   if (r->id & (SHMEM_KEY_BIT | FILE_KEY_BIT)) {
      /* a shared-memory page's count is its creations, not holders */
      if (r->n)
         count_add(r->id, r->delta, !(r->id & SHMEM_KEY_BIT));
      return;
   }
   Bool cmp = (r->id & CMP_KEY_BIT) != 0;
   ULong id = r->id & ~CMP_KEY_BIT;
   id = (id ? id : ((ULong)at / sizeof *r + 1) * IDS_PER_REC) | (cmp ? CMP_KEY_BIT : 0);
   for (UInt i = 0; i < r->n; i++)
      count_add(id + i, r->delta, !cmp);
}

Bool vt_share_logging(void)
{
   return logging();
}



/* Moves the log's descriptor out of the client's reach.  Valgrind keeps
   the top 12 descriptors below the soft limit for itself (N_RESERVED_FDS
   in m_main.c: the client sees a limit 12 lower), refuses the client's
   close, dup2 and the like there, and fills them from the bottom up
   (VG_(safe_fd), which the tool interface does not offer); the log takes a
   free one from the top.  A low descriptor was the client's to close and
   reuse: a client that closed descriptors 3 and up and then opened a file
   got the log's number, and the records of its children went into its
   own file (23,338 bytes after its 6), or the log was gone and every copy
   counted as a reuse.  dup2 drops close-on-exec: vt_share_exit closes the
   log before an exec instead. */
static Int out_of_reach(Int fd)
{
   struct vki_rlimit rl;
   struct vg_stat st;
   if (VG_(getrlimit)(VKI_RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur > (1u << 30))
      return fd;
   for (Int k = (Int)rl.rlim_cur - 1; k >= (Int)rl.rlim_cur - 12 && k > fd; k--) {
      if (VG_(fstat)(k, &st) == 0)
         continue;                         /* Valgrind's own */
      if (sr_isError(VG_(dup2)(fd, k)))
         continue;
      VG_(close)(fd);
      return k;
   }
   return fd;
}

/* For vt_fork.c's vfork pipe, which must be out of the client's reach too. */
Int vt_share_out_of_reach(Int fd)
{
   return out_of_reach(fd);
}

/* The calling thread's view of the descriptors, not the process's:
   /proc/self is the thread group leader, whose fd directory is gone once
   the main thread has exited (pthread_exit in main, or an exit from
   another thread, which Valgrind completes in that thread after the
   others, the leader among them, have ended).  Kernels before 3.17 have
   no thread-self: /proc/self then. */
static void set_log_self(void)
{
   struct vg_stat st;
   VG_(snprintf)(log_self, sizeof log_self,
                 sr_isError(VG_(stat)("/proc/thread-self", &st)) ? "/proc/self/fd/%d"
                                                                 : "/proc/thread-self/fd/%d",
                 log_fd);
}

static void close_log(void)
{
   VG_(close)(log_fd);
   log_fd = -1;
}

/* The name make_log gives, as /proc/PID/fd shows it once unlinked:
   "$TMPDIR/vmtrace-cow.PID.SEC.USEC (deleted)". */
static Bool is_log_name(const HChar *target)
{
   const HChar *base = VG_(strrchr)(target, '/');
   base = base ? base + 1 : target;
   SizeT n = VG_(strlen)(base);
   const HChar *tail = " (deleted)";
   SizeT nt = VG_(strlen)(tail);
   return VG_(strncmp)(base, "vmtrace-cow.", 12) == 0 && n > nt &&
          VG_(strcmp)(base + n - nt, tail) == 0;
}

/* Will the image that replaces this one be Valgrind's, with vmtrace?
   With --trace-children-skip* some are not: it is not passed on then (a
   program run natively would get a descriptor it never opened). */
static Bool exec_followed(void)
{
   if (!vt_tracing_children())
      return False;
   for (Word i = 0; i < VG_(sizeXA)(VG_(args_for_valgrind)); i++) {
      const HChar *a = *(HChar **)VG_(indexXA)(VG_(args_for_valgrind), i);
      if (VG_(strncmp)(a, "--trace-children-skip", 21) == 0)
         return False;
   }
   return True;
}

/* Before an execve Valgrind follows: the log stays open across it (a
   descriptor without close-on-exec, which dup2 makes) for the new image to
   find (vt_share_inherit).  Until 2026-12-06 it was closed: an exec'd
   program never shared the log, and every page-cache page it mapped
   counted whole in its PSS however many processes mapped it (make -j2's
   two cc1 at once, each with its thousands of pages of cc1's text: the
   tree's peak of Sum PSS counted them twice). */
static Bool pass_on(void)
{
   struct vki_rlimit rl;
   struct vg_stat st;
   if (VG_(getrlimit)(VKI_RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur > (1u << 30))
      return False;
   for (Int k = (Int)rl.rlim_cur - 1; k >= (Int)rl.rlim_cur - 12 && k >= 0; k--) {
      if (k == log_fd || VG_(fstat)(k, &st) == 0)
         continue;
      if (sr_isError(VG_(dup2)(log_fd, k)))
         continue;
      close_log();
      log_fd = k;
      return True;
   }
   return False;
}

/* Makes the log (at the first fork): created, unlinked, held open. */
static void make_log(void)
{
   struct vki_timeval tv;
   VG_(gettimeofday)(&tv, NULL);
   VG_(snprintf)(log_path, sizeof log_path, "%s/vmtrace-cow.%d.%lld.%06lld",
                 VG_(tmpdir)(), VG_(getpid)(), (Long)tv.tv_sec, (Long)tv.tv_usec);
   SysRes sr = VG_(open)(log_path, VKI_O_RDWR | VKI_O_CREAT | VKI_O_EXCL | O_CLOEXEC_VALUE,
                         0600);
   if (sr_isError(sr)) {
      log_failed("create");
      return;
   }
   VG_(unlink)(log_path);
   log_fd = out_of_reach((Int)sr_Res(sr));
   set_log_self();
}

/* This process's own open file on the log. */
static Int open_log(Int flags, const HChar *what)
{
   SysRes sr = VG_(open)(log_self, flags | O_CLOEXEC_VALUE, 0);
   if (sr_isError(sr)) {
      log_failed(what);
      return -1;
   }
   return (Int)sr_Res(sr);
}

/* Appends records; returns the offset the first one landed at, or -1. */
static Off64T append(const struct rec *r, UInt n)
{
   if (!logging())
      return -1;
   Int fd = open_log(VKI_O_WRONLY | VKI_O_APPEND, "open for writing");
   if (fd < 0)
      return -1;
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

/* ---- batches: records written before anything reads the log ---------- */

struct batch { struct rec *r; UInt n, cap; };

static void batch_add(struct batch *b, const struct rec *r)
{
   if (b->n == b->cap) {
      b->cap = b->cap ? b->cap * 2 : 256;
      struct rec *nr = VT_CALLOC("vt.share", b->cap, sizeof *nr);
      if (b->r) {
         VG_(memcpy)(nr, b->r, b->n * sizeof *nr);
         VG_(free)(b->r);
      }
      b->r = nr;
   }
   b->r[b->n++] = *r;
}

static void batch_write(struct batch *b)
{
   if (b->n)
      append(b->r, b->n);
   b->n = 0;
}

static struct batch file_recs;      /* file pages mapped and unmapped */
static struct batch releases;       /* frames let go while an address space goes */
static Bool releasing;

/* Reads the records the others appended since last time. */
static void refresh(void)
{
   if (!logging())
      return;
   batch_write(&file_recs);
   shoot_pid = my_pid();
   Int fd = open_log(VKI_O_RDONLY, "open");
   if (fd < 0)
      return;
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
      if (n % (Int)sizeof buf[0])      /* a record being written: later */
         break;
   }
   VG_(close)(fd);
}

void vt_share_refresh(void)
{
   refresh();
}

/* The log as it is at this instant of the client (vt_mm.now), read once:
   the questions one reference asks (of the run's address space, then of
   --thp-compare's second) get the same answers, even while another
   process appends to the log (a child exiting as its parent writes). */
static void refresh_instant(void)
{
   static ULong last_refresh_time = ~0ULL;
   if (last_refresh_time != vt_mm.now) {
      refresh();
      last_refresh_time = vt_mm.now;
   }
}

/* dup as the log says now (0 while nothing is shared). */
ULong vt_share_dup(void)
{
   if (!logging())
      return 0;
   refresh();
   return dup > 0 ? (ULong)dup : 0;
}

/* ---- frames shared copy-on-write (host ops frames_*) ------------------- */

void vt_share_frames_fork(void *ctx, vt_u64 *ids, UInt n_new, const vt_u64 *old,
                          UInt n_old)
{
   (void)ctx;
   if (borrowed)
      return;
   /* New frames: held by parent and child (+2), in records of IDS_PER_REC. */
   for (UInt done = 0; done < n_new;) {
      UInt k = n_new - done < IDS_PER_REC ? n_new - done : IDS_PER_REC;
      struct rec r = { vt_cmp_in ? CMP_KEY_BIT : 0, k, 2 };
      Off64T at = append(&r, 1);
      ULong base = at < 0 ? 0 : ((ULong)at / sizeof r + 1) * IDS_PER_REC |
                                (vt_cmp_in ? CMP_KEY_BIT : 0);
      for (UInt i = 0; i < k; i++)
         ids[done + i] = at < 0 ? 0 : base + i;
      done += k;
   }
   /* Frames already shared: the child holds them too. */
   struct batch b = { NULL, 0, 0 };
   for (UInt i = 0; i < n_old; i++) {
      struct rec r = { old[i], 1, 1 };
      batch_add(&b, &r);
   }
   batch_write(&b);
   if (b.r)
      VG_(free)(b.r);
   refresh();
}

bool vt_share_frame_shared(void *ctx, vt_u64 id)
{
   (void)ctx;
   if (!id || borrowed)
      return False;
   refresh_instant();
   Long *c = count_of(id, False);
   return c && *c > 1;
}

void vt_share_frame_release(void *ctx, vt_u64 id)
{
   (void)ctx;
   if (!id || borrowed)
      return;
   struct rec r = { id, 1, -1 };
   if (releasing)
      batch_add(&releases, &r);
   else
      append(&r, 1);
}

/* ---- shared memory pages (host ops shmem_*) ------------------------------

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

vt_u64 vt_share_shmem_new_gid(void *ctx)
{
   (void)ctx;
   vt_u64 g = ((vt_u64)my_pid() << 40) ^ (vt_start_time_ms * 0x100000001B3ULL)
              ^ ++shmem_counter;
   return g ? g : 1;
}

void vt_share_shmem_created(void *ctx, vt_u64 gid, vt_u64 pgoff)
{
   (void)ctx;
   if (!logging())
      return;
   struct rec r = { shmem_key(gid, pgoff), 1, 1 };
   append(&r, 1);
}

bool vt_share_shmem_exists(void *ctx, vt_u64 gid, vt_u64 pgoff)
{
   (void)ctx;
   if (!logging())
      return False;
   refresh_instant();
   Long *c = count_of(shmem_key(gid, pgoff), False);
   return c && *c > 0;
}

/* Truncation or a punched hole: each page of the range the log says
   exists loses every creation counted so far, so the next question finds
   a hole (shmem_undo_range frees the page whoever created it); one made
   again later counts from 0.  A creation another process appends between
   the reading and the writing keeps its +1, as it happened after. */
void vt_share_shmem_removed(void *ctx, vt_u64 gid, vt_u64 first, vt_u64 end)
{
   (void)ctx;
   if (!logging() || shooting)       /* the other process counted them off */
      return;
   refresh();
   struct batch b = { NULL, 0, 0 };
   for (vt_u64 p = first; p < end; p++) {
      Long *c = count_of(shmem_key(gid, p), False);
      if (c && *c > 0) {
         struct rec r = { shmem_key(gid, p), 1, (Int)-*c };
         batch_add(&b, &r);
      }
   }
   batch_write(&b);
   if (b.r)
      VG_(free)(b.r);
   refresh();
}

/* ---- file pages mapped by several processes (host op file_map) -----------

   PSS divides a page-cache page among the processes that map it, as it
   divides a shared anonymous frame.  Once the process shares a log (it
   forked or was forked), every file page it maps or unmaps is a record
   keyed by (file, page); they are batched and written before anything
   reads the log (a sample, a decision, the end). */
static vt_u64 file_key(const struct vt_file *f, vt_u64 pgoff)
{
   vt_u64 id = f->shmem ? f->gid : (f->dev * 0x9E3779B97F4A7C15ULL) ^ f->ino;
   vt_u64 h = (id ^ (pgoff * 0xC2B2AE3D27D4EB4FULL)) * 0x100000001B3ULL;
   return ((h ^ (h >> 31)) & (FILE_KEY_BIT - 1)) | FILE_KEY_BIT;
}

static void file_rec(const struct vt_file *f, vt_u64 pgoff, int delta)
{
   if (!logging())
      return;
   if (file_recs.n >= 4096)
      batch_write(&file_recs);
   struct rec r = { file_key(f, pgoff), 1, delta };
   batch_add(&file_recs, &r);
}

void vt_share_file_map(void *ctx, const struct vt_file *f, vt_u64 pgoff, int delta)
{
   (void)ctx;
   if (!borrowed && !gone && !vt_cmp_in)   /* PSS is the first address space's */
      file_rec(f, pgoff, delta);
}

/* At a fork that starts the log: this process's file pages, once for it
   and once for the child (whose copy of the page table maps them too,
   until it drops those of the VMAs fork does not copy). */
struct fm_ctx { const struct vt_vma *v; Int delta; };
static void count_file_pte(void *vctx, vt_addr addr, vt_pte *ptep)
{
   struct fm_ctx *c = vctx;
   if ((*ptep & (VT_PTE_PRESENT | VT_PTE_FILE)) == (VT_PTE_PRESENT | VT_PTE_FILE))
      file_rec(c->v->vm_file,
                        c->v->vm_pgoff + ((addr - c->v->vm_start) >> VT_PAGE_SHIFT),
                        c->delta);
}

static void all_file_pages(Int delta)
{
   for (UInt i = 0; i < vt_mm.nr_vmas; i++) {
      struct fm_ctx c = { &vt_mm.vmas[i], delta };
      if (c.v->vm_file)
         vt_walk_ptes(&vt_mm, c.v->vm_start, c.v->vm_end, count_file_pte, &c);
   }
}

/* ---- files resized or punched by another process -------------------------

   Linux frees the pages a truncation or a punched hole takes away and
   zaps every mapping of them in every process (unmap_mapping_range), so
   the others fault on their next touch.  Here the process that does it
   appends a shootdown to the log: the file's key, its pid, and the new
   size in pages or the range punched.  The others read it with whatever
   they read next (refresh), keep it pending, and make the same change in
   their own models at their next system call (vt_share_shootdown, from
   vt_post_syscall, before the call's own effects) or signal delivery:
   never in the middle of a fault the log is read for.  A program whose
   processes order their steps through system calls (a pipe, a wait, a
   futex, a signal) sees every change exactly when Linux would show it;
   one that learns of it through shared memory alone, spinning without a
   system call, still maps the pages until its next call.  The file's key
   is its device and inode, or the id the run gives shared anonymous
   memory (which has neither, and no size to change).  A shootdown that
   precedes an image (this one's own, or one before an execve it
   inherited the log at) concerns none of its mappings. */
#define SHOOT_RESIZE 1
#define SHOOT_PUNCH  2
struct shoot { ULong key; UInt what; ULong a, b; };
static struct shoot  shoot_hdr;      /* read, its figures to come */
static struct shoot *shoots;         /* pending */
static UInt          nr_shoots, cap_shoots;

static ULong shoot_key(const struct vt_file *f)
{
   ULong id = f->dev || f->ino
              ? (f->dev * 0x9E3779B97F4A7C15ULL) ^ (f->ino * 0xC2B2AE3D27D4EB4FULL)
              : f->gid;
   return SHOOT_KEY_BIT | ((id ^ (id >> 7)) & (SHOOT_KEY_BIT - 1));
}

static void shoot_read(const struct rec *r, Off64T at)
{
   if (!shoot_body) {
      shoot_hdr.key = r->id;
      shoot_hdr.what = at >= shoot_floor && (Int)r->n != shoot_pid ? (UInt)r->delta : 0;
      shoot_body = True;
      return;
   }
   shoot_body = False;
   if (!shoot_hdr.what)
      return;                          /* this process's own, or before it */
   shoot_hdr.a = r->id;
   shoot_hdr.b = (ULong)r->n | ((ULong)(UInt)r->delta << 32);
   if (nr_shoots == cap_shoots) {
      cap_shoots = cap_shoots ? 2 * cap_shoots : 16;
      struct shoot *n = VT_CALLOC("vt.share.shoot", cap_shoots, sizeof *n);
      if (shoots) {
         VG_(memcpy)(n, shoots, nr_shoots * sizeof *n);
         VG_(free)(shoots);
      }
      shoots = n;
   }
   shoots[nr_shoots++] = shoot_hdr;
}

static void shoot_write(const struct vt_file *f, UInt what, ULong a, ULong b)
{
   if (!logging() || shooting || vt_cmp_in || gone)
      return;
   batch_write(&file_recs);            /* the pages it unmapped first */
   struct rec r[2] = { { shoot_key(f), (UInt)my_pid(), (Int)what },
                       { a, (UInt)b, (Int)(UInt)(b >> 32) } };
   append(r, 2);
}

void vt_share_file_resized(void *ctx, const struct vt_file *f, vt_u64 size_pages)
{
   (void)ctx;
   shoot_write(f, SHOOT_RESIZE, size_pages, 0);
}

void vt_share_file_punched(void *ctx, const struct vt_file *f, vt_u64 first, vt_u64 end)
{
   (void)ctx;
   shoot_write(f, SHOOT_PUNCH, first, end);
}

/* Shared anonymous memory has no device and inode to name it by: the
   punch is made through this process's shared mappings of the pages, as
   its own MADV_REMOVE of them would. */
static void punch_unnamed(const struct vt_file *f, ULong first, ULong end)
{
   for (UInt i = 0; i < vt_mm.nr_vmas; i++) {
      const struct vt_vma *v = &vt_mm.vmas[i];
      if (v->vm_file != f || !(v->vm_flags & VT_VM_SHARED))
         continue;
      ULong v_end = v->vm_pgoff + ((v->vm_end - v->vm_start) >> VT_PAGE_SHIFT);
      ULong lo = first > v->vm_pgoff ? first : v->vm_pgoff, hi = end < v_end ? end : v_end;
      if (lo < hi) {
         Addr s = v->vm_start + ((lo - v->vm_pgoff) << VT_PAGE_SHIFT);
         VT_BOTH(vt_madvise_remove, s, (hi - lo) << VT_PAGE_SHIFT);
      }
   }
}

static void shoot_apply(const struct shoot *s)
{
   for (struct vt_file *f = vt_mm.files; f; f = f->next) {
      if (shoot_key(f) != s->key)
         continue;
      if (s->what == SHOOT_RESIZE && (f->dev || f->ino))
         VT_BOTH(vt_file_resize, f->dev, f->ino, s->a << VT_PAGE_SHIFT);
      else if (s->what == SHOOT_PUNCH && (f->dev || f->ino))
         VT_BOTH(vt_file_pages, f->dev, f->ino, s->a, s->b, VT_FILE_PUNCHED);
      else if (s->what == SHOOT_PUNCH)
         punch_unnamed(f, s->a, s->b);
      return;                          /* (one file per key) */
   }
}

/* At a system call's end (but those of no_news_from_others, below) and
   each signal's delivery: the others' shootdowns logged since, made here.
   The log's size says whether there is anything new to read (one fstat). */
void vt_share_shootdown(void)
{
   if (!logging() || gone)
      return;
   struct vg_stat st;
   if (VG_(fstat)(log_fd, &st) == 0 && (Off64T)st.size > read_off)
      refresh();
   if (!nr_shoots)
      return;
   /* as before any call that changes what pages are (vt_pre_syscall): the
      hits the filter absorbed go first, under the identity they had */
   vt_filter_deliver(&vt_flt);
   vt_set_clock(&vt_mm, vt_insns, vt_insns, vt_mm.sim_order);
   shooting = True;
   for (UInt i = 0; i < nr_shoots; i++)
      shoot_apply(&shoots[i]);
   nr_shoots = 0;
   shooting = False;
}

/* System calls after which no other process's truncation or punch can be
   known to the program, so its shootdowns may wait for the next call:
   what they return or change is the calling process's own (its pid, its
   ids, its signal mask and handlers) or the clock, which orders nothing
   between processes. A signal another process sent, which unblocking one
   may let in, is delivered through vt_pre_deliver_signal, which makes
   them itself. Not here: getppid (the parent's exit shows in it: a parent
   that truncates a file and exits, a child that polls getppid and then
   touches the mapping), sched_yield and the sleeps (a program may wait
   for another by them), and every call that reads, waits or maps. Each
   call skipped saves an fstat of the log: 200,000 rt_sigprocmask calls
   after a fork took 0.292 s with it, 0.195 s without (tests/perf/forkcalls,
   best of 5 on a loaded 2-core machine). */
static Bool no_news_from_others(UInt sysno)
{
   switch (sysno) {
   case __NR_rt_sigprocmask: case __NR_rt_sigaction: case __NR_sigaltstack:
   case __NR_getpid: case __NR_gettid:
   case __NR_getuid: case __NR_geteuid: case __NR_getgid: case __NR_getegid:
   case __NR_getresuid: case __NR_getresgid:
   case __NR_clock_gettime: case __NR_clock_getres: case __NR_gettimeofday:
   case __NR_time:
      return True;
   default:
      return False;
   }
}

/* At a system call's end (vt_post_syscall): the others' shootdowns, unless
   the call cannot have told the program of any. */
void vt_share_syscall_done(UInt sysno)
{
   if (!no_news_from_others(sysno))
      vt_share_shootdown();
}

/* ---- the processes ----------------------------------------------------- */

/* In a forked child, first: its own pid. */
void vt_share_child(void)
{
   self_pid = 0;
}

/* Before a fork (copying: the child gets copies of the file pages): the
   log exists from the first fork on. */
void vt_share_fork(Bool copying)
{
   Bool first = log_fd < 0 && !log_broken;
   if (first)
      make_log();
   if (first)
      all_file_pages(1);       /* this process's, from now on logged */
   if (copying)
      all_file_pages(1);       /* the child's copies (a vfork child has none) */
   batch_write(&file_recs);
}

/* In a vfork child: what it maps is its parent's. */
void vt_share_borrowed(void)
{
   borrowed = True;
}

/* At exit and before execve: the address space goes. */
void vt_share_exit(void)
{
   if (!borrowed && !gone)
      all_file_pages(-1);
   gone = True;
   releasing = True;
   vt_release_frames(&vt_mm);
   vt_cmp_release();
   releasing = False;
   batch_write(&releases);
   batch_write(&file_recs);
   if (vt_exec_pending && log_fd >= 0 && !(exec_followed() && pass_on()))
      close_log();
}

/* In a new image, before the program runs: the log an image of this
   process passed on at its execve (pass_on), if any.  The image shares
   the run's log as a forked child does, from its first page on: its file
   pages count in PSS with every other process's that maps them. */
void vt_share_inherit(void)
{
   SysRes sr = VG_(open)("/proc/self/fd", VKI_O_RDONLY | O_DIRECTORY_VALUE, 0);
   if (sr_isError(sr))
      return;
   Int dir = (Int)sr_Res(sr);
   static ULong buf[512];              /* dirent64 records are 8-byte aligned */
   Int found = -1;
   Int n;
   while (found < 0 && (n = VG_(getdents64)(dir, (struct vki_dirent64 *)buf, sizeof buf)) > 0) {
      for (Int off = 0; off < n && found < 0;) {
         struct vki_dirent64 *d = (struct vki_dirent64 *)((UChar *)buf + off);
         off += d->d_reclen;
         HChar *end;
         Long fd = VG_(strtoll10)(d->d_name, &end);
         if (end == d->d_name || *end || fd == dir)
            continue;
         HChar link[64], target[sizeof log_path];
         VG_(snprintf)(link, sizeof link, "/proc/self/fd/%lld", fd);
         SSizeT len = VG_(readlink)(link, target, sizeof target - 1);
         if (len <= 0)
            continue;
         target[len] = 0;
         if (is_log_name(target))
            found = (Int)fd;
      }
   }
   VG_(close)(dir);
   if (found < 0)
      return;
   HChar link[64];
   VG_(snprintf)(link, sizeof link, "/proc/self/fd/%d", found);
   SSizeT len = VG_(readlink)(link, log_path, sizeof log_path - 1);
   log_path[len > 0 ? len : 0] = 0;
   log_fd = out_of_reach(found);
   set_log_self();
   struct vg_stat st;
   shoot_floor = VG_(fstat)(log_fd, &st) == 0 ? (Off64T)st.size : 0;
}

/* ---- PSS and USS ------------------------------------------------------- */

/* How many processes map a frame (1 if unknown). */
static ULong frame_sharers(vt_u64 id)
{
   Long *c = id ? count_of(id, False) : NULL;
   return c && *c > 1 ? (ULong)*c : 1;
}

/* Each resident page counts 1/n of the n processes that map it (a frame
   shared copy-on-write, a page-cache page), USS only the pages no other
   process maps. */
struct pss_ctx { const struct vt_vma *v; ULong pss_x1000, uss; };

static void pss_pte(void *vctx, vt_addr addr, vt_pte *ptep)
{
   struct pss_ctx *c = vctx;
   vt_pte pte = *ptep;
   if (!(pte & VT_PTE_PRESENT) || (pte & VT_PTE_ZERO))
      return;
   ULong n = 1;
   if (pte & VT_PTE_COW) {
      n = frame_sharers(vt_mm.frames[VT_PTE_FRAME(pte)]);
   } else if ((pte & VT_PTE_FILE) && c->v->vm_file) {
      Long *k = count_of(file_key(c->v->vm_file, c->v->vm_pgoff +
                                  ((addr - c->v->vm_start) >> VT_PAGE_SHIFT)), False);
      n = k && *k > 1 ? (ULong)*k : 1;
   }
   c->pss_x1000 += 1000 / n;
   if (n == 1)
      c->uss++;
}

/* Without the log no other process maps a page of this one's, but a
   page-cache page may be mapped in two places of this process (a file or a
   memfd mapped twice, as a ring buffer's mirror is): smaps divides it by
   its mapcount all the same, 1/n in each mapping, and leaves it out of the
   private pages (measured: a file and a memfd each mapped twice and
   touched, every mapping Pss 1/2 of its Rss, Private 0).  Only the files
   two of whose VMAs map a common page are walked: the count of each such
   page's present PTEs first, then each PTE's share. */
struct own_span { const struct vt_file *f; vt_u64 first, end; const struct vt_vma *v; };

static Int by_file_first(const void *a, const void *b)
{
   const struct own_span *x = a, *y = b;
   if (x->f != y->f)
      return (Addr)x->f < (Addr)y->f ? -1 : 1;
   return x->first < y->first ? -1 : x->first > y->first;
}

struct own_ctx { const struct vt_vma *v; struct vt_hash *count; Bool tally;
                 ULong less_x1000, less_uss; };

static void own_pte(void *vctx, vt_addr addr, vt_pte *ptep)
{
   struct own_ctx *c = vctx;
   vt_pte pte = *ptep;
   if ((pte & (VT_PTE_PRESENT | VT_PTE_FILE | VT_PTE_ZERO)) != (VT_PTE_PRESENT | VT_PTE_FILE))
      return;
   vt_u64 pgoff = c->v->vm_pgoff + ((addr - c->v->vm_start) >> VT_PAGE_SHIFT);
   if (c->tally) {
      vt_hash_put(c->count, pgoff, NULL)->val++;
      return;
   }
   const struct vt_hash_ent *e = vt_hash_get(c->count, pgoff);
   ULong n = e ? e->val : 1;
   if (n > 1) {
      c->less_x1000 += 1000 - 1000 / n;
      c->less_uss++;
   }
}

static void own_pss(ULong *pss_x1000, ULong *uss)
{
   /* the file VMAs as the last call found none overlapping (a sample
      comes every 16,384 instructions at first: most find the same) */
   static ULong no_overlap_sig;
   *pss_x1000 = vt_mm.rss * 1000;
   *uss = vt_mm.rss;
   UInt n = 0;
   ULong sig = 0x9E3779B97F4A7C15ULL;
   for (UInt i = 0; i < vt_mm.nr_vmas; i++) {
      const struct vt_vma *v = &vt_mm.vmas[i];
      if (!v->vm_file)
         continue;
      n++;
      sig = (sig ^ (Addr)v->vm_file ^ v->vm_pgoff * 31 ^ v->vm_start ^ v->vm_end << 7) *
            0x100000001B3ULL;
   }
   if (n < 2 || sig == no_overlap_sig)
      return;
   struct own_span *sp = VG_(malloc)("vt.share.own", n * sizeof *sp);
   n = 0;
   for (UInt i = 0; i < vt_mm.nr_vmas; i++) {
      const struct vt_vma *v = &vt_mm.vmas[i];
      if (v->vm_file)
         sp[n++] = (struct own_span){ v->vm_file, v->vm_pgoff,
                                      v->vm_pgoff + ((v->vm_end - v->vm_start) >> VT_PAGE_SHIFT),
                                      v };
   }
   VG_(ssort)(sp, n, sizeof *sp, by_file_first);
   struct own_ctx c = { NULL, NULL, False, 0, 0 };
   Bool any = False;
   for (UInt lo = 0; lo < n;) {
      UInt hi = lo + 1;
      Bool overlap = False;
      vt_u64 reach = sp[lo].end;
      for (; hi < n && sp[hi].f == sp[lo].f; hi++) {
         overlap |= sp[hi].first < reach;
         if (sp[hi].end > reach)
            reach = sp[hi].end;
      }
      if (overlap) {
         any = True;
         struct vt_hash count;
         vt_hash_init(&count, 64);
         c.count = &count;
         for (Int pass = 0; pass < 2; pass++) {
            c.tally = pass == 0;
            for (UInt k = lo; k < hi; k++) {
               c.v = sp[k].v;
               vt_walk_ptes(&vt_mm, c.v->vm_start, c.v->vm_end, own_pte, &c);
            }
         }
         vt_hash_destroy(&count);
      }
      lo = hi;
   }
   VG_(free)(sp);
   no_overlap_sig = any ? 0 : sig;
   *pss_x1000 -= c.less_x1000;
   *uss -= c.less_uss;
}

void vt_share_pss(ULong *pss_x1000, ULong *uss)
{
   if (!logging()) {                   /* nothing shared with another process */
      own_pss(pss_x1000, uss);
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
