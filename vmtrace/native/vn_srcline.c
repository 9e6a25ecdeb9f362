/* Naming code locations the way Valgrind names them ("0xADDR: fn
   (file:line)" or "0xADDR: fn (in /path/lib.so)"): function names from the
   ELF symbol tables, demangled by c++filt, source lines from addr2line,
   one addr2line per ELF file, several at once. */
#include "vn.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Starts argv[0] (from PATH) with its standard output on fd and its errors
   discarded; its pid, or -1.  posix_spawn: no copy of our (large) address
   space. */
static pid_t spawn(char **argv, int fd)
{
   posix_spawn_file_actions_t fa;
   pid_t pid;
   int rc;
   if (posix_spawn_file_actions_init(&fa) != 0)
      return -1;
   posix_spawn_file_actions_adddup2(&fa, fd, 1);
   posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
   fflush(NULL);
   rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
   posix_spawn_file_actions_destroy(&fa);
   return rc == 0 ? pid : -1;
}

/* addr2line on n frames of one ELF file: started (a2l_start), then its
   answers read (a2l_finish).  Several run at once: each reads its file's
   debug information, which is the slow part. */
struct a2l {
   uint32_t *idx;
   size_t n;
   pid_t pid;
   int fd;
   char *tmp;    /* a copy of a deleted or replaced file, removed after */
};

static void a2l_start(struct a2l *job, const struct vn_elf *elf, uint32_t *idx, size_t n)
{
   char **argv;
   char *addrs, *path;
   int out[2], tmp;
   size_t k, a = 0;

   job->idx = idx;
   job->n = n;
   job->pid = -1;
   job->fd = -1;
   job->tmp = NULL;
   path = vn_elf_readable_path(elf, &tmp);
   if (!path)
      return;
   if (tmp)
      job->tmp = path;
   argv = vn_xcalloc(n + 8, sizeof *argv);
   addrs = vn_xmalloc(n * 20);
   argv[a++] = "addr2line";
   argv[a++] = "-f";
   argv[a++] = "-C";
   argv[a++] = "-e";
   argv[a++] = (char *)path;
   for (k = 0; k < n; k++) {
      argv[a] = addrs + k * 20;
      snprintf(argv[a], 20, "%llx", (unsigned long long)vn_frames[idx[k]].rel);
      a++;
   }
   argv[a] = NULL;
   if (pipe2(out, O_CLOEXEC) == 0) {
      job->pid = spawn(argv, out[1]);
      close(out[1]);
      if (job->pid < 0)
         close(out[0]);
      else
         job->fd = out[0];
   }
   free(addrs);
   free(argv);
   if (!tmp)
      free(path);
}

static void a2l_finish(struct a2l *job)
{
   char *fn = NULL, *loc = NULL;
   size_t fn_cap = 0, loc_cap = 0;
   FILE *f;
   size_t k;
   if (job->pid < 0) {
      if (job->tmp)
         unlink(job->tmp);
      free(job->tmp);
      return;
   }
   f = fdopen(job->fd, "r");
   for (k = 0; f && k < job->n; k++) {
      char *colon, *end;
      struct vn_frame *fr = &vn_frames[job->idx[k]];
      unsigned long line;
      /* whole lines, however long (C++ names can be) */
      if (getline(&fn, &fn_cap, f) < 0 || getline(&loc, &loc_cap, f) < 0)
         break;
      fn[strcspn(fn, "\n")] = '\0';
      loc[strcspn(loc, "\n")] = '\0';
      if ((end = strstr(loc, " (discriminator")) != NULL)
         *end = '\0';
      if (strcmp(fn, "??") != 0)
         fr->a2l_fn = vn_xstrdup(fn);
      colon = strrchr(loc, ':');
      if (colon && colon != loc) {
         *colon = '\0';
         line = strtoul(colon + 1, &end, 10);
         if (*end == '\0' && line > 0 && strcmp(loc, "??") != 0) {
            const char *base = strrchr(loc, '/');
            fr->a2l_file = vn_xstrdup(base ? base + 1 : loc);
            fr->a2l_line = (unsigned)line;
         }
      }
   }
   free(fn);
   free(loc);
   if (f)
      fclose(f);
   else
      close(job->fd);
   while (waitpid(job->pid, NULL, 0) < 0 && errno == EINTR)
      ;
   if (job->tmp)
      unlink(job->tmp);
   free(job->tmp);
}

/* Runs a program with args, returning its standard output's lines (n of
   them expected; missing ones NULL).  Used for addr2line-like filters. */
