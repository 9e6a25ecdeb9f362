/* The processes of the tree, as the fork, comm and exit records show
   them (perf's machine and threads). */
#include "vn.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct vn_proc **vn_procs;
size_t vn_nprocs;
static size_t cap_procs;

static uint64_t pid_hash(pid_t pid)
{
   return vn_hash_u64((uint64_t)pid);
}

static uint64_t proc_hash(uint32_t i)
{
   return pid_hash(vn_procs[i]->pid);
}

static int proc_is(uint32_t i, const void *pid)
{
   return vn_procs[i]->pid == *(const pid_t *)pid;
}

/* pid → index in vn_procs; a pid reused by a later process maps to the
   later one. */
static struct vn_table by_pid = { .hash = proc_hash, .same = proc_is };

struct vn_proc *vn_proc_find(pid_t pid)
{
   int64_t i = vn_table_find(&by_pid, pid_hash(pid), &pid);
   return i < 0 ? NULL : vn_procs[i];
}

struct vn_proc *vn_proc_new(pid_t pid, pid_t ppid, double start)
{
   struct vn_proc *p = vn_xcalloc(1, sizeof *p);
   p->pid = pid;
   p->ppid = ppid;
   p->start_time = start;
   p->end_time = -1;
   p->threads = 1;
   p->statm_fd = -1;
   p->status_fd = -1;
   vn_procs = vn_grow(vn_procs, vn_nprocs, &cap_procs, sizeof *vn_procs);
   vn_procs[vn_nprocs] = p;
   vn_table_put(&by_pid, pid_hash(pid), &pid, (uint32_t)vn_nprocs);
   vn_nprocs++;
   vn_rss_open(p);
   return p;
}

/* The records of one moment come from one ring buffer per CPU, and a
   collection may copy a CPU's ring before its fork record is written and
   another's after the child's first fault there: the child's sample is
   handled before the fork that made it.  Its process then starts as a
   placeholder (no parent, no name, its start that sample's time), which
   the fork record adopts; a pid whose process has exited is taken by a
   new one (the pid reused). */
struct vn_proc *vn_proc_of_sample(pid_t pid, uint64_t t_ns)
{
   struct vn_proc *p = vn_proc_find(pid);
   if (p && !(p->exited && t_ns > p->end_ns))
      return p;
   p = vn_proc_new(pid, 0, vn_wall_of(t_ns));
   p->unforked = 1;
   return p;
}

void vn_proc_fork(pid_t pid, pid_t ppid, double when)
{
   struct vn_proc *parent = vn_proc_find(ppid);
   struct vn_proc *p = vn_proc_find(pid);
   if (!parent)
      return;   /* not of our tree */
   if (p && p->unforked) {
      /* Its faults stay, and so does all an exec seen already gave it;
         without one, its image is its parent's and a name it was given
         (prctl) is newer. */
      p->unforked = 0;
      p->ppid = ppid;
      p->start_time = when;
      if (p->execs)
         return;
      p->mm_own = 0;   /* placed without a parent to compare with */
   } else {
      p = vn_proc_new(pid, ppid, when);
   }
   if (!p->comm[0])
      memcpy(p->comm, parent->comm, sizeof p->comm);
   free(p->exe_name);   /* a placeholder's mmap records may have guessed one */
   p->exe_name = parent->exe_name ? vn_xstrdup(parent->exe_name) : NULL;
   p->exe_end = parent->exe_end;
   p->exec_done = parent->exec_done;
   vn_maps_copy(p, parent);
}

void vn_thread_fork(pid_t pid)
{
   struct vn_proc *p = vn_proc_find(pid);
   if (p && !p->exited)
      p->threads++;
}

void vn_thread_exit(pid_t pid, uint64_t t_ns)
{
   struct vn_proc *p = vn_proc_find(pid);
   if (p && p->threads > 0 && --p->threads == 0)
      vn_proc_exit(pid, t_ns, vn_wall_of(t_ns));
}

void vn_proc_exit(pid_t pid, uint64_t t_ns, double when)
{
   struct vn_proc *p = vn_proc_find(pid);
   if (!p || p->exited)
      return;
   /* An exec that makes the process non-dumpable (a set-ID program)
      removes its events (begin_new_exec: perf_event_exit_task after
      commit_creds), which writes their exit record right after the
      exec's comm record: no mapping of the new image, no fault between.
      Any image that runs maps its file first (load_elf_binary). */
   if (p->exec_unmapped) {
      p->stopped_at_exec = 1;
      p->stop_time = when;
   }
   p->exited = 1;
   p->end_ns = t_ns;
   p->end_time = when;
   vn_rss_close(p);
}

/* Whether the accounting record of a thread of p's pid, come after p's
   recording stopped at an exec (maybe long after), is p's: the pid may
   have been taken by another process since, outside the tree.  Its parent
   is p's (or, p's parent having ended, whoever it was given to), and the
   thread began no earlier than p (btime is in whole seconds). */
