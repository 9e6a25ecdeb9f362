/* thp MODE: transparent huge pages for private anonymous memory.  Every
   region is placed 2 MiB-aligned (vmt_place: under Valgrind too, which
   places mappings itself) between PROT_NONE neighbours, labelled "region",
   and given MADV_HUGEPAGE unless the mode says not.  Natively the client
   turns THP back on for itself (vmt_init turns it off); the scenarios
   (tests/scenarios/thp.py) run it natively only where the machine's
   /sys/kernel/mm/transparent_hugepage/enabled is what they assume.

   write        64 MiB written one byte every 4 KiB ("write"), then again
                ("rewrite").
   no-madvise   the same without MADV_HUGEPAGE.
   read-write   64 MiB read one byte every 4 KiB ("read"), then written
                ("write").
   split        8 MiB (four huge pages) written ("write"); then, on huge
                page 0, munmap of its page 1 and a write of its other
                pages ("rewrite-0"); on huge page 1, MADV_DONTNEED of its
                page 1 and a write of all its pages ("rewrite-1"); on huge
                page 2, mprotect(PROT_READ) of its page 1 and back, and a
                write of all ("rewrite-2"); on huge page 3, MADV_DONTNEED
                of all of it and a write of all ("rewrite-3").
   dontneed-half  2 MiB (one huge page) written ("write"), MADV_DONTNEED of
                its second half, all written again ("rewrite").
   mremap       6 MiB (three huge pages) written ("write"); its first
                4 MiB moved whole to a 2 MiB-aligned place; 1 MiB from the
                middle of the third huge page moved to a 2 MiB-aligned
                place; everything written again ("rewrite").
   mremap-grow  4 MiB (two huge pages) written ("write"), grown to 6 MiB
                by mremap(MREMAP_MAYMOVE) where a PROT_NONE neighbour keeps
                it from growing in place: the kernel (or Valgrind) chooses
                where it goes (INFO moved= its new address); all of it
                written ("rewrite").
   small        1 MiB (too small for a huge page) given MADV_HUGEPAGE: page 5
                read ("read"), then every page written ("write"), for
                multi-size THP (--thp-size).
   exec-disabled  prctl(PR_SET_THP_DISABLE, 1), then execve of itself
                in mode write-disabled: the setting outlives the exec
                (MMF_DISABLE_THP is kept across execve).
   write-disabled  "write" with THP left disabled for the process: the
                madvise is refused nothing but no huge page is given.
   placed       4 MiB mapped where the kernel (or Valgrind) chooses, no
                hint (INFO region= its address), MADV_HUGEPAGE, written
                ("write"): the kernel aligns it (thp_get_unmapped_area).
   placed-ptes  4 MiB mapped where the kernel (or Valgrind) chooses, no
                hint (INFO region= its address; a mapping that lies across
                a 1 GiB boundary is left and another made, so that the
                region's PTE tables share one PMD table), MADV_NOHUGEPAGE
                (4 KiB pages whatever the THP setting): its first page
                written ("first"), then the other 1,023 ("rest"); FACT
                pte-tables-rest: VmPTE's growth over "rest" in 4 KiB
                tables.  placed-ptes-first: "rest" writes nothing.
   collapse     4 MiB, no MADV_HUGEPAGE, written ("touch": 4 KiB pages
                under enabled=madvise), MADV_COLLAPSE, written again
                ("write"); FACT collapse-einval: whether the collapse
                failed with EINVAL.  collapse-read: read instead (the zero
                page); collapse-read-one: read, and one page of each 2 MiB
                written; collapse-nohuge: MADV_NOHUGEPAGE first.
   collapse-shmem  the same on 4 MiB of shared anonymous memory (shmem,
                its offset 0 at a 2 MiB boundary); collapse-shmem-read:
                read only; collapse-shmem-one: one page of each 2 MiB
                written; collapse-shmem-none: nothing touched;
                collapse-memfd: a memfd's 4 MiB, shared, written.
   fork         4 MiB (two huge pages) written ("write"); fork.  The child
                writes page 0 ("child-write-one"), then pages 1..511
                ("child-write-rest"), and exits; the parent, once it has
                exited, writes all 1024 pages ("after-child").

   FACT [role:]anon-huge-kb=N: AnonHugePages of smaps summed over the VMAs
   in the region (the moved parts included), natively, at the end;
   FACT rss-kb-after-read / anon-huge-kb-after-read, likewise after "read";
   FACT [role:]khugepaged-collapsed=N: khugepaged's collapses on the
   machine while this image ran (tests/run makes a native run with N > 0
   that failed again);
   FACT thp-fault-alloc-ge-N=1: /proc/vmstat's thp_fault_alloc rose by at
   least N during "write" (the counter is the machine's: other processes
   may add to it); thp-collapse-alloc=N: thp_collapse_alloc rose by N over
   the MADV_COLLAPSE, under a lock every collapse of these clients takes
   (collapse_lock); shmem-pmd-kb: ShmemPmdMapped over the region. */
