/* vs_read.c: reading traces into reference streams: libCacheSim's
   oracleGeneral and lcs, CSV, and a typed reference string; which format a
   file is (docs/vmtrace-sim.md, "Formats").
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>

#include "vs.h"

/* ---- a buffered reader that knows its file offset ----------------------- */

struct rd {
   FILE       *f;
   const char *path;
   uint8_t    *buf;
   size_t      size, len, pos;       /* buffer, bytes in it, next byte */
   uint64_t    off;                  /* file offset of buf[0] */
   bool        eof;
   int         err;                  /* errno of a failed read */
};

#define RD_BUF (1u << 20)

/* At least need bytes from pos, unless the file ends first: returns how
   many there are (<= need only at the end). */
static size_t rd_fill(struct rd *r, size_t need)
{
   if (r->len - r->pos >= need || r->eof)
      return r->len - r->pos;
   if (r->pos) {
      memmove(r->buf, r->buf + r->pos, r->len - r->pos);
      r->off += r->pos;
      r->len -= r->pos;
      r->pos = 0;
   }
   if (need > r->size) {
      r->size = need;
      r->buf = vs_realloc(r->buf, r->size);
   }
   while (r->len < need && !r->eof) {
      size_t got = fread(r->buf + r->len, 1, r->size - r->len, r->f);
      r->len += got;
      if (got == 0) {
         r->eof = true;
         if (ferror(r->f))
            r->err = errno ? errno : EIO;
      }
   }
   return r->len;
}

static uint64_t rd_offset(const struct rd *r) { return r->off + r->pos; }

