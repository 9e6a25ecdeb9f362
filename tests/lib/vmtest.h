/* vmtest.h: helpers shared by the client programs in tests/clients/.

   Include it first (it defines _GNU_SOURCE).  A client studies some memory:
   it labels it with VMTRACE_LABEL and brackets every step with

       vmt_begin("phase");  ...the step...  vmt_end("phase");

   vmt_begin switches vmtrace to the phase and, natively, takes a getrusage
   sample; vmt_end takes a second one and prints

       ORACLE <phase> minflt=<delta> majflt=<delta>

   so the real kernel's figures for the step can be compared with vmtrace's
   and with the expectation in tests/scenarios/.  For the delta to count
   only the studied pages, vmt_init() faults in, before any measurement,
   everything else a step can touch: every readable mapping of the process
   (the program's and the libraries' code and data, written back in place
   where writable, so later writes do not fault either), 256 KiB of stack
   below the caller, the stdout buffer and getrusage itself.  Steps then only call
   getrusage and touch the studied memory.

   Transparent huge pages are disabled for the process
   (PR_SET_THP_DISABLE), natively and under vmtrace, so the machine's THP
   setting cannot change the figures (a client that studies huge pages
   turns them back on).  What remains machine-dependent: fault_around_bytes (a debugfs
   knob, 65536 unless an administrator changed it) and the filesystem of
   $TMPDIR (the file cases assume a disk filesystem with page_mkwrite, such
   as ext4, not tmpfs).

   Under Valgrind (any tool) nothing is prefaulted (the process's maps then
   include Valgrind's own memory) and no ORACLE figures are printed: they
   would be Valgrind's page faults, and printing numbers that vary from run
   to run would make the --fast-path=yes and =no runs execute different
   instructions.  Lines a client prints under Valgrind must be the same in
   every run of the same binary and arguments (apart from addresses, which
   Valgrind places deterministically).

   A client that forks (or whose program is run by another) names each
   process's role with vmt_set_role("child"): its ORACLE and FACT lines then
   read "ORACLE child:<phase> ..." and "FACT child:<key>=...", so that
   tests/run can tell the processes' figures apart.  After fork, every page
   the parent had is shared copy-on-write: vmt_fork() therefore faults in
   again, in both processes, what vmt_init() prefaulted (stack, program and
   library data), so that later steps count the studied pages only.

   Other lines clients print:
     FACT <key>=<value>     a native observation checked by tests/run
                            (number of VMAs, resident pages); native only
     INFO <key>=<value>     e.g. the address a crash test touches; printed
                            under Valgrind too, for checking the output file
*/

#ifndef VMTEST_H
#define VMTEST_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "valgrind.h"
#include "vmtrace.h"

#define VMT_PAGE ((size_t)4096)

#define VMT_NOINLINE __attribute__((noinline, unused))

/* Printed under Valgrind as well as natively. */
static VMT_NOINLINE void vmt_die(const char *fmt, ...)
{
   va_list ap;
   fflush(stdout);
   fprintf(stderr, "vmtest: ");
   va_start(ap, fmt);
   vfprintf(stderr, fmt, ap);
   va_end(ap);
   if (errno)
      fprintf(stderr, " (%s)", strerror(errno));
   fprintf(stderr, "\n");
   exit(2);
}

static inline int vmt_under_valgrind(void)
{
   return RUNNING_ON_VALGRIND != 0;
}

/* A sink the compiler cannot drop. */
static volatile unsigned long vmt_sink;

/* One load of the first byte of each of n pages. */
static VMT_NOINLINE void vmt_read_pages(const void *base, size_t n)
{
   const volatile unsigned char *p = base;
   unsigned long sum = 0;
   for (size_t i = 0; i < n; i++)
      sum += p[i * VMT_PAGE];
   vmt_sink = sum;
}

/* One store to the first byte of each of n pages. */
static VMT_NOINLINE void vmt_write_pages(void *base, size_t n)
{
   volatile unsigned char *p = base;
   for (size_t i = 0; i < n; i++)
      p[i * VMT_PAGE] = (unsigned char)(i | 1);
}

/* ---- prefaulting (native runs only) ---------------------------------- */

