/* vs_vmtrace.c: vmtrace's own traces (--trace-out-file, vt_trace.h).  A
   vmtrace trace is replayed by the core (vt_replay), which rebuilds the
   process's address space and feeds the simulations exactly as the tool
   did online; its references, in order, are also the stream the curves,
   OPT's future and the exports use.  A forked child's trace begins with
   its parent's address space: the parent's trace (the file beside it whose
   header's "id" the child's names) is replayed up to the fork first.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vs.h"
#include "vt_trace.h"

/* What the replay of a vmtrace trace needs besides the stream: each
   reference's time (the trace's clock, instructions), and per page the
   times of its references (for OPT's next use, asked with the clock), and
   a page number's dense id. */
struct vs_vmt {
   vt_u64   *t;                      /* [n] */
   uint32_t *first;                  /* [npages + 1]: page p's references */
   vt_u64   *times;                  /* [n]: by page, in order */
   uint32_t *tab;                    /* page number -> id + 1 */
   uint64_t  tmask;
   vt_u64    base;                   /* what the simulations' clock adds to
                                        the trace's (a forked child's
                                        sim_base: vt_core.h) */
};

static long file_read(void *ctx, void *buf, size_t len)
{
   FILE *f = ctx;
   size_t n = fread(buf, 1, len, f);
   return n == 0 && ferror(f) ? -1 : (long)n;
}

struct parents;
struct keys_ctx {
   struct vs_stream *s;
   vt_u64 *t;
   uint64_t cap;
   bool full;
   struct parents *parents;
   bool count_only;                  /* s->n and the pages only */
   vt_u64 base;                      /* the address space's sim_base at the end */
};

/* Every reference the replay gives the simulations, in order; a prefault
   (fault-around, MAP_POPULATE) maps a page without referencing it. */
static void on_key(void *ctx, vt_u64 key, unsigned flags, vt_u64 time)
{
   struct keys_ctx *k = ctx;
   if ((flags & VT_SIMA_PREFAULT) || k->full)
      return;
   if (flags & VT_SIMA_ZERO)
      k->s->seen.zero_refs++;
   if (flags & VT_SIMA_LOCKED)
      k->s->seen.locked_refs++;
   uint32_t np = k->s->npages;
   uint32_t id = vs_stream_page(k->s, key, NULL);
   bool cold = id >= np || (k->s->gone && k->s->gone[id]);
   if ((flags & VT_REPLAY_FAULTED) && !cold)
      k->s->seen.fault_hits++;    /* a fault of a class that is no miss here */
   if (k->count_only) {
      if (k->s->gone)
         k->s->gone[id] = 0;
      k->s->n++;
      return;
   }
   if (!vs_stream_push(k->s, id, ((flags & VT_SIMA_WRITE) ? VS_W : 0) |
                                 ((flags & VT_REPLAY_PAUSED) ? VS_PAUSED : 0),
                       (uint32_t)(k->s->n + 1))) {
      k->full = true;
      return;
   }
   if (k->s->n > k->cap) {
      k->cap = k->cap ? 2 * k->cap : 4096;
      k->t = vs_realloc(k->t, k->cap * sizeof *k->t);
   }
   k->t[k->s->n - 1] = time;
}

/* A private page left the address space: its next reference is another
   page's (the simulations take a fault there), which the curves must know. */
/* At the end: the pages the replay mapped without a reference, and the
   accesses it made populating. */
static void on_done(void *ctx, const struct vt_mm *mm)
{
   struct keys_ctx *k = ctx;
   k->s->seen.prefaults = mm->prefaults;
   k->s->seen.populated = mm->populated;
   k->base = mm->sim_base;
}

/* The trace's own events: what it says the model cannot see. */
static void on_event(void *ctx, const struct vt_titem *it)
{
   struct keys_ctx *k = ctx;
   if (it->op == VT_TEV_UNMODELLED)
      vs_unmod_add(&k->s->unmod, it->str);
}

