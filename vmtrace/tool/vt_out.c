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
#include "vt_tool.h"

struct vt_out {
   VgFile *fp;
   HChar  *name, *tmp;
   ULong   bytes;           /* handed to VgFile so far */
};

struct vt_out *vt_out_open(const HChar *name, const HChar *what)
{
   SizeT n = VG_(strlen)(name) + 32;
   HChar *tmp = VG_(malloc)("vt.out", n);
   VG_(snprintf)(tmp, n, "%s.tmp.%d", name, VG_(getpid)());
   VgFile *fp = VG_(fopen)(tmp, VKI_O_CREAT | VKI_O_TRUNC | VKI_O_WRONLY, 0644);
   if (!fp) {
      VG_(umsg)("error: cannot create %s '%s'\n", what, name);
      VG_(free)(tmp);
      return NULL;
   }
   struct vt_out *o = VG_(malloc)("vt.out", sizeof *o);
   o->fp = fp;
   o->name = VG_(strdup)("vt.out", name);
   o->tmp = tmp;
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
   \u00XX. */
void vt_out_json_str(struct vt_out *o, const HChar *s)
{
   HChar buf[256];
   UInt n = 0;
   buf[n++] = '"';
   for (; s && *s; s++) {
      if (n > sizeof buf - 8) {
         buf[n] = 0;
         vt_out_str(o, buf);
         n = 0;
      }
      UChar ch = (UChar)*s;
      if (ch == '"' || ch == '\\') {
         buf[n++] = '\\';
         buf[n++] = (HChar)ch;
      } else if (ch < 0x20 || ch == 0x7f) {
         n += VG_(sprintf)(buf + n, "\\u%04x", ch);
      } else {
         buf[n++] = (HChar)ch;
      }
   }
   buf[n++] = '"';
   buf[n] = 0;
   vt_out_str(o, buf);
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
   struct vg_stat st;
   ULong size = sr_isError(VG_(stat)(o->tmp, &st)) ? 0 : (ULong)st.size;
   Bool ok = size == o->bytes && VG_(rename)(o->tmp, o->name) == 0;
   if (!ok) {
      VG_(umsg)("error: writing %s '%s' failed (%llu of %llu bytes written): "
                "no file left\n", what, o->name, size, o->bytes);
      VG_(unlink)(o->tmp);
   }
   VG_(free)(o->name);
   VG_(free)(o->tmp);
   VG_(free)(o);
   return ok;
}
