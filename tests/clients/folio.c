/* folio: a file read through a private read-only mapping, one byte per
   page in ascending order (phase "read", label "file"), after the client
   has put the file's page cache in a known state.

   folio MODE PAGES
     cold     the file (written in 1 MiB write()s) is dropped from the page
              cache (POSIX_FADV_DONTNEED after fsync): the reads fault it
              in through readahead, in folios of growing order
     random   the same, with MADV_RANDOM on the mapping: no readahead
     huge     the same, with MADV_HUGEPAGE on the mapping: PMD-sized folios
     pread    "cold", and before the reads through the mapping the first
              page read with pread(2) (as sqlite reads a database's
              header before it maps the file): readahead for a read
     reopen   "cold", the first page read with pread(2) through the
              descriptor the file was written with, then the file opened
              again (/proc/self/fd/N) and mapped through the new open
              file, whose readahead state starts afresh (as sqlite's shell
              reads a database's header and then opens it again); FACT
              cached-before counts the 4 pages the read brought in
     pages    the file written a page at a time and left cached: order-0
              folios, as vmtrace's warm page cache assumes
     written  the file written and left cached (folio written PAGES CHUNK
              [OFFSET [FIRST]]): bytes [OFFSET, PAGES * 4096) in write()s
              of CHUNK bytes (pwrite()s if OFFSET is not 0), after page
              FIRST alone (a 4 KiB pwrite) or, with FIRST "all", the whole
              file a page at a time: each write gives the pages it reaches
              first folios of its size (ext4 since Linux 6.16); with FIRST
              "trunc", the whole file a page at a time, mapped and read
              (phase "before"), then truncated by an open with O_TRUNC
              before the writes, read again through the same mapping;
              with FIRST "unsynced", the file advised POSIX_FADV_DONTNEED
              after the writes without an fsync (its folios stay), and
              "unsynced-sync" then fsync'd and advised again (they go)
     written-thp  the same, THP left enabled (FACT file-pmd-kb:
              FilePmdMapped)
     written-thp-shared  the same, mapped MAP_SHARED and writable: read
              (phase "read"), written a byte a page (phase "write"),
              fsync'd and written again (phase "fsync"), written once
              more (phase "again")
     other    the file written by another process (a child that exits
              before the parent opens it; folio other PAGES CHUNK
              [dontneed]: in write()s of CHUNK bytes) and left cached: the
              page cache holds it in the folios those writes made, which
              only --page-cache=machine sees; with "dontneed", the parent
              reads a byte of it, then advises POSIX_FADV_DONTNEED, which
              keeps the child's pages (dirty still)
     other-pread  the file written by another process in 1 MiB write()s,
              dropped (fsync, POSIX_FADV_DONTNEED) and its first page read
              with pread(2) there (readahead: [0,4) cached, page 1 marked
              PG_readahead; FACT cached-before), as "reopen" does in one
              process
     copy     (folio copy PAGES METHOD WHAT [SRCOFF]) a file written in
              1 MiB write()s and dropped from the page cache (FACT
              cached-before: its pages cached before the copy) copied from
              byte SRCOFF (default 0) into a new file, whole, by METHOD:
              sendfile (one call; with SRCOFF, through its offset pointer,
              else the file positions), cfr (copy_file_range, likewise
              off_in), splice (through a pipe of 16 pages, file to pipe to
              file, each 64 KiB at most; with SRCOFF off_in), splice-1M
              (a pipe of 1 MiB, F_SETPIPE_SZ) or sendfile-pipe (sendfile
              into a pipe of 16 pages, spliced on into the copy); then
              WHAT is read: src (the
              source, brought in by the copy's reads) or dst (the copy, its
              pages as the copy's writes made them) or early (the copy,
              mapped before the copy, while it was empty)
     fresh    a new file extended by ftruncate (a hole: nothing of it in
              the page cache), mapped shared and written, a byte per page
              in ascending order (phase "write"): each write fault reads
              around or ahead as a read fault does, and maps the whole
              folio of its page (finish_fault).  folio fresh PAGES HOW
              ACCESS [OLD]: the file's first OLD pages written first with
              write(2), a page at a time (cached, order 0), then it is made
              PAGES long by HOW: ftruncate, fallocate (mode 0) or pwrite
              (one byte at its last byte); then ACCESS, a byte per page
              through a mapping: write or read (MAP_SHARED), private-write
              or private-read (MAP_PRIVATE); phase "write" or "read"
     retrunc  (folio retrunc PAGES) a new file written a page at a time
              (cached), mapped shared and written (phase "write"),
              truncated to half and extended again by ftruncate (the
              second half a hole now), read (phase "read") and written
              again (phase "again")
     fadvise  (folio fadvise PAGES HINTS) "cold", then HINTS, a comma-
              separated list done in order: random, sequential, normal,
              noreuse (posix_fadvise of the whole file with that advice),
              read (the whole file read with pread(2), 64 KiB at a time,
              before the mapping: FACT cached-before counts what it
              cached), reopen (the file opened again, /proc/self/fd/N,
              the old descriptor closed: the mapping is made through the
              new open file) and madv-seq and madv-random
              (MADV_SEQUENTIAL, MADV_RANDOM on the mapping)
     placed   "cold", mapped where the kernel (or Valgrind) chooses
              (INFO file= its address), THP left enabled: the kernel
              aligns the mapping (thp_get_unmapped_area) and maps 2 MiB
              folios by PMDs (FACT file-pmd-kb: FilePmdMapped); the
              mapping is left mapped at exit

   The mapping starts at a 2 MiB-aligned address at file offset 0, so
   every folio (naturally aligned in the file) is aligned in memory.
   Natively the client checks with mincore that a dropped file has no page
   cached before the read (FACT cached-before). */