static void on_drop(void *ctx, vt_u64 key)
{
   struct keys_ctx *k = ctx;
   if (k->count_only)
      vs_stream_gone(k->s, key);      /* for fault_hits only */
   else if (!k->full)
      vs_stream_drop(k->s, key);
}

/* Where the value of the header's "key" begins (after the colon and
   blanks), or NULL. */
static const char *header_value(const char *h, const char *key)
{
   const char *p = strstr(h, key);
   if (!p)
      return NULL;
   p += strlen(key);
   p += strspn(p, " \t\r\n");
   if (*p == ':')
      p++;
   return p + strspn(p, " \t\r\n");
}

/* The header's format and version, checked (docs/output-format.md: a
   reader must refuse versions it does not know; until 2026-12-06 any
   header was read as version 2's), and the version against the layout the
   magic gave (checked: version 3 on; unchecked: 1 and 2).  NULL if they
   are ours, else what is wrong. */
static const char *header_check(const char *h, bool checked, char *buf, size_t len)
{
   const char *f = header_value(h, "\"format\"");
   if (!f || strncmp(f, "\"vmtrace-trace\"", 15))
      return "offset 12: not a vmtrace page trace (its header's \"format\" is not "
             "\"vmtrace-trace\")";
   const char *v = header_value(h, "\"version\"");
   unsigned long long n = 0;
   if (!v || *v < '0' || *v > '9')
      return "offset 12: corrupt trace header (no \"version\")";
   n = strtoull(v, NULL, 10);
   if (n < 1 || n > VT_TRACE_VERSION) {
      snprintf(buf, len, "offset 12: a vmtrace trace of version %llu, which this "
               "vmtrace-sim does not read (it reads 1 to %d: a newer vmtrace's?)", n,
               VT_TRACE_VERSION);
      return buf;
   }
   if (checked != (n >= 3)) {
      snprintf(buf, len, "offset 12: corrupt trace (a version %llu header in a file %s "
               "CRC-32C checks: the magic at offset 0 says so)", n,
               checked ? "with" : "without");
      return buf;
   }
   return NULL;
}

struct tfile *vs_trace_open(const char *path, char *err, size_t errlen)
{
   struct tfile *t = vs_alloc(sizeof *t);
   t->f = fopen(path, "rb");
   if (!t->f) {
      vs_err(err, errlen, "%s: offset 0: cannot open: %s", path, strerror(errno));
      free(t);
      return NULL;
   }
   t->in = (struct vt_trace_in){ file_read, t->f };
   const char *e = NULL;
   t->r = vt_trace_reader_new(&t->in, &e);
   if (!t->r) {
      int saved = errno;
      if (ferror(t->f))              /* the core's "read error" does not know why */
         vs_err(err, errlen, "%s: %s: %s", path, e ? e : "offset 0: read error",
                strerror(saved));
      else
         vs_err(err, errlen, "%s: %s", path, e ? e : "offset 0: not a vmtrace trace");
      fclose(t->f);
      free(t);
      return NULL;
   }
   char buf[160];
   const char *bad = header_check(vt_trace_header(t->r), vt_trace_checked(t->r), buf,
                                  sizeof buf);
   if (bad) {
      vs_err(err, errlen, "%s: %s", path, bad);
      vs_trace_close(t);
      return NULL;
   }
   return t;
}

/* A version 1 or 2 trace has no CRC: read, and said once on stderr. */
void vs_trace_unchecked(const char *path)
{
   fprintf(stderr, "%s: note: %s: a vmtrace trace of version 1 or 2, which has no "
           "CRC-32C checks: read unchecked\n", vs_prog, path);
}

void vs_trace_close(struct tfile *t)
{
   if (t->r)
      vt_trace_reader_free(t->r);
   fclose(t->f);
   free(t);
}

/* A forked child's parent: the trace in the child's folder whose header
   names itself by id (its first "id"; a parent's own parent comes later in
   the header).  The replay frees the reader; its file stays open until
   the replay ends. */
