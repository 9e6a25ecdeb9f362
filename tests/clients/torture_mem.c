/* torture_mem MODE [ARG]: odd address spaces.  Role "parent" (and "child"
   where a mode forks).

   mremap-grow     an 8-page mapping whose upper 4 pages are unmapped:
                   pages 0..3 written ("write"); mremap to 8 pages, in
                   place (FACT inplace=1); pages 0..7 written ("after")
   mremap-move     a 4-page mapping between PROT_NONE neighbours, written
                   ("write"); mremap to 8 pages with MREMAP_MAYMOVE, which
                   must move it (FACT moved=1); the new range labelled
                   "moved" and written ("after")
   mremap-shrink   8 pages written ("write"); mremap to 2 pages; the 2
                   written again ("after"); FACT resident= (mincore)
   mremap-fixed    a 4-page "region" and a 6-page "target", written
                   ("write"); mremap(MREMAP_MAYMOVE|MREMAP_FIXED) of the
                   region onto target pages 1..4; target page 0 labelled
                   "target0", pages 1..4 "moved"; all 6 written ("after")
   fixed-over      a 10-page "region", 64 KiB-aligned, written ("write");
                   MAP_FIXED anonymous
                   memory over pages 3..6 and a 2-page file (private) over
                   pages 7..8; pages 7..8 read ("read-file"), then all 10
                   written ("rewrite")
   growsdown       a 1-page MAP_GROWSDOWN mapping with 16 MiB free below;
                   its page and then the pages 1 and 3 below it written
                   ("grow"); "stack" labels the 4 pages it grows to;
                   FACT vma-pages= (its size in /proc/self/maps)
   sparse N        a 16 GiB PROT_NONE reservation (MAP_NORESERVE); one page
                   made writable at the start of each of its first 8 whole
                   GiB (none crossing a 512 GiB boundary); the first written
                   ("first"), then the pages of GiB 1..N-1 ("rest"); FACT
                   pt-kib-rest= the growth of VmPTE (page tables) in "rest";
                   INFO base=
   madv-dontneed   8 pages written ("write"); MADV_DONTNEED on pages 2..5;
                   all 8 read ("read"), then written ("rewrite")
   madv-free       8 pages written ("write"); MADV_FREE on all 8; all 8
                   written again ("rewrite") and read ("read")
   wipeonfork      a 10-page "region" written ("write"); MADV_WIPEONFORK on
                   pages 2..5, then MADV_KEEPONFORK on page 5; fork; the
                   child reads all 10 ("child-read", FACT child:sum=) and
                   writes them ("child-write"); after its exit the parent
                   writes all 10 ("after-child")
   dontfork        a 10-page "region" written ("write"); MADV_DONTFORK on
                   pages 2..5, then MADV_DOFORK on page 5; fork; the child
                   writes pages 0, 1 and 5 ("child-write"), then reads page
                   2 ("crash"): SIGSEGV; the parent writes all 10
                   ("after-child")
   mlock           an 8-page "locked" mlocked ("lock") and written
                   ("write"); fork; the child writes it ("child-write");
                   after its exit the parent writes it again
                   ("after-child")
   sysv            an 8-page SysV shared memory segment "shm" (removed at
                   once, alive while attached), written ("write"); fork; the
                   child reads it ("child-read"), writes it ("child-write")
                   and detaches; the parent reads it ("after-child")
   memfd           a 16-page memfd mapped shared twice, 64 KiB-aligned, "a"
                   and "b": "a" written ("write-a"), "b" read ("read-b");
                   fork; the child reads "a" ("child-read-a") and writes "b"
                   ("child-write-b")
   sigbus-shrink   a 4-page file mapped private read-only, 64 KiB-aligned,
                   "file": read ("read"); ftruncate to 1 page; page 0 read
                   ("read0"), then page 2 ("crash"): SIGBUS.  INFO target=
   sigbus-recover  the same, with a SIGBUS handler that siglongjmps back;
                   exits 0.  INFO handled=1
   brk             the break moved to a page boundary, then 16 pages up:
                   "heap", written ("write"); the break moved 8 pages down
                   and 8 up again; the 16 written ("rewrite")
   brk-limit       the break moved up a page at a time until it fails (at
                   most 8192 pages: natively it does not); FACT/INFO
                   grew-past-8MiB= (whether the heap grew beyond 8 MiB)
   rlimit-as       RLIMIT_AS set to the process's size + 64 MiB: a 16 MiB
                   mapping succeeds, a 128 MiB one fails (INFO as-small=1
                   as-big=0); 16 pages of the 16 MiB "small" written
                   ("write")

   mmap-64g        reserves 63 GiB, then 64 GiB (INFO/FACT ok63= ok64=
                   whether each mmap succeeded)
   rmw             read-modify-write instructions on untouched anonymous
                   pages, one a page: "add" 64 pages of `addl $1,(mem)`
                   ("add"), "xadd" 64 pages of `lock xaddl` ("xadd"),
                   "cmpxchg" 16 pages of `lock cmpxchgl` ("cmpxchg"), "inc"
                   16 pages of `incb (mem)` ("inc")
   odd-names       a 4-page file in $TMPDIR named with bytes that are not
                   UTF-8 (ff fe), a terminal escape (ESC [31m), a newline
                   and a tab (vmt_cached_file: unlinked at once), mapped
                   private read-only, 64 KiB-aligned, and labelled
                   "lbl-" c3 28 (not UTF-8) ESC "]0;t" BEL (a terminal's
                   title escape); read ("read")
   label-wrap      VMTRACE_LABEL and VMTRACE_UNLABEL of ranges whose end
                   wraps around the address space (the start near the top,
                   a length of 2 pages; a start of 1 page and a length of
                   2^64 - 1): each ignored with a warning; then 4 pages
                   "region" written ("write")

   Core dumps are turned off (RLIMIT_CORE 0), as in torture_proc. */
