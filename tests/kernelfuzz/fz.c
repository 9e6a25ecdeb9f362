/* fz SEED NSTEPS [FORK [OPS]]: random memory operations (mmap of every
   kind, munmap, mprotect, madvise, mlock, mremap, fork, memfd ftruncate;
   OPS, a mask, adds more: fallocate, pwrite, pread, mlockall, private
   memfd mappings and MAP_FIXED_NOREPLACE, SysV shm, more advice, a second
   fork level, process_vm_readv/writev) on a labelled 48-page arena, each
   its own phase; natively it prints ORACLE lines (getrusage around each
   step), under vmtrace the label's figures per phase say the same.  OPS 0
   makes the steps it always made.  tests/kernelfuzz/README.md: how to use
   it.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vmtest.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102         /* Linux 6.13 */
#define MADV_GUARD_REMOVE 103
#endif
#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED 24
#endif

#define NP 48
#define FP 64

enum { K_NONE, K_APRIV, K_ASHR, K_FPRIV, K_FSHR, K_MEMFD, K_MPRIV, K_SYSV };
static const char *kname[] = {"none", "apriv", "ashr", "fpriv", "fshr", "memfd", "mpriv", "sysv"};
struct pg { int kind, prot, locked, id, wipe, dontfork; long off; int guard; };
static struct pg st[NP];
static char *A;
static int fd_file, fd_memfd;
static long memfd_pages = FP;
static unsigned long long rng;
static int nextid = 1;

static unsigned rnd(unsigned n)
{
   rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
   return (unsigned)((rng >> 33) % n);
}

static int in_child;
static int acc(int i, int w)
{
   struct pg *p = &st[i];
   if (p->kind == K_NONE || !(p->prot & PROT_READ) || (w && !(p->prot & PROT_WRITE)))
      return 0;
   if ((p->kind == K_FPRIV || p->kind == K_FSHR) && p->off >= FP)
      return 0;
   if ((p->kind == K_MEMFD || p->kind == K_MPRIV) && p->off >= memfd_pages)
      return 0;
   if (in_child && p->dontfork)
      return 0;
   if (p->guard)
      return 0;
   return 1;
}

/* A touch that faults all the same (SIGSEGV, SIGBUS: the page table of
   what this file believes went wrong) is survived and said, so that the
   run goes on and the two sides' lines differ there.
   The oracle (getrusage) counts the whole process, vmtrace the arena
   only: what the signal costs elsewhere must not fall in a phase.  It
   costs faults natively (seed 149 FORK 1 OPS 0x1ff, 6-12 in a child's
   phase): the frame written below the stack pointer (pages copy-on-write
   since the fork, how many depending on where ASLR put the stack within
   its page: the count varied from run to run, and not under setarch -R),
   the text of the handler and of siglongjmp (a child maps no file page
   until it faults it) and printf's buffer.  So the handler runs on an
   alternate stack, which warm_signal() writes and takes one signal on
   before each phase, and the line is printed after the phase
   (flush_signals). */
static sigjmp_buf touch_env;
static volatile sig_atomic_t touching;
static struct { int sig, i, w; } caught[64];
static int ncaught;
static char altstack[64 * 1024] __attribute__((aligned(4096)));
static char *segv_page;                /* PROT_NONE: warm_signal's target */
static char buf[12 * 4096];            /* pwrite's and process_vm_*'s other side */
static void on_fault(int sig)
{
   if (!touching)
      _exit(100 + sig);
   siglongjmp(touch_env, sig);
}
static void touch_at(volatile char *p, int i, int w)
{
   int sig;
   touching = 1;
   if ((sig = sigsetjmp(touch_env, 1)) == 0) {
      if (w) *p = (char)i;
      else vmt_sink += *p;
   } else if (ncaught < (int)(sizeof caught / sizeof caught[0])) {
      caught[ncaught].sig = sig;
      caught[ncaught].i = i;
      caught[ncaught++].w = w;
   }
   touching = 0;
}
static void flush_signals(void)
{
   for (int k = 0; k < ncaught; k++)
      printf("INFO signal %d at %d w=%d\n", caught[k].sig, caught[k].i, caught[k].w);
   ncaught = 0;
}
/* Before each phase: the signal's path (above), and the pages outside the
   arena that a phase writes or the kernel reads for it, made present and
   writable (after a fork every private page is copy-on-write): buf, and
   the stack from 16 KiB below the caller's frame (a libc call's frames)
   up to main's frame (its locals: process_vm_readv's iovecs; which pages
   they fall in varies with ASLR's offset of the stack in its page: seed
   374 FORK 1 OPS 0x1ff, s033's process_vm_readv counted 1 fault natively
   in 3 runs of 30, none under setarch -R).  The live frames are written
   back with what they hold. */
