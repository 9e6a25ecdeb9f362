/* vt_signal.c: how the client ends: its exit status, or the signal it dies
   of.  Valgrind gives the tool's fini no status at all (always 0) and no
   hook when a signal kills the client with its default action, so the end
   is told from what the tool sees:

   - exit_group, or the last living thread's exit: an exit with that status; a
     process that reached it did not die of a signal, whatever it met
     before (a SIGSEGV its handler recovered, a stack grown by the kernel).
   - otherwise the process died of a signal: the one its last events make
     certain, each noted when it happens and forgotten when a handler of
     the client's takes it (track_pre_deliver_signal): an invalid access
     (SIGSEGV, or SIGBUS beyond the end of a file), kill/tkill/tgkill of
     itself, a write to a broken pipe (EPIPE: SIGPIPE unless ignored or
     blocked), an undecodable instruction or ud2 (SIGILL), int3 (SIGTRAP),
     an integer division by zero (SIGFPE);
   - a signal from another process (SIGTERM from kill or timeout, SIGINT
     from a terminal) leaves no trace the tool can see: the output says
     the process died of a signal without its number (null), and a parent
     under vmtrace records in its own output the status wait4 reported
     for each child it reaped (docs/output-format.md: children).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_vki.h"
#include "pub_tool_vkiscnums.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_threadstate.h"
#include "vt_tool.h"

Int  vt_fatal_signal;               /* the signal the client is about to die of */
Int  vt_exit_code;
Bool vt_exit_seen;                  /* exit_group (or the last thread's exit) */

#define NSIG 64
/* The client's dispositions: SIG_DFL (0), SIG_IGN (1) or a handler. */
static UWord disposition[NSIG + 1];
/* The signals each thread blocks (bit sig - 1), by ThreadId: a mask is a
   thread's own (glibc blocks every signal in a thread that is about to
   exit, which says nothing of the others).  A new thread starts with its
   creator's.  SIGKILL and SIGSTOP are never blocked (sigprocmask drops
   them). */
static ULong *blocked;
#define UNBLOCKABLE ((1ULL << (VKI_SIGKILL - 1)) | (1ULL << (VKI_SIGSTOP - 1)))

static ULong *mask_of(ThreadId tid)
{
   static ULong none;
   if (!blocked)
      blocked = VT_CALLOC("vt.sigmask", VG_N_THREADS, sizeof *blocked);
   return tid < VG_N_THREADS ? &blocked[tid] : &none;
}

/* Signals whose default action is to ignore them. */
static Bool ignored_by_default(Int sig)
{
   return sig == VKI_SIGCHLD || sig == VKI_SIGURG || sig == VKI_SIGWINCH ||
          sig == VKI_SIGCONT;
}

/* The client is about to get sig, with the default action it dies of it
   (a synchronous signal is delivered even if ignored or blocked: Valgrind,
   as the kernel, forces it). */
void vt_signal_fatal(Int sig, Bool forced)
{
   if (sig <= 0 || sig > NSIG || ignored_by_default(sig))
      return;
   if (!forced && (disposition[sig] == 1 /* SIG_IGN */ ||
                   (*mask_of(VG_(get_running_tid)()) >> (sig - 1) & 1)))
      return;
   if (disposition[sig] > 1 && !forced)
      return;                          /* its handler runs */
   vt_fatal_signal = sig;
   vt_progress_clear();                /* before Valgrind says why it ends */
}

/* A handler of the client's takes the signal: it does not kill. */
void vt_signal_delivered(Int sig)
{
   if (sig == vt_fatal_signal)
      vt_fatal_signal = 0;
}

/* The client's living threads (Valgrind's pre_thread_ll_create and
   pre_thread_ll_exit, the main thread's creation included); a forked
   child has one. */
static Int live_threads;

void vt_thread_created(ThreadId tid, ThreadId child)
{
   live_threads++;
   *mask_of(child) = tid == VG_INVALID_THREADID ? 0 : *mask_of(tid);
}

void vt_thread_exited(ThreadId tid)
{
   (void)tid;
   live_threads--;
}

/* exit_group ends the process with its code; exit ends one thread, and
   the process only if it is the last one alive (the process's status is
   then that thread's code).  A thread that returned (pthread_exit: exit(0))
   before the process died of a signal says nothing of how it ends. */
void vt_signal_exit(Int code, Bool whole_process)
{
   if (!whole_process && live_threads > 1)
      return;
   vt_exit_code = code & 0xff;
   vt_exit_seen = True;
   vt_progress_clear();                /* before Valgrind's last lines */
}

/* rt_sigaction(sig, act, oldact) succeeded: act points to the client's
   struct, the handler first. */
void vt_signal_sigaction(UWord sig, const UWord *act)
{
   if (act && sig >= 1 && sig <= NSIG)
      disposition[sig] = act[0];
}

/* rt_sigprocmask(how, set, oldset) succeeded in the running thread. */
void vt_signal_sigprocmask(UWord how, const ULong *set)
{
   if (!set)
      return;
   ULong *m = mask_of(VG_(get_running_tid)());
   if (how == VKI_SIG_BLOCK)
      *m |= *set & ~UNBLOCKABLE;
   else if (how == VKI_SIG_UNBLOCK)
      *m &= ~*set;
   else if (how == VKI_SIG_SETMASK)
      *m = *set & ~UNBLOCKABLE;
}

/* A forked child keeps the dispositions and the mask; an exec'd image
   starts from the defaults Valgrind gives it. */
void vt_signal_child(void)
{
   vt_fatal_signal = 0;
   vt_exit_seen = False;
   live_threads = 1;              /* fork copies the calling thread only */
}

/* ---- what the instrumentation notes ----------------------------------- */

VG_REGPARM(1) void vt_signal_sync(UWord sig)
{
   vt_signal_fatal((Int)sig, True);
}
