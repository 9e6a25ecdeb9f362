/* Fault sites: stacks aggregated per (class, code locations), named at the
   end the way Valgrind names them ("0xADDR: fn (file:line)" or
   "0xADDR: fn (in /path/lib.so)"): function names from the ELF symbol
   tables, source lines from addr2line, one process per ELF file. */
#include "vn.h"

#include <errno.h>
#include <spawn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* A code location: (ELF, its own address), or a bare address outside any
   ELF file.  Shown with the first runtime address it was seen at. */
struct frame {
   struct vn_elf *elf;
   const char *objname;    /* the mapping's name, or NULL */
   uint64_t rel, abs;
   char *text;             /* "0xADDR: ..." once named */
   char *a2l_fn, *a2l_file;
   unsigned a2l_line;
};

static struct frame *frames;
static const char **sym_names;   /* per frame, demangled, once named */
static size_t nframes, cap_frames;
static uint32_t *frame_tab;     /* hash: index+1 */
static size_t frame_cap;

struct site {
   int cls;
   unsigned n;
   uint64_t count;
   uint32_t *f;            /* frame indices */
};

static struct site *sites;
static size_t nsites, cap_sites;
static uint32_t *site_tab;
static size_t site_cap;

static uint64_t mix(uint64_t h, uint64_t v)
{
   h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
   return h * 0xff51afd7ed558ccdull;
}

static char *intern_name(const char *s)
{
   static char **names;
   static size_t n, cap;
   size_t i;
   for (i = 0; i < n; i++)
      if (strcmp(names[i], s) == 0)
         return names[i];
   if (n == cap) {
      cap = cap ? cap * 2 : 32;
      names = vn_xrealloc(names, cap * sizeof *names);
   }
   return names[n++] = vn_xstrdup(s);
}

static uint32_t frame_id(struct vn_elf *elf, const char *objname, uint64_t rel, uint64_t abs)
{
   size_t i;
   if ((nframes + 1) * 2 > frame_cap) {
      size_t k;
      frame_cap = frame_cap ? frame_cap * 2 : 4096;
      free(frame_tab);
      frame_tab = vn_xcalloc(frame_cap, sizeof *frame_tab);
      for (k = 0; k < nframes; k++) {
         i = (size_t)mix((uint64_t)(uintptr_t)frames[k].elf, frames[k].rel) & (frame_cap - 1);
         while (frame_tab[i])
            i = (i + 1) & (frame_cap - 1);
         frame_tab[i] = (uint32_t)k + 1;
      }
   }
   i = (size_t)mix((uint64_t)(uintptr_t)elf, rel) & (frame_cap - 1);
   while (frame_tab[i]) {
      struct frame *f = &frames[frame_tab[i] - 1];
      if (f->elf == elf && f->rel == rel)
         return frame_tab[i] - 1;
      i = (i + 1) & (frame_cap - 1);
   }
   if (nframes == cap_frames) {
      cap_frames = cap_frames ? cap_frames * 2 : 1024;
      frames = vn_xrealloc(frames, cap_frames * sizeof *frames);
   }
   memset(&frames[nframes], 0, sizeof frames[nframes]);
   frames[nframes].elf = elf;
   frames[nframes].objname = objname;
   frames[nframes].rel = rel;
   frames[nframes].abs = abs;
   frame_tab[i] = (uint32_t)nframes + 1;
   return (uint32_t)nframes++;
}

static uint64_t site_hash(int cls, unsigned n, const uint32_t *f)
{
   uint64_t h = mix((uint64_t)cls, n);
   unsigned k;
   for (k = 0; k < n; k++)
      h = mix(h, f[k]);
   return h;
}