static char **run_lines(char **argv, size_t n)
{
   char **lines = vn_xcalloc(n + 1, sizeof *lines);
   char *buf = NULL;
   size_t cap = 0;
   int out[2];
   pid_t pid;
   FILE *f;
   size_t k;
   if (pipe2(out, O_CLOEXEC) < 0)
      return lines;
   pid = spawn(argv, out[1]);
   if (pid < 0) {
      close(out[0]);
      close(out[1]);
      return lines;
   }
   close(out[1]);
   f = fdopen(out[0], "r");
   for (k = 0; f && k < n && getline(&buf, &cap, f) >= 0; k++) {
      buf[strcspn(buf, "\n")] = '\0';
      lines[k] = vn_xstrdup(buf);
   }
   free(buf);
   if (f)
      fclose(f);
   else
      close(out[0]);
   while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
      ;
   return lines;
}

/* C++ names from the symbol tables, demangled as Valgrind shows them
   (c++filt, binutils): a mangled name is replaced in place. */
static void demangle(const char **names, size_t n)
{
   size_t i = 0;
   while (i < n) {
      char *argv[260];
      size_t idx[256], m = 0, a = 0, k;
      char **out;
      argv[a++] = "c++filt";
      for (; i < n && m < 256; i++)
         if (names[i] && names[i][0] == '_' && names[i][1] == 'Z') {
            idx[m++] = i;
            argv[a++] = (char *)names[i];
         }
      argv[a] = NULL;
      if (m == 0)
         break;
      out = run_lines(argv, m);
      for (k = 0; k < m; k++)
         if (out[k] && out[k][0])
            names[idx[k]] = out[k];   /* kept: the frame texts point at them */
      free(out);
   }
}

/* What runs main (any symbol version), which Valgrind calls (below main). */
static int below_main(const char *fn)
{
   static const char *const names[] = { "__libc_start_main", "__libc_start_call_main",
                                        "generic_start_main" };
   size_t len = strcspn(fn, "@"), k;
   for (k = 0; k < sizeof names / sizeof names[0]; k++)
      if (strlen(names[k]) == len && strncmp(fn, names[k], len) == 0)
         return 1;
   return 0;
}

static int by_elf(const void *a, const void *b)
{
   const struct vn_frame *x = &vn_frames[*(const uint32_t *)a], *y = &vn_frames[*(const uint32_t *)b];
   if (x->elf != y->elf)
      return (uintptr_t)x->elf < (uintptr_t)y->elf ? -1 : 1;
   return x->rel < y->rel ? -1 : x->rel > y->rel;
}

void vn_name_frames(void)
{
   const char **fns;
   uint32_t *idx = vn_xmalloc((vn_nframes + 1) * sizeof *idx);
   size_t i, j, n = 0;
   for (i = 0; i < vn_nframes; i++)
      if (vn_frames[i].elf)
         idx[n++] = (uint32_t)i;
   qsort(idx, n, sizeof *idx, by_elf);
   {
      /* one job per ELF file (and per 512 addresses), at most 8 at once */
      struct a2l jobs[8];
      size_t running = 0, next = 0;
      for (i = 0; i < n; i = j) {
         size_t k;
         for (j = i; j < n && vn_frames[idx[j]].elf == vn_frames[idx[i]].elf; j++)
            ;
         for (k = i; k < j; k += 512) {
            if (running == 8) {
               a2l_finish(&jobs[next]);
               a2l_start(&jobs[next], vn_frames[idx[i]].elf, idx + k,
                         (j - k) < 512 ? j - k : 512);
               next = (next + 1) % 8;
            } else {
               a2l_start(&jobs[running++], vn_frames[idx[i]].elf, idx + k,
                         (j - k) < 512 ? j - k : 512);
            }
         }
      }
      for (i = 0; i < running; i++)
         a2l_finish(&jobs[(next + i) % running]);
   }
   free(idx);
   fns = vn_xcalloc(vn_nframes + 1, sizeof *fns);
   for (i = 0; i < vn_nframes; i++)
      fns[i] = vn_frames[i].elf ? vn_elf_symbol(vn_frames[i].elf, vn_frames[i].rel) : NULL;
   demangle(fns, vn_nframes);
   for (i = 0; i < vn_nframes; i++) {
      struct vn_frame *f = &vn_frames[i];
      const char *fn = fns[i];
      char buf[8192];
      /* The symbol table names the function, as Valgrind does (demangled).
         addr2line's name is only taken when the tables have none, and
         only with a line: without debug information it names the nearest
         exported symbol below, however far. */
      if (!fn && f->a2l_fn && f->a2l_file)
         fn = f->a2l_fn;
      /* what runs main, named as Valgrind names it */
      if (fn && below_main(fn))
         fn = "(below main)";
      if (fn && f->a2l_file)
         snprintf(buf, sizeof buf, "0x%llX: %s (%s:%u)", (unsigned long long)f->abs, fn,
                  f->a2l_file, f->a2l_line);
      else if (f->objname)
         snprintf(buf, sizeof buf, "0x%llX: %s (in %s)", (unsigned long long)f->abs,
                  fn ? fn : "???", f->objname);
      else
         snprintf(buf, sizeof buf, "0x%llX: ???", (unsigned long long)f->abs);
      f->text = vn_xstrdup(buf);
   }
   free(fns);
}

