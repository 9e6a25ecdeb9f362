/* fork MODE: copy-on-write across fork.  Roles (in ORACLE and FACT lines)
   "parent", "child", "grandchild", "child0".."child49".  Every step of one
   process waits for the steps of the others it depends on (pipes,
   waitpid), so the order of all steps is fixed.

   cow          a 300-page private anonymous mapping "buf" written by the
                parent (phase "write"); fork.  The child reads pages
                0..99 ("child-read"), then writes pages 100..199
                ("child-write") and exits.  The parent, once the child has
                exited, writes pages 100..199 ("after-child"), then pages
                200..299 ("untouched").
   parent-first a 100-page "buf" written by the parent ("write"); fork; the
                child waits on a pipe while the parent writes all 100
                ("parent-write"), then writes them itself ("child-write")
                and exits; the parent writes them once more
                ("after-child").
   file         a 64-page file mapped private read-only, "file", and two
                64-page MAP_SHARED|MAP_ANONYMOUS mappings, "shm" and
                "shm2", all 64 KiB-aligned.  The parent reads "file"
                ("read") and writes "shm" ("shm-write"); fork; the child
                reads "file" ("child-read-file"), then "shm"
                ("child-read-shm"), writes "shm2" ("child-write-shm2") and
                exits; the parent then reads "shm2" ("read-shm2").
   shm-truncate a 16-page memfd mapped shared, 64 KiB-aligned, "m".  A
                first child exits at once; the parent writes all 16 pages
                ("write"), truncates the memfd to 8 pages and back to 16
                ("truncate") and reads pages 12..15 ("read-holes"); fork:
                the second child reads pages 8..11 ("child-read-holes")
                and exits; the parent reads pages 8..11 ("read-child"),
                punches pages 0..3 with MADV_REMOVE ("remove") and reads
                them ("read-removed").
   shootdown HOW  a 16-page object mapped shared, 64 KiB-aligned, "m"
                (HOW: truncate, punch, private: a memfd; remove: a memfd,
                MAP_SHARED; anon-remove: MAP_SHARED|MAP_ANONYMOUS; file: a
                cached regular file, read only); private also maps the
                memfd MAP_PRIVATE read-only, "p".  Fork; the child writes
                "m" ("child-write"; file: reads it), reads "p" (private:
                "child-read-private"), tells the parent and waits.  The
                parent takes pages 8..15 away ("remove"): ftruncate to 8
                pages and back to 16 (truncate), fallocate
                PUNCH_HOLE|KEEP_SIZE (punch, private), MADV_REMOVE of
                "m"'s pages 8..15 (remove, anon-remove), ftruncate to 8
                pages (file), once the child sleeps in its read
                (/proc/PID/syscall); then lets the child go.  The child (FACT
                child:rss-after=N: "m"'s pages it still maps, smaps) reads
                "p"'s pages 8..15 (private: "child-read-private-holes"),
                "m"'s pages 8..15 ("child-read-holes"; file: page 8 only,
                under a SIGBUS handler that jumps back, FACT
                child:sigbus=1) and 0..7 ("child-read-kept"), and exits.
   zero-merged  "a": 8 pages of private anonymous memory made by two
                mmaps of 4 pages side by side (MAP_FIXED, one VMA for
                Linux); page 5 read ("read"), page 0 written ("write");
                fork: the child reads pages 5 and 6 ("child-read") and
                exits.
   zero-noreserve  as zero-merged, the upper mmap MAP_NORESERVE.
   zero-locked  "a": 8 pages of private anonymous read-only memory (one
                mmap), pages 4-7 mlock()ed ("mlock": zero pages), a guard
                marker installed on page 0 (an anon_vma for pages 0-3
                alone), page 1 read ("read"); fork: the child reads pages
                1 and 5 ("child-read"), forks: the grandchild reads them
                ("grandchild-read") and exits; the child exits.
   zero-split   "a" and "b": 8 pages of private anonymous memory each, made
                by two mmaps of 4 pages side by side (MAP_FIXED).  "a":
                page 4 written first ("a-write"), the lower half mapped
                after it; "b": both halves mapped, then page 0 written
                ("b-write").  Then the half not written is unmapped from
                each ("unmap": a's upper half, b's lower), page 1 of "a"
                and page 5 of "b" read ("read"); fork: the child reads
                pages 1-2 of "a" and 5-6 of "b" ("child-read") and exits.
   zero-moved   "a" and "c": 8 pages, the lower 4 mapped private
                anonymous (the upper 4 left to a PROT_NONE reservation),
                "b" and "d": 4 pages mapped likewise elsewhere.  a's page
                1 read ("a-read"), b's page 0 written ("b-write"), c's
                page 0 written ("c-write"), d's page 1 read ("d-read");
                b and d moved (mremap MREMAP_FIXED) over the upper halves
                of a and c ("move"; FACT a-vmas, c-vmas: the VMAs over a
                and c, natively); fork: the child reads pages 1 and 4 of
                "a" and 0 and 5 of "c" ("child-read") and exits.
   zero-unaccounted  "a": 8 pages of private anonymous read-write memory
                (one mmap); pages 4-7 made read-only, page 0 written
                ("write"), pages 0-3 made read-only (FACT vmas: the VMAs
                over a, natively), pages 1-7 read ("read"); fork: the
                child reads pages 0-7 ("child-read") and exits.
   pss N        an N-page "buf" written by the parent ("write"); fork; the
                child writes nothing and exits while the parent waits.
   pss-file N   an N-page file mapped private read-only, 64 KiB-aligned,
                "file", read by the parent ("read"); fork; the child reads
                it ("child-read") and exits while the parent waits.
   pss-file-exec N  the same file read by the parent ("read"); fork; the
                child execs this program ("pss-file-image N FD"), whose
                image (role "image") maps the file from the inherited
                descriptor, reads it ("image-read") and exits while the
                parent waits.
   pss-twice N  no fork: an N-page file mapped twice, shared ("a") and
                private read-only ("b"), 64 KiB-aligned, each read
                ("read"); an N-page memfd mapped shared twice ("m1",
                "m2"), written through m1 ("write") and read through m2
                ("read"): each page is mapped in two places (FACT
                a-rss, a-pss, a-private and the same for b, m1, m2)
   many         a 50-page "region" written by the parent ("write"); 50
                children forked, each waiting on its own pipe; the parent
                lets them go one at a time: child i labels page i "slice",
                writes it ("slice") and exits, and the parent waits for it
                before letting the next go.  Then the parent writes all 50
                pages ("after-children").
   tree         a 20-page "region" written by the parent ("write"); fork;
                the child forks a grandchild, which writes pages 0..9
                ("grandchild-write") and exits; the child, once it has
                exited, writes pages 10..19 ("child-write") and exits; the
                parent, once the child has exited, writes all 20
                ("after-children").
   straddle     a 4-page "buf" written by the parent ("write"); fork; the
                child writes 8 bytes across the boundary of pages 0 and 1
                in one store ("child-straddle"), then read()s 8 bytes from
                a pipe across the boundary of pages 2 and 3
                ("child-read-call": the kernel's write), and exits while
                the parent waits: four copy-on-write faults, two from one
                instruction and two from one system call.

   FACT <role>:exclusive-<step>=N: how many of the pages the step writes
   this process maps alone just before it (pagemap), natively. */