#include "vmtest.h"

#include <sys/file.h>
#include <sys/syscall.h>

#define HPAGE ((size_t)2 << 20)
#define PAGES_PER_HPAGE (HPAGE / VMT_PAGE)

/* AnonHugePages (or Rss) in kB summed over the VMAs that start in
   [lo, hi): natively only (-1 under Valgrind). */
static VMT_NOINLINE long smaps_sum(uintptr_t lo, uintptr_t hi, const char *field)
{
   if (vmt_under_valgrind())
      return -1;
   static char line[512];
   FILE *f = fopen("/proc/self/smaps", "r");
   if (!f)
      vmt_die("open /proc/self/smaps");
   int in = 0;
   long kb = 0;
   size_t flen = strlen(field);
   while (fgets(line, sizeof line, f)) {
      unsigned long s, e;
      if (sscanf(line, "%lx-%lx ", &s, &e) == 2 && strchr(line, '-') < strchr(line, ' '))
         in = s >= lo && s < hi;
      else if (in && strncmp(line, field, flen) == 0 && line[flen] == ':')
         kb += strtol(line + flen + 1, NULL, 10);
   }
   fclose(f);
   return kb;
}

static VMT_NOINLINE long vmstat(const char *key)
{
   if (vmt_under_valgrind())
      return -1;
   FILE *f = fopen("/proc/vmstat", "r");
   char k[128];
   long v, r = -1;
   if (!f)
      vmt_die("open /proc/vmstat");
   while (fscanf(f, "%127s %ld", k, &v) == 2)
      if (strcmp(k, key) == 0)
         r = v;
   fclose(f);
   return r;
}

