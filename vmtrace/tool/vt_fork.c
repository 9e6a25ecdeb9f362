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
   vt_clock_reset();
   vt_misses = 0;
   vt_set_clock(&vt_mm, 0, vt_mm.sim_now, vt_mm.sim_order);
   /* After a vfork the child borrows the parent's memory: nothing is
      copied or write-protected, only the figures start afresh. */
   vt_ppid = fork_parent;
   vt_rec_child(vt_ppid);      /* the child's own trace, from its parent's */
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
