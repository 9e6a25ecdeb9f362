/* populate MODE: faults taken by mlock and MAP_POPULATE, before the
   program touches anything.  The memory studied is labelled "region".

   mlock          a 10-page private anonymous read-write mapping, untouched:
                  mlock() (phase "mlock"), then written (phase "write"),
                  munlock()ed (phase "munlock"), then read and written
                  (phase "access")
   map-populate   a 10-page private anonymous read-write mmap with
                  MAP_POPULATE (phase "mmap": the mmap call), then written
                  (phase "write")
   file-populate  a cached 32-page file mapped whole, MAP_PRIVATE, PROT_READ,
                  MAP_POPULATE, at a 64 KiB-aligned address (phase "mmap"),
                  then every page read (phase "read")
   lockall-onfault-future
                  mlockall(MCL_FUTURE | MCL_ONFAULT), then a 10-page private
                  anonymous read-write mmap (phase "mmap"), written (phase
                  "write"), and another, labelled "populated", with
                  MAP_POPULATE (phase "mmap-populate"), written (phase
                  "write-populated")
   lockall-onfault-current
                  a 10-page private anonymous read-write mapping, untouched;
                  mlockall(MCL_FUTURE), then mlockall(MCL_CURRENT |
                  MCL_ONFAULT) (phase "lockall"), the mapping written
                  (phase "write"), a 10-page mmap, labelled "later" (phase
                  "mmap"), written (phase "write-later")
   mlock-grow     a 10-page private anonymous read-write mapping mlock()ed
                  (phase "mlock"), grown in place to 20 pages with mremap
                  (phase "grow"), the 20 pages written (phase "write")
   mlock-grow-move
                  the same, but moved as it grows (MREMAP_FIXED) onto a
                  20-page range labelled "moved"
   mlock-mprotect a 10-page private anonymous read-only mapping mlock()ed
                  (phase "mlock"), made writable with mprotect (phase
                  "mprotect"), written (phase "write"); then a 10-page
                  private anonymous PROT_NONE mapping, labelled "none",
                  made with MAP_LOCKED (phase "mmap-none"), made writable
                  (phase "mprotect-none") and written (phase "write-none")
   mlock-fail     a 6-page private anonymous read-write mapping whose last 2
                  pages are PROT_NONE, mlock()ed whole, which fails with
                  ENOMEM (phase "mlock"), the 2 made writable (phase
                  "mprotect"), the 6 written (phase "write"); then 6 pages,
                  labelled "hole", the fourth unmapped, mlock()ed whole,
                  which fails with ENOMEM (phase "mlock-hole"), each part
                  made read-only and writable again (phase "relock"), the
                  5 pages written (phase "write-hole")
   pressure-mlock, pressure-current, pressure-future,
   pressure-onfault-current, pressure-onfault-future
                  memory pressure around a lock and its unlock, for a RAM
                  smaller than the process (tests/trace/run): a 10-page
                  private anonymous mapping written; then mlock() of it,
                  mlockall(MCL_CURRENT), mlockall(MCL_FUTURE) and a 10-page
                  mapping made and written, or the same two with
                  MCL_ONFAULT; the locked pages written; munlock() or
                  munlockall(); then a 40-page mapping and the 10 pages
                  read and written over and over

   The mmap phases map over a PROT_NONE reservation placed (and labelled)
   beforehand, so the label exists before the mapping does; mlock and
   munlock are warmed up on another page. */
#include "vmtest.h"

#define NPAGES 10
#define FILE_PAGES 32
#define WINDOW (64 * 1024)

static VMT_NOINLINE void *map_fixed(void *at, size_t len, int prot, int flags,
                                    int fd)
{
   void *p = mmap(at, len, prot, flags | MAP_FIXED, fd, 0);
   if (p != at)
      vmt_die("mmap at %p", at);
   return p;
}