struct parents {
   char           dir[4096];
   struct tfile  *open[64];
   int            nr_open;
   char           bad[512];         /* the first trace there that could not be
                                       read (its header corrupt, say): it
                                       may be the parent not found */
};

/* Whether the file begins as a vmtrace trace does (the magic's first 7
   bytes), whatever follows. */
static bool is_vmtrace(const char *path)
{
   char head[7];
   FILE *f = fopen(path, "rb");
   bool yes = f && fread(head, 1, sizeof head, f) == sizeof head &&
              !memcmp(head, VT_TRACE_MAGIC, sizeof head);
   if (f)
      fclose(f);
   return yes;
}

/* The replay's error e for the trace at path, one line; if the parent was
   not found and a trace beside it could not be read, that trace's error
   too (a parent whose header is corrupt is not known as the parent). */
static void replay_error(char *err, size_t errlen, const char *path, const char *e,
                         const struct parents *pa)
{
   if (e && pa->bad[0] && strstr(e, "needs its parent's trace"))
      vs_err(err, errlen, "%s: %s; a trace beside it could not be read: %s", path, e,
             pa->bad);
   else
      vs_err(err, errlen, "%s: %s", path, e ? e : "replay failed");
}

static struct vt_trace_reader *find_parent(void *ctx, vt_u64 pid, vt_u64 id)
{
   struct parents *pa = ctx;
   (void)pid;
   char want[64];
   snprintf(want, sizeof want, "\"id\": \"%016llx\"", (unsigned long long)id);
   DIR *d = opendir(pa->dir);
   if (!d || pa->nr_open == 64) {
      if (d)
         closedir(d);
      return NULL;
   }
   struct vt_trace_reader *found = NULL;
   struct dirent *e;
   while (!found && (e = readdir(d)) != NULL) {
      char path[8192];
      struct stat st;
      snprintf(path, sizeof path, "%s/%s", pa->dir, e->d_name);
      if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
         continue;
      char err[512];
      struct tfile *t = vs_trace_open(path, err, sizeof err);
      if (!t) {
         if (!pa->bad[0] && is_vmtrace(path))
            snprintf(pa->bad, sizeof pa->bad, "%s", err);
         continue;
      }
      const char *first = strstr(vt_trace_header(t->r), "\"id\": \"");
      if (first && strncmp(first, want, strlen(want)) == 0) {
         pa->open[pa->nr_open++] = t;
         found = t->r;
         t->r = NULL;                 /* the replay frees the reader */
      } else {
         vs_trace_close(t);
      }
   }
   closedir(d);
   return found;
}

static struct vt_trace_reader *keys_parent(void *ctx, vt_u64 pid, vt_u64 id)
{
   return find_parent(((struct keys_ctx *)ctx)->parents, pid, id);
}

static void parents_init(struct parents *pa, const char *path)
{
   memset(pa, 0, sizeof *pa);
   const char *slash = strrchr(path, '/');
   if (!slash)
      snprintf(pa->dir, sizeof pa->dir, ".");
   else
      snprintf(pa->dir, sizeof pa->dir, "%.*s", (int)(slash - path) ? (int)(slash - path) : 1,
               path);
}

static void parents_free(struct parents *pa)
{
   for (int i = 0; i < pa->nr_open; i++)
      vs_trace_close(pa->open[i]);
   pa->nr_open = 0;
}

/* The process image a trace records, from its header (its own "id" comes
   before its parent's): what a report joins the curves to the tool's
   output file of the same image by (its run.trace_id). */
static void header_process(const char *h, struct vs_stream *s)
{
   const char *id = strstr(h, "\"id\": \""), *pid = strstr(h, "\"pid\": ");
   s->proc_id[0] = 0;
   if (!id || !pid || strspn(id + 7, "0123456789abcdef") < 16)
      return;
   memcpy(s->proc_id, id + 7, 16);
   s->proc_id[16] = 0;
   s->proc_pid = strtoull(pid + 7, NULL, 10);
}

