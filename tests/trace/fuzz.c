/* fuzz.c: a fuzz target for the page trace's reader and replay (trace.c,
   replay.c).  Real traces (the seeds: format 2, unchecked, and format 3,
   whose mutants are made to pass their CRCs again one time in two, so that
   both the checks and the items behind them are fuzzed) are mutated,
   deterministically from a seed and the input's number, and each mutant is replayed under a few
   simulations with RAM limits: the replay must end with its figures or
   with one line naming the byte offset, never crash, leak, hang or abort
   (the sanitizers and an alarm watch).  Before each input the mutant is
   written to CURRENT (if given), so a crash leaves the input that made it.
     fuzz [-s SEED] [-n RUNS] [-c CURRENT] [-q] SEEDFILE...
     fuzz -r INPUT...          replay inputs as they are (the corpus)
   Prints one summary line; exits 1 if a replay's error is not one line.
   SPDX-License-Identifier: GPL-2.0-or-later */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vt_core.h"
#include "vt_sim.h"
#include "vt_trace.h"
#include "host.h"

/* ---- inputs in memory ---------------------------------------------------- */

struct buf {
   unsigned char *p;
   size_t n, cap;
};

struct mem_in {
   const unsigned char *p;
   size_t n, at;
};

static long mem_read(void *ctx, void *dst, size_t len)
{
   struct mem_in *m = ctx;
   size_t k = m->n - m->at < len ? m->n - m->at : len;
   memcpy(dst, m->p + m->at, k);
   m->at += k;
   return (long)k;
}

static struct buf read_file(const char *path)
{
   struct buf b = { NULL, 0, 0 };
   FILE *f = fopen(path, "rb");
   if (!f) {
      fprintf(stderr, "fuzz: cannot open %s\n", path);
      exit(2);
   }
   unsigned char tmp[65536];
   size_t k;
   while ((k = fread(tmp, 1, sizeof tmp, f)) > 0) {
      if (b.n + k > b.cap) {
         b.cap = (b.n + k) * 2;
         b.p = realloc(b.p, b.cap);
         if (!b.p)
            abort();
      }
      memcpy(b.p + b.n, tmp, k);
      b.n += k;
   }
   fclose(f);
   return b;
}

/* ---- the replay ------------------------------------------------------------ */

/* A forked child's parent: the seed whose header has that id, if any
   (mutants rarely keep one: the replay must say so). */
static struct buf *seeds;
static int nr_seeds;
static struct mem_in parent_in[4];
static int nr_parent_in;

static struct vt_trace_reader *parent(void *ctx, vt_u64 pid, vt_u64 id)
{
   (void)ctx; (void)pid;
   char want[64];
   snprintf(want, sizeof want, "\"id\": \"%016llx\"", id);
   for (int i = 0; i < nr_seeds && nr_parent_in < 4; i++) {
      struct mem_in *m = &parent_in[nr_parent_in];
      *m = (struct mem_in){ seeds[i].p, seeds[i].n, 0 };
      struct vt_trace_in in = { mem_read, m };
      const char *err;
      struct vt_trace_reader *r = vt_trace_reader_new(&in, &err);
      if (!r)
         continue;
      const char *first = strstr(vt_trace_header(r), "\"id\": \"");
      if (first && strncmp(first, want, strlen(want)) == 0) {
         nr_parent_in++;
         return r;
      }
      vt_trace_reader_free(r);
   }
   return NULL;
}

static unsigned long nr_ok, nr_refused;

/* One input, replayed under LRU, CLOCK and LINUX with 16 pages of RAM and
   8 of swap, and OPT-free (the replay has no future here).  Returns false
   if the error was not one line. */
static bool run_one(const unsigned char *p, size_t n)
{
   struct mem_in m = { p, n, 0 };
   struct vt_trace_in in = { mem_read, &m };
   const char *err = NULL;
   nr_parent_in = 0;
   struct vt_trace_reader *r = vt_trace_reader_new(&in, &err);
   if (!r) {
      nr_refused++;
      return err && !strchr(err, '\n');
   }
   static const char *const pols[] = { "lru", "clock", "linux" };
   struct vt_sim *sims[3];
   for (int i = 0; i < 3; i++) {
      struct vt_sim_config cfg = { .policy = vt_policy_find(pols[i]),
                                   .ram_pages = 16, .swap_pages = 8 };
      vt_policy_params_init(cfg.policy, &cfg.params);
      sims[i] = vt_sim_create(&cfg, NULL);
   }
   struct vt_replay_env env = { .parent_trace = parent };
   int ret = vt_replay(r, sims, 3, &env, &err);
   for (int i = 0; i < 3; i++)
      vt_sim_destroy(sims[i]);
   vt_trace_reader_free(r);
   if (ret == 0) {
      nr_ok++;
      return true;
   }
   nr_refused++;
   if (getenv("FUZZ_VERBOSE"))
      fprintf(stderr, "%s\n", err);
   return err && err[0] && !strchr(err, '\n');
}

