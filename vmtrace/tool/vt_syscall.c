/* vt_syscall.c: the client's system calls.  One handler per system call
   that concerns vmtrace, in the table below: `pre` before the call, `post`
   after it whatever its result, `ok` after it succeeded (with the result).
   Also the memory the kernel reads for a call, charged after it.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_vki.h"
#include "pub_tool_vkiscnums.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_clientstate.h"
#include "pub_tool_xarray.h"
#include "vt_tool.h"

Bool vt_exec_pending;

/* ---- memory the kernel reads inside system calls ------------------------

   Valgrind announces (PRE_MEM_READ) every buffer a system call may read,
   before the call: write(fd, buf, n) announces n bytes.  The kernel reads
   only what it transfers, and the null device none, so the ranges are
   kept per thread (a blocking call lets other threads run) and charged
   after the call: all of them for a successful call, up to the returned
   count for the calls that transfer data out of the process. */
#define MAX_DEFERRED 64
static struct deferred {
   Bool  active;
   UInt  sysno;
   Bool  null_sink;             /* writing to /dev/null or /dev/zero */
   Bool  wrote_pages;           /* a write into shared memory whose
                                   pages were made with its reads
                                   (write_shmem_interleaved) */
   UInt  n;
   Addr  a[MAX_DEFERRED];
   SizeT len[MAX_DEFERRED];
} *deferred;                     /* [VG_N_THREADS] */

static Bool transfers_out(UInt sysno)
{
   return sysno == __NR_write || sysno == __NR_pwrite64 || sysno == __NR_writev ||
          sysno == __NR_pwritev || sysno == __NR_sendto || sysno == __NR_sendmsg ||
          sysno == __NR_pwritev2;
}

static Bool is_null_sink(Int fd)
{
   struct vg_stat st;
   if (VG_(fstat)(fd, &st) != 0 || !VKI_S_ISCHR(st.mode))
      return False;
   /* mem devices (major 1): null is minor 3, zero minor 5; their write
      handler returns without reading the buffer. */
   ULong major = ((st.rdev >> 8) & 0xfff) | ((st.rdev >> 32) & ~0xfffULL);
   ULong minor = (st.rdev & 0xff) | ((st.rdev >> 12) & ~0xffULL);
   return major == 1 && (minor == 3 || minor == 5);
}

Bool vt_syscall_defer_read(ThreadId tid, Addr a, SizeT len)
{
   if (!deferred || tid >= VG_N_THREADS || !deferred[tid].active)
      return False;
   struct deferred *d = &deferred[tid];
   if (d->n == MAX_DEFERRED)
      return False;              /* too many pieces: charge at once */
   d->a[d->n] = a;
   d->len[d->n] = len;
   d->n++;
   return True;
}

/* Before a call: its announced reads are kept, not charged yet. */
static void defer_begin(ThreadId tid, UInt sysno, UWord *args)
{
   if (!deferred)
      deferred = VT_CALLOC("vt.deferred", VG_N_THREADS, sizeof *deferred);
   if (tid >= VG_N_THREADS)
      return;
   struct deferred *d = &deferred[tid];
   d->active = True;
   d->sysno = sysno;
   d->wrote_pages = False;
   d->n = 0;
   d->null_sink = transfers_out(sysno) && sysno != __NR_sendto &&
                  sysno != __NR_sendmsg && is_null_sink((Int)args[0]);
}

/* The kernel read (or wrote: acc) [a, a + len) for a call that
   succeeded.  A page there that would be an invalid access it did not
   touch: Valgrind announces what a call may read from its arguments alone
   (mbind's and set_mempolicy's nodemask even when the pointer is NULL,
   which the kernel takes for an empty set), and the kernel, meeting a bad
   address inside a call, fails it with EFAULT: a call that succeeded met
   none. */
static void charge(Addr a, SizeT len, enum vt_access acc)
{
   if (len == 0)
      return;
   Addr last = (a + len - 1) & VT_PAGE_MASK;
   for (Addr p = a & VT_PAGE_MASK;; p += VT_PAGE_SIZE) {
      if (vt_access_ok(&vt_mm, p, acc))
         vt_access_range(p, 1, acc);
      if (p == last)
         break;
   }
}

static Bool write_shmem_interleaved(struct deferred *d, UWord *args, SizeT n);

static void charge_deferred(ThreadId tid, UWord *args, SysRes res)
{
   if (!deferred || tid >= VG_N_THREADS || !deferred[tid].active)
      return;
   struct deferred *d = &deferred[tid];
   d->active = False;
   if (sr_isError(res) || d->null_sink)
      return;
   if (write_shmem_interleaved(d, args, (SizeT)sr_Res(res)))
      return;
   SizeT budget = transfers_out(d->sysno) ? (SizeT)sr_Res(res) : ~(SizeT)0;
   for (UInt i = 0; i < d->n && budget; i++) {
      SizeT n = d->len[i] < budget ? d->len[i] : budget;
      charge(d->a[i], n, VT_ACC_READ);
      if (budget != ~(SizeT)0)
         budget -= n;
   }
}

/* ---- the process ------------------------------------------------------ */

static const void *client_ptr(UWord a, SizeT len)
{
   return a && VG_(am_is_valid_for_client)(a, len, VKI_PROT_READ) ? (const void *)a : NULL;
}

/* Is gid one of this process's supplementary groups (/proc/self/status,
   "Groups:")? */
static Bool in_groups(UInt gid)
{
   SysRes sr = VG_(open)("/proc/self/status", VKI_O_RDONLY, 0);
   if (sr_isError(sr))
      return False;
   HChar buf[4096];
   Int n = VG_(read)((Int)sr_Res(sr), buf, sizeof buf - 1);
   VG_(close)((Int)sr_Res(sr));
   if (n <= 0)
      return False;
   buf[n] = 0;
   HChar *g = VG_(strstr)(buf, "\nGroups:");
   if (!g)
      return False;
   for (HChar *q = g + 8; *q && *q != '\n';) {
      while (*q == ' ' || *q == '\t')
         q++;
      if (*q < '0' || *q > '9')
         break;
      HChar *end;
      if ((UInt)VG_(strtoll10)(q, &end) == gid)
         return True;
      q = end;
   }
   return False;
}

/* Does Valgrind follow the client's execs (--trace-children=yes, the last
   one given; --trace-children-skip patterns are not consulted)? */
Bool vt_tracing_children(void)
{
   Bool yes = False;
   for (Word i = 0; i < VG_(sizeXA)(VG_(args_for_valgrind)); i++) {
      const HChar *a = *(HChar **)VG_(indexXA)(VG_(args_for_valgrind), i);
      if (VG_(strcmp)(a, "--trace-children=yes") == 0)
         yes = True;
      else if (VG_(strcmp)(a, "--trace-children=no") == 0)
         yes = False;
   }
   return yes;
}

/* Will the process image be replaced?  Valgrind's execve wrapper, which
   runs after this hook, refuses what it cannot load and the client goes
   on with the error (env and execvp try every PATH entry this way); a call
   that passes its checks either succeeds or ends the process ("EXEC
   FAILED: I can't recover").  Its checks are VG_(pre_exec_check)'s in
   Valgrind 3.19 (m_ume/main.c, m_libcfile.c's VG_(check_executable)),
   made here the same way: the name is a regular file that opens for
   reading;
   a setuid or setgid file is refused if Valgrind follows the exec; the
   owner's execute bit counts if the effective uid owns the file (root
   too), else the group's if the effective gid or a supplementary group
   is the file's, else the others'; the first min(size, 4096) bytes are an
   ELF file (its magic, and longer than an ELF header: match_ELF) or a
   script ("#!", then an interpreter name after blanks on the first line:
   match_script).  Not made: the file-capability check Valgrind makes
   when it follows the exec (getxattr is not in the tool interface). */