#include "vmtest.h"

#include <setjmp.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>

#define GIB ((size_t)1 << 30)

static void write_phase(const char *phase, char *p, size_t n)
{
   vmt_begin(phase);
   vmt_write_pages(p, n);
   vmt_end();
}

static void read_phase(const char *phase, const char *p, size_t n)
{
   vmt_begin(phase);
   vmt_read_pages(p, n);
   vmt_end();
}

static char *labelled(size_t n, const char *name)
{
   char *p = vmt_anon(n);
   VMTRACE_LABEL(p, n * VMT_PAGE, name);
   return p;
}

static int wait_status(pid_t pid)
{
   int st;
   if (waitpid(pid, &st, 0) != pid)
      vmt_die("waitpid");
   return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ---- mremap, MAP_FIXED -------------------------------------------------- */

static void mremap_grow(void)
{
   char *p = labelled(8, "region");
   if (munmap(p + 4 * VMT_PAGE, 4 * VMT_PAGE) != 0)
      vmt_die("munmap");
   write_phase("write", p, 4);
   char *q = mremap(p, 4 * VMT_PAGE, 8 * VMT_PAGE, 0);
   if (q == MAP_FAILED)
      vmt_die("mremap grow");
   vmt_fact("inplace", q == p);
   write_phase("after", p, 8);
}

static void mremap_move(void)
{
   char *p = labelled(4, "region");
   write_phase("write", p, 4);
   char *q = mremap(p, 4 * VMT_PAGE, 8 * VMT_PAGE, MREMAP_MAYMOVE);
   if (q == MAP_FAILED)
      vmt_die("mremap move");
   vmt_fact("moved", q != p);
   VMTRACE_LABEL(q, 8 * VMT_PAGE, "moved");
   write_phase("after", q, 8);
}

static void mremap_shrink(void)
{
   char *p = labelled(8, "region");
   write_phase("write", p, 8);
   if (mremap(p, 8 * VMT_PAGE, 2 * VMT_PAGE, 0) != p)
      vmt_die("mremap shrink");
   write_phase("after", p, 2);
   vmt_fact("resident", vmt_resident(p, 2 * VMT_PAGE));
}

static void mremap_fixed(void)
{
   char *p = labelled(4, "region");
   char *t = labelled(6, "target");
   vmt_begin("write");
   vmt_write_pages(p, 4);
   vmt_write_pages(t, 6);
   vmt_end();
   char *q = mremap(p, 4 * VMT_PAGE, 4 * VMT_PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
                    t + VMT_PAGE);
   if (q != t + VMT_PAGE)
      vmt_die("mremap fixed");
   VMTRACE_LABEL(t, VMT_PAGE, "target0");
   VMTRACE_LABEL(t + VMT_PAGE, 4 * VMT_PAGE, "moved");
   write_phase("after", t, 6);
}

static void fixed_over(void)
{
   /* 64 KiB-aligned: pages 7 and 8 share one fault-around window */
   char *p = vmt_mmap_at(10 * VMT_PAGE, 64 * 1024, 0, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   VMTRACE_LABEL(p, 10 * VMT_PAGE, "region");
   write_phase("write", p, 10);
   if (mmap(p + 3 * VMT_PAGE, 4 * VMT_PAGE, PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != p + 3 * VMT_PAGE)
      vmt_die("mmap MAP_FIXED anonymous");
   int fd = vmt_cached_file("torture-fixed.dat", 2 * VMT_PAGE);
   if (mmap(p + 7 * VMT_PAGE, 2 * VMT_PAGE, PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_FIXED, fd, 0) != p + 7 * VMT_PAGE)
      vmt_die("mmap MAP_FIXED file");
   close(fd);
   read_phase("read-file", p + 7 * VMT_PAGE, 2);
   write_phase("rewrite", p, 10);
}

/* ---- MAP_GROWSDOWN, a sparse reservation -------------------------------- */

static long vma_pages_at(const void *addr)
{
   if (vmt_under_valgrind())
      return -1;
   long pages = -1;
   vmt_read_maps();
   for (char *line = vmt_maps_buf; *line;) {
      unsigned long s, e;
      if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s <= (uintptr_t)addr &&
          (uintptr_t)addr < e)
         pages = (long)((e - s) / VMT_PAGE);
      char *nl = strchr(line, '\n');
      if (!nl)
         break;
      line = nl + 1;
   }
   return pages;
}

static void growsdown(void)
{
   size_t room = 4096 * VMT_PAGE;
   char *r = mmap(NULL, room, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                  -1, 0);
   if (r == MAP_FAILED || munmap(r, room) != 0)
      vmt_die("reserve");
   char *g = r + room - 8 * VMT_PAGE;
   if (mmap(g, VMT_PAGE, PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED, -1, 0) != g)
      vmt_die("mmap MAP_GROWSDOWN");
   VMTRACE_LABEL(g - 3 * VMT_PAGE, 4 * VMT_PAGE, "stack");
   vmt_begin("grow");
   *(volatile char *)g = 1;
   *(volatile char *)(g - 1) = 1;
   *(volatile char *)(g - 3 * VMT_PAGE) = 1;
   vmt_end();
   vmt_fact("vma-pages", vma_pages_at(g));
}

static long vmpte_kib(void)
{
   if (vmt_under_valgrind())
      return -1;
   FILE *f = fopen("/proc/self/status", "r");
   char line[256];
   long v = -1;
   if (!f)
      vmt_die("open /proc/self/status");
   while (fgets(line, sizeof line, f))
      if (strncmp(line, "VmPTE:", 6) == 0)
         v = atol(line + 6);
   fclose(f);
   return v;
}

static void sparse(int n)
{
   char *r = mmap(NULL, 16 * GIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                  -1, 0);
   if (r == MAP_FAILED)
      vmt_die("reserve 16 GiB");
   uintptr_t a = ((uintptr_t)r + GIB - 1) & ~(uintptr_t)(GIB - 1);
   /* 8 GiB within one 512 GiB region (one PUD table): at most one
      boundary lies in the 16 GiB, so starting there leaves 8 GiB */
   uintptr_t bound = (a + 8 * GIB - 1) & ~(((uintptr_t)512 << 30) - 1);
   if (bound > a)
      a = bound;
   if (a + 8 * GIB > (uintptr_t)r + 16 * GIB)
      vmt_die("sparse arithmetic");
   char *base = (char *)a;
   for (int k = 0; k < n; k++)
      if (mprotect(base + k * GIB, VMT_PAGE, PROT_READ | PROT_WRITE) != 0)
         vmt_die("mprotect");
   VMTRACE_LABEL(base, VMT_PAGE, "first");
   for (int k = 1; k < n; k++)
      VMTRACE_LABEL(base + k * GIB, VMT_PAGE, "rest");
   vmt_info_addr("base", base);
   write_phase("first", base, 1);
   long before = vmpte_kib();
   vmt_begin("rest");
   for (int k = 1; k < n; k++)
      *(volatile char *)(base + k * GIB) = 1;
   vmt_end();
   vmt_fact("pt-kib-rest", vmpte_kib() - before);
}

/* ---- madvise ---------------------------------------------------------------- */

static void madv_dontneed(void)
{
   char *p = labelled(8, "region");
   write_phase("write", p, 8);
   if (madvise(p + 2 * VMT_PAGE, 4 * VMT_PAGE, MADV_DONTNEED) != 0)
      vmt_die("MADV_DONTNEED");
   read_phase("read", p, 8);
   write_phase("rewrite", p, 8);
}

static void madv_free(void)
{
   char *p = labelled(8, "region");
   write_phase("write", p, 8);
   if (madvise(p, 8 * VMT_PAGE, MADV_FREE) != 0)
      vmt_die("MADV_FREE");
   write_phase("rewrite", p, 8);
   read_phase("read", p, 8);
}

static void fork_advice(int wipe)
{
   char *p = labelled(10, "region");
   write_phase("write", p, 10);
   if (madvise(p + 2 * VMT_PAGE, 4 * VMT_PAGE, wipe ? MADV_WIPEONFORK : MADV_DONTFORK) != 0 ||
       madvise(p + 5 * VMT_PAGE, VMT_PAGE, wipe ? MADV_KEEPONFORK : MADV_DOFORK) != 0)
      vmt_die("madvise");
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      if (wipe) {
         vmt_begin("child-read");
         long sum = 0;
         for (int i = 0; i < 10; i++)
            sum += p[i * VMT_PAGE];
         vmt_end();
         printf("INFO sum=%ld\n", sum);
         vmt_fact("sum", sum);
         write_phase("child-write", p, 10);
      } else {
         vmt_begin("child-write");
         vmt_write_pages(p, 2);
         vmt_write_pages(p + 5 * VMT_PAGE, 1);
         vmt_end();
         fflush(stdout);
         vmt_begin("crash");
         vmt_read_pages(p + 2 * VMT_PAGE, 1);
         vmt_end();
      }
      vmt_child_exit();
   }
   vmt_fact("status", wait_status(pid));
   write_phase("after-child", p, 10);
}

/* ---- mlock, SysV, memfd ------------------------------------------------------ */

/* (Not mlock2(MLOCK_ONFAULT): Valgrind 3.19 does not know the call.) */
static void lock(void)
{
   char *l = labelled(8, "locked");
   vmt_begin("lock");
   if (mlock(l, 8 * VMT_PAGE) != 0)
      vmt_die("mlock");
   vmt_end();
   write_phase("write", l, 8);
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      write_phase("child-write", l, 8);
      vmt_child_exit();
   }
   vmt_fact("status", wait_status(pid));
   write_phase("after-child", l, 8);
}