static char *region(size_t len, int madv)
{
   char *p = vmt_mmap_at(len, HPAGE, 0, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (madv && madvise(p, len, MADV_HUGEPAGE) != 0)
      vmt_die("madvise(MADV_HUGEPAGE)");
   VMTRACE_LABEL(p, len, "region");
   return p;
}

/* A place for n bytes, 2 MiB-aligned, to move to (MREMAP_FIXED). */
static char *place(size_t len)
{
   return vmt_place(len, HPAGE, 0);
}

static void write_all(const char *mode, int madv)
{
   enum { N = 16384 };
   char *p = region(N * VMT_PAGE, madv);
   long a0 = vmstat("thp_fault_alloc");
   vmt_begin("write");
   vmt_write_pages(p, N);
   vmt_end();
   long a1 = vmstat("thp_fault_alloc");
   if (madv)
      vmt_fact("thp-fault-alloc-ge-32", a1 - a0 >= 32);
   vmt_begin("rewrite");
   vmt_write_pages(p, N);
   vmt_end();
   vmt_fact("anon-huge-kb", smaps_sum((uintptr_t)p, (uintptr_t)p + N * VMT_PAGE,
                                      "AnonHugePages"));
   (void)mode;
}

static void read_write(void)
{
   enum { N = 16384 };
   char *p = region(N * VMT_PAGE, 1);
   vmt_begin("read");
   vmt_read_pages(p, N);
   vmt_end();
   uintptr_t lo = (uintptr_t)p, hi = lo + N * VMT_PAGE;
   vmt_fact("rss-kb-after-read", smaps_sum(lo, hi, "Rss"));
   vmt_fact("anon-huge-kb-after-read", smaps_sum(lo, hi, "AnonHugePages"));
   vmt_begin("write");
   vmt_write_pages(p, N);
   vmt_end();
   vmt_fact("anon-huge-kb", smaps_sum(lo, hi, "AnonHugePages"));
}

static void split(void)
{
   char *p = region(4 * HPAGE, 1);
   char *h[4];
   for (int i = 0; i < 4; i++)
      h[i] = p + i * HPAGE;
   vmt_begin("write");
   vmt_write_pages(p, 4 * PAGES_PER_HPAGE);
   vmt_end();

   if (munmap(h[0] + VMT_PAGE, VMT_PAGE) != 0)
      vmt_die("munmap");
   vmt_begin("rewrite-0");
   vmt_write_pages(h[0], 1);
   vmt_write_pages(h[0] + 2 * VMT_PAGE, PAGES_PER_HPAGE - 2);
   vmt_end();

   if (madvise(h[1] + VMT_PAGE, VMT_PAGE, MADV_DONTNEED) != 0)
      vmt_die("madvise(MADV_DONTNEED)");
   vmt_begin("rewrite-1");
   vmt_write_pages(h[1], PAGES_PER_HPAGE);
   vmt_end();

   if (mprotect(h[2] + VMT_PAGE, VMT_PAGE, PROT_READ) != 0 ||
       mprotect(h[2] + VMT_PAGE, VMT_PAGE, PROT_READ | PROT_WRITE) != 0)
      vmt_die("mprotect");
   vmt_begin("rewrite-2");
   vmt_write_pages(h[2], PAGES_PER_HPAGE);
   vmt_end();

   if (madvise(h[3], HPAGE, MADV_DONTNEED) != 0)
      vmt_die("madvise(MADV_DONTNEED)");
   vmt_begin("rewrite-3");
   vmt_write_pages(h[3], PAGES_PER_HPAGE);
   vmt_end();
   vmt_fact("anon-huge-kb", smaps_sum((uintptr_t)p, (uintptr_t)p + 4 * HPAGE,
                                      "AnonHugePages"));
   vmt_fact("rss-kb", smaps_sum((uintptr_t)p, (uintptr_t)p + 4 * HPAGE, "Rss"));
}

/* MADV_DONTNEED of half a huge page: 2 MiB written, its second half
   dropped, all written again. */
static void dontneed_half(void)
{
   char *p = region(HPAGE, 1);
   vmt_begin("write");
   vmt_write_pages(p, PAGES_PER_HPAGE);
   vmt_end();
   if (madvise(p + HPAGE / 2, HPAGE / 2, MADV_DONTNEED) != 0)
      vmt_die("madvise(MADV_DONTNEED)");
   vmt_begin("rewrite");
   vmt_write_pages(p, PAGES_PER_HPAGE);
   vmt_end();
   vmt_fact("anon-huge-kb", smaps_sum((uintptr_t)p, (uintptr_t)p + HPAGE, "AnonHugePages"));
   vmt_fact("rss-kb", smaps_sum((uintptr_t)p, (uintptr_t)p + HPAGE, "Rss"));
}

static void remap(void)
{
   char *p = region(3 * HPAGE, 1);
   vmt_begin("write");
   vmt_write_pages(p, 3 * PAGES_PER_HPAGE);
   vmt_end();
   /* the label stays where it was: label the new places too */
   char *a = place(2 * HPAGE), *b = place(HPAGE);
   if (mremap(p, 2 * HPAGE, 2 * HPAGE, MREMAP_MAYMOVE | MREMAP_FIXED, a) != a)
      vmt_die("mremap");
   char *c = p + 2 * HPAGE + HPAGE / 4;
   if (mremap(c, HPAGE / 2, HPAGE / 2, MREMAP_MAYMOVE | MREMAP_FIXED, b) != b)
      vmt_die("mremap");
   VMTRACE_LABEL(a, 2 * HPAGE, "region");
   VMTRACE_LABEL(b, HPAGE / 2, "region");
   vmt_begin("rewrite");
   vmt_write_pages(a, 2 * PAGES_PER_HPAGE);
   vmt_write_pages(b, PAGES_PER_HPAGE / 2);
   vmt_write_pages(p + 2 * HPAGE, PAGES_PER_HPAGE / 4);
   vmt_write_pages(c + HPAGE / 2, PAGES_PER_HPAGE / 4);
   vmt_end();
   long kb = smaps_sum((uintptr_t)a, (uintptr_t)a + 2 * HPAGE, "AnonHugePages");
   kb += smaps_sum((uintptr_t)b, (uintptr_t)b + HPAGE, "AnonHugePages");
   kb += smaps_sum((uintptr_t)p, (uintptr_t)p + 3 * HPAGE, "AnonHugePages");
   vmt_fact("anon-huge-kb", vmt_under_valgrind() ? -1 : kb);
}

static void remap_grow(void)
{
   char *p = region(2 * HPAGE, 1);
   vmt_begin("write");
   vmt_write_pages(p, 2 * PAGES_PER_HPAGE);
   vmt_end();
   char *q = mremap(p, 2 * HPAGE, 3 * HPAGE, MREMAP_MAYMOVE);
   if (q == MAP_FAILED || q == p)
      vmt_die("mremap did not move");
   VMTRACE_LABEL(q, 3 * HPAGE, "region");
   vmt_info_addr("moved", q);
   vmt_begin("rewrite");
   vmt_write_pages(q, 3 * PAGES_PER_HPAGE);
   vmt_end();
   vmt_fact("anon-huge-kb", smaps_sum((uintptr_t)q, (uintptr_t)q + 3 * HPAGE, "AnonHugePages"));
}

static void small(void)
{
   enum { N = 256 };
   char *p = region(N * VMT_PAGE, 1);
   vmt_begin("read");
   vmt_read_pages(p + 5 * VMT_PAGE, 1);
   vmt_end();
   vmt_begin("write");
   vmt_write_pages(p, N);
   vmt_end();
}

/* Natively, after fork_cow's phases: how many write faults more than
   first principles' one a huge PMD that fork write-protected takes when
   no other process maps it any more (its reuse: 1 fault, the whole PMD
   made writable).  Some virtual machines count more: the guest's later
   writes to the PMD's other 4 KiB pages fault until the hypervisor's
   shadow of the mapping catches up (each a spurious fault the kernel
   counts in ru_minflt; seen on one machine of this workplace: 40 to 75
   in the 1,024 writes of after-child, 1 run in 8 none; this control 25
   to 36 in its eight rounds). */
static long reuse_control_once(void)
{
   char *p = region(HPAGE, 1);
   vmt_write_pages(p, PAGES_PER_HPAGE);
   pid_t pid = vmt_fork();
   if (pid == 0)
      vmt_child_exit();
   vmt_reap(pid);
   struct rusage r0, r1;
   getrusage(RUSAGE_SELF, &r0);
   vmt_write_pages(p, PAGES_PER_HPAGE);
   getrusage(RUSAGE_SELF, &r1);
   munmap(p, HPAGE);
   return r1.ru_minflt - r0.ru_minflt - 1;
}

/* Eight times: the spurious faults do not come every time. */
static long reuse_control(void)
{
   long extra = 0;
   for (int i = 0; i < 8; i++)
      extra += reuse_control_once();
   return extra;
}

static void fork_cow(void)
{
   vmt_set_role("parent");
   char *p = region(2 * HPAGE, 1);
   uintptr_t lo = (uintptr_t)p, hi = lo + 2 * HPAGE;
   vmt_begin("write");
   vmt_write_pages(p, 2 * PAGES_PER_HPAGE);
   vmt_end();
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_begin("child-write-one");
      vmt_write_pages(p, 1);
      vmt_end();
      vmt_begin("child-write-rest");
      vmt_write_pages(p + VMT_PAGE, PAGES_PER_HPAGE - 1);
      vmt_end();
      vmt_fact("anon-huge-kb", smaps_sum(lo, hi, "AnonHugePages"));
      vmt_child_exit();
   }
   vmt_reap(pid);
   vmt_begin("after-child");
   vmt_write_pages(p, 2 * PAGES_PER_HPAGE);
   vmt_end();
   vmt_fact("anon-huge-kb", smaps_sum(lo, hi, "AnonHugePages"));
   if (!vmt_under_valgrind())
      vmt_fact("reuse-spurious", reuse_control());
}