int vs_vmtrace_stream(const char *path, const struct vs_read_opts *o,
                      struct vs_stream *s, char *err, size_t errlen)
{
   struct tfile *tf = vs_trace_open(path, err, errlen);
   if (!tf)
      return -1;
   vs_stream_init(s, path, "vmtrace", o->keep_time);
   struct keys_ctx k = { s, NULL, 0, false, NULL, o->count_only, 0 };
   struct parents pa;
   parents_init(&pa, path);
   k.parents = &pa;
   header_process(vt_trace_header(tf->r), s);
   if (!vt_trace_checked(tf->r))
      vs_trace_unchecked(path);
   struct vt_replay_env env = { .parent_trace = keys_parent, .keys = on_key,
                               .drop = on_drop, .done = on_done, .event = on_event,
                               .ctx = &k };
   const char *e = NULL;
   int rc = vt_replay(tf->r, NULL, 0, &env, &e);
   parents_free(&pa);
   vs_trace_close(tf);
   if (rc || k.full) {
      if (k.full)
         vs_err(err, errlen, "%s: more than %u references: vmtrace-sim cannot hold them",
                path, VS_MAX_REFS);
      else
         replay_error(err, errlen, path, e, &pa);
      free(k.t);
      vs_stream_free(s);
      return -1;
   }
   vs_stream_done(s);
   s->replayed = true;
   struct vs_vmt *v = vs_alloc(sizeof *v);
   s->vmt = v;
   v->base = k.base;
   if (o->count_only)
      return 0;
   /* Per page, the times of its references, and its id by page number. */
   v->t = k.t;
   v->first = vs_alloc(((size_t)s->npages + 1) * sizeof *v->first);
   v->times = vs_alloc((s->n ? s->n : 1) * sizeof *v->times);
   for (uint64_t i = 0; i < s->n; i++)
      v->first[s->id[i] + 1]++;
   for (uint32_t p = 0; p < s->npages; p++)
      v->first[p + 1] += v->first[p];
   uint32_t *fill = vs_alloc(((size_t)s->npages + 1) * sizeof *fill);
   for (uint64_t i = 0; i < s->n; i++)
      v->times[v->first[s->id[i]] + fill[s->id[i]]++] = v->t[i];
   free(fill);
   free(v->t);                        /* in times[] now, by page */
   v->t = NULL;
   uint64_t cap = 1024;
   while (cap < 2 * (uint64_t)s->npages)
      cap *= 2;
   v->tab = vs_alloc(cap * sizeof *v->tab);
   v->tmask = cap - 1;
   for (uint32_t p = 0; p < s->npages; p++) {
      uint64_t h = vs_hash64(s->obj[p]) & v->tmask;
      while (v->tab[h])
         h = (h + 1) & v->tmask;
      v->tab[h] = p + 1;
   }
   s->vmt = v;
   return 0;
}

/* OPT's oracle: the first reference to page `key` after time now, both
   on the simulations' clock: the trace's plus its base (a forked child's
   references come after every time of its parent's replay). */
static vt_u64 vmt_next_use(void *ctx, vt_u64 key, vt_u64 now)
{
   const struct vs_stream *s = ctx;
   const struct vs_vmt *v = s->vmt;
   uint64_t h = vs_hash64(key) & v->tmask;
   for (; v->tab[h]; h = (h + 1) & v->tmask)
      if (s->obj[v->tab[h] - 1] == key)
         break;
   if (!v->tab[h])
      return VT_SIM_NO_PAGE;
   uint32_t p = v->tab[h] - 1, lo = v->first[p], hi = v->first[p + 1];
   while (lo < hi) {                  /* the first time > now */
      uint32_t mid = lo + (hi - lo) / 2;
      if (v->times[mid] + v->base <= now)
         lo = mid + 1;
      else
         hi = mid;
   }
   return lo < v->first[p + 1] ? v->times[lo] + v->base : VT_SIM_NO_PAGE;
}