static char *stack_hi;                 /* main's frame's top */
static VMT_NOINLINE void warm_stack(void)
{
   volatile char below[16 * 1024];
   for (size_t o = 0; o < sizeof below; o += 1024)
      below[o] = 0;
   for (volatile char *p = below; p < (volatile char *)stack_hi; p += 1024)
      *p = *p;
   ((volatile char *)stack_hi)[-1] = ((volatile char *)stack_hi)[-1];
}
static void warm_signal(void)
{
   for (size_t o = 0; o < sizeof altstack; o += 4096)
      ((volatile char *)altstack)[o] = 0;
   for (size_t o = 0; o < sizeof buf; o += 4096)
      ((volatile char *)buf)[o] = 0;
   warm_stack();
   touch_at(segv_page, 0, 0);
   ncaught = 0;
}
static int perpage;                    /* FZPAGES=1: a phase a touched page */
/* FZNOMREMAP=1: every mremap step a nop (the same numbers drawn, so the
   other steps stay those of the seed): a run then goes past the calls
   where Valgrind's own mremap differs from Linux's (README.md) */
static int nomremap;
static void touch(int i, int w)
{
   if (perpage) {
      /* the page's own phase, "<phase>.pII" (the enclosing phase counts
         nothing then); its oracle line and vmtrace's figures say which
         pages of a step differ */
      static char pp[48];
      snprintf(pp, sizeof pp, "%s.p%02d", vmt_phase_name, i);
      const char *outer = vmt_phase_name;
      vmt_begin(pp);
      touch_at(A + i * VMT_PAGE, i, w);
      vmt_end();
      vmt_begin(outer);
      return;
   }
   touch_at(A + i * VMT_PAGE, i, w);
}
/* A forked child has no page-table entries for the program's and libc's
   text (the kernel copies none for a file mapping without anonymous
   pages): the code of a touch, and of a caught signal, is faulted in
   before the child's phase. */
static char warm;
static void touch_warm(void)
{
   touch_at(&warm, 0, 1);
   warm_signal();
}

static int dump;
static void dump_one(uintptr_t start, uintptr_t end, const char *perms, const char *name, void *arg)
{
   (void)arg;
   uintptr_t a = (uintptr_t)A, e = a + NP * VMT_PAGE;
   if (start < e && end > a) {
      long s0 = ((long)start - (long)a) / 4096, e0 = ((long)end - (long)a) / 4096;
      printf("   MAP %ld-%ld %s %s\n", s0, e0, perms, name);
   }
}
static void dump_state(void)
{
   if (!dump) return;
   vmt_each_map(dump_one, NULL);
   static unsigned char vec[NP];
   char line[NP + 1];
   for (int i = 0; i < NP; i++) {
      if (mincore(A + i * VMT_PAGE, VMT_PAGE, vec + i) != 0) line[i] = '.';
      else line[i] = vec[i] & 1 ? 'R' : '-';
   }
   line[NP] = 0;
   printf("   RES %s\n", line);
   /* the memfd's pages (SEEK_DATA: fallocated ones too; no mapping, which
      mlockall(MCL_FUTURE) would populate) */
   {
      long mp = memfd_pages < 96 ? memfd_pages : 96;
      char ml[97];
      for (long i = 0; i < mp; i++)
         ml[i] = lseek(fd_memfd, i * VMT_PAGE, SEEK_DATA) == i * (off_t)VMT_PAGE ? 'D' : '-';
      ml[mp] = 0;
      printf("   MEMFD %s\n", ml);
   }
   /* natively: the pages this process maps (pagemap's present bit) */
   if (!vmt_under_valgrind()) {
      for (int i = 0; i < NP; i++)
         line[i] = vmt_pagemap_count(A + i * VMT_PAGE, 1, 1ULL << 63) ? 'P' : '-';
      printf("   PTE %s\n", line);
   }
}
static char phase[32];
static void step(const char *fmt, ...)
{
   static int n;
   char d[160];
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(d, sizeof d, fmt, ap);
   va_end(ap);
   snprintf(phase, sizeof phase, "s%03d", n++);
   printf("STEP %s %s\n", phase, d);
   warm_signal();
   vmt_begin(phase);
}

