/* vt_out.c: the tool's one writer of output files (the vmtrace.out JSON
   file, the Cachegrind-format file).  A buffer over a descriptor whose
   every write is checked (VgFile, used until 2026-12-06, drops write
   errors: --vmtrace-out-file=/dev/full said "Output: /dev/full"); the
   file is written under a temporary name and renamed into place only once
   every byte reached the disk, so a failed write (a full disk, the client's
   RLIMIT_FSIZE) leaves no truncated file behind but an error in the log;
   a file written in place (a device, a FIFO) says its error too.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_vki.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_options.h"
#include "vt_tool.h"
#include "vt_fdname.h"                  /* vt_fd_name */

struct vt_out {
   Int     fd;
   HChar  *name, *tmp;      /* tmp: NULL when written in place */
   HChar  *shown;           /* the name the user gave */
   ULong   bytes;           /* handed to the writer so far */
   UWord   err;             /* the first write's error number, 0 if none */
   UInt    n;               /* bytes in buf */
   HChar   buf[1 << 16];
};

/* What an error number of a file operation means, for messages. */
const HChar *vt_errno_text(UWord err)
{
   switch (err) {
   case VKI_ENOENT: return "no such file or directory";
   case VKI_ENOTDIR: return "not a directory";
   case VKI_EISDIR: return "is a directory";
   case VKI_EACCES: return "permission denied";
   case VKI_EPERM: return "operation not permitted";
   case VKI_EROFS: return "read-only file system";
   case VKI_ENOSPC: return "no space left on device";
   case 122: return "disk quota exceeded";                 /* EDQUOT */
   case VKI_EFBIG: return "file too large";
   case VKI_EEXIST: return "file exists";
   case VKI_EPIPE: return "broken pipe";
   case VKI_EIO: return "input/output error";
   case 36: return "file name too long";                   /* ENAMETOOLONG */
   default: return "error";
   }
}

/* Where an output file really goes.  A symbolic link is followed, so the
   file it names is replaced and the link kept.  A name that exists and is
   not a regular file (/dev/null, a FIFO, a terminal, /dev/stdout on a
   pipe, whose link reads "pipe:[N]", no path) is written in place
   (*in_place): a rename onto it would replace it, and as root that turns
   /dev/null into a plain file for every program on the machine.  So is a
   descriptor named by /proc or /dev/fd (/dev/stdout redirected to a
   file): the file is open, and renaming a new one over it would lose what
   the client wrote to it.  vt_out_open appends to what is written in place. */
HChar *vt_out_target(const HChar *name, Bool *in_place)
{
   HChar *path = VG_(strdup)("vt.out", name);
   struct vg_stat st;
   for (Int depth = 0; depth < 40; depth++) {
      if ((!sr_isError(VG_(stat)(path, &st)) && !VKI_S_ISREG(st.mode)) || vt_fd_name(path)) {
         *in_place = True;
         return path;
      }
      HChar link[4096];
      SSizeT n = VG_(readlink)(path, link, sizeof link - 1);
      if (n <= 0)
         break;
      link[n] = 0;
      const HChar *slash = VG_(strrchr)(path, '/');
      SizeT dir = link[0] == '/' || !slash ? 0 : (SizeT)(slash - path) + 1;
      HChar *next = VG_(malloc)("vt.out", dir + (SizeT)n + 1);
      VG_(memcpy)(next, path, dir);
      VG_(strcpy)(next + dir, link);
      VG_(free)(path);
      path = next;
   }
   *in_place = !sr_isError(VG_(stat)(path, &st)) && !VKI_S_ISREG(st.mode);
   return path;
}

/* ---- temporary files a killed process left --------------------------- */

/* s[0..n) is one or more decimal digits. */
static Bool all_digits(const HChar *s, SizeT n)
{
   if (n == 0)
      return False;
   for (SizeT i = 0; i < n; i++)
      if (!VG_(isdigit)(s[i]))
         return False;
   return True;
}

/* s[0..n) is what `pat` (a file name component of an option's pattern)
   expands to with `pid` for every %p; "%%" is '%'; any other % (%q{VAR})
   matches nothing. */