static void placed(void)
{
   size_t len = 2 * HPAGE;
   char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (p == MAP_FAILED || madvise(p, len, MADV_HUGEPAGE) != 0)
      vmt_die("mmap/madvise");
   VMTRACE_LABEL(p, len, "region");
   vmt_info_addr("region", p);
   long a0 = vmstat("thp_fault_alloc");
   vmt_begin("write");
   vmt_write_pages(p, 2 * PAGES_PER_HPAGE);
   vmt_end();
   vmt_fact("thp-fault-alloc-ge-2", vmstat("thp_fault_alloc") - a0 >= 2);
   vmt_fact("anon-huge-kb", smaps_sum((uintptr_t)p, (uintptr_t)p + len, "AnonHugePages"));
}

/* VmPTE of /proc/self/status in kB (the page tables below the PGD),
   natively (-1 under Valgrind). */
static VMT_NOINLINE long vmpte_kb(void)
{
   if (vmt_under_valgrind())
      return -1;
   static char line[256];
   FILE *f = fopen("/proc/self/status", "r");
   long kb = -1;
   if (!f)
      vmt_die("open /proc/self/status");
   while (fgets(line, sizeof line, f))
      if (!strncmp(line, "VmPTE:", 6))
         kb = strtol(line + 6, NULL, 10);
   fclose(f);
   return kb;
}

