/* vt_fork.c: processes.  fork, vfork and clone seen from the system-call
   wrappers: the parent's pages become copy-on-write (the core's
   vt_fork_prepare), what the processes share goes through the share log
   (vt_sharelog.c), and the child starts figures and output of its own.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_vki.h"
#include "pub_tool_vkiscnums.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_mallocfree.h"
#include "vt_tool.h"

ULong vt_fork_time;          /* the parent's clock at fork; 0: first process */
Int   vt_ppid;               /* the parent at the process's start: the forking
                                process, or for the first process the one
                                getppid names at its start */
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

/* ---- what a vfork child faults in is its parent's ---------------------

   Natively a vfork child borrows its parent's address space, and the
   parent is suspended until the child execs or exits (mm_release wakes
   it): every page the child faulted in is then the parent's, present,
   dirty if written, and the parent's own touches of it cost nothing.
   Valgrind runs vfork as a fork: the child has a copy of the memory and
   the parent runs on at once.  So the parent makes a pipe before the
   call; the child inherits its write end and, at its exec or exit
   (vt_vfork_release), writes there the pages it faulted in and closes
   it; the parent, in the call's post-syscall, reads to the end of the
   pipe, which comes when the child has written, or has died however
   (the kernel closes the descriptor), or has exec'd: only then does it go
   on, as natively it would, and its model takes the pages in
   (vfork_apply).  A failed exec closes nothing: the parent waits on
   until the exec that succeeds or the exit.  Both ends live among the
   descriptors Valgrind reserves (vt_share_out_of_reach), where a child
   that closes every descriptor before it execs cannot reach them; the
   child's children (and the parent's, should another thread fork) close
   what they inherit at once. */
static Int vf_rfd = -1, vf_wfd = -1;   /* the parent's, between pre and post */
static Int vf_to_parent = -1;          /* in a vfork child: the write end */
static ULong *vf_recs;                 /* the child's faults: page | access */
static UInt vf_nr, vf_cap;

/* In a vfork child, a fault the model counted: the page is the parent's
   too (vt_on_fault). */
void vt_vfork_note_fault(vt_addr addr, enum vt_access acc)
{
   if (vf_to_parent < 0)
      return;
   if (vf_nr == vf_cap) {
      vf_cap = vf_cap ? vf_cap * 2 : 64;
      ULong *n = VT_CALLOC("vt.vfork", vf_cap, sizeof *n);
      if (vf_recs) {
         VG_(memcpy)(n, vf_recs, vf_nr * sizeof *n);
         VG_(free)(vf_recs);
      }
      vf_recs = n;
   }
   vf_recs[vf_nr++] = (addr & ~(ULong)(VT_PAGE_SIZE - 1)) | (ULong)acc;
}

/* The vfork child execs or exits: its faults go to the parent, who waits
   for the pipe's end. */
void vt_vfork_release(void)
{
   if (vf_to_parent < 0)
      return;
   const UChar *b = (const UChar *)vf_recs;
   Int left = (Int)(vf_nr * sizeof *vf_recs);
   while (left > 0) {
      Int w = VG_(write)(vf_to_parent, b, left);
      if (w <= 0)
         break;
      b += w;
      left -= w;
   }
   VG_(close)(vf_to_parent);
   vf_to_parent = -1;
   vf_nr = 0;
}

static void close_fd(Int *fd)
{
   if (*fd >= 0)
      VG_(close)(*fd);
   *fd = -1;
}

/* In the parent once the child has exec'd or exited: the pages it faulted
   in, faulted in here as the one address space has them, counted
   nowhere (the child's file counted them): figures paused, the core's
   populate (which takes a written private page for done and a read any
   present page, as the child's fault left them). */
static void vfork_apply(const ULong *r, UInt n)
{
   if (!n)
      return;
   Bool was = vt_mm.collecting;
   VT_BOTH(vt_set_collecting, False);
   for (UInt i = 0; i < n; i++) {
      vt_addr page = (vt_addr)(r[i] & ~(ULong)(VT_PAGE_SIZE - 1));
      Bool write = (r[i] & (VT_PAGE_SIZE - 1)) == VT_ACC_WRITE;
      VT_BOTH(vt_madvise_populate, page, VT_PAGE_SIZE, write);
   }
   VT_BOTH(vt_set_collecting, was);
}

/* In the parent after a successful vfork: wait for the child's exec or
   exit, then take its pages. */
static void vfork_wait(void)
{
   close_fd(&vf_wfd);
   if (vf_rfd < 0)
      return;
   ULong *r = NULL;
   UInt n = 0, cap = 0;
   ULong buf[512];
   Int have = 0;                     /* bytes in buf */
   for (;;) {
      Int got = VG_(read)(vf_rfd, (UChar *)buf + have, (Int)sizeof buf - have);
      if (got <= 0)
         break;
      have += got;
      UInt whole = (UInt)have / sizeof buf[0];
      if (n + whole > cap) {
         cap = (n + whole) * 2;
         ULong *nr = VT_CALLOC("vt.vfork", cap, sizeof *nr);
         if (r) {
            VG_(memcpy)(nr, r, n * sizeof *nr);
            VG_(free)(r);
         }
         r = nr;
      }
      VG_(memcpy)(r + n, buf, whole * sizeof buf[0]);
      n += whole;
      have -= (Int)(whole * sizeof buf[0]);
      if (have)
         VG_(memmove)(buf, (UChar *)buf + whole * sizeof buf[0], have);
   }
   close_fd(&vf_rfd);
   vfork_apply(r, n);
   if (r)
      VG_(free)(r);
}

