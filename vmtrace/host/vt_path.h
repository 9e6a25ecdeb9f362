/* vt_path.h: file names as the host programs (vmtrace-sim,
   vmtrace-native) open them for output.
   SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VT_PATH_H
#define VT_PATH_H

#include <stdbool.h>

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

#endif
