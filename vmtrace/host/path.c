/* path.c: file names as the host programs open them for output (vt_path.h).
   SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "vt_path.h"
#include "../core/vt_fdname.h"    /* vt_fd_name */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool vt_write_in_place(const char *path)
{
   struct stat st;
   return vt_fd_name(path) || (stat(path, &st) == 0 && !S_ISREG(st.st_mode));
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
      if ((stat(p, &st) == 0 && !S_ISREG(st.st_mode)) || vt_fd_name(p))
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

/* NAME.tmp.PID, where NAME is base and PID a decimal process number
   without a leading zero: the PID's digits in pid, or false. */
static bool our_tmp(const char *name, const char *base, long *pid)
{
   size_t n = strlen(base);
   if (strncmp(name, base, n) || strncmp(name + n, ".tmp.", 5))
      return false;
   const char *d = name + n + 5;
   if (*d < '1' || *d > '9' || strlen(d) > 9)
      return false;
   long v = 0;
   for (; *d; d++) {
      if (*d < '0' || *d > '9')
         return false;
      v = v * 10 + (*d - '0');
   }
   *pid = v;
   return true;
}

int vt_sweep_tmp(const char *path, const char *prog)
{
   struct stat st;
   if (stat("/proc/self", &st) != 0)
      return 0;                  /* nothing tells which processes live */
   char *dir = strdup(path);
   if (!dir)
      return 0;
   char *slash = strrchr(dir, '/');
   const char *base = slash ? path + (slash - dir) + 1 : path;
   if (!slash)
      strcpy(dir, ".");
   else
      slash[slash == dir ? 1 : 0] = '\0';
   DIR *d = opendir(dir);
   int removed = 0;
   for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
      long pid;
      char proc[32];
      if (!our_tmp(e->d_name, base, &pid) || pid == (long)getpid())
         continue;
      snprintf(proc, sizeof proc, "/proc/%ld", pid);
      if (stat(proc, &st) == 0)
         continue;               /* its process is there: still writing */
      /* path's own directory part, as given, and the name */
      size_t dl = (size_t)(base - path), n = dl + strlen(e->d_name) + 1;
      char *p = malloc(n);
      if (!p)
         break;
      memcpy(p, path, dl);
      strcpy(p + dl, e->d_name);
      if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) && unlink(p) == 0) {
         fprintf(stderr, "%s: removed '%s': a partial output of process %ld, which is no "
                 "longer running\n", prog, p, pid);
         removed++;
      }
      free(p);
   }
   if (d)
      closedir(d);
   free(dir);
   return removed;
}
