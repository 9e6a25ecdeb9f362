/* vs_util.c: vmtrace-sim's memory, errors, numbers, the core's host and
   output files that are written whole or not at all.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vs.h"

const char *vs_prog = "vmtrace-sim";
const char *vs_oom_hint;

static void out_of_memory(size_t n)
{
   vs_die("out of memory (%zu bytes)%s%s", n, vs_oom_hint ? ": " : "",
          vs_oom_hint ? vs_oom_hint : "");
}

void *vs_alloc(size_t n)
{
   void *p = calloc(1, n ? n : 1);
   if (!p)
      out_of_memory(n);
   return p;
}

void *vs_realloc(void *p, size_t n)
{
   void *q = realloc(p, n ? n : 1);
   if (!q)
      out_of_memory(n);
   return q;
}

char *vs_strdup(const char *s)
{
   size_t n = strlen(s) + 1;
   return memcpy(vs_alloc(n), s, n);
}

/* ---- temporary files: gone whatever happens -------------------------------- */

#define MAX_TMP 16
static const char *tmps[MAX_TMP];
static pthread_mutex_t tmp_lock = PTHREAD_MUTEX_INITIALIZER;

static void remove_tmps(void)
{
   for (int i = 0; i < MAX_TMP; i++)
      if (tmps[i])
         unlink(tmps[i]);
}

static void on_signal(int sig)
{
   remove_tmps();
   signal(sig, SIG_DFL);
   raise(sig);
}

void vs_tmp_register(const char *tmp)
{
   static bool handlers;
   pthread_mutex_lock(&tmp_lock);
   if (!handlers) {
      int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ };
      for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
         signal(sigs[i], on_signal);
      handlers = true;
   }
   for (int i = 0; i < MAX_TMP; i++)
      if (!tmps[i]) {
         tmps[i] = tmp;
         break;
      }
   pthread_mutex_unlock(&tmp_lock);
}

void vs_tmp_unregister(const char *tmp)
{
   pthread_mutex_lock(&tmp_lock);
   for (int i = 0; i < MAX_TMP; i++)
      if (tmps[i] == tmp)
         tmps[i] = NULL;
   pthread_mutex_unlock(&tmp_lock);
}

void vs_die(const char *fmt, ...)
{
   va_list ap;
   fprintf(stderr, "%s: ", vs_prog);
   va_start(ap, fmt);
   vfprintf(stderr, fmt, ap);
   va_end(ap);
   fputc('\n', stderr);
   remove_tmps();
   exit(1);
}

void vs_err(char *err, size_t errlen, const char *fmt, ...)
{
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(err, errlen, fmt, ap);
   va_end(ap);
}

/* ---- the core's host -------------------------------------------------------- */

static void *host_alloc(size_t n) { return vs_alloc(n); }

__attribute__((noreturn)) static void host_panic(const char *msg)
{
   vs_die("internal error: %s", msg);
}

/* Memory and panic, and a simulation out of memory in the replay of a
   vmtrace trace (vs_vmtrace_oom: --oom=stop stops it there); else
   vmtrace-sim drives the simulations directly (vt_sim_access), with no
   address space and no other process. */
static const struct vt_host_ops host_ops = {
   .alloc = host_alloc, .free = free, .panic = host_panic, .oom = vs_vmtrace_oom,
};

void vs_core_init(void)
{
   vt_core_init(&host_ops, NULL);
}

/* ---- output files --------------------------------------------------------------- */

