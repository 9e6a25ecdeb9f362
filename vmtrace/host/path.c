/* path.c: file names as the host programs open them for output (vt_path.h).
   SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "vt_path.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A process's descriptor by name: /proc/self/fd/N, /proc/PID/fd/N,
   /proc/thread-self/fd/N, /dev/fd/N (where /dev/stdout leads). */
static bool fd_name(const char *p)
{
   if (!strncmp(p, "/dev/fd/", 8))
      return true;
   if (strncmp(p, "/proc/", 6))
      return false;
   p += 6;
   if (!strncmp(p, "self/", 5))
      p += 5;
   else if (!strncmp(p, "thread-self/", 12))
      p += 12;
   else {
      if (*p < '0' || *p > '9')
         return false;
      while (*p >= '0' && *p <= '9')
         p++;
      if (*p++ != '/')
         return false;
   }
   return !strncmp(p, "fd/", 3);
}

bool vt_write_in_place(const char *path)
{
   struct stat st;
   return fd_name(path) || (stat(path, &st) == 0 && !S_ISREG(st.st_mode));
}

char *vt_follow_links(const char *path)
{
   char *p = strdup(path);
   for (int depth = 0; p && depth < 40; depth++) {
      char link[4096];
      struct stat st;
      /* Only a regular file is replaced: the links are followed to find
         it.  Anything else is written in place through the name given,
         which the kernel resolves; /dev/stdout on a pipe leads to
         /proc/self/fd/1, whose link text is "pipe:[N]", not a path.  So is
         a descriptor's name (/dev/stdout redirected to a file): the file
         is open, and a new one renamed over it would lose what was
         written to it before. */
      if ((stat(p, &st) == 0 && !S_ISREG(st.st_mode)) || fd_name(p))
         break;
      ssize_t n = readlink(p, link, sizeof link - 1);
      if (n <= 0)
         break;
      link[n] = 0;
      const char *slash = strrchr(p, '/');
      size_t dir = link[0] == '/' || !slash ? 0 : (size_t)(slash - p) + 1;
      char *next = malloc(dir + (size_t)n + 1);
      if (next) {
         memcpy(next, p, dir);
         memcpy(next + dir, link, (size_t)n + 1);
      }
      free(p);
      p = next;
   }
   return p;
}