static void do_fork(int level)
{
   int a = rnd(NP), n = 1 + rnd(NP - a);
   int w = rnd(2);
   pid_t pid = vmt_fork();
   if (pid == 0) {
      in_child = 1;
      static char role[16];
      snprintf(role, sizeof role, "c%.8s", phase);
      vmt_set_role(role);
      touch_warm();
      vmt_begin("child");
      for (int i = a; i < a + n; i++)
         if (acc(i, w))
            touch(i, w);
      vmt_end();
      flush_signals();
      if (level > 1) {
         /* a second level: the child forks, its child touches */
         int b = rnd(NP), m = 1 + rnd(NP - b), w2 = rnd(2);
         char gph[32];
         snprintf(gph, sizeof gph, "%s", phase);
         pid_t g = vmt_fork();
         if (g == 0) {
            static char grole[16];
            snprintf(grole, sizeof grole, "g%.8s", gph);
            vmt_set_role(grole);
            touch_warm();
            vmt_begin("gchild");
            for (int i = b; i < b + m; i++)
               if (acc(i, w2))
                  touch(i, w2);
            vmt_end();
            flush_signals();
            vmt_child_exit();
         }
         vmt_reap(g);
         printf("INFO grandchild %d+%d w=%d\n", b, m, w2);
      }
      vmt_child_exit();
   }
   vmt_reap(pid);
   /* wipe-on-fork / dontfork: the parent keeps its pages */
   printf("INFO fork child %d+%d w=%d\n", a, n, w);
}

/* mmap of [a, a+n) of a kind (its protection, MAP_POPULATE, MAP_LOCKED
   and offset drawn here); with MAP_FIXED_NOREPLACE when noreplace and
   the range is a hole. */
static long do_mmap(int a, int n, int kind, int noreplace)
{
   /* Valgrind 3.19 takes MAP_FIXED_NOREPLACE's address for a hint (it
      maps elsewhere where Linux fails with EEXIST): only over a hole */
   for (int i = a; i < a + n; i++)
      if (st[i].kind != K_NONE)
         noreplace = 0;
   int prot = (int[]){PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE, PROT_NONE}[rnd(4)];
   int pop = rnd(4) == 0;
   int lockd = rnd(6) == 0;
   long off = kind >= K_FPRIV ? rnd(FP + 4) : 0;
   int flags = (noreplace ? MAP_FIXED_NOREPLACE : MAP_FIXED) |
               (kind == K_APRIV || kind == K_FPRIV || kind == K_MPRIV ? MAP_PRIVATE : MAP_SHARED) |
               (kind <= K_ASHR ? MAP_ANONYMOUS : 0) | (pop ? MAP_POPULATE : 0) | (lockd ? MAP_LOCKED : 0);
   int fd = kind == K_FPRIV || kind == K_FSHR ? fd_file : kind == K_MEMFD || kind == K_MPRIV ? fd_memfd : -1;
   step("mmap %d+%d %s prot=%d pop=%d lock=%d off=%ld%s", a, n, kname[kind], prot, pop, lockd, off,
        noreplace ? " noreplace" : "");
   void *p = mmap(A + a * VMT_PAGE, n * VMT_PAGE, prot, flags, fd, off * VMT_PAGE);
   vmt_end();
   long r = p == MAP_FAILED ? -errno : 0;
   if (!r) {
      int id = nextid++;
      for (int i = a; i < a + n; i++)
         st[i] = (struct pg){kind, prot, 0, id, 0, 0, off + (i - a), 0};
   }
   return r;
}

/* The operations after the first fifteen, each enabled by a bit of OPS
   (bit k: operation 15 + k); README.md lists them. */
enum { OP_FALLOC = 15, OP_PWRITE, OP_PREAD, OP_MLOCKALL, OP_MMAP2, OP_SHM, OP_MADV2,
       OP_FORK2, OP_VMRW, OP_END };