static uint32_t le32(const uint8_t *p)
{
   return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
          (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
   return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* ---- formats -------------------------------------------------------------- */

static const char *const fmt_names[] = {
   [VS_FMT_AUTO] = "auto", [VS_FMT_VMTRACE] = "vmtrace",
   [VS_FMT_ORACLE] = "oracleGeneral", [VS_FMT_LCS] = "lcs", [VS_FMT_CSV] = "csv",
};

enum vs_format vs_format_by_name(const char *name)
{
   for (unsigned i = 0; i < sizeof fmt_names / sizeof fmt_names[0]; i++)
      if (!strcasecmp(name, fmt_names[i]))
         return (enum vs_format)i;
   return (enum vs_format)-1;
}

const char *vs_format_name(enum vs_format f) { return fmt_names[f]; }

#define LCS_MAGIC      0x123456789abcdef0ull
#define LCS_HEADER     8192u         /* lcs_trace_header_t */
#define VMTRACE_MAGIC  "VMTRACE"

static bool ends_with(const char *s, const char *suffix)
{
   size_t a = strlen(s), b = strlen(suffix);
   return a >= b && !strcasecmp(s + a - b, suffix);
}

/* Text: no NUL or other control byte but tab, CR, LF in what we have, and
   a line break or the end within it. */
static bool looks_like_text(const uint8_t *p, size_t n)
{
   if (!n)
      return false;
   for (size_t i = 0; i < n; i++)
      if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
         return false;
   return true;
}

/* Whether the first bytes p[0..n) of a file its content alone (not its
   name) calls CSV or nothing are too few for a trace of any format: less
   than one oracleGeneral record (the smallest binary record; a vmtrace
   trace's magic, length, header and end, and lcs's 8 KiB header, are
   longer), and for text, no row after the header. */
static bool too_short(enum vs_format f, const uint8_t *p, size_t n)
{
   if (n >= 24)
      return false;
   if (f != VS_FMT_CSV)
      return true;
   const uint8_t *nl = memchr(p, '\n', n);
   for (size_t i = nl ? (size_t)(nl - p) : n; i < n; i++)
      if (p[i] > ' ')
         return false;
   return true;
}

/* The compressor whose magic the file begins with, or NULL: zstd (RFC
   8878), gzip (RFC 1952), xz, bzip2, lz4's frame. */
static const char *compressed(const uint8_t *p, size_t n)
{
   static const struct { const char *name; unsigned len; const char *magic; } m[] = {
      { "zstd", 4, "\x28\xb5\x2f\xfd" }, { "gzip", 2, "\x1f\x8b" },
      { "xz", 6, "\xfd" "7zXZ\x00" }, { "bzip2", 0, NULL }, { "lz4", 4, "\x04\x22\x4d\x18" },
   };
   for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
      if (m[i].magic && n >= m[i].len && !memcmp(p, m[i].magic, m[i].len))
         return m[i].name;
   /* bzip2: "BZh", the block size 1 to 9, a block's magic (pi): text
      otherwise, which a CSV's header may be. */
   if (n >= 10 && !memcmp(p, "BZh", 3) && p[3] >= '1' && p[3] <= '9' &&
       !memcmp(p + 4, "1AY&SY", 6))
      return "bzip2";
   return NULL;
}

/* Whether needle is in p[0..n). */
static bool holds(const uint8_t *p, size_t n, const char *needle)
{
   size_t k = strlen(needle);
   for (size_t i = 0; i + k <= n; i++)
      if (!memcmp(p + i, needle, k))
         return true;
   return false;
}

/* What a text file that is not a trace but another file of vmtrace's is
   (the output file, the native record, a result, the profiler files), for
   the message; NULL for any other.  Until 2026-12-06 they were read as
   CSV: "no column named obj_id in the header (its columns: {)". */
static const char *vmtrace_file(const uint8_t *p, size_t n)
{
   size_t i = 0;
   while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
      i++;
   if (i < n && p[i] == '{') {
      if (holds(p, n, "\"format\": \"vmtrace-out\""))
         return "a vmtrace output file (the tool's JSON), not a page trace: record one with "
                "valgrind --tool=vmtrace --trace-out-file=FILE (vmtrace-report reads this one)";
      if (holds(p, n, "\"format\": \"vmtrace-native\""))
         return "a vmtrace-native record (JSON), not a page trace: vmtrace-report reads it";
      if (holds(p, n, "\"format\": \"vmtrace-sim"))
         return "a vmtrace-sim result (JSON), not a page trace: vmtrace-report reads it";
      return NULL;
   }
   if ((n - i >= 6 && !memcmp(p + i, "desc: ", 6)) ||
       (n - i >= 18 && !memcmp(p + i, "# callgrind format", 18)))
      return "a Cachegrind- or Callgrind-format file (--cg-out-file, --callgrind-out-file), "
             "not a page trace: cg_annotate or callgrind_annotate reads it";
   return NULL;
}

/* The format of the file whose first bytes are p[0..n). */
static enum vs_format detect(const char *path, const uint8_t *p, size_t n)
{
   if (n >= 7 && !memcmp(p, VMTRACE_MAGIC, 7))
      return VS_FMT_VMTRACE;
   if (n >= 8 && le64(p) == LCS_MAGIC)
      return VS_FMT_LCS;
   if (strstr(path, "oracleGeneral") || ends_with(path, ".og"))
      return VS_FMT_ORACLE;
   if (ends_with(path, ".csv") || looks_like_text(p, n < 4096 ? n : 4096))
      return VS_FMT_CSV;
   return VS_FMT_AUTO;
}

/* ---- libCacheSim's next-access field, checked ------------------------------

   Record j (1-based, every record of the file) says when its object is
   referenced next: the index of that record, -1 for never, -2 for "not
   known" (traceFilter's).  A record of an object seen before must be the
   one the previous record named, and a record named must be of the object
   that named it (caught at that record: until 2026-12-06 only when the
   naming object came again, or at the end, "truncated?").  This is what
   tells a corrupt or foreign file apart: its next-access fields do not
   chain. */
#define NAMED_RECORDS ((uint64_t)1 << 32)   /* more than a stream holds */
#define NAMED_CHUNK   19
struct nexts {
   int64_t *expect;                  /* per page: the last record's field */
   uint64_t n;
   /* A bit per record named by an earlier one, in chunks of 2^19 records
      made when first named (a corrupt file's stray fields cost a chunk
      each, not a bitmap as long as the largest). */
   uint64_t *named[NAMED_RECORDS >> NAMED_CHUNK];
};

/* Whether record rec was named (by an earlier record); names it. */
static bool name_record(struct nexts *x, uint64_t rec)
{
   uint64_t **c = &x->named[rec >> NAMED_CHUNK];
   if (!*c)
      *c = vs_alloc((1u << NAMED_CHUNK) / 8);
   uint64_t bit = rec & ((1u << NAMED_CHUNK) - 1), *w = &(*c)[bit / 64];
   bool was = *w >> (bit % 64) & 1;
   *w |= (uint64_t)1 << (bit % 64);
   return was;
}

static bool record_named(const struct nexts *x, uint64_t rec)
{
   const uint64_t *c = rec < NAMED_RECORDS ? x->named[rec >> NAMED_CHUNK] : NULL;
   uint64_t bit = rec & ((1u << NAMED_CHUNK) - 1);
   return c && c[bit / 64] >> (bit % 64) & 1;
}

static void nexts_free(struct nexts *x)
{
   free(x->expect);
   for (size_t i = 0; i < NAMED_RECORDS >> NAMED_CHUNK; i++)
      free(x->named[i]);
}

/* Who named record rec, in words (only at an error): the page whose last
   record did. */
static const char *namer(const struct nexts *x, const struct vs_stream *s, uint64_t rec,
                         char *buf, size_t len)
{
   for (uint32_t id = 0; id < s->npages && id < x->n; id++)
      if (x->expect[id] == (int64_t)rec) {
         snprintf(buf, len, "the last record of object %llu", (unsigned long long)s->obj[id]);
         return buf;
      }
   return "an earlier record";
}

static int next_check(struct nexts *x, struct vs_stream *s, uint32_t id, bool added,
                      uint64_t j, int64_t next, uint64_t off, char *err, size_t errlen)
{
   if (id >= x->n) {
      uint64_t m = x->n ? 2 * x->n : 1024;
      while (m <= id)
         m *= 2;
      x->expect = vs_realloc(x->expect, m * sizeof *x->expect);
      for (uint64_t i = x->n; i < m; i++)
         x->expect[i] = -1;            /* until set: naming no record */
      x->n = m;
   }
   bool mine = !added && x->expect[id] == (int64_t)j;
   if (!mine && record_named(x, j)) {
      char who[64];
      vs_err(err, errlen, "%s: offset %llu: record %llu is to object %llu, but %s gave "
             "its next access as record %llu (corrupt, or not %s)", s->name,
             (unsigned long long)off, (unsigned long long)j, (unsigned long long)s->obj[id],
             namer(x, s, j, who, sizeof who), (unsigned long long)j, s->format);
      return -1;
   }
   if (!added && x->expect[id] != -2 && x->expect[id] != (int64_t)j) {
      if (x->expect[id] == -1)
         vs_err(err, errlen, "%s: offset %llu: record %llu is to object %llu, whose "
                "previous record said it is never accessed again (corrupt, or not "
                "%s)", s->name, (unsigned long long)off, (unsigned long long)j,
                (unsigned long long)s->obj[id], s->format);
      else
         vs_err(err, errlen, "%s: offset %llu: record %llu is to object %llu, whose "
                "previous record gave its next access as record %lld (corrupt, or not "
                "%s)", s->name, (unsigned long long)off, (unsigned long long)j,
                (unsigned long long)s->obj[id], (long long)x->expect[id], s->format);
      return -1;
   }
   if (next < -2 || next == 0 || (next > 0 && (uint64_t)next <= j)) {
      vs_err(err, errlen, "%s: offset %llu: record %llu gives its next access as %lld, "
             "not a later record (corrupt, or not %s)", s->name,
             (unsigned long long)off, (unsigned long long)j, (long long)next, s->format);
      return -1;
   }
   if (next > 0 && (uint64_t)next >= NAMED_RECORDS) {
      vs_err(err, errlen, "%s: offset %llu: record %llu gives its next access as record "
             "%lld, beyond the 2^32 records a trace read here can hold (corrupt, or not "
             "%s)", s->name, (unsigned long long)off, (unsigned long long)j,
             (long long)next, s->format);
      return -1;
   }
   if (next > 0 && name_record(x, (uint64_t)next)) {
      char who[64];
      vs_err(err, errlen, "%s: offset %llu: record %llu (object %llu) gives its next "
             "access as record %lld, which %s named already (corrupt, or not %s)",
             s->name, (unsigned long long)off, (unsigned long long)j,
             (unsigned long long)s->obj[id], (long long)next,
             namer(x, s, (uint64_t)next, who, sizeof who), s->format);
      return -1;
   }
   x->expect[id] = next;
   return 0;
}

static int next_end(struct nexts *x, struct vs_stream *s, uint64_t records,
                    uint64_t off, char *err, size_t errlen)
{
   for (uint32_t id = 0; id < s->npages && id < x->n; id++)
      if (x->expect[id] > 0) {
         vs_err(err, errlen, "%s: offset %llu: the trace ends after record %llu, but "
                "object %llu's last record gives its next access as record %lld "
                "(truncated?)", s->name, (unsigned long long)off,
                (unsigned long long)records, (unsigned long long)s->obj[id],
                (long long)x->expect[id]);
         return -1;
      }
   return 0;
}

/* Records of size 0 are left out (as libCacheSim's readers do), and the
   pages only they named with them: the stream is renumbered. */
static void drop_unreferenced(struct vs_stream *s)
{
   uint32_t *map = malloc((size_t)s->npages * sizeof *map);
   if (!map)
      vs_die("out of memory");
   memset(map, 0xff, (size_t)s->npages * sizeof *map);
   uint32_t n = 0;
   for (uint64_t i = 0; i < s->n; i++) {
      uint32_t p = s->id[i];
      if (map[p] == VS_NEVER) {
         map[p] = n;
         s->obj[n] = s->obj[p];      /* n <= p: first references in order */
         n++;
      }
      s->id[i] = map[p];
   }
   s->npages = n;
   free(map);
}

/* ---- binary records: oracleGeneral and lcs ------------------------------ */

struct binfmt {
   unsigned size;                    /* bytes a record */
   unsigned obj, osize, osize_bytes, next, op;   /* field offsets (op: 0 none) */
};

/* libCacheSim's req_op_e: the operations that write. */
static bool lcs_op_writes(unsigned op)
{
   switch (op) {
   case 3: case 4: case 5: case 6: case 7: case 8:   /* SET ADD CAS REPLACE APPEND PREPEND */
   case 10: case 11:                                 /* INCR DECR */
   case 13: case 14:                                 /* WRITE UPDATE */
      return true;
   default:
      return false;
   }
}

static int read_records(struct rd *r, const struct binfmt *b, const struct vs_read_opts *o,
                        struct vs_stream *s, char *err, size_t errlen)
{
   struct nexts x = { 0 };
   uint64_t j = 0;
   int rc = 0;
   for (;;) {
      size_t have = rd_fill(r, (size_t)b->size * VS_BATCH);
      if (have == 0)
         break;
      if (have < b->size) {
         vs_err(err, errlen, "%s: offset %llu: truncated record (%zu of its %u bytes)",
                s->name, (unsigned long long)rd_offset(r), have, b->size);
         rc = -1;
         goto out;
      }
      /* A batch of whole records: their pages numbered at once. */
      uint32_t nb = (uint32_t)(have / b->size < VS_BATCH ? have / b->size : VS_BATCH);
      uint64_t objs[VS_BATCH];
      uint32_t ids[VS_BATCH];
      bool added[VS_BATCH];
      for (uint32_t k = 0; k < nb; k++)
         objs[k] = le64(r->buf + r->pos + (size_t)k * b->size + b->obj);
      vs_stream_pages(s, objs, nb, ids, added);
      for (uint32_t k = 0; k < nb && o->check_next; k++)
         if (ids[k] < x.n)
            __builtin_prefetch(&x.expect[ids[k]]);
      for (uint32_t k = 0; k < nb; k++) {
         const uint8_t *p = r->buf + r->pos;
         uint64_t off = rd_offset(r);
         j++;
         uint32_t time = le32(p);
         uint64_t size = b->osize_bytes == 8 ? le64(p + b->osize) : le32(p + b->osize);
         int64_t next = (int64_t)le64(p + b->next);
         unsigned flags = b->op && lcs_op_writes(p[b->op]) ? VS_W : 0;
         if (o->check_next &&
             next_check(&x, s, ids[k], added[k], j, next, off, err, errlen)) {
            rc = -1;
            goto out;
         }
         r->pos += b->size;
         if (size == 0) {
            s->skipped++;
            continue;
         }
         if (!vs_stream_push(s, ids[k], flags, time)) {
            vs_err(err, errlen, "%s: offset %llu: more than %u references: split the "
                   "trace", s->name, (unsigned long long)off, VS_MAX_REFS);
            rc = -1;
            goto out;
         }
      }
   }
   if (r->err) {
      vs_err(err, errlen, "%s: offset %llu: read error: %s", s->name,
             (unsigned long long)rd_offset(r), strerror(r->err));
      rc = -1;
      goto out;
   }
   if (o->check_next && next_end(&x, s, j, rd_offset(r), err, errlen))
      rc = -1;
out:
   nexts_free(&x);
   return rc;
}

static int read_oracle(struct rd *r, const struct vs_read_opts *o, struct vs_stream *s,
                       char *err, size_t errlen)
{
   /* oracleGeneral: uint32 time, uint64 obj_id, uint32 size, int64 next. */
   static const struct binfmt og = { 24, 4, 12, 4, 16, 0 };
   return read_records(r, &og, o, s, err, errlen);
}

/* lcs (libCacheSim's lcs.h): an 8 KiB header (start magic, version, the
   trace's statistics, end magic), then records of the version's layout:
   v1 is oracleGeneral's; v2 adds op and tenant; v3 widens the size and
   adds a TTL; v4 to v8 add 1, 2, 4, 8, 16 features. */
static int read_lcs(struct rd *r, const struct vs_read_opts *o, struct vs_stream *s,
                    char *err, size_t errlen)
{
   static const struct binfmt v1 = { 24, 4, 12, 4, 16, 0 };
   static const struct binfmt v2 = { 28, 4, 12, 4, 20, 16 };
   static const unsigned v3_sizes[] = { 36, 40, 44, 52, 68, 100 };
   size_t have = rd_fill(r, LCS_HEADER);
   if (have < LCS_HEADER) {
      vs_err(err, errlen, "%s: offset %zu: truncated lcs header (%zu of its %u bytes)",
             s->name, have, have, LCS_HEADER);
      return -1;
   }
   const uint8_t *h = r->buf + r->pos;
   if (le64(h + LCS_HEADER - 8) != LCS_MAGIC) {
      vs_err(err, errlen, "%s: offset %u: the lcs header's end magic is wrong "
             "(corrupt)", s->name, LCS_HEADER - 8);
      return -1;
   }
   uint64_t version = le64(h + 8);
   int64_t n_req = (int64_t)le64(h + 24);
   struct binfmt b;
   if (version == 1) {
      b = v1;
   } else if (version == 2) {
      b = v2;
   } else if (version >= 3 && version <= 8) {
      b = (struct binfmt){ v3_sizes[version - 3], 4, 12, 8, 28, 20 };
   } else {
      vs_err(err, errlen, "%s: offset 8: lcs version %llu is not one of 1 to 8 (a "
             "newer or older libCacheSim's?)", s->name, (unsigned long long)version);
      return -1;
   }
   if (n_req < 0) {                 /* was taken as "not counted" until 2026-12-06 */
      vs_err(err, errlen, "%s: offset 24: the lcs header counts %lld requests (corrupt)",
             s->name, (long long)n_req);
      return -1;
   }
   r->pos += LCS_HEADER;
   if (read_records(r, &b, o, s, err, errlen))
      return -1;
   uint64_t records = s->n + s->skipped;
   if (n_req > 0 && (uint64_t)n_req != records) {
      vs_err(err, errlen, "%s: offset %llu: the header says %lld requests, the file "
             "holds %llu (truncated or corrupt)", s->name,
             (unsigned long long)rd_offset(r), (long long)n_req,
             (unsigned long long)records);
      return -1;
   }
   return 0;
}

/* ---- CSV --------------------------------------------------------------------- */

enum { COL_TIME, COL_OBJ, COL_OP, COL_SIZE, NR_ROLES };
static const char *const role_names[NR_ROLES] = { "time", "obj_id", "op", "size" };
/* Header names each role takes when --csv-columns does not say
   (libCacheSim's tracePrint writes "# time,object,size,next_access_vtime"). */
static const char *const role_defaults[NR_ROLES][5] = {
   { "time", "clock_time", "timestamp", NULL },
   { "obj_id", "object", "obj", "key", "page" },
   { "op", "operation", NULL },
   { "size", "obj_size", NULL },
};

static char *trim(char *p)
{
   while (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'')
      p++;
   char *e = p + strlen(p);
   while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '"' || e[-1] == '\'' ||
                    e[-1] == '\r'))
      *--e = 0;
   return p;
}

