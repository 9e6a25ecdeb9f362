/* tlb MODE ARGS: the TLB model (--tlb=yes).  Every studied region is
   labelled "region" and lies between PROT_NONE neighbours.  A full TLB
   flush is made where a mode says "flushed": munmap of a 64-page scratch
   mapping written before, whose 64 present pages exceed the kernel's
   tlb_single_page_flush_ceiling (33), so flush_tlb_mm_range flushes
   everything.  The walks touch nothing but the region between their first
   and last reference (the loop lives in registers), so whatever else the
   program touched before a walk is older than every region entry and is
   evicted first: the region's misses are those of an empty TLB
   (tests/scenarios/tlb.py).

   walk N R S   N pages S pages apart written ("fill"), flushed, then read
                R times over in order ("walk").
   hot N R S    N pages S pages apart written ("fill"), flushed, then R
                times over: page 0 read before each of pages 1 .. N-1
                ("walk"): page 0's references are the filter's (absorbed)
                while the others miss.
   thp          8 MiB, 2 MiB-aligned, MADV_HUGEPAGE: every 4 KiB page written
                ("fill"), flushed, every page read twice over ("walk").
   flush        8 pages written, flushed, read ("walk"); then, each followed
                by a read of the 8 pages in a phase of its name: munmap of 4
                other written pages ("munmap-small"), munmap of 64 others
                ("munmap-big"), mprotect(PROT_READ) of 4 others
                ("mprotect-small") and of 64 others ("mprotect-big"),
                mprotect(PROT_READ) of the region itself ("mprotect-self"),
                MADV_DONTNEED of 64 others ("dontneed-big") and of the
                region itself ("dontneed-self").
   fork         8 pages written, flushed, read ("walk") and read again
                ("rewalk"); fork: the child reads them ("child-walk", role
                "child") and exits; the parent, once it has, reads them
                ("after-fork").  Roles "parent" and "child".
   exec         8 pages written ("fill") and read ("walk"), then execve of
                this program with "exec-after", which does the same in its
                own region (role "after"; the first image's is "before").
   selfwrite    a page of code (private anonymous, read-write-execute,
                the region): a store to its own page, 8 nops and a return,
                one superblock; fork (the child exits at once), then the
                parent calls it ("call"): the store's write fault flushes
                the page's entries between two fetches from it.  x86-64.
   selfwrite-mprotect  the same, but the page is made read-execute and the
                code run storing to another page ("first") before the fork, and
                made read-write-execute by mprotect before the call. */
#include "vmtest.h"

static VMT_NOINLINE void walk(const char *p, size_t n, size_t stride, long rounds)
{
   const volatile unsigned char *q = (const volatile unsigned char *)p;
   unsigned long sum = 0;
   for (long r = 0; r < rounds; r++)
      for (size_t i = 0; i < n; i++)
         sum += q[i * stride];
   vmt_sink = sum;
}

static VMT_NOINLINE void hot_walk(const char *p, size_t n, size_t stride, long rounds)
{
   const volatile unsigned char *q = (const volatile unsigned char *)p;
   unsigned long sum = 0;
   for (long r = 0; r < rounds; r++)
      for (size_t i = 1; i < n; i++) {
         sum += q[0];
         sum += q[i * stride];
      }
   vmt_sink = sum;
}

static char *scratch(size_t pages)
{
   char *p = vmt_anon(pages);
   vmt_write_pages(p, pages);
   return p;
}

static void full_flush(char *p)
{
   if (munmap(p, 64 * VMT_PAGE) != 0)
      vmt_die("munmap");
}

static void walk_mode(size_t n, long rounds, size_t stride, int hot)
{
   char *flusher = scratch(64);
   char *p = vmt_anon(n * stride);
   VMTRACE_LABEL(p, n * stride * VMT_PAGE, "region");
   vmt_begin("fill");
   for (size_t i = 0; i < n; i++)
      p[i * stride * VMT_PAGE] = 1;
   vmt_end();
   full_flush(flusher);
   vmt_begin("walk");
   if (hot)
      hot_walk(p, n, stride * VMT_PAGE, rounds);
   else
      walk(p, n, stride * VMT_PAGE, rounds);
   vmt_end();
}

static void thp_mode(void)
{
   const size_t len = (size_t)8 << 20, n = len / VMT_PAGE;
   if (prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0) != 0)
      vmt_die("prctl(PR_SET_THP_DISABLE, 0)");
   char *flusher = scratch(64);
   char *p = vmt_mmap_at(len, (size_t)2 << 20, 0, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (madvise(p, len, MADV_HUGEPAGE) != 0)
      vmt_die("madvise(MADV_HUGEPAGE)");
   VMTRACE_LABEL(p, len, "region");
   vmt_begin("fill");
   vmt_write_pages(p, n);
   vmt_end();
   full_flush(flusher);
   vmt_begin("walk");
   walk(p, n, VMT_PAGE, 2);
   vmt_end();
}