#include "vmtest.h"

#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

#define MiB ((size_t)1 << 20)

/* FilePmdMapped of the VMA at p, natively (-1 under Valgrind). */
static long file_pmd_kb(const char *p)
{
   if (vmt_under_valgrind())
      return -1;
   static char line[512];
   FILE *f = fopen("/proc/self/smaps", "r");
   if (!f)
      vmt_die("open /proc/self/smaps");
   int in = 0;
   long kb = -1;
   while (fgets(line, sizeof line, f)) {
      unsigned long s, e;
      if (sscanf(line, "%lx-%lx ", &s, &e) == 2 && strchr(line, '-') < strchr(line, ' '))
         in = (uintptr_t)p >= s && (uintptr_t)p < e;
      else if (in && strncmp(line, "FilePmdMapped:", 14) == 0)
         kb = strtol(line + 14, NULL, 10);
   }
   fclose(f);
   return kb;
}

/* The block device's /sys/dev/block/MAJ:MIN/inflight for the file fd, open
   (natively only; -1 if there is none, for a file on tmpfs, say). */
static int inflight_fd(int fd)
{
   struct stat st;
   char path[64];
   if (vmt_under_valgrind() || fstat(fd, &st) != 0)
      return -1;
   snprintf(path, sizeof path, "/sys/dev/block/%u:%u/inflight", major(st.st_dev),
            minor(st.st_dev));
   return open(path, O_RDONLY | O_CLOEXEC);
}

/* What all the waits of a run may take together, in 100 us steps (5 s):
   on a disk kept busy by other processes' reads the waits stop, and the
   count is the one with races (native_slack and the case's three attempts
   allow for it). */
static long settle_budget = 50000;

/* Waits (up to 200 ms) until the device has no read in flight. */
static void settle(int infl)
{
   char buf[64];
   for (int i = 0; i < 2000 && settle_budget > 0; i++, settle_budget--) {
      ssize_t n = pread(infl, buf, sizeof buf - 1, 0);
      unsigned long r, w;
      if (n <= 0)
         return;
      buf[n] = '\0';
      if (sscanf(buf, "%lu %lu", &r, &w) != 2 || r == 0)
         return;
      struct timespec ts = { 0, 100000 };
      nanosleep(&ts, NULL);
   }
}

/* len bytes written to fd (the file path) in write()s of chunk bytes. */
static void write_chunks(int fd, const char *path, size_t len, size_t chunk)
{
   char *buf = malloc(chunk);
   if (!buf)
      vmt_die("malloc");
   memset(buf, 'f', chunk);
   for (size_t at = 0; at < len;) {
      size_t n = len - at < chunk ? len - at : chunk;
      if (write(fd, buf, n) != (ssize_t)n)
         vmt_die("write %s", path);
      at += n;
   }
   free(buf);
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
   write_chunks(fd, path, len, MiB);
   if (fsync(fd) != 0 || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) != 0)
      vmt_die("fsync/fadvise %s", path);
   unlink(path);
   return fd;
}