#include "vmtest.h"

#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/syscall.h>

#define MANY 50

static void cow(void)
{
   enum { N = 300 };
   char *p = vmt_anon(N);
   VMTRACE_LABEL(p, N * VMT_PAGE, "buf");
   vmt_begin("write");
   vmt_write_pages(p, N);
   vmt_end();

   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_begin("child-read");
      vmt_read_pages(p, 100);
      vmt_end();
      vmt_fact("exclusive-child-write", vmt_exclusive(p + 100 * VMT_PAGE, 100));
      vmt_begin("child-write");
      vmt_write_pages(p + 100 * VMT_PAGE, 100);
      vmt_end();
      vmt_child_exit();
   }
   vmt_reap(pid);
   vmt_fact("exclusive-after-child", vmt_exclusive(p, N));
   vmt_begin("after-child");
   vmt_write_pages(p + 100 * VMT_PAGE, 100);
   vmt_end();
   vmt_begin("untouched");
   vmt_write_pages(p + 200 * VMT_PAGE, 100);
   vmt_end();
}

static void parent_first(void)
{
   enum { N = 100 };
   struct vmt_chan ready, go;
   vmt_chan_open(&ready);
   vmt_chan_open(&go);
   char *p = vmt_anon(N);
   VMTRACE_LABEL(p, N * VMT_PAGE, "buf");
   vmt_begin("write");
   vmt_write_pages(p, N);
   vmt_end();

   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_post(&ready);
      vmt_wait(&go);
      vmt_fact("exclusive-child-write", vmt_exclusive(p, N));
      vmt_begin("child-write");
      vmt_write_pages(p, N);
      vmt_end();
      vmt_child_exit();
   }
   vmt_wait(&ready);
   vmt_fact("exclusive-parent-write", vmt_exclusive(p, N));
   vmt_begin("parent-write");
   vmt_write_pages(p, N);
   vmt_end();
   vmt_post(&go);
   vmt_reap(pid);
   vmt_begin("after-child");
   vmt_write_pages(p, N);
   vmt_end();
}

