/* vmtrace-pcache: which pages of a file the machine's page cache holds now,
   in which folios, and its disk's readahead window: what vmtrace's
   --page-cache=machine starts a file from (the tool runs it the first time
   a process meets a regular file).

     vmtrace-pcache FILE

   prints one header line, "vmtrace-pcache 1 DEV INO SIZE RA_PAGES ORDERS"
   (RA_PAGES -1 if the disk's read_ahead_kb could not be read; ORDERS 0 if
   the folios' sizes could not be read: /proc/kpageflags and the page
   frame numbers in /proc/self/pagemap are root's, so every cached page is
   then given as order 0; ORDERS -1 if not even which pages are cached
   can be known: mincore tells that only of a file the caller owns or may
   write, and says "all" of any other (can_do_mincore), so nothing more
   is printed and nothing mapped), then "FIRST PAGES ORDER READAHEAD" for each run
   of cached folios of one order (READAHEAD 1: a single folio whose first
   page has PG_readahead, which would start asynchronous readahead when
   read), then "end".  Errors: one line on stderr, exit status 1.

   How: the file is mapped (MADV_RANDOM, so that neither the probe's
   faults nor their unmapping read ahead or age anything), mincore says
   which pages are cached, MADV_POPULATE_READ maps those (fault-around and
   filemap_fault find them cached: no I/O), /proc/self/pagemap gives their
   frames and /proc/kpageflags each frame's KPF_COMPOUND_HEAD / _TAIL (a
   large folio) and KPF_RECLAIM (PG_readahead shares PG_reclaim's bit).
   SPDX-License-Identifier: GPL-2.0-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#define KPF_RECLAIM       9
#define KPF_COMPOUND_HEAD 15
#define KPF_COMPOUND_TAIL 16
#define PM_PRESENT        (1ULL << 63)
#define PM_PFN            ((1ULL << 55) - 1)
#define MAX_ORDER_PAGES   512       /* the page cache's largest folio: a PMD's */

static const char *prog = "vmtrace-pcache";

static void die(const char *what, const char *file)
{
   fprintf(stderr, "%s: %s%s%s%s%s\n", prog, what, file ? " " : "", file ? file : "",
           errno ? ": " : "", errno ? strerror(errno) : "");
   exit(1);
}

/* The readahead window of the disk the file lives on, in pages: its bdi's
   read_ahead_kb (/sys/class/bdi/MAJ:MIN; a partition's is its disk's). */
static long ra_pages(dev_t dev)
{
   char path[128];
   const char *fmt[] = { "/sys/class/bdi/%u:%u/read_ahead_kb",
                         "/sys/dev/block/%u:%u/queue/read_ahead_kb",
                         "/sys/dev/block/%u:%u/../queue/read_ahead_kb" };
   for (unsigned i = 0; i < sizeof fmt / sizeof *fmt; i++) {
      snprintf(path, sizeof path, fmt[i], major(dev), minor(dev));
      FILE *f = fopen(path, "r");
      long kb;
      if (!f)
         continue;
      int ok = fscanf(f, "%ld", &kb) == 1;
      fclose(f);
      if (ok && kb >= 0)
         return kb / 4;
   }
   return -1;
}

/* Reads len bytes at off; returns how many it could (fewer at the end). */
static size_t read_at(int fd, void *buf, size_t len, off_t off)
{
   char *p = buf;
   size_t done = 0;
   while (done < len) {
      ssize_t n = pread(fd, p + done, len - done, off + (off_t)done);
      if (n <= 0)
         break;
      done += (size_t)n;
   }
   return done;
}

/* Runs of cached folios of one order, printed as they close. */
struct run {
   uint64_t first, nr;
   unsigned order;
   int mark;
   int open;
};

static void flush(struct run *r)
{
   if (r->open)
      printf("%" PRIu64 " %" PRIu64 " %u %d\n", r->first, r->nr, r->order, r->mark);
   r->open = 0;
}

static void emit(struct run *r, uint64_t index, unsigned order, int mark)
{
   uint64_t n = (uint64_t)1 << order;
   if (r->open && !mark && !r->mark && r->order == order && r->first + r->nr == index) {
      r->nr += n;
      return;
   }
   flush(r);
   *r = (struct run){ index, n, order, mark, 1 };
}

/* The order of the folio whose page at file index i is in frame pfn, and
   whether it is marked PG_readahead. */
static unsigned folio_order(int kfd, uint64_t pfn, uint64_t i, int *mark)
{
   static uint64_t flags[MAX_ORDER_PAGES];
   *mark = 0;
   if (read_at(kfd, flags, sizeof *flags, (off_t)(pfn * sizeof *flags)) != sizeof *flags)
      return 0;
   *mark = (int)(flags[0] >> KPF_RECLAIM & 1);
   if (!(flags[0] >> KPF_COMPOUND_HEAD & 1))
      return 0;
   /* a head: its folio runs while the frames after it are tails */
   size_t got = read_at(kfd, flags + 1, (MAX_ORDER_PAGES - 1) * sizeof *flags,
                        (off_t)((pfn + 1) * sizeof *flags)) / sizeof *flags;
   uint64_t n = 1;
   while (n <= got && (flags[n] >> KPF_COMPOUND_TAIL & 1))
      n++;
   unsigned order = 0;
   while (((uint64_t)2 << order) <= n)
      order++;
   /* the page cache's folios are naturally aligned in the file: one that
      is not (or not a power of two) is given as pages */
   if (n != (uint64_t)1 << order || (i & (n - 1)))
      return 0;
   return order;
}

