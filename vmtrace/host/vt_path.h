/* vt_path.h: file names as the host programs (vmtrace-sim,
   vmtrace-native) open them for output.
   SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VT_PATH_H
#define VT_PATH_H

#include <stdbool.h>
#include <stdio.h>

/* path with its symbolic links followed (at most 40), the last one even if
   what it names does not exist yet: a rename onto a link would replace the
   link, so the file is made where the link points.  A new string from
   malloc, or NULL when memory runs out. */
char *vt_follow_links(const char *path);

/* Whether the file path (as vt_follow_links gives it) is written in place,
   appended to, instead of made whole under a temporary name and renamed
   over: a name that exists and is not a regular file (/dev/null, a FIFO, a
   terminal) or that names a descriptor (/dev/fd/N, /proc/self/fd/N: where
   /dev/stdout leads), whose file may already hold what others wrote. */
bool vt_write_in_place(const char *path);

/* A file without a name (O_TMPFILE) in the directory of path (as
   vt_follow_links gives it), open for writing with fopen's mode, to be
   named path by vt_link_unnamed once whole: a program killed while it
   writes (SIGKILL, the OOM killer) leaves nothing behind, where a file
   written under a temporary name leaves that name.  NULL where the
   filesystem has no such files, or /proc is not there to name one by:
   then the caller writes under a temporary name. */
FILE *vt_open_unnamed(const char *path, const char *mode);

/* Names f, from vt_open_unnamed, path: linked there if the name is free;
   else linked to tmp (a temporary name beside path) and renamed over the
   file path names, which tmp then is between those two calls.  Flushes f
   first; 0, or -1 with errno.  f is still to be closed. */
int vt_link_unnamed(FILE *f, const char *path, const char *tmp);

/* Removes the files PATH.tmp.PID beside path (path as vt_follow_links
   gives it) that a writer killed while writing under a temporary name left
   (the fallback of vt_open_unnamed's callers): regular files only, and only
   when no process PID exists (no /proc/PID; nothing is removed when /proc
   is not there to tell).  Says each removal on standard error, prefixed by
   prog.  Returns how many it removed. */
int vt_sweep_tmp(const char *path, const char *prog);

#endif