static void file(void)
{
   enum { N = 64 };
   const size_t window = 64 * 1024;
   int fd = vmt_cached_file("vmtest-fork.dat", N * VMT_PAGE);
   char *f = vmt_mmap_at(N * VMT_PAGE, window, 0, PROT_READ, MAP_PRIVATE, fd, 0);
   char *s = vmt_mmap_at(N * VMT_PAGE, window, 0, PROT_READ | PROT_WRITE,
                         MAP_SHARED | MAP_ANONYMOUS, -1, 0);
   char *s2 = vmt_mmap_at(N * VMT_PAGE, window, 0, PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_ANONYMOUS, -1, 0);
   VMTRACE_LABEL(f, N * VMT_PAGE, "file");
   VMTRACE_LABEL(s, N * VMT_PAGE, "shm");
   VMTRACE_LABEL(s2, N * VMT_PAGE, "shm2");
   vmt_begin("read");
   vmt_read_pages(f, N);
   vmt_end();
   vmt_begin("shm-write");
   vmt_write_pages(s, N);
   vmt_end();

   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_begin("child-read-file");
      vmt_read_pages(f, N);
      vmt_end();
      vmt_begin("child-read-shm");
      vmt_read_pages(s, N);
      vmt_end();
      vmt_begin("child-write-shm2");
      vmt_write_pages(s2, N);
      vmt_end();
      vmt_child_exit();
   }
   vmt_reap(pid);
   vmt_begin("read-shm2");
   vmt_read_pages(s2, N);
   vmt_end();
}

/* Shared memory pages made after a fork (so the processes share the
   knowledge of which exist), then truncated or punched away: holes again,
   for this process and the next. */
static void shm_truncate(void)
{
   enum { N = 16 };
   int fd = memfd_create("vmtest-shm-truncate", 0);
   if (fd < 0 || ftruncate(fd, N * VMT_PAGE) != 0)
      vmt_die("memfd");
   char *m = vmt_mmap_at(N * VMT_PAGE, 64 * 1024, 0, PROT_READ | PROT_WRITE, MAP_SHARED,
                         fd, 0);
   VMTRACE_LABEL(m, N * VMT_PAGE, "m");
   pid_t pid = vmt_fork();
   if (pid == 0)
      vmt_child_exit();
   vmt_reap(pid);
   vmt_begin("write");
   vmt_write_pages(m, N);
   vmt_end();
   vmt_begin("truncate");
   if (ftruncate(fd, N / 2 * VMT_PAGE) != 0 || ftruncate(fd, N * VMT_PAGE) != 0)
      vmt_die("ftruncate");
   vmt_end();
   vmt_begin("read-holes");
   vmt_read_pages(m + 12 * VMT_PAGE, 4);
   vmt_end();
   pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_begin("child-read-holes");
      vmt_read_pages(m + 8 * VMT_PAGE, 4);
      vmt_end();
      vmt_child_exit();
   }
   vmt_reap(pid);
   vmt_begin("read-child");
   vmt_read_pages(m + 8 * VMT_PAGE, 4);
   vmt_end();
   vmt_begin("remove");
   if (madvise(m, 4 * VMT_PAGE, MADV_REMOVE) != 0)
      vmt_die("madvise");
   vmt_end();
   vmt_begin("read-removed");
   vmt_read_pages(m, 4);
   vmt_end();
   close(fd);
}

/* Pages of a shared mapping taken away by the other process: Linux
   zaps every mapping of them (unmap_mapping_range), the child's too. */
static sigjmp_buf shootdown_back;
static volatile sig_atomic_t shootdown_sigbus;

static void shootdown_jump(int sig)
{
   (void)sig;
   shootdown_sigbus++;
   siglongjmp(shootdown_back, 1);
}

/* Returns once pid sleeps in a read(2) of fd (its /proc/PID/syscall:
   the call's number and first argument).  Each try sleeps first, so that
   every run, however many tries it takes, runs the same code. */
static void wait_blocked_in_read(pid_t pid, int fd)
{
   char path[64], buf[256];
   snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
   for (int tries = 0; tries < 60000; tries++) {
      usleep(1000);
      int sfd = open(path, O_RDONLY);
      if (sfd < 0)
         vmt_die("open %s", path);
      ssize_t n = read(sfd, buf, sizeof buf - 1);
      close(sfd);
      long nr;
      unsigned long arg0;
      if (n > 0) {
         buf[n] = 0;
         if (sscanf(buf, "%ld %lx", &nr, &arg0) == 2 && nr == SYS_read &&
             arg0 == (unsigned long)fd)
            return;
      }
   }
   vmt_die("%s: the child never slept in read(%d)", path, fd);
}

