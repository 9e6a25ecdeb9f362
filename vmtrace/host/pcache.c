/* vmtrace-pcache: which pages of a file the machine's page cache holds now,
   in which folios, and its disk's readahead window: what vmtrace's
   --page-cache=machine starts a file from (the tool runs it the first time
   a process meets a regular file).

     vmtrace-pcache FILE

   prints one header line, "vmtrace-pcache 1 DEV INO SIZE RA_PAGES ORDERS"
   (RA_PAGES -1 if the disk's read_ahead_kb could not be read; ORDERS 1 if
   the folios' sizes and marks were read; ORDERS 0 if not: /proc/kpageflags
   and the page frame numbers in /proc/self/pagemap are root's, so the
   folios are then seen from what a read fault maps, walking the cached
   pages in order as a reader would: a folio larger than the 16-page
   fault-around window is mapped whole (so seen whole), a smaller one is
   given as pages (a fault maps the same either way; the folio that holds
   the file's last page, mapped only within the window, likewise), and no
   PG_readahead mark is seen; ORDERS -1 if not even which pages are cached
   can be known: mincore tells that only of a file the caller owns or may
   write, and says "all" of any other (can_do_mincore), so nothing more
   is printed and nothing mapped), then "FIRST PAGES ORDER FLAGS" for each
   run of cached folios of one order and flags (FLAGS 1: PG_readahead on
   the folio's first page, which would start asynchronous readahead when
   read, a single folio; 2: dirty, not yet written back, as a
   POSIX_FADV_DONTNEED would leave it), then "end".  Errors: one line on stderr, exit status 1.

   How (as root): the file is mapped (MADV_RANDOM, so that neither the probe's
   faults nor their unmapping read ahead or age anything), mincore says
   which pages are cached, MADV_POPULATE_READ maps those (fault-around and
   filemap_fault find them cached: no I/O), /proc/self/pagemap gives their
   frames and /proc/kpageflags each frame's KPF_COMPOUND_HEAD / _TAIL (a
   large folio), KPF_RECLAIM (PG_readahead shares PG_reclaim's bit, which
   means reclaim on a folio under writeback, KPF_WRITEBACK) and KPF_DIRTY.
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
#define KPF_DIRTY         4
#define KPF_WRITEBACK     8
#define KPF_RECLAIM       9
#define KPF_COMPOUND_HEAD 15
#define KPF_COMPOUND_TAIL 16
#define PM_PRESENT        (1ULL << 63)
#define PM_PFN            ((1ULL << 55) - 1)
#define MAX_ORDER_PAGES   512       /* the page cache's largest folio: a PMD's */
#define PMD_SIZE          ((size_t)MAX_ORDER_PAGES * 4096)

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
   int flags;
   int open;
};

static void flush(struct run *r)
{
   if (r->open)
      printf("%" PRIu64 " %" PRIu64 " %u %d\n", r->first, r->nr, r->order, r->flags);
   r->open = 0;
}

#define FL_READAHEAD 1
#define FL_DIRTY     2

static void emit(struct run *r, uint64_t index, unsigned order, int flags)
{
   uint64_t n = (uint64_t)1 << order;
   if (r->open && !(flags & FL_READAHEAD) && flags == r->flags && r->order == order &&
       r->first + r->nr == index) {
      r->nr += n;
      return;
   }
   flush(r);
   *r = (struct run){ index, n, order, flags, 1 };
}

/* The order of the folio whose page at file index i is in frame pfn, and
   its FL_ flags. */
