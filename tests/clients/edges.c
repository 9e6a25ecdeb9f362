/* edges MODE: the address space at its edges (issue 15).  Calls that fail
   half-way, populating, guard regions, the kind of an anonymous mapping,
   a successful call whose announced reads were invalid.

   Every hole below is a page left unmapped between two mappings placed
   in one PROT_NONE reservation (vmt_place), so nothing else lands there.

   mprotect-hole   "a" (2 pages), a hole, "b" (2 pages), all written (phase
                   "write"); mprotect(PROT_READ) over the 5 pages must fail
                   with ENOMEM; then every page is written again (phase
                   "after"), a SIGSEGV caught (siglongjmp) where it fails;
                   FACT segv-a=, segv-b= count them
   dontneed-hole   "a" (2 pages), a hole, "b" (2 pages), all written (phase
                   "write"); madvise(MADV_DONTNEED) over the 5 pages must
                   fail with ENOMEM; then every page is written again
                   (phase "rewrite")
   dontneed-locked "a", "b" and "c" (2 pages each, one after the other),
                   all written (phase "write"), "b" mlock()ed;
                   madvise(MADV_DONTNEED) over the 6 pages must fail with
                   EINVAL; then every page is written again (phase
                   "rewrite")
   remove-partway  a 4-page memfd; "a": its first 2 pages mapped shared,
                   "b": 2 private anonymous pages right after; all written
                   (phase "write"); madvise(MADV_REMOVE) over the 4 pages
                   must fail with EINVAL; "c": the memfd's last 2 pages
                   mapped shared, "d": its first 2 mapped private right
                   after, all written (phase "write2"); MADV_REMOVE over
                   them must fail with EACCES; then the pages of each are
                   read (phases "read-a", "read-b", "read-c", "read-d")
   remove-maywrite a 4-page memfd; "a": its pages 0-1 mapped shared, a
                   2-page SysV segment attached SHM_RDONLY right after;
                   "c": its pages 2-3 mapped shared, its pages 0-1 mapped
                   shared read-only right after through a descriptor
                   opened O_RDONLY; "a" and "c" written (phase "write");
                   madvise(MADV_REMOVE) over a and the attach, then over c
                   and the mapping after it, each must fail with EACCES;
                   "a" and "c" read (phases "read-a", "read-c")
   mremap-multi    "src" (6 pages) written (phase "write"), its pages 2-3
                   mlock()ed (three VMAs); moved whole with
                   mremap(MREMAP_MAYMOVE | MREMAP_FIXED) to "dst" (phase
                   "move"; Linux 6.17 moves several VMAs, an older kernel
                   fails with EFAULT: INFO multi=0 then, else multi=1);
                   the 6 pages at dst written (phase "move-write"), then
                   the 6 at src, each SIGSEGV caught (phase "src-write");
                   FACT segv-src= counts them
   wipeonfork-partway  "a": 2 private anonymous pages, "b": the 2 pages
                   of a memfd mapped shared right after; all written by
                   the parent (phase "write"); madvise(MADV_WIPEONFORK)
                   over the 4 pages must fail with EINVAL; fork: the child
                   reads "a" ("child-read-a") and "b" ("child-read-b")
   mremap-inplace  "f": a 64-page file's pages 0-5 mapped private
                   read-only, 64 KiB-aligned, the 2 pages after unmapped;
                   mremap of its last 2 pages to the same 2 pages (in
                   place) must give the same address; "f" read (phase
                   "read"); mremap of its last 2 pages to 4 pages (grown
                   in place, into the unmapped pages) must give the same
                   address; MADV_DONTNEED over the 8 pages, then they are
                   read (phase "read-grown")
   mprotect-eacces "a" (2 pages, private anonymous, PROT_NONE, MAP_LOCKED),
                   "b" (2 pages of a cached file opened again read-only,
                   shared, PROT_READ) and "c" (2 pages, private anonymous,
                   PROT_READ), one after the other; mprotect(PROT_READ |
                   PROT_WRITE) over the 6 pages must fail with EACCES
                   (phase "mprotect"); then a's and c's pages are written
                   (phase "write"), a SIGSEGV caught where it fails; FACT
                   segv-a=, segv-c= count them, present-a= (pagemap) after
                   the mprotect; INFO target= is c's first page
   mlock-merge     "f": a 64-page cached file's pages 0-7 mapped shared
                   PROT_NONE, 64 KiB-aligned; mlock of pages 4-7 must fail
                   with ENOMEM (nothing to populate: the VMA is split and
                   locked); mprotect(PROT_READ) of the 8; mlock of the 8
                   (phase "mlock"): the two VMAs merge, then populate
   populate-hole   "a" (8 pages), a hole, "b" (8 pages), untouched;
                   madvise(MADV_POPULATE_READ) over the 17 pages must fail
                   with ENOMEM (phase "populate-read"), then
                   MADV_POPULATE_WRITE likewise (phase "populate-write"),
                   then a's pages are written (phase "write").  FACT
                   present-a-read=, present-b-read=, present-a-write= (from
                   /proc/self/pagemap) after the two calls
   guard           "region" (8 pages) written (phase "write"); guard markers
                   installed on its first 4 pages (phase "install"); those
                   4 written, each SIGSEGV caught (phase "write-guard"); all
                   8 dropped with MADV_DONTNEED and the first 4 written
                   again (phase "write-guard2"); the markers removed (phase
                   "remove"); all 8 written (phase "rewrite").  FACT
                   resident-install= (pagemap), segv-guard=, segv-guard2=.
                   A kernel without guard regions (before 6.13) refuses the
                   install with EINVAL: INFO guard=0 then, else guard=1
   guard-around    "region": a cached 16-page file mapped private
                   read-write, 64 KiB-aligned; guard markers installed on
                   its pages 4-5 before any fault; page 0 read (phase
                   "read"; FACT present-read=, pagemap); pages 4-5
                   written, each SIGSEGV caught (phase "write-guard", FACT
                   segv-guard=); the markers removed (phase "remove");
                   pages 4-5 read (phase "reread")
   around-merged   "f": a cached 16-page file mapped private read-only,
                   64 KiB-aligned, its pages 4-7 mapped again over it
                   (MAP_FIXED, the same offsets: one VMA for Linux; FACT
                   vmas=); all 16 read (phase "read")
   anon-vma-apart  "l" and "p": a cached 16-page file mapped private
                   read-write twice, 64 KiB-aligned; l's pages 8-15
                   mlock()ed ("lock"), p's made PROT_READ|PROT_WRITE|
                   PROT_EXEC; page 0 and page 8 of each written
                   ("write"); l's munlock()ed, p's made read-write again
                   (FACT vmas-l=, vmas-p=); both dropped (MADV_DONTNEED)
                   and read whole ("read")
   sysv-apart      "s" and "t": a 4-page SysV segment each, attached over
                   a reservation; s's pages 2-3 made PROT_READ, then
                   read-write again (FACT vmas-s=); t's pages 2-3 made
                   PROT_READ, then t's page 2 read-write again (FACT
                   vmas-t=); s's 4 pages and t's pages 0-2 written, t's
                   page 3 read (phase "write"); a guard marker installed
                   on page 0 of each; fork: the child reads pages 1-3 of
                   each ("child-read").  Roles "parent" and "child"
   kinds           a 2-page private writable file mapping ("data", MAP_FIXED),
                   then anonymous memory right after it: 2 pages mmapped
                   with that address as a hint, no MAP_FIXED ("placed"),
                   and, after a second such data mapping, 2 pages with
                   MAP_FIXED, as the loader maps a bss ("bss"); each written
                   (phase "write")
   mbind-null      mbind(MPOL_DEFAULT) of "region" (1 page, written first in
                   phase "write") and set_mempolicy(MPOL_DEFAULT) with a
                   NULL nodemask and maxnode 64: both succeed (phase
                   "call")
   eof-around      a cached file of 2 pages mapped 8 pages long three times,
                   each at a 64 KiB-aligned address (one fault-around
                   window): "f" shared read-only, a load from its page 4,
                   past the end of the file, SIGBUS caught (phase
                   "sigbus"), then its pages 0-1 read (phase "read-f");
                   "g" likewise, MADV_POPULATE_READ of its pages 2-7 must
                   fail with EFAULT (phase "populate"), then pages 0-1 read
                   (phase "read-g"); "h" private writable, a store to its
                   page 4 caught (phase "sigbus-write"), then pages 0-1
                   read (phase "read-h").  FACT present-f=, present-g=,
                   present-h= (pagemap, pages 0-7) before the reads,
                   sigbus-f=, sigbus-h=
   eof-cow         a memfd of 1 page; "w", "p" and "m": its pages 1-4
                   (past its end) mapped private, 4 pages each; a store to
                   w's page 0, SIGBUS caught, MADV_POPULATE_WRITE of p's
                   page 0 (must fail), m mapped PROT_NONE|MAP_LOCKED and
                   made read-write (phase "eof"; FACT sigbus-w=); the memfd
                   grown to 8 pages; page 0 of each read (phase "read");
                   fork: the child reads page 0 of each ("child-read").
                   Roles "parent" and "child"
   eof-falloc      a memfd of 2 pages, both written (pwrite), its pages
                   2-3 allocated past its end twice (fallocate KEEP_SIZE:
                   the second makes them uptodate); "f": its 4 pages mapped
                   shared, 64 KiB-aligned; a load from page 2, SIGBUS
                   caught (phase "sigbus"; FACT sigbus=, present= after
                   it, pagemap); the memfd grown to 4 pages; f's 4 pages
                   read (phase "read")
   zero-length     "region" (4 pages) written (phase "write"); then
                   madvise(MADV_DONTNEED), mprotect(PROT_READ),
                   MADV_POPULATE_WRITE, mlock, munlock and MADV_DONTFORK
                   of 0 bytes at its start, each of which succeeds and does
                   nothing (phase "calls"); the 4 pages written again
                   (phase "after") */