static ULong fork_wall_ms;    /* when the fork began */
/* The forking process, as the child's parent: taken before the fork (the
   child gets a copy), since by the time the child asks the kernel its
   parent may have exited and it may have been reparented already. */
static Int fork_parent;

void vt_fork_pre(ThreadId tid, UInt sysno, UWord *args)
{
   (void)tid;
   if (!is_fork(sysno, args))
      return;
   fork_wall_ms = vt_wall_ms();
   fork_parent = VG_(getpid)();
   vt_set_clock(&vt_mm, vt_insns, vt_insns, vt_mm.sim_order);
   vt_rec_flush();             /* the child's trace begins where the parent's is */
   Bool copying = is_copying_fork(sysno, args);
   vt_share_fork(copying);
   if (copying) {
      vt_fork_prepare(&vt_mm);
      vt_cmp_fork_prepare();
      fork_pending = 1;
   } else {
      fork_pending = 2;
      Int fds[2];
      if (VG_(pipe)(fds) == 0) {
         vf_rfd = vt_share_out_of_reach(fds[0]);
         vf_wfd = vt_share_out_of_reach(fds[1]);
      }
   }
}

static void undo_pte(void *ctx, vt_addr addr, vt_pte *ptep)
{
   const struct vt_mm *mm = ctx;
   (void)addr;
   if (*ptep & VT_PTE_COW)
      vt_share_frame_release(NULL, mm->frames[VT_PTE_FRAME(*ptep)]);
}

static void undo_fork(struct vt_mm *mm)
{
   for (UInt i = 0; i < mm->nr_vmas; i++)
      vt_walk_ptes(mm, mm->vmas[i].vm_start, mm->vmas[i].vm_end, undo_pte, mm);
}

/* In the parent after the call: a fork that failed created no child, so
   the frames it would have shared lose that holder again. */
void vt_fork_post(ThreadId tid, UInt sysno, UWord *args, SysRes res)
{
   (void)tid; (void)sysno; (void)args;
   Int kind = fork_pending;
   fork_pending = 0;
   /* The parent's memory once it shares it (a parent blocked in waitpid
      would take no sample until the child is gone), from the moment of the
      fork: the child may have run and sampled before the parent returns,
      and a tree's memory at that time must not count the parent's pages
      as its own alone. */
   if (kind && !sr_isError(res) && sr_Res(res) != 0)
      vt_sample_now_at(fork_wall_ms);
   if (kind == 2 && !sr_isError(res))
      vfork_wait();
   close_fd(&vf_wfd);
   close_fd(&vf_rfd);
   if (kind == 1 && sr_isError(res)) {
      undo_fork(&vt_mm);
      if (vt_cmp_mm)
         undo_fork(vt_cmp_mm);
   }
}

void vt_fork_child_hook(ThreadId tid)
{
   (void)tid;
   Int kind = fork_pending;
   fork_pending = 0;
   vt_fork_time = vt_insns;
   vt_is_forked_child = True;
   vt_share_child();           /* before anything reads the log */
   vt_clock_reset();
   vt_misses = 0;
   vt_set_clock(&vt_mm, 0, vt_mm.sim_now, vt_mm.sim_order);
   /* After a vfork the child borrows the parent's memory: nothing is
      copied or write-protected, only the figures start afresh. */
   vt_ppid = fork_parent;
   vt_rec_child(vt_ppid);      /* the child's own trace, from its parent's */
   /* a pipe to a vfork parent is the borrower's alone: not its children's */
   close_fd(&vf_to_parent);
   vf_nr = 0;
   close_fd(&vf_rfd);
   if (kind == 2)
      vf_to_parent = vf_wfd;
   else
      close_fd(&vf_wfd);
   vf_wfd = -1;
   if (kind != 1) {
      vt_share_borrowed();     /* the parent's frames and file pages stay
                                  the parent's */
      vt_is_vfork_child = True;
   }
   vt_fork_child(&vt_mm, kind == 1);
   vt_filter_epoch_at(&vt_flt, 0);   /* the child's clock starts at 0 */
   vt_cmp_fork_child(kind == 1);
   vt_rec_clock();             /* the child's start, for a tree's replay */
   vt_memsim_child();
   vt_collect_child();
   vt_signal_child();
   vt_nr_children = 0;
   vt_progress_child();
   vt_sample_init();
   vt_sample_now();            /* the child's memory at its start */
   vt_child_reset_output();
   vt_start_time_ms = vt_wall_ms();
}

/* ---- children reaped -------------------------------------------------- */

struct vt_child vt_children[VT_MAX_CHILDREN];
UInt vt_nr_children;

/* wait4 returned child pid with status (as the kernel encodes it). */
void vt_child_reaped(Int pid, Int status)
{
   if (vt_nr_children < VT_MAX_CHILDREN) {
      vt_children[vt_nr_children].pid = pid;
      vt_children[vt_nr_children].status = status;
   }
   vt_nr_children++;
}
