/* memcg: memory under a limit, to compare vmtrace's simulations (--ram,
   --policy=linux, --swap=0) with the kernel's memory cgroup.

   Natively, when $VMT_MEMCG names a cgroup v1 memory controller's
   directory, the client moves itself into it just before the measured
   phases, after its setup: what the cgroup is then charged for is what the
   phases bring in (the file's page cache, the pages they write, the page
   tables and kernel memory they need), not the program, its libraries or
   the file's writes, which stay charged where they were (cgroup v1 moves
   no charge with a task unless memory.move_charge_at_immigrate says so).
   Under Valgrind it joins nothing: the simulation is the limit.

   memcg twice PAGES
       a file of PAGES pages, written in 1 MiB writes and dropped from the
       page cache (fsync, POSIX_FADV_DONTNEED), mapped private read-only
       with MADV_RANDOM (no readahead: each fault reads its one page) and
       read a byte a page, twice: phases "first" and "second" (label
       "file"); with "ra" after PAGES, without MADV_RANDOM (readahead
       reads around each page not cached); with "seqrand", the file given
       POSIX_FADV_RANDOM and its mapping MADV_SEQUENTIAL (each fault on a
       page not cached reads the readahead window's pages from it on:
       force_page_cache_ra)
   memcg hot PAGES HOT CHUNK ROUNDS
       the same file, MADV_RANDOM; ROUNDS rounds of: the first HOT pages
       read (phase "hot"), then the next CHUNK pages of the rest of the
       file, cyclically over [HOT, PAGES) (phase "cold"); FACT
       hot-major-last: the major faults of the last round's "hot" phase;
       with "ra" after ROUNDS, without MADV_RANDOM
   memcg around PAGES PAGES2
       a file of PAGES pages (dropped) read into the page cache by
       POSIX_FADV_WILLNEED (natively waited for), mapped, and every 16th
       page read (phase "stride", label "file"); then a second file of
       PAGES2 pages, mapped MADV_RANDOM, read a byte a page (phase
       "pressure", label "pressure"); then the first file's pages read
       again: those read before (phase "touched") and the others, which
       only fault-around mapped (phase "around")
   memcg anon PAGES
       PAGES pages of private anonymous memory written a page at a time
       (phase "anon", label "anon").  Natively in a cgroup, the writes run
       in a child (role "child") that records in memory shared with its
       parent how many pages it has written; the parent, outside the
       cgroup, prints FACT anon-written (pages the child wrote before it
       died) and FACT killed (1 if the child died of SIGKILL, the memory
       cgroup's OOM killer)
   memcg swap PAGES
       PAGES pages of private anonymous memory (label "anon") written a page
       at a time (phase "write"; each page non-zero, so that swap keeps its
       contents: a zero-filled page is not written to a swap device), then
       read a byte a page, twice, in the same order: phases "first" and
       "second".  For a cgroup with swap: no child, the run must not die
   memcg anonhot PAGES HOT CHUNK ROUNDS
       the same area written (phase "write"), then, as "hot" does with a
       file, ROUNDS rounds of: its first HOT pages read (phase "hot"), then
       the next CHUNK pages of the rest, cyclically over [HOT, PAGES)
       (phase "cold") */
#include "vmtest.h"

#include <signal.h>
#include <sys/wait.h>

#define MiB ((size_t)1 << 20)

/* Moves this process into the memory cgroup $VMT_MEMCG names (natively;
   nothing when it is unset). */
static void join_memcg(void)
{
   const char *dir = getenv("VMT_MEMCG");
   if (vmt_under_valgrind() || !dir || !*dir)
      return;
   char path[4096], pid[32];
   snprintf(path, sizeof path, "%s/cgroup.procs", dir);
   int fd = open(path, O_WRONLY);
   int n = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
   if (fd < 0 || write(fd, pid, (size_t)n) != n)
      vmt_die("join the cgroup %s", dir);
   close(fd);
}

/* $TMPDIR/name, `len` bytes written in 1 MiB write()s, dropped from the
   page cache (POSIX_FADV_DONTNEED after fsync) and unlinked; open O_RDWR. */
static int dropped_file(const char *name, size_t len)
{
   const char *dir = getenv("TMPDIR");
   char path[4096];
   snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/tmp", name);
   int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
   if (fd < 0)
      vmt_die("open %s", path);
   /* mapped and unmapped again: a buffer in the bss would stay resident
      (and, under vmtrace, take 256 frames of the simulated memory) */
   char *buf = mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (buf == MAP_FAILED)
      vmt_die("mmap");
   memset(buf, 'm', MiB);
   for (size_t at = 0; at < len;) {
      size_t n = len - at < MiB ? len - at : MiB;
      if (write(fd, buf, n) != (ssize_t)n)
         vmt_die("write %s", path);
      at += n;
   }
   munmap(buf, MiB);
   if (fsync(fd) != 0 || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) != 0)
      vmt_die("fsync/fadvise %s", path);
   unlink(path);
   return fd;
}