static int still_of(const struct vn_proc *p, const struct vn_exit_stats *s)
{
   const struct vn_proc *parent = vn_proc_find(p->ppid);
   if (s->ppid != (uint32_t)p->ppid && !(parent && parent->exited))
      return 0;
   return (double)s->btime + 2 > p->start_time;
}

/* Processes a stopped process (one whose recording stopped at a set-ID
   exec) started after the stop, and theirs: no fork record is written for
   them, and they are known only by their exit accounting, whose parent
   pid leads to the stopped process, which their faults count towards.  A
   descendant that outlives its parent is given to another (init, a
   subreaper) and is not found. */
struct descendant {
   pid_t pid;
   struct vn_proc *of;        /* the stopped process */
};
static struct descendant *descendants;
static size_t ndescendants, cap_descendants;

static uint64_t descendant_hash(uint32_t i)
{
   return pid_hash(descendants[i].pid);
}

static int descendant_is(uint32_t i, const void *pid)
{
   return descendants[i].pid == *(const pid_t *)pid;
}

static struct vn_table by_descendant = { .hash = descendant_hash, .same = descendant_is };

/* The stopped process whose descendant the exiting task s is, or NULL:
   its parent is stopped (and was so when it began), or a descendant. */
static struct vn_proc *stopped_ancestor(const struct vn_exit_stats *s)
{
   pid_t ppid = (pid_t)s->ppid;
   struct vn_proc *q = vn_proc_find(ppid);
   int64_t i;
   if (q && q->stopped_at_exec && (double)s->btime + 2 > q->stop_time)
      return q;
   i = vn_table_find(&by_descendant, pid_hash(ppid), &ppid);
   return i < 0 ? NULL : descendants[i].of;
}

static void count_descendant(const struct vn_exit_stats *s)
{
   struct vn_proc *of = stopped_ancestor(s);
   pid_t pid = (pid_t)s->tgid;
   if (!of)
      return;
   descendants = vn_grow(descendants, ndescendants, &cap_descendants, sizeof *descendants);
   descendants[ndescendants].pid = pid;
   descendants[ndescendants].of = of;
   if (vn_table_intern(&by_descendant, pid_hash(pid), &pid, (uint32_t)ndescendants) ==
       ndescendants) {
      ndescendants++;
      of->descendants++;
   }
   of->kernel_faults += s->minflt + s->majflt;
}

/* The record is of the process that has pid now, or of one that has just
   exited (read a little after its exit record); long after, the pid may be
   another process's, outside the tree.  A process whose recording stopped
   at an exec goes on: its threads' records are of it as long as they
   say so, and their faults are what the kernel counted of it; so are
   those of the processes it started after. */
void vn_proc_exit_stats(const struct vn_exit_stats *s)
{
   struct vn_proc *p = vn_proc_find((pid_t)s->tgid);
   if (!p || (p->stopped_at_exec && !still_of(p, s)) ||
       (!p->stopped_at_exec && p->exited && s->t_ns > p->end_ns + 100000000)) {
      count_descendant(s);
      return;
   }
   if (p->stopped_at_exec) {
      /* its end, not that of its record; PROG's is wait4's (its start,
         the kernel's, is its fork, long before its exec) */
      if (s->tid == s->tgid && p->ppid != getpid())
         p->end_time = p->start_time + (double)s->etime_us / 1e6;
      /* the count is whole from the leader's exit on (a process that
         outlives PROG has only its threads' that ended before) */
      if (s->tid == s->tgid)
         p->kernel_faults_seen = 1;
   }
   /* every thread's, those that ended before the stop too */
   p->kernel_faults += s->minflt + s->majflt;
   if (s->hiwater_kib / 4 > p->peak_rss)
      p->peak_rss = s->hiwater_kib / 4;
}

uint64_t vn_proc_unrecorded(const struct vn_proc *p)
{
   uint64_t rec = p->faults.n[VN_MINOR] + p->faults.n[VN_MAJOR];
   if (!p->stopped_at_exec || p->kernel_faults <= rec)
      return 0;
   return p->kernel_faults - rec;
}

void vn_proc_exec(pid_t pid, const char *comm)
{
   struct vn_proc *p = vn_proc_find(pid);
   if (!p)
      return;
   /* The first exec of PROG is where recording starts, not an exec of it. */
   if (p->comm[0] || p->ppid != getpid())
      p->execs++;
   snprintf(p->comm, sizeof p->comm, "%s", comm);
   p->exec_unmapped = 1;
   p->mm_own = 1;   /* exec gives a new address space */
   vn_maps_forget(p);
   free(p->exe_name);
   p->exe_name = NULL;
   p->exe_end = 0;
   p->exec_done = 0;
   vn_unwind_forget(p);
}

void vn_proc_comm(pid_t pid, const char *comm)
{
   struct vn_proc *p = vn_proc_find(pid);
   if (p)
      snprintf(p->comm, sizeof p->comm, "%s", comm);
}