int main(int argc, char **argv)
{
   vmt_init();
   const char *mode = argc == 2 ? argv[1] : "";

   if (strcmp(mode, "mlock") == 0) {
      char *warm = vmt_anon(1);
      if (mlock(warm, VMT_PAGE) != 0 || munlock(warm, VMT_PAGE) != 0)
         vmt_die("mlock/munlock");
      char *p = vmt_anon(NPAGES);
      VMTRACE_LABEL(p, NPAGES * VMT_PAGE, "region");

      vmt_begin("mlock");
      int r = mlock(p, NPAGES * VMT_PAGE);
      vmt_end();
      if (r != 0)
         vmt_die("mlock");

      vmt_begin("write");
      vmt_write_pages(p, NPAGES);
      vmt_end();

      vmt_begin("munlock");
      r = munlock(p, NPAGES * VMT_PAGE);
      vmt_end();
      if (r != 0)
         vmt_die("munlock");

      vmt_begin("access");
      vmt_read_pages(p, NPAGES);
      vmt_write_pages(p, NPAGES);
      vmt_end();
   } else if (strcmp(mode, "map-populate") == 0) {
      void *at = vmt_place(NPAGES * VMT_PAGE, VMT_PAGE, 0);
      VMTRACE_LABEL(at, NPAGES * VMT_PAGE, "region");

      vmt_begin("mmap");
      char *p = map_fixed(at, NPAGES * VMT_PAGE, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1);
      vmt_end();

      vmt_begin("write");
      vmt_write_pages(p, NPAGES);
      vmt_end();
   } else if (strcmp(mode, "file-populate") == 0) {
      int fd = vmt_cached_file("vmtest-populate.dat", FILE_PAGES * VMT_PAGE);
      void *at = vmt_place(FILE_PAGES * VMT_PAGE, WINDOW, 0);
      VMTRACE_LABEL(at, FILE_PAGES * VMT_PAGE, "region");

      vmt_begin("mmap");
      char *p = map_fixed(at, FILE_PAGES * VMT_PAGE, PROT_READ,
                          MAP_PRIVATE | MAP_POPULATE, fd);
      vmt_end();

      vmt_begin("read");
      vmt_read_pages(p, FILE_PAGES);
      vmt_end();
      close(fd);
   } else if (strcmp(mode, "lockall-onfault-future") == 0) {
      /* mlockall(MCL_FUTURE | MCL_ONFAULT): later mappings are locked
         (VM_LOCKED | VM_LOCKONFAULT) but not populated */
      if (mlockall(MCL_FUTURE | MCL_ONFAULT) != 0 || munlockall() != 0)
         vmt_die("mlockall/munlockall");
      void *at = vmt_place(NPAGES * VMT_PAGE, VMT_PAGE, 0);
      VMTRACE_LABEL(at, NPAGES * VMT_PAGE, "region");
      void *at2 = vmt_place(NPAGES * VMT_PAGE, VMT_PAGE, 0);
      VMTRACE_LABEL(at2, NPAGES * VMT_PAGE, "populated");
      if (mlockall(MCL_FUTURE | MCL_ONFAULT) != 0)
         vmt_die("mlockall");

      vmt_begin("mmap");
      char *p = map_fixed(at, NPAGES * VMT_PAGE, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1);
      vmt_end();

      vmt_begin("write");
      vmt_write_pages(p, NPAGES);
      vmt_end();

      vmt_begin("mmap-populate");
      char *q = map_fixed(at2, NPAGES * VMT_PAGE, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1);
      vmt_end();

      vmt_begin("write-populated");
      vmt_write_pages(q, NPAGES);
      vmt_end();
      if (munlockall() != 0)
         vmt_die("munlockall");
   } else if (strcmp(mode, "lockall-onfault-current") == 0) {
      /* mlockall(MCL_CURRENT | MCL_ONFAULT): every mapping locked, none
         populated: the pages fault when touched */
      if (mlockall(MCL_FUTURE | MCL_ONFAULT) != 0 || munlockall() != 0)
         vmt_die("mlockall/munlockall");
      char *p = vmt_anon(NPAGES);
      VMTRACE_LABEL(p, NPAGES * VMT_PAGE, "region");
      void *at = vmt_place(NPAGES * VMT_PAGE, VMT_PAGE, 0);
      VMTRACE_LABEL(at, NPAGES * VMT_PAGE, "later");
      if (mlockall(MCL_FUTURE) != 0)    /* ended by the next call */
         vmt_die("mlockall");

      vmt_begin("lockall");
      int r = mlockall(MCL_CURRENT | MCL_ONFAULT);
      vmt_end();
      if (r != 0)
         vmt_die("mlockall");

      vmt_begin("write");
      vmt_write_pages(p, NPAGES);
      vmt_end();

      vmt_begin("mmap");
      char *q = map_fixed(at, NPAGES * VMT_PAGE, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1);
      vmt_end();

      vmt_begin("write-later");
      vmt_write_pages(q, NPAGES);
      vmt_end();
      if (munlockall() != 0)
         vmt_die("munlockall");
   } else if (strcmp(mode, "mlock-grow") == 0) {
      /* mremap grows a locked VMA in place: the new part is populated */
      char *warm = vmt_anon(1);
      if (mlock(warm, VMT_PAGE) != 0 || munlock(warm, VMT_PAGE) != 0)
         vmt_die("mlock/munlock");
      char *p = vmt_anon(2 * NPAGES);
      VMTRACE_LABEL(p, 2 * NPAGES * VMT_PAGE, "region");
      if (munmap(p + NPAGES * VMT_PAGE, NPAGES * VMT_PAGE) != 0)
         vmt_die("munmap");

      vmt_begin("mlock");
      int r = mlock(p, NPAGES * VMT_PAGE);
      vmt_end();
      if (r != 0)
         vmt_die("mlock");

      vmt_begin("grow");
      char *q = mremap(p, NPAGES * VMT_PAGE, 2 * NPAGES * VMT_PAGE, 0);
      vmt_end();
      if (q != p)
         vmt_die("mremap");

      vmt_begin("write");
      vmt_write_pages(p, 2 * NPAGES);
      vmt_end();
      if (munlock(p, 2 * NPAGES * VMT_PAGE) != 0)
         vmt_die("munlock");
   } else if (strcmp(mode, "mlock-grow-move") == 0) {
      /* the same, moved while grown (MREMAP_FIXED) */
      char *warm = vmt_anon(1);
      if (mlock(warm, VMT_PAGE) != 0 || munlock(warm, VMT_PAGE) != 0)
         vmt_die("mlock/munlock");
      char *p = vmt_anon(NPAGES);
      VMTRACE_LABEL(p, NPAGES * VMT_PAGE, "region");
      void *at = vmt_place(2 * NPAGES * VMT_PAGE, VMT_PAGE, 0);
      VMTRACE_LABEL(at, 2 * NPAGES * VMT_PAGE, "moved");

      vmt_begin("mlock");
      int r = mlock(p, NPAGES * VMT_PAGE);
      vmt_end();
      if (r != 0)
         vmt_die("mlock");

      vmt_begin("grow");
      char *q = mremap(p, NPAGES * VMT_PAGE, 2 * NPAGES * VMT_PAGE,
                       MREMAP_MAYMOVE | MREMAP_FIXED, at);
      vmt_end();
      if (q != at)
         vmt_die("mremap");

      vmt_begin("write");
      vmt_write_pages(q, 2 * NPAGES);
      vmt_end();
      if (munlock(q, 2 * NPAGES * VMT_PAGE) != 0)
         vmt_die("munlock");
   } else if (strcmp(mode, "mlock-mprotect") == 0) {
      /* mprotect making a locked private VMA writable populates it */
      char *warm = vmt_anon(1);
      if (mlock(warm, VMT_PAGE) != 0 || mprotect(warm, VMT_PAGE, PROT_READ) != 0 ||
          munlock(warm, VMT_PAGE) != 0)
         vmt_die("mlock/mprotect/munlock");
      char *p = vmt_mmap_at(NPAGES * VMT_PAGE, VMT_PAGE, 0, PROT_READ,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      VMTRACE_LABEL(p, NPAGES * VMT_PAGE, "region");
      void *at = vmt_place(NPAGES * VMT_PAGE, VMT_PAGE, 0);
      VMTRACE_LABEL(at, NPAGES * VMT_PAGE, "none");

      vmt_begin("mlock");
      int r = mlock(p, NPAGES * VMT_PAGE);
      vmt_end();
      if (r != 0)
         vmt_die("mlock");

      vmt_begin("mprotect");
      r = mprotect(p, NPAGES * VMT_PAGE, PROT_READ | PROT_WRITE);
      vmt_end();
      if (r != 0)
         vmt_die("mprotect");

      vmt_begin("write");
      vmt_write_pages(p, NPAGES);
      vmt_end();

      vmt_begin("mmap-none");
      char *q = map_fixed(at, NPAGES * VMT_PAGE, PROT_NONE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1);
      vmt_end();

      vmt_begin("mprotect-none");
      r = mprotect(q, NPAGES * VMT_PAGE, PROT_READ | PROT_WRITE);
      vmt_end();
      if (r != 0)
         vmt_die("mprotect");

      vmt_begin("write-none");
      vmt_write_pages(q, NPAGES);
      vmt_end();
      if (munlock(p, NPAGES * VMT_PAGE) != 0 || munlock(q, NPAGES * VMT_PAGE) != 0)
         vmt_die("munlock");
   } else if (strcmp(mode, "mlock-fail") == 0) {
      /* mlock failing with ENOMEM after part of its work */
      char *warm = vmt_anon(1);
      if (mlock(warm, VMT_PAGE) != 0 || mprotect(warm, VMT_PAGE, PROT_READ) != 0 ||
          munlock(warm, VMT_PAGE) != 0)
         vmt_die("mlock/mprotect/munlock");
      char *p = vmt_anon(6);
      VMTRACE_LABEL(p, 6 * VMT_PAGE, "region");
      if (mprotect(p + 4 * VMT_PAGE, 2 * VMT_PAGE, PROT_NONE) != 0)
         vmt_die("mprotect");
      char *q = vmt_anon(6);
      VMTRACE_LABEL(q, 6 * VMT_PAGE, "hole");
      if (munmap(q + 3 * VMT_PAGE, VMT_PAGE) != 0)
         vmt_die("munmap");

      vmt_begin("mlock");
      int r = mlock(p, 6 * VMT_PAGE);
      vmt_end();
      if (r != -1 || errno != ENOMEM)
         vmt_die("mlock over PROT_NONE: %d", r);
      errno = 0;

      vmt_begin("mprotect");
      r = mprotect(p + 4 * VMT_PAGE, 2 * VMT_PAGE, PROT_READ | PROT_WRITE);
      vmt_end();
      if (r != 0)
         vmt_die("mprotect");

      vmt_begin("write");
      vmt_write_pages(p, 6);
      vmt_end();

      vmt_begin("mlock-hole");
      r = mlock(q, 6 * VMT_PAGE);
      vmt_end();
      if (r != -1 || errno != ENOMEM)
         vmt_die("mlock over a hole: %d", r);
      errno = 0;

      vmt_begin("relock");
      r = mprotect(q, 3 * VMT_PAGE, PROT_READ) | mprotect(q + 4 * VMT_PAGE, 2 * VMT_PAGE, PROT_READ) |
          mprotect(q, 3 * VMT_PAGE, PROT_READ | PROT_WRITE) |
          mprotect(q + 4 * VMT_PAGE, 2 * VMT_PAGE, PROT_READ | PROT_WRITE);
      vmt_end();
      if (r != 0)
         vmt_die("mprotect");

      vmt_begin("write-hole");
      vmt_write_pages(q, 3);
      vmt_write_pages(q + 4 * VMT_PAGE, 2);
      vmt_end();
   } else if (strncmp(mode, "pressure-", 9) == 0) {
      const char *how = mode + 9;
      char *p = vmt_anon(NPAGES);
      vmt_write_pages(p, NPAGES);
      int r;
      if (strcmp(how, "mlock") == 0) {
         r = mlock(p, NPAGES * VMT_PAGE);
      } else if (strcmp(how, "current") == 0) {
         r = mlockall(MCL_CURRENT);
      } else if (strcmp(how, "onfault-current") == 0) {
         r = mlockall(MCL_CURRENT | MCL_ONFAULT);
      } else if (strcmp(how, "future") == 0 || strcmp(how, "onfault-future") == 0) {
         r = mlockall(MCL_FUTURE | (how[0] == 'o' ? MCL_ONFAULT : 0));
         p = vmt_anon(NPAGES);           /* locked as it is made */
      } else {
         vmt_die("populate: unknown lock %s", how);
      }
      if (r != 0)
         vmt_die("%s", mode);
      vmt_write_pages(p, NPAGES);
      r = strcmp(how, "mlock") == 0 ? munlock(p, NPAGES * VMT_PAGE) : munlockall();
      if (r != 0)
         vmt_die("unlock");
      char *q = vmt_anon(4 * NPAGES);
      for (int k = 0; k < 5; k++) {
         vmt_write_pages(q, 4 * NPAGES);
         vmt_read_pages(p, NPAGES);
         vmt_write_pages(p, NPAGES);
      }
   } else {
      vmt_die("usage: populate mlock|map-populate|file-populate|"
              "lockall-onfault-future|lockall-onfault-current|mlock-grow|"
              "mlock-grow-move|pressure-{mlock,current,future,onfault-current,"
              "onfault-future}");
   }
   return 0;
}