/* Splits line at sep into at most max fields (the last holds the rest). */
static unsigned split(char *line, char sep, char **fields, unsigned max)
{
   unsigned n = 0;
   char *p = line;
   while (n < max) {
      char *q = strchr(p, sep);
      fields[n++] = p;
      if (!q)
         break;
      *q = 0;
      p = q + 1;
   }
   return n;
}

/* The fields of a line: its separators, plus one. */
static uint64_t fields_in(const char *line, char sep)
{
   uint64_t n = 1;
   for (const char *p = line; (p = strchr(p, sep)) != NULL; p++)
      n++;
   return n;
}

/* --csv-columns: "role=name" items, or bare names taken as time, obj_id,
   op in that order (one bare name alone: obj_id); "-" leaves a role out.
   The roles it does not name are not read. */
static int csv_roles(const char *spec, char names[NR_ROLES][64], bool given[NR_ROLES],
                     char *err, size_t errlen)
{
   char buf[512];
   if (strlen(spec) >= sizeof buf) {
      vs_err(err, errlen, "--csv-columns is too long");
      return -1;
   }
   strcpy(buf, spec);
   char *items[16];
   unsigned n = split(buf, ',', items, 16), bare = 0, nbare = 0;
   for (unsigned i = 0; i < n; i++)
      nbare += strchr(items[i], '=') == NULL;
   for (unsigned i = 0; i < n; i++) {
      char *it = trim(items[i]), *eq = strchr(it, '=');
      int role = -1;
      if (eq) {
         *eq = 0;
         for (int k = 0; k < NR_ROLES; k++)
            if (!strcasecmp(trim(it), role_names[k]))
               role = k;
         if (role < 0) {
            vs_err(err, errlen, "--csv-columns: '%s' is not a role (time, obj_id, op, "
                   "size)", it);
            return -1;
         }
         it = trim(eq + 1);
      } else {
         static const int order[] = { COL_TIME, COL_OBJ, COL_OP };
         if (nbare == 1) {
            role = COL_OBJ;
         } else if (bare >= 3) {
            vs_err(err, errlen, "--csv-columns: name the size column as size=NAME");
            return -1;
         } else {
            role = order[bare++];
         }
      }
      if (!*it || strlen(it) >= 64) {
         vs_err(err, errlen, "--csv-columns: give each column's header name, e.g. "
                "time,obj_id or obj_id=addr");
         return -1;
      }
      if (given[role]) {
         vs_err(err, errlen, "--csv-columns: the %s column is named twice", role_names[role]);
         return -1;
      }
      snprintf(names[role], 64, "%s", it);
      given[role] = true;
   }
   if (!given[COL_OBJ] || !strcmp(names[COL_OBJ], "-")) {
      vs_err(err, errlen, "--csv-columns: name the obj_id column (obj_id=NAME)");
      return -1;
   }
   for (int k = 0; k < NR_ROLES; k++)
      if (!given[k]) {
         given[k] = true;
         strcpy(names[k], "-");
      }
   return 0;
}