static Bool pattern_is(const HChar *pat, const HChar *s, SizeT n, const HChar *pid)
{
   SizeT k = 0, np = VG_(strlen)(pid);
   for (; *pat; pat++) {
      if (pat[0] == '%' && pat[1] == 'p') {
         if (k + np > n || VG_(strncmp)(s + k, pid, np) != 0)
            return False;
         k += np;
         pat++;
      } else if (pat[0] == '%' && pat[1] == '%') {
         if (k >= n || s[k] != '%')
            return False;
         k++;
         pat++;
      } else if (pat[0] == '%') {
         return False;
      } else {
         if (k >= n || s[k] != *pat)
            return False;
         k++;
      }
   }
   return k == n;
}

/* Whether `name` (a file in the output's folder) is a temporary file the
   tool writes for this output: BASE.tmp.PID or BASE.execN.tmp.PID (an
   image that called execve), BASE the output's name or, for a pattern
   with %p in its last component, that component expanded with PID (the
   process that wrote it wrote its own pid in both). Sets pid. */
static Bool our_tmp(const HChar *name, const HChar *base, const HChar *pat, HChar *pid,
                    SizeT pidsize)
{
   const HChar *t = NULL;
   for (const HChar *q = VG_(strstr)(name, ".tmp."); q; q = VG_(strstr)(q + 1, ".tmp."))
      t = q;
   if (!t || !all_digits(t + 5, VG_(strlen)(t + 5)) || VG_(strlen)(t + 5) >= pidsize)
      return False;
   VG_(strcpy)(pid, t + 5);
   SizeT n = (SizeT)(t - name);
   for (Int pass = 0; pass < 2; pass++) {
      if (pass == 1) {                          /* without .execN */
         const HChar *e = NULL;
         for (const HChar *q = VG_(strstr)(name, ".exec"); q && q < t;
              q = VG_(strstr)(q + 1, ".exec"))
            e = q;
         if (!e || !all_digits(e + 5, (SizeT)(t - e - 5)))
            return False;
         n = (SizeT)(e - name);
      }
      if (VG_(strlen)(base) == n && VG_(strncmp)(name, base, n) == 0)
         return True;
      if (pat && pattern_is(pat, name, n, pid))
         return True;
   }
   return False;
}

/* The whole of a file that has no size to read ahead of time (a /proc
   file), NUL-terminated, in memory from VG_(malloc) under cost centre cc;
   NULL if it cannot be opened. */
HChar *vt_read_whole(const HChar *path, const HChar *cc)
{
   SysRes sr = VG_(open)(path, VKI_O_RDONLY, 0);
   if (sr_isError(sr))
      return NULL;
   Int fd = (Int)sr_Res(sr);
   SizeT cap = 16384, len = 0;
   HChar *buf = VG_(malloc)(cc, cap);
   for (;;) {
      if (len + 4096 + 1 > cap) {
         cap *= 2;
         buf = VG_(realloc)(cc, buf, cap);
      }
      Int n = VG_(read)(fd, buf + len, 4096);
      if (n <= 0)
         break;
      len += (SizeT)n;
   }
   VG_(close)(fd);
   buf[len] = 0;
   return buf;
}

/* The type of the filesystem on device dev (a stat's st_dev), as
   /proc/self/mountinfo names it ("ext4", "xfs", "tmpfs", ...), in type
   (n bytes); False if no mount of it is listed there (memfd's and other
   internal mounts are not) or mountinfo cannot be read.  Known per
   device, looked up once (the last 16 devices asked about). */
static Bool fs_type_read(ULong dev, HChar *type, SizeT n);

Bool vt_fs_type(ULong dev, HChar *type, SizeT n)
{
   static struct { ULong dev; Bool found; HChar type[32]; } known[16];
   static UInt nr_known, next;
   UInt i;
   for (i = 0; i < nr_known && known[i].dev != dev; i++)
      ;
   if (i == nr_known) {
      i = nr_known < 16 ? nr_known++ : next++ % 16;
      known[i].dev = dev;
      known[i].found = fs_type_read(dev, known[i].type, sizeof known[i].type);
   }
   if (!known[i].found || n == 0)
      return False;
   VG_(strncpy)(type, known[i].type, n - 1);
   type[n - 1] = 0;
   return True;
}

