/* vmtrace-native's record handling fed synthetic records in orders the
   per-CPU ring buffers can deliver: what vn_records.c and vn_proc.c make
   of them, without the kernel.  Links every file of vmtrace-native but
   vn_main.c and vn_perf.c, whose part (the events' identifiers, the
   sample layout, the run) is stood in for here.  Prints "ok N - ..." /
   "not ok N - ..." lines; exits 1 on a failure. */
#include "vn.h"

#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- what vn_perf.c and vn_main.c give the rest ------------------------ */
enum { ID_MINOR = 11, ID_MAJOR = 12 };
struct vn_run vn_run;
uint64_t vn_sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
                          PERF_SAMPLE_TIME | PERF_SAMPLE_ADDR | PERF_SAMPLE_REGS_USER;
uint64_t vn_regs_mask;

int vn_perf_event_of(uint64_t id)
{
   return id == ID_MINOR ? VN_MINOR : id == ID_MAJOR ? VN_MAJOR : -1;
}

void vn_perf_collect(void)
{
}

/* ---- records ----------------------------------------------------------- */
/* Pids no process can have (above the kernel's PID_MAX_LIMIT, 2^22), so
   that /proc/PID/maps says nothing. */
enum { ROOT = 1 << 30, CHILD, REUSED, EXECS, ORDERLY, SETID, PLAIN, ORPHAN };

static void feed(uint32_t type, uint16_t misc, const void *body, size_t len)
{
   union {
      struct perf_event_header h;
      uint8_t b[512];
   } rec;
   memset(&rec, 0, sizeof rec);
   rec.h.type = type;
   rec.h.misc = misc;
   rec.h.size = (uint16_t)(sizeof rec.h + len);
   memcpy(rec.b + sizeof rec.h, body, len);
   vn_record_handle(&rec.h, rec.b + sizeof rec.h);
}

static void put32(uint8_t *p, uint32_t v)
{
   memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
   memcpy(p, &v, 8);
}

/* A minor fault of pid at addr, at t_ns: identifier, ip, pid/tid, time,
   addr, and no user registers (ABI none). */
static void sample(uint32_t pid, uint64_t addr, uint64_t t_ns)
{
   uint8_t b[48] = { 0 };
   put64(b, ID_MINOR);
   put64(b + 8, addr);
   put32(b + 16, pid);
   put32(b + 20, pid);
   put64(b + 24, t_ns);
   put64(b + 32, addr);
   put64(b + 40, PERF_SAMPLE_REGS_ABI_NONE);
   feed(PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER, b, sizeof b);
}

/* PERF_RECORD_FORK and _EXIT: pid, ppid, tid, ptid, time. */
static void fork_exit(uint32_t type, uint32_t pid, uint32_t ppid, uint64_t t_ns)
{
   uint8_t b[24];
   put32(b, pid);
   put32(b + 4, ppid);
   put32(b + 8, pid);
   put32(b + 12, ppid);
   put64(b + 16, t_ns);
   feed(type, 0, b, sizeof b);
}

static void exec_comm(uint32_t pid, const char *name)
{
   uint8_t b[8 + 16] = { 0 };
   put32(b, pid);
   put32(b + 4, pid);
   snprintf((char *)b + 8, 16, "%s", name);
   feed(PERF_RECORD_COMM, PERF_RECORD_MISC_COMM_EXEC, b, sizeof b);
}

/* PERF_RECORD_MMAP2: pid, tid, addr, len, pgoff, maj, min, ino,
   ino_generation, prot, flags, name. */
static void mmap2(uint32_t pid, uint64_t addr, uint64_t len, const char *name)
{
   uint8_t b[64 + 32] = { 0 };
   put32(b, pid);
   put32(b + 4, pid);
   put64(b + 8, addr);
   put64(b + 16, len);
   put32(b + 56, 5);   /* PROT_READ | PROT_EXEC */
   snprintf((char *)b + 64, 32, "%s", name);
   feed(PERF_RECORD_MMAP2, 0, b, sizeof b);
}

/* Our own record of a thread's exit accounting (vn_taskstats.c): of
   thread tid of process tgid, whose parent is ppid, begun at wall second
   btime, with its faults and its time from start to exit. */
static void exit_stats(uint32_t tgid, uint32_t tid, uint32_t ppid, uint32_t btime,
                       uint64_t minflt, uint64_t majflt, uint64_t etime_us, uint64_t t_ns)
{
   struct vn_exit_stats s = { tgid, tid, ppid, btime, 4096, minflt, majflt, etime_us, t_ns };
   feed(VN_RECORD_EXIT_STATS, 0, &s, sizeof s);
}

/* ---- checks ------------------------------------------------------------ */
static int failed, ncase;

static void check(int ok, const char *what)
{
   printf("%s %d - %s\n", ok ? "ok" : "not ok", ++ncase, what);
   if (!ok)
      failed = 1;
}

static size_t count_pid(pid_t pid)
{
   size_t i, n = 0;
   for (i = 0; i < vn_nprocs; i++)
      n += vn_procs[i]->pid == pid;
   return n;
}

