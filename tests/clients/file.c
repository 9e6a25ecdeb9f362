/* file: a 256-page file, mapped whole at file offset 0, labelled "file".

   file LAYOUT MODE
     LAYOUT  aligned   the mapping starts at a 64 KiB-aligned address
             skewed    it starts at a 64 KiB-aligned address + 4096
     MODE    read                MAP_PRIVATE, PROT_READ; phase "read"
             write-private       MAP_PRIVATE, PROT_READ|PROT_WRITE; phase "write"
             write-shared        MAP_SHARED,  PROT_READ|PROT_WRITE; phase "write"
             read-write-private  MAP_PRIVATE, read+write; phases "read", "write"
             read-write-shared   MAP_SHARED,  read+write; phases "read", "write"
             write-sync          MAP_SHARED, written (phase "write"), then
                                 after each way of writing pages back,
                                 written again: "msync" (msync MS_SYNC of
                                 the whole mapping), "msync-async"
                                 (MS_ASYNC), "fsync", "msync-part"
                                 (MS_SYNC of pages [64,128)), "range"
                                 (sync_file_range of pages [0,128),
                                 SYNC_FILE_RANGE_WRITE alone), "dontneed"
                                 (POSIX_FADV_DONTNEED of pages [128,256)),
                                 "sync", "syncfs" (of the file's filesystem);
                                 after each, fsync and written again:
                                 "fsync-STEP"
             write-dontneed      MAP_SHARED, written (phase "write"),
                                 unmapped, the file advised
                                 POSIX_FADV_DONTNEED without an fsync, then
                                 mapped again MAP_PRIVATE, PROT_READ and
                                 read (phase "read"): the pages dirtied
                                 through the mapping stay cached
             write-msync-dontneed  the same, with msync(MS_SYNC) before the
                                 munmap: the pages are clean and go
             write-msync-dontneed-willneed  the same, then the file advised
                                 POSIX_FADV_WILLNEED once it is mapped again
                                 (natively waited for with mincore) before
                                 it is read: the pages are read back, in
                                 order-0 folios
             write-msync-dontneed-madvise  the same with MADV_WILLNEED of
                                 the new mapping
             write-msync-dontneed-readahead  the same with readahead(2)

   Each phase touches every page once, in ascending order.  The file is
   created in $TMPDIR (else /tmp) with one 4096-byte write() per page, then
   fsync()ed, so all its pages are in the page cache, clean, uptodate and
   unlocked before anything maps them.  One write per page also keeps the
   page cache in order-0 folios (ext4 allocates a folio no larger than the
   write that creates it), so how the kernel maps large folios cannot
   blur the fault-around arithmetic. */
#include "vmtest.h"

#include <linux/magic.h>
#include <sys/vfs.h>

#define NPAGES 256
#define WINDOW (64 * 1024)