int vs_out_open(struct vs_ofile *o, const char *path, bool binary, char *err,
                size_t errlen)
{
   (void)binary;
   memset(o, 0, sizeof *o);
   /* "-", or a name of the file standard output is (/dev/stdout): written
      through stdout, after what the table printed there */
   struct stat a, b;
   if (!strcmp(path, "-") ||
       (stat(path, &a) == 0 && fstat(STDOUT_FILENO, &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino)) {
      o->f = stdout;
      return 0;
   }
   /* A symbolic link is followed (its target replaced, the link kept); a
      path that exists and is not a regular file (/dev/null, a FIFO) is
      written in place: a rename onto it would replace it, and as root that
      makes /dev/null a plain file. */
   char *real = vt_follow_links(path);
   if (!real)
      vs_die("out of memory");
   struct stat st;
   if (vt_write_in_place(real)) {
      if (stat(real, &st) == 0 && S_ISDIR(st.st_mode)) {
         vs_err(err, errlen, "%s: cannot write: is a directory", path);
         free(real);
         return -1;
      }
      o->f = fopen(real, "a");
      free(real);
      if (!o->f) {
         vs_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
         return -1;
      }
      o->path = vs_strdup(path);
      o->in_place = true;
      return 0;
   }
   o->path = real;
   size_t n = strlen(o->path) + 32;
   o->tmp = vs_alloc(n);
   /* Same directory, so that rename() replaces path in one step. */
   snprintf(o->tmp, n, "%s.tmp.%ld", o->path, (long)getpid());
   vt_sweep_tmp(o->path, "vmtrace-sim");   /* what a killed writer left */
   /* Killed while writing (SIGKILL, the OOM killer), a file without a
      name leaves nothing; the temporary name, removed by vs_die and the
      signals we catch, stays then, until a later run writing path finds
      its process gone (vt_sweep_tmp above). */
   o->f = vt_open_unnamed(o->path, "w");
   if (o->f) {
      o->unnamed = true;
      return 0;
   }
   vs_tmp_register(o->tmp);
   o->f = fopen(o->tmp, "w");
   if (!o->f) {
      vs_err(err, errlen, "%s: cannot create: %s", path, strerror(errno));
      vs_tmp_unregister(o->tmp);
      free(o->path);
      free(o->tmp);
      memset(o, 0, sizeof *o);
      return -1;
   }
   return 0;
}

/* Whether vs_out_open will be able to write path, asked before anything
   is read: a replay may take minutes, and until 2026-12-06 a result file
   in a folder that does not exist, or a directory given as the file, was
   refused only after it, its table already printed.  What vs_out_open
   needs: a name written in place (a device, a FIFO, /dev/fd/N) that may be
   opened for writing; else the folder the file (a symbolic link's target)
   is made in, which must exist and take a new file. */
int vs_out_check(const char *path, char *err, size_t errlen)
{
   if (!strcmp(path, "-"))
      return 0;
   char *real = vt_follow_links(path);
   if (!real)
      vs_die("out of memory");
   struct stat st;
   int rc = 0;
   if (stat(real, &st) == 0 && S_ISDIR(st.st_mode)) {
      vs_err(err, errlen, "%s: cannot write: is a directory", path);
      rc = -1;
   } else if (vt_write_in_place(real)) {
      if (access(real, W_OK) < 0) {
         vs_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
         rc = -1;
      }
   } else {
      char *slash = strrchr(real, '/');
      const char *dir = ".";
      if (slash) {
         slash[1] = '\0';
         dir = real;
      }
      if (access(dir, W_OK | X_OK) < 0) {
         vs_err(err, errlen, "%s: cannot create: %s", path, strerror(errno));
         rc = -1;
      }
   }
   free(real);
   return rc;
}

int vs_out_close(struct vs_ofile *o, char *err, size_t errlen)
{
   if (o->in_place) {
      bool bad = ferror(o->f) != 0;
      if (fclose(o->f) != 0)
         bad = true;
      if (bad)
         vs_err(err, errlen, "%s: write error: %s", o->path, strerror(errno));
      free(o->path);
      memset(o, 0, sizeof *o);
      return bad ? -1 : 0;
   }
   if (!o->tmp) {                    /* standard output */
      if (fflush(o->f) != 0 || ferror(o->f)) {
         vs_err(err, errlen, "standard output: write error: %s", strerror(errno));
         return -1;
      }
      return 0;
   }
   if (o->unnamed) {
      bool bad = vt_link_unnamed(o->f, o->path, o->tmp) != 0;
      int e = errno;
      if (fclose(o->f) != 0 && !bad) {
         bad = true;
         e = errno;
      }
      if (bad)
         vs_err(err, errlen, "%s: write error: %s", o->path, strerror(e));
      free(o->tmp);
      free(o->path);
      memset(o, 0, sizeof *o);
      return bad ? -1 : 0;
   }
   bool bad = ferror(o->f) != 0;
   int e = errno;
   if (fclose(o->f) != 0) {
      bad = true;
      e = errno;
   }
   if (!bad && rename(o->tmp, o->path) != 0) {
      bad = true;
      e = errno;
   }
   if (bad) {
      vs_err(err, errlen, "%s: write error: %s", o->path, strerror(e));
      unlink(o->tmp);
   }
   vs_tmp_unregister(o->tmp);
   free(o->tmp);
   free(o->path);
   memset(o, 0, sizeof *o);
   return bad ? -1 : 0;
}

void vs_out_abort(struct vs_ofile *o)
{
   if (o->in_place) {
      fclose(o->f);
      free(o->path);
      memset(o, 0, sizeof *o);
      return;
   }
   if (!o->tmp)
      return;
   fclose(o->f);
   if (o->unnamed) {                 /* nothing to remove */
      free(o->tmp);
      free(o->path);
      memset(o, 0, sizeof *o);
      return;
   }
   unlink(o->tmp);
   vs_tmp_unregister(o->tmp);
   free(o->tmp);
   free(o->path);
   memset(o, 0, sizeof *o);
}

double vs_thread_cpu(void)
{
   struct timespec t;
   clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
   return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

double vs_wall(void)
{
   struct timespec t;
   clock_gettime(CLOCK_MONOTONIC, &t);
   return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}


void vs_json_str(FILE *f, const char *s)
{
   fputc('"', f);
   for (const unsigned char *p = (const unsigned char *)s; *p;) {
      int n = (int)vt_utf8_len(p);
      if (*p == '"' || *p == '\\')
         fprintf(f, "\\%c", *p);
      else if (*p < 0x20 || *p == 0x7f || n == 0)
         fprintf(f, "\\u%04x", *p);   /* a stray byte: as the tool writes it */
      else
         fwrite(p, 1, (size_t)n, f);
      p += n ? n : 1;
   }
   fputc('"', f);
}

void vs_run_threads(unsigned nt, void *(*fn)(void *), void *arg)
{
   if (nt <= 1) {
      fn(arg);
      return;
   }
   pthread_t *th = vs_alloc(nt * sizeof *th);
   for (unsigned i = 0; i < nt; i++)
      if (pthread_create(&th[i], NULL, fn, arg))
         vs_die("cannot start a thread");
   for (unsigned i = 0; i < nt; i++)
      pthread_join(th[i], NULL);
   free(th);
}

/* ---- what the model cannot see (vs_unmod) ---------------------------------- */

void vs_unmod_add(struct vs_unmod *u, const char *name)
{
   char clean[sizeof u->name[0]];
   size_t k = 0;
   for (const char *p = name; *p && k < sizeof clean - 1; p++)   /* printable ASCII */
      clean[k++] = *p > 0x20 && *p < 0x7f ? *p : '?';
   clean[k] = 0;
   for (unsigned i = 0; i < u->n; i++)
      if (!strcmp(u->name[i], clean))
         return;
   if (u->n < VS_UNMOD_MAX)
      memcpy(u->name[u->n++], clean, k + 1);
}

void vs_unmod_json(FILE *f, const struct vs_unmod *u)
{
   if (!u->n)
      return;
   fputs(", \"unmodelled\": [", f);
   for (unsigned i = 0; i < u->n; i++) {
      if (i)
         fputs(", ", f);
      vs_json_str(f, u->name[i]);
   }
   fputc(']', f);
}

const char *vs_unmod_list(const struct vs_unmod *u, char *buf, size_t len)
{
   size_t n = 0;
   buf[0] = 0;
   for (unsigned i = 0; i < u->n && n < len; i++)
      n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", u->name[i]);
   return buf;
}

void vs_unmod_warn(const char *path, const struct vs_unmod *u)
{
   char buf[VS_UNMOD_MAX * 34];
   if (u->n)
      fprintf(stderr, "%s: warning: %s: the process used what the model cannot see (%s): "
              "its figures are not the kernel's (unmodelled)\n", vs_prog, path,
              vs_unmod_list(u, buf, sizeof buf));
}