static void placed_ptes(int rest)
{
   size_t len = 2 * HPAGE;
   char *p;
   for (;;) {
      p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED)
         vmt_die("mmap");
      if (!(((uintptr_t)p ^ ((uintptr_t)p + len - 1)) >> 30))
         break;
   }
   if (madvise(p, len, MADV_NOHUGEPAGE) != 0)
      vmt_die("madvise(MADV_NOHUGEPAGE)");
   VMTRACE_LABEL(p, len, "region");
   vmt_info_addr("region", p);
   vmpte_kb();                            /* stdio's buffers made before */
   vmt_begin("first");
   vmt_write_pages(p, 1);
   vmt_end();
   long mid = vmpte_kb();
   vmt_begin("rest");
   vmt_write_pages(p + VMT_PAGE, rest ? 2 * PAGES_PER_HPAGE - 1 : 0);
   vmt_end();
   vmt_fact("pte-tables-rest", vmt_under_valgrind() ? -1 : (vmpte_kb() - mid) / 4);
}

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

/* 4 MiB of shared memory at a 2 MiB boundary: shared anonymous memory,
   or a memfd's (offset 0 at the boundary, as thp_vma_suitable_order
   wants for a collapse). */
static char *shared_region(size_t len, int memfd)
{
   int fd = -1;
   if (memfd && ((fd = memfd_create("thp-collapse", 0)) < 0 || ftruncate(fd, (off_t)len) != 0))
      vmt_die("memfd_create/ftruncate");
   char *p = vmt_mmap_at(len, HPAGE, 0, PROT_READ | PROT_WRITE,
                         MAP_SHARED | (memfd ? 0 : MAP_ANONYMOUS), fd, 0);
   VMTRACE_LABEL(p, len, "region");
   return p;
}

/* madvise(MADV_COLLAPSE) as a bare system call, returning -errno: under
   Valgrind the real kernel collapses the client's real memory too, and
   how that goes depends on the machine (its THP setting, khugepaged), so
   the client must run the same instructions whatever it returns (libc's
   wrapper sets errno only on failure), or the golden figures would. */
static VMT_NOINLINE long collapse_syscall(void *p, size_t len)
{
#if defined(__x86_64__)
   long r;
   __asm__ volatile("syscall" : "=a"(r)
                    : "0"((long)SYS_madvise), "D"(p), "S"(len), "d"((long)MADV_COLLAPSE)
                    : "rcx", "r11", "memory");
   return r;
#else
   return madvise(p, len, MADV_COLLAPSE) == 0 ? 0 : -errno;
#endif
}

/* /proc/vmstat's thp_collapse_alloc is the machine's: any process's
   MADV_COLLAPSE adds to it.  tests/run runs the collapse cases side by side
   (and other build trees' suites may run on the machine), so each of these
   clients holds one lock, natively and under Valgrind (which passes the
   collapse on to the kernel), from before it reads the counter until after
   it reads it again: the counter then moves by this collapse's allocations
   alone, khugepaged's aside: it wakes every scan_sleep_millisecs (10 s)
   and collapses only where MADV_HUGEPAGE or enabled=always let it (on the
   machine this was written on, after 5 h of test suites: 44 pages
   collapsed by khugepaged against 2,140 collapse allocations in all), so
   it falls into a window of a millisecond next to never.  Returns the
   lock's descriptor. */
static int collapse_lock(void)
{
   static const char path[] = "/tmp/vmtrace-thp-collapse.lock";
   int fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0666);
   if (fd < 0 || flock(fd, LOCK_EX) != 0)
      vmt_die("lock /tmp/vmtrace-thp-collapse.lock");
   return fd;
}

