/* tests/native/client.c: programs whose page faults are known from first
   principles, for vmtrace-native.  Each mode prints
     MAP <start> <end>                       the region it works on
     ORACLE minflt=N majflt=N                the kernel's own count
                                             (getrusage) around the work
     PEAK who maxrss_kib=N                   the kernel's high-water mark
                                             (getrusage, wait4) at the end
   Lines marked FAULT-... are where the faults happen; the test finds them
   by the marker. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

extern char **environ;

static struct rusage before;

static void oracle_start(void)
{
   getrusage(RUSAGE_SELF, &before);
}

static void oracle_end(const char *who)
{
   struct rusage after;
   getrusage(RUSAGE_SELF, &after);
   printf("ORACLE %s minflt=%ld majflt=%ld\n", who, after.ru_minflt - before.ru_minflt,
          after.ru_majflt - before.ru_majflt);
   fflush(stdout);
}

static void say_map(const volatile char *p, size_t pages)
{
   printf("MAP %lu %lu\n", (unsigned long)p, (unsigned long)(p + pages * PAGE));
   fflush(stdout);
}

/* A fresh private anonymous region, one fault per page: no transparent
   huge pages. */
static char *anon(size_t pages, int prot)
{
   char *p = mmap(NULL, pages * PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (p == MAP_FAILED) {
      perror("mmap");
      exit(2);
   }
   madvise(p, pages * PAGE, MADV_NOHUGEPAGE);
   return p;
}

/* `pages` pages nothing is mapped at, 1 TiB steps below `near` (far from
   everything a small program maps, so no earlier mapping was ever there):
   mincore fails with ENOMEM on a page that is not mapped. */
static char *never_mapped(const char *near, size_t pages)
{
   unsigned char v;
   uintptr_t at = ((uintptr_t)near & ~(uintptr_t)(PAGE - 1)) - (1ul << 40);
   for (; at > (1ul << 40); at -= 1ul << 40) {
      size_t i;
      for (i = 0; i < pages; i++)
         if (mincore((void *)(at + i * PAGE), PAGE, &v) == 0 || errno != ENOMEM)
            break;
      if (i == pages)
         return (char *)at;
   }
   fprintf(stderr, "no free place\n");
   exit(2);
}

/* n pages written, counted by the kernel; then held a while if asked (so
   a reader of /proc/PID/maps still finds the process). */
static void write_pages(volatile char *p, size_t n, int hold)
{
   oracle_start();
   for (size_t i = 0; i < n; i++)
      p[i * PAGE] = 1;   /* FAULT-MREMAP */
   oracle_end("main");
   if (hold)
      usleep(300000);
}

static char *region(size_t pages)
{
   char *p = anon(pages, PROT_READ | PROT_WRITE);
   say_map(p, pages);
   return p;
}

/* memset reached through a pointer, so the call stays a call into libc */
static void *(*volatile memset_fn)(void *, int, size_t) = memset;

/* The kernel's high-water mark of this process, said just before it exits:
   formatting and writing touch nothing new, so it is the peak at exit. */
static void say_peak_and_exit(void)
{
   static char line[64];
   struct rusage ru;
   int len;
   snprintf(line, sizeof line, "PEAK main maxrss_kib=%ld\n", 0L);   /* the code, faulted in */
   getrusage(RUSAGE_SELF, &ru);
   len = snprintf(line, sizeof line, "PEAK main maxrss_kib=%ld\n", ru.ru_maxrss);
   if (write(1, line, (size_t)len) != len)
      _exit(2);
   _exit(0);
}

/* n fresh pages made resident in one go, the way a program touching them
   would, but within a millisecond (the kernel writes them: MADV_POPULATE_
   WRITE, Linux 5.14; by hand where it has none). */
static void populate(size_t n)
{
   volatile char *p = region(n);
   if (madvise((void *)p, n * PAGE, MADV_POPULATE_WRITE) != 0)
      for (size_t i = 0; i < n; i++)
         p[i * PAGE] = 1;
}

struct thread_arg { size_t pages; };

static void *thread_main(void *v)
{
   struct thread_arg *a = v;
   volatile char *p = region(a->pages);
   for (size_t i = 0; i < a->pages; i++)
      p[i * PAGE] = 1;   /* FAULT-THREAD */
   return NULL;
}

/* Two threads write the same fresh pages at once: where both fault on a
   page before either has mapped it, the kernel counts both faults (the
   second finds the page there and returns, counted all the same).  Each
   measures its own faults (RUSAGE_THREAD) around its loop. */
struct race_arg { volatile char *p; size_t pages; pthread_barrier_t *go; long minflt; };

static void *race_main(void *v)
{
   struct race_arg *a = v;
   struct rusage r0, r1;
   pthread_barrier_wait(a->go);
   getrusage(RUSAGE_THREAD, &r0);
   for (size_t i = 0; i < a->pages; i++)
      a->p[i * PAGE] = 1;   /* FAULT-RACE */
   getrusage(RUSAGE_THREAD, &r1);
   a->minflt = r1.ru_minflt - r0.ru_minflt;
   return NULL;
}

/* The last thread of a process whose first one has gone (pthread_exit in
   main): 100 ms later it writes n pages and ends the process, exit 7. */
static void *last_thread(void *v)
{
   size_t n = *(size_t *)v;
   volatile char *p;
   usleep(100000);
   p = region(n);
   for (size_t i = 0; i < n; i++)
      p[i * PAGE] = 1;   /* FAULT-LATE */
   exit(7);
}

static void leader_exits_first(size_t *n)
{
   pthread_t t;
   pthread_create(&t, NULL, last_thread, n);
   pthread_exit(NULL);
}

int main(int argc, char **argv)
{
   const char *mode = argc > 1 ? argv[1] : "";
   size_t n = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;
   int hold = argc > 3 && strcmp(argv[3], "hold") == 0;

   if (strcmp(mode, "anon") == 0) {
      volatile char *p = region(n);
      oracle_start();
      for (size_t i = 0; i < n; i++)
         p[i * PAGE] = 1;   /* FAULT-ANON */
      oracle_end("main");
   } else if (strcmp(mode, "memset") == 0) {
      char *p = region(n);
      oracle_start();
      memset_fn(p, 1, n * PAGE);   /* FAULT-MEMSET */
      oracle_end("main");
   } else if (strcmp(mode, "fork") == 0) {
      volatile char *p = region(n);
      pid_t pid;
      int st;
      oracle_start();
      for (size_t i = 0; i < n; i++)
         p[i * PAGE] = 1;   /* FAULT-PARENT */
      oracle_end("parent");
      pid = fork();
      if (pid == 0) {
         oracle_start();
         for (size_t i = 0; i < n; i++)
            p[i * PAGE] = 2;   /* FAULT-CHILD */
         oracle_end("child");
         _exit(0);
      }
      waitpid(pid, &st, 0);
   } else if (strcmp(mode, "exec") == 0) {
      pid_t pid = fork();
      int st;
      if (pid == 0) {
         execl("/bin/true", "true", (char *)NULL);
         _exit(127);
      }
      waitpid(pid, &st, 0);
   } else if (strcmp(mode, "run") == 0 && argc > 2) {
      /* runs argv[2..] in a child and says what the kernel counted of
         it: wait4's rusage is the child's own faults over its whole life
         (it has no children of its own), before and after its exec */
      pid_t pid = fork();
      int st;
      struct rusage ru;
      if (pid == 0) {
         execv(argv[2], argv + 2);
         _exit(127);
      }
      wait4(pid, &st, 0, &ru);
      printf("CHILD pid=%d minflt=%ld majflt=%ld\n", (int)pid, ru.ru_minflt, ru.ru_majflt);
   } else if (strcmp(mode, "threads") == 0) {
      pthread_t t[2];
      struct thread_arg a = { n };
      for (int i = 0; i < 2; i++)
         pthread_create(&t[i], NULL, thread_main, &a);
      for (int i = 0; i < 2; i++)
         pthread_join(t[i], NULL);
   } else if (strcmp(mode, "race") == 0) {
      pthread_t t[2];
      pthread_barrier_t go;
      struct race_arg a[2];
      volatile char *p = region(n);
      pthread_barrier_init(&go, NULL, 2);
      for (int i = 0; i < 2; i++) {
         a[i] = (struct race_arg){ p, n, &go, 0 };
         pthread_create(&t[i], NULL, race_main, &a[i]);
      }
      for (int i = 0; i < 2; i++)
         pthread_join(t[i], NULL);
      printf("ORACLE race minflt=%ld majflt=0\n", a[0].minflt + a[1].minflt);
   } else if (strcmp(mode, "file") == 0 && argc > 3) {
      /* n pages written a page at a time (no large folios), dropped from
         the page cache, then read through a mapping */
      const char *path = argv[3];
      char buf[PAGE];
      int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
      volatile char *f;
      unsigned long sum = 0;
      if (fd < 0) {
         perror(path);
         return 2;
      }
      for (size_t i = 0; i < n; i++) {
         memset(buf, (int)i, sizeof buf);
         if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
            return 2;
      }
      fdatasync(fd);
      posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
      f = mmap(NULL, n * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
      if (f == MAP_FAILED)
         return 2;
      madvise((void *)f, n * PAGE, MADV_RANDOM);   /* no readahead */
      printf("MAP %lu %lu\n", (unsigned long)f, (unsigned long)(f + n * PAGE));
      fflush(stdout);
      oracle_start();
      for (size_t i = 0; i < n; i++)
         sum += (unsigned char)f[i * PAGE];   /* FAULT-FILE */
      oracle_end("main");
      printf("sum %lu\n", sum);
   } else if (strcmp(mode, "thp-file") == 0 && argc > 3) {
      /* a whole program on large pages: n pages of anonymous memory given
         MADV_HUGEPAGE, written; then a file of n pages, written in 1 MiB
         write()s, dropped from the page cache and read through a mapping
         (readahead brings it back in large folios); both 2 MiB-aligned */
      const size_t huge = (size_t)2 << 20, chunk = (size_t)1 << 20;
      const char *path = argv[3];
      char *mem = mmap(NULL, n * PAGE + huge, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      char *buf = malloc(chunk);
      unsigned long sum = 0;
      int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
      if (mem == MAP_FAILED || !buf || fd < 0) {
         perror(path);
         return 2;
      }
      mem = (char *)(((uintptr_t)mem + huge - 1) & ~(uintptr_t)(huge - 1));
      madvise(mem, n * PAGE, MADV_HUGEPAGE);
      for (size_t i = 0; i < n; i++)
         mem[i * PAGE] = 1;
      memset(buf, 'f', chunk);
      for (size_t done = 0; done < n * PAGE; done += chunk)
         if (write(fd, buf, chunk) != (ssize_t)chunk)
            return 2;
      fdatasync(fd);
      posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
      char *hole = mmap(NULL, n * PAGE + huge, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      char *at = (char *)(((uintptr_t)hole + huge - 1) & ~(uintptr_t)(huge - 1));
      volatile char *f = mmap(at, n * PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
      if (hole == MAP_FAILED || f == MAP_FAILED)
         return 2;
      for (size_t i = 0; i < n; i++)
         sum += (unsigned char)f[i * PAGE];
      printf("sum %lu\n", sum);
      unlink(path);
   } else if (strcmp(mode, "brk") == 0) {
      /* the heap grown by brk; n pages written */
      volatile char *p = sbrk((intptr_t)(n * PAGE));
      if (p == (void *)-1)
         return 2;
      oracle_start();
      for (size_t i = 0; i < n; i++)
         p[i * PAGE] = 1;   /* FAULT-BRK */
      oracle_end("main");
   } else if (strcmp(mode, "peak") == 0) {
      /* n pages made resident, then the end at once: no poll of /proc
         sees the top */
      populate(n);
      say_peak_and_exit();
   } else if (strcmp(mode, "peak-fork") == 0) {
      /* the same, leaving behind a child that shares the n pages and
         outlives the parent */
      populate(n);
      if (fork() == 0) {
         close(1);
         usleep(300000);
         _exit(0);
      }
      say_peak_and_exit();
   } else if (strcmp(mode, "peak-child") == 0) {
      /* a child that writes n pages and exits at once, waited for */
      struct rusage ru;
      int st;
      pid_t pid = fork();
      if (pid == 0) {
         populate(n);
         _exit(0);
      }
      if (wait4(pid, &st, 0, &ru) != pid)
         return 2;
      printf("PEAK child maxrss_kib=%ld\n", ru.ru_maxrss);
   } else if (strcmp(mode, "mremap") == 0) {
      /* n fresh pages moved (MREMAP_FIXED) to a place never mapped
         before, then written: a fault per page, at the new place */
      char *from = anon(n, PROT_READ | PROT_WRITE);
      char *to = never_mapped(from, n);
      volatile char *p = mremap(from, n * PAGE, n * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, to);
      if (p != to)
         return 2;
      say_map(p, n);
      write_pages(p, n, hold);
   } else if (strcmp(mode, "mremap-grow") == 0) {
      /* n fresh pages, placed where nothing ever was, grown in place to
         2n, then all written */
      char *base = never_mapped((char *)&mode, 2 * n);
      volatile char *p;
      if (mmap(base, n * PAGE, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != base)
         return 2;
      madvise(base, n * PAGE, MADV_NOHUGEPAGE);
      p = mremap(base, n * PAGE, 2 * n * PAGE, 0);
      if (p != base)
         return 2;
      say_map(p, 2 * n);
      write_pages(p, 2 * n, hold);
   } else if (strcmp(mode, "mremap-maymove") == 0) {
      /* realloc's way: n fresh pages that cannot grow in place (a page
         of other protection follows), grown to 2n where the kernel
         chooses, then all written */
      char *from = anon(n + 1, PROT_READ | PROT_WRITE);
      volatile char *p;
      mprotect(from + n * PAGE, PAGE, PROT_NONE);
      p = mremap(from, n * PAGE, 2 * n * PAGE, MREMAP_MAYMOVE);
      if (p == MAP_FAILED || p == from)
         return 2;
      say_map(p, 2 * n);
      write_pages(p, 2 * n, hold);
   } else if (strcmp(mode, "leader-exit") == 0) {
      leader_exits_first(&n);
   } else if (strcmp(mode, "leader-exit-child") == 0) {
      int st;
      pid_t pid = fork();
      if (pid == 0)
         leader_exits_first(&n);
      waitpid(pid, &st, 0);
      return WIFEXITED(st) && WEXITSTATUS(st) == 7 ? 0 : 2;
   } else if (strcmp(mode, "spawn-big") == 0) {
      /* n pages resident, then /bin/true started 50 times with
         posix_spawn (vfork-like: the child runs in this address space
         until its exec), one at a time */
      char *args[] = { "true", NULL };
      populate(n);
      for (int i = 0; i < 50; i++) {
         pid_t pid;
         int st;
         if (posix_spawn(&pid, "/bin/true", NULL, NULL, args, environ) != 0 ||
             waitpid(pid, &st, 0) != pid)
            return 2;
      }
   } else if (strcmp(mode, "names") == 0 && argc > 2) {
      /* files whose names are not UTF-8 (a surrogate, an overlong form,
         beyond U+10FFFF, a truncated character, a stray byte) or hold a
         terminal escape, each mapped and written; and such a comm */
      static const char *const bad[] = { "\xed\xa0\x80", "\xc0\xaf", "\xf5\x80\x80\x80",
                                         "\xe2\x82", "\xff", "\x1b[31mred", "ok\xc3\xa9" };
      for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
         char path[4096];
         volatile char *f;
         int fd;
         snprintf(path, sizeof path, "%s/%s.%zu", argv[2], bad[i], i);
         fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
         if (fd < 0 || ftruncate(fd, PAGE) != 0)
            return 2;
         f = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
         if (f == MAP_FAILED)
            return 2;
         f[0] = 1;
         close(fd);
      }
      prctl(PR_SET_NAME, "x\xed\xa0\x80\xff\x1b", 0, 0, 0);
      n = 0;
   } else if (strcmp(mode, "signal") == 0) {
      raise((int)n);
      return 2;
   } else if (strcmp(mode, "exit") == 0) {
      return (int)n;
   } else if (strcmp(mode, "abort") == 0) {
      abort();
   } else {
      fprintf(stderr, "usage: client anon|memset|fork|threads|race|brk|peak|peak-fork|peak-child N | "
              "mremap|mremap-grow|mremap-maymove N [hold] | leader-exit[-child] N | "
              "spawn-big N | signal N | names DIR | exec | "
              "file N PATH | exit N | abort\n");
      return 2;
   }
   return 0;
}
