/* vt_out.c: the tool's one writer of output files (the vmtrace.out JSON
   file, the Cachegrind-format file).  Valgrind's VgFile underneath; the
   file is written under a temporary name and renamed into place only once
   every byte reached the disk, so a failed write (a full disk, the client's
   RLIMIT_FSIZE) leaves no truncated file behind but an error in the log.
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

struct vt_out {
   VgFile *fp;
   HChar  *name, *tmp;      /* tmp: NULL when written in place */
   HChar  *shown;           /* the name the user gave */
   ULong   bytes;           /* handed to VgFile so far */
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
   case 36: return "file name too long";                   /* ENAMETOOLONG */
   default: return "error";
   }
}

/* A process's descriptor by name: /proc/self/fd/N, /proc/PID/fd/N,
   /proc/thread-self/fd/N, /dev/fd/N (where /dev/stdout and /dev/stderr
   lead). */
static Bool fd_name(const HChar *path)
{
   if (VG_(strncmp)(path, "/dev/fd/", 8) == 0)
      return True;
   if (VG_(strncmp)(path, "/proc/", 6) != 0)
      return False;
   const HChar *p = path + 6;
   if (VG_(strncmp)(p, "self/", 5) == 0)
      p += 5;
   else if (VG_(strncmp)(p, "thread-self/", 12) == 0)
      p += 12;
   else {
      if (*p < '0' || *p > '9')
         return False;
      while (*p >= '0' && *p <= '9')
         p++;
      if (*p++ != '/')
         return False;
   }
   return VG_(strncmp)(p, "fd/", 3) == 0;
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
      if ((!sr_isError(VG_(stat)(path, &st)) && !VKI_S_ISREG(st.mode)) || fd_name(path)) {
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

struct vt_out *vt_out_open(const HChar *name, const HChar *what)
{
   Bool in_place;
   HChar *target = vt_out_target(name, &in_place);
   HChar *tmp = NULL;
   VgFile *fp;
   if (in_place) {
      fp = VG_(fopen)(target, VKI_O_WRONLY | VKI_O_APPEND, 0);
   } else {
      SizeT n = VG_(strlen)(target) + 32;
      tmp = VG_(malloc)("vt.out", n);
      VG_(snprintf)(tmp, n, "%s.tmp.%d", target, VG_(getpid)());
      fp = VG_(fopen)(tmp, VKI_O_CREAT | VKI_O_TRUNC | VKI_O_WRONLY, 0644);
   }
   if (!fp) {
      VG_(umsg)("error: cannot create %s '%s'\n", what, name);
      VG_(free)(tmp);
      VG_(free)(target);
      return NULL;
   }
   struct vt_out *o = VG_(malloc)("vt.out", sizeof *o);
   o->fp = fp;
   o->name = target;
   o->tmp = tmp;
   o->shown = VG_(strdup)("vt.out", name);
   o->bytes = 0;
   return o;
}

void vt_out_str(struct vt_out *o, const HChar *s)
{
   o->bytes += VG_(fprintf)(o->fp, "%s", s);
}

void vt_out_fmt(struct vt_out *o, const HChar *fmt, ...)
{
   va_list vargs;
   va_start(vargs, fmt);
   o->bytes += VG_(vfprintf)(o->fp, fmt, vargs);
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
   VG_(fclose)(o->fp);
   Bool ok = True;
   if (o->tmp) {
      struct vg_stat st;
      ULong size = sr_isError(VG_(stat)(o->tmp, &st)) ? 0 : (ULong)st.size;
      ok = size == o->bytes && VG_(rename)(o->tmp, o->name) == 0;
      if (!ok) {
         VG_(umsg)("error: writing %s '%s' failed (%llu of %llu bytes written): "
                   "no file left\n", what, o->shown, size, o->bytes);
         VG_(unlink)(o->tmp);
      }
   }
   VG_(free)(o->name);
   VG_(free)(o->tmp);
   VG_(free)(o->shown);
   VG_(free)(o);
   return ok;
}