#include "vmtest.h"

#include <setjmp.h>
#include <signal.h>
#include <sys/shm.h>
#include <sys/syscall.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#define MADV_GUARD_REMOVE 103
#endif

static sigjmp_buf vmt_jump;
static volatile int segvs;

static void caught(int sig)
{
   (void)sig;
   segvs++;
   siglongjmp(vmt_jump, 1);
}

/* Handlers for SIGSEGV and SIGUSR1 that count and jump back; one
   SIGUSR1 sent first warms delivery and the jump up, so that a phase's
   faults are the studied pages' only. */
static VMT_NOINLINE void catch_segv(void)
{
   struct sigaction sa;
   memset(&sa, 0, sizeof sa);
   sigemptyset(&sa.sa_mask);
   sa.sa_handler = caught;
   if (sigaction(SIGSEGV, &sa, NULL) != 0 || sigaction(SIGUSR1, &sa, NULL) != 0)
      vmt_die("sigaction");
   if (!sigsetjmp(vmt_jump, 1))
      raise(SIGUSR1);
   segvs = 0;
}

/* Writes one byte to the first byte of each of n pages; returns how many
   of the stores raised SIGSEGV. */
static VMT_NOINLINE int write_caught(char *p, size_t n)
{
   segvs = 0;
   for (volatile size_t i = 0; i < n; i++)
      if (!sigsetjmp(vmt_jump, 1))
         ((volatile char *)p)[i * VMT_PAGE] = 1;
   return segvs;
}

/* Pages present of the n at addr (the zero page included).  Natively only
   (-1 under Valgrind). */
static long present(const void *addr, size_t n)
{
   return vmt_pagemap_count(addr, n, VMT_PM_PRESENT);
}

static VMT_NOINLINE void *map_at(void *at, size_t len, int prot, int flags, int fd)
{
   void *p = mmap(at, len, prot, flags, fd, 0);
   if (p != at)
      vmt_die("mmap at %p gave %p", at, p);
   return p;
}

/* na pages, a one-page hole, nb pages: private anonymous read-write
   memory, labelled "a" and "b". */