/* Pages of [p, p + len) that are cached (mincore), natively. */
static long cached_pages(const char *p, size_t len)
{
   size_t n = (len + VMT_PAGE - 1) / VMT_PAGE;
   unsigned char *vec = malloc(n);
   if (!vec || mincore((void *)p, len, vec) != 0)
      vmt_die("mincore");
   long cached = 0;
   for (size_t i = 0; i < n; i++)
      cached += vec[i] & 1;
   free(vec);
   return cached;
}

/* The folios that back the mapped pages of [p, p + len), natively: a
   page whose /proc/kpageflags says KPF_COMPOUND_TAIL (bit 16) belongs to
   the folio of an earlier page.  -1 under Valgrind, or where pagemap gives
   no page frame numbers (without CAP_SYS_ADMIN). */
static long folios_mapped(const char *p, size_t len)
{
   if (vmt_under_valgrind())
      return -1;
   size_t n = len / VMT_PAGE;
   uint64_t *pm = malloc(n * sizeof *pm);
   int map = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
   int kpf = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
   long folios = -1;
   if (pm && map >= 0 && kpf >= 0 &&
       pread(map, pm, n * sizeof *pm, (off_t)((uintptr_t)p / VMT_PAGE * sizeof *pm)) ==
          (ssize_t)(n * sizeof *pm)) {
      folios = 0;
      for (size_t i = 0; i < n && folios >= 0; i++) {
         uint64_t pfn = pm[i] & ((UINT64_C(1) << 55) - 1), flags;
         if (!(pm[i] >> 63))
            continue;
         if (pfn == 0 || pread(kpf, &flags, sizeof flags, (off_t)(pfn * sizeof flags)) !=
                            (ssize_t)sizeof flags)
            folios = -1;
         else if (!(flags >> 16 & 1))
            folios++;
      }
   }
   if (map >= 0)
      close(map);
   if (kpf >= 0)
      close(kpf);
   free(pm);
   return folios;
}

/* "copy": copies the dropped source src ([srcoff, len)) into the empty
   file dst by method (see the top); the copy has len - srcoff bytes. */
static void copy_file(const char *method, int src, int dst, size_t len, size_t srcoff)
{
   off_t off = (off_t)srcoff, *offp = srcoff ? &off : NULL;
   size_t left = len - srcoff;
   if (!srcoff && lseek(src, 0, SEEK_SET) != 0)
      vmt_die("lseek");
   if (strcmp(method, "sendfile") == 0 || strcmp(method, "cfr") == 0) {
      while (left) {
         ssize_t r = method[0] == 's' ? sendfile(dst, src, offp, left)
                                      : copy_file_range(src, offp, dst, NULL, left, 0);
         if (r <= 0)
            vmt_die("%s", method);
         left -= (size_t)r;
      }
      return;
   }
   int to_pipe = strcmp(method, "sendfile-pipe") == 0;
   if (strcmp(method, "splice") && strcmp(method, "splice-1M") && !to_pipe)
      vmt_die("bad method %s", method);
   int pp[2];
   if (pipe(pp) != 0)
      vmt_die("pipe");
   if (!to_pipe && method[6] && fcntl(pp[1], F_SETPIPE_SZ, (int)MiB) != (int)MiB)
      vmt_die("F_SETPIPE_SZ");
   while (left) {
      ssize_t r = to_pipe ? sendfile(pp[1], src, offp, left)
                          : splice(src, offp, pp[1], NULL, left, 0);
      if (r <= 0)
         vmt_die("splice from the file");
      left -= (size_t)r;
      while (r) {
         ssize_t w = splice(pp[0], NULL, dst, NULL, (size_t)r, 0);
         if (w <= 0)
            vmt_die("splice to the file");
         r -= w;
      }
   }
   close(pp[0]);
   close(pp[1]);
}

/* vmt_read_pages, but natively, after each page that faulted, waits for
   the readahead the fault started to be read from the disk before the next
   page: the kernel's count is then the one without a fault that lands on a
   folio still under I/O (filemap_map_pages skips folios that are not
   uptodate, so fault-around maps fewer pages and a few more faults follow,
   how many depending on the disk's speed and the machine's load).  The
   pages and their order are those of vmt_read_pages; the waits are system
   calls on memory already touched. */