static Bool fs_type_read(ULong dev, HChar *type, SizeT n)
{
   ULong major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffULL);
   ULong minor = (dev & 0xff) | ((dev >> 12) & ~0xffULL);
   HChar want[48];
   VG_(snprintf)(want, sizeof want, " %llu:%llu ", major, minor);
   HChar *buf = vt_read_whole("/proc/self/mountinfo", "vt.fstype");
   if (!buf)
      return False;
   Bool found = False;
   for (HChar *line = buf; line && *line && !found;) {
      HChar *nl = VG_(strchr)(line, '\n');
      if (nl)
         *nl = 0;
      /* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [FIELDS] - FSTYPE ..." */
      const HChar *at = VG_(strstr)(line, want);
      const HChar *sep = VG_(strstr)(line, " - ");
      if (at && sep && at < sep) {
         const HChar *t = sep + 3;
         SizeT tl = 0;
         while (t[tl] && t[tl] != ' ' && tl + 1 < n) {
            type[tl] = t[tl];
            tl++;
         }
         type[tl] = 0;
         found = True;
      }
      line = nl ? nl + 1 : NULL;
   }
   VG_(free)(buf);
   return found;
}

/* Whether the folder `dir` is on a filesystem of this machine alone (by
   its device's type: ext4, XFS, Btrfs, tmpfs, ...).  On one that other
   machines share (NFS, CIFS, a cluster or FUSE filesystem), or one not
   known, a pid names no process here: a run on another machine may be
   writing what looks abandoned. */
static Bool local_fs(const HChar *dir)
{
   static const HChar *const local[] = { "ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs",
      "overlay", "f2fs", "zfs", "ramfs", "bcachefs", "jfs", "reiserfs", NULL };
   struct vg_stat st;
   HChar type[32];
   if (sr_isError(VG_(stat)(dir, &st)) || !vt_fs_type(st.dev, type, sizeof type))
      return False;
   for (Int i = 0; local[i]; i++)
      if (VG_(strcmp)(type, local[i]) == 0)
         return True;
   return False;
}

/* Removes the temporary files of an output (NAME.tmp.PID, see vt_out_open
   and the trace's writer) that a process killed while writing left beside
   it: SIGKILL ends it before any clean-up, and pub_tool has no O_TMPFILE
   and linkat, with which the host programs leave nothing (vmtrace/host/
   path.c).  Called at start, before the client runs, for each output:
   target is its name for this run (links followed), template the option's
   pattern.  Only a regular file whose name is exactly of the form the tool
   writes for this output (our_tmp) is removed, and only when its PID is not
   a process (no /proc/PID): a run still writing keeps its own.  Nothing is
   removed when /proc is not there to tell; another run's name (a pattern
   with %p) only on a filesystem of this machine alone (local_fs).  Each
   removal is logged. */
void vt_out_sweep(const HChar *target, const HChar *template)
{
   struct vg_stat st;
   if (sr_isError(VG_(stat)("/proc/self", &st)))
      return;
   const HChar *slash = VG_(strrchr)(target, '/');
   SizeT dlen = slash ? (SizeT)(slash - target) : 0;
   HChar *dir = VG_(malloc)("vt.sweep", dlen + 2);
   if (slash) {
      VG_(memcpy)(dir, target, dlen ? dlen : 1);
      dir[dlen ? dlen : 1] = 0;
   } else {
      VG_(strcpy)(dir, ".");
   }
   const HChar *base = slash ? slash + 1 : target;
   const HChar *tslash = VG_(strrchr)(template, '/');
   const HChar *pat = tslash ? tslash + 1 : template;
   /* Another run's name (%p) only where no other machine writes: this
      run's own name, clashing with a run elsewhere, would clash anyway. */
   if (!VG_(strstr)(pat, "%p") || !local_fs(dir))
      pat = NULL;
   SysRes sr = VG_(open)(dir, VKI_O_RDONLY | 0200000 /* O_DIRECTORY */, 0);
   if (sr_isError(sr)) {
      VG_(free)(dir);
      return;
   }
   Int fd = (Int)sr_Res(sr);
   static HChar buf[8192];
   for (;;) {
      Int got = VG_(getdents64)(fd, (struct vki_dirent64 *)buf, sizeof buf);
      if (got <= 0)
         break;
      for (Int off = 0; off < got;) {
         struct vki_dirent64 *e = (struct vki_dirent64 *)(buf + off);
         off += e->d_reclen;
         HChar pid[16], proc[32];
         if ((e->d_type != 8 /* DT_REG */ && e->d_type != 0 /* DT_UNKNOWN */) ||
             !our_tmp(e->d_name, base, pat, pid, sizeof pid))
            continue;
         VG_(snprintf)(proc, sizeof proc, "/proc/%s", pid);
         if (!sr_isError(VG_(stat)(proc, &st)))
            continue;                 /* its process is there: still writing */
         SizeT n = VG_(strlen)(dir) + VG_(strlen)(e->d_name) + 2;
         HChar *path = VG_(malloc)("vt.sweep", n);
         VG_(snprintf)(path, n, "%s/%s", dir, e->d_name);
         if (!sr_isError(VG_(stat)(path, &st)) && VKI_S_ISREG(st.mode) &&
             VG_(unlink)(path) == 0) {
            HChar shown[1024];
            VG_(umsg)("removed '%s': a partial output of process %s, which is no longer "
                      "running\n", vt_log_name(path, shown, sizeof shown), pid);
         }
         VG_(free)(path);
      }
   }
   VG_(close)(fd);
   VG_(free)(dir);
}