/* A decimal or 0x hexadecimal number.  Decimal with leading zeros is
   decimal (zero-padded ids: until 2026-12-06 strtoull's base 0 read "010"
   as octal 8, and refused "09"). */
static bool parse_u64(const char *p, uint64_t *v)
{
   unsigned base = 10;
   if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
      base = 16;
      p += 2;
   }
   uint64_t x = 0;
   const char *start = p;
   for (;; p++) {
      unsigned d = *p >= '0' && *p <= '9' ? (unsigned)(*p - '0')
                   : base == 16 && *p >= 'a' && *p <= 'f' ? (unsigned)(*p - 'a' + 10)
                   : base == 16 && *p >= 'A' && *p <= 'F' ? (unsigned)(*p - 'A' + 10)
                   : 99;
      if (d == 99)
         break;
      if (x > (UINT64_MAX - d) / base)
         return false;                  /* more than 64 bits */
      x = x * base + d;
   }
   if (p == start || *p)
      return false;
   *v = x;
   return true;
}

static int csv_op(const char *p)
{
   /* libCacheSim's names of its operations (req_op_str) are all here:
      "delete" and "nop" read, as their numbers 9 and 0 do (until
      2026-12-06 the names were refused, the numbers read). */
   static const char *const reads[] = { "r", "read", "get", "gets", "load", "fetch",
                                        "exec", "x", "i", "l", "delete", "nop", NULL };
   static const char *const writes[] = { "w", "write", "set", "store", "s", "m",
                                         "modify", "update", "put", "add", "cas",
                                         "replace", "append", "prepend", "incr",
                                         "decr", NULL };
   for (int i = 0; reads[i]; i++)
      if (!strcasecmp(p, reads[i]))
         return 0;
   for (int i = 0; writes[i]; i++)
      if (!strcasecmp(p, writes[i]))
         return VS_W;
   uint64_t v;
   if (parse_u64(p, &v) && v <= 15)
      return lcs_op_writes((unsigned)v) ? VS_W : 0;
   return -1;
}