static void shootdown(const char *how)
{
   enum { N = 16, H = 8 };
   bool anon = strcmp(how, "anon-remove") == 0, file = strcmp(how, "file") == 0;
   bool private = strcmp(how, "private") == 0;
   if (!anon && !file && !private && strcmp(how, "truncate") != 0 &&
       strcmp(how, "punch") != 0 && strcmp(how, "remove") != 0)
      vmt_die("shootdown: unknown HOW %s", how);
   int fd = -1;
   if (file) {
      fd = vmt_cached_file("vmtest-shootdown.dat", N * VMT_PAGE);
   } else if (!anon) {
      fd = memfd_create("vmtest-shootdown", 0);
      if (fd < 0 || ftruncate(fd, N * VMT_PAGE) != 0)
         vmt_die("memfd");
   }
   char *m = vmt_mmap_at(N * VMT_PAGE, 64 * 1024, 0,
                         file ? PROT_READ : PROT_READ | PROT_WRITE,
                         MAP_SHARED | (anon ? MAP_ANONYMOUS : 0), fd, 0);
   VMTRACE_LABEL(m, N * VMT_PAGE, "m");
   char *p = NULL;
   if (private) {
      p = vmt_mmap_at(N * VMT_PAGE, 64 * 1024, 0, PROT_READ, MAP_PRIVATE, fd, 0);
      VMTRACE_LABEL(p, N * VMT_PAGE, "p");
   }
   struct vmt_chan up, down;
   vmt_chan_open(&up);
   vmt_chan_open(&down);
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_begin("child-write");
      if (file)
         vmt_read_pages(m, N);
      else
         vmt_write_pages(m, N);
      vmt_end();
      if (p) {
         vmt_begin("child-read-private");
         vmt_read_pages(p, N);
         vmt_end();
      }
      vmt_post(&up);
      vmt_wait(&down);
      vmt_fact("rss-after", vmt_smaps_pages(m, "Rss"));
      if (p) {
         vmt_begin("child-read-private-holes");
         vmt_read_pages(p + H * VMT_PAGE, N - H);
         vmt_end();
      }
      if (file) {
         struct sigaction sa;
         memset(&sa, 0, sizeof sa);
         sa.sa_handler = shootdown_jump;
         if (sigaction(SIGBUS, &sa, NULL) != 0)
            vmt_die("sigaction");
         vmt_begin("child-read-holes");
         if (sigsetjmp(shootdown_back, 1) == 0)
            vmt_read_pages(m + H * VMT_PAGE, 1);
         vmt_end();
         vmt_fact("sigbus", shootdown_sigbus);
      } else {
         vmt_begin("child-read-holes");
         vmt_read_pages(m + H * VMT_PAGE, N - H);
         vmt_end();
      }
      vmt_begin("child-read-kept");
      vmt_read_pages(m, H);
      vmt_end();
      vmt_child_exit();
   }
   vmt_wait(&up);
   wait_blocked_in_read(pid, down.fd[0]);
   vmt_begin("remove");
   int bad;
   if (strcmp(how, "truncate") == 0)
      bad = ftruncate(fd, H * VMT_PAGE) != 0 || ftruncate(fd, N * VMT_PAGE) != 0;
   else if (file)
      bad = ftruncate(fd, H * VMT_PAGE) != 0;
   else if (anon || strcmp(how, "remove") == 0)
      bad = madvise(m + H * VMT_PAGE, (N - H) * VMT_PAGE, MADV_REMOVE) != 0;
   else
      bad = fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, H * VMT_PAGE,
                      (N - H) * VMT_PAGE) != 0;
   vmt_end();
   if (bad)
      vmt_die("shootdown %s", how);
   vmt_post(&down);
   vmt_reap(pid);
}

static void zero_merged(int noreserve)
{
   char *a = vmt_place(8 * VMT_PAGE, VMT_PAGE, 0);
   for (int half = 0; half < 2; half++)
      if (mmap(a + half * 4 * VMT_PAGE, 4 * VMT_PAGE, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | (half && noreserve ? MAP_NORESERVE : 0),
               -1, 0) != a + half * 4 * VMT_PAGE)
         vmt_die("mmap");
   VMTRACE_LABEL(a, 8 * VMT_PAGE, "a");
   vmt_begin("read");
   vmt_read_pages(a + 5 * VMT_PAGE, 1);
   vmt_end();
   vmt_begin("write");
   vmt_write_pages(a, 1);
   vmt_end();
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_begin("child-read");
      vmt_read_pages(a + 5 * VMT_PAGE, 2);
      vmt_end();
      vmt_child_exit();
   }
   vmt_reap(pid);
}

