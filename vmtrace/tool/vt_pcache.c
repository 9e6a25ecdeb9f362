/* vt_pcache.c: --page-cache=machine.  The first time a process meets a
   regular file (its mmap, read or write, or the loader's mapping of the
   program and its interpreter), vmtrace-pcache (host/pcache.c, installed
   beside the tool) says which of its pages the machine's page cache holds
   then, in which folios, and its disk's readahead window; the model starts
   the file from that (vt_file_cached, vt_file_ra_pages), and from there on
   it is a cold file: a page not cached is read, with readahead.

   The probe runs as its own process, before the call the client makes
   (which may bring pages in).  It goes through VG_(system), which keeps
   its SIGCHLD from the client; its output comes back through a file the
   tool made and unlinked at once, reopened by the shell as
   /proc/PID/fd/N, so that nothing is left behind.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_vki.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_mallocfree.h"
#include "vt_tool.h"

#define HELPER "vmtrace-pcache"

static HChar *helper_path;
static Bool warned[2];        /* ORDERS -1 and 0 said once */
static UInt nr_probes;

/* At startup, under --page-cache=machine: the probe must be there. */
void vt_pcache_init(void)
{
   if (!vt_clo.machine_cache)
      return;
   SizeT n = VG_(strlen)(VG_(libdir)) + sizeof HELPER + 1;
   helper_path = VG_(malloc)("vt.pcache", n);
   VG_(snprintf)(helper_path, n, "%s/" HELPER, VG_(libdir));
   struct vg_stat st;
   if (sr_isError(VG_(stat)(helper_path, &st)) || !VKI_S_ISREG(st.mode) ||
       !(st.mode & 0111)) {
      VG_(fmsg)("--page-cache=machine needs %s, which is not there (install vmtrace "
                "with 'make install')\n", helper_path);
      VG_(exit)(1);
   }
}

/* s, single-quoted for the shell, in a new buffer. */
static HChar *quote(const HChar *s)
{
   HChar *out = VG_(malloc)("vt.pcache.q", 4 * VG_(strlen)(s) + 3), *o = out;
   *o++ = '\'';
   for (; *s; s++) {
      if (*s == '\'') {
         VG_(memcpy)(o, "'\\''", 4);
         o += 4;
      } else {
         *o++ = *s;
      }
   }
   *o++ = '\'';
   *o = 0;
   return out;
}

/* Filesystems whose files have no page cache of their own to ask about
   (made as they are read, or not data): their files are not probed, and
   taken as --page-cache=warm takes every file. */
static const HChar *const pseudo_types[] = {
   "proc", "sysfs", "cgroup", "cgroup2", "debugfs", "tracefs", "securityfs", "configfs",
   "bpf", "pstore", "efivarfs", "fusectl", "devpts", "binfmt_misc", "mqueue", "nsfs",
   "rpc_pipefs", "selinuxfs", "autofs"
};

/* What the tool knows of a device: its disk's readahead window, in pages
   (its bdi's read_ahead_kb / 4, a partition's its disk's; --readahead's
   if given or the disk cannot be told), and whether its filesystem is
   one of those above.  Kept per device. */
struct dev_facts {
   ULong dev;
   UInt  ra;
   Bool  pseudo;
};

static const struct dev_facts *facts_of(ULong dev)
{
   static struct dev_facts seen[16];
   static UInt nr_seen, next;
   for (UInt i = 0; i < nr_seen; i++)
      if (seen[i].dev == dev)
         return &seen[i];
   struct dev_facts *d = &seen[nr_seen < 16 ? nr_seen++ : next++ % 16];
   d->dev = dev;
   d->ra = vt_clo.readahead_pages;
   d->pseudo = False;
   HChar type[32];
   if (vt_fs_type(dev, type, sizeof type))
      for (UInt i = 0; i < sizeof pseudo_types / sizeof *pseudo_types; i++)
         d->pseudo |= VG_(strcmp)(type, pseudo_types[i]) == 0;
   if (vt_clo.readahead_arg || d->pseudo)
      return d;
   /* the kernel's encoding of a device number, as vt_fs_type reads it */
   ULong major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffULL);
   ULong minor = (dev & 0xff) | ((dev >> 12) & ~0xffULL);
   const HChar *fmt[] = { "/sys/class/bdi/%llu:%llu/read_ahead_kb",
                          "/sys/dev/block/%llu:%llu/queue/read_ahead_kb",
                          "/sys/dev/block/%llu:%llu/../queue/read_ahead_kb" };
   for (UInt i = 0; i < sizeof fmt / sizeof *fmt; i++) {
      HChar path[96], *end;
      VG_(snprintf)(path, sizeof path, fmt[i], major, minor);
      HChar *buf = vt_read_whole(path, "vt.pcache.ra");
      if (!buf)
         continue;
      Long kb = VG_(strtoll10)(buf, &end);
      Bool ok = end != buf && kb >= 0 && kb / 4 <= 65536;
      VG_(free)(buf);
      if (ok) {
         d->ra = (UInt)(kb / 4);
         break;
      }
   }
   return d;
}

