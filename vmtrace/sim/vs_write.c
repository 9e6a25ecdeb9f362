/* vs_write.c: writing a reference stream as libCacheSim's oracleGeneral or
   lcs, or as CSV: one record a reference, the page as obj_id, 4096 bytes,
   the next access as libCacheSim counts it (1-based record index, -1 for
   never), the time of a libCacheSim trace's records or of a CSV's time
   column, else the reference's number (a vmtrace trace's clock counts
   instructions: vs_vmtrace.c gives the stream the reference's number).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "vs.h"

#define LCS_MAGIC   0x123456789abcdef0ull
#define LCS_HEADER  8192u
#define PAGE_BYTES  4096u
#define OP_READ     12u              /* libCacheSim's req_op_e */
#define OP_WRITE    13u

static void put32(uint8_t *p, uint32_t v)
{
   for (int i = 0; i < 4; i++)
      p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
   for (int i = 0; i < 8; i++)
      p[i] = (uint8_t)(v >> (8 * i));
}

static void putf32(uint8_t *p, float f)
{
   uint32_t v;
   memcpy(&v, &f, 4);
   put32(p, v);
}

static uint32_t ref_time(const struct vs_stream *s, uint64_t i)
{
   return s->time ? s->time[i] : (uint32_t)(i + 1);
}

static int64_t ref_next(const struct vs_stream *s, uint64_t i)
{
   return s->next[i] == VS_NEVER ? -1 : (int64_t)s->next[i] + 1;
}

/* The lcs header: magic, version, and the statistics lcs.h defines that a
   page trace knows (the rest stays 0, as for a trace whose statistics
   were not computed). */
static void lcs_header(const struct vs_stream *s, unsigned version, uint8_t *h)
{
   uint64_t writes = 0;
   for (uint64_t i = 0; s->fl && i < s->n; i++)
      writes += s->fl[i] & VS_W;
   memset(h, 0, LCS_HEADER);
   put64(h, LCS_MAGIC);
   put64(h + 8, version);
   uint8_t *st = h + 16;                          /* lcs_trace_stat_t */
   put64(st + 0, 1);                              /* its version */
   put64(st + 8, s->n);                           /* n_req */
   put64(st + 16, s->npages);                     /* n_obj */
   put64(st + 24, s->n * PAGE_BYTES);             /* n_req_byte */
   put64(st + 32, (uint64_t)s->npages * PAGE_BYTES);   /* n_obj_byte */
   put64(st + 40, ref_time(s, 0));                /* start_timestamp */
   put64(st + 48, ref_time(s, s->n - 1));         /* end_timestamp */
   put64(st + 56, s->n - writes);                 /* n_read */
   put64(st + 64, writes);                        /* n_write */
   put64(st + 80, PAGE_BYTES);                    /* smallest_obj_size */
   put64(st + 88, PAGE_BYTES);                    /* largest_obj_size */
   put64(st + 96, PAGE_BYTES);                    /* most_common_obj_sizes[0] */
   putf32(st + 224, 1.0f);                        /* ..._ratio[0] */
   put32(st + 552, 1);                            /* n_tenant */
   putf32(st + 620, 1.0f);                        /* most_common_tenant_ratio[0] */
   put64(h + LCS_HEADER - 8, LCS_MAGIC);
}

static int write_binary(const struct vs_stream *s, FILE *f, bool lcs)
{
   bool writes = false;
   for (uint64_t i = 0; s->fl && i < s->n && !writes; i++)
      writes = s->fl[i] & VS_W;
   /* lcs v1 is oracleGeneral's record; v2 adds the operation, so a trace
      that writes says which references do. */
   unsigned version = writes ? 2 : 1, rec = lcs && writes ? 28 : 24;
   if (lcs) {
      uint8_t h[LCS_HEADER];
      lcs_header(s, version, h);
      fwrite(h, 1, LCS_HEADER, f);
   }
   enum { CHUNK = 4096 };
   uint8_t buf[CHUNK * 28];
   size_t k = 0;
   for (uint64_t i = 0; i < s->n; i++) {
      uint8_t *p = buf + k * rec;
      put32(p, ref_time(s, i));
      put64(p + 4, s->obj[s->id[i]]);
      put32(p + 12, PAGE_BYTES);
      if (rec == 28) {
         put32(p + 16, s->fl && (s->fl[i] & VS_W) ? OP_WRITE : OP_READ);   /* tenant 0 */
         put64(p + 20, (uint64_t)ref_next(s, i));
      } else {
         put64(p + 16, (uint64_t)ref_next(s, i));
      }
      if (++k == CHUNK) {
         fwrite(buf, rec, k, f);
         k = 0;
      }
   }
   fwrite(buf, rec, k, f);
   return 0;
}

static int write_csv(const struct vs_stream *s, FILE *f)
{
   fputs("time,obj_id,op\n", f);
   for (uint64_t i = 0; i < s->n; i++)
      fprintf(f, "%u,%llu,%c\n", ref_time(s, i), (unsigned long long)s->obj[s->id[i]],
              s->fl && (s->fl[i] & VS_W) ? 'w' : 'r');
   return 0;
}

int vs_export(const struct vs_stream *s, const char *path, enum vs_format fmt,
              char *err, size_t errlen)
{
   struct vs_ofile o;
   if (vs_out_open(&o, path, fmt != VS_FMT_CSV, err, errlen))
      return -1;
   if (fmt == VS_FMT_CSV)
      write_csv(s, o.f);
   else
      write_binary(s, o.f, fmt == VS_FMT_LCS);
   return vs_out_close(&o, err, errlen);
}