static char *map4(char *at)
{
   if (mmap(at, 4 * VMT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
            -1, 0) != at)
      vmt_die("mmap");
   return at;
}

static void zero_split(void)
{
   char *a = vmt_place(8 * VMT_PAGE, VMT_PAGE, 0), *b = vmt_place(8 * VMT_PAGE, VMT_PAGE, 0);
   VMTRACE_LABEL(a, 8 * VMT_PAGE, "a");
   VMTRACE_LABEL(b, 8 * VMT_PAGE, "b");
   map4(a + 4 * VMT_PAGE);
   vmt_begin("a-write");
   vmt_write_pages(a + 4 * VMT_PAGE, 1);
   vmt_end();
   map4(a);
   map4(b);
   map4(b + 4 * VMT_PAGE);
   vmt_begin("b-write");
   vmt_write_pages(b, 1);
   vmt_end();
   vmt_begin("unmap");
   if (munmap(a + 4 * VMT_PAGE, 4 * VMT_PAGE) != 0 || munmap(b, 4 * VMT_PAGE) != 0)
      vmt_die("munmap");
   vmt_end();
   vmt_begin("read");
   vmt_read_pages(a + VMT_PAGE, 1);
   vmt_read_pages(b + 5 * VMT_PAGE, 1);
   vmt_end();
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_begin("child-read");
      vmt_read_pages(a + VMT_PAGE, 2);
      vmt_read_pages(b + 5 * VMT_PAGE, 2);
      vmt_end();
      vmt_child_exit();
   }
   vmt_reap(pid);
}

/* An anonymous mapping moved by mremap beside another: one VMA with it
   only where the page offsets follow on (the moved VMA keeps its own
   once it has an anon_vma, takes its new address's if it has none). */
static void zero_moved(void)
{
   char *a = vmt_place(8 * VMT_PAGE, VMT_PAGE, 0), *b = vmt_place(4 * VMT_PAGE, VMT_PAGE, 0);
   char *c = vmt_place(8 * VMT_PAGE, VMT_PAGE, 0), *d = vmt_place(4 * VMT_PAGE, VMT_PAGE, 0);
   map4(a);
   map4(b);
   map4(c);
   map4(d);
   VMTRACE_LABEL(a, 8 * VMT_PAGE, "a");
   VMTRACE_LABEL(b, 4 * VMT_PAGE, "b");
   VMTRACE_LABEL(c, 8 * VMT_PAGE, "c");
   VMTRACE_LABEL(d, 4 * VMT_PAGE, "d");
   vmt_begin("a-read");
   vmt_read_pages(a + VMT_PAGE, 1);
   vmt_end();
   vmt_begin("b-write");
   vmt_write_pages(b, 1);
   vmt_end();
   vmt_begin("c-write");
   vmt_write_pages(c, 1);
   vmt_end();
   vmt_begin("d-read");
   vmt_read_pages(d + VMT_PAGE, 1);
   vmt_end();
   vmt_begin("move");
   if (mremap(b, 4 * VMT_PAGE, 4 * VMT_PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, a + 4 * VMT_PAGE) !=
          a + 4 * VMT_PAGE ||
       mremap(d, 4 * VMT_PAGE, 4 * VMT_PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, c + 4 * VMT_PAGE) !=
          c + 4 * VMT_PAGE)
      vmt_die("mremap");
   vmt_end();
   vmt_fact("a-vmas", vmt_count_vmas(a, 8 * VMT_PAGE));
   vmt_fact("c-vmas", vmt_count_vmas(c, 8 * VMT_PAGE));
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_begin("child-read");
      vmt_read_pages(a + VMT_PAGE, 1);
      vmt_read_pages(a + 4 * VMT_PAGE, 1);
      vmt_read_pages(c, 1);
      vmt_read_pages(c + 5 * VMT_PAGE, 1);
      vmt_end();
      vmt_child_exit();
   }
   vmt_reap(pid);
}

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102         /* Linux 6.13 */
#endif