UInt vt_pcache_disk_ra(ULong dev)
{
   return facts_of(dev)->ra;
}

/* Runs the probe on file; its output (stdout and stderr), NUL-ended, in a
   buffer the caller frees; NULL if it could not be run. */
static HChar *run_probe(const HChar *file)
{
   const HChar *tmpdir = VG_(getenv)("TMPDIR");
   if (!tmpdir || !*tmpdir)
      tmpdir = "/tmp";
   HChar name[512];
   Int fd = -1;
   for (UInt tries = 0; fd < 0 && tries < 100; tries++) {
      VG_(snprintf)(name, sizeof name, "%s/vmtrace-pcache.%d.%u", tmpdir, VG_(getpid)(),
                    nr_probes++);
      SysRes r = VG_(open)(name, VKI_O_RDWR | VKI_O_CREAT | VKI_O_EXCL | 02000000 /* O_CLOEXEC */, 0600);
      if (!sr_isError(r))
         fd = (Int)sr_Res(r);
      else if (sr_Err(r) != VKI_EEXIST)
         break;
   }
   if (fd < 0)
      return NULL;
   VG_(unlink)(name);
   HChar *qh = quote(helper_path), *qf = quote(file);
   SizeT len = VG_(strlen)(qh) + VG_(strlen)(qf) + 64;
   HChar *cmd = VG_(malloc)("vt.pcache.cmd", len);
   VG_(snprintf)(cmd, len, "exec %s %s >/proc/%d/fd/%d 2>&1", qh, qf, VG_(getpid)(), fd);
   (void)VG_(system)(cmd);           /* its output says how it went */
   VG_(free)(cmd);
   VG_(free)(qf);
   VG_(free)(qh);
   HChar *buf = NULL;
   Long size = VG_(lseek)(fd, 0, VKI_SEEK_END);
   if (size > 0 && size < (1L << 30) && VG_(lseek)(fd, 0, VKI_SEEK_SET) == 0) {
      buf = VG_(malloc)("vt.pcache.out", (SizeT)size + 1);
      Long got = 0;
      while (got < size) {
         Int n = VG_(read)(fd, buf + got, (Int)(size - got > (1 << 24) ? 1 << 24 : size - got));
         if (n <= 0)
            break;
         got += n;
      }
      buf[got] = 0;
   }
   VG_(close)(fd);
   return buf;
}

static Bool number(HChar **p, Long *v)
{
   while (**p == ' ')
      (*p)++;
   HChar *start = *p;
   *v = VG_(strtoll10)(start, p);
   return *p != start;
}

static void failed(const HChar *path, const HChar *why)
{
   VG_(umsg)("Warning: --page-cache=machine: cannot see which pages of %s are cached (%s); "
             "taken as all, as --page-cache=warm does\n", path, why);
}

/* The file (dev, ino), size bytes, wholly cached in order-0 folios, as
   the warm page cache has every file. */