struct vt_out *vt_out_open(const HChar *name, const HChar *what)
{
   Bool in_place;
   HChar *target = vt_out_target(name, &in_place);
   HChar *tmp = NULL;
   SysRes sr;
   if (in_place) {
      sr = VG_(open)(target, VKI_O_WRONLY | VKI_O_APPEND, 0);
   } else {
      SizeT n = VG_(strlen)(target) + 32;
      tmp = VG_(malloc)("vt.out", n);
      VG_(snprintf)(tmp, n, "%s.tmp.%d", target, VG_(getpid)());
      sr = VG_(open)(tmp, VKI_O_CREAT | VKI_O_TRUNC | VKI_O_WRONLY, 0644);
   }
   if (sr_isError(sr)) {
      VG_(umsg)("error: cannot create %s '%s' (%s)\n", what, name,
                vt_errno_text(sr_Err(sr)));
      VG_(free)(tmp);
      VG_(free)(target);
      return NULL;
   }
   struct vt_out *o = VG_(malloc)("vt.out", sizeof *o);
   o->fd = (Int)sr_Res(sr);
   o->name = target;
   o->tmp = tmp;
   o->shown = VG_(strdup)("vt.out", name);
   o->bytes = 0;
   o->err = 0;
   o->n = 0;
   return o;
}

/* The buffer to the descriptor; the first error stops the writing. */
static void out_flush(struct vt_out *o)
{
   const HChar *p = o->buf;
   UInt left = o->n;
   while (left && !o->err) {
      Int w = VG_(write)(o->fd, p, (Int)left);
      if (w <= 0) {
         o->err = w < 0 ? (UWord)-w : VKI_EIO;
         break;
      }
      p += w;
      left -= (UInt)w;
   }
   o->n = 0;
}

static void out_char(HChar c, void *p)
{
   struct vt_out *o = p;
   if (o->n == sizeof o->buf)
      out_flush(o);
   o->buf[o->n++] = c;
   o->bytes++;
}

void vt_out_str(struct vt_out *o, const HChar *s)
{
   SizeT len = VG_(strlen)(s);
   o->bytes += len;
   while (len) {
      if (o->n == sizeof o->buf)
         out_flush(o);
      SizeT k = sizeof o->buf - o->n < len ? sizeof o->buf - o->n : len;
      VG_(memcpy)(o->buf + o->n, s, k);
      o->n += (UInt)k;
      s += k;
      len -= k;
   }
}

void vt_out_fmt(struct vt_out *o, const HChar *fmt, ...)
{
   va_list vargs;
   va_start(vargs, fmt);
   VG_(vcbprintf)(out_char, o, fmt, vargs);
   va_end(vargs);
}

/* A JSON string: quotes and backslashes escaped, control characters as
   \u00XX, and each byte that is not part of valid UTF-8 as \u00XX too (its
   value as a code point), so the file is valid JSON and UTF-8 whatever the
   client names its files, labels and phases. */
