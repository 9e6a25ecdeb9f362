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
#include "vt_tool.h"

Int vt_fatal_signal;
Int vt_exit_code;
Bool vt_exit_seen;
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
   d->n = 0;
   d->null_sink = transfers_out(sysno) && sysno != __NR_sendto &&
                  sysno != __NR_sendmsg && is_null_sink((Int)args[0]);
}

static void charge_deferred(ThreadId tid, SysRes res)
{
   if (!deferred || tid >= VG_N_THREADS || !deferred[tid].active)
      return;
   struct deferred *d = &deferred[tid];
   d->active = False;
   if (sr_isError(res) || d->null_sink)
      return;
   SizeT budget = transfers_out(d->sysno) ? (SizeT)sr_Res(res) : ~(SizeT)0;
   for (UInt i = 0; i < d->n && budget; i++) {
      SizeT n = d->len[i] < budget ? d->len[i] : budget;
      vt_access_range(d->a[i], n, VT_ACC_READ);
      if (budget != ~(SizeT)0)
         budget -= n;
   }
}

/* ---- the process ------------------------------------------------------ */

/* A successful execve replaces this process image without running the
   tool's fini: write the output now (status "exec"); if the execve fails,
   the file is written again at exit. */
static void pre_execve(ThreadId tid, UInt sysno, UWord *args)
{
   (void)tid; (void)sysno; (void)args;
   vt_set_clock(&vt_mm, vt_insns, vt_insns, vt_mm.sim_order);
   vt_exec_pending = True;
   vt_finish(0);
   vt_exec_pending = False;
}

/* Valgrind passes fini no exit status: keep the one the program gives. */
static void pre_exit(ThreadId tid, UInt sysno, UWord *args)
{
   (void)tid; (void)sysno;
   if (!vt_exit_seen)
      vt_exit_code = (Int)(args[0] & 0xff);
}

static void pre_exit_group(ThreadId tid, UInt sysno, UWord *args)
{
   (void)tid; (void)sysno;
   vt_exit_code = (Int)(args[0] & 0xff);
   vt_exit_seen = True;
}

/* abort() and raise() end here; a handler, if any, clears it again
   (vt_pre_deliver_signal). */
static void pre_kill(ThreadId tid, UInt sysno, UWord *args)
{
   (void)tid; (void)sysno;
   if (args[0] == (UWord)VG_(getpid)())
      vt_fatal_signal = (Int)args[1];
}

static void pre_tkill(ThreadId tid, UInt sysno, UWord *args)
{
   (void)tid; (void)sysno;
   if (args[0] == (UWord)VG_(gettid)())
      vt_fatal_signal = (Int)args[1];
}

static void pre_tgkill(ThreadId tid, UInt sysno, UWord *args)
{
   (void)tid; (void)sysno;
   if (args[0] == (UWord)VG_(getpid)() && args[1] == (UWord)VG_(gettid)())
      vt_fatal_signal = (Int)args[2];
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
   { __NR_fork, vt_fork_pre, vt_fork_post, NULL },
   { __NR_vfork, vt_fork_pre, vt_fork_post, NULL },
   { __NR_clone, vt_fork_pre, vt_fork_post, NULL },
   { __NR_mmap, NULL, NULL, vt_sys_mmap },
   { __NR_munmap, NULL, NULL, vt_sys_munmap },
   { __NR_mprotect, NULL, NULL, vt_sys_mprotect },
   { __NR_pkey_mprotect, NULL, NULL, vt_sys_mprotect },
   { __NR_mremap, NULL, NULL, vt_sys_mremap },
   { __NR_madvise, NULL, NULL, vt_sys_madvise },
   { __NR_mlock, NULL, NULL, vt_sys_mlock },
   { __NR_mlock2, NULL, NULL, vt_sys_mlock },
   { __NR_munlock, NULL, NULL, vt_sys_munlock },
   { __NR_mlockall, NULL, NULL, vt_sys_mlockall },
   { __NR_munlockall, NULL, NULL, vt_sys_munlockall },
   { __NR_shmat, NULL, NULL, vt_sys_shmat },
   { __NR_shmdt, NULL, NULL, vt_sys_shmdt },
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

void vt_pre_syscall(ThreadId tid, UInt sysno, UWord *args, UInt nArgs)
{
   (void)nArgs;
   /* A system call may change what pages are (unmap, protect, remap):
      the hits the filter absorbed are delivered before, under the
      identity they had. */
   vt_hits_flush();
   defer_begin(tid, sysno, args);
   const struct handler *h = handler_of(sysno);
   if (h && h->pre)
      h->pre(tid, sysno, args);
}

void vt_post_syscall(ThreadId tid, UInt sysno, UWord *args, UInt nArgs,
                     SysRes res)
{
   (void)nArgs;
   charge_deferred(tid, res);
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