void vn_site_add(struct vn_proc *proc, int cls, const uint64_t *ips, unsigned n)
{
   uint32_t f[257];
   unsigned k;
   size_t i;
   if (n > 256)
      n = 256;
   for (k = 0; k < n; k++) {
      /* a return address names the call before it, as Valgrind shows it */
      uint64_t a = k ? ips[k] - 1 : ips[k];
      struct vn_map *m = vn_map_lookup(proc, a);
      struct vn_elf *elf = NULL;
      const char *obj = NULL;
      uint64_t rel = a;
      if (m && m->kind == VN_K_FILE) {
         if (!m->elf)
            m->elf = vn_elf_get(m->name);
         elf = m->elf;
         obj = intern_name(m->name);
         if (elf)
            rel = vn_elf_rel(m, a);
      }
      f[k] = frame_id(elf, obj, rel, a);
   }
   if ((nsites + 1) * 2 > site_cap) {
      size_t j;
      site_cap = site_cap ? site_cap * 2 : 4096;
      free(site_tab);
      site_tab = vn_xcalloc(site_cap, sizeof *site_tab);
      for (j = 0; j < nsites; j++) {
         i = (size_t)site_hash(sites[j].cls, sites[j].n, sites[j].f) & (site_cap - 1);
         while (site_tab[i])
            i = (i + 1) & (site_cap - 1);
         site_tab[i] = (uint32_t)j + 1;
      }
   }
   i = (size_t)site_hash(cls, n, f) & (site_cap - 1);
   while (site_tab[i]) {
      struct site *s = &sites[site_tab[i] - 1];
      if (s->cls == cls && s->n == n && memcmp(s->f, f, n * sizeof *f) == 0) {
         s->count++;
         return;
      }
      i = (i + 1) & (site_cap - 1);
   }
   if (nsites == cap_sites) {
      cap_sites = cap_sites ? cap_sites * 2 : 1024;
      sites = vn_xrealloc(sites, cap_sites * sizeof *sites);
   }
   sites[nsites].cls = cls;
   sites[nsites].n = n;
   sites[nsites].count = 1;
   sites[nsites].f = memcpy(vn_xmalloc(n * sizeof *f), f, n * sizeof *f);
   site_tab[i] = (uint32_t)nsites + 1;
   nsites++;
}

/* ---- naming ---------------------------------------------------------------- */

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
};

