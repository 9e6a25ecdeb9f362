/* path.c: file names as the host programs open them for output (vt_path.h).
   SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "vt_path.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *vt_follow_links(const char *path)
{
   char *p = strdup(path);
   for (int depth = 0; p && depth < 40; depth++) {
      char link[4096];
      struct stat st;
      /* Only a regular file is replaced: the links are followed to find
         it.  Anything else is written in place through the name given,
         which the kernel resolves; /dev/stdout on a pipe leads to
         /proc/self/fd/1, whose link text is "pipe:[N]", not a path. */
      if (stat(p, &st) == 0 && !S_ISREG(st.st_mode))
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