static void collapse(const char *how)
{
   size_t len = 2 * HPAGE;
   int shmem = !strncmp(how, "shmem", 5), memfd = !strcmp(how, "memfd");
   char *p = shmem || memfd ? shared_region(len, memfd) : region(len, 0);
   if (shmem)
      how = how[5] == '-' ? how + 6 : "";
   if (!strcmp(how, "nohuge") && madvise(p, len, MADV_NOHUGEPAGE) != 0)
      vmt_die("madvise(MADV_NOHUGEPAGE)");
   vmt_begin("touch");
   if (!strncmp(how, "read", 4)) {
      vmt_read_pages(p, 2 * PAGES_PER_HPAGE);
      if (!strcmp(how, "read-one")) {
         vmt_write_pages(p, 1);
         vmt_write_pages(p + HPAGE, 1);
      }
   } else if (!strcmp(how, "one")) {
      vmt_write_pages(p, 1);
      vmt_write_pages(p + HPAGE, 1);
   } else if (strcmp(how, "none") != 0) {
      vmt_write_pages(p, 2 * PAGES_PER_HPAGE);
   }
   vmt_end();
   int lock = collapse_lock();
   long c0 = vmstat("thp_collapse_alloc");
   long r = collapse_syscall(p, len);
   long c1 = vmstat("thp_collapse_alloc");
   close(lock);
   vmt_fact("collapse-einval", r == -EINVAL);
   vmt_fact("thp-collapse-alloc", c1 - c0);
   vmt_fact("anon-huge-kb", smaps_sum((uintptr_t)p, (uintptr_t)p + len, "AnonHugePages"));
   vmt_fact("shmem-pmd-kb", smaps_sum((uintptr_t)p, (uintptr_t)p + len, "ShmemPmdMapped"));
   vmt_begin("write");
   vmt_write_pages(p, 2 * PAGES_PER_HPAGE);
   vmt_end();
}

static void exec_disabled(const char *self)
{
   if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) != 0)
      vmt_die("prctl(PR_SET_THP_DISABLE, 1)");
   char *argv[] = { (char *)self, (char *)"write-disabled", NULL };
   execv(self, argv);
   vmt_die("execv");
}

/* khugepaged's collapses so far on the machine (its pages_collapsed; 0
   under Valgrind).  khugepaged scans every MADV_HUGEPAGE range in its own
   time and may collapse one of ours mid-case (thp/fork under load: the
   child's split 2 MiB made huge again before its last write, 510 faults
   and AnonHugePages 4,096 where 511 and 2,048 are the kernel's figures
   without it); the FACT lets tests/run make such a native run again. */
static long khugepaged_collapsed(void)
{
   long n = 0;
   if (vmt_under_valgrind())
      return 0;
   FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed", "r");
   if (f) {
      if (fscanf(f, "%ld", &n) != 1)
         n = 0;
      fclose(f);
   }
   return n;
}

int main(int argc, char **argv)
{
   vmt_init();
   long collapsed = khugepaged_collapsed();
   const char *m = argc == 2 ? argv[1] : "";
   if (strcmp(m, "write-disabled") != 0 && prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0) != 0)
      vmt_die("prctl(PR_SET_THP_DISABLE, 0)");
   if (!strcmp(m, "write-disabled"))
      vmt_set_role("exec");
   if (!strcmp(m, "write") || !strcmp(m, "write-disabled"))
      write_all(m, 1);
   else if (!strcmp(m, "no-madvise"))
      write_all(m, 0);
   else if (!strcmp(m, "read-write"))
      read_write();
   else if (!strcmp(m, "split"))
      split();
   else if (!strcmp(m, "dontneed-half"))
      dontneed_half();
   else if (!strcmp(m, "mremap"))
      remap();
   else if (!strcmp(m, "mremap-grow"))
      remap_grow();
   else if (!strcmp(m, "exec-disabled"))
      exec_disabled(argv[0]);
   else if (!strcmp(m, "fork"))
      fork_cow();
   else if (!strcmp(m, "small"))
      small();
   else if (!strcmp(m, "placed"))
      placed();
   else if (!strncmp(m, "placed-ptes", 11))
      placed_ptes(strcmp(m, "placed-ptes-first") != 0);
   else if (!strncmp(m, "collapse", 8))
      collapse(m[8] == '-' ? m + 9 : "");
   else
      vmt_die("usage: thp write|no-madvise|read-write|split|dontneed-half|mremap|mremap-grow|fork|"
              "small|"
              "placed|placed-ptes[-first]|collapse[-read|-read-one|-nohuge|-shmem[-read|-one|-none]|-memfd]|"
              "exec-disabled|write-disabled");
   vmt_fact("khugepaged-collapsed", khugepaged_collapsed() - collapsed);
   return 0;
}