static void sysv(void)
{
   int id = shmget(IPC_PRIVATE, 8 * VMT_PAGE, IPC_CREAT | 0600);
   if (id < 0)
      vmt_die("shmget");
   char *s = shmat(id, NULL, 0);
   if (s == (void *)-1)
      vmt_die("shmat");
   if (shmctl(id, IPC_RMID, NULL) != 0)
      vmt_die("IPC_RMID");
   VMTRACE_LABEL(s, 8 * VMT_PAGE, "shm");
   write_phase("write", s, 8);
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      read_phase("child-read", s, 8);
      write_phase("child-write", s, 8);
      if (shmdt(s) != 0)
         vmt_die("shmdt");
      vmt_child_exit();
   }
   vmt_fact("status", wait_status(pid));
   read_phase("after-child", s, 8);
   if (shmdt(s) != 0)
      vmt_die("shmdt");
}

static void memfd(void)
{
   const size_t window = 64 * 1024;
   int fd = memfd_create("torture", 0);
   if (fd < 0 || ftruncate(fd, 16 * VMT_PAGE) != 0)
      vmt_die("memfd");
   char *a = vmt_mmap_at(16 * VMT_PAGE, window, 0, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
   char *b = vmt_mmap_at(16 * VMT_PAGE, window, 0, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
   close(fd);
   VMTRACE_LABEL(a, 16 * VMT_PAGE, "a");
   VMTRACE_LABEL(b, 16 * VMT_PAGE, "b");
   write_phase("write-a", a, 16);
   read_phase("read-b", b, 16);
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      read_phase("child-read-a", a, 16);
      write_phase("child-write-b", b, 16);
      vmt_child_exit();
   }
   vmt_fact("status", wait_status(pid));
}

/* ---- SIGBUS after a shrink -------------------------------------------------- */

static sigjmp_buf back;
static volatile sig_atomic_t handled;

static void jump_back(int sig)
{
   (void)sig;
   handled++;
   siglongjmp(back, 1);
}

static void sigbus(int recover)
{
   const size_t window = 64 * 1024;
   int fd = vmt_cached_file("torture-sigbus.dat", 4 * VMT_PAGE);
   char *f = vmt_mmap_at(4 * VMT_PAGE, window, 0, PROT_READ, MAP_PRIVATE, fd, 0);
   VMTRACE_LABEL(f, 4 * VMT_PAGE, "file");
   read_phase("read", f, 4);
   if (ftruncate(fd, VMT_PAGE) != 0)
      vmt_die("ftruncate");
   read_phase("read0", f, 1);
   vmt_info_addr("target", f + 2 * VMT_PAGE);
   if (recover) {
      struct sigaction sa;
      memset(&sa, 0, sizeof sa);
      sa.sa_handler = jump_back;
      if (sigaction(SIGBUS, &sa, NULL) != 0)
         vmt_die("sigaction");
   }
   vmt_begin("crash");
   if (sigsetjmp(back, 1) == 0)
      vmt_read_pages(f + 2 * VMT_PAGE, 1);
   vmt_end();
   printf("INFO handled=%d\n", (int)handled);
   vmt_fact("handled", handled);
}

/* ---- brk, limits ---------------------------------------------------------------- */

static void brk_up_down(void)
{
   char *cur = sbrk(0);
   size_t pad = (VMT_PAGE - (uintptr_t)cur % VMT_PAGE) % VMT_PAGE;
   if (sbrk((intptr_t)pad) == (void *)-1)
      vmt_die("sbrk align");
   char *base = sbrk(16 * (intptr_t)VMT_PAGE);
   if (base == (void *)-1)
      vmt_die("sbrk +16 pages");
   VMTRACE_LABEL(base, 16 * VMT_PAGE, "heap");
   write_phase("write", base, 16);
   if (sbrk(-8 * (intptr_t)VMT_PAGE) == (void *)-1 ||
       sbrk(8 * (intptr_t)VMT_PAGE) == (void *)-1)
      vmt_die("sbrk down and up");
   write_phase("rewrite", base, 16);
}

static void brk_limit(void)
{
   char *start = sbrk(0);
   int n = 0;
   while (n < 8192 && sbrk((intptr_t)VMT_PAGE) != (void *)-1)
      n++;
   int past = (char *)sbrk(0) - start > (8 << 20);
   printf("INFO grew-past-8MiB=%d\n", past);
   vmt_fact("grew-past-8MiB", past);
}

/* Reserves 63 GiB, then 64 GiB (PROT_NONE, MAP_NORESERVE). */
static void mmap_64g(void)
{
   for (size_t gib = 63; gib <= 64; gib++) {
      void *r = mmap(NULL, gib * GIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                     -1, 0);
      char key[16];
      snprintf(key, sizeof key, "ok%zu", gib);
      printf("INFO %s=%d\n", key, r != MAP_FAILED);
      vmt_fact(key, r != MAP_FAILED);
      if (r != MAP_FAILED)
         munmap(r, gib * GIB);
   }
}

static void rlimit_as(void)
{
   FILE *f = fopen("/proc/self/statm", "r");
   long pages;
   if (!f || fscanf(f, "%ld", &pages) != 1)
      vmt_die("read /proc/self/statm");
   fclose(f);
   struct rlimit rl = {(rlim_t)pages * VMT_PAGE + (64 << 20), RLIM_INFINITY};
   if (setrlimit(RLIMIT_AS, &rl) != 0)
      vmt_die("setrlimit RLIMIT_AS");
   char *big = mmap(NULL, 128 << 20, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   char *small = mmap(NULL, 16 << 20, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   printf("INFO as-big=%d\nINFO as-small=%d\n", big != MAP_FAILED, small != MAP_FAILED);
   if (small == MAP_FAILED)
      vmt_die("a 16 MiB mapping under RLIMIT_AS");
   VMTRACE_LABEL(small, 16 * VMT_PAGE, "small");
   write_phase("write", small, 16);
}

/* ---- read-modify-write instructions ---------------------------------- */

static VMT_NOINLINE void add_pages(char *p, size_t n)
{
   for (size_t i = 0; i < n; i++)
      __asm__ volatile("addl $1, (%0)" : : "r"(p + i * VMT_PAGE) : "memory", "cc");
}

static VMT_NOINLINE void xadd_pages(char *p, size_t n)
{
   for (size_t i = 0; i < n; i++) {
      unsigned v = 1;
      __asm__ volatile("lock xaddl %0, (%1)" : "+r"(v) : "r"(p + i * VMT_PAGE)
                       : "memory", "cc");
   }
}

static VMT_NOINLINE void cmpxchg_pages(char *p, size_t n)
{
   for (size_t i = 0; i < n; i++) {
      unsigned expected = 0, desired = 7;
      __asm__ volatile("lock cmpxchgl %2, (%1)" : "+a"(expected)
                       : "r"(p + i * VMT_PAGE), "r"(desired) : "memory", "cc");
   }
}

static VMT_NOINLINE void inc_pages(char *p, size_t n)
{
   for (size_t i = 0; i < n; i++)
      __asm__ volatile("incb (%0)" : : "r"(p + i * VMT_PAGE) : "memory", "cc");
}

static void rmw(void)
{
   char *a = labelled(64, "add"), *x = labelled(64, "xadd");
   char *c = labelled(16, "cmpxchg"), *i = labelled(16, "inc");
   vmt_begin("add");
   add_pages(a, 64);
   vmt_end();
   vmt_begin("xadd");
   xadd_pages(x, 64);
   vmt_end();
   vmt_begin("cmpxchg");
   cmpxchg_pages(c, 16);
   vmt_end();
   vmt_begin("inc");
   inc_pages(i, 16);
   vmt_end();
}

/* ---- names the client chooses ----------------------------------------- */

static void odd_names(void)
{
   int fd = vmt_cached_file("odd-\xff\xfe-\x1b[31mred\x1b[0m-\n-\t.dat", 4 * VMT_PAGE);
   char *f = vmt_mmap_at(4 * VMT_PAGE, 64 * 1024, 0, PROT_READ, MAP_PRIVATE, fd, 0);
   VMTRACE_LABEL(f, 4 * VMT_PAGE, "lbl-\xc3\x28\x1b]0;t\x07");
   read_phase("read", f, 4);
}

static void label_wrap(void)
{
   VMTRACE_LABEL((void *)-VMT_PAGE, 2 * VMT_PAGE, "wraps");
   VMTRACE_LABEL((void *)VMT_PAGE, ~(size_t)0, "wraps-too");
   VMTRACE_UNLABEL((void *)-VMT_PAGE, 2 * VMT_PAGE);
   char *p = labelled(4, "region");
   write_phase("write", p, 4);
}

int main(int argc, char **argv)
{
   vmt_init();
   struct rlimit no_core = {0, 0};
   setrlimit(RLIMIT_CORE, &no_core);
   vmt_set_role("parent");
   const char *mode = argc >= 2 ? argv[1] : "";
   if (strcmp(mode, "mremap-grow") == 0)
      mremap_grow();
   else if (strcmp(mode, "mremap-move") == 0)
      mremap_move();
   else if (strcmp(mode, "mremap-shrink") == 0)
      mremap_shrink();
   else if (strcmp(mode, "mremap-fixed") == 0)
      mremap_fixed();
   else if (strcmp(mode, "fixed-over") == 0)
      fixed_over();
   else if (strcmp(mode, "growsdown") == 0)
      growsdown();
   else if (strcmp(mode, "sparse") == 0 && argc == 3)
      sparse(atoi(argv[2]));
   else if (strcmp(mode, "madv-dontneed") == 0)
      madv_dontneed();
   else if (strcmp(mode, "madv-free") == 0)
      madv_free();
   else if (strcmp(mode, "wipeonfork") == 0)
      fork_advice(1);
   else if (strcmp(mode, "dontfork") == 0)
      fork_advice(0);
   else if (strcmp(mode, "mlock") == 0)
      lock();
   else if (strcmp(mode, "sysv") == 0)
      sysv();
   else if (strcmp(mode, "memfd") == 0)
      memfd();
   else if (strcmp(mode, "sigbus-shrink") == 0)
      sigbus(0);
   else if (strcmp(mode, "sigbus-recover") == 0)
      sigbus(1);
   else if (strcmp(mode, "brk") == 0)
      brk_up_down();
   else if (strcmp(mode, "brk-limit") == 0)
      brk_limit();
   else if (strcmp(mode, "rlimit-as") == 0)
      rlimit_as();
   else if (strcmp(mode, "mmap-64g") == 0)
      mmap_64g();
   else if (strcmp(mode, "rmw") == 0)
      rmw();
   else if (strcmp(mode, "odd-names") == 0)
      odd_names();
   else if (strcmp(mode, "label-wrap") == 0)
      label_wrap();
   else
      vmt_die("usage: torture_mem MODE [ARG] (see the top of torture_mem.c)");
   return 0;
}
