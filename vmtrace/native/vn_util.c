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

/* One message on one line of stderr.  Control characters in what it
   quotes (an argument, a file name) are written as \xNN: a name cannot
   break the line or send the terminal an escape sequence. */
static void put_line(const char *prefix, const char *fmt, va_list ap)
{
   char *msg = NULL;
   const char *p;
   if (vasprintf(&msg, fmt, ap) < 0)
      msg = NULL;
   fputs(prefix, stderr);
   for (p = msg ? msg : fmt; *p; p++) {
      unsigned char c = (unsigned char)*p;
      if (c < 0x20 || c == 0x7f)
         fprintf(stderr, "\\x%02x", c);
      else
         fputc(c, stderr);
   }
   fputc('\n', stderr);
   free(msg);
}

void vn_die(const char *fmt, ...)
{
   va_list ap;
   va_start(ap, fmt);
   put_line("vmtrace-native: ", fmt, ap);
   va_end(ap);
   exit(1);
}

void vn_die_with(int code, const char *fmt, ...)
{
   va_list ap;
   va_start(ap, fmt);
   put_line("vmtrace-native: ", fmt, ap);
   va_end(ap);
   exit(code);
}

static void log_line(const char *what, const char *fmt, va_list ap)
{
   char prefix[64];
   snprintf(prefix, sizeof prefix, "==%d== %s", (int)vn_log_pid(), what);
   put_line(prefix, fmt, ap);
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