/* One line from r (without its end, NUL-terminated in the buffer, valid
   until the next call), or NULL at the end; *off is its offset. */
static char *rd_line(struct rd *r, uint64_t *off, bool *toolong, size_t *len)
{
   *toolong = false;
   for (size_t scanned = 0;;) {
      size_t have = r->len - r->pos;
      uint8_t *start = r->buf + r->pos;
      uint8_t *nl = have > scanned ? memchr(start + scanned, '\n', have - scanned) : NULL;
      *off = rd_offset(r);
      if (nl) {
         *nl = 0;
         *len = (size_t)(nl - start);
         r->pos += *len + 1;
         return (char *)start;
      }
      if (r->eof) {
         if (!have)
            return NULL;
         if (r->len == r->size) {     /* room for the NUL */
            r->buf = vs_realloc(r->buf, ++r->size);
            start = r->buf + r->pos;
         }
         r->buf[r->len] = 0;
         r->pos = r->len;
         *len = have;
         return (char *)start;
      }
      if (have >= (1u << 16)) {      /* no line of a trace is that long */
         *toolong = true;
         return NULL;
      }
      scanned = have;
      rd_fill(r, have + 1);
   }
}

static int read_csv(struct rd *r, const struct vs_read_opts *o, struct vs_stream *s,
                    char *err, size_t errlen)
{
   char names[NR_ROLES][64] = { { 0 } };
   bool given[NR_ROLES] = { false };
   if (o->csv_columns && csv_roles(o->csv_columns, names, given, err, errlen))
      return -1;
   uint64_t off = 0;
   bool toolong;
   size_t len;
   char *line = rd_line(r, &off, &toolong, &len);
   if (!line) {
      vs_err(err, errlen, "%s: offset %llu: %s", s->name, (unsigned long long)off,
             toolong ? "a line longer than 64 KiB (not CSV?)" : "empty: no header row");
      return -1;
   }
   /* The header. */
   char *hdr = vs_strdup(line);
   char *h = hdr;
   /* A UTF-8 byte-order mark (spreadsheets write one) is not part of the
      first column's name: until 2026-12-06 it made "obj_id" unknown. */
   if (!strncmp(h, "\xef\xbb\xbf", 3))
      h += 3;
   while (*h == '#' || *h == ' ')
      h++;
   char sep = strchr(h, ',') ? ',' : strchr(h, '\t') ? '\t' : ',';
   uint64_t nfields = fields_in(h, sep);
   char *cols[256];
   unsigned ncols = split(h, sep, cols, 256);
   int col[NR_ROLES];
   for (int k = 0; k < NR_ROLES; k++) {
      col[k] = -1;
      for (unsigned c = 0; c < ncols; c++) {
         const char *name = trim(cols[c]);
         bool match = false;
         if (given[k]) {
            match = strcmp(names[k], "-") && !strcasecmp(name, names[k]);
         } else {
            for (int d = 0; d < 5 && role_defaults[k][d]; d++)
               match |= !strcasecmp(name, role_defaults[k][d]);
         }
         if (!match)
            continue;
         /* Two columns that could be the role: which one is meant is not
            for the reader to guess (until 2026-12-06 the first won). */
         if (col[k] >= 0 && !strcasecmp(trim(cols[col[k]]), name)) {
            vs_err(err, errlen, "%s: offset 0: columns %d and %u of the header are both "
                   "named %s (the %s): rename one", s->name, col[k] + 1, c + 1, name,
                   role_names[k]);
            free(hdr);
            return -1;
         }
         if (col[k] >= 0) {
            vs_err(err, errlen, "%s: offset 0: columns %d and %u of the header (%s, %s) "
                   "are both the %s; choose one with --csv-columns", s->name, col[k] + 1,
                   c + 1, trim(cols[col[k]]), name, role_names[k]);
            free(hdr);
            return -1;
         }
         col[k] = (int)c;
      }
      bool wanted = given[k] ? strcmp(names[k], "-") != 0 : k == COL_OBJ;
      if (col[k] < 0 && wanted) {
         char list[512] = "";
         for (unsigned c = 0; c < ncols && strlen(list) < 400; c++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                     c ? ", " : "", cols[c]);
         vs_err(err, errlen, "%s: offset 0: no column named %s in the header (its "
                "columns: %s); choose with --csv-columns", s->name,
                given[k] ? names[k] : role_names[k], list);
         free(hdr);
         return -1;
      }
   }
   free(hdr);
   int maxcol = 0;
   for (int k = 0; k < NR_ROLES; k++)
      if (col[k] > maxcol)
         maxcol = col[k];
   uint64_t lineno = 1, prev_time = 0, prev_line = 0;
   while ((line = rd_line(r, &off, &toolong, &len))) {
      lineno++;
      /* Text is checked in the first 4 KiB only: a NUL byte later would
         end the line's fields early (until 2026-12-06 "2<NUL>junk" was
         read as page 2). */
      if (strlen(line) != len) {
         vs_err(err, errlen, "%s: offset %llu: line %llu holds a NUL byte (not text: not "
                "a CSV trace)", s->name, (unsigned long long)(off + strlen(line)),
                (unsigned long long)lineno);
         return -1;
      }
      char *p = line;
      while (*p == ' ' || *p == '\t')
         p++;
      if (!*p || *p == '\r' || *p == '#')
         continue;
      /* Every row has the header's fields (RFC 4180): one more or fewer
         anywhere shifts the columns after it, and reading on would take
         one column's values for another's (until 2026-12-06 a row with
         more was read, and one with fewer if the columns read were there). */
      uint64_t nf = fields_in(line, sep);
      if (nf != nfields) {
         vs_err(err, errlen, "%s: offset %llu: line %llu has %llu field%s, the header "
                "%llu (a field more or fewer would shift the columns after it)",
                s->name, (unsigned long long)off, (unsigned long long)lineno,
                (unsigned long long)nf, nf == 1 ? "" : "s", (unsigned long long)nfields);
         return -1;
      }
      char *f[257];
      split(line, sep, f, (unsigned)maxcol + 2);
      uint64_t obj, time = 0, size = 1;
      const char *v = trim(f[col[COL_OBJ]]);
      if (!parse_u64(v, &obj)) {
         vs_err(err, errlen, "%s: offset %llu: line %llu: obj_id '%.40s' is not a "
                "number (decimal or 0x hexadecimal)", s->name, (unsigned long long)off,
                (unsigned long long)lineno, v);
         return -1;
      }
      if (col[COL_TIME] >= 0) {
         v = trim(f[col[COL_TIME]]);
         if (!parse_u64(v, &time)) {
            vs_err(err, errlen, "%s: offset %llu: line %llu: time '%.40s' is not a "
                   "number", s->name, (unsigned long long)off, (unsigned long long)lineno, v);
            return -1;
         }
         /* The rows are the references in the order they were made, so
            their time never goes backwards (equal times are many requests
            in one tick).  A row earlier than the one before is a file
            sorted or merged by something else, whose order is not the
            references': refused (libCacheSim's CSV reader takes any time
            as it comes; until 2026-12-06 so did this one). */
         if (prev_line && time < prev_time) {
            vs_err(err, errlen, "%s: offset %llu: line %llu: time %llu is before line "
                   "%llu's %llu (a trace's time must not go backwards: its rows are "
                   "the references in order)", s->name, (unsigned long long)off,
                   (unsigned long long)lineno, (unsigned long long)time,
                   (unsigned long long)prev_line, (unsigned long long)prev_time);
            return -1;
         }
         prev_time = time;
         prev_line = lineno;
         if (o->keep_time && time > UINT32_MAX) {
            vs_err(err, errlen, "%s: offset %llu: line %llu: time %llu does not fit "
                   "the 32-bit clock of libCacheSim's formats", s->name,
                   (unsigned long long)off, (unsigned long long)lineno,
                   (unsigned long long)time);
            return -1;
         }
      }
      if (col[COL_SIZE] >= 0) {
         v = trim(f[col[COL_SIZE]]);
         if (!parse_u64(v, &size)) {
            vs_err(err, errlen, "%s: offset %llu: line %llu: size '%.40s' is not a "
                   "number", s->name, (unsigned long long)off, (unsigned long long)lineno, v);
            return -1;
         }
      }
      int flags = 0;
      if (col[COL_OP] >= 0) {
         v = trim(f[col[COL_OP]]);
         flags = csv_op(v);
         if (flags < 0) {
            vs_err(err, errlen, "%s: offset %llu: line %llu: op '%.40s' is neither a "
                   "read (r, read, get) nor a write (w, write, set)", s->name,
                   (unsigned long long)off, (unsigned long long)lineno, v);
            return -1;
         }
      }
      uint32_t id = vs_stream_page(s, obj, NULL);
      if (size == 0) {
         s->skipped++;
         continue;
      }
      /* Without a time column, the clock is the reference's number, as a
         vmtrace trace's and --refs' are (libCacheSim's logical time, that
         of the next-access field): until 2026-12-06 an export wrote 0. */
      if (col[COL_TIME] < 0)
         time = s->n + 1;
      if (!vs_stream_push(s, id, (unsigned)flags, (uint32_t)time)) {
         vs_err(err, errlen, "%s: offset %llu: more than %u references: split the trace",
                s->name, (unsigned long long)off, VS_MAX_REFS);
         return -1;
      }
   }
   if (toolong) {
      vs_err(err, errlen, "%s: offset %llu: a line longer than 64 KiB (not CSV?)",
             s->name, (unsigned long long)off);
      return -1;
   }
   if (r->err) {
      vs_err(err, errlen, "%s: offset %llu: read error: %s", s->name,
             (unsigned long long)rd_offset(r), strerror(r->err));
      return -1;
   }
   return 0;
}