static VMT_NOINLINE void vmt_touch_stack(void)
{
   volatile unsigned char buf[256 * 1024];
   for (size_t i = 0; i < sizeof buf; i += VMT_PAGE / 2)
      buf[i] = 0;
   buf[sizeof buf - 1] = 0;
}

static char vmt_maps_buf[256 * 1024];

/* Reads /proc/self/maps into vmt_maps_buf (NUL-terminated) with plain
   syscalls; returns the length. */
static VMT_NOINLINE size_t vmt_read_maps(void)
{
   int fd = open("/proc/self/maps", O_RDONLY);
   size_t len = 0;
   if (fd < 0)
      vmt_die("open /proc/self/maps");
   for (;;) {
      ssize_t r = read(fd, vmt_maps_buf + len, sizeof vmt_maps_buf - 1 - len);
      if (r < 0)
         vmt_die("read /proc/self/maps");
      if (r == 0)
         break;
      len += (size_t)r;
      if (len == sizeof vmt_maps_buf - 1)
         vmt_die("/proc/self/maps too large");
   }
   close(fd);
   vmt_maps_buf[len] = 0;
   return len;
}

/* Calls fn for each line of /proc/self/maps (read beforehand, so fn may
   touch memory freely). */
typedef void (*vmt_maps_fn)(uintptr_t start, uintptr_t end, const char *perms,
                            const char *name, void *arg);

static VMT_NOINLINE void vmt_each_map(vmt_maps_fn fn, void *arg)
{
   vmt_read_maps();
   char *line = vmt_maps_buf;
   while (*line) {
      char *nl = strchr(line, '\n');
      if (nl)
         *nl = 0;
      unsigned long start, end;
      char perms[8] = "";
      int name_at = 0;
      if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &start, &end, perms,
                 &name_at) >= 3) {
         const char *name = name_at > 0 ? line + name_at : "";
         fn(start, end, perms, name, arg);
      }
      if (!nl)
         break;
      line = nl + 1;
   }
}

/* The writable mappings vmt_init() prefaulted, for vmt_fork() to write
   again (the studied memory, mapped later, is not among them). */
#define VMT_MAX_PREFAULTED 512
static struct { uintptr_t start, end; } vmt_prefaulted[VMT_MAX_PREFAULTED];
static int vmt_n_prefaulted;

static void vmt_prefault_one(uintptr_t start, uintptr_t end, const char *perms,
                             const char *name, void *arg)
{
   (void)arg;
   if (perms[0] != 'r')
      return;
   /* [vvar] pages may raise SIGBUS; the stack is done by vmt_touch_stack
      (touching it from here would write below the stack pointer). */
   if (strncmp(name, "[vvar", 5) == 0 || strcmp(name, "[vsyscall]") == 0 ||
       strcmp(name, "[stack]") == 0)
      return;
   if (perms[1] == 'w') {
      if (vmt_n_prefaulted == VMT_MAX_PREFAULTED)
         vmt_die("more than %d writable mappings", VMT_MAX_PREFAULTED);
      vmt_prefaulted[vmt_n_prefaulted].start = start;
      vmt_prefaulted[vmt_n_prefaulted].end = end;
      vmt_n_prefaulted++;
   }
   for (uintptr_t a = start; a < end; a += VMT_PAGE) {
      volatile unsigned char *p = (volatile unsigned char *)a;
      unsigned char v = *p;
      if (perms[1] == 'w')
         *p = v; /* single-threaded here: writing the same byte back is safe */
      vmt_sink += v;
   }
}

static struct rusage vmt_ru0, vmt_ru1;

/* Call first thing in main(). */
static VMT_NOINLINE void vmt_init(void)
{
   if (sysconf(_SC_PAGESIZE) != (long)VMT_PAGE)
      vmt_die("page size is not 4096");
   setvbuf(stdout, NULL, _IOLBF, 0);
   printf("# vmtest client%s\n", vmt_under_valgrind() ? " (under valgrind)" : "");
   /* The expectations count 4 KiB pages: no transparent huge pages of
      any size, whatever /sys/kernel/mm/transparent_hugepage says, natively
      and under vmtrace (which follows the prctl as the kernel does). */
   if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) != 0)
      vmt_die("prctl(PR_SET_THP_DISABLE)");
   if (!vmt_under_valgrind()) {
      vmt_touch_stack();
      vmt_each_map(vmt_prefault_one, NULL);
      /* the buffer itself was just written; check the prefault took */
   }
   getrusage(RUSAGE_SELF, &vmt_ru0);
   getrusage(RUSAGE_SELF, &vmt_ru1);
}