static VMT_NOINLINE char *two_with_hole(size_t na, size_t nb)
{
   char *s = vmt_place((na + 1 + nb) * VMT_PAGE, VMT_PAGE, 0);
   map_at(s, na * VMT_PAGE, PROT_READ | PROT_WRITE,
          MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1);
   if (munmap(s + na * VMT_PAGE, VMT_PAGE) != 0)
      vmt_die("munmap");
   map_at(s + (na + 1) * VMT_PAGE, nb * VMT_PAGE, PROT_READ | PROT_WRITE,
          MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1);
   VMTRACE_LABEL(s, na * VMT_PAGE, "a");
   VMTRACE_LABEL(s + (na + 1) * VMT_PAGE, nb * VMT_PAGE, "b");
   return s;
}

static VMT_NOINLINE void expect_enomem(int r, const char *what)
{
   if (r != -1 || errno != ENOMEM)
      vmt_die("%s over a hole: %d, expected ENOMEM", what, r);
   errno = 0;
}

static void mprotect_hole(void)
{
   catch_segv();
   char *s = two_with_hole(2, 2);
   vmt_info_addr("target", s);
   vmt_begin("write");
   vmt_write_pages(s, 2);
   vmt_write_pages(s + 3 * VMT_PAGE, 2);
   vmt_end();
   expect_enomem(mprotect(s, 5 * VMT_PAGE, PROT_READ), "mprotect");
   vmt_begin("after");
   int sa = write_caught(s, 2);
   int sb = write_caught(s + 3 * VMT_PAGE, 2);
   vmt_end();
   vmt_fact("segv-a", sa);
   vmt_fact("segv-b", sb);
}

static void dontneed_hole(void)
{
   char *s = two_with_hole(2, 2);
   vmt_begin("write");
   vmt_write_pages(s, 2);
   vmt_write_pages(s + 3 * VMT_PAGE, 2);
   vmt_end();
   expect_enomem(madvise(s, 5 * VMT_PAGE, MADV_DONTNEED), "MADV_DONTNEED");
   vmt_begin("rewrite");
   vmt_write_pages(s, 2);
   vmt_write_pages(s + 3 * VMT_PAGE, 2);
   vmt_end();
}

static void dontneed_locked(void)
{
   char *s = vmt_place(6 * VMT_PAGE, VMT_PAGE, 0);
   for (int i = 0; i < 3; i++)
      map_at(s + 2 * i * VMT_PAGE, 2 * VMT_PAGE, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1);
   VMTRACE_LABEL(s, 2 * VMT_PAGE, "a");
   VMTRACE_LABEL(s + 2 * VMT_PAGE, 2 * VMT_PAGE, "b");
   VMTRACE_LABEL(s + 4 * VMT_PAGE, 2 * VMT_PAGE, "c");
   vmt_begin("write");
   vmt_write_pages(s, 6);
   vmt_end();
   if (mlock(s + 2 * VMT_PAGE, 2 * VMT_PAGE) != 0)
      vmt_die("mlock");
   int r = madvise(s, 6 * VMT_PAGE, MADV_DONTNEED);
   if (r != -1 || errno != EINVAL)
      vmt_die("MADV_DONTNEED over a locked VMA: %d, expected EINVAL", r);
   errno = 0;
   vmt_begin("rewrite");
   vmt_write_pages(s, 6);
   vmt_end();
   if (munlock(s + 2 * VMT_PAGE, 2 * VMT_PAGE) != 0)
      vmt_die("munlock");
}

static void remove_partway(void)
{
   int fd = memfd_create("vmtest-remove", 0);
   if (fd < 0 || ftruncate(fd, 4 * VMT_PAGE) != 0)
      vmt_die("memfd");
   char *s = vmt_place(4 * VMT_PAGE, VMT_PAGE, 0);
   map_at(s, 2 * VMT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd);
   map_at(s + 2 * VMT_PAGE, 2 * VMT_PAGE, PROT_READ | PROT_WRITE,
          MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1);
   VMTRACE_LABEL(s, 2 * VMT_PAGE, "a");
   VMTRACE_LABEL(s + 2 * VMT_PAGE, 2 * VMT_PAGE, "b");
   char *t = vmt_place(4 * VMT_PAGE, VMT_PAGE, 0);
   if (mmap(t, 2 * VMT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
            2 * VMT_PAGE) != t)
      vmt_die("mmap");
   map_at(t + 2 * VMT_PAGE, 2 * VMT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd);
   VMTRACE_LABEL(t, 2 * VMT_PAGE, "c");
   VMTRACE_LABEL(t + 2 * VMT_PAGE, 2 * VMT_PAGE, "d");
   vmt_begin("write");
   vmt_write_pages(s, 4);
   vmt_end();
   int r = madvise(s, 4 * VMT_PAGE, MADV_REMOVE);
   if (r != -1 || errno != EINVAL)
      vmt_die("MADV_REMOVE over private anonymous memory: %d, expected EINVAL", r);
   errno = 0;
   vmt_begin("write2");
   vmt_write_pages(t, 4);
   vmt_end();
   r = madvise(t, 4 * VMT_PAGE, MADV_REMOVE);
   if (r != -1 || errno != EACCES)
      vmt_die("MADV_REMOVE over a private mapping: %d, expected EACCES", r);
   errno = 0;
   vmt_begin("read-a");
   vmt_read_pages(s, 2);
   vmt_end();
   vmt_begin("read-b");
   vmt_read_pages(s + 2 * VMT_PAGE, 2);
   vmt_end();
   vmt_begin("read-c");
   vmt_read_pages(t, 2);
   vmt_end();
   vmt_begin("read-d");
   vmt_read_pages(t + 2 * VMT_PAGE, 2);
   vmt_end();
   close(fd);
}