/* The k-th entry of pid in the output's order, or NULL. */
static struct vn_proc *entry(pid_t pid, size_t k)
{
   size_t i;
   for (i = 0; i < vn_nprocs; i++)
      if (vn_procs[i]->pid == pid && k-- == 0)
         return vn_procs[i];
   return NULL;
}

static int live_named(const struct vn_proc *p, const char *name)
{
   size_t i;
   for (i = 0; i < p->nlive; i++)
      if (strcmp(p->live[i]->name, name) == 0)
         return 1;
   return 0;
}

int main(void)
{
   struct vn_proc *p, *q;
   size_t before;

   vn_run.start_ns = 0;
   vn_run.start_time = 1000.0;   /* an event at t ns is at 1000 + t/1e9 s */

   /* PROG: its exec (not counted as one: recording starts there) and its
      program's mapping, which a fork gives every child. */
   vn_proc_new(ROOT, getpid(), 0);
   exec_comm(ROOT, "sh");
   mmap2(ROOT, 0x400000, 0x2000, "/no/such/sh");

   /* The child's first fault (t=300) handled before its fork record
      (t=200, copied out of another CPU's ring in a later collection), its
      exit after both: one process, PROG's child, named as PROG, ended. */
   sample(CHILD, 0x7f0000001000, 300);
   fork_exit(PERF_RECORD_FORK, CHILD, ROOT, 200);
   fork_exit(PERF_RECORD_EXIT, CHILD, ROOT, 400);
   p = entry(CHILD, 0);
   check(vn_nprocs == 2 && count_pid(CHILD) == 1,
         "a sample before its fork record: one process for the child, no other");
   check(p && p->ppid == ROOT && strcmp(p->comm, "sh") == 0 && p->execs == 0,
         "the fork record adopts the sample's process: its parent and name");
   check(p && p->start_time == vn_wall_of(200) && p->exited && p->end_time == vn_wall_of(400),
         "its start is the fork's time, its end the exit's");
   check(p && p->faults.n[VN_MINOR] == 1 && p->faults.n[VN_MAJOR] == 0,
         "the sample's fault is the child's");
   check(p && live_named(p, "/no/such/sh"), "the child has its parent's mappings");

   /* The same order when the exit record came even before the fork record
      (all three on different CPUs, the fork's ring copied last). */
   before = vn_nprocs;
   sample(CHILD + 100, 0x7f0000001000, 1300);
   fork_exit(PERF_RECORD_EXIT, CHILD + 100, ROOT, 1400);
   fork_exit(PERF_RECORD_FORK, CHILD + 100, ROOT, 1200);
   p = entry(CHILD + 100, 0);
   check(vn_nprocs == before + 1 && p && p->ppid == ROOT && p->exited &&
         p->end_time == vn_wall_of(1400) && p->start_time == vn_wall_of(1200),
         "sample, exit, then fork: one process, ended, adopted");

   /* A pid reused: its first process forked (t=500) and ended (t=600); a
      sample of the pid at t=800 is of a new process, whose fork record
      (t=700) comes after the sample. */
   before = vn_nprocs;
   fork_exit(PERF_RECORD_FORK, REUSED, ROOT, 500);
   fork_exit(PERF_RECORD_EXIT, REUSED, ROOT, 600);
   sample(REUSED, 0x7f0000002000, 800);
   fork_exit(PERF_RECORD_FORK, REUSED, ROOT, 700);
   fork_exit(PERF_RECORD_EXIT, REUSED, ROOT, 900);
   p = entry(REUSED, 0);
   q = entry(REUSED, 1);
   check(vn_nprocs == before + 2 && count_pid(REUSED) == 2,
         "a reused pid: two processes, the first ended before the sample");
   check(p && q && p->faults.n[VN_MINOR] == 0 && q->faults.n[VN_MINOR] == 1,
         "the sample after the first one's exit is the second one's");
   check(q && q->ppid == ROOT && q->start_time == vn_wall_of(700) &&
         q->end_time == vn_wall_of(900) && p && p->end_time == vn_wall_of(600),
         "each with its own fork and exit times");

   /* The child's sample and exec both before its fork record: the exec's
      name and (empty) address space stay, not the parent's. */
   sample(EXECS, 0x7f0000003000, 1000);
   exec_comm(EXECS, "true");
   fork_exit(PERF_RECORD_FORK, EXECS, ROOT, 950);
   p = entry(EXECS, 0);
   check(count_pid(EXECS) == 1 && p && p->ppid == ROOT && strcmp(p->comm, "true") == 0 &&
         p->execs == 1 && !live_named(p, "/no/such/sh"),
         "exec before the fork record: the exec's name and mappings stay");

   /* The usual order is as it was: fork, then the fault. */
   fork_exit(PERF_RECORD_FORK, ORDERLY, ROOT, 1100);
   sample(ORDERLY, 0x400010, 1150);
   p = entry(ORDERLY, 0);
   check(count_pid(ORDERLY) == 1 && p && p->ppid == ROOT && p->start_time == vn_wall_of(1100) &&
         p->faults.n[VN_MINOR] == 1 && live_named(p, "/no/such/sh"),
         "fork, then a fault: as before");

   /* A child that execs a set-ID program: the kernel removes its events
      there, and their exit record follows the exec's comm record with
      no mapping between.  Its two faults before are recorded; a thread
      of it ended before the exec (1 fault, as its accounting says); the
      leader's accounting at its real exit says 43 more (41 + 2 major):
      44 counted, 42 not recorded.  A record of the pid whose parent is
      not the child's (the pid taken by another process) is not its.
      Before its exit, a process it started after the stop ends (7
      faults), and so does that one's child (3); their accounting, with
      no fork record, names their parents: 10 more unrecorded.  A
      grandchild that ends before its parent's record is read is not
      found (its parent is not known yet). */
   fork_exit(PERF_RECORD_FORK, SETID, ROOT, 2000);
   sample(SETID, 0x400010, 2050);
   sample(SETID, 0x400020, 2055);
   exit_stats(SETID, SETID + 1, ROOT, 1000, 1, 0, 5, 2060);
   exec_comm(SETID, "passwd");
   fork_exit(PERF_RECORD_EXIT, SETID, ROOT, 2100);
   exit_stats(SETID, SETID, 12345, 1000, 500, 0, 9, 2200);
   p = entry(SETID, 0);
   check(p && !p->kernel_faults_seen && p->kernel_faults == 1,
         "before its leader's exit, its count is not known (only a thread's, from before)");
   before = vn_nprocs;
   exit_stats(SETID + 101, SETID + 101, SETID + 100, 1000, 3, 0, 5, 2500);
   exit_stats(SETID + 100, SETID + 100, SETID, 1000, 6, 1, 5, 2600);
   exit_stats(SETID + 102, SETID + 102, SETID + 100, 1000, 3, 0, 5, 2700);
   exit_stats(SETID, SETID, ROOT, 1000, 41, 2, 250000, 3000);
   check(p && p->stopped_at_exec && p->stop_time == vn_wall_of(2100) && p->exited,
         "an exec followed by the exit of its events, nothing mapped: recording stopped there");
   check(p && p->kernel_faults_seen && p->kernel_faults == 54 && vn_proc_unrecorded(p) == 52 &&
         p->descendants == 2 && vn_nprocs == before,
         "the kernel counted 44 of its faults and 10 of the 2 processes it started after the "
         "stop, 2 recorded: 52 unrecorded");
   check(p && p->end_time == vn_wall_of(2000) + 0.25,
         "its end is the kernel's (its start and its elapsed time), not the stop");

   /* An ordinary exec maps its image before anything: not stopped; its
      accounting after its exit (within 100 ms) counts all the same. */
   fork_exit(PERF_RECORD_FORK, PLAIN, ROOT, 4000);
   exec_comm(PLAIN, "true");
   mmap2(PLAIN, 0x500000, 0x1000, "/no/such/true");
   sample(PLAIN, 0x500010, 4100);
   fork_exit(PERF_RECORD_EXIT, PLAIN, ROOT, 4200);
   exit_stats(PLAIN, PLAIN, ROOT, 1000, 2, 0, 1, 4300);
   p = entry(PLAIN, 0);
   check(p && !p->stopped_at_exec && vn_proc_unrecorded(p) == 0 && p->end_time == vn_wall_of(4200),
         "an exec that maps its image and exits: not stopped, nothing unrecorded");

   /* A process whose fork record never comes (the kernel dropped it):
      its faults are real, its parent unknown, and the record says so
      (ppid null: before, 0, as if pid 0 had forked it). */
   sample(ORPHAN, 0x7f0000004000, 5000);
   p = entry(ORPHAN, 0);
   check(p && p->unforked && p->faults.n[VN_MINOR] == 1, "a sample whose fork record is lost");
   {
      char path[] = "/tmp/vn-records-XXXXXX", *text = NULL, want[96], *argv[] = { "x", NULL };
      int fd = mkstemp(path);
      size_t n = 0;
      FILE *f;
      vn_run.argv = argv;
      vn_run.kernel = "test";
      if (fd >= 0)
         close(fd);
      vn_write_output(path);
      f = fopen(path, "r");
      if (f) {
         text = vn_xcalloc(1 << 20, 1);
         n = fread(text, 1, (1 << 20) - 1, f);
         fclose(f);
      }
      unlink(path);
      snprintf(want, sizeof want, "{\"pid\": %d, \"ppid\": null, \"comm\": \"\"", ORPHAN);
      check(n > 0 && strstr(text, want) != NULL,
            "its entry in the record: ppid null (its parent unknown), no name");
      snprintf(want, sizeof want, "{\"pid\": %d, \"ppid\": %d, ", CHILD, ROOT);
      check(n > 0 && strstr(text, want) != NULL, "a process whose fork was seen: its ppid");
      free(text);
   }

   return failed;
}