static void zero_locked(void)
{
   char *a = vmt_place(8 * VMT_PAGE, VMT_PAGE, 0);
   if (mmap(a, 8 * VMT_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != a)
      vmt_die("mmap");
   VMTRACE_LABEL(a, 8 * VMT_PAGE, "a");
   vmt_begin("mlock");
   if (mlock(a + 4 * VMT_PAGE, 4 * VMT_PAGE) != 0)
      vmt_die("mlock");
   vmt_end();
   if (madvise(a, VMT_PAGE, MADV_GUARD_INSTALL) != 0)
      vmt_die("MADV_GUARD_INSTALL (Linux 6.13)");
   vmt_begin("read");
   vmt_read_pages(a + VMT_PAGE, 1);
   vmt_end();
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_begin("child-read");
      vmt_read_pages(a + VMT_PAGE, 1);
      vmt_read_pages(a + 5 * VMT_PAGE, 1);
      vmt_end();
      pid_t gpid = vmt_fork();
      if (gpid == 0) {
         vmt_set_role("grandchild");
         vmt_begin("grandchild-read");
         vmt_read_pages(a + VMT_PAGE, 1);
         vmt_read_pages(a + 5 * VMT_PAGE, 1);
         vmt_end();
         vmt_child_exit();
      }
      vmt_reap(gpid);
      vmt_child_exit();
   }
   vmt_reap(pid);
   munlock(a + 4 * VMT_PAGE, 4 * VMT_PAGE);
}

/* An anonymous VMA made read-only before it had a page of its own (no
   anon_vma) is no longer accounted (mprotect_fixup): it stays apart from
   a neighbour that kept VM_ACCOUNT, and fork copies only that one's
   PTEs. */
static void zero_unaccounted(void)
{
   char *a = vmt_place(8 * VMT_PAGE, VMT_PAGE, 0);
   if (mmap(a, 8 * VMT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
            -1, 0) != a)
      vmt_die("mmap");
   VMTRACE_LABEL(a, 8 * VMT_PAGE, "a");
   if (mprotect(a + 4 * VMT_PAGE, 4 * VMT_PAGE, PROT_READ) != 0)
      vmt_die("mprotect");
   vmt_begin("write");
   vmt_write_pages(a, 1);
   vmt_end();
   if (mprotect(a, 4 * VMT_PAGE, PROT_READ) != 0)
      vmt_die("mprotect");
   vmt_fact("vmas", vmt_count_vmas(a, 8 * VMT_PAGE));
   vmt_begin("read");
   vmt_read_pages(a + VMT_PAGE, 7);
   vmt_end();
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_begin("child-read");
      vmt_read_pages(a, 8);
      vmt_end();
      vmt_child_exit();
   }
   vmt_reap(pid);
}

typedef uint64_t __attribute__((aligned(1), may_alias)) unaligned_u64;

static void straddle(void)
{
   char *p = vmt_anon(4);
   VMTRACE_LABEL(p, 4 * VMT_PAGE, "buf");
   vmt_begin("write");
   vmt_write_pages(p, 4);
   vmt_end();
   int fds[2];
   if (pipe(fds) != 0)
      vmt_die("pipe");
   if (write(fds[1], "12345678", 8) != 8)
      vmt_die("write");

   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_begin("child-straddle");
      *(volatile unaligned_u64 *)(p + VMT_PAGE - 4) = 0x0102030405060708ull;
      vmt_end();
      vmt_begin("child-read-call");
      if (read(fds[0], p + 3 * VMT_PAGE - 4, 8) != 8)
         vmt_die("read");
      vmt_end();
      vmt_child_exit();
   }
   vmt_reap(pid);
}

static void pss(size_t n)
{
   char *p = vmt_anon(n);
   VMTRACE_LABEL(p, n * VMT_PAGE, "buf");
   vmt_begin("write");
   vmt_write_pages(p, n);
   vmt_end();

   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_fact("buf-rss", vmt_smaps_pages(p, "Rss"));
      vmt_fact("buf-pss", vmt_smaps_pages(p, "Pss"));
      vmt_fact("buf-private", vmt_smaps_pages(p, "Private"));
      vmt_child_exit();
   }
   vmt_reap(pid);
}

static void pss_file(size_t n)
{
   int fd = vmt_cached_file("vmtest-pss.dat", n * VMT_PAGE);
   char *f = vmt_mmap_at(n * VMT_PAGE, 64 * 1024, 0, PROT_READ, MAP_PRIVATE, fd, 0);
   VMTRACE_LABEL(f, n * VMT_PAGE, "file");
   vmt_begin("read");
   vmt_read_pages(f, n);
   vmt_end();

   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_begin("child-read");
      vmt_read_pages(f, n);
      vmt_end();
      vmt_fact("file-rss", vmt_smaps_pages(f, "Rss"));
      vmt_fact("file-pss", vmt_smaps_pages(f, "Pss"));
      vmt_fact("file-private", vmt_smaps_pages(f, "Private"));
      vmt_child_exit();
   }
   vmt_reap(pid);
}

