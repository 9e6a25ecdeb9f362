/* vs_merge.c: vmtrace-sim merge: the JSON files of the N shards of one grid
   (--shard=K/N, same traces and options) joined into the results of the
   whole grid, printed and written as a run of its own would be.  A small
   JSON reader for vmtrace-sim's own files.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vs.h"

/* ---- a JSON reader ------------------------------------------------------------ */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };
struct jv {
   enum jtype t;
   bool b;
   double num;
   uint64_t u;                       /* J_NUM: the integer, if it is one */
   bool is_u;
   char *s;                          /* J_STR; J_OBJ: the keys, below */
   struct jv *items;                 /* J_ARR, J_OBJ */
   char **keys;                      /* J_OBJ */
   size_t n;
   const char *beg, *end;            /* its text in the file */
};

struct jp {
   const char *p, *start, *path;
   char *err;
   size_t errlen;
};

static bool jfail(struct jp *j, const char *what)
{
   if (!*j->err)
      vs_err(j->err, j->errlen, "%s: offset %ld: %s", j->path, (long)(j->p - j->start), what);
   return false;
}

static void jws(struct jp *j)
{
   while (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t')
      j->p++;
}

static bool jvalue(struct jp *j, struct jv *v, int depth);

static bool jstring(struct jp *j, char **out)
{
   if (*j->p != '"')
      return jfail(j, "a string was expected");
   j->p++;
   size_t cap = 16, n = 0;
   char *s = vs_alloc(cap);
   /* Errors name the offset of the byte at fault (the end, for a string
      the file cuts: until 2026-12-06 one past it), and nothing is read
      past the end (a file ending in "\u" was read 4 bytes beyond). */
   for (;;) {
      const char *at = j->p;
      unsigned char ch = (unsigned char)*j->p;
      if (ch == '"') {
         j->p++;
         break;
      }
      if (ch < 0x20) {
         free(s);
         return jfail(j, ch ? "a control character in a string" : "unterminated string");
      }
      j->p++;
      if (ch == '\\') {
         char e = *j->p;
         if (!e) {
            free(s);
            return jfail(j, "unterminated string");
         }
         j->p++;
         switch (e) {
         case '"': case '\\': case '/': ch = (unsigned char)e; break;
         case 'n': ch = '\n'; break;
         case 't': ch = '\t'; break;
         case 'r': ch = '\r'; break;
         case 'b': ch = '\b'; break;
         case 'f': ch = '\f'; break;
         case 'u': {
            unsigned x = 0;
            for (int k = 0; k < 4; k++) {
               char h = *j->p;
               unsigned d = h >= '0' && h <= '9' ? (unsigned)(h - '0')
                            : h >= 'a' && h <= 'f' ? (unsigned)(h - 'a' + 10)
                            : h >= 'A' && h <= 'F' ? (unsigned)(h - 'A' + 10) : 16;
               if (d == 16) {
                  free(s);
                  return jfail(j, h ? "bad \\u escape in a string (4 hex digits expected)"
                                    : "unterminated string");
               }
               x = x * 16 + d;
               j->p++;
            }
            ch = (unsigned char)(x < 256 ? x : '?');
            break;
         }
         default:
            j->p = at;
            free(s);
            return jfail(j, "bad escape in a string");
         }
      }
      if (n + 2 > cap)
         s = vs_realloc(s, cap *= 2);
      s[n++] = (char)ch;
   }
   s[n] = 0;
   *out = s;
   return true;
}

static bool jvalue_(struct jp *j, struct jv *v, int depth);

static bool jvalue(struct jp *j, struct jv *v, int depth)
{
   jws(j);
   const char *beg = j->p;
   bool r = jvalue_(j, v, depth);
   v->beg = beg;
   v->end = j->p;
   return r;
}

static bool jvalue_(struct jp *j, struct jv *v, int depth)
{
   memset(v, 0, sizeof *v);
   if (depth > 32)
      return jfail(j, "nested too deeply");
   jws(j);
   char c = *j->p;
   if (c == '{' || c == '[') {
      bool obj = c == '{';
      v->t = obj ? J_OBJ : J_ARR;
      j->p++;
      size_t cap = 0;
      jws(j);
      if (*j->p == (obj ? '}' : ']')) {
         j->p++;
         return true;
      }
      for (;;) {
         if (v->n == cap) {
            cap = cap ? 2 * cap : 8;
            v->items = vs_realloc(v->items, cap * sizeof *v->items);
            if (obj)
               v->keys = vs_realloc(v->keys, cap * sizeof *v->keys);
         }
         if (obj) {
            jws(j);
            if (!jstring(j, &v->keys[v->n]))
               return false;
            jws(j);
            if (*j->p++ != ':')
               return jfail(j, "':' was expected");
         }
         if (!jvalue(j, &v->items[v->n], depth + 1))
            return false;
         v->n++;
         jws(j);
         if (*j->p == ',') {
            j->p++;
            continue;
         }
         if (*j->p++ != (obj ? '}' : ']'))
            return jfail(j, obj ? "',' or '}' was expected" : "',' or ']' was expected");
         return true;
      }
   }
   if (c == '"') {
      v->t = J_STR;
      return jstring(j, &v->s);
   }
   if (!strncmp(j->p, "true", 4) || !strncmp(j->p, "false", 5)) {
      v->t = J_BOOL;
      v->b = *j->p == 't';
      j->p += v->b ? 4 : 5;
      return true;
   }
   if (!strncmp(j->p, "null", 4)) {
      j->p += 4;
      return true;
   }
   if (c == '-' || (c >= '0' && c <= '9')) {
      char *end;
      v->t = J_NUM;
      errno = 0;
      v->num = strtod(j->p, &end);
      if (end == j->p)
         return jfail(j, "a number was expected");
      const char *q = j->p;
      bool integer = c != '-';
      for (; q < end; q++)
         integer &= *q >= '0' && *q <= '9';
      if (integer) {
         v->u = strtoull(j->p, NULL, 10);
         v->is_u = errno == 0;
      }
      j->p = end;
      return true;
   }
   return jfail(j, "a JSON value was expected");
}

static void jfree(struct jv *v)
{
   for (size_t i = 0; i < v->n; i++) {
      jfree(&v->items[i]);
      if (v->t == J_OBJ)
         free(v->keys[i]);
   }
   free(v->items);
   free(v->keys);
   free(v->s);
}

static const struct jv *jget(const struct jv *o, const char *key)
{
   if (!o || o->t != J_OBJ)
      return NULL;
   for (size_t i = 0; i < o->n; i++)
      if (!strcmp(o->keys[i], key))
         return &o->items[i];
   return NULL;
}

/* ---- merging ------------------------------------------------------------------ */

struct mfile {
   const char *path;
   char *text;
   struct jv root;
   bool tree;                        /* vmtrace-sim --tree's */
};

static __attribute__((noreturn)) void bad(const struct mfile *f, const char *what)
{
   vs_die("merge: %s: %s", f->path, what);
}

/* Shard k of n is here: once only. */
static void shard_seen(const struct mfile *f, bool *seen, uint64_t k, uint64_t n)
{
   if (k < 1 || k > n || seen[k]) {
      char msg[96];
      snprintf(msg, sizeof msg, "shard %llu/%llu is given twice",
               (unsigned long long)k, (unsigned long long)n);
      bad(f, msg);
   }
   seen[k] = true;
}

static uint64_t num(const struct mfile *f, const struct jv *o, const char *key)
{
   const struct jv *v = jget(o, key);
   if (!v || v->t != J_NUM || !v->is_u) {
      char msg[128];
      snprintf(msg, sizeof msg, "'%s' is missing or not a count (not vmtrace-sim's?)", key);
      bad(f, msg);
   }
   return v->u;
}

static void load(struct mfile *f, char *err, size_t errlen)
{
   FILE *in = fopen(f->path, "rb");
   if (!in)
      vs_die("merge: %s: offset 0: cannot open: %s", f->path, strerror(errno));
   size_t cap = 1 << 16, n = 0;
   f->text = vs_alloc(cap);
   for (size_t got; (got = fread(f->text + n, 1, cap - n - 1, in)) > 0;) {
      n += got;
      if (n + 1 == cap)
         f->text = vs_realloc(f->text, cap *= 2);
   }
   if (ferror(in))                    /* a directory: was "a JSON value was expected" */
      vs_die("merge: %s: offset %zu: read error: %s", f->path, n, strerror(errno));
   fclose(in);
   f->text[n] = 0;
   struct jp j = { f->text, f->text, f->path, err, errlen };
   err[0] = 0;
   if (!jvalue(&j, &f->root, 0))
      vs_die("merge: %s", err);
   const struct jv *fmt = jget(&f->root, "format");
   if (fmt && fmt->t == J_STR && !strcmp(fmt->s, "vmtrace-sim-tree")) {
      f->tree = true;
      if (num(f, &f->root, "version") != 1)
         bad(f, "a version of vmtrace-sim's JSON this program does not know");
      return;
   }
   if (!fmt || fmt->t != J_STR || strcmp(fmt->s, "vmtrace-sim"))
      vs_die("merge: %s: offset 0: not a vmtrace-sim result (its \"format\" is not "
             "\"vmtrace-sim\")", f->path);
   if (num(f, &f->root, "version") != 1)
      bad(f, "a version of vmtrace-sim's JSON this program does not know");
}

/* Options and traces, written back canonically, must agree. */
static void canon(FILE *o, const struct jv *v, const char *skip)
{
   switch (v->t) {
   case J_NULL: fputs("null", o); break;
   case J_BOOL: fputs(v->b ? "true" : "false", o); break;
   case J_NUM:
      if (v->is_u)
         fprintf(o, "%llu", (unsigned long long)v->u);
      else
         fprintf(o, "%.17g", v->num);
      break;
   case J_STR: vs_json_str(o, v->s); break;
   case J_ARR:
   case J_OBJ:
      fputc(v->t == J_ARR ? '[' : '{', o);
      for (size_t i = 0; i < v->n; i++) {
         if (v->t == J_OBJ && skip && !strcmp(v->keys[i], skip))
            continue;
         if (i)
            fputc(',', o);
         if (v->t == J_OBJ) {
            vs_json_str(o, v->keys[i]);
            fputc(':', o);
         }
         canon(o, &v->items[i], skip);
      }
      fputc(v->t == J_ARR ? ']' : '}', o);
      break;
   }
}

static char *canon_str(const struct jv *v, const char *skip)
{
   char *buf = NULL;
   size_t len = 0;
   FILE *o = open_memstream(&buf, &len);
   if (!o)
      vs_die("out of memory");
   if (v)
      canon(o, v, skip);
   fclose(o);
   return buf;
}

static void config_from(const struct mfile *f, struct vs_config *c)
{
   const struct jv *o = jget(&f->root, "options");
   const struct jv *v;
   if (!o)
      bad(f, "no \"options\"");
   memset(c, 0, sizeof *c);
   for (int i = 0; vt_policies[i]; i++)
      vt_policy_params_init(vt_policies[i], &c->params[i]);
   v = jget(o, "policies");
   if (!v || v->t != J_ARR || v->n > 16)
      bad(f, "\"options.policies\" is not a list of policies");
   for (size_t i = 0; i < v->n; i++) {
      const struct vt_policy_ops *p = v->items[i].t == J_STR ? vt_policy_find(v->items[i].s) : NULL;
      if (!p)
         bad(f, "an unknown policy in \"options.policies\"");
      c->policies[c->nr_policies++] = p;
   }
   v = jget(o, "pages");
   if (!v || v->t != J_ARR || v->n > 256)
      bad(f, "\"options.pages\" is not a list of sizes");
   for (size_t i = 0; i < v->n; i++)
      c->sizes[c->nr_sizes++] = v->items[i].u;
   v = jget(o, "mrc");
   c->mrc = v && v->t == J_BOOL && v->b;
   v = jget(o, "curve_sizes");
   if (v && v->t == J_ARR)
      for (size_t i = 0; i < v->n && i < 256; i++)
         c->curve_sizes[c->nr_curve_sizes++] = v->items[i].u;
   c->curve_points = (unsigned)num(f, o, "curve_points");
   c->swap_pages = num(f, o, "swap_pages");
   v = jget(o, "no_swap");
   c->no_swap = v && v->t == J_BOOL && v->b;
   v = jget(o, "page_kind");
   c->anon = v && v->t == J_STR && !strcmp(v->s, "anon");
   v = jget(o, "oom");
   c->oom_stop = !v || v->t != J_STR || strcmp(v->s, "continue");
   v = jget(o, "sample_rate");
   c->sample = v && v->t == J_NUM ? v->num : 0;
   const struct jv *params = jget(o, "params");
   for (int i = 0; vt_policies[i]; i++)
      for (unsigned k = 0; k < vt_policies[i]->nr_params; k++) {
         const struct vt_policy_param *d = &vt_policies[i]->params[k];
         const struct jv *pv = jget(params, d->option);
         if (pv && pv->t == J_NUM && pv->is_u)
            *vt_policy_param_ptr(&c->params[i], d) = pv->u;
      }
}

static void fill_sim(const struct mfile *f, const struct jv *s, struct vs_result *x)
{
   const struct jv *faults = jget(s, "faults");
   for (int k = 0; k < VT_NR_FC; k++)
      x->st.faults[k] = num(f, faults, vt_fault_classes[k].name);
   x->st.swap_outs = num(f, s, "swap_outs");
   x->st.writebacks = num(f, s, "writebacks");
   x->st.refaults = num(f, s, "refaults");
   x->st.evictions = num(f, s, "evictions");
   x->st.oom_events = num(f, s, "oom_count");
   x->st.peak_resident = num(f, s, "peak_resident_pages");
   x->resident = num(f, s, "resident_pages");
   x->refs = num(f, s, "references");
   x->sim_pages = num(f, s, "simulated_pages");
   const struct jv *st = jget(s, "stopped_at");
   x->stopped_at = st && st->t == J_NUM ? st->u : 0;
}

static void fill_curve(const struct mfile *f, const struct jv *s, struct vs_result *x)
{
   const struct jv *sz = jget(s, "sizes"), *m = jget(s, "misses");
   if (!sz || !m || sz->t != J_ARR || m->t != J_ARR || sz->n != m->n || !sz->n)
      bad(f, "a curve without matching \"sizes\" and \"misses\"");
   struct vs_curve *c = &x->curve;
   c->refs = num(f, s, "references");
   c->cold = num(f, s, "cold");
   c->n = (uint32_t)sz->n;
   c->sizes = vs_alloc(sz->n * sizeof *c->sizes);
   c->misses = vs_alloc(sz->n * sizeof *c->misses);
   for (size_t i = 0; i < sz->n; i++) {
      c->sizes[i] = sz->items[i].u;
      c->misses[i] = m->items[i].u;
   }
   x->refs = c->refs;
}


/* ---- --tree's shards ----------------------------------------------------------

   The JSON of one run over the whole grid, byte for byte: the shards' own
   text of each curve and simulation, in the grid's order; the CSV made
   from their figures as --tree makes it. */

static const struct jv *jarr(const struct mfile *f, const struct jv *o, const char *key)
{
   const struct jv *v = jget(o, key);
   if (!v || v->t != J_ARR) {
      char msg[128];
      snprintf(msg, sizeof msg, "'%s' is missing or not a list (not vmtrace-sim's?)", key);
      bad(f, msg);
   }
   return v;
}

static void put_span(FILE *o, const struct jv *v)
{
   fwrite(v->beg, 1, (size_t)(v->end - v->beg), o);
}

static void tree_csv_sim(FILE *o, const struct mfile *f, const struct jv *s)
{
   const struct jv *pol = jget(s, "policy");
   if (!pol || pol->t != J_STR)
      bad(f, "a simulation without \"policy\"");
   uint64_t pages = num(f, s, "pages");
   const struct jv *ps = jarr(f, s, "processes"), *ks = jarr(f, s, "oom_kills");
   uint64_t mi = 0, ma = 0, refs = 0;
   for (size_t i = 0; i < ps->n; i++) {
      mi += num(f, &ps->items[i], "minor");
      ma += num(f, &ps->items[i], "major");
      refs += num(f, &ps->items[i], "references");
   }
   fprintf(o, "%s,%llu,all,,%llu,%llu,%llu,%llu,%llu,,%llu\n", pol->s,
           (unsigned long long)pages, (unsigned long long)(mi + ma), (unsigned long long)ma,
           (unsigned long long)mi, (unsigned long long)num(f, s, "evictions"),
           (unsigned long long)refs, (unsigned long long)ks->n);
   for (size_t i = 0; i < ps->n; i++) {
      const struct jv *q = &ps->items[i], *pp = jget(q, "ppid"), *end = jget(q, "end");
      uint64_t pid = num(f, q, "pid");
      fprintf(o, "%s,%llu,%llu,", pol->s, (unsigned long long)pages, (unsigned long long)pid);
      if (pp && pp->t == J_NUM)
         fprintf(o, "%llu", (unsigned long long)pp->u);
      uint64_t qmi = num(f, q, "minor"), qma = num(f, q, "major");
      fprintf(o, ",%llu,%llu,%llu,,%llu,%s,", (unsigned long long)(qmi + qma),
              (unsigned long long)qma, (unsigned long long)qmi,
              (unsigned long long)num(f, q, "references"),
              end && end->t == J_STR ? end->s : "");
      const struct jv *kx = NULL;
      for (size_t k = 0; k < ks->n; k++)
         if (num(f, &ks->items[k], "pid") == pid)
            kx = &ks->items[k];
      if (kx)
         fprintf(o, "%llu", (unsigned long long)num(f, kx, "tree_reference"));
      fprintf(o, "\n");
   }
}

static uint64_t curve_at(const struct mfile *f, const struct jv *c, uint64_t size)
{
   const struct jv *sz = jarr(f, c, "sizes"), *m = jarr(f, c, "misses");
   uint64_t v = 0;
   for (size_t i = 0; i < sz->n && i < m->n && sz->items[i].u <= size; i++)
      v = m->items[i].u;
   return v;
}

static void tree_csv_curve(FILE *o, const struct mfile *f, const struct jv *run,
                           const struct jv *c)
{
   const struct jv *pol = jget(c, "policy"), *meth = jget(c, "method");
   if (!pol || pol->t != J_STR || !meth || meth->t != J_STR)
      bad(f, "a curve without \"policy\" or \"method\"");
   uint64_t cold = num(f, c, "cold"), refs = num(f, c, "references");
   const struct jv *lists[2] = { jarr(f, run, "curve_sizes"), jarr(f, run, "pages") };
   for (int l = 0; l < 2; l++)
      for (size_t k = 0; k < lists[l]->n; k++) {
         uint64_t size = lists[l]->items[k].u, m = curve_at(f, c, size);
         uint64_t held = size < cold ? size : cold;
         fprintf(o, "%s,%llu,curve,,%llu,%llu,%llu,%llu,%llu,%s,\n", pol->s,
                 (unsigned long long)size, (unsigned long long)m,
                 (unsigned long long)(m - cold), (unsigned long long)cold,
                 (unsigned long long)(m > held ? m - held : 0), (unsigned long long)refs,
                 meth->s);
      }
}

static int merge_tree(struct mfile *files, int nf, const char *csv, const char *json)
{
   const struct mfile *f0 = &files[0];
   const struct jv *run0 = jget(&f0->root, "run");
   if (!run0 || run0->t != J_OBJ)
      bad(f0, "no \"run\" (a --tree result of vmtrace-sim before shards?)");
   uint64_t n = num(f0, jget(&f0->root, "shard"), "n"), jobs = num(f0, run0, "jobs");
   char *r0 = canon_str(run0, NULL);
   bool *seen = vs_alloc(n + 1);
   const struct jv **at = vs_alloc((jobs ? jobs : 1) * sizeof *at);
   for (int i = 0; i < nf; i++) {
      const struct mfile *f = &files[i];
      const struct jv *sh = jget(&f->root, "shard");
      if (!sh)
         bad(f, "no \"shard\"");
      uint64_t k = num(f, sh, "k");
      char *r = canon_str(jget(&f->root, "run"), NULL);
      if (num(f, sh, "n") != n || strcmp(r, r0))
         bad(f, "a shard of another run: its traces, options or shard count differ from the "
                "first file's");
      free(r);
      shard_seen(f, seen, k, n);
      const char *lists[2] = { "curves", "simulations" };
      for (int l = 0; l < 2; l++) {
         const struct jv *a = jarr(f, &f->root, lists[l]);
         for (size_t x = 0; x < a->n; x++) {
            uint64_t j = num(f, &a->items[x], "job");
            if (j >= jobs || j % n != k - 1 || at[j])
               bad(f, "a job that is not its shard's (or given twice)");
            at[j] = &a->items[x];
         }
      }
   }
   for (uint64_t k = 1; k <= n; k++)
      if (!seen[k])
         vs_die("merge: shard %llu/%llu is missing", (unsigned long long)k,
                (unsigned long long)n);
   free(r0);
   char err[1024];
   struct vs_ofile oc = { 0 }, oj = { 0 };
   if (csv && vs_out_open(&oc, csv, false, err, sizeof err))
      vs_die("%s", err);
   if (json && vs_out_open(&oj, json, false, err, sizeof err))
      vs_die("%s", err);
   if (json) {
      FILE *o = oj.f;
      fprintf(o, "{\"format\": \"vmtrace-sim-tree\", \"version\": 1,\n"
                 " \"tool\": {\"name\": \"vmtrace-sim\", \"version\": \"" VS_VERSION "\"},\n"
                 " \"run\": ");
      put_span(o, run0);
      fprintf(o, ",\n \"shard\": {\"k\": 1, \"n\": 1},\n");
      const struct jv *st = jget(&f0->root, "stream");
      if (st) {
         fprintf(o, " \"stream\": ");
         put_span(o, st);
         fprintf(o, ",\n");
      }
      for (int l = 0; l < 2; l++) {
         fprintf(o, l ? "],\n \"simulations\": [" : " \"curves\": [");
         bool first = true;
         for (uint64_t j = 0; j < jobs; j++) {
            const struct jv *pg = at[j] ? jget(at[j], "curve_point") : NULL;
            if (!at[j] || (l == 0) != (pg == NULL))
               continue;
            fprintf(o, "%s\n  ", first ? "" : ",");
            put_span(o, at[j]);
            first = false;
         }
      }
      fprintf(o, "\n ]}\n");
   }
   if (csv) {
      fprintf(oc.f, "policy,pages,pid,ppid,faults,major,minor,evictions,references,end,"
                    "killed_at\n");
      for (uint64_t j = 0; j < jobs; j++) {
         if (!at[j])
            continue;
         if (jget(at[j], "curve_point"))
            tree_csv_sim(oc.f, f0, at[j]);
         else
            tree_csv_curve(oc.f, f0, run0, at[j]);
      }
   }
   if (csv && vs_out_close(&oc, err, sizeof err))
      vs_die("%s", err);
   if (json && vs_out_close(&oj, err, sizeof err))
      vs_die("%s", err);
   free(at);
   free(seen);
   return 0;
}

int vs_merge_main(int argc, char **argv)
{
   const char *csv = NULL, *json = NULL;
   bool quiet = false;
   struct mfile *files = vs_alloc((size_t)argc * sizeof *files);
   int nf = 0;
   for (int i = 1; i < argc; i++) {
      const char *a = argv[i];
      /* as the replay's options say it (until 2026-12-06 both were an
         'unknown option', which they are not) */
      if (!strcmp(a, "--csv=") || !strcmp(a, "--json="))
         vs_die("merge: %.*s: the file name is empty", (int)strlen(a) - 1, a);
      if (!strcmp(a, "--csv") || !strcmp(a, "--json"))
         vs_die("merge: %s takes its value after '=' (%s=FILE), not as the next argument",
                a, a);
      if (!strncmp(a, "--csv=", 6))
         csv = a + 6;
      else if (!strncmp(a, "--json=", 7))
         json = a + 7;
      else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
         quiet = true;
      else if (a[0] == '-')
         vs_die("merge: unknown option '%s' (merge takes --csv=FILE, --json=FILE, -q)", a);
      else
         files[nf++].path = a;
   }
   if (!nf)
      vs_die("merge: give the JSON files of the shards (--json of each --shard=K/N run)");
   /* The result written over a shard it reads (--json=shard.1.json):
      refused (until 2026-12-06 the shard was replaced). */
   const char *outs[2][2] = { { "--csv", csv }, { "--json", json } };
   for (int o = 0; o < 2; o++) {
      struct stat so, st;
      if (!outs[o][1] || !strcmp(outs[o][1], "-") || stat(outs[o][1], &so) ||
          !S_ISREG(so.st_mode))
         continue;
      for (int i = 0; i < nf; i++)
         if (!stat(files[i].path, &st) && st.st_dev == so.st_dev && st.st_ino == so.st_ino)
            vs_die("merge: %s=%s would write over the shard %s: give another file",
                   outs[o][0], outs[o][1], files[i].path);
   }
   char err[1024];
   for (int i = 0; i < nf; i++)
      load(&files[i], err, sizeof err);
   for (int i = 1; i < nf; i++)
      if (files[i].tree != files[0].tree)
         bad(&files[i], files[0].tree ? "not a --tree result, as the first file is"
                                      : "a --tree result, which the first file is not");
   if (files[0].tree)
      return merge_tree(files, nf, csv, json);
   /* The grid: the first file's; every file must be of the same one. */
   const struct mfile *f0 = &files[0];
   const struct jv *sh0 = jget(&f0->root, "shard");
   uint64_t n = num(f0, sh0, "n"), jobs = num(f0, sh0, "jobs");
   char *opts0 = canon_str(jget(&f0->root, "options"), NULL);
   char *tr0 = canon_str(jget(&f0->root, "traces"), "sample");
   bool *seen = vs_alloc(n + 1);
   for (int i = 0; i < nf; i++) {
      const struct mfile *f = &files[i];
      const struct jv *sh = jget(&f->root, "shard");
      uint64_t k = num(f, sh, "k");
      if (num(f, sh, "n") != n || num(f, sh, "jobs") != jobs)
         bad(f, "a shard of another grid (its shard.n or shard.jobs differ)");
      char *o = canon_str(jget(&f->root, "options"), NULL);
      char *t = canon_str(jget(&f->root, "traces"), "sample");
      if (strcmp(o, opts0))
         bad(f, "a shard of another run: its options differ from the first file's");
      if (strcmp(t, tr0))
         bad(f, "a shard of another run: its traces differ from the first file's");
      free(o);
      free(t);
      shard_seen(f, seen, k, n);
   }
   for (uint64_t k = 1; k <= n; k++)
      if (!seen[k])
         vs_die("merge: shard %llu/%llu is missing", (unsigned long long)k,
                (unsigned long long)n);
   free(opts0);
   free(tr0);
   struct vs_run run;
   memset(&run, 0, sizeof run);
   config_from(f0, &run.cfg);
   run.cfg.shard_k = run.cfg.shard_n = 1;
   const struct jv *traces = jget(&f0->root, "traces");
   if (!traces || traces->t != J_ARR || !traces->n)
      bad(f0, "no \"traces\"");
   run.nr_traces = (uint32_t)traces->n;
   run.traces = vs_alloc(traces->n * sizeof *run.traces);
   for (size_t t = 0; t < traces->n; t++) {
      const struct jv *tv = &traces->items[t];
      struct vs_trace *tr = &run.traces[t];
      const struct jv *name = jget(tv, "name"), *fmt = jget(tv, "format");
      if (!name || name->t != J_STR || !fmt || fmt->t != J_STR)
         bad(f0, "a trace without \"name\" or \"format\"");
      tr->name = name->s;
      tr->format = fmt->s;
      tr->proc_id = "";
      const struct jv *proc = jget(tv, "process");
      if (proc && proc->t == J_OBJ) {
         const struct jv *id = jget(proc, "id");
         if (!id || id->t != J_STR || strlen(id->s) != 16 ||
             strspn(id->s, "0123456789abcdef") != 16)
            bad(f0, "a trace's \"process\" without an \"id\" of 16 hex digits");
         tr->proc_id = id->s;
         tr->proc_pid = num(f0, proc, "pid");
      }
      tr->refs = num(f0, tv, "references");
      tr->pages = num(f0, tv, "pages");
      tr->skipped = num(f0, tv, "skipped");
      const struct jv *rep = jget(tv, "replay");
      if (rep && rep->t == J_OBJ) {
         tr->replayed = true;
         tr->seen.prefaults = num(f0, rep, "prefaults");
         tr->seen.populated = num(f0, rep, "populate_references");
         tr->seen.zero_refs = num(f0, rep, "zero_page_references");
         tr->seen.locked_refs = num(f0, rep, "locked_references");
         tr->seen.fault_hits = num(f0, rep, "faults_on_seen_pages");
      }
      const struct jv *um = jget(tv, "unmodelled");
      if (um && um->t == J_ARR)
         for (size_t i = 0; i < um->n; i++) {
            if (um->items[i].t != J_STR)
               bad(f0, "an \"unmodelled\" that is not a list of names");
            vs_unmod_add(&tr->unmod, um->items[i].s);
         }
      else if (um)
         bad(f0, "an \"unmodelled\" that is not a list of names");
      /* The sample's figures and error: shard 1 has them. */
      for (int i = 0; i < nf; i++) {
         const struct jv *tt = jget(&files[i].root, "traces");
         const struct jv *smp = jget(&tt->items[t], "sample");
         if (!smp || smp->t != J_OBJ)
            continue;
         tr->sampled_refs = num(&files[i], smp, "references");
         tr->sampled_pages = num(&files[i], smp, "pages");
         const struct jv *e = jget(smp, "lru_error");
         if (e && e->t == J_OBJ) {
            tr->err_points = (uint32_t)num(&files[i], e, "sizes");
            tr->err_max = jget(e, "max")->num;
            tr->err_mean = jget(e, "mean")->num;
         }
      }
   }
   vs_grid(&run);
   if (run.nr_res != jobs)
      bad(f0, "its grid does not have the number of jobs it says");
   for (int i = 0; i < nf; i++) {
      const struct mfile *f = &files[i];
      const struct jv *sims = jget(&f->root, "simulations");
      const struct jv *curves = jget(&f->root, "curves");
      for (size_t k = 0; sims && k < sims->n; k++) {
         uint64_t j = num(f, &sims->items[k], "job");
         if (j >= jobs || run.res[j].exact || run.res[j].done)
            bad(f, "a simulation whose job is not one of the grid's, or is there twice");
         fill_sim(f, &sims->items[k], &run.res[j]);
         run.res[j].done = true;
      }
      for (size_t k = 0; curves && k < curves->n; k++) {
         const struct jv *cv = &curves->items[k];
         const struct jv *ex = jget(cv, "exact");
         if (!ex || ex->t != J_BOOL || !ex->b)
            continue;                /* a simulated curve: rebuilt from its points */
         uint64_t j = num(f, cv, "job");
         if (j >= jobs || !run.res[j].exact || run.res[j].done)
            bad(f, "an exact curve whose job is not one of the grid's, or is there twice");
         fill_curve(f, cv, &run.res[j]);
         run.res[j].done = true;
      }
   }
   for (uint64_t j = 0; j < jobs; j++)
      if (!run.res[j].done)
         vs_die("merge: job %llu of the grid is in none of the files (shard %llu/%llu)",
                (unsigned long long)j, (unsigned long long)(j % n + 1), (unsigned long long)n);
   bool stdout_taken = (csv && !strcmp(csv, "-")) || (json && !strcmp(json, "-"));
   if (!quiet && !stdout_taken)
      vs_print_table(stdout, &run);
   if (csv && vs_write_csv(&run, csv, err, sizeof err))
      vs_die("%s", err);
   if (json && vs_write_json(&run, json, err, sizeof err))
      vs_die("%s", err);
   for (int i = 0; i < nf; i++) {
      jfree(&files[i].root);
      free(files[i].text);
   }
   return 0;
}