static void step(const char *phase, const char *p)
{
   vmt_begin(phase);
   walk(p, 8, VMT_PAGE, 1);
   vmt_end();
}

static void flush_mode(void)
{
   char *flusher = scratch(64);
   char *small1 = scratch(4), *big1 = scratch(64), *small2 = scratch(4);
   char *big2 = scratch(64), *big3 = scratch(64);
   char *p = scratch(8);
   VMTRACE_LABEL(p, 8 * VMT_PAGE, "region");
   full_flush(flusher);
   step("walk", p);
   if (munmap(small1, 4 * VMT_PAGE) != 0)
      vmt_die("munmap");
   step("munmap-small", p);
   if (munmap(big1, 64 * VMT_PAGE) != 0)
      vmt_die("munmap");
   step("munmap-big", p);
   if (mprotect(small2, 4 * VMT_PAGE, PROT_READ) != 0)
      vmt_die("mprotect");
   step("mprotect-small", p);
   if (mprotect(big2, 64 * VMT_PAGE, PROT_READ) != 0)
      vmt_die("mprotect");
   step("mprotect-big", p);
   if (mprotect(p, 8 * VMT_PAGE, PROT_READ) != 0)
      vmt_die("mprotect");
   step("mprotect-self", p);
   if (madvise(big3, 64 * VMT_PAGE, MADV_DONTNEED) != 0)
      vmt_die("madvise");
   step("dontneed-big", p);
   if (madvise(p, 8 * VMT_PAGE, MADV_DONTNEED) != 0)
      vmt_die("madvise");
   step("dontneed-self", p);
}

static void fork_mode(void)
{
   vmt_set_role("parent");
   char *flusher = scratch(64);
   char *p = scratch(8);
   VMTRACE_LABEL(p, 8 * VMT_PAGE, "region");
   full_flush(flusher);
   step("walk", p);
   step("rewalk", p);
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      step("child-walk", p);
      vmt_child_exit();
   }
   vmt_reap(pid);
   step("after-fork", p);
}

static void exec_mode(const char *self, int after)
{
   vmt_set_role(after ? "after" : "before");
   char *p = vmt_anon(8);
   VMTRACE_LABEL(p, 8 * VMT_PAGE, "region");
   vmt_begin("fill");
   vmt_write_pages(p, 8);
   vmt_end();
   step("walk", p);
   if (after)
      return;
   fflush(stdout);
   char *const args[] = { (char *)self, "exec-after", NULL };
   execv(self, args);
   vmt_die("execv %s", self);
}

static void selfwrite_mode(int mprot)
{
   vmt_set_role("parent");
   unsigned char *p = vmt_mmap_at(VMT_PAGE, VMT_PAGE, 0, PROT_READ | PROT_WRITE | PROT_EXEC,
                                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   /* fn(q): *q = 1, then 8 nops */
   static const unsigned char code[] = {
      0xc6, 0x07, 0x01,                               /* movb $1, (%rdi) */
      0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, /* nop x 8 */
      0xc3,                                           /* ret */
   };
   memcpy(p, code, sizeof code);
   VMTRACE_LABEL(p, VMT_PAGE, "region");
   void (*fn)(unsigned char *) = (void (*)(unsigned char *))(void *)p;
   if (mprot) {
      /* the same code run while its page is not writable, storing to
         another page */
      unsigned char *other = vmt_anon(1);
      if (mprotect(p, VMT_PAGE, PROT_READ | PROT_EXEC) != 0)
         vmt_die("mprotect");
      vmt_begin("first");
      fn(other);
      vmt_end();
   }
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_child_exit();
   }
   vmt_reap(pid);
   if (mprot && mprotect(p, VMT_PAGE, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
      vmt_die("mprotect");
   vmt_begin("call");
   fn(p + 0x800);
   vmt_end();
   if (p[0x800] != 1)
      vmt_die("the code's store did not land");
}

int main(int argc, char **argv)
{
   vmt_init();
   const char *m = argc >= 2 ? argv[1] : "";
   if (!strcmp(m, "walk") && argc == 5)
      walk_mode((size_t)atol(argv[2]), atol(argv[3]), (size_t)atol(argv[4]), 0);
   else if (!strcmp(m, "hot") && argc == 5)
      walk_mode((size_t)atol(argv[2]), atol(argv[3]), (size_t)atol(argv[4]), 1);
   else if (!strcmp(m, "thp"))
      thp_mode();
   else if (!strcmp(m, "flush"))
      flush_mode();
   else if (!strcmp(m, "fork"))
      fork_mode();
   else if (!strcmp(m, "exec"))
      exec_mode(argv[0], 0);
   else if (!strcmp(m, "exec-after"))
      exec_mode(argv[0], 1);
   else if (!strcmp(m, "selfwrite"))
      selfwrite_mode(0);
   else if (!strcmp(m, "selfwrite-mprotect"))
      selfwrite_mode(1);
   else
      vmt_die("usage: tlb walk N R S | thp | flush | fork | exec | selfwrite[-mprotect]");
   return 0;
}
