/* path.c: file names as the host programs open them for output (vt_path.h).
   SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "vt_path.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
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

FILE *vt_open_unnamed(const char *path, const char *mode)
{
   char *dir;
   char *slash;
   int fd;
   FILE *f = NULL;
   if (access("/proc/self/fd", X_OK) < 0)
      return NULL;               /* nothing to name it by */
   dir = strdup(path);
   if (!dir)
      return NULL;
   slash = strrchr(dir, '/');
   if (!slash)
      strcpy(dir, ".");
   else
      slash[slash == dir ? 1 : 0] = '\0';
   fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
   free(dir);
   if (fd >= 0 && !(f = fdopen(fd, mode)))
      close(fd);
   return f;
}

int vt_link_unnamed(FILE *f, const char *path, const char *tmp)
{
   char fdpath[64];
   int e;
   if (fflush(f) != 0 || ferror(f))
      return -1;
   snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fileno(f));
   if (linkat(AT_FDCWD, fdpath, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0)
      return 0;
   if (errno != EEXIST)
      return -1;
   unlink(tmp);                  /* left by an earlier process that had our pid */
   if (linkat(AT_FDCWD, fdpath, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) < 0)
      return -1;
   if (rename(tmp, path) == 0)
      return 0;
   e = errno;
   unlink(tmp);
   errno = e;
   return -1;
}