static void mremap_multi(void)
{
   catch_segv();
   char *src = vmt_anon(6);
   char *dst = vmt_place(6 * VMT_PAGE, VMT_PAGE, 0);
   VMTRACE_LABEL(src, 6 * VMT_PAGE, "src");
   VMTRACE_LABEL(dst, 6 * VMT_PAGE, "dst");
   vmt_begin("write");
   vmt_write_pages(src, 6);
   vmt_end();
   if (mlock(src + 2 * VMT_PAGE, 2 * VMT_PAGE) != 0)
      vmt_die("mlock");
   vmt_begin("move");
   void *r = mremap(src, 6 * VMT_PAGE, 6 * VMT_PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
   vmt_end();
   if (r == MAP_FAILED && errno == EFAULT) {
      printf("INFO multi=0\n");
      errno = 0;
      return;
   }
   if (r != dst)
      vmt_die("mremap of three VMAs");
   printf("INFO multi=1\n");
   vmt_begin("move-write");
   vmt_write_pages(dst, 6);
   vmt_end();
   vmt_begin("src-write");
   int segv = write_caught(src, 6);
   vmt_end();
   vmt_fact("segv-src", segv);
   if (munlock(dst, 6 * VMT_PAGE) != 0)
      vmt_die("munlock");
}

static void wipeonfork_partway(void)
{
   vmt_set_role("parent");
   int fd = memfd_create("vmtest-wipe", 0);
   if (fd < 0 || ftruncate(fd, 2 * VMT_PAGE) != 0)
      vmt_die("memfd");
   char *s = vmt_place(4 * VMT_PAGE, 64 * 1024, 0);
   map_at(s, 2 * VMT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1);
   map_at(s + 2 * VMT_PAGE, 2 * VMT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd);
   VMTRACE_LABEL(s, 2 * VMT_PAGE, "a");
   VMTRACE_LABEL(s + 2 * VMT_PAGE, 2 * VMT_PAGE, "b");
   vmt_begin("write");
   vmt_write_pages(s, 4);
   vmt_end();
   int r = madvise(s, 4 * VMT_PAGE, MADV_WIPEONFORK);
   if (r != -1 || errno != EINVAL)
      vmt_die("MADV_WIPEONFORK over a shared mapping: %d, expected EINVAL", r);
   errno = 0;
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_begin("child-read-a");
      vmt_read_pages(s, 2);
      vmt_end();
      vmt_begin("child-read-b");
      vmt_read_pages(s + 2 * VMT_PAGE, 2);
      vmt_end();
      vmt_child_exit();
   }
   vmt_reap(pid);
   close(fd);
}

static void mremap_inplace(void)
{
   int fd = vmt_cached_file("vmtest-edges-mremap.dat", 64 * VMT_PAGE);
   char *f = vmt_mmap_at(8 * VMT_PAGE, 64 * 1024, 0, PROT_READ, MAP_PRIVATE, fd, 0);
   if (munmap(f + 6 * VMT_PAGE, 2 * VMT_PAGE) != 0)
      vmt_die("munmap");
   VMTRACE_LABEL(f, 8 * VMT_PAGE, "f");
   if (mremap(f + 4 * VMT_PAGE, 2 * VMT_PAGE, 2 * VMT_PAGE, 0) != f + 4 * VMT_PAGE)
      vmt_die("mremap to the same length");
   vmt_begin("read");
   vmt_read_pages(f, 6);
   vmt_end();
   if (mremap(f + 4 * VMT_PAGE, 2 * VMT_PAGE, 4 * VMT_PAGE, 0) != f + 4 * VMT_PAGE)
      vmt_die("mremap grown in place");
   if (madvise(f, 8 * VMT_PAGE, MADV_DONTNEED) != 0)
      vmt_die("madvise");
   vmt_begin("read-grown");
   vmt_read_pages(f, 8);
   vmt_end();
   close(fd);
}

static void remove_maywrite(void)
{
   int fd = memfd_create("vmtest-remove-maywrite", 0);
   if (fd < 0 || ftruncate(fd, 4 * VMT_PAGE) != 0)
      vmt_die("memfd");
   char path[64];
   snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
   int ro = open(path, O_RDONLY);
   int id = shmget(IPC_PRIVATE, 2 * VMT_PAGE, IPC_CREAT | 0600);
   if (ro < 0 || id < 0)
      vmt_die("open %s, shmget", path);
   char *s = vmt_place(4 * VMT_PAGE, VMT_PAGE, 0);
   map_at(s, 2 * VMT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd);
   void *at = shmat(id, s + 2 * VMT_PAGE, SHM_RDONLY | SHM_REMAP);
   shmctl(id, IPC_RMID, NULL);
   if (at != s + 2 * VMT_PAGE)
      vmt_die("shmat");
   char *t = vmt_place(4 * VMT_PAGE, VMT_PAGE, 0);
   if (mmap(t, 2 * VMT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
            2 * VMT_PAGE) != t)
      vmt_die("mmap");
   map_at(t + 2 * VMT_PAGE, 2 * VMT_PAGE, PROT_READ, MAP_SHARED | MAP_FIXED, ro);
   VMTRACE_LABEL(s, 2 * VMT_PAGE, "a");
   VMTRACE_LABEL(t, 2 * VMT_PAGE, "c");
   vmt_begin("write");
   vmt_write_pages(s, 2);
   vmt_write_pages(t, 2);
   vmt_end();
   int r = madvise(s, 4 * VMT_PAGE, MADV_REMOVE);
   if (r != -1 || errno != EACCES)
      vmt_die("MADV_REMOVE over a SHM_RDONLY attach: %d, expected EACCES", r);
   r = madvise(t, 4 * VMT_PAGE, MADV_REMOVE);
   if (r != -1 || errno != EACCES)
      vmt_die("MADV_REMOVE over a read-only descriptor's mapping: %d, expected EACCES", r);
   errno = 0;
   vmt_begin("read-a");
   vmt_read_pages(s, 2);
   vmt_end();
   vmt_begin("read-c");
   vmt_read_pages(t, 2);
   vmt_end();
   shmdt(s + 2 * VMT_PAGE);
   close(ro);
   close(fd);
}

static void mprotect_eacces(void)
{
   catch_segv();
   int fd = vmt_cached_file("vmtest-edges-eacces.dat", 2 * VMT_PAGE);
   char path[64];
   snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
   int ro = open(path, O_RDONLY);
   if (ro < 0)
      vmt_die("open %s", path);
   char *s = vmt_place(6 * VMT_PAGE, VMT_PAGE, 0);
   map_at(s, 2 * VMT_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_LOCKED, -1);
   map_at(s + 2 * VMT_PAGE, 2 * VMT_PAGE, PROT_READ, MAP_SHARED | MAP_FIXED, ro);
   map_at(s + 4 * VMT_PAGE, 2 * VMT_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1);
   VMTRACE_LABEL(s, 2 * VMT_PAGE, "a");
   VMTRACE_LABEL(s + 2 * VMT_PAGE, 2 * VMT_PAGE, "b");
   VMTRACE_LABEL(s + 4 * VMT_PAGE, 2 * VMT_PAGE, "c");
   vmt_info_addr("target", s + 4 * VMT_PAGE);
   vmt_begin("mprotect");
   int r = mprotect(s, 6 * VMT_PAGE, PROT_READ | PROT_WRITE);
   vmt_end();
   if (r != -1 || errno != EACCES)
      vmt_die("mprotect over a read-only shared mapping: %d, expected EACCES", r);
   long pa = present(s, 2);
   vmt_begin("write");
   int sa = write_caught(s, 2);
   int sc = write_caught(s + 4 * VMT_PAGE, 2);
   vmt_end();
   if (pa >= 0)
      vmt_fact("present-a", pa);
   vmt_fact("segv-a", sa);
   vmt_fact("segv-c", sc);
   munlock(s, 2 * VMT_PAGE);
   close(ro);
   close(fd);
}

