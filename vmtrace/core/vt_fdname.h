/* vt_fdname.h: whether a path names a process's file descriptor, for the
   tool (pub_tool, no libc) and the host programs alike: header-only, with
   no library call.
   SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VT_FDNAME_H
#define VT_FDNAME_H

/* Whether s begins with prefix. */
static inline int vt_has_prefix(const char *s, const char *prefix)
{
   while (*prefix)
      if (*s++ != *prefix++)
         return 0;
   return 1;
}

/* A process's descriptor by name: /proc/self/fd/N, /proc/PID/fd/N,
   /proc/thread-self/fd/N, /dev/fd/N (where /dev/stdout and /dev/stderr
   lead).  Such a file is open already: an output is appended to it, never
   made anew and renamed over it. */
static inline int vt_fd_name(const char *p)
{
   if (vt_has_prefix(p, "/dev/fd/"))
      return 1;
   if (!vt_has_prefix(p, "/proc/"))
      return 0;
   p += 6;
   if (vt_has_prefix(p, "self/"))
      p += 5;
   else if (vt_has_prefix(p, "thread-self/"))
      p += 12;
   else {
      if (*p < '0' || *p > '9')
         return 0;
      while (*p >= '0' && *p <= '9')
         p++;
      if (*p++ != '/')
         return 0;
   }
   return vt_has_prefix(p, "fd/");
}

#endif