int main(int argc, char **argv)
{
   stack_hi = __builtin_frame_address(0);
   vmt_init();
   if (argc < 3)
      vmt_die("usage");
   rng = strtoull(argv[1], NULL, 0) * 2654435761ULL + 1;
   int nsteps = atoi(argv[2]);
   int allow_fork = argc > 3 ? atoi(argv[3]) : 1;
   unsigned long ops = argc > 4 ? strtoul(argv[4], NULL, 0) : 0;
   if (ops >> (OP_END - 15))
      vmt_die("OPS 0x%lx: only bits 0-%d name operations", ops, OP_END - 16);
   stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
   segv_page = mmap(NULL, VMT_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (segv_page == MAP_FAILED || sigaltstack(&ss, NULL) != 0)
      vmt_die("sigaltstack");
   struct sigaction sa = {.sa_handler = on_fault, .sa_flags = SA_ONSTACK};
   sigaction(SIGSEGV, &sa, NULL);
   sigaction(SIGBUS, &sa, NULL);
   dump = getenv("FZDUMP") != NULL;
   perpage = getenv("FZPAGES") != NULL;
   nomremap = getenv("FZNOMREMAP") != NULL;
   fd_file = vmt_cached_file("vmtest-fz.dat", FP * VMT_PAGE);
   fd_memfd = memfd_create("fz", 0);
   if (fd_memfd < 0 || ftruncate(fd_memfd, FP * VMT_PAGE) != 0)
      vmt_die("memfd");
   A = vmt_place(NP * VMT_PAGE, 2 << 20, 0);
   VMTRACE_LABEL(A, NP * VMT_PAGE, "arena");
   for (int i = 0; i < NP; i++)
      st[i] = (struct pg){K_APRIV, PROT_NONE, 0, 0, 0, 0, 0, 0};
   /* warm the calls */
   char *w = vmt_anon(2);
   madvise(w, VMT_PAGE, MADV_DONTNEED);
   mlock(w, VMT_PAGE); munlock(w, VMT_PAGE);
   mprotect(w, VMT_PAGE, PROT_READ);
   void *ww = mremap(w, VMT_PAGE, VMT_PAGE, 0);
   (void)ww;
   for (int s = 0; s < nsteps; s++) {
      unsigned op;
      if (!ops) {
         op = rnd(allow_fork ? 15 : 14);
         if (op == 12 && !allow_fork) op = 14;
      } else {
         do op = rnd(OP_END);
         while ((op >= 15 && !(ops >> (op - 15) & 1)) || (op == OP_FORK2 && !allow_fork));
         if (op == 12 && !allow_fork) op = 14;
      }
      int a = rnd(NP), n = 1 + rnd(NP - a < 12 ? NP - a : 12);
      long r = 0;
      switch (op) {
      case 0: case 1: {
         int kind = 1 + rnd(5);
         r = do_mmap(a, n, kind, 0);
         break;
      }
      case 2: {
         step("munmap %d+%d", a, n);
         r = munmap(A + a * VMT_PAGE, n * VMT_PAGE);
         vmt_end();
         if (!r)
            for (int i = a; i < a + n; i++)
               st[i].kind = K_NONE;
         break;
      }
      case 3: {
         int prot = (int[]){PROT_READ, PROT_READ | PROT_WRITE, PROT_NONE}[rnd(3)];
         /* shared read-only-opened? fd O_RDWR: fine */
         step("mprotect %d+%d prot=%d", a, n, prot);
         r = mprotect(A + a * VMT_PAGE, n * VMT_PAGE, prot);
         vmt_end();
         r = r ? -errno : 0;
         for (int i = a; i < a + n && st[i].kind != K_NONE; i++)
            if (!r || r == -ENOMEM)
               st[i].prot = prot;
         break;
      }
      case 4: {
         step("dontneed %d+%d", a, n);
         r = madvise(A + a * VMT_PAGE, n * VMT_PAGE, MADV_DONTNEED);
         vmt_end();
         r = r ? -errno : 0;
         break;
      }
      case 5: {
         int wr = rnd(2);
         step("populate %d+%d w=%d", a, n, wr);
         r = madvise(A + a * VMT_PAGE, n * VMT_PAGE, wr ? MADV_POPULATE_WRITE : MADV_POPULATE_READ);
         vmt_end();
         r = r ? -errno : 0;
         break;
      }
      case 6: case 7: case 8: {
         int wr = op == 7;
         step("touch %d+%d w=%d", a, n, wr);
         for (int i = a; i < a + n; i++)
            if (acc(i, wr))
               touch(i, wr);
         vmt_end();
         break;
      }
      case 9: {
         int lk = rnd(2);
         step("%s %d+%d", lk ? "mlock" : "munlock", a, n);
         r = lk ? mlock(A + a * VMT_PAGE, n * VMT_PAGE) : munlock(A + a * VMT_PAGE, n * VMT_PAGE);
         vmt_end();
         r = r ? -errno : 0;
         break;
      }
      case 10: {
         int adv = (int[]){MADV_FREE, MADV_REMOVE, MADV_WIPEONFORK, MADV_DONTFORK, MADV_DOFORK, MADV_KEEPONFORK}[rnd(6)];
         if (adv == MADV_REMOVE)
            for (int i = a; i < a + n; i++)
               if (st[i].kind == K_FSHR)
                  adv = MADV_FREE;
         step("madvise %d+%d adv=%d", a, n, adv);
         r = madvise(A + a * VMT_PAGE, n * VMT_PAGE, adv);
         vmt_end();
         r = r ? -errno : 0;
         if ((r == 0 || r == -ENOMEM) && (adv == MADV_DONTFORK || adv == MADV_DOFORK))
            for (int i = a; i < a + n; i++)
               if (st[i].kind != K_NONE)
                  st[i].dontfork = adv == MADV_DONTFORK;
         break;
      }
      case 11: {
         /* move [a, a+n) to b (fixed), if it lies in one mmap */
         int b = rnd(NP), m = n;
         if (b + m > NP) m = NP - b;
         if (m < n) {
            /* shrink while moving */
         }
         int ok = st[a].kind != K_NONE;
         for (int i = a; i < a + n; i++)
            if (st[i].id != st[a].id || st[i].prot != st[a].prot || st[i].kind == K_NONE)
               ok = 0;
         if (!ok || (b < a + n && a < b + m) || m < 1 || nomremap) {
            step("nop");
            vmt_end();
            break;
         }
         step("mremap %d+%d -> %d+%d", a, n, b, m);
         void *p = mremap(A + a * VMT_PAGE, n * VMT_PAGE, m * VMT_PAGE,
                          MREMAP_MAYMOVE | MREMAP_FIXED, A + b * VMT_PAGE);
         vmt_end();
         r = p == MAP_FAILED ? -errno : 0;
         if (!r) {
            struct pg tmp[NP];
            memcpy(tmp, st, sizeof tmp);
            for (int i = a; i < a + n; i++)
               st[i].kind = K_NONE;
            for (int i = 0; i < m; i++)
               st[b + i] = tmp[a + i];
            int id = nextid++;
            for (int i = 0; i < m; i++)
               st[b + i].id = id;
         }
         break;
      }
      case 13: {
         long np = FP / 2 + rnd(FP / 2 + 1);
         step("ftruncate memfd %ld", np);
         r = ftruncate(fd_memfd, np * VMT_PAGE);
         vmt_end();
         if (!r) memfd_pages = np;
         break;
      }
      case 14: {
         int m = 1 + rnd(12);
         if (a + m > NP) m = NP - a;
         int ok = st[a].kind != K_NONE;
         for (int i = a; i < a + n; i++)
            if (st[i].id != st[a].id || st[i].prot != st[a].prot || st[i].kind == K_NONE)
               ok = 0;
         if (!ok || nomremap) { step("nop"); vmt_end(); break; }
         step("mremap-inplace %d+%d -> %d", a, n, m);
         void *p = mremap(A + a * VMT_PAGE, n * VMT_PAGE, m * VMT_PAGE, 0);
         vmt_end();
         r = p == MAP_FAILED ? -errno : 0;
         if (!r) {
            for (int i = a + m; i < a + n; i++) st[i].kind = K_NONE;
            for (int i = a + n; i < a + m; i++) { st[i] = st[a + n - 1]; st[i].off = st[a].off + (i - a); st[i].guard = 0; }
         }
         break;
      }
      case OP_FALLOC: {
         /* memfd: punch a hole, or allocate (keeping the size or not) */
         int mode = (int[]){FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, FALLOC_FL_KEEP_SIZE}[rnd(3)];
         long off = rnd(FP), len = 1 + rnd(12);
         step("fallocate memfd mode=%d %ld+%ld", mode, off, len);
         r = fallocate(fd_memfd, mode, off * VMT_PAGE, len * VMT_PAGE);
         vmt_end();
         r = r ? -errno : 0;
         if (!r && mode == 0 && off + len > memfd_pages)
            memfd_pages = off + len;
         break;
      }
      case OP_PWRITE: {
         /* into the memfd (within its size) or the file, from a buffer
            or from arena pages (the kernel reads them) */
         int tomem = rnd(2), fromarena = rnd(2);
         long lim = tomem ? memfd_pages : FP, off = rnd(lim), len = 1 + rnd(4);
         if (off + len > lim) len = lim - off;
         if (fromarena) {
            for (int i = a; i < a + n && i < a + len; i++)
               if (!acc(i, 0)) len = i - a;
            if (a + len > NP) len = NP - a;
         }
         step("pwrite %s %ld+%ld from %s%d", tomem ? "memfd" : "file", off, len,
              fromarena ? "arena " : "buf", fromarena ? a : 0);
         r = len <= 0 ? 0 : pwrite(tomem ? fd_memfd : fd_file, fromarena ? A + a * VMT_PAGE : buf,
                                   len * VMT_PAGE, off * VMT_PAGE);
         vmt_end();
         r = r < 0 ? -errno : r / (long)VMT_PAGE;
         break;
      }
      case OP_PREAD: {
         /* from the file or the memfd into arena pages (the kernel writes
            them), each page on its own, those a write may reach */
         int frommem = rnd(2);
         long off = rnd(frommem ? memfd_pages : FP);
         step("pread %s %ld into %d+%d", frommem ? "memfd" : "file", off, a, n);
         r = 0;
         for (int i = a; i < a + n; i++)
            if (acc(i, 1) && pread(frommem ? fd_memfd : fd_file, A + i * VMT_PAGE, VMT_PAGE,
                                   off * VMT_PAGE) == VMT_PAGE)
               r++;
         vmt_end();
         break;
      }
      case OP_MLOCKALL: {
         int how = rnd(5);
         int fl = (int[]){MCL_CURRENT | MCL_ONFAULT, MCL_FUTURE, MCL_FUTURE | MCL_ONFAULT,
                          MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT, 0}[how];
         step(fl ? "mlockall %d" : "munlockall", fl);
         r = fl ? mlockall(fl) : munlockall();
         vmt_end();
         r = r ? -errno : 0;
         break;
      }
      case OP_MMAP2: {
         int kind = 1 + rnd(6);
         r = do_mmap(a, n, kind, rnd(2));
         break;
      }
      case OP_SHM: {
         int ro = rnd(3) == 0;
         step("shmat %d+%d%s", a, n, ro ? " ro" : "");
         int id = shmget(IPC_PRIVATE, n * VMT_PAGE, IPC_CREAT | 0600);
         void *p = id < 0 ? MAP_FAILED : shmat(id, A + a * VMT_PAGE, SHM_REMAP | (ro ? SHM_RDONLY : 0));
         if (id >= 0)
            shmctl(id, IPC_RMID, NULL);
         vmt_end();
         r = id < 0 || p == (void *)-1 ? -errno : 0;
         if (!r) {
            int mid = nextid++;
            for (int i = a; i < a + n; i++)
               st[i] = (struct pg){K_SYSV, ro ? PROT_READ : PROT_READ | PROT_WRITE, 0, mid, 0, 0, i - a, 0};
         }
         break;
      }
      case OP_MADV2: {
         int adv = (int[]){MADV_WILLNEED, MADV_DONTNEED_LOCKED, MADV_NORMAL, MADV_RANDOM,
                           MADV_SEQUENTIAL, MADV_GUARD_INSTALL, MADV_GUARD_REMOVE}[rnd(7)];
         step("madvise2 %d+%d adv=%d", a, n, adv);
         r = madvise(A + a * VMT_PAGE, n * VMT_PAGE, adv);
         vmt_end();
         r = r ? -errno : 0;
         if (!r && (adv == MADV_GUARD_INSTALL || adv == MADV_GUARD_REMOVE))
            for (int i = a; i < a + n; i++)
               st[i].guard = adv == MADV_GUARD_INSTALL;
         break;
      }
      case OP_FORK2:
         step("fork2");
         vmt_end();
         do_fork(2);
         break;
      case OP_VMRW: {
         /* process_vm_readv / writev on itself: the arena the remote side */
         int wr = rnd(2);
         step("process_vm_%s %d+%d", wr ? "writev" : "readv", a, n);
         r = 0;
         for (int i = a; i < a + n; i++)
            if (acc(i, wr)) {
               struct iovec l = {buf, 64}, rem = {A + i * VMT_PAGE, 64};
               if ((wr ? process_vm_writev : process_vm_readv)(getpid(), &l, 1, &rem, 1, 0) == 64)
                  r++;
            }
         vmt_end();
         break;
      }
      case 12:
         step("fork");
         vmt_end();
         do_fork(1);
         break;
      }
      flush_signals();
      printf("INFO r=%ld\n", r);
      dump_state();
   }
   return 0;
}