static void mlock_merge(void)
{
   int fd = vmt_cached_file("vmtest-edges-mlock.dat", 64 * VMT_PAGE);
   char *f = vmt_mmap_at(8 * VMT_PAGE, 64 * 1024, 0, PROT_NONE, MAP_SHARED, fd, 0);
   VMTRACE_LABEL(f, 8 * VMT_PAGE, "f");
   expect_enomem(mlock(f + 4 * VMT_PAGE, 4 * VMT_PAGE), "mlock of PROT_NONE pages");
   if (mprotect(f, 8 * VMT_PAGE, PROT_READ) != 0)
      vmt_die("mprotect");
   vmt_begin("mlock");
   int r = mlock(f, 8 * VMT_PAGE);
   vmt_end();
   if (r != 0)
      vmt_die("mlock");
   vmt_begin("read");
   vmt_read_pages(f, 8);
   vmt_end();
   munlock(f, 8 * VMT_PAGE);
   close(fd);
}

static void populate_hole(void)
{
   char *s = two_with_hole(8, 8);
   vmt_begin("populate-read");
   int r = madvise(s, 17 * VMT_PAGE, MADV_POPULATE_READ);
   vmt_end();
   expect_enomem(r, "MADV_POPULATE_READ");
   vmt_fact("present-a-read", present(s, 8));
   vmt_fact("present-b-read", present(s + 9 * VMT_PAGE, 8));
   vmt_begin("populate-write");
   r = madvise(s, 17 * VMT_PAGE, MADV_POPULATE_WRITE);
   vmt_end();
   expect_enomem(r, "MADV_POPULATE_WRITE");
   vmt_fact("present-a-write", present(s, 8));
   vmt_begin("write");
   vmt_write_pages(s, 8);
   vmt_end();
}

/* One load (store) at p caught: SIGBUS counted in segvs. */
static VMT_NOINLINE void touch_caught(char *p, int write)
{
   if (!sigsetjmp(vmt_jump, 1)) {
      if (write)
         *(volatile char *)p = 1;
      else
         vmt_sink += *(volatile char *)p;
   }
}

static void eof_around(void)
{
   catch_segv();
   struct sigaction sa;
   memset(&sa, 0, sizeof sa);
   sa.sa_handler = caught;
   if (sigaction(SIGBUS, &sa, NULL) != 0)
      vmt_die("sigaction");
   int fd = vmt_cached_file("vmtest-eof-around.dat", 2 * VMT_PAGE);
   char *f = vmt_mmap_at(8 * VMT_PAGE, 64 * 1024, 0, PROT_READ, MAP_SHARED, fd, 0);
   char *g = vmt_mmap_at(8 * VMT_PAGE, 64 * 1024, 0, PROT_READ, MAP_SHARED, fd, 0);
   char *h = vmt_mmap_at(8 * VMT_PAGE, 64 * 1024, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
   touch_caught(f + VMT_PAGE, 0);     /* warms the jump up; dropped again */
   segvs = 0;
   if (madvise(f, 2 * VMT_PAGE, MADV_DONTNEED) != 0)
      vmt_die("madvise");
   VMTRACE_LABEL(f, 8 * VMT_PAGE, "f");
   VMTRACE_LABEL(g, 8 * VMT_PAGE, "g");
   VMTRACE_LABEL(h, 8 * VMT_PAGE, "h");

   vmt_begin("sigbus");
   touch_caught(f + 4 * VMT_PAGE, 0);
   vmt_end();
   vmt_fact("sigbus-f", segvs);
   vmt_fact("present-f", present(f, 8));
   vmt_begin("read-f");
   vmt_read_pages(f, 2);
   vmt_end();

   vmt_begin("populate");
   int r = madvise(g + 2 * VMT_PAGE, 6 * VMT_PAGE, MADV_POPULATE_READ);
   vmt_end();
   if (r != -1 || errno != EFAULT)
      vmt_die("MADV_POPULATE_READ past the end of the file: %d (errno %d), not EFAULT", r, errno);
   errno = 0;
   vmt_fact("present-g", present(g, 8));
   vmt_begin("read-g");
   vmt_read_pages(g, 2);
   vmt_end();

   segvs = 0;
   vmt_begin("sigbus-write");
   touch_caught(h + 4 * VMT_PAGE, 1);
   vmt_end();
   vmt_fact("sigbus-h", segvs);
   vmt_fact("present-h", present(h, 8));
   vmt_begin("read-h");
   vmt_read_pages(h, 2);
   vmt_end();
}

/* A write fault on a private file page past the end of the file is
   do_cow_fault, which gives the VMA its anon_vma (vmf_anon_prepare)
   before ->fault finds no page: fork copies the VMA's PTEs after. */
static void eof_cow(void)
{
   catch_segv();
   struct sigaction sa;
   memset(&sa, 0, sizeof sa);
   sa.sa_handler = caught;
   if (sigaction(SIGBUS, &sa, NULL) != 0)
      vmt_die("sigaction");
   vmt_set_role("parent");
   int fd = memfd_create("vmtest-eof-cow", 0);
   if (fd < 0 || ftruncate(fd, VMT_PAGE) != 0)
      vmt_die("memfd");
   char *w = vmt_mmap_at(4 * VMT_PAGE, VMT_PAGE, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
                         VMT_PAGE);
   char *p = vmt_mmap_at(4 * VMT_PAGE, VMT_PAGE, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
                         VMT_PAGE);
   char *m = vmt_mmap_at(4 * VMT_PAGE, VMT_PAGE, 0, PROT_NONE, MAP_PRIVATE | MAP_LOCKED, fd,
                         VMT_PAGE);
   VMTRACE_LABEL(w, 4 * VMT_PAGE, "w");
   VMTRACE_LABEL(p, 4 * VMT_PAGE, "p");
   VMTRACE_LABEL(m, 4 * VMT_PAGE, "m");
   segvs = 0;
   vmt_begin("eof");
   touch_caught(w, 1);
   int r = madvise(p, VMT_PAGE, MADV_POPULATE_WRITE);
   int rm = mprotect(m, 4 * VMT_PAGE, PROT_READ | PROT_WRITE);
   vmt_end();
   vmt_fact("sigbus-w", segvs);
   if (r == 0 || rm != 0)
      vmt_die("MADV_POPULATE_WRITE past the end succeeded, or mprotect failed");
   errno = 0;
   if (ftruncate(fd, 8 * VMT_PAGE) != 0)
      vmt_die("ftruncate");
   close(fd);
   vmt_begin("read");
   vmt_read_pages(w, 1);
   vmt_read_pages(p, 1);
   vmt_read_pages(m, 1);
   vmt_end();
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_begin("child-read");
      vmt_read_pages(w, 1);
      vmt_read_pages(p, 1);
      vmt_read_pages(m, 1);
      vmt_end();
      vmt_child_exit();
   }
   vmt_reap(pid);
}