static void as_warm(ULong dev, ULong ino, const HChar *path, ULong size)
{
   ULong pages = (size + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT;
   if (pages)
      VT_BOTH(vt_file_cached, dev, ino, path, size, 0, pages, 0, 0);
}

/* The machine's page cache of the regular file (dev, ino) at path, size
   bytes long, read from probe (what the shell may open: /proc/PID/fd/N,
   or the path). */
static void probe(ULong dev, ULong ino, const HChar *path, ULong size, const HChar *file)
{
   const struct dev_facts *d = facts_of(dev);
   UInt ra = d->ra;
   if (size == 0 || d->pseudo) {
      /* nothing to be cached (a program that writes many new files
         meets each empty), or nothing to ask */
      VT_BOTH(vt_file_ra_pages, dev, ino, path, size, ra);
      if (d->pseudo)
         as_warm(dev, ino, path, size);
      return;
   }
   HChar *out = run_probe(file);
   HChar *p = out;
   Long v[6];
   Bool ok = out && VG_(strncmp)(p, HELPER " 1", sizeof HELPER + 1) == 0;
   if (ok) {
      p += sizeof HELPER + 1;
      for (UInt i = 0; i < 5 && ok; i++)
         ok = number(&p, &v[i]);
      ok = ok && *p == '\n' && v[4] >= -1 && v[4] <= 1 && (ULong)v[0] == dev && (ULong)v[1] == ino;
   }
   if (!ok) {
      HChar why[160];
      if (out && VG_(strncmp)(out, HELPER ": ", sizeof HELPER + 1) == 0) {
         HChar *nl = VG_(strchr)(out, '\n');
         if (nl)
            *nl = 0;
         VG_(snprintf)(why, sizeof why, "%s", out + sizeof HELPER + 1);
      } else {
         VG_(snprintf)(why, sizeof why, out ? "%s said something else" : "%s did not run",
                       helper_path);
      }
      failed(path, why);
      VT_BOTH(vt_file_ra_pages, dev, ino, path, size, ra);
      as_warm(dev, ino, path, size);
      if (out)
         VG_(free)(out);
      return;
   }
   /* the runs, checked whole before any is taken */
   ULong pages = (size + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT;
   HChar *runs = ++p;
   while (ok && *p && VG_(strncmp)(p, "end\n", 4) != 0) {
      for (UInt i = 0; i < 4 && ok; i++)
         ok = number(&p, &v[i]);
      ok = ok && *p++ == '\n' && v[0] >= 0 && v[1] > 0 && v[2] >= 0 && v[2] <= VT_PMD_ORDER &&
           (ULong)v[0] < pages && v[3] >= 0 && v[3] <= 3;
   }
   VT_BOTH(vt_file_ra_pages, dev, ino, path, size, ra);
   if (!ok || VG_(strncmp)(p, "end\n", 4) != 0) {
      failed(path, "its probe's output was cut short or garbled");
      as_warm(dev, ino, path, size);
      VG_(free)(out);
      return;
   }
   if (v[4] <= 0 && !warned[v[4] + 1]) {
      warned[v[4] + 1] = True;
      if (v[4] == 0)
         VG_(umsg)("Warning: --page-cache=machine: the page cache's folios are root's to read "
                   "(/proc/kpageflags): those larger than the 16-page fault-around window "
                   "are seen from what a fault maps, smaller ones taken as pages, "
                   "PG_readahead marks not seen\n");
      else
         VG_(umsg)("Warning: --page-cache=machine: which pages of a file are cached is "
                   "known only of files the user owns or may write (mincore); the others "
                   "are taken as wholly cached, in order-0 folios, as "
                   "--page-cache=warm does (first: %s)\n", path);
   }
   if (v[4] < 0)
      as_warm(dev, ino, path, size);
   for (p = runs; VG_(strncmp)(p, "end\n", 4) != 0; p++) {
      Long r[4];
      for (UInt i = 0; i < 4; i++)
         number(&p, &r[i]);
      VT_BOTH(vt_file_cached, dev, ino, path, size, (ULong)r[0], (ULong)r[1], (UInt)r[2],
              (UInt)r[3]);
   }
   VG_(free)(out);
}

/* The process meets the file open as fd (its mmap, read or write):
   probed if it is a regular file the model does not know yet. */
void vt_pcache_meet_fd(Int fd)
{
   struct vg_stat st;
   HChar path[1024], file[64];
   vt_u64 pages;
   bool shmem;
   if (!vt_clo.machine_cache || fd < 0 || VG_(fstat)(fd, &st) != 0 || !VKI_S_ISREG(st.mode) ||
       vt_file_known(&vt_mm, st.dev, st.ino, &pages, &shmem))
      return;
   if (!vt_fd_path(fd, path, sizeof path))
      VG_(snprintf)(path, sizeof path, "(unknown file)");
   if (vt_shmem_file(path, st.dev))
      return;
   VG_(snprintf)(file, sizeof file, "/proc/%d/fd/%d", VG_(getpid)(), fd);
   probe(st.dev, st.ino, path, st.size, file);
}

/* The loader mapped the file at path (the program, its interpreter). */
void vt_pcache_meet_path(const HChar *path)
{
   struct vg_stat st;
   vt_u64 pages;
   bool shmem;
   if (!vt_clo.machine_cache || !path || sr_isError(VG_(stat)(path, &st)) ||
       !VKI_S_ISREG(st.mode) || vt_shmem_file(path, st.dev) ||
       vt_file_known(&vt_mm, st.dev, st.ino, &pages, &shmem))
      return;
   probe(st.dev, st.ino, path, st.size, path);
}