static VMT_NOINLINE void read_pages_settled(const char *base, size_t n, int infl)
{
   if (infl < 0) {
      vmt_read_pages(base, n);
      return;
   }
   const volatile unsigned char *p = (const volatile unsigned char *)base;
   unsigned long sum = 0;
   struct rusage ru;
   getrusage(RUSAGE_SELF, &ru);
   long faults = ru.ru_minflt + ru.ru_majflt;
   for (size_t i = 0; i < n; i++) {
      sum += p[i * VMT_PAGE];
      getrusage(RUSAGE_SELF, &ru);
      if (ru.ru_minflt + ru.ru_majflt != faults) {
         settle(infl);
         faults = ru.ru_minflt + ru.ru_majflt;
      }
   }
   vmt_sink = sum;
}

/* The file at $TMPDIR/vmtest-folio.dat made by a child process (modes
   other and other-pread), opened read-only and unlinked. */
static int by_other_process(int pread_first, size_t len, size_t chunk)
{
   const char *dir = getenv("TMPDIR");
   char path[4096];
   snprintf(path, sizeof path, "%s/vmtest-folio.dat", dir && *dir ? dir : "/tmp");
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
      if (fd < 0)
         vmt_die("open %s", path);
      write_chunks(fd, path, len, chunk);
      if (pread_first) {
         static char head[VMT_PAGE];
         if (fsync(fd) != 0 || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) != 0 ||
             pread(fd, head, sizeof head, 0) != (ssize_t)sizeof head)
            vmt_die("fsync/fadvise/pread %s", path);
      }
      _exit(0);
   }
   vmt_set_role("parent");
   int status;
   if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
      vmt_die("the writer failed");
   int fd = open(path, O_RDONLY);
   if (fd < 0)
      vmt_die("open %s", path);
   unlink(path);
   return fd;
}

/* Mode fresh: npages pages of a new file that nothing wrote but its
   first old pages (written a page at a time), made npages long by how and
   accessed through a mapping by access.  Natively the pages past the
   first old are not cached before the accesses (FACT cached-before: the
   pages cached then). */
static int fresh_file(size_t npages, const char *how, const char *access, size_t old)
{
   size_t len = npages * VMT_PAGE;
   int shared = strncmp(access, "private-", 8) != 0;
   const char *op = shared ? access : access + 8;
   if (old >= npages || (strcmp(op, "write") && strcmp(op, "read")))
      vmt_die("bad ACCESS %s or OLD", access);
   int fd = vmt_cached_file("vmtest-folio.dat", old * VMT_PAGE);
   if (strcmp(how, "ftruncate") == 0) {
      if (ftruncate(fd, (off_t)len) != 0)
         vmt_die("ftruncate");
   } else if (strcmp(how, "fallocate") == 0) {
      if (fallocate(fd, 0, 0, (off_t)len) != 0)
         vmt_die("fallocate");
   } else if (strcmp(how, "pwrite") == 0) {
      if (pwrite(fd, "e", 1, (off_t)len - 1) != 1)
         vmt_die("pwrite");
   } else {
      vmt_die("bad HOW %s", how);
   }
   char *p = vmt_mmap_at(len, 2 * MiB, 0, PROT_READ | PROT_WRITE,
                         shared ? MAP_SHARED : MAP_PRIVATE, fd, 0);
   VMTRACE_LABEL(p, len, "file");
   if (!vmt_under_valgrind())
      vmt_fact("cached-before", cached_pages(p, len));
   vmt_begin(op);
   if (op[0] == 'w')
      vmt_write_pages(p, npages);
   else
      vmt_read_pages(p, npages);
   vmt_end();
   long folios = folios_mapped(p, len);
   if (folios >= 0)
      vmt_fact("folios", folios);
   munmap(p, len);
   close(fd);
   return 0;
}