/* Fault-around maps no page past the end of the file (filemap_map_pages
   clamps its window at i_size), shared memory's pages there included
   (fallocate with FALLOC_FL_KEEP_SIZE makes them). */
static void eof_falloc(void)
{
   catch_segv();
   struct sigaction sa;
   memset(&sa, 0, sizeof sa);
   sa.sa_handler = caught;
   if (sigaction(SIGBUS, &sa, NULL) != 0)
      vmt_die("sigaction");
   int fd = memfd_create("vmtest-eof-falloc", 0);
   static char data[2 * VMT_PAGE];
   memset(data, 1, sizeof data);
   if (fd < 0 || pwrite(fd, data, sizeof data, 0) != (ssize_t)sizeof data)
      vmt_die("memfd");
   for (int i = 0; i < 2; i++)
      if (fallocate(fd, FALLOC_FL_KEEP_SIZE, 2 * VMT_PAGE, 2 * VMT_PAGE) != 0)
         vmt_die("fallocate");
   char *f = vmt_mmap_at(4 * VMT_PAGE, 64 * 1024, 0, PROT_READ, MAP_SHARED, fd, 0);
   VMTRACE_LABEL(f, 4 * VMT_PAGE, "f");
   segvs = 0;
   vmt_begin("sigbus");
   touch_caught(f + 2 * VMT_PAGE, 0);
   vmt_end();
   vmt_fact("sigbus", segvs);
   vmt_fact("present", present(f, 4));
   if (ftruncate(fd, 4 * VMT_PAGE) != 0)
      vmt_die("ftruncate");
   close(fd);
   vmt_begin("read");
   vmt_read_pages(f, 4);
   vmt_end();
}

static void guard(void)
{
   catch_segv();
   char *p = vmt_anon(8);
   VMTRACE_LABEL(p, 8 * VMT_PAGE, "region");
   vmt_info_addr("target", p);
   vmt_begin("write");
   vmt_write_pages(p, 8);
   vmt_end();

   vmt_begin("install");
   int r = madvise(p, 4 * VMT_PAGE, MADV_GUARD_INSTALL);
   vmt_end();
   if (r != 0 && errno != EINVAL)
      vmt_die("MADV_GUARD_INSTALL");
   printf("INFO guard=%d\n", r == 0);
   errno = 0;
   vmt_fact("resident-install", present(p, 8));

   vmt_begin("write-guard");
   int n = write_caught(p, 4);
   vmt_end();
   vmt_fact("segv-guard", n);

   if (madvise(p, 8 * VMT_PAGE, MADV_DONTNEED) != 0)
      vmt_die("MADV_DONTNEED");
   vmt_begin("write-guard2");
   n = write_caught(p, 4);
   vmt_end();
   vmt_fact("segv-guard2", n);

   vmt_begin("remove");
   r = madvise(p, 4 * VMT_PAGE, MADV_GUARD_REMOVE);
   vmt_end();
   if (r != 0 && errno != EINVAL)
      vmt_die("MADV_GUARD_REMOVE");
   errno = 0;

   vmt_begin("rewrite");
   vmt_write_pages(p, 8);
   vmt_end();
}

/* Fault-around maps no page over a guard marker (filemap_map_pages
   maps only where the PTE is none). */