int main(int argc, char **argv)
{
   vmt_init();
   if (argc != 3)
      vmt_die("usage: file aligned|skewed MODE");
   size_t skew;
   if (strcmp(argv[1], "aligned") == 0)
      skew = 0;
   else if (strcmp(argv[1], "skewed") == 0)
      skew = VMT_PAGE;
   else
      vmt_die("bad layout %s", argv[1]);
   const char *mode = argv[2];
   int do_read, do_write, shared;
   if (strcmp(mode, "read") == 0)
      do_read = 1, do_write = 0, shared = 0;
   else if (strcmp(mode, "write-private") == 0)
      do_read = 0, do_write = 1, shared = 0;
   else if (strcmp(mode, "write-shared") == 0)
      do_read = 0, do_write = 1, shared = 1;
   else if (strcmp(mode, "read-write-private") == 0)
      do_read = 1, do_write = 1, shared = 0;
   else if (strcmp(mode, "read-write-shared") == 0)
      do_read = 1, do_write = 1, shared = 1;
   else if (strcmp(mode, "write-sync") == 0 || strcmp(mode, "write-dontneed") == 0 ||
            strcmp(mode, "write-msync-dontneed") == 0 ||
            strcmp(mode, "write-msync-dontneed-willneed") == 0 ||
            strcmp(mode, "write-msync-dontneed-madvise") == 0 ||
            strcmp(mode, "write-msync-dontneed-readahead") == 0)
      do_read = 0, do_write = 1, shared = 1;
   else
      vmt_die("bad mode %s", mode);

   const char *dir = getenv("TMPDIR");
   if (!dir || !*dir)
      dir = "/tmp";
   char path[4096];
   snprintf(path, sizeof path, "%s/vmtest-file.dat", dir);
   int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
   if (fd < 0)
      vmt_die("open %s", path);
   static char page[4096];
   for (int i = 0; i < NPAGES; i++) {
      memset(page, 'a' + i % 26, sizeof page);
      if (write(fd, page, sizeof page) != (ssize_t)sizeof page)
         vmt_die("write %s", path);
   }
   if (fsync(fd) != 0)
      vmt_die("fsync %s", path);
   /* tmpfs (shmem) has no fault-around and no write-notify: the
      expectations would not hold. */
   struct statfs sfs;
   if (fstatfs(fd, &sfs) != 0)
      vmt_die("fstatfs %s", path);
   if (sfs.f_type == TMPFS_MAGIC && unlink(path) == 0)
      vmt_die("%s is on tmpfs; point TMPDIR at a disk filesystem such as ext4", dir);

   int prot = PROT_READ | (do_write ? PROT_WRITE : 0);
   int flags = shared ? MAP_SHARED : MAP_PRIVATE;
   char *p = vmt_mmap_at(NPAGES * VMT_PAGE, WINDOW, skew, prot, flags, fd, 0);
   VMTRACE_LABEL(p, NPAGES * VMT_PAGE, "file");

   if (do_read) {
      vmt_begin("read");
      vmt_read_pages(p, NPAGES);
      vmt_end();
   }
   if (do_write) {
      vmt_begin("write");
      vmt_write_pages(p, NPAGES);
      vmt_end();
   }
   if (strcmp(mode, "write-sync") == 0) {
      size_t len = NPAGES * VMT_PAGE, half = len / 2;
      struct { const char *name, *again; int how; } steps[] = {
         { "msync", "fsync-msync", 0 }, { "msync-async", "fsync-msync-async", 1 },
         { "fsync", "fsync-fsync", 2 }, { "msync-part", "fsync-msync-part", 3 },
         { "range", "fsync-range", 4 }, { "dontneed", "fsync-dontneed", 5 },
         { "sync", "fsync-sync", 6 }, { "syncfs", "fsync-syncfs", 7 },
      };
      for (size_t k = 0; k < sizeof steps / sizeof *steps; k++) {
         int r;
         switch (steps[k].how) {
         case 0: r = msync(p, len, MS_SYNC); break;
         case 1: r = msync(p, len, MS_ASYNC); break;
         case 2: r = fsync(fd); break;
         case 3: r = msync(p + 64 * VMT_PAGE, 64 * VMT_PAGE, MS_SYNC); break;
         case 4: r = sync_file_range(fd, 0, (off_t)half, SYNC_FILE_RANGE_WRITE); break;
         case 5: r = posix_fadvise(fd, (off_t)half, (off_t)half, POSIX_FADV_DONTNEED); break;
         case 6: sync(); r = 0; break;
         default: r = syncfs(fd); break;
         }
         if (r != 0)
            vmt_die("%s", steps[k].name);
         vmt_begin(steps[k].name);
         vmt_write_pages(p, NPAGES);
         vmt_end();
         /* every page clean again, for the next step (natively the
            range's writeback may still be in flight: waited for) */
         if (fsync(fd) != 0)
            vmt_die("fsync");
         vmt_begin(steps[k].again);
         vmt_write_pages(p, NPAGES);
         vmt_end();
      }
   }
   if (strstr(mode, "dontneed")) {
      /* The advice starts writing the dirty pages back and drops only
         pages neither mapped, dirty nor under writeback
         (generic_fadvise -> mapping_try_invalidate). */
      if (strstr(mode, "msync") && msync(p, NPAGES * VMT_PAGE, MS_SYNC) != 0)
         vmt_die("msync");
      if (munmap(p, NPAGES * VMT_PAGE) != 0)
         vmt_die("munmap");
      if (posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) != 0)
         vmt_die("posix_fadvise");
      p = vmt_mmap_at(NPAGES * VMT_PAGE, WINDOW, skew, PROT_READ, MAP_PRIVATE, fd, 0);
      int fadv = strstr(mode, "willneed") != NULL, madv = strstr(mode, "madvise") != NULL,
          ra = strstr(mode, "readahead") != NULL;
      if (fadv || madv || ra) {
         /* read back by force_page_cache_ra (each is vfs_fadvise's
            POSIX_FADV_WILLNEED); natively the reads are waited for
            (mincore says a page is there once it is uptodate), so that
            fault-around finds every page */
         if ((fadv && posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED) != 0) ||
             (madv && madvise(p, NPAGES * VMT_PAGE, MADV_WILLNEED) != 0) ||
             (ra && readahead(fd, 0, NPAGES * VMT_PAGE) != 0))
            vmt_die("advice");
         if (!vmt_under_valgrind()) {
            unsigned char vec[NPAGES];
            for (int tries = 0;; tries++) {
               int c = 0;
               if (mincore(p, NPAGES * VMT_PAGE, vec) != 0)
                  vmt_die("mincore");
               for (int i = 0; i < NPAGES; i++)
                  c += vec[i] & 1;
               if (c == NPAGES)
                  break;
               if (tries > 5000)
                  vmt_die("the file is not read back");
               usleep(1000);
            }
         }
      }
      VMTRACE_LABEL(p, NPAGES * VMT_PAGE, "file");
      vmt_begin("read");
      vmt_read_pages(p, NPAGES);
      vmt_end();
   }
   if (munmap(p, NPAGES * VMT_PAGE) != 0)
      vmt_die("munmap");
   close(fd);
   unlink(path);
   return 0;
}