/* ---- the entry points ----------------------------------------------------------- */

int vs_read_trace(const char *path, const struct vs_read_opts *o, struct vs_stream *s,
                  char *err, size_t errlen)
{
   struct rd r = { .path = path };
   bool is_stdin = !strcmp(path, "-");
   r.f = is_stdin ? stdin : fopen(path, "rb");
   if (!r.f) {
      vs_err(err, errlen, "%s: offset 0: cannot open: %s", path, strerror(errno));
      return -1;
   }
   r.size = RD_BUF;
   r.buf = vs_alloc(r.size);
   size_t have = rd_fill(&r, LCS_HEADER);
   int rc = -1;
   enum vs_format f = o->format;
   if (r.err) {
      vs_err(err, errlen, "%s: offset 0: read error: %s", path, strerror(r.err));
      goto out;
   }
   if (f == VS_FMT_AUTO) {
      const char *name = is_stdin ? "" : path;
      const char *packed = compressed(r.buf, have);
      if (packed) {
         /* By its name a *.oracleGeneral.zst was read as records, and
            refused for its next-access fields (until 2026-12-06). */
         bool og = strstr(name, "oracleGeneral") || ends_with(name, ".og.zst") ||
                   ends_with(name, ".og.gz");
         vs_err(err, errlen, "%s: offset 0: %s-compressed: decompress it on the fly "
                "(%s -dc FILE | vmtrace-sim %s-)%s", path, packed, packed,
                og ? "--format=oracleGeneral " : "",
                og ? "" : ", with --format=oracleGeneral if it is one");
         goto out;
      }
      f = detect(name, r.buf, have);
      if (!have) {
         vs_err(err, errlen, "%s: offset 0: empty (0 bytes): no trace", path);
         goto out;
      }
      if ((f == VS_FMT_AUTO || (f == VS_FMT_CSV && !ends_with(name, ".csv"))) &&
          too_short(f, r.buf, have)) {
         vs_err(err, errlen, "%s: offset 0: %zu byte%s, too short for a trace of any "
                "format vmtrace-sim reads (vmtrace, lcs, oracleGeneral: 24 bytes a "
                "record; CSV: a header row, then a row a reference)", path, have,
                have == 1 ? "" : "s");
         goto out;
      }
      const char *other = f == VS_FMT_CSV ? vmtrace_file(r.buf, have) : NULL;
      if (other) {
         vs_err(err, errlen, "%s: offset 0: %s", path, other);
         goto out;
      }
      if (f == VS_FMT_AUTO) {
         vs_err(err, errlen, "%s: offset 0: unknown trace format (no vmtrace or lcs "
                "magic, not text): give --format=oracleGeneral if it is one",
                path);
         goto out;
      }
   }
   if (f == VS_FMT_VMTRACE) {
      /* its replay opens it again: a pipe's bytes read here are gone (a
         pipe named /dev/stdin read as empty, until 2026-12-06) */
      struct stat st;
      if (is_stdin || fstat(fileno(r.f), &st) != 0 || !S_ISREG(st.st_mode)) {
         vs_err(err, errlen, "%s: offset 0: a vmtrace trace must be a file (its "
                "replay may read it twice), not a pipe or a device: save it first", path);
         goto out;
      }
      fclose(r.f);
      r.f = NULL;
      rc = vs_vmtrace_stream(path, o, s, err, errlen);
      goto out;
   }
   vs_stream_init(s, path, vs_format_name(f), o->keep_time);
   if (f == VS_FMT_LCS && (have < 8 || le64(r.buf) != LCS_MAGIC)) {
      vs_err(err, errlen, "%s: offset 0: no lcs start magic (not an lcs trace)", path);
   } else if (f == VS_FMT_CSV && have && !looks_like_text(r.buf, have < 4096 ? have : 4096)) {
      vs_err(err, errlen, "%s: offset 0: not text (not a CSV trace)", path);
   } else {
      rc = f == VS_FMT_ORACLE ? read_oracle(&r, o, s, err, errlen)
           : f == VS_FMT_LCS  ? read_lcs(&r, o, s, err, errlen)
           : read_csv(&r, o, s, err, errlen);
      if (!rc && s->n == 0) {
         if (s->skipped)
            vs_err(err, errlen, "%s: offset %llu: the trace holds no reference: its %llu "
                   "records are all of size 0, which are left out (as libCacheSim's "
                   "readers do)", path, (unsigned long long)rd_offset(&r),
                   (unsigned long long)s->skipped);
         else
            vs_err(err, errlen, "%s: offset %llu: the trace holds no reference", path,
                   (unsigned long long)rd_offset(&r));
         rc = -1;
      }
   }
   if (rc == 0) {
      if (s->skipped)
         drop_unreferenced(s);
      vs_stream_done(s);
   } else {
      vs_stream_free(s);
   }
out:
   if (r.f && !is_stdin)
      fclose(r.f);
   free(r.buf);
   return rc;
}