static Bool exec_will_replace(UInt sysno, UWord *args)
{
   const HChar *name = client_ptr(sysno == __NR_execveat ? args[1] : args[0], 1);
   if (!name)
      return False;
   HChar path[4096];
   if (sysno == __NR_execveat && name[0] != '/' && (Int)args[0] != -100 /* AT_FDCWD */)
      VG_(snprintf)(path, sizeof path, name[0] ? "/proc/self/fd/%d/%s" : "/proc/self/fd/%d",
                    (Int)args[0], name);
   else
      VG_(snprintf)(path, sizeof path, "%s", name);
   struct vg_stat st;
   /* (a FIFO is not opened: the kernel refuses anything but a regular
      file, EACCES) */
   if (sr_isError(VG_(stat)(path, &st)) || !VKI_S_ISREG(st.mode))
      return False;
   SysRes sr = VG_(open)(path, VKI_O_RDONLY, 0);
   if (sr_isError(sr))
      return False;
   static UChar head[4096];
   Int n = VG_(read)((Int)sr_Res(sr), head,
                     st.size < (Long)sizeof head ? (Int)st.size : (Int)sizeof head);
   VG_(close)((Int)sr_Res(sr));
   if (n < 0)
      return False;
   if ((st.mode & (VKI_S_ISUID | VKI_S_ISGID)) && vt_tracing_children())
      return False;
   UInt uid = (UInt)VG_(geteuid)();
   UInt x = uid == st.uid ? 0100
          : (UInt)VG_(getegid)() == st.gid || in_groups(st.gid) ? 0010 : 0001;
   if (!(st.mode & x))
      return False;
   if (n > 64 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F')
      return True;                                 /* sizeof(Elf64_Ehdr) is 64 */
   if (n < 2 || head[0] != '#' || head[1] != '!')
      return False;
   Int i = 2;
   while (i < n && (head[i] == ' ' || head[i] == '\t'))
      i++;
   return i < n && head[i] != '\n';
}

/* A successful execve replaces this process image without running the
   tool's fini: write the output now (status "exec"), as the image's end.
   One that fails changes nothing: the process goes on as itself. */
static void pre_execve(ThreadId tid, UInt sysno, UWord *args)
{
   (void)tid;
   if (!exec_will_replace(sysno, args))
      return;
   vt_set_clock(&vt_mm, vt_insns, vt_insns, vt_mm.sim_order);
   vt_exec_pending = True;
   vt_finish(0);
   vt_exec_pending = False;
}

/* Valgrind passes fini no exit status: keep the one the program gives
   (vt_signal.c tells an exit from a death by signal). */
static void pre_exit(ThreadId tid, UInt sysno, UWord *args)
{
   (void)tid; (void)sysno;
   vt_signal_exit((Int)args[0], False);
}

static void pre_exit_group(ThreadId tid, UInt sysno, UWord *args)
{
   (void)tid; (void)sysno;
   vt_signal_exit((Int)args[0], True);
}

/* abort() and raise() end here, unless the signal is ignored, blocked or
   handled (vt_pre_deliver_signal); so does a kill of the process's own
   group (pid 0 or -pgrp), which reaches the caller too.  SIGKILL of
   itself Valgrind turns into an orderly end (the tool's fini runs), but
   only for its own pid: sent to its group, the process would vanish
   without a file, so the image's output is written now, as it dies. */
static void pre_kill(ThreadId tid, UInt sysno, UWord *args)
{
   (void)tid; (void)sysno;
   Int pid = (Int)args[0], sig = (Int)args[1];
   if (pid == VG_(getpid)()) {
      vt_signal_fatal(sig, False);
   } else if (pid == 0 || pid == -VG_(getpgrp)()) {
      vt_signal_fatal(sig, False);
      if (sig == VKI_SIGKILL) {
         vt_set_clock(&vt_mm, vt_insns, vt_insns, vt_mm.sim_order);
         vt_finish(0);
      }
   }
}

static void pre_tkill(ThreadId tid, UInt sysno, UWord *args)
{
   (void)tid; (void)sysno;
   if (args[0] == (UWord)VG_(gettid)())
      vt_signal_fatal((Int)args[1], False);
}

static void pre_tgkill(ThreadId tid, UInt sysno, UWord *args)
{
   (void)tid; (void)sysno;
   if (args[0] == (UWord)VG_(getpid)() && args[1] == (UWord)VG_(gettid)())
      vt_signal_fatal((Int)args[2], False);
}

static void ok_rt_sigaction(ThreadId tid, UWord *args, UWord res)
{
   (void)tid; (void)res;
   vt_signal_sigaction(args[0], client_ptr(args[1], sizeof(UWord)));
}

static void ok_rt_sigprocmask(ThreadId tid, UWord *args, UWord res)
{
   (void)tid; (void)res;
   vt_signal_sigprocmask(args[0], client_ptr(args[1], sizeof(ULong)));
}

/* Under the warm page cache, a regular file the run added pages to reads
   them with readahead, in its disk's window as --page-cache=machine takes
   it (--readahead's if given): told the model once the file has such
   pages, and again only if it differs (a FILE_RA event). */
static void fresh_ra(ULong dev, ULong ino, const HChar *path, ULong size)
{
   unsigned ra;
   if (vt_clo.cold_cache || !vt_file_fresh(&vt_mm, dev, ino, &ra))
      return;
   UInt want = vt_pcache_disk_ra(dev);
   if (want != ra)
      VT_BOTH(vt_file_ra_pages, dev, ino, path, size, want);
}

/* fresh_ra for the file open as fd, st. */
static void fresh_ra_fd(Int fd, const struct vg_stat *st)
{
   unsigned ra;
   HChar path[1024];
   if (vt_clo.cold_cache || !vt_file_fresh(&vt_mm, st->dev, st->ino, &ra))
      return;
   if (!vt_fd_path(fd, path, sizeof path))
      path[0] = 0;
   fresh_ra(st->dev, st->ino, path, (ULong)st->size);
}

/* A file the model knows (it was mapped) changed by a system call: its
   size (a write past its end, fallocate), and for shared memory the pages
   written into it (now in its page cache: a read fault's fault-around
   maps them) or punched out of it. */
static void file_changed(Int fd, ULong first, ULong end, UInt op)
{
   struct vg_stat st;
   vt_u64 pages;
   bool shmem;
   if (VG_(fstat)(fd, &st) != 0 || !VKI_S_ISREG(st.mode) ||
       !vt_file_known(&vt_mm, st.dev, st.ino, &pages, &shmem))
      return;
   if (pages != (st.size + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT)
      VT_BOTH(vt_file_resize, st.dev, st.ino, (ULong)st.size);
   if (shmem && first < end)
      VT_BOTH(vt_file_pages, st.dev, st.ino, first, end, op);
   if (!shmem)
      fresh_ra_fd(fd, &st);
}

static Long io_offset(UInt sysno, UWord *args, UWord n);

/* A write into shared memory (tmpfs, memfd) is generic_perform_write, a
   page at a time: ->write_begin makes the destination's page, the copy
   from the buffer runs with page faults disabled, and where it fails (a
   page of the buffer not mapped) ->write_end takes the page as it is
   (shmem_write_end zeroes it and marks it uptodate) before the buffer's
   page is faulted in and the copy tried again.  So each page written is
   in the page cache before the fault on its source, whose fault-around
   maps it when the buffer is a shared mapping of the file itself
   (tests/kernelfuzz seed 2713, 300 steps, FORK 0, OPS 0x1ff, s206: 3
   pages of a memfd written from a mapping of it 2 pages lower, two of
   them holes: 2 faults natively, 3 when the model read the whole buffer
   before the write made any page).  The held reads of a write that
   moved n bytes are charged so, chunk by chunk, after the page each
   chunk fills is made; False (nothing done) if fd is no shared memory
   file the model knows, or for a vectored write.  The file's size is taken first whole (Linux
   grows it a chunk at a time, after each copy). */
static Bool write_shmem_interleaved(struct deferred *d, UWord *args, SizeT n)
{
   /* write and pwrite64 only: Valgrind announces their buffer alone
      (the vectored calls' announced reads begin with the iovec array). */
   if ((d->sysno != __NR_write && d->sysno != __NR_pwrite64) || n == 0 || d->n == 0)
      return False;
   Int fd = (Int)args[0];
   struct vg_stat st;
   vt_u64 pages;
   bool shmem;
   if (VG_(fstat)(fd, &st) != 0 || !VKI_S_ISREG(st.mode) ||
       !vt_file_known(&vt_mm, st.dev, st.ino, &pages, &shmem) || !shmem)
      return False;
   Long off = io_offset(d->sysno, args, n);
   if (off < 0)
      return False;
   if (pages != (st.size + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT)
      VT_BOTH(vt_file_resize, st.dev, st.ino, (ULong)st.size);
   UInt i = 0;
   SizeT done = 0;                    /* of range i */
   for (ULong pos = (ULong)off, end = (ULong)off + n; pos < end;) {
      ULong page = pos >> VT_PAGE_SHIFT;
      ULong chunk = ((page + 1) << VT_PAGE_SHIFT) - pos;
      if (chunk > end - pos)
         chunk = end - pos;
      VT_BOTH(vt_file_pages, st.dev, st.ino, page, page + 1, VT_FILE_WRITTEN);
      /* The chunk's bytes of the buffer, in order; a page of it the
         previous chunk read already is not charged again. */
      for (ULong left = chunk; left && i < d->n;) {
         Addr a = d->a[i] + done;
         SizeT k = d->len[i] - done < left ? d->len[i] - done : left;
         if (done && ((a - 1) & VT_PAGE_MASK) == (a & VT_PAGE_MASK)) {
            SizeT rest = VT_PAGE_SIZE - (a & ~VT_PAGE_MASK);
            if (k > rest)
               charge((a & VT_PAGE_MASK) + VT_PAGE_SIZE, k - rest, VT_ACC_READ);
         } else {
            charge(a, k, VT_ACC_READ);
         }
         done += k;
         left -= k;
         if (done == d->len[i]) {
            i++;
            done = 0;
         }
      }
      pos += chunk;
   }
   d->wrote_pages = True;
   return True;
}

/* The bytes a read or write family call (fd, buf, count, ...) or its
   vectored kin (fd, iov, iovcnt, ...) asks to move. */
static ULong io_count(Bool plain, UWord *args)
{
   if (plain)
      return args[2];
   ULong count = 0;
   const struct vki_iovec *iov = client_ptr(args[1], args[2] * sizeof *iov);
   for (UWord i = 0; iov && i < args[2]; i++)
      count += iov[i].iov_len;
   return count;
}

/* Where in the file a read or write family call that moved n bytes
   started: its offset argument for the positional calls (pread64,
   pwrite64, preadv, pwritev; preadv2 and pwritev2 unless -1), else the
   file position before the call; -1 if the file has none (a pipe). */
static Long io_offset(UInt sysno, UWord *args, UWord n)
{
   if (sysno == __NR_pread64 || sysno == __NR_pwrite64 || sysno == __NR_preadv ||
       sysno == __NR_pwritev ||
       ((sysno == __NR_preadv2 || sysno == __NR_pwritev2) && (Long)args[3] != -1))
      return (Long)args[3];
   Long pos = VG_(lseek)((Int)args[0], 0, VKI_SEEK_CUR);
   return pos < 0 ? -1 : pos - (Long)n;
}

/* The largest page-cache folio a write may make in a file on device dev
   (mapping_max_folio_order): PMD-sized on ext4 since Linux 6.16 and on
   XFS (iomap's writes since 6.6); 0, order-0 pages only, on any other
   filesystem (tmpfs makes order-0 pages by default, as does ext4 before
   6.16).  By /proc/self/mountinfo (vt_fs_type). */
static UInt write_folio_order(ULong dev)
{
   HChar type[32];
   if (vt_fs_type(dev, type, sizeof type) &&
       ((VG_(strcmp)(type, "ext4") == 0 && vt_kernel_at_least(6, 16)) ||
        (VG_(strcmp)(type, "xfs") == 0 && vt_kernel_at_least(6, 6))))
      return VT_PMD_ORDER;
   return 0;
}

/* A write of a regular file may give the pages it reaches for the first
   time folios larger than a page (vt_pcache_write): one of 8 KiB or more
   does, on a filesystem with large folios.  Under --page-cache=cold every
   write brings its pages into the cache, and under the warm one every
   write that reaches pages the file did not have when the run met it (a
   write past its end, into a hole ftruncate made, into a file the run
   created: vt_file_write_matters).  Its file and size before it are taken
   here, so the post handler can say which pages were new. */
static struct pre_write {
   Bool  valid;
   UInt  max_order;
   ULong dev, ino, size;
} *pre_writes;                   /* [VG_N_THREADS] */

/* Whether writes to fd may change the model's page cache (vt_file_write):
   a regular file, not shared memory under --page-cache=cold (under the
   warm one the post handler asks, for the writes that matter); w gets its
   file, its size now and its largest folio. */
static Bool write_target(Int fd, struct pre_write *w)
{
   struct vg_stat st;
   if (VG_(fstat)(fd, &st) != 0 || !VKI_S_ISREG(st.mode))
      return False;
   HChar path[256];
   if (vt_clo.cold_cache && vt_fd_path(fd, path, sizeof path) && vt_shmem_file(path, st.dev))
      return False;
   w->max_order = write_folio_order(st.dev);
   w->dev = st.dev;
   w->ino = st.ino;
   w->size = st.size;
   return True;
}

static void pre_write(ThreadId tid, UInt sysno, UWord *args)
{
   if (tid >= VG_N_THREADS)
      return;
   if (!pre_writes)
      pre_writes = VT_CALLOC("vt.prewrite", VG_N_THREADS, sizeof *pre_writes);
   struct pre_write *w = &pre_writes[tid];
   w->valid = False;
   vt_pcache_meet_fd((Int)args[0]);
   ULong count = io_count(sysno == __NR_write || sysno == __NR_pwrite64, args);
   if (count)
      w->valid = write_target((Int)args[0], w);
}

/* The bytes a write put in a file: [off, off + n), off the file position
   before the call for write, writev and pwritev2 at offset -1. */
static void wrote_file(ThreadId tid, UInt sysno, UWord *args, UWord n)
{
   Int fd = (Int)args[0];
   if (sysno == __NR_sendto || sysno == __NR_sendmsg)
      return;
   Long off = io_offset(sysno, args, n);
   if (off < 0 || n == 0)
      return;
   struct pre_write *w = pre_writes && tid < VG_N_THREADS ? &pre_writes[tid] : NULL;
   if (w && w->valid) {
      HChar path[1024];
      w->valid = False;
      if (vt_file_write_matters(&vt_mm, w->dev, w->ino, w->size, (ULong)off, n, w->max_order)) {
         if (!vt_fd_path(fd, path, sizeof path))
            path[0] = 0;
         /* shared memory is no page cache's to follow (cold: left out before) */
         if (vt_clo.cold_cache || !vt_shmem_file(path, w->dev)) {
            VT_BOTH(vt_file_write, w->dev, w->ino, path, w->size, (ULong)off, n,
                    w->max_order);
            ULong end = (ULong)off + n;
            fresh_ra(w->dev, w->ino, path, end > w->size ? end : w->size);
         }
      }
   }
   if (deferred && tid < VG_N_THREADS && deferred[tid].wrote_pages)
      return;                    /* made with the reads (charge_deferred) */
   file_changed(fd, (ULong)off >> VT_PAGE_SHIFT,
                ((ULong)off + n + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT, VT_FILE_WRITTEN);
}

/* The model's object for the shared memory file fd (tmpfs, memfd), made
   if it has none yet (it was never mapped); nothing for another file. */
static void shmem_file_known(Int fd)
{
   HChar path[256];
   struct vg_stat st;
   if (!vt_fd_path(fd, path, sizeof path) || VG_(fstat)(fd, &st) != 0 ||
       !VKI_S_ISREG(st.mode) || !vt_shmem_file(path, st.dev))
      return;
   vt_u64 pages;
   bool shmem;
   if (!vt_file_known(&vt_mm, st.dev, st.ino, &pages, &shmem))
      (void)vt_file_get(&vt_mm, st.dev, st.ino, path, st.size, True);
}

/* ftruncate, truncate and fallocate may make a regular file larger: the
   pages they add are new, a hole nothing of which is cached.  Under the
   warm page cache a file the model does not know yet is made with its
   size before the call (vt_file_grown), so that it holds those pages as
   uncached; the file and its size are taken here. */
static struct pre_size {
   Bool  valid;
   ULong dev, ino, size;
} *pre_sizes;                    /* [VG_N_THREADS] */

static void pre_grow(ThreadId tid, UInt sysno, UWord *args)
{
   if (tid >= VG_N_THREADS || vt_clo.cold_cache)
      return;
   if (!pre_sizes)
      pre_sizes = VT_CALLOC("vt.presize", VG_N_THREADS, sizeof *pre_sizes);
   struct pre_size *s = &pre_sizes[tid];
   struct vg_stat st;
   VG_(memset)(&st, 0, sizeof st);
   const HChar *path = sysno == __NR_truncate ? client_ptr(args[0], 1) : NULL;
   s->valid = (sysno == __NR_truncate ? path && !sr_isError(VG_(stat)(path, &st))
                                      : VG_(fstat)((Int)args[0], &st) == 0) &&
              VKI_S_ISREG(st.mode);
   s->dev = st.dev;
   s->ino = st.ino;
   s->size = st.size;
}

/* After the call, the file st (open as fd, or at path): True if it was a
   file the model did not know that grew, now made (vt_file_grown). */
static Bool grew_unknown(ThreadId tid, Int fd, const HChar *path, const struct vg_stat *st)
{
   struct pre_size *s = pre_sizes && tid < VG_N_THREADS ? &pre_sizes[tid] : NULL;
   vt_u64 pages;
   bool shmem;
   HChar buf[1024];
   if (!s || !s->valid)
      return False;
   s->valid = False;
   if (s->dev != st->dev || s->ino != st->ino || (ULong)st->size <= s->size ||
       vt_file_known(&vt_mm, st->dev, st->ino, &pages, &shmem))
      return False;
   if (fd >= 0) {
      if (!vt_fd_path(fd, buf, sizeof buf))
         buf[0] = 0;
      path = buf;
   }
   if (vt_shmem_file(path, st->dev))
      return False;
   VT_BOTH(vt_file_grown, st->dev, st->ino, path, s->size, (ULong)st->size);
   fresh_ra(st->dev, st->ino, path, (ULong)st->size);
   return True;
}

/* fallocate: the size may grow; FALLOC_FL_PUNCH_HOLE (2) removes the
   whole pages of the range (partial ones are zeroed, not removed); mode 0
   or FALLOC_FL_KEEP_SIZE (1) allocates every page the range reaches (the
   other modes: not for shared memory, which refuses them). */
static void ok_fallocate(ThreadId tid, UWord *args, UWord res)
{
   (void)res;
   ULong off = args[2], len = args[3];
   struct vg_stat st;
   if (VG_(fstat)((Int)args[0], &st) == 0)
      (void)grew_unknown(tid, (Int)args[0], NULL, &st);
   /* Pages fallocate allocated are not uptodate, and SEEK_DATA, which a
      first mapping asks (vt_pre_mmap), counts them as holes: a second
      fallocate over them makes them uptodate, and a read fault's
      fault-around then maps them.  So the model follows the shared
      memory objects fallocate allocates in before they are mapped
      (tests/kernelfuzz seed 2021, 150 steps, FORK 1 OPS 0x1ff: a memfd's
      pages fallocated at s001, before its first mmap, and again at s045;
      s054's read of two of them: 1 fault natively, 2 here). */
   if (!(args[1] & ~1UL) && len > 0)
      shmem_file_known((Int)args[0]);
   if (args[1] & 2)
      file_changed((Int)args[0], (off + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT,
                   (off + len) >> VT_PAGE_SHIFT, VT_FILE_PUNCHED);
   else if ((args[1] & ~1UL) == 0)
      file_changed((Int)args[0], off >> VT_PAGE_SHIFT,
                   (off + len + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT, VT_FILE_ALLOCATED);
   else
      file_changed((Int)args[0], 0, 0, VT_FILE_WRITTEN);
}

/* A read of a regular file (read, pread64, readv, preadv, preadv2):
   under --page-cache=cold, the readahead it starts, which later read
   faults of a mapping of the file find (the warm page cache holds every
   page it met: only once a file has grown in the run, vt_mm.fresh_files,
   are reads followed, and the core takes those of a file with new pages).
   count is what the call asked for; off is where it read from: the file
   position before it for read and readv (and preadv2 at offset -1).
   Shared memory has no readahead; O_DIRECT reads are taken as buffered
   ones. */
static void post_read(ThreadId tid, UInt sysno, UWord *args, SysRes res)
{
   (void)tid;
   if ((!vt_clo.cold_cache && !vt_mm.fresh_files) || sr_isError(res) || sr_Res(res) == 0)
      return;
   Int fd = (Int)args[0];
   ULong count = io_count(sysno == __NR_read || sysno == __NR_pread64, args);
   Long off = io_offset(sysno, args, sr_Res(res));
   struct vg_stat st;
   HChar path[1024];
   unsigned ra;
   if (off < 0 || count == 0 || VG_(fstat)(fd, &st) != 0 || !VKI_S_ISREG(st.mode) ||
       (!vt_clo.cold_cache && !vt_file_fresh(&vt_mm, st.dev, st.ino, &ra)) ||
       !vt_fd_path(fd, path, sizeof path) || vt_shmem_file(path, st.dev))
      return;
   VT_BOTH(vt_file_read, st.dev, st.ino, path, (ULong)st.size, (ULong)off, count);
}

/* Under --page-cache=machine, a file first met by a read is probed
   before the read brings its pages in. */
static void pre_read(ThreadId tid, UInt sysno, UWord *args)
{
   (void)tid; (void)sysno;
   vt_pcache_meet_fd((Int)args[0]);
}

/* ---- sendfile, splice, copy_file_range ------------------------------------

   These move a regular file's bytes through its page cache as read and
   write do (Linux 6.18, ext4; the folios measured with /proc/kpageflags,
   tests/scenarios/folio.py).  A file's side that is read is
   filemap_splice_read: a read (vt_file_read's readahead) of what the call
   asks, at most what the pipe has room for (the page-sized buffers it has
   free); a file's side that is written is iter_file_splice_write: one
   buffered write (vt_file_write: generic_perform_write) of what the pipe
   holds.  sendfile to anything but a pipe, and copy_file_range (ext4 has
   neither reflink nor a copy_file_range of its own: splice_copy_file_range),
   go through do_splice_direct: a pipe of the task's own, PIPE_DEF_BUFFERS
   pages, filled and emptied in turn; so a copy is made of reads and writes
   of 64 KiB (less the source position's offset in its page), and the
   copy's new folios are at most 16 pages (order 4), not the 2 MiB ones a
   write(2) of it all makes.  splice(2) moves one pipe's worth: a read of
   the file up to the pipe's room, or one write of what it returns.  tee
   and vmsplice move no file's pages. */
#define SPLICE_PIPE_PAGES 16            /* PIPE_DEF_BUFFERS */

/* One end of such a call, as it was before the call. */
struct splice_end {
   Bool  file;                          /* a regular file */
   Bool  written;                       /* and its writes change the model (write_target) */
   Bool  pipe;
   ULong pos;                           /* where the call starts in the file */
   struct pre_write w;                  /* its file and size */
};
static struct splice_call {
   Bool valid;
   struct splice_end in, out;
} *splice_calls;                        /* [VG_N_THREADS] */

/* fd's end of the call; offp the call's pointer to its offset (NULL: the
   file position). */
static void splice_end_at(struct splice_end *e, Int fd, UWord offp)
{
   struct vg_stat st;
   VG_(memset)(e, 0, sizeof *e);
   if (VG_(fstat)(fd, &st) != 0)
      return;
   e->pipe = VKI_S_ISFIFO(st.mode);
   if (!VKI_S_ISREG(st.mode))
      return;
   const Long *o = offp ? client_ptr(offp, sizeof *o) : NULL;
   Long pos = offp ? (o ? *o : -1) : VG_(lseek)(fd, 0, VKI_SEEK_CUR);
   if (pos < 0)
      return;
   e->pos = (ULong)pos;
   e->written = write_target(fd, &e->w);
   e->w.size = st.size;
   e->w.dev = st.dev;
   e->w.ino = st.ino;
   e->file = True;
}

/* sendfile(out, in, offset, count), splice and copy_file_range(in,
   off_in, out, off_out, len, flags). */
static void pre_splice(ThreadId tid, UInt sysno, UWord *args)
{
   if (tid >= VG_N_THREADS)
      return;
   if (!splice_calls)
      splice_calls = VT_CALLOC("vt.splice", VG_N_THREADS, sizeof *splice_calls);
   struct splice_call *c = &splice_calls[tid];
   Bool sendfile = sysno == __NR_sendfile;
   /* --page-cache=machine: both files probed before the call moves pages */
   vt_pcache_meet_fd((Int)args[sendfile ? 1 : 0]);
   vt_pcache_meet_fd((Int)args[sendfile ? 0 : 2]);
   splice_end_at(&c->in, (Int)args[sendfile ? 1 : 0], sendfile ? args[2] : args[1]);
   splice_end_at(&c->out, (Int)args[sendfile ? 0 : 2], sendfile ? 0 : args[3]);
   c->valid = c->in.file || c->out.file;
}

/* A step's read of the source: under --page-cache=cold, its readahead
   (shared memory has none; path NULL: not followed). */
static void splice_read(const struct splice_end *in, const HChar *path, ULong size,
                        ULong pos, ULong count)
{
   if (path)
      VT_BOTH(vt_file_read, in->w.dev, in->w.ino, path, size, pos, count);
}

static void splice_write(const struct splice_end *out, const HChar *path, ULong size,
                         ULong pos, ULong count)
{
   if (out->written &&
       vt_file_write_matters(&vt_mm, out->w.dev, out->w.ino, size, pos, count,
                             out->w.max_order) &&
       (vt_clo.cold_cache || !vt_shmem_file(path, out->w.dev)))
      VT_BOTH(vt_file_write, out->w.dev, out->w.ino, path, size, pos, count,
              out->w.max_order);
}

/* What filemap_splice_read of len bytes at pos asked of the page cache
   (filemap_get_pages), for a call that moved n bytes into a pipe: len, at
   most the pipe's room.  A call that moved less than len before the
   file's end filled the pipe, whose room was the buffers those bytes took
   (the first from pos's offset in its page); one that met the end leaves
   the room unseen: taken as an empty pipe of PIPE_DEF_BUFFERS, or as the
   buffers it filled if more. */
static ULong splice_asked(ULong pos, ULong n, ULong len, ULong size)
{
   ULong bufs = ((pos & (VT_PAGE_SIZE - 1)) + n + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT;
   if (n < len && pos + n >= size && bufs < SPLICE_PIPE_PAGES)
      bufs = SPLICE_PIPE_PAGES;
   return n < len && bufs * VT_PAGE_SIZE < len ? bufs * VT_PAGE_SIZE : len;
}

static void post_splice(ThreadId tid, UInt sysno, UWord *args, SysRes res)
{
   struct splice_call *c = splice_calls && tid < VG_N_THREADS ? &splice_calls[tid] : NULL;
   if (!c || !c->valid || sr_isError(res) || sr_Res(res) == 0)
      return;
   c->valid = False;
   Bool sendfile = sysno == __NR_sendfile;
   Int in_fd = (Int)args[sendfile ? 1 : 0], out_fd = (Int)args[sendfile ? 0 : 2];
   ULong n = sr_Res(res), len = sendfile ? args[3] : args[4];
   const struct splice_end *in = &c->in, *out = &c->out;
   static HChar in_path_buf[1024], out_path[1024];
   const HChar *in_path = in_path_buf;
   if (!vt_clo.cold_cache || !in->file || !vt_fd_path(in_fd, in_path_buf, sizeof in_path_buf) ||
       vt_shmem_file(in_path_buf, in->w.dev))
      in_path = NULL;
   if (!out->file || !vt_fd_path(out_fd, out_path, sizeof out_path))
      out_path[0] = 0;
   Bool same = in->file && out->file && in->w.dev == out->w.dev && in->w.ino == out->w.ino;
   if (sysno == __NR_copy_file_range || (sendfile && !out->pipe)) {
      /* do_splice_direct: the task's pipe filled from the source and
         emptied into the destination in turn */
      ULong ipos = in->pos, opos = out->pos, osize = out->w.size;
      for (ULong left = n, asked = len; left;) {
         ULong room = SPLICE_PIPE_PAGES * VT_PAGE_SIZE;
         ULong want = asked < room ? asked : room;
         ULong step = room - (ipos & (VT_PAGE_SIZE - 1));
         step = step < want ? step : want;
         step = step < left ? step : left;
         splice_read(in, in_path, same ? osize : in->w.size, ipos, want);
         splice_write(out, out_path, osize, opos, step);
         ipos += step;
         opos += step;
         osize = opos > osize ? opos : osize;
         left -= step;
         asked -= step;
      }
   } else if (in->file) {
      splice_read(in, in_path, in->w.size, in->pos, splice_asked(in->pos, n, len, in->w.size));
   } else {
      splice_write(out, out_path, out->w.size, out->pos, n);
   }
   if (out->file)
      file_changed(out_fd, out->pos >> VT_PAGE_SHIFT,
                   (out->pos + n + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT, VT_FILE_WRITTEN);
}

/* posix_fadvise(POSIX_FADV_WILLNEED) of a regular file under a cold page
   cache: generic_fadvise reads the pages from the one of the first byte to
   the one of the last (a length of 0: to the end of the file) into the
   page cache (vt_file_willneed: at most the readahead window of them, in
   order-0 folios), where the file's mapping then finds them (measured: a
   4 MiB file dropped from the cache, advised, read through a mapping a
   page in 16: 64 minor faults, no major one).  Under --page-cache=machine
   a file the model has not met yet is left to its probe, which then sees
   what the advice read. */
static void fadvise_willneed(Int fd, ULong off, ULong len)
{
   struct vg_stat st;
   HChar path[1024];
   vt_u64 pages;
   bool shmem;
   if (!vt_clo.cold_cache || VG_(fstat)(fd, &st) != 0 || !VKI_S_ISREG(st.mode) ||
       !vt_fd_path(fd, path, sizeof path) || vt_shmem_file(path, st.dev))
      return;
   if (vt_clo.machine_cache && !vt_file_known(&vt_mm, st.dev, st.ino, &pages, &shmem))
      return;
   ULong first = off >> VT_PAGE_SHIFT;
   ULong nr = len == 0 || off + len < off ? ~0ULL - first
                                          : ((off + len - 1) >> VT_PAGE_SHIFT) - first + 1;
   VT_BOTH(vt_file_willneed, st.dev, st.ino, path, (ULong)st.size, first, nr);
}

/* posix_fadvise's POSIX_FADV_NORMAL, RANDOM, SEQUENTIAL and NOREUSE of a
   regular file: the open file's readahead window and mode
   (vt_file_fadvise), under every page cache (NOREUSE changes what
   reclaim sees of its mappings; the window, what the cold and machine
   page caches and a warm file's new pages read).  The model keeps them
   per file, following its latest open (vt_file_open): the kernel's are
   the open file's, so an earlier open of the file keeps its own.  Under
   --page-cache=machine a file met here first is probed first (the advice
   changes nothing in the page cache).  A file the model does not know
   yet that is advised POSIX_FADV_NORMAL has nothing to change. */
static Bool fadvised;          /* a file was given hints (post_open) */

static void fadvise_mode(Int fd, UInt advice)
{
   struct vg_stat st;
   HChar path[1024];
   vt_u64 pages;
   bool shmem;
   if (VG_(fstat)(fd, &st) != 0 || !VKI_S_ISREG(st.mode) || !vt_fd_path(fd, path, sizeof path) ||
       vt_shmem_file(path, st.dev))
      return;
   Bool known = vt_file_known(&vt_mm, st.dev, st.ino, &pages, &shmem);
   if ((known && shmem) || (!known && advice == VT_FADV_NORMAL))
      return;
   vt_pcache_meet_fd(fd);
   fadvised = True;
   VT_BOTH(vt_file_fadvise, st.dev, st.ino, path, (ULong)st.size, advice);
}

/* readahead(2): ksys_readahead is vfs_fadvise(POSIX_FADV_WILLNEED) of the
   same range. */
static void ok_readahead(ThreadId tid, UWord *args, UWord res)
{
   (void)tid; (void)res;
   fadvise_willneed((Int)args[0], args[1], args[2]);
}

/* posix_fadvise(POSIX_FADV_DONTNEED) of a regular file: the writeback of
   the dirty pages its bytes reach begins (their shared PTEs cleaned and
   write-protected: the next write through them faults, measured), and
   under --page-cache=cold its whole pages in the range that nothing maps
   and that are clean leave the page cache (generic_fadvise: the first and
   last full page; a length of 0 reaches the end of the file). */
static void ok_fadvise64(ThreadId tid, UWord *args, UWord res)
{
   (void)tid; (void)res;
   struct vg_stat st;
   vt_u64 pages;
   bool shmem;
   if (args[3] == 3 /* POSIX_FADV_WILLNEED */) {
      fadvise_willneed((Int)args[0], args[1], args[2]);
      return;
   }
   if (args[3] <= VT_FADV_SEQUENTIAL || args[3] == VT_FADV_NOREUSE) {
      fadvise_mode((Int)args[0], (UInt)args[3]);
      return;
   }
   if (args[3] != 4 /* POSIX_FADV_DONTNEED */ ||
       VG_(fstat)((Int)args[0], &st) != 0 || !VKI_S_ISREG(st.mode) ||
       !vt_file_known(&vt_mm, st.dev, st.ino, &pages, &shmem) || shmem)
      return;
   ULong off = args[1], len = args[2];
   /* __filemap_fdatawrite_range(offset, endbyte): the writeback of the
      dirty pages the bytes reach begins (their shared PTEs' mkclean) */
   ULong last = len == 0 || off + len < off ? pages : (off + len - 1) >> VT_PAGE_SHIFT;
   if ((off >> VT_PAGE_SHIFT) <= last && (off >> VT_PAGE_SHIFT) < pages)
      VT_BOTH(vt_file_pages, st.dev, st.ino, off >> VT_PAGE_SHIFT,
              last + 1 < pages ? last + 1 : pages, VT_FILE_WRITEBACK);
   if (!vt_clo.cold_cache)
      return;
   ULong first = (off + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT;
   ULong end = len == 0 || off + len < off ? pages : (off + len) >> VT_PAGE_SHIFT;
   if (first < end)
      VT_BOTH(vt_file_pages, st.dev, st.ino, first, end, VT_FILE_DROPPED);
}

/* fsync, fdatasync and sync_file_range of a regular file: writeback.
   As it begins (folio_clear_dirty_for_io -> folio_mkclean), the shared
   mappings' PTEs of the dirty pages are cleaned and write-protected, so
   the next write through them faults again (wp_shared; measured: 256
   pages written, fsync, written again: 256 faults, as after msync
   MS_SYNC; sync_file_range of half the file, SYNC_FILE_RANGE_WRITE
   alone: 128).  Once it is waited for (fsync, fdatasync,
   SYNC_FILE_RANGE_WAIT_AFTER), the pages are clean too, which
   --page-cache=cold's POSIX_FADV_DONTNEED then drops; a sync_file_range
   that only starts the writeback leaves them dirty in the model (natively
   clean once the disk is done, which the model cannot time).  sync and
   syncfs: ok_sync.  This process's mappings only. */
static void ok_fsync(ThreadId tid, UWord *args, UWord res, UInt sysno)
{
   (void)tid; (void)res;
   struct vg_stat st;
   vt_u64 pages;
   bool shmem;
   if (VG_(fstat)((Int)args[0], &st) != 0 || !VKI_S_ISREG(st.mode) ||
       !vt_file_known(&vt_mm, st.dev, st.ino, &pages, &shmem) || shmem)
      return;
   ULong first = 0, end = pages;
   UInt op = VT_FILE_CLEANED;
   if (sysno == __NR_sync_file_range) {
      if (!(args[3] & 2))                      /* SYNC_FILE_RANGE_WRITE */
         return;
      if (!(args[3] & 4))                      /* SYNC_FILE_RANGE_WAIT_AFTER */
         op = VT_FILE_WRITEBACK;
      ULong off = args[1], len = args[2];
      first = off >> VT_PAGE_SHIFT;
      if (len && off + len >= off)
         end = (off + len + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT;
   }
   if (first < end)
      VT_BOTH(vt_file_pages, st.dev, st.ino, first, end, op);
}

/* msync(MS_SYNC): each shared mapping of a regular file in the range has
   the file's pages it maps there written back (vfs_fsync_range of that
   part of the file), as fsync does for the whole file; MS_ASYNC starts
   nothing (measured: no fault on the next writes). */
static void ok_msync(ThreadId tid, UWord *args, UWord res)
{
   (void)tid; (void)res;
   if (!(args[2] & 4 /* MS_SYNC */))
      return;
   Addr start = args[0], end = start + VT_PAGE_ALIGN(args[1]);
   for (Addr a = start; a < end;) {
      const struct vt_vma *v = vt_find_vma(&vt_mm, a);
      if (!v || v->vm_start >= end)
         break;
      Addr lo = a > v->vm_start ? a : v->vm_start, hi = end < v->vm_end ? end : v->vm_end;
      const struct vt_file *f = v->vm_file;
      if (f && !f->shmem && (v->vm_flags & VT_VM_SHARED)) {
         ULong first = v->vm_pgoff + ((lo - v->vm_start) >> VT_PAGE_SHIFT);
         VT_BOTH(vt_file_pages, f->dev, f->ino, first,
                 first + ((hi - lo) >> VT_PAGE_SHIFT), VT_FILE_CLEANED);
      }
      a = v->vm_end;
   }
}

/* sync, and syncfs of a file's filesystem: every dirty page of every file
   (of that filesystem) is written back and waited for (ksys_sync,
   sync_filesystem: sync_inodes_sb), so each regular file the model knows
   is cleaned as fsync cleans it (measured: 256 pages written through a
   shared mapping, sync or syncfs, written again: 256 faults). */
static void ok_sync(ThreadId tid, UWord *args, UWord res, Bool one_fs)
{
   (void)tid; (void)res;
   struct vg_stat st;
   if (one_fs && VG_(fstat)((Int)args[0], &st) != 0)
      return;
   for (const struct vt_file *f = vt_mm.files; f; f = f->next)
      if (!f->shmem && f->size_pages && (!one_fs || f->dev == st.dev))
         VT_BOTH(vt_file_pages, f->dev, f->ino, 0, f->size_pages, VT_FILE_CLEANED);
}

static void ok_sync_all(ThreadId tid, UWord *args, UWord res)
{
   ok_sync(tid, args, res, False);
}

static void ok_syncfs(ThreadId tid, UWord *args, UWord res)
{
   ok_sync(tid, args, res, True);
}

static void ok_fsync_fd(ThreadId tid, UWord *args, UWord res)
{
   ok_fsync(tid, args, res, __NR_fsync);
}

static void ok_sync_file_range(ThreadId tid, UWord *args, UWord res)
{
   ok_fsync(tid, args, res, __NR_sync_file_range);
}

/* open, openat and creat of a regular file: with O_TRUNC, a file the
   model knows loses its pages; under --page-cache=cold, a new open file,
   whose readahead state starts afresh (under every page cache, once the
   run has given a file hints: fadvise_mode).  (A post handler, not an ok one:
   those set the simulation's clock first, which a warm run has no reason
   to unless it truncates.) */
static void post_open(ThreadId tid, UInt sysno, UWord *args, SysRes res)
{
   (void)tid;
   struct vg_stat st;
   UWord flags = sysno == __NR_openat ? args[2] : sysno == __NR_creat ? VKI_O_TRUNC : args[1];
   if ((!vt_clo.cold_cache && !(flags & VKI_O_TRUNC) && !fadvised) || sr_isError(res) ||
       VG_(fstat)((Int)sr_Res(res), &st) != 0 || !VKI_S_ISREG(st.mode))
      return;
   /* O_TRUNC (creat): do_truncate, whose truncate_pagecache takes the
      file's pages out of the page cache and every mapping of it */
   vt_u64 pages;
   bool shmem;
   if ((flags & VKI_O_TRUNC) && vt_file_known(&vt_mm, st.dev, st.ino, &pages, &shmem) &&
       pages != (st.size + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT) {
      vt_set_clock(&vt_mm, vt_insns, vt_insns, vt_mm.sim_order);
      VT_BOTH(vt_file_resize, st.dev, st.ino, (ULong)st.size);
   }
   if (vt_clo.cold_cache || fadvised)
      VT_BOTH(vt_file_open, st.dev, st.ino);
}

/* A write to a pipe or socket nobody reads any more: EPIPE, and SIGPIPE
   unless the call asked for none (MSG_NOSIGNAL). */
static void post_write(ThreadId tid, UInt sysno, UWord *args, SysRes res)
{
   if (!sr_isError(res) && sr_Res(res) > 0)
      wrote_file(tid, sysno, args, sr_Res(res));
   /* a few bytes written may be a new oom_score_adj (the trace keeps it) */
   if (sysno == __NR_write && !sr_isError(res) && sr_Res(res) <= 16 && vt_recording)
      vt_rec_oom_adj_write((Int)args[0]);
   if (!sr_isError(res) || sr_Err(res) != VKI_EPIPE)
      return;
   UWord flags = sysno == __NR_sendto ? args[3] : sysno == __NR_sendmsg ? args[2] : 0;
   if (!(flags & 0x4000 /* MSG_NOSIGNAL */))
      vt_signal_fatal(VKI_SIGPIPE, False);
}

/* The kernel read [a, a + len) through a pinning get_user_pages
   (FOLL_PIN): a page shared copy-on-write since a fork takes an unshare
   fault before its read (vt_gup_unshare). */
static void charge_pinned_read(Addr a, SizeT len)
{
   if (len == 0)
      return;
   Addr last = (a + len - 1) & VT_PAGE_MASK;
   for (Addr p = a & VT_PAGE_MASK;; p += VT_PAGE_SIZE) {
      if (vt_access_ok(&vt_mm, p, VT_ACC_READ)) {
         VT_BOTH(vt_gup_unshare, p, VT_PAGE_SIZE);
         vt_access_range(p, 1, VT_ACC_READ);
      }
      if (p == last)
         break;
   }
}

/* process_vm_readv and process_vm_writev naming the caller's own pid:
   the "remote" side is this process's memory, which Valgrind does not
   announce (only the local iovecs).  The kernel reads (readv) or writes
   (writev) it through get_user_pages (pinning: readv's unshare faults),
   faulting in what is not mapped so:
   the first `done` bytes of the remote iovecs, in order (charge: a page
   the model finds invalid the kernel did not reach). */
static void remote_self(UWord *args, UWord done, enum vt_access acc)
{
   if ((Int)args[0] != VG_(getpid)() || args[4] == 0)
      return;
   const struct vki_iovec *iov = client_ptr(args[3], args[4] * sizeof *iov);
   if (!iov)
      return;
   for (UWord i = 0; i < args[4] && done; i++) {
      SizeT n = iov[i].iov_len < done ? iov[i].iov_len : done;
      done -= n;
      if (acc == VT_ACC_READ)
         charge_pinned_read((Addr)iov[i].iov_base, n);
      else
         charge((Addr)iov[i].iov_base, n, acc);
   }
}

static void ok_process_vm_readv(ThreadId tid, UWord *args, UWord res)
{
   (void)tid;
   remote_self(args, res, VT_ACC_READ);
}

static void ok_process_vm_writev(ThreadId tid, UWord *args, UWord res)
{
   (void)tid;
   remote_self(args, res, VT_ACC_WRITE);
}

/* The children a parent reaps, with their status as wait4 reports it. */
static void ok_wait4(ThreadId tid, UWord *args, UWord res)
{
   (void)tid;
   const Int *status = client_ptr(args[1], sizeof(Int));
   if ((Int)res > 0 && status)
      vt_child_reaped((Int)res, *status);
}

/* A file changed size: its pages past the new end are gone (SIGBUS). */
static void ok_ftruncate(ThreadId tid, UWord *args, UWord res)
{
   (void)res;
   struct vg_stat st;
   if (VG_(fstat)((Int)args[0], &st) == 0 && !grew_unknown(tid, (Int)args[0], NULL, &st)) {
      VT_BOTH(vt_file_resize, st.dev, st.ino, (ULong)st.size);
      fresh_ra_fd((Int)args[0], &st);
   }
}

static void ok_truncate(ThreadId tid, UWord *args, UWord res)
{
   (void)res;
   struct vg_stat st;
   const HChar *path = client_ptr(args[0], 1);
   if (path && !sr_isError(VG_(stat)(path, &st)) && !grew_unknown(tid, -1, path, &st)) {
      VT_BOTH(vt_file_resize, st.dev, st.ino, (ULong)st.size);
      fresh_ra(st.dev, st.ino, path, (ULong)st.size);
   }
}

/* Valgrind's address-space manager refuses a mapping of 64 GiB or more
   (EINVAL), where Linux maps it (a MAP_NORESERVE reservation): the program
   goes on as it would not natively.  Said once a process. */
static void post_mmap(ThreadId tid, UInt sysno, UWord *args, SysRes res)
{
   (void)tid; (void)sysno;
   static Bool warned;
   if (warned || !sr_isError(res) || sr_Err(res) != VKI_EINVAL || args[1] < (64ULL << 30))
      return;
   warned = True;
   VG_(umsg)("warning: mmap of %'llu bytes failed (EINVAL): Valgrind cannot map 64 GiB "
             "or more at once, where Linux can; the program goes on as it would not "
             "natively\n", (ULong)args[1]);
}

/* Valgrind gives the client's heap a fixed segment: brk cannot move the
   break more than 8 MiB - 4 KiB past its start, where Linux grows it as
   long as RLIMIT_DATA and the room allow.  A refused brk returns the old
   break; glibc's malloc then goes on with mmap, so the [heap]'s and the
   anonymous mappings' figures are not the kernel's (gcc -O2's cc1 on a
   2,200-line file: 2,963 faults in [heap] here, 3,751 natively, and 435
   more in anonymous mappings).  Said once a process. */
#define VALGRIND_BRK_MAX ((8ULL << 20) - 4096)

static void post_brk(ThreadId tid, UInt sysno, UWord *args, SysRes res)
{
   (void)tid; (void)sysno;
   static Bool warned;
   struct vki_rlimit rl;
   if (warned || sr_isError(res) || args[0] <= sr_Res(res) || !vt_mm.start_brk ||
       args[0] <= vt_mm.start_brk || args[0] - vt_mm.start_brk <= VALGRIND_BRK_MAX)
      return;
   if (VG_(getrlimit)(VKI_RLIMIT_DATA, &rl) == 0 &&
       args[0] - vt_mm.start_brk > rl.rlim_cur)
      return;                          /* refused natively too */
   warned = True;
   VG_(umsg)("warning: brk could not grow the heap past 8 MiB: Valgrind gives it a fixed "
             "segment, where Linux grows it on; malloc goes on with mmap, so the [heap]'s "
             "and anonymous mappings' figures are not the kernel's\n");
}

/* io_uring: the kernel reads and writes the buffers its requests name
   when it runs them, at io_uring_enter or later from its own workers, and
   Valgrind 3.19's wrappers announce none of it (nor do they know which
   request a completion ends); the rings Linux maps whole at mmap
   (io_uring_mmap inserts their pages: no fault ever), where the model
   takes them for shared memory that faults in page by page.  Not modelled:
   the process says so, in the log once and in run.unmodelled, so that its
   figures for those pages are not taken for the kernel's.  (Measured, Linux
   6.18: a read of 4 pages of a cached file into 8 untouched ones costs 4
   `anon` inside io_uring_enter, reading the 8 then 4 `zero`, writing them
   4 `wp_copy`; the model sees 0, 8 `zero`, 8 `wp_copy`, and 3 faults on
   the rings.) */
UInt vt_unmodelled;
const HChar *const vt_unmodelled_names[VT_NR_UNMODELLED] = { "io_uring", "MADV_PAGEOUT" };

void vt_note_unmodelled(UInt what, const HChar *warning)
{
   tl_assert(what < VT_NR_UNMODELLED);
   if (vt_unmodelled & (1u << what))
      return;
   vt_unmodelled |= 1u << what;
   vt_rec_unmodelled(what);
   VG_(umsg)("warning: %s (run.unmodelled)\n", warning);
}

static void ok_io_uring_setup(ThreadId tid, UWord *args, UWord res)
{
   (void)tid; (void)args; (void)res;
   vt_note_unmodelled(VT_UNMODELLED_IO_URING,
                      "io_uring is not modelled: the kernel's reads and writes of the buffers "
                      "its requests name are not seen, and rings mapped with mmap fault here, "
                      "where Linux maps them whole: the figures of those pages are not the "
                      "kernel's");
}

/* ---- the table ---------------------------------------------------------- */

#define SYSNO_MAX 512
static const struct handler {
   UInt sysno;
   void (*pre)(ThreadId tid, UInt sysno, UWord *args);
   void (*post)(ThreadId tid, UInt sysno, UWord *args, SysRes res);
   void (*ok)(ThreadId tid, UWord *args, UWord res);
} handlers[] = {
   { __NR_execve, pre_execve, NULL, NULL },
   { __NR_execveat, pre_execve, NULL, NULL },
   { __NR_exit, pre_exit, NULL, NULL },
   { __NR_exit_group, pre_exit_group, NULL, NULL },
   { __NR_kill, pre_kill, NULL, NULL },
   { __NR_tkill, pre_tkill, NULL, NULL },
   { __NR_tgkill, pre_tgkill, NULL, NULL },
   { __NR_rt_sigaction, NULL, NULL, ok_rt_sigaction },
   { __NR_rt_sigprocmask, NULL, NULL, ok_rt_sigprocmask },
   { __NR_write, pre_write, post_write, NULL },
   { __NR_writev, pre_write, post_write, NULL },
   { __NR_pwrite64, pre_write, post_write, NULL },
   { __NR_pwritev, pre_write, post_write, NULL },
   { __NR_pwritev2, pre_write, post_write, NULL },
   { __NR_sendto, NULL, post_write, NULL },
   { __NR_sendmsg, NULL, post_write, NULL },
   { __NR_open, NULL, post_open, NULL },
   { __NR_openat, NULL, post_open, NULL },
   { __NR_creat, NULL, post_open, NULL },
   { __NR_fadvise64, NULL, NULL, ok_fadvise64 },
   { __NR_readahead, NULL, NULL, ok_readahead },
   { __NR_fsync, NULL, NULL, ok_fsync_fd },
   { __NR_sync, NULL, NULL, ok_sync_all },
   { __NR_syncfs, NULL, NULL, ok_syncfs },
   { __NR_fdatasync, NULL, NULL, ok_fsync_fd },
   { __NR_sync_file_range, NULL, NULL, ok_sync_file_range },
   { __NR_msync, NULL, NULL, ok_msync },
   { __NR_read, pre_read, post_read, NULL },
   { __NR_readv, pre_read, post_read, NULL },
   { __NR_pread64, pre_read, post_read, NULL },
   { __NR_preadv, pre_read, post_read, NULL },
   { __NR_preadv2, pre_read, post_read, NULL },
   { __NR_sendfile, pre_splice, post_splice, NULL },
   { __NR_splice, pre_splice, post_splice, NULL },
   { __NR_copy_file_range, pre_splice, post_splice, NULL },
   { __NR_wait4, NULL, NULL, ok_wait4 },
   { __NR_process_vm_readv, NULL, NULL, ok_process_vm_readv },
   { __NR_process_vm_writev, NULL, NULL, ok_process_vm_writev },
   { __NR_ftruncate, pre_grow, NULL, ok_ftruncate },
   { __NR_truncate, pre_grow, NULL, ok_truncate },
   { __NR_fallocate, pre_grow, NULL, ok_fallocate },
   { __NR_fork, vt_fork_pre, vt_fork_post, NULL },
   { __NR_vfork, vt_fork_pre, vt_fork_post, NULL },
   { __NR_clone, vt_fork_pre, vt_fork_post, NULL },
   { __NR_mmap, vt_pre_mmap, post_mmap, vt_sys_mmap },
   { __NR_brk, NULL, post_brk, NULL },
   { __NR_munmap, NULL, NULL, vt_sys_munmap },
   { __NR_mprotect, NULL, vt_sys_mprotect_failed, vt_sys_mprotect },
   { __NR_pkey_mprotect, NULL, vt_sys_mprotect_failed, vt_sys_mprotect },
   { __NR_mremap, NULL, NULL, vt_sys_mremap },
   { __NR_madvise, NULL, vt_sys_madvise_failed, vt_sys_madvise },
   { __NR_prctl, NULL, NULL, vt_sys_prctl },
   { __NR_mlock, NULL, vt_sys_mlock_failed, vt_sys_mlock },
   { __NR_mlock2, NULL, NULL, vt_sys_mlock },
   { __NR_munlock, NULL, vt_sys_mlock_failed, vt_sys_munlock },
   { __NR_mlockall, NULL, NULL, vt_sys_mlockall },
   { __NR_munlockall, NULL, NULL, vt_sys_munlockall },
   { __NR_shmat, NULL, NULL, vt_sys_shmat },
   { __NR_shmdt, NULL, NULL, vt_sys_shmdt },
   { __NR_io_uring_setup, NULL, NULL, ok_io_uring_setup },
};
static const struct handler *by_sysno[SYSNO_MAX];

static const struct handler *handler_of(UInt sysno)
{
   if (!by_sysno[handlers[0].sysno])
      for (UInt i = 0; i < sizeof handlers / sizeof handlers[0]; i++) {
         tl_assert(handlers[i].sysno < SYSNO_MAX);
         by_sysno[handlers[i].sysno] = &handlers[i];
      }
   return sysno < SYSNO_MAX ? by_sysno[sysno] : NULL;
}

/* Calls that may keep the process waiting: the state it waits in is
   sampled (vt_sample_block_begin).  A read waits only on a pipe, socket or
   terminal, not on a regular file. */
static Bool may_wait(UInt sysno, UWord *args)
{
   switch (sysno) {
   case __NR_wait4: case __NR_waitid: case __NR_nanosleep: case __NR_clock_nanosleep:
   case __NR_pause: case __NR_rt_sigsuspend: case __NR_poll: case __NR_ppoll:
   case __NR_select: case __NR_pselect6: case __NR_epoll_wait: case __NR_epoll_pwait:
   case __NR_accept: case __NR_accept4: case __NR_msgrcv: case __NR_semop:
      return True;
   case __NR_read: case __NR_readv: case __NR_recvfrom: case __NR_recvmsg: {
      struct vg_stat st;
      return VG_(fstat)((Int)args[0], &st) == 0 && !VKI_S_ISREG(st.mode);
   }
   default:
      return False;
   }
}

/* Each thread's current call took a sample as it began. */
static Bool *call_sampled;

void vt_pre_syscall(ThreadId tid, UInt sysno, UWord *args, UInt nArgs)
{
   (void)nArgs;
   if (!call_sampled)
      call_sampled = VT_CALLOC("vt.calls", VG_N_THREADS, sizeof *call_sampled);
   if (tid < VG_N_THREADS)
      call_sampled[tid] = may_wait(sysno, args) && vt_sample_block_begin();
   /* A system call may change what pages are (unmap, protect, remap):
      the hits the filter absorbed are delivered before, under the
      identity they had. */
   vt_filter_deliver(&vt_flt);
   defer_begin(tid, sysno, args);
   const struct handler *h = handler_of(sysno);
   if (h && h->pre)
      h->pre(tid, sysno, args);
}

void vt_post_syscall(ThreadId tid, UInt sysno, UWord *args, UInt nArgs,
                     SysRes res)
{
   (void)nArgs;
   /* What the call may have waited for (a pipe, a wait, a futex) may be
      another process's truncation or punch: made here first. */
   vt_share_syscall_done(sysno);
   charge_deferred(tid, args, res);
   vt_rec_clock();              /* where the processes of a tree meet */
   if (tid < VG_N_THREADS && call_sampled && call_sampled[tid])
      vt_sample_block_end();
   const struct handler *h = handler_of(sysno);
   if (!h)
      return;
   if (h->post)
      h->post(tid, sysno, args, res);
   if (h->ok && !sr_isError(res)) {
      vt_set_clock(&vt_mm, vt_insns, vt_insns, vt_mm.sim_order);
      h->ok(tid, args, sr_Res(res));
   }
}
