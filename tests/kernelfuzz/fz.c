/* fz SEED NSTEPS [FORK]: random memory operations (mmap of every kind,
   munmap, mprotect, madvise, mlock, mremap, fork, memfd ftruncate) on a
   labelled 48-page arena, each its own phase; natively it prints ORACLE
   lines (getrusage around each step), under vmtrace the label's figures
   per phase say the same.  tests/kernelfuzz/README.md: how to use it.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vmtest.h"
#include <sys/syscall.h>

#define NP 48
#define FP 64

enum { K_NONE, K_APRIV, K_ASHR, K_FPRIV, K_FSHR, K_MEMFD };
static const char *kname[] = {"none", "apriv", "ashr", "fpriv", "fshr", "memfd"};
struct pg { int kind, prot, locked, id, wipe, dontfork; long off; };
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
   if (p->kind == K_MEMFD && p->off >= memfd_pages)
      return 0;
   if (in_child && p->dontfork)
      return 0;
   return 1;
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
   vmt_begin(phase);
}

static void do_fork(void)
{
   int a = rnd(NP), n = 1 + rnd(NP - a);
   int w = rnd(2);
   pid_t pid = vmt_fork();
   if (pid == 0) {
      in_child = 1;
      static char role[16];
      snprintf(role, sizeof role, "c%.8s", phase);
      vmt_set_role(role);
      vmt_begin("child");
      for (int i = a; i < a + n; i++)
         if (acc(i, w)) {
            if (w) A[i * VMT_PAGE] = 1; else vmt_sink += A[i * VMT_PAGE];
         }
      vmt_end();
      vmt_child_exit();
   }
   vmt_reap(pid);
   /* wipe-on-fork / dontfork: the parent keeps its pages */
   printf("INFO fork child %d+%d w=%d\n", a, n, w);
}

int main(int argc, char **argv)
{
   vmt_init();
   if (argc < 3)
      vmt_die("usage");
   rng = strtoull(argv[1], NULL, 0) * 2654435761ULL + 1;
   int nsteps = atoi(argv[2]);
   int allow_fork = argc > 3 ? atoi(argv[3]) : 1;
   dump = getenv("FZDUMP") != NULL;
   fd_file = vmt_cached_file("vmtest-fz.dat", FP * VMT_PAGE);
   fd_memfd = memfd_create("fz", 0);
   if (fd_memfd < 0 || ftruncate(fd_memfd, FP * VMT_PAGE) != 0)
      vmt_die("memfd");
   A = vmt_place(NP * VMT_PAGE, 2 << 20, 0);
   VMTRACE_LABEL(A, NP * VMT_PAGE, "arena");
   for (int i = 0; i < NP; i++)
      st[i] = (struct pg){K_APRIV, PROT_NONE, 0, 0, 0, 0, 0};
   /* warm the calls */
   char *w = vmt_anon(2);
   madvise(w, VMT_PAGE, MADV_DONTNEED);
   mlock(w, VMT_PAGE); munlock(w, VMT_PAGE);
   mprotect(w, VMT_PAGE, PROT_READ);
   void *ww = mremap(w, VMT_PAGE, VMT_PAGE, 0);
   (void)ww;
   for (int s = 0; s < nsteps; s++) {
      unsigned op = rnd(allow_fork ? 15 : 14);
      if (op == 12 && !allow_fork) op = 14;
      int a = rnd(NP), n = 1 + rnd(NP - a < 12 ? NP - a : 12);
      long r = 0;
      switch (op) {
      case 0: case 1: {
         int kind = 1 + rnd(5);
         int prot = (int[]){PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE, PROT_NONE}[rnd(4)];
         int pop = rnd(4) == 0;
         int lockd = rnd(6) == 0;
         long off = kind >= K_FPRIV ? rnd(FP + 4) : 0;
         int flags = MAP_FIXED | (kind == K_APRIV || kind == K_FPRIV ? MAP_PRIVATE : MAP_SHARED) |
                     (kind <= K_ASHR ? MAP_ANONYMOUS : 0) | (pop ? MAP_POPULATE : 0) | (lockd ? MAP_LOCKED : 0);
         int fd = kind == K_FPRIV || kind == K_FSHR ? fd_file : kind == K_MEMFD ? fd_memfd : -1;
         step("mmap %d+%d %s prot=%d pop=%d lock=%d off=%ld", a, n, kname[kind], prot, pop, lockd, off);
         void *p = mmap(A + a * VMT_PAGE, n * VMT_PAGE, prot, flags, fd, off * VMT_PAGE);
         vmt_end();
         r = p == MAP_FAILED ? -errno : 0;
         if (!r) {
            int id = nextid++;
            for (int i = a; i < a + n; i++)
               st[i] = (struct pg){kind, prot, 0, id, 0, 0, off + (i - a)};
         }
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
            if (acc(i, wr)) {
               if (wr) A[i * VMT_PAGE] = (char)i; else vmt_sink += A[i * VMT_PAGE];
            }
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
         if (!ok || (b < a + n && a < b + m) || m < 1) {
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
         if (!ok) { step("nop"); vmt_end(); break; }
         step("mremap-inplace %d+%d -> %d", a, n, m);
         void *p = mremap(A + a * VMT_PAGE, n * VMT_PAGE, m * VMT_PAGE, 0);
         vmt_end();
         r = p == MAP_FAILED ? -errno : 0;
         if (!r) {
            for (int i = a + m; i < a + n; i++) st[i].kind = K_NONE;
            for (int i = a + n; i < a + m; i++) { st[i] = st[a + n - 1]; st[i].off = st[a].off + (i - a); }
         }
         break;
      }
      case 12:
         step("fork");
         vmt_end();
         do_fork();
         break;
      }
      printf("INFO r=%ld\n", r);
      dump_state();
   }
   return 0;
}