/* ---- measuring -------------------------------------------------------- */

static const char *vmt_phase_name;
static const char *vmt_role;         /* NULL: the only process */

/* Names this process's role in its ORACLE and FACT lines. */
static VMT_NOINLINE void vmt_set_role(const char *role)
{
   vmt_role = role;
}

static const char *vmt_role_prefix(void)
{
   static char buf[128];
   if (!vmt_role)
      return "";
   snprintf(buf, sizeof buf, "%s:", vmt_role);
   return buf;
}

static VMT_NOINLINE void vmt_begin(const char *phase)
{
   vmt_phase_name = phase;
   VMTRACE_PHASE(phase);
   getrusage(RUSAGE_SELF, &vmt_ru0);
}

static VMT_NOINLINE void vmt_end(void)
{
   getrusage(RUSAGE_SELF, &vmt_ru1);
   if (!vmt_under_valgrind())
      printf("ORACLE %s%s minflt=%ld majflt=%ld\n", vmt_role_prefix(), vmt_phase_name,
             vmt_ru1.ru_minflt - vmt_ru0.ru_minflt,
             vmt_ru1.ru_majflt - vmt_ru0.ru_majflt);
}

static VMT_NOINLINE void vmt_fact(const char *key, long value)
{
   if (!vmt_under_valgrind())
      printf("FACT %s%s=%ld\n", vmt_role_prefix(), key, value);
}

static VMT_NOINLINE void vmt_info_addr(const char *key, const void *addr)
{
   printf("INFO %s=%lu\n", key, (unsigned long)(uintptr_t)addr);
}

/* ---- placing mappings ------------------------------------------------- */

/* Returns an address A with A % align == skew such that the pages just
   before A and just after A+len are PROT_NONE (part of a reservation), so a
   mapping made at A with MAP_FIXED is never merged with a neighbour and
   sits exactly where the page arithmetic of a test needs it.  The rest of
   the reservation stays mapped PROT_NONE. */