/* The dropped file of npages mapped private read-only, labelled "file":
   advice 0, MADV_RANDOM; 1, none (readahead); 2, the file
   POSIX_FADV_RANDOM and the mapping MADV_SEQUENTIAL. */
static char *random_file(size_t npages, int advice)
{
   size_t len = npages * VMT_PAGE;
   int fd = dropped_file("vmtest-memcg.dat", len);
   if (advice == 2 && posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM) != 0)
      vmt_die("posix_fadvise");
   char *p = vmt_mmap_at(len, 2 * MiB, 0, PROT_READ, MAP_PRIVATE, fd, 0);
   if (p == MAP_FAILED || (advice != 1 && madvise(p, len, advice ? MADV_SEQUENTIAL
                                                                   : MADV_RANDOM) != 0))
      vmt_die("mmap/madvise");
   close(fd);
   VMTRACE_LABEL(p, len, "file");
   return p;
}

/* "around": see the top. */
static void around(size_t n1, size_t n2)
{
   size_t len1 = n1 * VMT_PAGE, len2 = n2 * VMT_PAGE;
   int f1 = dropped_file("vmtest-memcg-1.dat", len1);
   int f2 = dropped_file("vmtest-memcg-2.dat", len2);
   char *p1 = vmt_mmap_at(len1, 2 * MiB, 0, PROT_READ, MAP_PRIVATE, f1, 0);
   char *p2 = vmt_mmap_at(len2, 2 * MiB, 0, PROT_READ, MAP_PRIVATE, f2, 0);
   if (p1 == MAP_FAILED || p2 == MAP_FAILED || madvise(p2, len2, MADV_RANDOM) != 0)
      vmt_die("mmap/madvise");
   VMTRACE_LABEL(p1, len1, "file");
   VMTRACE_LABEL(p2, len2, "pressure");
   join_memcg();
   /* the whole first file into the cache, no page accessed (natively the
      reads are waited for: mincore until every page is cached) */
   if (posix_fadvise(f1, 0, 0, POSIX_FADV_WILLNEED) != 0)
      vmt_die("posix_fadvise");
   if (!vmt_under_valgrind()) {
      unsigned char *vec = malloc(n1);
      for (int tries = 0;; tries++) {
         size_t c = 0;
         if (!vec || mincore(p1, len1, vec) != 0)
            vmt_die("mincore");
         for (size_t i = 0; i < n1; i++)
            c += vec[i] & 1;
         if (c == n1)
            break;
         if (tries > 5000)
            vmt_die("the first file is not cached");
         usleep(1000);
      }
      free(vec);
   }
   vmt_begin("stride");
   for (size_t i = 0; i < n1; i += 16)
      vmt_sink += (unsigned char)p1[i * VMT_PAGE];
   vmt_end();
   vmt_begin("pressure");
   vmt_read_pages(p2, n2);
   vmt_end();
   vmt_begin("touched");
   for (size_t i = 0; i < n1; i += 16)
      vmt_sink += (unsigned char)p1[i * VMT_PAGE];
   vmt_end();
   vmt_begin("around");
   for (size_t i = 0; i < n1; i++)
      if (i % 16)
         vmt_sink += (unsigned char)p1[i * VMT_PAGE];
   vmt_end();
}