int vs_read_refs(const char *list, struct vs_stream *s, char *err, size_t errlen)
{
   vs_stream_init(s, "refs", "refs", false);
   const char *p = list;
   uint64_t k = 0;
   for (;;) {
      while (*p == ' ' || *p == ',')
         p++;
      if (!*p)
         break;
      const char *start = p;
      uint64_t v = 0;
      bool ok = *p >= '0' && *p <= '9';
      for (; *p >= '0' && *p <= '9'; p++) {
         uint64_t d = (uint64_t)(*p - '0');
         if (v > (UINT64_MAX - d) / 10)
            ok = false;
         v = v * 10 + d;
      }
      unsigned flags = 0;
      if (*p == 'w' || *p == 'W') {
         flags = VS_W;
         p++;
      }
      if (!ok || (*p && *p != ',' && *p != ' ')) {
         int len = (int)strcspn(start, ", ");
         vs_err(err, errlen, "--refs: reference %llu ('%.*s') is not a page number "
                "(e.g. --refs=7,0,1,2; 3w for a write)", (unsigned long long)k + 1,
                len > 40 ? 40 : len, start);
         vs_stream_free(s);
         return -1;
      }
      vs_stream_push(s, vs_stream_page(s, v, NULL), flags, 0);
      k++;
   }
   if (!s->n) {
      vs_err(err, errlen, "--refs: no reference given (e.g. --refs=7,0,1,2,0,3)");
      vs_stream_free(s);
      return -1;
   }
   vs_stream_done(s);
   return 0;
}
