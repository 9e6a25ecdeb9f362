/* vmtrace-native: messages (Valgrind's ==PID== style), allocation that
   cannot fail, the clocks. */
#include "vn.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pid_t log_pid;

void vn_set_log_pid(pid_t pid)
{
   log_pid = pid;
}

pid_t vn_log_pid(void)
{
   return log_pid ? log_pid : getpid();
}

void vn_die(const char *fmt, ...)
{
   va_list ap;
   fputs("vmtrace-native: ", stderr);
   va_start(ap, fmt);
   vfprintf(stderr, fmt, ap);
   va_end(ap);
   fputc('\n', stderr);
   exit(1);
}

static void log_line(const char *what, const char *fmt, va_list ap)
{
   fprintf(stderr, "==%d== %s", (int)vn_log_pid(), what);
   vfprintf(stderr, fmt, ap);
   fputc('\n', stderr);
}

void vn_warn(const char *fmt, ...)
{
   va_list ap;
   va_start(ap, fmt);
   log_line("warning: ", fmt, ap);
   va_end(ap);
}

void vn_info(const char *fmt, ...)
{
   va_list ap;
   if (vn_opt.verbosity < 1)
      return;
   va_start(ap, fmt);
   log_line("", fmt, ap);
   va_end(ap);
}

void *vn_xmalloc(size_t n)
{
   void *p = malloc(n ? n : 1);
   if (!p)
      vn_die("out of memory (%zu bytes)", n);
   return p;
}

void *vn_xcalloc(size_t n, size_t size)
{
   void *p = calloc(n ? n : 1, size ? size : 1);
   if (!p)
      vn_die("out of memory (%zu x %zu bytes)", n, size);
   return p;
}

void *vn_xrealloc(void *p, size_t n)
{
   p = realloc(p, n ? n : 1);
   if (!p)
      vn_die("out of memory (%zu bytes)", n);
   return p;
}

void *vn_grow(void *p, size_t n, size_t *cap, size_t size)
{
   if (n < *cap)
      return p;
   *cap = *cap ? *cap * 2 : 16;
   return vn_xrealloc(p, *cap * size);
}

char *vn_xstrdup(const char *s)
{
   size_t n = strlen(s) + 1;
   return memcpy(vn_xmalloc(n), s, n);
}

uint64_t vn_mono_ns(void)
{
   struct timespec ts;
   clock_gettime(CLOCK_MONOTONIC, &ts);
   return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

double vn_wall_of(uint64_t t)
{
   if (t < vn_run.start_ns)
      return vn_run.start_time;
   return vn_run.start_time + (double)(t - vn_run.start_ns) / 1e9;
}

double vn_wall_s(void)
{
   struct timespec ts;
   clock_gettime(CLOCK_REALTIME, &ts);
   return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