static void pss_twice(size_t n)
{
   size_t len = n * VMT_PAGE;
   int fd = vmt_cached_file("vmtest-pss-twice.dat", len);
   char *a = vmt_mmap_at(len, 64 * 1024, 0, PROT_READ, MAP_SHARED, fd, 0);
   char *b = vmt_mmap_at(len, 64 * 1024, 0, PROT_READ, MAP_PRIVATE, fd, 0);
   int mfd = memfd_create("vmtest-pss-twice", 0);
   if (mfd < 0 || ftruncate(mfd, (off_t)len) != 0)
      vmt_die("memfd");
   char *m1 = vmt_mmap_at(len, 64 * 1024, 0, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
   char *m2 = vmt_mmap_at(len, 64 * 1024, 0, PROT_READ, MAP_SHARED, mfd, 0);
   VMTRACE_LABEL(a, len, "a");
   VMTRACE_LABEL(b, len, "b");
   VMTRACE_LABEL(m1, len, "m1");
   VMTRACE_LABEL(m2, len, "m2");
   vmt_begin("read");
   vmt_read_pages(a, n);
   vmt_read_pages(b, n);
   vmt_end();
   vmt_begin("write");
   vmt_write_pages(m1, n);
   vmt_end();
   vmt_begin("read-m2");
   vmt_read_pages(m2, n);
   vmt_end();
   struct { const char *name; char *p; } maps[] = { { "a", a }, { "b", b }, { "m1", m1 },
                                                    { "m2", m2 } };
   for (size_t i = 0; i < sizeof maps / sizeof *maps; i++) {
      char key[32];
      snprintf(key, sizeof key, "%s-rss", maps[i].name);
      vmt_fact(key, vmt_smaps_pages(maps[i].p, "Rss"));
      snprintf(key, sizeof key, "%s-pss", maps[i].name);
      vmt_fact(key, vmt_smaps_pages(maps[i].p, "Pss"));
      snprintf(key, sizeof key, "%s-private", maps[i].name);
      vmt_fact(key, vmt_smaps_pages(maps[i].p, "Private"));
   }
}

/* The same file read by a child that execs this program first
   (pss-file-exec): the new image maps the file from the descriptor it
   inherited (argv[3]). */
static void pss_file_exec(const char *self, size_t n)
{
   int fd = vmt_cached_file("vmtest-pss.dat", n * VMT_PAGE);
   char *f = vmt_mmap_at(n * VMT_PAGE, 64 * 1024, 0, PROT_READ, MAP_PRIVATE, fd, 0);
   VMTRACE_LABEL(f, n * VMT_PAGE, "file");
   vmt_begin("read");
   vmt_read_pages(f, n);
   vmt_end();

   pid_t pid = vmt_fork();
   if (pid == 0) {
      char npages[32], fdarg[32];
      snprintf(npages, sizeof npages, "%zu", n);
      snprintf(fdarg, sizeof fdarg, "%d", fd);
      char *const args[] = {(char *)self, "pss-file-image", npages, fdarg, NULL};
      execv(self, args);
      vmt_die("execv %s", self);
   }
   vmt_reap(pid);
}

static void pss_file_image(size_t n, int fd)
{
   vmt_set_role("image");
   char *f = vmt_mmap_at(n * VMT_PAGE, 64 * 1024, 0, PROT_READ, MAP_PRIVATE, fd, 0);
   VMTRACE_LABEL(f, n * VMT_PAGE, "file");
   vmt_begin("image-read");
   vmt_read_pages(f, n);
   vmt_end();
   vmt_fact("file-rss", vmt_smaps_pages(f, "Rss"));
   vmt_fact("file-pss", vmt_smaps_pages(f, "Pss"));
   vmt_fact("file-private", vmt_smaps_pages(f, "Private"));
}

static void many(void)
{
   static struct vmt_chan go[MANY];
   static pid_t pids[MANY];
   static const char *const roles[MANY] = {
      "child0",  "child1",  "child2",  "child3",  "child4",  "child5",  "child6",
      "child7",  "child8",  "child9",  "child10", "child11", "child12", "child13",
      "child14", "child15", "child16", "child17", "child18", "child19", "child20",
      "child21", "child22", "child23", "child24", "child25", "child26", "child27",
      "child28", "child29", "child30", "child31", "child32", "child33", "child34",
      "child35", "child36", "child37", "child38", "child39", "child40", "child41",
      "child42", "child43", "child44", "child45", "child46", "child47", "child48",
      "child49"};
   char *p = vmt_anon(MANY);
   VMTRACE_LABEL(p, MANY * VMT_PAGE, "region");
   vmt_begin("write");
   vmt_write_pages(p, MANY);
   vmt_end();

   for (int i = 0; i < MANY; i++)
      vmt_chan_open(&go[i]);
   for (int i = 0; i < MANY; i++) {
      pids[i] = vmt_fork();
      if (pids[i] == 0) {
         vmt_set_role(roles[i]);
         vmt_wait(&go[i]);
         VMTRACE_LABEL(p + i * VMT_PAGE, VMT_PAGE, "slice");
         vmt_begin("slice");
         vmt_write_pages(p + i * VMT_PAGE, 1);
         vmt_end();
         vmt_child_exit();
      }
   }
   for (int i = 0; i < MANY; i++) {
      vmt_post(&go[i]);
      vmt_reap(pids[i]);
   }
   vmt_fact("exclusive-after-children", vmt_exclusive(p, MANY));
   vmt_begin("after-children");
   vmt_write_pages(p, MANY);
   vmt_end();
}

static void tree(void)
{
   enum { N = 20 };
   char *p = vmt_anon(N);
   VMTRACE_LABEL(p, N * VMT_PAGE, "region");
   vmt_begin("write");
   vmt_write_pages(p, N);
   vmt_end();

   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      pid_t gpid = vmt_fork();
      if (gpid == 0) {
         vmt_set_role("grandchild");
         vmt_begin("grandchild-write");
         vmt_write_pages(p, 10);
         vmt_end();
         vmt_child_exit();
      }
      vmt_reap(gpid);
      vmt_begin("child-write");
      vmt_write_pages(p + 10 * VMT_PAGE, 10);
      vmt_end();
      vmt_child_exit();
   }
   vmt_reap(pid);
   vmt_fact("exclusive-after-children", vmt_exclusive(p, N));
   vmt_begin("after-children");
   vmt_write_pages(p, N);
   vmt_end();
}