/* ---- mutations --------------------------------------------------------------- */

static vt_u64 rng_state;

static vt_u64 rnd(void)
{
   /* splitmix64 */
   vt_u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);
   z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
   z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
   return z ^ (z >> 31);
}

static size_t below(size_t n)
{
   return n ? (size_t)(rnd() % n) : 0;
}

static void put(struct buf *b, size_t at, const unsigned char *src, size_t k)
{
   if (b->n + k > b->cap) {
      b->cap = (b->n + k) * 2 + 64;
      b->p = realloc(b->p, b->cap);
      if (!b->p)
         abort();
   }
   memmove(b->p + at + k, b->p + at, b->n - at);
   memcpy(b->p + at, src, k);
   b->n += k;
}

static uint32_t get32(const unsigned char *p)
{
   return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(unsigned char *p, uint32_t v)
{
   for (int i = 0; i < 4; i++)
      p[i] = (unsigned char)(v >> (8 * i));
}

/* Where the items begin (after the header, and its CRC from format 3
   on: magic byte 7 is 2), or 0. */
static size_t items_at(const struct buf *b)
{
   if (b->n < 12)
      return 0;
   size_t at = 12 + (size_t)get32(b->p + 8) + (b->p[7] == 2 ? 4 : 0);
   return at <= b->n ? at : 0;
}

/* A format 3 mutant made to pass its CRC checks again, as far as its
   frames still hold (the header's CRC, each block's whose length fits):
   so that the items behind the checks are fuzzed too, not only the checks. */
static void fix_crcs(struct buf *b)
{
   size_t at = items_at(b);
   if (b->n < 16 || b->p[7] != 2 || !at)
      return;
   put32(b->p + at - 4, vt_crc32c(0, b->p, at - 4));
   while (at + VT_TRACE_FRAME <= b->n) {
      uint32_t len = get32(b->p + at);
      if (len == 0 || len > b->n - at - VT_TRACE_FRAME)
         break;
      put32(b->p + at + 4, vt_crc32c(vt_crc32c(0, b->p + at, 4), b->p + at + 8, len));
      at += VT_TRACE_FRAME + len;
   }
}

/* A varint that decoders find hard: huge, a page number, an address in
   the 47-bit space or beyond, 0 or 1. */
static size_t odd_varint(unsigned char *out)
{
   static const vt_u64 vals[] = { 0, 1, 2, 7, 0x7f, 0x80, 4096, 0xfffff, 1ULL << 35,
                                  (1ULL << 47) - 4096, 1ULL << 47, 1ULL << 52,
                                  ~0ULL >> 1, ~0ULL, 0x7ffffffff000ULL };
   vt_u64 v = rnd() & 1 ? vals[below(sizeof vals / sizeof vals[0])] : rnd() >> below(64);
   size_t n = 0;
   while (v >= 0x80) {
      out[n++] = (unsigned char)(v | 0x80);
      v >>= 7;
   }
   out[n++] = (unsigned char)v;
   return n;
}

static void mutate(struct buf *b)
{
   size_t lo = items_at(b);
   if (!lo || lo >= b->n)
      lo = 0;
   unsigned rounds = 1 + (unsigned)below(4);
   for (unsigned k = 0; k < rounds && b->n; k++) {
      if (lo >= b->n)                          /* truncated into the header */
         lo = 0;
      size_t at = lo + below(b->n - lo);
      switch (below(10)) {
      case 0:                                  /* flip a bit */
         b->p[at] ^= (unsigned char)(1u << below(8));
         break;
      case 1:                                  /* a random byte */
         b->p[at] = (unsigned char)rnd();
         break;
      case 2:                                  /* truncate */
         b->n = at;
         break;
      case 3: {                                /* delete a range */
         size_t len = 1 + below(b->n - at < 64 ? b->n - at : 64);
         memmove(b->p + at, b->p + at + len, b->n - at - len);
         b->n -= len;
         break;
      }
      case 4: {                                /* duplicate a range */
         size_t len = 1 + below(b->n - at < 256 ? b->n - at : 256);
         unsigned char tmp[256];
         memcpy(tmp, b->p + at, len);
         put(b, lo + below(b->n - lo + 1), tmp, len);
         break;
      }
      case 5: {                                /* an odd varint inserted */
         unsigned char tmp[11];
         put(b, at, tmp, odd_varint(tmp));
         break;
      }
      case 6: {                                /* an event with odd fields */
         unsigned char tmp[128];
         size_t n = 0;
         tmp[n++] = 3 | (4 << 2);
         tmp[n++] = (unsigned char)below(VT_TEV_NR + 2);
         for (unsigned f = 0; f < 8; f++)
            n += odd_varint(tmp + n);
         put(b, at, tmp, n);
         break;
      }
      case 7: {                                /* a special item */
         unsigned char c = (unsigned char)(3 | (below(8) << 2));
         put(b, at, &c, 1);
         break;
      }
      case 8: {                                /* splice from another seed */
         const struct buf *s = &seeds[below((size_t)nr_seeds)];
         size_t slo = items_at(s);
         if (s->n > slo + 1) {
            size_t from = slo + below(s->n - slo);
            size_t len = 1 + below(s->n - from < 512 ? s->n - from : 512);
            unsigned char tmp[512];
            memcpy(tmp, s->p + from, len);
            put(b, at, tmp, len);
         }
         break;
      }
      default:                                 /* the header */
         if (b->n > 12)
            b->p[below(lo ? lo : 12)] ^= (unsigned char)(1u << below(8));
         break;
      }
   }
}

int main(int argc, char **argv)
{
   trace_host_init("fuzz");
   vt_u64 seed = 1;
   unsigned long runs = 1000;
   const char *current = NULL;
   bool replay_only = false, quiet = false;
   int opt;
   while ((opt = getopt(argc, argv, "s:n:c:rq")) != -1) {
      switch (opt) {
      case 's': seed = strtoull(optarg, NULL, 0); break;
      case 'n': runs = strtoul(optarg, NULL, 0); break;
      case 'c': current = optarg; break;
      case 'r': replay_only = true; break;
      case 'q': quiet = true; break;
      default:
         fprintf(stderr, "usage: fuzz [-s SEED] [-n RUNS] [-c CURRENT] [-r] SEEDFILE...\n");
         return 2;
      }
   }
   nr_seeds = argc - optind;
   if (nr_seeds <= 0) {
      fprintf(stderr, "fuzz: no seed files\n");
      return 2;
   }
   seeds = calloc((size_t)nr_seeds, sizeof *seeds);
   for (int i = 0; i < nr_seeds; i++)
      seeds[i] = read_file(argv[optind + i]);
   unsigned long bad = 0, done = 0;
   if (replay_only) {
      for (int i = 0; i < nr_seeds; i++, done++)
         if (!run_one(seeds[i].p, seeds[i].n)) {
            fprintf(stderr, "fuzz: %s: an error of more than one line\n", argv[optind + i]);
            bad++;
         }
   } else {
      struct buf b = { NULL, 0, 0 };
      for (unsigned long i = 0; i < runs; i++, done++) {
         rng_state = seed * 0x100000001b3ULL + i;
         const struct buf *s = &seeds[below((size_t)nr_seeds)];
         b.n = 0;
         put(&b, 0, s->p, s->n);
         mutate(&b);
         if (rnd() & 1)
            fix_crcs(&b);
         if (current) {
            FILE *f = fopen(current, "wb");
            if (f) {
               fwrite(b.p, 1, b.n, f);
               fclose(f);
            }
         }
         alarm(20);                            /* a hang is a crash */
         if (!run_one(b.p, b.n)) {
            fprintf(stderr, "fuzz: input %lu (seed %llu): an error of more than one line\n",
                    i, seed);
            bad++;
         }
         alarm(0);
         if (!quiet && (i + 1) % 10000 == 0)
            fprintf(stderr, "fuzz: %lu inputs, %lu replayed whole, %lu refused\n",
                    i + 1, nr_ok, nr_refused);
      }
      free(b.p);
   }
   for (int i = 0; i < nr_seeds; i++)
      free(seeds[i].p);
   free(seeds);
   printf("%lu inputs: %lu replayed whole, %lu refused with one line, %lu bad\n",
          done, nr_ok, nr_refused, bad);
   fflush(stdout);   /* before LeakSanitizer's report at exit, which ends the process */
   return bad ? 1 : 0;
}