static void guard_around(void)
{
   catch_segv();
   int fd = vmt_cached_file("vmtest-guard-around.dat", 16 * VMT_PAGE);
   char *p = vmt_mmap_at(16 * VMT_PAGE, 65536, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
   close(fd);
   VMTRACE_LABEL(p, 16 * VMT_PAGE, "region");
   vmt_info_addr("target", p + 4 * VMT_PAGE);
   int r = madvise(p + 4 * VMT_PAGE, 2 * VMT_PAGE, MADV_GUARD_INSTALL);
   printf("INFO guard=%d\n", r == 0);
   if (r != 0)
      vmt_die("MADV_GUARD_INSTALL on a private file mapping: %s", strerror(errno));
   vmt_begin("read");
   vmt_read_pages(p, 1);
   vmt_end();
   vmt_fact("present-read", present(p, 16));
   vmt_begin("write-guard");
   int n = write_caught(p + 4 * VMT_PAGE, 2);
   vmt_end();
   vmt_fact("segv-guard", n);
   vmt_begin("remove");
   r = madvise(p + 4 * VMT_PAGE, 2 * VMT_PAGE, MADV_GUARD_REMOVE);
   vmt_end();
   if (r != 0)
      vmt_die("MADV_GUARD_REMOVE");
   vmt_begin("reread");
   vmt_read_pages(p + 4 * VMT_PAGE, 2);
   vmt_end();
}

/* Fault-around's window is clamped to the kernel's VMA, which may hold
   two mappings. */
static void around_merged(void)
{
   int fd = vmt_cached_file("vmtest-around-merged.dat", 16 * VMT_PAGE);
   char *p = vmt_mmap_at(16 * VMT_PAGE, 65536, 0, PROT_READ, MAP_PRIVATE, fd, 0);
   if (mmap(p + 4 * VMT_PAGE, 4 * VMT_PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd,
            4 * VMT_PAGE) != p + 4 * VMT_PAGE)
      vmt_die("mmap over");
   close(fd);
   VMTRACE_LABEL(p, 16 * VMT_PAGE, "f");
   vmt_fact("vmas", vmt_count_vmas(p, 16 * VMT_PAGE));
   vmt_begin("read");
   vmt_read_pages(p, 16);
   vmt_end();
}

/* Two parts of a VMA that got an anon_vma each stay apart when their
   flags are alike again (is_mergeable_anon_vma); parts told apart by the
   access flags only share one (find_mergeable_anon_vma) and merge. */
static void anon_vma_apart(void)
{
   int fd = vmt_cached_file("vmtest-anon-vma-apart.dat", 16 * VMT_PAGE);
   char *l = vmt_mmap_at(16 * VMT_PAGE, 65536, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
   char *p = vmt_mmap_at(16 * VMT_PAGE, 65536, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
   close(fd);
   VMTRACE_LABEL(l, 16 * VMT_PAGE, "l");
   VMTRACE_LABEL(p, 16 * VMT_PAGE, "p");
   vmt_begin("lock");
   int r = mlock(l + 8 * VMT_PAGE, 8 * VMT_PAGE);
   vmt_end();
   if (r != 0 || mprotect(p + 8 * VMT_PAGE, 8 * VMT_PAGE, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
      vmt_die("mlock/mprotect");
   vmt_begin("write");
   l[0] = 1;
   l[8 * VMT_PAGE] = 1;
   p[0] = 1;
   p[8 * VMT_PAGE] = 1;
   vmt_end();
   if (munlock(l + 8 * VMT_PAGE, 8 * VMT_PAGE) != 0 ||
       mprotect(p + 8 * VMT_PAGE, 8 * VMT_PAGE, PROT_READ | PROT_WRITE) != 0)
      vmt_die("munlock/mprotect");
   vmt_fact("vmas-l", vmt_count_vmas(l, 16 * VMT_PAGE));
   vmt_fact("vmas-p", vmt_count_vmas(p, 16 * VMT_PAGE));
   if (madvise(l, 16 * VMT_PAGE, MADV_DONTNEED) != 0 || madvise(p, 16 * VMT_PAGE, MADV_DONTNEED) != 0)
      vmt_die("MADV_DONTNEED");
   vmt_begin("read");
   vmt_read_pages(l, 16);
   vmt_read_pages(p, 16);
   vmt_end();
}

/* A SysV segment's VMAs have shm_vm_ops, whose ->close forbids a merge
   that would remove one (can_merge_remove_vma): parts of an attach made
   alike again stay two unless the call changed only part of a VMA. */
static char *sysv_at(size_t pages)
{
   int id = shmget(IPC_PRIVATE, pages * VMT_PAGE, IPC_CREAT | 0600);
   if (id < 0)
      vmt_die("shmget");
   char *r = vmt_place(pages * VMT_PAGE, VMT_PAGE, 0);
   void *at = shmat(id, r, SHM_REMAP);
   shmctl(id, IPC_RMID, NULL);
   if (at != r)
      vmt_die("shmat");
   return r;
}

static void sysv_apart(void)
{
   vmt_set_role("parent");
   char *s = sysv_at(4), *t = sysv_at(4);
   VMTRACE_LABEL(s, 4 * VMT_PAGE, "s");
   VMTRACE_LABEL(t, 4 * VMT_PAGE, "t");
   if (mprotect(s + 2 * VMT_PAGE, 2 * VMT_PAGE, PROT_READ) != 0 ||
       mprotect(s + 2 * VMT_PAGE, 2 * VMT_PAGE, PROT_READ | PROT_WRITE) != 0 ||
       mprotect(t + 2 * VMT_PAGE, 2 * VMT_PAGE, PROT_READ) != 0 ||
       mprotect(t + 2 * VMT_PAGE, VMT_PAGE, PROT_READ | PROT_WRITE) != 0)
      vmt_die("mprotect");
   vmt_fact("vmas-s", vmt_count_vmas(s, 4 * VMT_PAGE));
   vmt_fact("vmas-t", vmt_count_vmas(t, 4 * VMT_PAGE));
   vmt_begin("write");
   vmt_write_pages(s, 4);
   vmt_write_pages(t, 3);
   vmt_read_pages(t + 3 * VMT_PAGE, 1);
   vmt_end();
   if (madvise(s, VMT_PAGE, MADV_GUARD_INSTALL) != 0 ||
       madvise(t, VMT_PAGE, MADV_GUARD_INSTALL) != 0)
      vmt_die("MADV_GUARD_INSTALL on a SysV attach (Linux 6.15)");
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_begin("child-read");
      vmt_read_pages(s + VMT_PAGE, 3);
      vmt_read_pages(t + VMT_PAGE, 3);
      vmt_end();
      vmt_child_exit();
   }
   vmt_reap(pid);
}

static void kinds(void)
{
   int fd = vmt_cached_file("vmtest-edges.dat", 4 * VMT_PAGE);
   char *d = vmt_place(4 * VMT_PAGE, VMT_PAGE, 0);
   map_at(d, 2 * VMT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd);
   /* the reservation's pages after it given back: a hole the kernel may
      fill, and does, at the hint */
   if (munmap(d + 2 * VMT_PAGE, 2 * VMT_PAGE) != 0)
      vmt_die("munmap");
   char *placed = map_at(d + 2 * VMT_PAGE, 2 * VMT_PAGE, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1);
   char *d2 = vmt_place(4 * VMT_PAGE, VMT_PAGE, 0);
   map_at(d2, 2 * VMT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd);
   char *bss = map_at(d2 + 2 * VMT_PAGE, 2 * VMT_PAGE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1);
   VMTRACE_LABEL(d, 2 * VMT_PAGE, "data");
   VMTRACE_LABEL(placed, 2 * VMT_PAGE, "placed");
   VMTRACE_LABEL(bss, 2 * VMT_PAGE, "bss");
   vmt_begin("write");
   vmt_write_pages(placed, 2);
   vmt_write_pages(bss, 2);
   vmt_end();
   close(fd);
}

static void mbind_null(void)
{
   char *p = vmt_anon(1);
   VMTRACE_LABEL(p, VMT_PAGE, "region");
   vmt_begin("write");
   vmt_write_pages(p, 1);
   vmt_end();
   vmt_begin("call");
   long r1 = syscall(SYS_mbind, p, VMT_PAGE, 0 /* MPOL_DEFAULT */, NULL, 64UL, 0U);
   long r2 = syscall(SYS_set_mempolicy, 0 /* MPOL_DEFAULT */, NULL, 64UL);
   vmt_end();
   if (r1 != 0 || r2 != 0)
      vmt_die("mbind %ld, set_mempolicy %ld", r1, r2);
}

static void zero_length(void)
{
   char *p = vmt_anon(4);
   VMTRACE_LABEL(p, 4 * VMT_PAGE, "region");
   vmt_begin("write");
   vmt_write_pages(p, 4);
   vmt_end();
   vmt_begin("calls");
   int r[6] = { madvise(p, 0, MADV_DONTNEED), mprotect(p, 0, PROT_READ),
                madvise(p, 0, MADV_POPULATE_WRITE), mlock(p, 0), munlock(p, 0),
                madvise(p, 0, MADV_DONTFORK) };
   vmt_end();
   for (int i = 0; i < 6; i++)
      if (r[i] != 0)
         vmt_die("call %d of 0 bytes failed: %s", i, strerror(errno));
   vmt_begin("after");
   vmt_write_pages(p, 4);
   vmt_end();
}

/* guard-fork KIND: "region", 16 pages of a shared mapping (KIND
   shared-anon: MAP_SHARED|MAP_ANONYMOUS; shared-file: MAP_SHARED of a
   cached file), written (phase "write"); guard markers installed on its
   first 4 pages; fork.  The child reads pages 4..15 ("child-read"), then
   writes pages 0..3, each SIGSEGV caught ("child-write-guard"); the
   parent reaps it.  Roles "parent" and "child". */
static void guard_fork(const char *kind)
{
   vmt_set_role("parent");
   catch_segv();
   enum { N = 16 };
   char *p;
   if (strcmp(kind, "shared-anon") == 0) {
      p = mmap(NULL, N * VMT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
   } else if (strcmp(kind, "shared-file") == 0) {
      int fd = vmt_cached_file("edges-guard-fork", N * VMT_PAGE);
      p = mmap(NULL, N * VMT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
   } else {
      vmt_die("guard-fork: kind %s: expected shared-anon or shared-file", kind);
   }
   if (p == MAP_FAILED)
      vmt_die("mmap");
   VMTRACE_LABEL(p, N * VMT_PAGE, "region");
   vmt_begin("write");
   vmt_write_pages(p, N);
   vmt_end();
   int r = madvise(p, 4 * VMT_PAGE, MADV_GUARD_INSTALL);
   printf("INFO guard=%d\n", r == 0);
   if (r != 0)
      vmt_die("MADV_GUARD_INSTALL on a %s mapping", kind);
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_begin("child-read");
      vmt_read_pages(p + 4 * VMT_PAGE, N - 4);
      vmt_end();
      vmt_begin("child-write-guard");
      int n = write_caught(p, 4);
      vmt_end();
      vmt_fact("segv-guard", n);
      vmt_child_exit();
   }
   vmt_reap(pid);
}

int main(int argc, char **argv)
{
   vmt_init();
   const char *mode = argc >= 2 ? argv[1] : "";
   if (strcmp(mode, "guard-fork") == 0 && argc == 3) {
      guard_fork(argv[2]);
      return 0;
   }
   if (argc > 2)
      mode = "";
   if (strcmp(mode, "mprotect-hole") == 0)
      mprotect_hole();
   else if (strcmp(mode, "dontneed-hole") == 0)
      dontneed_hole();
   else if (strcmp(mode, "dontneed-locked") == 0)
      dontneed_locked();
   else if (strcmp(mode, "remove-partway") == 0)
      remove_partway();
   else if (strcmp(mode, "wipeonfork-partway") == 0)
      wipeonfork_partway();
   else if (strcmp(mode, "remove-maywrite") == 0)
      remove_maywrite();
   else if (strcmp(mode, "mremap-inplace") == 0)
      mremap_inplace();
   else if (strcmp(mode, "mremap-multi") == 0)
      mremap_multi();
   else if (strcmp(mode, "mprotect-eacces") == 0)
      mprotect_eacces();
   else if (strcmp(mode, "mlock-merge") == 0)
      mlock_merge();
   else if (strcmp(mode, "populate-hole") == 0)
      populate_hole();
   else if (strcmp(mode, "guard") == 0)
      guard();
   else if (strcmp(mode, "guard-around") == 0)
      guard_around();
   else if (strcmp(mode, "around-merged") == 0)
      around_merged();
   else if (strcmp(mode, "anon-vma-apart") == 0)
      anon_vma_apart();
   else if (strcmp(mode, "sysv-apart") == 0)
      sysv_apart();
   else if (strcmp(mode, "kinds") == 0)
      kinds();
   else if (strcmp(mode, "mbind-null") == 0)
      mbind_null();
   else if (strcmp(mode, "zero-length") == 0)
      zero_length();
   else if (strcmp(mode, "eof-around") == 0)
      eof_around();
   else if (strcmp(mode, "eof-cow") == 0)
      eof_cow();
   else if (strcmp(mode, "eof-falloc") == 0)
      eof_falloc();
   else
      vmt_die("usage: edges mprotect-hole|dontneed-hole|dontneed-locked|remove-partway|remove-maywrite|"
              "wipeonfork-partway|mremap-inplace|mremap-multi|mprotect-eacces|mlock-merge|"
              "populate-hole|guard|guard-around|around-merged|anon-vma-apart|"
              "sysv-apart|kinds|"
              "mbind-null|zero-length|eof-around|eof-cow|eof-falloc|guard-fork shared-anon|shared-file");
   return 0;
}