static void a2l_start(struct a2l *job, const char *path, uint32_t *idx, size_t n)
{
   char **argv = vn_xcalloc(n + 8, sizeof *argv);
   char *addrs = vn_xmalloc(n * 20);
   int out[2];
   size_t k, a = 0;

   job->idx = idx;
   job->n = n;
   job->pid = -1;
   job->fd = -1;
   argv[a++] = "addr2line";
   argv[a++] = "-f";
   argv[a++] = "-C";
   argv[a++] = "-e";
   argv[a++] = (char *)path;
   for (k = 0; k < n; k++) {
      argv[a] = addrs + k * 20;
      snprintf(argv[a], 20, "%llx", (unsigned long long)frames[idx[k]].rel);
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
}

static void a2l_finish(struct a2l *job)
{
   char *fn = NULL, *loc = NULL;
   size_t fn_cap = 0, loc_cap = 0;
   FILE *f;
   size_t k;
   if (job->pid < 0)
      return;
   f = fdopen(job->fd, "r");
   for (k = 0; f && k < job->n; k++) {
      char *colon, *end;
      struct frame *fr = &frames[job->idx[k]];
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
   const struct frame *x = &frames[*(const uint32_t *)a], *y = &frames[*(const uint32_t *)b];
   if (x->elf != y->elf)
      return (uintptr_t)x->elf < (uintptr_t)y->elf ? -1 : 1;
   return x->rel < y->rel ? -1 : x->rel > y->rel;
}

static void name_frames(void)
{
   uint32_t *idx = vn_xmalloc((nframes + 1) * sizeof *idx);
   size_t i, j, n = 0;
   for (i = 0; i < nframes; i++)
      if (frames[i].elf)
         idx[n++] = (uint32_t)i;
   qsort(idx, n, sizeof *idx, by_elf);
   {
      /* one job per ELF file (and per 512 addresses), at most 8 at once */
      struct a2l jobs[8];
      size_t running = 0, next = 0;
      for (i = 0; i < n; i = j) {
         size_t k;
         for (j = i; j < n && frames[idx[j]].elf == frames[idx[i]].elf; j++)
            ;
         for (k = i; k < j; k += 512) {
            if (running == 8) {
               a2l_finish(&jobs[next]);
               a2l_start(&jobs[next], vn_elf_path(frames[idx[i]].elf), idx + k,
                         (j - k) < 512 ? j - k : 512);
               next = (next + 1) % 8;
            } else {
               a2l_start(&jobs[running++], vn_elf_path(frames[idx[i]].elf), idx + k,
                         (j - k) < 512 ? j - k : 512);
            }
         }
      }
      for (i = 0; i < running; i++)
         a2l_finish(&jobs[(next + i) % running]);
   }
   free(idx);
   {
      const char **fns = vn_xcalloc(nframes + 1, sizeof *fns);
      for (i = 0; i < nframes; i++)
         fns[i] = frames[i].elf ? vn_elf_symbol(frames[i].elf, frames[i].rel) : NULL;
      demangle(fns, nframes);
      sym_names = fns;
   }
   for (i = 0; i < nframes; i++) {
      struct frame *f = &frames[i];
      const char *fn = sym_names[i];
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
}

static int is_main(const struct frame *f)
{
   const char *colon = strstr(f->text, ": ");
   return colon && strncmp(colon + 2, "main ", 5) == 0;
}

/* ---- output ---------------------------------------------------------------- */

struct outsite {
   int cls;
   unsigned n;
   uint64_t count;
   const uint32_t *f;
};

static int out_cmp(const void *a, const void *b)
{
   const struct outsite *x = a, *y = b;
   unsigned k;
   if (x->cls != y->cls)
      return x->cls - y->cls;
   if (x->count != y->count)
      return x->count > y->count ? -1 : 1;
   for (k = 0; k < x->n && k < y->n; k++)
      if (frames[x->f[k]].abs != frames[y->f[k]].abs)
         return frames[x->f[k]].abs < frames[y->f[k]].abs ? -1 : 1;
   return (int)x->n - (int)y->n;
}

static int same_stack(const struct outsite *x, const struct outsite *y)
{
   unsigned k;
   if (x->cls != y->cls || x->n != y->n)
      return 0;
   for (k = 0; k < x->n; k++)
      if (frames[x->f[k]].abs != frames[y->f[k]].abs ||
          strcmp(frames[x->f[k]].text, frames[y->f[k]].text) != 0)
         return 0;
   return 1;
}

static int stack_cmp(const void *a, const void *b)
{
   const struct outsite *x = a, *y = b;
   unsigned k;
   if (x->cls != y->cls)
      return x->cls - y->cls;
   for (k = 0; k < x->n && k < y->n; k++)
      if (frames[x->f[k]].abs != frames[y->f[k]].abs)
         return frames[x->f[k]].abs < frames[y->f[k]].abs ? -1 : 1;
   if (x->n != y->n)
      return (int)x->n - (int)y->n;
   for (k = 0; k < x->n; k++) {
      int c = strcmp(frames[x->f[k]].text, frames[y->f[k]].text);
      if (c)
         return c;
   }
   return 0;
}

void vn_sites_json(FILE *out)
{
   struct outsite *o;
   size_t i, n = 0, m;
   static const char *cls_name[VN_NCLASS] = { "minor", "major" };
   int cls, first = 1;

   name_frames();
   o = vn_xcalloc(nsites + 1, sizeof *o);
   for (i = 0; i < nsites; i++) {
      unsigned k, len = sites[i].n;
      /* the stack ends at main */
      for (k = 0; k < sites[i].n; k++)
         if (is_main(&frames[sites[i].f[k]])) {
            len = k + 1;
            break;
         }
      o[n].cls = sites[i].cls;
      o[n].n = len;
      o[n].count = sites[i].count;
      o[n].f = sites[i].f;
      n++;
   }
   /* stacks that differed only below main are one site now */
   qsort(o, n, sizeof *o, stack_cmp);
   for (i = 0, m = 0; i < n; i++) {
      if (m && same_stack(&o[m - 1], &o[i]))
         o[m - 1].count += o[i].count;
      else
         o[m++] = o[i];
   }
   qsort(o, m, sizeof *o, out_cmp);
   fputc('[', out);
   for (cls = 0; cls < VN_NCLASS; cls++) {
      size_t shown = 0;
      for (i = 0; i < m && shown < 100; i++) {
         unsigned k;
         if (o[i].cls != cls)
            continue;
         shown++;
         fprintf(out, "%s\n  {\"class\": \"%s\", \"count\": %llu, \"stack\": [",
                 first ? "" : ",", cls_name[cls], (unsigned long long)o[i].count);
         first = 0;
         for (k = 0; k < o[i].n; k++) {
            if (k)
               fputs(", ", out);
            vn_json_str(out, frames[o[i].f[k]].text);
         }
         fputs("]}", out);
      }
   }
   fputs(first ? "]" : "\n]", out);
   free(o);
}
