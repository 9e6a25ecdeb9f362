/* Resident pages: /proc/PID/statm of every live process of the tree,
   polled, and the kernel's high-water marks: VmHWM while a process runs,
   taskstats at its exit (vn_taskstats.c), wait4's ru_maxrss for PROG. */
#include "vn.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

void vn_rss_open(struct vn_proc *p)
{
   char path[64];
   snprintf(path, sizeof path, "/proc/%d/statm", (int)p->pid);
   p->statm_fd = open(path, O_RDONLY | O_CLOEXEC);
   snprintf(path, sizeof path, "/proc/%d/status", (int)p->pid);
   p->status_fd = open(path, O_RDONLY | O_CLOEXEC);
}

void vn_rss_close(struct vn_proc *p)
{
   if (p->statm_fd >= 0)
      close(p->statm_fd);
   if (p->status_fd >= 0)
      close(p->status_fd);
   p->statm_fd = p->status_fd = -1;
}

/* The kernel's high-water mark of the process's resident set (VmHWM). */
static void read_hwm(struct vn_proc *p)
{
   char buf[4096];
   ssize_t n;
   const char *h;
   unsigned long long kib;
   if (p->status_fd < 0)
      return;
   n = pread(p->status_fd, buf, sizeof buf - 1, 0);
   if (n <= 0)
      return;
   buf[n] = '\0';
   h = strstr(buf, "\nVmHWM:");
   if (h && sscanf(h + 7, "%llu", &kib) == 1 && kib / 4 > p->peak_rss)
      p->peak_rss = kib / 4;
}

/* Whether p is now in its parent's address space: a vfork or
   posix_spawn child before its exec, or a clone(CLONE_VM) one.  Its
   resident pages are its parent's then (the kernel counts them for both,
   as for threads): counting them again would double the tree's sum, and
   they are not its own.  kcmp(KCMP_VM) says; once it says no, or the
   process has exec'd, it is not asked again. */
static int in_parents_mm(struct vn_proc *p)
{
   static int no_kcmp;
   struct vn_proc *parent;
   long r;
   if (p->mm_own || no_kcmp)
      return 0;
   parent = vn_proc_find(p->ppid);
   if (!parent || parent == p || parent->exited) {
      p->mm_own = 1;
      return 0;
   }
   r = syscall(SYS_kcmp, p->pid, parent->pid, KCMP_VM, 0, 0);
   if (r == 0)
      return 1;
   if (r < 0 && (errno == ENOSYS || errno == EPERM))
      no_kcmp = 1;
   p->mm_own = 1;
   return 0;
}

uint64_t vn_poll_rss(void)
{
   uint64_t sum = 0;
   int seen = 0;
   size_t i;
   for (i = 0; i < vn_nprocs; i++) {
      struct vn_proc *p = vn_procs[i];
      char buf[256];
      ssize_t n;
      unsigned long long size, res;
      if (p->exited || p->statm_fd < 0 || in_parents_mm(p))
         continue;
      n = pread(p->statm_fd, buf, sizeof buf - 1, 0);
      if (n <= 0) {
         close(p->statm_fd);
         p->statm_fd = -1;
         continue;
      }
      buf[n] = '\0';
      if (sscanf(buf, "%llu %llu", &size, &res) != 2 || size == 0)
         continue;   /* a zombie: its memory is gone, its exit not seen yet */
      seen = 1;
      read_hwm(p);
      if (res > p->peak_rss)
         p->peak_rss = res;
      sum += res;
   }
   if (sum > vn_run.peak_rss)
      vn_run.peak_rss = sum;
   return seen ? sum : VN_NO_RSS;
}

/* Once PROG has ended: a last look at the processes still running, then
   the figures only the kernel has.  wait4's ru_maxrss is the largest of
   PROG's own high-water mark and those of the children it waited for (and
   theirs, folded in): PROG's own peak when no other process of the tree
   had ended before it.  The tree's peak is at least every process's and
   ru_maxrss (each was resident at one moment). */
void vn_rss_finish(pid_t prog, long ru_maxrss_kib)
{
   struct vn_proc *root = vn_proc_find(prog);
   uint64_t ru_pages = ru_maxrss_kib > 0 ? (uint64_t)ru_maxrss_kib / 4 : 0;
   int others_ended = 0;
   size_t i;
   vn_poll_rss();
   for (i = 0; i < vn_nprocs; i++) {
      const struct vn_proc *p = vn_procs[i];
      if (p != root && p->exited && root && p->end_ns <= root->end_ns)
         others_ended = 1;
   }
   if (root && !others_ended && ru_pages > root->peak_rss)
      root->peak_rss = ru_pages;
   if (ru_pages > vn_run.peak_rss)
      vn_run.peak_rss = ru_pages;
   for (i = 0; i < vn_nprocs; i++)
      if (vn_procs[i]->peak_rss > vn_run.peak_rss)
         vn_run.peak_rss = vn_procs[i]->peak_rss;
}