void vt_out_json_str(struct vt_out *o, const HChar *s)
{
   HChar buf[256];
   UInt n = 0;
   buf[n++] = '"';
   while (s && *s) {
      if (n > sizeof buf - 8) {
         buf[n] = 0;
         vt_out_str(o, buf);
         n = 0;
      }
      UChar ch = (UChar)*s;
      SizeT len = vt_utf8_len((const UChar *)s);
      if (ch == '"' || ch == '\\') {
         buf[n++] = '\\';
         buf[n++] = (HChar)ch;
      } else if (ch < 0x20 || ch == 0x7f || len == 0) {
         n += VG_(sprintf)(buf + n, "\\u%04x", ch);
      } else {
         for (SizeT i = 0; i < len; i++)
            buf[n++] = s[i];
         s += len;
         continue;
      }
      s++;
   }
   buf[n++] = '"';
   buf[n] = 0;
   vt_out_str(o, buf);
}

/* The file one process image writes for an option's pattern (%p and
   %q{VAR} expanded): NAME, or, for an image that calls execve, NAME.execN
   (N = 1, 2, ...: the first not taken), leaving NAME to the program the
   process becomes.  The output file, the trace and their kin agree so. */
HChar *vt_image_file_name(const HChar *option, const HChar *pattern, Bool exec)
{
   HChar *name = VG_(expand_file_name)(option, pattern);
   Bool in_place = False;
   HChar *target = exec ? vt_out_target(name, &in_place) : NULL;
   VG_(free)(target);
   if (!exec || in_place)            /* /dev/null stays /dev/null */
      return name;
   SizeT n = VG_(strlen)(name) + 32;
   HChar *ename = VG_(malloc)("vt.out", n);
   for (UInt k = 1;; k++) {
      struct vg_stat st;
      VG_(snprintf)(ename, n, "%s.exec%u", name, k);
      if (sr_isError(VG_(stat)(ename, &st)))
         break;
   }
   VG_(free)(name);
   return ename;
}

/* name made fit for a terminal: control characters (escape sequences
   included) and bytes that are not UTF-8 as \xNN. */
const HChar *vt_log_name(const HChar *name, HChar *buf, SizeT size)
{
   SizeT n = 0;
   for (const HChar *s = name; s && *s && n + 5 < size;) {
      UChar ch = (UChar)*s;
      SizeT len = vt_utf8_len((const UChar *)s);
      if (ch < 0x20 || ch == 0x7f || len == 0 ||
          (len == 2 && ch == 0xc2 && (UChar)s[1] < 0xa0)) {   /* C1 controls */
         n += VG_(sprintf)(buf + n, "\\x%02x", ch);
         s++;
         continue;
      }
      for (SizeT i = 0; i < len; i++)
         buf[n++] = s[i];
      s += len;
   }
   buf[n] = 0;
   return buf;
}

/* "key": [v0,v1,...] (without key: the array alone). */
void vt_out_u64s(struct vt_out *o, const HChar *key, const vt_u64 *v, UInt n)
{
   if (key)
      vt_out_fmt(o, "\"%s\": [", key);
   else
      vt_out_str(o, "[");
   for (UInt i = 0; i < n; i++)
      vt_out_fmt(o, i ? ",%llu" : "%llu", v[i]);
   vt_out_str(o, "]");
}

/* Closes the file and moves it into place; False (with an error in the log,
   and no file left) if not every byte was written. */
Bool vt_out_close(struct vt_out *o, const HChar *what)
{
   out_flush(o);
   VG_(close)(o->fd);
   Bool ok = o->err == 0;
   if (o->tmp) {
      struct vg_stat st;
      ULong size = sr_isError(VG_(stat)(o->tmp, &st)) ? 0 : (ULong)st.size;
      ok = ok && size == o->bytes && VG_(rename)(o->tmp, o->name) == 0;
      if (!ok) {
         VG_(umsg)("error: writing %s '%s' failed (%llu of %llu bytes written%s%s): "
                   "no file left\n", what, o->shown, size, o->bytes, o->err ? ": " : "",
                   o->err ? vt_errno_text(o->err) : "");
         VG_(unlink)(o->tmp);
      }
   } else if (!ok) {
      VG_(umsg)("error: writing %s '%s' failed (%s)\n", what, o->shown,
                vt_errno_text(o->err));
   }
   VG_(free)(o->name);
   VG_(free)(o->tmp);
   VG_(free)(o->shown);
   VG_(free)(o);
   return ok;
}