/* Mode retrunc: see the top. */
static int retrunc_file(size_t npages)
{
   size_t len = npages * VMT_PAGE;
   int fd = vmt_cached_file("vmtest-folio.dat", len);
   char *p = vmt_mmap_at(len, 2 * MiB, 0, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
   VMTRACE_LABEL(p, len, "file");
   vmt_begin("write");
   vmt_write_pages(p, npages);
   vmt_end();
   if (ftruncate(fd, (off_t)(len / 2)) != 0 || ftruncate(fd, (off_t)len) != 0)
      vmt_die("ftruncate");
   vmt_begin("read");
   vmt_read_pages(p, npages);
   vmt_end();
   vmt_begin("again");
   vmt_write_pages(p, npages);
   vmt_end();
   munmap(p, len);
   close(fd);
   return 0;
}

/* fd opened again (/proc/self/fd/N: a new open file of the same file),
   the old descriptor closed. */
static int reopen(int fd)
{
   char self[64];
   snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
   int again = open(self, O_RDONLY);
   if (again < 0)
      vmt_die("open %s", self);
   close(fd);
   return again;
}

/* folio fadvise's HINTS, in order: with fd, the advice, the reads and
   the new open (before the mapping), the descriptor to map returned; with
   p (fd -1), madv-seq and madv-random on the mapping. */
static int fadvise_hints(int fd, const char *hints, size_t len, char *p)
{
   static char buf[64 * 1024];
   char list[128];
   snprintf(list, sizeof list, "%s", hints);
   for (char *save = NULL, *h = strtok_r(list, ",", &save); h; h = strtok_r(NULL, ",", &save)) {
      int advice = strcmp(h, "random") == 0       ? POSIX_FADV_RANDOM
                   : strcmp(h, "sequential") == 0 ? POSIX_FADV_SEQUENTIAL
                   : strcmp(h, "normal") == 0     ? POSIX_FADV_NORMAL
                   : strcmp(h, "noreuse") == 0    ? POSIX_FADV_NOREUSE
                                                  : -1;
      if (advice < 0 && strcmp(h, "read") && strcmp(h, "reopen") && strcmp(h, "madv-seq") &&
          strcmp(h, "madv-random"))
         vmt_die("bad hint %s", h);
      if (fd < 0) {
         if (strcmp(h, "madv-seq") == 0 && madvise(p, len, MADV_SEQUENTIAL) != 0)
            vmt_die("madvise MADV_SEQUENTIAL");
         if (strcmp(h, "madv-random") == 0 && madvise(p, len, MADV_RANDOM) != 0)
            vmt_die("madvise MADV_RANDOM");
      } else if (advice >= 0) {
         if (posix_fadvise(fd, 0, 0, advice) != 0)
            vmt_die("posix_fadvise %s", h);
      } else if (strcmp(h, "read") == 0) {
         for (size_t at = 0; at < len; at += sizeof buf)
            if (pread(fd, buf, sizeof buf, (off_t)at) <= 0)
               vmt_die("pread");
      } else if (strcmp(h, "reopen") == 0) {
         fd = reopen(fd);
      }
   }
   return fd;
}

int main(int argc, char **argv)
{
   vmt_init();
   const char *mode = argc > 1 ? argv[1] : "";
   int written = strncmp(mode, "written", 7) == 0, copy = strcmp(mode, "copy") == 0;
   int other = strcmp(mode, "other") == 0, other_pread = strcmp(mode, "other-pread") == 0;
   int dontneed = other && argc == 5 && strcmp(argv[4], "dontneed") == 0;
   int fadv = strcmp(mode, "fadvise") == 0;
   if (strcmp(mode, "fresh") == 0 && argc >= 3 && argc <= 6 && argc != 4 &&
       strtoul(argv[2], NULL, 10))
      return fresh_file(strtoul(argv[2], NULL, 10), argc > 3 ? argv[3] : "ftruncate",
                        argc > 4 ? argv[4] : "write",
                        argc > 5 ? strtoul(argv[5], NULL, 10) : 0);
   if (strcmp(mode, "retrunc") == 0 && argc == 3 && strtoul(argv[2], NULL, 10) >= 2)
      return retrunc_file(strtoul(argv[2], NULL, 10));
   if (written || copy ? argc < 4 + copy || argc > 6 : argc != 3 + other + dontneed + fadv)
      vmt_die("usage: folio cold|random|huge|pread|reopen|pages|placed|other-pread|fresh PAGES\n"
              "       folio fadvise PAGES random|sequential|normal|noreuse|read|madv-seq[,...]\n"
              "       folio copy PAGES sendfile|cfr|splice|splice-1M|sendfile-pipe src|dst|early"
              " [SRCOFF]\n"
              "       folio written|written-thp PAGES CHUNK [OFFSET [FIRST|all|trunc]]\n"
              "       folio other PAGES CHUNK [dontneed]\n"
              "       folio fresh PAGES ftruncate|fallocate|pwrite"
              " write|read|private-write|private-read [OLD]\n"
              "       folio retrunc PAGES");
   size_t npages = (size_t)strtoul(argv[2], NULL, 10), len = npages * VMT_PAGE;
   int cold = strcmp(mode, "pages") != 0 && !written && !other && !copy;
   int placed = strcmp(mode, "placed") == 0;
   int thp_shared = strcmp(mode, "written-thp-shared") == 0;
   int thp = placed || strcmp(mode, "written-thp") == 0 || thp_shared;
   if (!npages || (strcmp(mode, "cold") && strcmp(mode, "random") && strcmp(mode, "huge") &&
                   strcmp(mode, "pread") && strcmp(mode, "reopen") && !placed && !other_pread &&
                   !fadv &&
                   cold) ||
       (written && strcmp(mode, "written") && !thp))
      vmt_die("bad mode %s or size %s", mode, argv[2]);
   if (thp && prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0) != 0)
      vmt_die("prctl(PR_SET_THP_DISABLE, 0)");
   int fd;
   char *p = NULL;
   if (written) {
      size_t chunk = (size_t)strtoul(argv[3], NULL, 10);
      size_t off = argc > 4 ? (size_t)strtoul(argv[4], NULL, 10) : 0;
      if (!chunk || off >= len)
         vmt_die("bad chunk %s or offset", argv[3]);
      int all = argc > 5 && strcmp(argv[5], "all") == 0;
      int trunc = argc > 5 && strcmp(argv[5], "trunc") == 0;
      int unsynced = argc > 5 && strncmp(argv[5], "unsynced", 8) == 0;
      int resync = unsynced && strcmp(argv[5], "unsynced-sync") == 0;
      if (unsynced && !resync && strcmp(argv[5], "unsynced"))
         vmt_die("bad FIRST %s", argv[5]);
      cold = resync;
      fd = vmt_cached_file("vmtest-folio.dat", all || trunc ? len : 0);
      if (trunc) {
         p = vmt_mmap_at(len, 2 * MiB, 0, PROT_READ, MAP_PRIVATE, fd, 0);
         if (p == MAP_FAILED)
            vmt_die("mmap");
         VMTRACE_LABEL(p, len, "file");
         vmt_begin("before");
         vmt_read_pages(p, npages);
         vmt_end();
         char self[64];
         snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
         int t = open(self, O_RDWR | O_TRUNC);
         if (t < 0)
            vmt_die("open %s O_TRUNC", self);
         close(t);
      } else if (argc > 5 && !all && !unsynced) {
         static char page[VMT_PAGE];
         memset(page, 'p', sizeof page);
         off_t at = (off_t)strtoul(argv[5], NULL, 10) * VMT_PAGE;
         if (pwrite(fd, page, sizeof page, at) != (ssize_t)sizeof page)
            vmt_die("pwrite");
      }
      char *buf = malloc(chunk);
      if (!buf)
         vmt_die("malloc");
      memset(buf, 'w', chunk);
      if (!off && lseek(fd, 0, SEEK_SET) != 0)
         vmt_die("lseek");
      for (size_t at = off; at < len;) {
         size_t n = len - at < chunk ? len - at : chunk;
         ssize_t r = off ? pwrite(fd, buf, n, (off_t)at) : write(fd, buf, n);
         if (r != (ssize_t)n)
            vmt_die("write");
         at += n;
      }
      free(buf);
      /* unsynced: POSIX_FADV_DONTNEED without fsync first keeps every
         folio (dirty, or under the writeback the advice starts);
         unsynced-sync: then fsync, and the advice again drops them */
      if (unsynced && posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) != 0)
         vmt_die("posix_fadvise");
      if (resync && (fsync(fd) != 0 || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) != 0))
         vmt_die("fsync/posix_fadvise");
   } else if (other || other_pread) {
      size_t chunk = other ? (size_t)strtoul(argv[3], NULL, 10) : MiB;
      if (!chunk)
         vmt_die("bad chunk %s", argv[3]);
      fd = by_other_process(other_pread, len, chunk);
      if (dontneed) {
         /* the child's pages are dirty still: the advice keeps them */
         static char head[1];
         if (pread(fd, head, 1, 0) != 1 || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) != 0)
            vmt_die("pread/posix_fadvise");
      }
   } else if (copy) {
      const char *what = argv[4];
      size_t srcoff = argc > 5 ? (size_t)strtoul(argv[5], NULL, 10) : 0;
      if (srcoff >= len || (strcmp(what, "src") && strcmp(what, "dst") && strcmp(what, "early")))
         vmt_die("bad copy %s or offset", what);
      int src = dropped_file("vmtest-folio.dat", len);
      int dst = vmt_cached_file("vmtest-folio-copy.dat", 0);
      if (!vmt_under_valgrind()) {
         char *q = mmap(NULL, len, PROT_READ, MAP_SHARED, src, 0);
         if (q == MAP_FAILED)
            vmt_die("mmap");
         vmt_fact("cached-before", cached_pages(q, len));
         munmap(q, len);
      }
      size_t src_len = len;
      if (what[0] != 's') {
         len -= srcoff;
         npages = (len + VMT_PAGE - 1) / VMT_PAGE;
         len = npages * VMT_PAGE;
      }
      if (what[0] == 'e') {
         p = vmt_mmap_at(len, 2 * MiB, 0, PROT_READ, MAP_PRIVATE, dst, 0);
         if (p == MAP_FAILED)
            vmt_die("mmap");
         VMTRACE_LABEL(p, len, "file");
      }
      copy_file(argv[3], src, dst, src_len, srcoff);
      fd = what[0] == 's' ? src : dst;
      close(what[0] == 's' ? dst : src);
   } else if (!cold) {
      fd = vmt_cached_file("vmtest-folio.dat", len);
   } else {
      fd = dropped_file("vmtest-folio.dat", len);
      if (strcmp(mode, "reopen") == 0) {
         static char head[VMT_PAGE];
         if (pread(fd, head, sizeof head, 0) != (ssize_t)sizeof head)
            vmt_die("pread");
         fd = reopen(fd);
      }
      if (fadv)
         fd = fadvise_hints(fd, argv[3], len, 0);
   }
   if (!p) {
      p = placed       ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0)
          : thp_shared ? vmt_mmap_at(len, 2 * MiB, 0, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
                       : vmt_mmap_at(len, 2 * MiB, 0, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED)
         vmt_die("mmap");
      VMTRACE_LABEL(p, len, "file");
   }
   if (placed)
      vmt_info_addr("file", p);
   if (strcmp(mode, "random") == 0 && madvise(p, len, MADV_RANDOM) != 0)
      vmt_die("madvise MADV_RANDOM");
   if (strcmp(mode, "huge") == 0 && madvise(p, len, MADV_HUGEPAGE) != 0)
      vmt_die("madvise MADV_HUGEPAGE");
   if (fadv)
      fadvise_hints(-1, argv[3], len, p);
   if (!vmt_under_valgrind() && cold) {
      unsigned char *vec = malloc(npages);
      if (!vec || mincore(p, len, vec) != 0)
         vmt_die("mincore");
      long cached = 0;
      for (size_t i = 0; i < npages; i++)
         cached += vec[i] & 1;
      free(vec);
      vmt_fact("cached-before", cached);
   }
   if (strcmp(mode, "pread") == 0) {
      static char head[VMT_PAGE];
      if (pread(fd, head, sizeof head, 0) != (ssize_t)sizeof head)
         vmt_die("pread");
   }
   int infl = cold ? inflight_fd(fd) : -1;
   if (infl >= 0)
      settle(infl);   /* its stack and buffers touched before the phase */
   vmt_begin("read");
   read_pages_settled(p, npages, infl);
   vmt_end();
   if (infl >= 0)
      close(infl);
   if (thp_shared) {
      /* a write through the read-only PMD (write-notify), then one after
         writeback write-protected it again (folio_mkclean), then one with
         nothing in between */
      vmt_begin("write");
      vmt_write_pages(p, npages);
      vmt_end();
      if (fsync(fd) != 0)
         vmt_die("fsync");
      vmt_begin("fsync");
      vmt_write_pages(p, npages);
      vmt_end();
      vmt_begin("again");
      vmt_write_pages(p, npages);
      vmt_end();
   }
   if (thp)
      vmt_fact("file-pmd-kb", file_pmd_kb(p));
   else
      munmap(p, len);        /* placed, written-thp: mapped at exit, for totals.file_pmd_pages */
   close(fd);
   return 0;
}