int main(int argc, char **argv)
{
   vmt_init();
   vmt_set_role("parent");
   const char *mode = argc >= 2 ? argv[1] : "";
   if (argc == 2 && strcmp(mode, "cow") == 0)
      cow();
   else if (argc == 2 && strcmp(mode, "parent-first") == 0)
      parent_first();
   else if (argc == 2 && strcmp(mode, "file") == 0)
      file();
   else if (argc == 3 && strcmp(mode, "pss") == 0)
      pss((size_t)atol(argv[2]));
   else if (argc == 3 && strcmp(mode, "pss-file") == 0)
      pss_file((size_t)atol(argv[2]));
   else if (argc == 3 && strcmp(mode, "pss-twice") == 0)
      pss_twice((size_t)atol(argv[2]));
   else if (argc == 3 && strcmp(mode, "pss-file-exec") == 0)
      pss_file_exec(argv[0], (size_t)atol(argv[2]));
   else if (argc == 4 && strcmp(mode, "pss-file-image") == 0)
      pss_file_image((size_t)atol(argv[2]), atoi(argv[3]));
   else if (argc == 2 && strcmp(mode, "many") == 0)
      many();
   else if (argc == 2 && strcmp(mode, "tree") == 0)
      tree();
   else if (argc == 2 && strcmp(mode, "straddle") == 0)
      straddle();
   else if (argc == 2 && strcmp(mode, "shm-truncate") == 0)
      shm_truncate();
   else if (argc == 3 && strcmp(mode, "shootdown") == 0)
      shootdown(argv[2]);
   else if (argc == 2 && strcmp(mode, "zero-merged") == 0)
      zero_merged(0);
   else if (argc == 2 && strcmp(mode, "zero-noreserve") == 0)
      zero_merged(1);
   else if (argc == 2 && strcmp(mode, "zero-locked") == 0)
      zero_locked();
   else if (argc == 2 && strcmp(mode, "zero-split") == 0)
      zero_split();
   else if (argc == 2 && strcmp(mode, "zero-moved") == 0)
      zero_moved();
   else if (argc == 2 && strcmp(mode, "zero-unaccounted") == 0)
      zero_unaccounted();
   else
      vmt_die("usage: fork cow|parent-first|file|shm-truncate|shootdown HOW|zero-merged|"
              "zero-noreserve|zero-locked|zero-split|zero-moved|zero-unaccounted|pss N|pss-file N|pss-twice N|pss-file-exec N|many|tree|"
              "straddle");
   return 0;
}