int main(int argc, char **argv)
{
   if (argc != 2 || argv[1][0] == '-') {
      fprintf(stderr, "usage: %s FILE (see --page-cache=machine in vmtrace's manual)\n", prog);
      return 1;
   }
   const char *file = argv[1];
   int fd = open(file, O_RDONLY | O_CLOEXEC);
   if (fd < 0)
      die("cannot open", file);
   struct stat st;
   if (fstat(fd, &st) != 0)
      die("cannot stat", file);
   if (!S_ISREG(st.st_mode)) {
      errno = 0;
      die("not a regular file:", file);
   }
   uint64_t pages = ((uint64_t)st.st_size + 4095) / 4096;
   if (geteuid() != 0 && st.st_uid != geteuid() &&
       faccessat(AT_FDCWD, file, W_OK, AT_EACCESS) != 0) {
      printf("vmtrace-pcache 1 %" PRIu64 " %" PRIu64 " %" PRIu64 " %ld -1\nend\n",
             (uint64_t)st.st_dev, (uint64_t)st.st_ino, (uint64_t)st.st_size,
             ra_pages(st.st_dev));
      return fflush(stdout) == 0 ? 0 : 1;
   }
   unsigned char *vec = NULL;
   uint64_t *pm = NULL;
   char *map = NULL;
   int orders = 1;       /* nothing cached: nothing unknown */
   if (pages) {
      map = mmap(NULL, pages * 4096, PROT_READ, MAP_SHARED, fd, 0);
      if (map == MAP_FAILED)
         die("cannot map", file);
      if (madvise(map, pages * 4096, MADV_RANDOM) != 0)
         die("madvise(MADV_RANDOM) failed for", file);
      vec = malloc(pages);
      pm = calloc(pages, sizeof *pm);
      if (!vec || !pm)
         die("out of memory for", file);
      if (mincore(map, pages * 4096, vec) != 0)
         die("mincore failed for", file);
      /* map the cached runs (a page that left the cache meanwhile is read
         back: harmless, and rare) */
      for (uint64_t i = 0; i < pages;) {
         if (!(vec[i] & 1)) {
            i++;
            continue;
         }
         uint64_t j = i;
         while (j < pages && (vec[j] & 1))
            j++;
         if (madvise(map + i * 4096, (j - i) * 4096, MADV_POPULATE_READ) != 0) {
            for (uint64_t k = i; k < j; k++)          /* before Linux 5.14 */
               (void)*(volatile char *)(map + k * 4096);
         }
         i = j;
      }
      /* the folios' sizes are known if every cached page mapped shows
         its frame (root's; others see frame 0) */
      orders = 1;
      int pmfd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
      if (pmfd < 0 || read_at(pmfd, pm, pages * sizeof *pm,
                              (off_t)((uintptr_t)map / 4096 * sizeof *pm)) != pages * sizeof *pm)
         orders = 0;
      for (uint64_t i = 0; i < pages && orders; i++)
         if ((vec[i] & 1) && (pm[i] & PM_PRESENT) && !(pm[i] & PM_PFN))
            orders = 0;
      if (pmfd >= 0)
         close(pmfd);
   }
   int kfd = orders && pages ? open("/proc/kpageflags", O_RDONLY | O_CLOEXEC) : -1;
   if (kfd < 0 && pages) {
      for (uint64_t i = 0; i < pages && orders; i++)
         if (vec[i] & 1)
            orders = 0;
   }
   printf("vmtrace-pcache 1 %" PRIu64 " %" PRIu64 " %" PRIu64 " %ld %d\n", (uint64_t)st.st_dev,
          (uint64_t)st.st_ino, (uint64_t)st.st_size, ra_pages(st.st_dev), orders);
   struct run r = { 0 };
   for (uint64_t i = 0; i < pages;) {
      if (!(vec[i] & 1)) {
         i++;
         continue;
      }
      unsigned order = 0;
      int mark = 0;
      if (orders && (pm[i] & PM_PRESENT) && (pm[i] & PM_PFN))
         order = folio_order(kfd, pm[i] & PM_PFN, i, &mark);
      emit(&r, i, order, mark);
      /* the folio's other pages are cached with it */
      i += (uint64_t)1 << order;
   }
   flush(&r);
   printf("end\n");
   if (fflush(stdout) != 0 || ferror(stdout))
      die("cannot write the result", NULL);
   return 0;
}