static VMT_NOINLINE void *vmt_place(size_t len, size_t align, size_t skew)
{
   if (align < VMT_PAGE)
      align = VMT_PAGE;
   size_t rlen = len + align + 2 * VMT_PAGE;
   char *r = mmap(NULL, rlen, PROT_NONE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
   if (r == MAP_FAILED)
      vmt_die("reserve %zu bytes", rlen);
   uintptr_t a = ((uintptr_t)r + VMT_PAGE + align - 1) / align * align + skew;
   if (a - VMT_PAGE < (uintptr_t)r || a + len + VMT_PAGE > (uintptr_t)r + rlen) {
      a -= align;
      if (a - VMT_PAGE < (uintptr_t)r)
         vmt_die("vmt_place arithmetic");
   }
   return (void *)a;
}

static VMT_NOINLINE void *vmt_mmap_at(size_t len, size_t align, size_t skew,
                                      int prot, int flags, int fd, off_t off)
{
   void *a = vmt_place(len, align, skew);
   void *p = mmap(a, len, prot, flags | MAP_FIXED, fd, off);
   if (p != a)
      vmt_die("mmap at %p", a);
   return p;
}

/* A private anonymous read-write mapping of n pages, isolated by
   PROT_NONE neighbours. */
static inline void *vmt_anon(size_t npages)
{
   return vmt_mmap_at(npages * VMT_PAGE, VMT_PAGE, 0, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* ---- files -------------------------------------------------------------- */

/* Creates $TMPDIR/<name> (else /tmp/<name>) holding `bytes` bytes, written
   with one write() of at most 4096 bytes per page and fsync()ed, so every
   page is in the page cache, clean, uptodate and unlocked before anything
   maps it, and in an order-0 folio (ext4 allocates a folio no larger than
   the write that creates it).  Refuses tmpfs, which has no write-notify and
   whose files are shared memory.  The file is unlinked at once (the
   descriptor keeps it); returns the descriptor, open O_RDWR. */
#include <linux/magic.h>
#include <sys/vfs.h>

static VMT_NOINLINE int vmt_cached_file(const char *name, size_t bytes)
{
   const char *dir = getenv("TMPDIR");
   if (!dir || !*dir)
      dir = "/tmp";
   char path[4096];
   snprintf(path, sizeof path, "%s/%s", dir, name);
   int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
   if (fd < 0)
      vmt_die("open %s", path);
   struct statfs sfs;
   if (fstatfs(fd, &sfs) != 0)
      vmt_die("fstatfs %s", path);
   if (sfs.f_type == TMPFS_MAGIC && unlink(path) == 0)
      vmt_die("%s is on tmpfs; point TMPDIR at a disk filesystem such as ext4", dir);
   static char page[4096];
   for (size_t done = 0, i = 0; done < bytes; i++) {
      size_t n = bytes - done < sizeof page ? bytes - done : sizeof page;
      memset(page, 'a' + i % 26, sizeof page);
      if (write(fd, page, n) != (ssize_t)n)
         vmt_die("write %s", path);
      done += n;
   }
   if (fsync(fd) != 0)
      vmt_die("fsync %s", path);
   if (unlink(path) != 0)
      vmt_die("unlink %s", path);
   return fd;
}

/* ---- native observations --------------------------------------------- */

struct vmt_range_count {
   uintptr_t lo, hi;
   long n;
};

static void vmt_count_one(uintptr_t start, uintptr_t end, const char *perms,
                          const char *name, void *arg)
{
   struct vmt_range_count *c = arg;
   (void)perms;
   (void)name;
   if (start < c->hi && end > c->lo)
      c->n++;
}

/* Number of VMAs (lines of /proc/self/maps) overlapping [addr, addr+len).
   Natively only (-1 under Valgrind): there the maps include Valgrind's
   own mappings, which differ from run to run, and parsing them would make
   two runs of the same client execute different instructions. */
static VMT_NOINLINE long vmt_count_vmas(const void *addr, size_t len)
{
   if (vmt_under_valgrind())
      return -1;
   struct vmt_range_count c = {(uintptr_t)addr, (uintptr_t)addr + len, 0};
   vmt_each_map(vmt_count_one, &c);
   return c.n;
}

/* Resident pages of [addr, addr+len) as mincore reports them (the range
   must be mapped).  Natively only (-1 under Valgrind), like vmt_count_vmas. */
static VMT_NOINLINE long vmt_resident(const void *addr, size_t len)
{
   if (vmt_under_valgrind())
      return -1;
   static unsigned char vec[1 << 16];
   size_t n = (len + VMT_PAGE - 1) / VMT_PAGE;
   long res = 0;
   if (n > sizeof vec)
      vmt_die("vmt_resident: range too large");
   if (mincore((void *)addr, len, vec) != 0)
      vmt_die("mincore %p", addr);
   for (size_t i = 0; i < n; i++)
      res += vec[i] & 1;
   return res;
}

/* ---- processes ------------------------------------------------------------ */

#include <sys/wait.h>

/* After fork the pages vmt_init() prefaulted are shared copy-on-write:
   writes them again (and the stack below the caller), so that the steps
   that follow fault on the studied memory only.  Natively only. */
static VMT_NOINLINE void vmt_refault(void)
{
   if (vmt_under_valgrind())
      return;
   vmt_touch_stack();
   for (int i = 0; i < vmt_n_prefaulted; i++)
      for (uintptr_t a = vmt_prefaulted[i].start; a < vmt_prefaulted[i].end; a += VMT_PAGE) {
         volatile unsigned char *p = (volatile unsigned char *)a;
         *p = *p;
      }
}

/* fork(), then vmt_refault() in both processes.  The caller of the child
   names its role (vmt_set_role) and ends it with vmt_child_exit(). */
static VMT_NOINLINE pid_t vmt_fork(void)
{
   fflush(stdout);
   pid_t pid = fork();
   if (pid < 0)
      vmt_die("fork");
   vmt_refault();
   return pid;
}

static VMT_NOINLINE void vmt_child_exit(void)
{
   fflush(stdout);
   _exit(0);
}

/* Waits for the child; dies unless it exited with status 0. */
static VMT_NOINLINE void vmt_reap(pid_t pid)
{
   int st;
   if (waitpid(pid, &st, 0) != pid)
      vmt_die("waitpid");
   if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
      vmt_die("a child ended with wait status %#x", st);
}

/* A one-way signal between processes: a pipe, one byte per post. */
struct vmt_chan {
   int fd[2];
};

static VMT_NOINLINE void vmt_chan_open(struct vmt_chan *c)
{
   if (pipe(c->fd) != 0)
      vmt_die("pipe");
}

static VMT_NOINLINE void vmt_post(struct vmt_chan *c)
{
   char b = 'x';
   if (write(c->fd[1], &b, 1) != 1)
      vmt_die("write to a pipe");
}

static VMT_NOINLINE void vmt_wait(struct vmt_chan *c)
{
   char b;
   if (read(c->fd[0], &b, 1) != 1)
      vmt_die("read from a pipe");
}

/* How many of the n pages at addr have every bit of `bits` set in their
   /proc/self/pagemap entry (bit 63: present, the zero page included; bit
   56, PM_MMAP_EXCLUSIVE: mapped by this process only, its mapcount 1;
   readable without privileges).  Natively only (-1 under Valgrind). */
static VMT_NOINLINE long vmt_pagemap_count(const void *addr, size_t n, uint64_t bits)
{
   if (vmt_under_valgrind())
      return -1;
   static uint64_t ent[4096];
   if (n > sizeof ent / sizeof ent[0])
      vmt_die("vmt_pagemap_count: range too large");
   int fd = open("/proc/self/pagemap", O_RDONLY);
   if (fd < 0)
      vmt_die("open /proc/self/pagemap");
   off_t off = (off_t)((uintptr_t)addr / VMT_PAGE * sizeof ent[0]);
   if (pread(fd, ent, n * sizeof ent[0], off) != (ssize_t)(n * sizeof ent[0]))
      vmt_die("read /proc/self/pagemap");
   close(fd);
   long c = 0;
   for (size_t i = 0; i < n; i++)
      c += (ent[i] & bits) == bits;
   return c;
}

#define VMT_PM_PRESENT   (1ull << 63)
#define VMT_PM_EXCLUSIVE (1ull << 56)

/* Pages present and mapped by this process only. */
static inline long vmt_exclusive(const void *addr, size_t n)
{
   return vmt_pagemap_count(addr, n, VMT_PM_PRESENT | VMT_PM_EXCLUSIVE);
}

/* A figure of the VMA containing addr in /proc/self/smaps, in pages:
   "Rss", "Pss" (rounded down), or "Private" (Private_Clean +
   Private_Dirty, the pages only this process maps).  Natively only (-1
   under Valgrind). */
static VMT_NOINLINE long vmt_smaps_pages(const void *addr, const char *field)
{
   if (vmt_under_valgrind())
      return -1;
   static char buf[1024 * 1024];
   int fd = open("/proc/self/smaps", O_RDONLY);
   size_t len = 0;
   if (fd < 0)
      vmt_die("open /proc/self/smaps");
   for (;;) {
      ssize_t r = read(fd, buf + len, sizeof buf - 1 - len);
      if (r < 0)
         vmt_die("read /proc/self/smaps");
      if (r == 0)
         break;
      len += (size_t)r;
      if (len == sizeof buf - 1)
         vmt_die("/proc/self/smaps too large");
   }
   close(fd);
   buf[len] = 0;
   int in = 0;
   long kb = 0, found = 0;
   for (char *line = buf; *line;) {
      char *nl = strchr(line, '\n');
      if (nl)
         *nl = 0;
      unsigned long s, e;
      char key[64];
      long v;
      if (sscanf(line, "%lx-%lx ", &s, &e) == 2 && strchr(line, '-') < strchr(line, ' '))
         in = s <= (uintptr_t)addr && (uintptr_t)addr < e;
      else if (in && sscanf(line, "%63[^:]: %ld kB", key, &v) == 2) {
         if (strcmp(field, "Private") == 0 ? strncmp(key, "Private_", 8) == 0 &&
                                                  strcmp(key, "Private_Hugetlb") != 0
                                            : strcmp(key, field) == 0) {
            kb += v;
            found = 1;
         }
      }
      if (!nl)
         break;
      line = nl + 1;
   }
   if (!found)
      vmt_die("smaps: no %s figure for %p", field, addr);
   return kb / 4;
}

#endif /* VMTEST_H */