/* The replay running on this thread (jobs run on threads of their own):
   whether an out-of-memory simulation stops, and where it stopped. */
struct vmt_oom { bool stop; vt_u64 at; };
static _Thread_local struct vmt_oom *vmt_oom;

/* Counting the stream's references a simulation took before it stopped:
   the replay feeds it every reference (no filter, as the stream's own
   replay does) and says each reference's key after the simulation has
   taken it, and each event once applied.  A stop noticed at a reference
   was that reference's (it is counted, as the other formats count the
   reference that ran out of memory); one noticed at an event was the
   event's (a populate, an mlock), which comes before any later reference. */
struct count_ctx {
   struct parents *parents;
   const struct vmt_oom *oom;
   uint64_t n;
   bool done;
};

static void count_key(void *ctx, vt_u64 key, unsigned flags, vt_u64 time)
{
   struct count_ctx *c = ctx;
   (void)key; (void)time;
   if ((flags & VT_SIMA_PREFAULT) || c->done)
      return;
   if (c->oom->at) {
      /* stopped by this reference (at its clock), or before the trace's
         own references began (in its parent's, replayed up to the fork) */
      c->done = true;
      if (c->oom->at != (time ? time : 1))
         return;
   }
   c->n++;
}

static void count_event(void *ctx, const struct vt_titem *it)
{
   struct count_ctx *c = ctx;
   (void)it;
   if (c->oom->at)
      c->done = true;
}

static struct vt_trace_reader *count_parent(void *ctx, vt_u64 pid, vt_u64 id)
{
   return find_parent(((struct count_ctx *)ctx)->parents, pid, id);
}

/* As the tool's vt_memsim_oom with --oom=stop (and tests/trace/host.h):
   the simulation takes no further reference, so that its figures are the
   online run's, which stopped there. */
void vs_vmtrace_oom(void *ctx, struct vt_mm *mm, uint32_t sim, vt_addr addr)
{
   (void)ctx; (void)addr;
   if (!vmt_oom || !vmt_oom->stop)
      return;
   if (!vmt_oom->at)
      vmt_oom->at = mm->now ? mm->now : 1;
   vt_mm_stop_sim(mm, sim);
}

int vs_vmtrace_replay(const struct vs_stream *s, struct vt_sim *sim, bool oom_stop,
                      uint64_t *stopped_at, uint64_t *replayed, char *err, size_t errlen)
{
   *stopped_at = 0;
   struct tfile *tf = vs_trace_open(s->name, err, errlen);
   if (!tf)
      return -1;
   if (s->vmt->times)
      vt_sim_set_future(sim, vmt_next_use, (void *)s);
   struct parents pa;
   parents_init(&pa, s->name);
   struct vmt_oom oom = { oom_stop, 0 };
   struct count_ctx cc = { &pa, &oom, 0, false };
   struct vt_replay_env env = { .parent_trace = find_parent, .ctx = &pa };
   if (replayed)
      env = (struct vt_replay_env){ .parent_trace = count_parent, .keys = count_key,
                                    .event = count_event, .ctx = &cc };
   const char *e = NULL;
   vmt_oom = &oom;
   int rc = vt_replay(tf->r, &sim, 1, &env, &e);
   vmt_oom = NULL;
   *stopped_at = oom.at;
   if (replayed)
      *replayed = cc.n;
   parents_free(&pa);
   vs_trace_close(tf);
   if (rc)
      replay_error(err, errlen, s->name, e, &pa);
   return rc;
}

void vs_vmtrace_free(struct vs_stream *s)
{
   if (!s->vmt)
      return;
   free(s->vmt->t);
   free(s->vmt->first);
   free(s->vmt->times);
   free(s->vmt->tab);
   free(s->vmt);
   s->vmt = NULL;
}