static void anon(size_t npages)
{
   int native = !vmt_under_valgrind() && getenv("VMT_MEMCG") && *getenv("VMT_MEMCG");
   volatile long *written = NULL;
   pid_t pid = -1;
   if (native) {
      written = mmap(NULL, VMT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                     -1, 0);
      if (written == MAP_FAILED)
         vmt_die("mmap");
      *written = 0;                       /* charged here, before the child */
      pid = vmt_fork();
      if (pid < 0)
         vmt_die("fork");
      if (pid > 0) {
         int status;
         if (waitpid(pid, &status, 0) != pid)
            vmt_die("waitpid");
         vmt_fact("anon-written", *written);
         vmt_fact("killed", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
         return;
      }
      vmt_set_role("child");
   }
   char *p = vmt_anon(npages);
   VMTRACE_LABEL(p, npages * VMT_PAGE, "anon");
   join_memcg();
   vmt_begin("anon");
   for (size_t i = 0; i < npages; i++) {
      p[i * VMT_PAGE] = 1;
      if (written)
         *written = (long)i + 1;
   }
   vmt_end();
   if (native)
      vmt_child_exit();
}

/* PAGES pages of anonymous memory, labelled "anon", written in phase
   "write" once the process is in the cgroup. */
static char *written_anon(size_t npages)
{
   char *p = vmt_anon(npages);
   if (p == MAP_FAILED)
      vmt_die("mmap");
   VMTRACE_LABEL(p, npages * VMT_PAGE, "anon");
   join_memcg();
   vmt_begin("write");
   vmt_write_pages(p, npages);
   vmt_end();
   return p;
}

/* Rounds of the first `hot` pages of p (phase "hot") and the next `chunk`
   of the other npages - hot, cyclically (phase "cold"). */
/* The hot pages read, then the next chunk of the others (cyclically), for
   each round; returns the major faults of the last round's hot phase. */
static long hot_rounds(const char *p, size_t npages, size_t hot, size_t chunk, long rounds)
{
   size_t at = 0;                      /* in [0, npages - hot) */
   long last = 0;
   for (long r = 0; r < rounds; r++) {
      struct rusage a, b;
      getrusage(RUSAGE_SELF, &a);
      vmt_begin("hot");
      vmt_read_pages(p, hot);
      vmt_end();
      getrusage(RUSAGE_SELF, &b);
      last = b.ru_majflt - a.ru_majflt;
      vmt_begin("cold");
      for (size_t left = chunk; left;) {
         size_t n = npages - hot - at < left ? npages - hot - at : left;
         vmt_read_pages(p + (hot + at) * VMT_PAGE, n);
         left -= n;
         at = (at + n) % (npages - hot);
      }
      vmt_end();
   }
   return last;
}

/* Phases "first" and "second": every page read, twice in the same order. */
static void read_twice(const char *p, size_t npages)
{
   vmt_begin("first");
   vmt_read_pages(p, npages);
   vmt_end();
   vmt_begin("second");
   vmt_read_pages(p, npages);
   vmt_end();
}

int main(int argc, char **argv)
{
   vmt_init();
   const char *mode = argc > 2 ? argv[1] : "";
   size_t npages = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 0;
   if (strcmp(mode, "twice") == 0 &&
       (argc == 3 || (argc == 4 && (!strcmp(argv[3], "ra") || !strcmp(argv[3], "seqrand"))))
       && npages) {
      char *p = random_file(npages, argc == 3 ? 0 : !strcmp(argv[3], "ra") ? 1 : 2);
      join_memcg();
      read_twice(p, npages);
   } else if (strcmp(mode, "hot") == 0 && (argc == 6 || (argc == 7 && !strcmp(argv[6], "ra")))
              && npages) {
      size_t hot = (size_t)strtoul(argv[3], NULL, 10);
      size_t chunk = (size_t)strtoul(argv[4], NULL, 10);
      long rounds = strtol(argv[5], NULL, 10);
      if (!hot || hot >= npages || !chunk || chunk > npages - hot || rounds < 1)
         vmt_die("bad HOT, CHUNK or ROUNDS");
      char *p = random_file(npages, argc == 7);
      join_memcg();
      vmt_fact("hot-major-last", hot_rounds(p, npages, hot, chunk, rounds));
   } else if (strcmp(mode, "around") == 0 && argc == 4 && npages) {
      around(npages, (size_t)strtoul(argv[3], NULL, 10));
   } else if (strcmp(mode, "anon") == 0 && argc == 3 && npages) {
      anon(npages);
   } else if (strcmp(mode, "swap") == 0 && argc == 3 && npages) {
      char *p = written_anon(npages);
      read_twice(p, npages);
   } else if (strcmp(mode, "anonhot") == 0 && argc == 6 && npages) {
      size_t hot = (size_t)strtoul(argv[3], NULL, 10);
      size_t chunk = (size_t)strtoul(argv[4], NULL, 10);
      long rounds = strtol(argv[5], NULL, 10);
      if (!hot || hot >= npages || !chunk || chunk > npages - hot || rounds < 1)
         vmt_die("bad HOT, CHUNK or ROUNDS");
      hot_rounds(written_anon(npages), npages, hot, chunk, rounds);
   } else {
      vmt_die("usage: memcg twice PAGES [ra|seqrand] | hot PAGES HOT CHUNK ROUNDS [ra] | around PAGES PAGES2"
              " | anon PAGES | swap PAGES | anonhot PAGES HOT CHUNK ROUNDS");
   }
   return 0;
}