static unsigned folio_order(int kfd, uint64_t pfn, uint64_t i, int *fl)
{
   static uint64_t flags[MAX_ORDER_PAGES];
   *fl = 0;
   if (read_at(kfd, flags, sizeof *flags, (off_t)(pfn * sizeof *flags)) != sizeof *flags)
      return 0;
   if ((flags[0] >> KPF_RECLAIM & 1) && !(flags[0] >> KPF_WRITEBACK & 1))
      *fl |= FL_READAHEAD;
   if (flags[0] >> KPF_DIRTY & 1)
      *fl |= FL_DIRTY;
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

/* Without /proc/kpageflags: the folios seen from the faults (ORDERS 0).
   map is the file's mapping, 2 MiB-aligned (so a folio lies in one PTE
   table as in the file), none of it mapped yet; vec is mincore's.  Each
   cached page not mapped yet is faulted (MADV_POPULATE_READ of it alone),
   in order; if the fault mapped pages past its 16-page window, they and
   the window are one folio (a large folio is mapped whole when the
   window reaches it, and one larger than the window is aligned to more
   than it, so starts where the window does); else the window's cached
   pages are pages. */
static void walk(int pmfd, char *map, uint64_t pages, const unsigned char *vec, uint64_t *pm,
                 struct run *r)
{
   const uint64_t window = 16;
   for (uint64_t i = 0; i < pages; i++) {
      if (!(vec[i] & 1) || (pm[i] & PM_PRESENT))
         continue;
      uint64_t w = i & ~(window - 1);
      uint64_t end = (i & ~(uint64_t)(MAX_ORDER_PAGES - 1)) + MAX_ORDER_PAGES;
      if (end > pages)
         end = pages;
      if (madvise(map + i * 4096, 4096, MADV_POPULATE_READ) != 0)
         (void)*(volatile char *)(map + i * 4096);          /* before Linux 5.14 */
      if (read_at(pmfd, pm + w, (end - w) * sizeof *pm,
                  (off_t)(((uintptr_t)map / 4096 + w) * sizeof *pm)) != (end - w) * sizeof *pm)
         die("cannot read /proc/self/pagemap", NULL);
      uint64_t e = w + window < end ? w + window : end;
      while (e < end && (pm[e] & PM_PRESENT))
         e++;
      uint64_t n = e - w;
      if (n > window && !(n & (n - 1)) && !(w & (n - 1))) {
         unsigned order = 0;
         while (((uint64_t)1 << order) < n)
            order++;
         emit(r, w, order, 0);
         i = e - 1;
         continue;
      }
      /* this page and the window's other cached pages, as pages (one
         fault-around left unmapped, a marked folio's, is cached all the
         same) */
      for (uint64_t k = i; k < w + window && k < pages; k++)
         if (vec[k] & 1)
            emit(r, k, 0, 0);
      i = (w + window < pages ? w + window : pages) - 1;
   }
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
   int kfd = -1, pmfd = -1;
   size_t len = pages * 4096;
   if (pages) {
      /* at a 2 MiB-aligned address, so that a folio lies in one PTE table
         (and a 2 MiB one under one PMD) as it lies in the file */
      char *resv = mmap(NULL, len + PMD_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
                        MAP_NORESERVE, -1, 0);
      if (resv == MAP_FAILED)
         die("cannot reserve address space for", file);
      map = (char *)(((uintptr_t)resv + PMD_SIZE - 1) & ~(uintptr_t)(PMD_SIZE - 1));
      if (mmap(map, len, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED)
         die("cannot map", file);
      if (madvise(map, len, MADV_RANDOM) != 0)
         die("madvise(MADV_RANDOM) failed for", file);
      vec = malloc(pages);
      pm = calloc(pages, sizeof *pm);
      if (!vec || !pm)
         die("out of memory for", file);
      if (mincore(map, len, vec) != 0)
         die("mincore failed for", file);
      pmfd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
      if (pmfd < 0)
         die("cannot open /proc/self/pagemap", NULL);
      kfd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
   }
   if (kfd >= 0) {
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
      /* the frames are there if every cached page mapped shows its own
         (root's with CAP_SYS_ADMIN; others see frame 0) */
      if (read_at(pmfd, pm, pages * sizeof *pm,
                  (off_t)((uintptr_t)map / 4096 * sizeof *pm)) != pages * sizeof *pm)
         die("cannot read /proc/self/pagemap", NULL);
      for (uint64_t i = 0; i < pages && kfd >= 0; i++)
         if ((vec[i] & 1) && (pm[i] & PM_PRESENT) && !(pm[i] & PM_PFN)) {
            close(kfd);
            kfd = -1;
         }
      if (kfd < 0) {
         /* map it afresh, nothing mapped, for the walk */
         memset(pm, 0, pages * sizeof *pm);
         if (mmap(map, len, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED ||
             madvise(map, len, MADV_RANDOM) != 0)
            die("cannot map again", file);
      }
   }
   if (pages && kfd < 0)
      orders = 0;
   printf("vmtrace-pcache 1 %" PRIu64 " %" PRIu64 " %" PRIu64 " %ld %d\n", (uint64_t)st.st_dev,
          (uint64_t)st.st_ino, (uint64_t)st.st_size, ra_pages(st.st_dev), orders);
   struct run r = { 0 };
   if (pages && kfd < 0)
      walk(pmfd, map, pages, vec, pm, &r);
   for (uint64_t i = 0; i < pages && kfd >= 0;) {
      if (!(vec[i] & 1)) {
         i++;
         continue;
      }
      unsigned order = 0;
      int fl = 0;
      if ((pm[i] & PM_PRESENT) && (pm[i] & PM_PFN))
         order = folio_order(kfd, pm[i] & PM_PFN, i, &fl);
      emit(&r, i, order, fl);
      /* the folio's other pages are cached with it */
      i += (uint64_t)1 << order;
   }
   flush(&r);
   printf("end\n");
   if (fflush(stdout) != 0 || ferror(stdout))
      die("cannot write the result", NULL);
   return 0;
}
