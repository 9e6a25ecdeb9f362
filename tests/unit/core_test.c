/* core_test.c: native unit tests for vmtrace's simulator core
   (vmtrace/core).  Every expected figure is derived from page arithmetic
   and Linux's fault paths in the comment next to it, never copied from a
   run.

   Output is TAP-like: one "ok N - name" / "not ok N - name" line per test,
   failures followed by "# expected X, got Y" diagnostics, then "1..N".
   The exit status is 1 if any test failed.

   Build (tests/unit/run does this):
     cc -std=c11 -Wall -Wextra -Werror -O1 -g -fsanitize=address,undefined \
        -I vmtrace/core vmtrace/core/\*.c tests/unit/core_test.c

   SPDX-License-Identifier: GPL-2.0-or-later */

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vt_core.h"

/* ===================================================================== */
/* Host interface                                                          */
/* ===================================================================== */

static jmp_buf panic_jmp;
static bool panic_armed;
static char panic_msg[512];

static void *host_alloc(size_t n)
{
   void *p = calloc(1, n ? n : 1);
   if (!p) {
      fprintf(stderr, "core_test: out of memory\n");
      abort();
   }
   return p;
}

__attribute__((noreturn)) static void host_panic(const char *msg)
{
   snprintf(panic_msg, sizeof panic_msg, "%s", msg);
   if (panic_armed) {
      panic_armed = false;
      longjmp(panic_jmp, 1);
   }
   fprintf(stderr, "core_test: core panic outside a test: %s\n", msg);
   abort();
}

/* ===================================================================== */
/* The harness                                                             */
/* ===================================================================== */

static int tap_n, tap_failed;
static bool cur_fail;
static char diag[16384];
static size_t diag_len;

static void diagf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void diagf(const char *fmt, ...)
{
   if (diag_len >= sizeof diag - 2)
      return;
   va_list ap;
   va_start(ap, fmt);
   int n = vsnprintf(diag + diag_len, sizeof diag - diag_len, fmt, ap);
   va_end(ap);
   if (n > 0)
      diag_len += (size_t)n;
   if (diag_len > sizeof diag - 1)
      diag_len = sizeof diag - 1;
}

/* Comment lines printed after the test's line whether it passed or not. */
static char note[1024];

static void fail_at(int line, const char *what, const char *exp, const char *got)
{
   cur_fail = true;
   diagf("# line %d: %s\n#   expected %s, got %s\n", line, what, exp, got);
}

static void expect_u64(int line, const char *what, vt_u64 exp, vt_u64 got)
{
   if (exp == got)
      return;
   char e[64], g[64];
   if (exp > 0xffffffffull || got > 0xffffffffull) {
      snprintf(e, sizeof e, "0x%llx", exp);
      snprintf(g, sizeof g, "0x%llx", got);
   } else {
      snprintf(e, sizeof e, "%llu", exp);
      snprintf(g, sizeof g, "%llu", got);
   }
   fail_at(line, what, e, g);
}

#define EXPECT_EQ(exp, got) \
   expect_u64(__LINE__, #got, (vt_u64)(exp), (vt_u64)(got))
#define EXPECT_TRUE(c) \
   do { if (!(c)) fail_at(__LINE__, #c, "true", "false"); } while (0)
#define EXPECT_FALSE(c) \
   do { if (c) fail_at(__LINE__, #c, "false", "true"); } while (0)

/* No fault taken by an access. */
#define NOF (-1)

static const char *fc_name(int c)
{
   if (c == NOF)
      return "no fault";
   if (c < 0 || c >= VT_NR_FC)
      return "?";
   return vt_fault_classes[c].name;
}

static void expect_fc(int line, const char *what, int exp, int got)
{
   if (exp != got)
      fail_at(line, what, fc_name(exp), fc_name(got));
}
#define EXPECT_FC(exp, got) expect_fc(__LINE__, #got, (int)(exp), (int)(got))

static void expect_str(int line, const char *what, const char *exp,
                       const char *got)
{
   if (strcmp(exp, got) != 0) {
      char e[1200], g[1200];
      snprintf(e, sizeof e, "\"%s\"", exp);
      snprintf(g, sizeof g, "\"%s\"", got);
      fail_at(line, what, e, g);
   }
}
#define EXPECT_STR(exp, got) expect_str(__LINE__, #got, (exp), (got))

/* The mm a test is using, destroyed after a core panic. */
static struct vt_mm *cur_mm;

static void run_test(const char *name, void (*fn)(void))
{
   cur_fail = false;
   diag_len = 0;
   diag[0] = 0;
   cur_mm = NULL;
   panic_armed = true;
   if (setjmp(panic_jmp) == 0) {
      fn();
   } else {
      cur_fail = true;
      diagf("# the core panicked: %s\n", panic_msg);
      /* The assertions fire before the core frees anything they guard,
         so the tree is still consistent enough to destroy. */
      if (cur_mm) {
         panic_armed = true;
         if (setjmp(panic_jmp) == 0) {
            vt_mm_destroy(cur_mm);
            free(cur_mm);
         }
         cur_mm = NULL;
      }
   }
   panic_armed = false;
   tap_n++;
   if (cur_fail)
      tap_failed++;
   printf("%s %d - %s\n", cur_fail ? "not ok" : "ok", tap_n, name);
   if (cur_fail)
      fputs(diag, stdout);
   fputs(note, stdout);
   note[0] = 0;
   fflush(stdout);
}

/* ===================================================================== */
/* Helpers around the core                                                 */
/* ===================================================================== */

#define PG    ((vt_addr)4096)
#define KB64  ((vt_addr)64 << 10)
#define MB2   ((vt_addr)2 << 20)
#define GB1   ((vt_addr)1 << 30)
#define GB512 ((vt_addr)1 << 39)
/* 1 TiB: aligned to every table level (512 GiB is the PGD entry size). */
#define BASE  ((vt_addr)1 << 40)

#define R_  VT_VM_READ
#define W_  VT_VM_WRITE
#define X_  VT_VM_EXEC
#define S_  VT_VM_SHARED
#define RW  (VT_VM_READ | VT_VM_WRITE)
#define RX  (VT_VM_READ | VT_VM_EXEC)

/* What the callbacks saw. */
struct rec {
   unsigned nfaults;
   enum vt_fault_class cls;
   int reason;
   vt_addr addr;
   enum vt_access acc;
   unsigned ninv;
   vt_addr inv[512][2];
};
static struct rec R;

static void on_fault_cb(void *ctx, struct vt_mm *mm, vt_addr addr,
                        enum vt_access acc, enum vt_fault_class cls, int reason)
{
   struct rec *r = ctx;
   (void)mm;
   r->nfaults++;
   r->cls = cls;
   r->reason = reason;
   r->addr = addr;
   r->acc = acc;
}

static void on_inval_cb(void *ctx, struct vt_mm *mm, vt_addr start, vt_addr end)
{
   struct rec *r = ctx;
   (void)mm;
   if (r->ninv < sizeof r->inv / sizeof r->inv[0]) {
      r->inv[r->ninv][0] = start;
      r->inv[r->ninv][1] = end;
   }
   r->ninv++;
}

static struct vt_mm *mm_new(unsigned fault_around_pages, bool zero_page)
{
   struct vt_config cfg;
   memset(&cfg, 0, sizeof cfg);            /* the defaults for the rest */
   cfg.fault_around_pages = fault_around_pages;
   cfg.zero_page = zero_page;
   struct vt_mm *mm = calloc(1, sizeof *mm);
   if (!mm)
      abort();
   vt_mm_init(mm, &cfg);
   memset(&R, 0, sizeof R);
   cur_mm = mm;
   return mm;
}

static void mm_free(struct vt_mm *mm)
{
   vt_mm_destroy(mm);
   free(mm);
   cur_mm = NULL;
}

static unsigned last_res;

/* One access; returns the class of the fault it took (NOF: none), as the
   on_fault callback reported it. */
static int acc_line(int line, struct vt_mm *mm, vt_addr a, enum vt_access acc)
{
   unsigned n = R.nfaults;
   last_res = vt_access(mm, a, acc);
   if (R.nfaults == n) {
      if (mm->collecting && (last_res & (VT_RES_FAULT | VT_RES_INVALID)))
         fail_at(line, "access result flags without a fault callback",
                 "no FAULT/INVALID flag", "one");
      return NOF;
   }
   if (R.nfaults != n + 1) {
      char g[32];
      snprintf(g, sizeof g, "%u", R.nfaults - n);
      fail_at(line, "fault callbacks for one access", "1", g);
   }
   bool inv = R.cls == VT_FC_INVALID;
   if (inv != ((last_res & VT_RES_INVALID) != 0) ||
       (!inv && !(last_res & VT_RES_FAULT)))
      fail_at(line, "access result flags agree with the fault callback",
              "agreement", "disagreement");
   return (int)R.cls;
}
#define RD(mm, a) acc_line(__LINE__, (mm), (a), VT_ACC_READ)
#define WR(mm, a) acc_line(__LINE__, (mm), (a), VT_ACC_WRITE)
#define EX(mm, a) acc_line(__LINE__, (mm), (a), VT_ACC_EXEC)

static int map_req(struct vt_mm *mm, vt_addr start, vt_u64 npages,
                   uint32_t flags, struct vt_file *f, vt_u64 pgoff,
                   bool populate, enum vt_map_kind kind)
{
   struct vt_mmap_req r;
   memset(&r, 0, sizeof r);
   r.start = start;
   r.len = npages * PG;
   r.vm_flags = flags;
   r.file = f;
   r.pgoff = pgoff;
   r.populate = populate;
   r.kind = kind;
   r.name = NULL;
   return vt_mmap(mm, &r);
}

static int map_anon(struct vt_mm *mm, vt_addr start, vt_u64 npages,
                    uint32_t flags)
{
   return map_req(mm, start, npages, flags, NULL, 0, false, VT_NR_MK);
}

static int map_file(struct vt_mm *mm, vt_addr start, vt_u64 npages,
                    uint32_t flags, struct vt_file *f, vt_u64 pgoff)
{
   return map_req(mm, start, npages, flags, f, pgoff, false, VT_NR_MK);
}

static vt_u64 next_ino = 100;

/* A regular file (in the page cache) of the given size in bytes. */
static struct vt_file *reg_file(struct vt_mm *mm, vt_u64 bytes)
{
   return vt_file_get(mm, 8, next_ino++, "/data/file", bytes, false);
}

/* A tmpfs / memfd file. */
static struct vt_file *shm_file(struct vt_mm *mm, vt_u64 bytes)
{
   return vt_file_get(mm, 9, next_ino++, "/dev/shm/seg", bytes, true);
}

static bool present(struct vt_mm *mm, vt_addr a)
{
   return (vt_get_pte(mm, a) & VT_PTE_PRESENT) != 0;
}

static bool pte_has(struct vt_mm *mm, vt_addr a, vt_pte bit)
{
   return (vt_get_pte(mm, a) & bit) != 0;
}

/* Counts present PTEs in [start, start + n pages). */
static unsigned count_present(struct vt_mm *mm, vt_addr start, unsigned n)
{
   unsigned k = 0;
   for (unsigned i = 0; i < n; i++)
      k += present(mm, start + i * PG);
   return k;
}

/* The VMA list as text, addresses in pages relative to base:
   "0-3 rw-p m0, 5-8 rw-p m0". */
static const char *vmas_str(struct vt_mm *mm, vt_addr base)
{
   static char buf[2048];
   size_t n = 0;
   buf[0] = 0;
   for (uint32_t i = 0; i < mm->nr_vmas && n < sizeof buf - 64; i++) {
      const struct vt_vma *v = &mm->vmas[i];
      uint32_t f = v->vm_flags;
      n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%lld-%lld %c%c%c%c%s m%u",
                            i ? ", " : "",
                            (long long)((vt_s64)(v->vm_start - base) / (vt_s64)PG),
                            (long long)((vt_s64)(v->vm_end - base) / (vt_s64)PG),
                            f & R_ ? 'r' : '-', f & W_ ? 'w' : '-',
                            f & X_ ? 'x' : '-', f & S_ ? 's' : 'p',
                            f & VT_VM_LOCKED ? "L" : "", v->mapping);
   }
   return buf;
}

/* Whether the invalidate calls recorded since R.ninv was `from` cover
   every page of [start, end). */
static bool inval_covers(unsigned from, vt_addr start, vt_addr end)
{
   unsigned n = R.ninv < 512 ? R.ninv : 512;
   for (vt_addr a = start; a < end; a += PG) {
      bool hit = false;
      for (unsigned i = from; i < n && !hit; i++)
         hit = R.inv[i][0] <= a && a + PG <= R.inv[i][1];
      if (!hit)
         return false;
   }
   return true;
}

static uint32_t phase_id(struct vt_mm *mm, const char *name)
{
   for (uint32_t i = 0; i < mm->nr_phases; i++)
      if (!strcmp(mm->phases[i].name, name))
         return i;
   return UINT32_MAX;
}

static struct vt_label *label_named(struct vt_mm *mm, const char *name)
{
   for (uint32_t i = 0; i < mm->nr_labels; i++)
      if (!strcmp(mm->labels[i].name, name))
         return &mm->labels[i];
   return NULL;
}

static vt_u64 lphase(struct vt_mm *mm, struct vt_label *l, const char *phase,
                     int cls)
{
   uint32_t p = phase_id(mm, phase);
   if (!l || p == UINT32_MAX || !l->per_phase)
      return 0;
   return cls < 0 ? l->per_phase[p].touched : l->per_phase[p].faults[cls];
}

/* ===================================================================== */
/* Page tables                                                             */
/* ===================================================================== */

static void t_pt_one_page(void)
{
   struct vt_mm *mm = mm_new(1, true);
   /* A fresh address space has its PGD only. */
   EXPECT_EQ(1, mm->nr_pt[0]);
   EXPECT_EQ(0, mm->nr_pt[1] + mm->nr_pt[2] + mm->nr_pt[3]);
   map_anon(mm, BASE, 1, RW);
   /* mmap allocates no table: Linux builds them at fault time. */
   EXPECT_EQ(0, mm->nr_pt[1] + mm->nr_pt[2] + mm->nr_pt[3]);
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE));
   /* One page needs one table per level below the PGD. */
   EXPECT_EQ(1, mm->nr_pt[0]);
   EXPECT_EQ(1, mm->nr_pt[1]);
   EXPECT_EQ(1, mm->nr_pt[2]);
   EXPECT_EQ(1, mm->nr_pt[3]);
   EXPECT_EQ(1, mm->peak_pt[3]);
   mm_free(mm);
}

static void t_pt_2mib_apart(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 1024, RW);               /* 4 MiB, 2 PTE tables' worth */
   WR(mm, BASE);
   WR(mm, BASE + 511 * PG);                    /* same 2 MiB: same table */
   EXPECT_EQ(1, mm->nr_pt[3]);
   WR(mm, BASE + MB2);                         /* page 512: the next table */
   EXPECT_EQ(1, mm->nr_pt[1]);
   EXPECT_EQ(1, mm->nr_pt[2]);
   EXPECT_EQ(2, mm->nr_pt[3]);
   /* Unmapping the upper 2 MiB frees its PTE table only. */
   vt_munmap(mm, BASE + MB2, MB2);
   EXPECT_EQ(1, mm->nr_pt[3]);
   EXPECT_EQ(1, mm->nr_pt[2]);
   EXPECT_TRUE(present(mm, BASE + 511 * PG));
   /* Unmapping a part of the lower one keeps it: [256, 512) still uses it. */
   vt_munmap(mm, BASE, 256 * PG);
   EXPECT_EQ(1, mm->nr_pt[3]);
   EXPECT_TRUE(present(mm, BASE + 511 * PG));
   /* The whole range gone: everything but the PGD is freed. */
   vt_munmap(mm, BASE, 1024 * PG);
   EXPECT_EQ(1, mm->nr_pt[0]);
   EXPECT_EQ(0, mm->nr_pt[1]);
   EXPECT_EQ(0, mm->nr_pt[2]);
   EXPECT_EQ(0, mm->nr_pt[3]);
   /* peak_pt keeps the maximum: 1 pud, 1 pmd, 2 pte. */
   EXPECT_EQ(1, mm->peak_pt[0]);
   EXPECT_EQ(1, mm->peak_pt[1]);
   EXPECT_EQ(1, mm->peak_pt[2]);
   EXPECT_EQ(2, mm->peak_pt[3]);
   mm_free(mm);
}

static void t_pt_neighbour_keeps(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 4, RW);                  /* A: pages 0..3 */
   map_anon(mm, BASE + 8 * PG, 4, RW);         /* B: pages 8..11, same 2 MiB */
   for (int i = 0; i < 4; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   WR(mm, BASE + 8 * PG);
   EXPECT_EQ(1, mm->nr_pt[3]);
   EXPECT_EQ(5, mm->rss);
   vt_munmap(mm, BASE, 4 * PG);
   /* B still lies in the table's 2 MiB: free_pgtables keeps it. */
   EXPECT_EQ(1, mm->nr_pt[3]);
   EXPECT_EQ(1, mm->rss);
   EXPECT_TRUE(present(mm, BASE + 8 * PG));
   EXPECT_FC(NOF, WR(mm, BASE + 8 * PG));
   /* An untouched neighbour keeps it too: the rule is VMA coverage. */
   map_anon(mm, BASE + 20 * PG, 1, RW);
   vt_munmap(mm, BASE + 8 * PG, 4 * PG);
   EXPECT_EQ(1, mm->nr_pt[3]);
   EXPECT_EQ(1, mm->nr_pt[2]);
   vt_munmap(mm, BASE + 20 * PG, PG);
   EXPECT_EQ(0, mm->nr_pt[3]);
   EXPECT_EQ(0, mm->nr_pt[2]);
   EXPECT_EQ(0, mm->nr_pt[1]);
   EXPECT_EQ(0, mm->rss);
   mm_free(mm);
}

static void t_pt_levels(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 1, RW);
   map_anon(mm, BASE + GB1, 1, RW);            /* another PMD table */
   map_anon(mm, BASE + GB512, 1, RW);          /* another PUD table */
   WR(mm, BASE);
   WR(mm, BASE + GB1);
   WR(mm, BASE + GB512);
   /* BASE and BASE+1G share a PUD table (one 512 GiB PGD entry) but need a
      PMD table each; BASE+512G needs its own PUD, PMD and PTE tables. */
   EXPECT_EQ(1, mm->nr_pt[0]);
   EXPECT_EQ(2, mm->nr_pt[1]);
   EXPECT_EQ(3, mm->nr_pt[2]);
   EXPECT_EQ(3, mm->nr_pt[3]);
   vt_munmap(mm, BASE + GB1, PG);
   EXPECT_EQ(2, mm->nr_pt[1]);
   EXPECT_EQ(2, mm->nr_pt[2]);
   EXPECT_EQ(2, mm->nr_pt[3]);
   vt_munmap(mm, BASE + GB512, PG);
   EXPECT_EQ(1, mm->nr_pt[1]);
   EXPECT_EQ(1, mm->nr_pt[2]);
   EXPECT_EQ(1, mm->nr_pt[3]);
   EXPECT_EQ(2, mm->peak_pt[1]);
   EXPECT_EQ(3, mm->peak_pt[2]);
   EXPECT_EQ(3, mm->peak_pt[3]);
   mm_free(mm);
}

struct walk_acc { unsigned n; vt_addr first, last; };
static void walk_cb(void *ctx, vt_addr a, vt_pte *p)
{
   struct walk_acc *w = ctx;
   (void)p;
   if (!w->n)
      w->first = a;
   w->last = a;
   w->n++;
}

static void t_pt_walk(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 1024, RW);
   WR(mm, BASE + 3 * PG);
   WR(mm, BASE + 700 * PG);
   RD(mm, BASE + 900 * PG);                    /* the zero page: non-zero PTE */
   struct walk_acc w = { 0, 0, 0 };
   vt_walk_ptes(mm, BASE, BASE + 1024 * PG, walk_cb, &w);
   EXPECT_EQ(3, w.n);
   EXPECT_EQ(BASE + 3 * PG, w.first);
   EXPECT_EQ(BASE + 900 * PG, w.last);
   memset(&w, 0, sizeof w);
   vt_walk_ptes(mm, BASE + 4 * PG, BASE + 900 * PG, walk_cb, &w);
   EXPECT_EQ(1, w.n);                          /* only page 700 */
   EXPECT_EQ(BASE + 700 * PG, w.first);
   mm_free(mm);
}

/* ===================================================================== */
/* Anonymous memory                                                        */
/* ===================================================================== */

static void t_anon_read_then_write(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int id = map_anon(mm, BASE, 4, RW);
   struct vt_mapping *m = mm->maps[id];
   /* First read: do_anonymous_page maps the shared zero page, read-only. */
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE));
   EXPECT_EQ(VT_RES_FAULT | VT_RES_CACHE_READ, last_res);
   EXPECT_TRUE(pte_has(mm, BASE, VT_PTE_ZERO));
   EXPECT_FALSE(pte_has(mm, BASE, VT_PTE_WRITE));
   EXPECT_EQ(0, mm->rss);                      /* the zero page is not RSS */
   EXPECT_EQ(1, mm->total.touched);
   EXPECT_FC(NOF, RD(mm, BASE + 8));
   EXPECT_EQ(VT_RES_CACHE_READ, last_res);
   /* Then a write: do_wp_page copies the zero page. */
   EXPECT_FC(VT_FC_WP_COPY, WR(mm, BASE + 16));
   EXPECT_EQ(VT_RES_FAULT | VT_RES_CACHE_READ | VT_RES_CACHE_WRITE, last_res);
   EXPECT_FALSE(pte_has(mm, BASE, VT_PTE_ZERO));
   EXPECT_TRUE(pte_has(mm, BASE, VT_PTE_WRITE));
   EXPECT_EQ(1, mm->rss);
   EXPECT_EQ(1, mm->peak_rss);
   EXPECT_EQ(1, m->resident);
   EXPECT_FC(NOF, WR(mm, BASE));
   EXPECT_FC(NOF, RD(mm, BASE));
   /* Counted once each; the page touched once. */
   EXPECT_EQ(1, mm->total.faults[VT_FC_ZERO]);
   EXPECT_EQ(1, mm->total.faults[VT_FC_WP_COPY]);
   EXPECT_EQ(2, vt_counts_minor(&mm->total));
   EXPECT_EQ(0, vt_counts_major(&mm->total));
   EXPECT_EQ(1, mm->total.touched);
   EXPECT_EQ(1, m->c.faults[VT_FC_ZERO]);
   EXPECT_EQ(1, m->c.faults[VT_FC_WP_COPY]);
   EXPECT_EQ(1, m->c.touched);
   EXPECT_EQ(2, mm->phases[0].c.faults[VT_FC_ZERO] +
                mm->phases[0].c.faults[VT_FC_WP_COPY]);
   EXPECT_STR("main", mm->phases[0].name);
   mm_free(mm);
}

static void t_anon_write_first(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 4, RW);
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + PG));
   EXPECT_EQ(1, mm->rss);
   EXPECT_TRUE(pte_has(mm, BASE + PG, VT_PTE_WRITE));
   EXPECT_TRUE(pte_has(mm, BASE + PG, VT_PTE_DIRTY));
   EXPECT_FC(NOF, RD(mm, BASE + PG));
   EXPECT_FC(NOF, WR(mm, BASE + PG + 100));
   /* Ten more pages written, five unmapped: rss 11 -> 6, peak 11. */
   vt_munmap(mm, BASE, 4 * PG);
   map_anon(mm, BASE, 16, RW);
   for (int i = 0; i < 10; i++)
      EXPECT_FC(VT_FC_ANON, WR(mm, BASE + (vt_addr)i * PG));
   EXPECT_EQ(10, mm->rss);
   RD(mm, BASE + 12 * PG);                     /* zero page: no rss */
   vt_munmap(mm, BASE, 5 * PG);
   EXPECT_EQ(5, mm->rss);
   EXPECT_EQ(10, mm->peak_rss);
   /* 1 + 10 pages written, plus the zero-page read: 12 touched. */
   EXPECT_EQ(12, mm->total.touched);
   EXPECT_EQ(11, mm->total.faults[VT_FC_ANON]);
   mm_free(mm);
}

static void t_anon_no_zero_page(void)
{
   struct vt_mm *mm = mm_new(1, false);
   map_anon(mm, BASE, 2, RW);
   /* Without the zero page a read allocates the page at once, writable
      and dirty in a writable VMA (do_anonymous_page: pte_mkwrite(pte_mkdirty)). */
   EXPECT_FC(VT_FC_ANON, RD(mm, BASE));
   EXPECT_EQ(1, mm->rss);
   EXPECT_TRUE(pte_has(mm, BASE, VT_PTE_WRITE));
   EXPECT_FC(NOF, WR(mm, BASE));
   EXPECT_EQ(1, mm->total.faults[VT_FC_ANON]);
   EXPECT_EQ(0, mm->total.faults[VT_FC_WP_COPY]);
   /* In a read-only VMA, the page is mapped read-only. */
   map_anon(mm, BASE + 4 * PG, 1, R_);
   EXPECT_FC(VT_FC_ANON, RD(mm, BASE + 4 * PG));
   EXPECT_FALSE(pte_has(mm, BASE + 4 * PG, VT_PTE_WRITE));
   EXPECT_EQ(2, mm->rss);
   mm_free(mm);
}

static void t_anon_x86_read_rights(void)
{
   struct vt_mm *mm = mm_new(1, true);
   /* x86 cannot map write-only or exec-only: both can be read. */
   map_anon(mm, BASE, 1, W_);
   map_anon(mm, BASE + 2 * PG, 1, X_);
   map_anon(mm, BASE + 4 * PG, 1, 0);          /* PROT_NONE */
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE));
   EXPECT_FC(VT_FC_WP_COPY, WR(mm, BASE));
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE + 2 * PG));
   EXPECT_FC(NOF, EX(mm, BASE + 2 * PG));
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + 4 * PG));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + 2 * PG));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   mm_free(mm);
}

/* ===================================================================== */
/* Fault-around                                                            */
/* ===================================================================== */

/* Reads every page of [start, start + n pages) in order; returns the
   number of faults taken. */
static unsigned read_all(struct vt_mm *mm, vt_addr start, unsigned n)
{
   unsigned before = R.nfaults;
   for (unsigned i = 0; i < n; i++)
      RD(mm, start + i * PG);
   return R.nfaults - before;
}

static void t_fa_aligned(void)
{
   struct vt_mm *mm = mm_new(16, true);        /* 64 KiB fault-around */
   struct vt_file *f = reg_file(mm, 256 * PG);
   int id = map_file(mm, BASE, 256, R_, f, 0);
   /* The first read maps the aligned 16-page window [0, 16). */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE));
   EXPECT_EQ(16, mm->rss);
   EXPECT_EQ(16, count_present(mm, BASE, 256));
   EXPECT_TRUE(present(mm, BASE + 15 * PG));
   EXPECT_FALSE(present(mm, BASE + 16 * PG));
   /* ... resident, but only the faulting page is touched. */
   EXPECT_EQ(1, mm->total.touched);
   EXPECT_FALSE(pte_has(mm, BASE + PG, VT_PTE_TOUCHED));
   EXPECT_TRUE(pte_has(mm, BASE + PG, VT_PTE_FILE));
   EXPECT_FALSE(pte_has(mm, BASE + PG, VT_PTE_WRITE));
   EXPECT_FC(NOF, RD(mm, BASE + PG));
   EXPECT_EQ(2, mm->total.touched);
   /* All 256 pages in order: 256 / 16 = 16 faults in all. */
   unsigned n = read_all(mm, BASE, 256);
   EXPECT_EQ(15, n);
   EXPECT_EQ(16, mm->total.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(16, mm->maps[id]->c.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(256, mm->rss);
   EXPECT_EQ(256, mm->maps[id]->resident);
   EXPECT_EQ(256, mm->total.touched);
   mm_free(mm);
}

static void t_fa_unaligned(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = reg_file(mm, 256 * PG);
   map_file(mm, BASE + PG, 256, R_, f, 0);
   /* The VMA starts at PTE index 1.  Linux's do_fault_around:
        from = max(ALIGN_DOWN(pte_off, 16), vma start) ; to = from + 16
      fault at vma page 0 (pte 1): from 1, to 17  -> vma pages 0..15
      fault at vma page 16 (pte 17): from 16, to 32 -> 17..31 new (15)
      then faults at ptes 32, 48, ..., 256 (vma pages 31, 47, ..., 255):
      1 + 16 = 17 faults. */
   EXPECT_EQ(17, read_all(mm, BASE + PG, 256));
   EXPECT_EQ(256, mm->rss);
   mm_free(mm);
   /* After the first fault the window reached past the aligned [0, 16):
      vma page 15 (pte 16) is mapped, vma page 16 is not. */
   mm = mm_new(16, true);
   f = reg_file(mm, 256 * PG);
   map_file(mm, BASE + PG, 256, R_, f, 0);
   RD(mm, BASE + PG);
   EXPECT_EQ(16, mm->rss);
   EXPECT_TRUE(present(mm, BASE + 16 * PG));
   EXPECT_FALSE(present(mm, BASE + 17 * PG));
   mm_free(mm);
}

static void t_fa_off(void)
{
   struct vt_mm *mm = mm_new(1, true);
   struct vt_file *f = reg_file(mm, 256 * PG);
   map_file(mm, BASE, 256, R_, f, 0);
   EXPECT_EQ(256, read_all(mm, BASE, 256));   /* one fault per page */
   EXPECT_EQ(256, mm->rss);
   mm_free(mm);
   /* fault_around_pages 0 means off as well. */
   mm = mm_new(0, true);
   f = reg_file(mm, 256 * PG);
   map_file(mm, BASE, 256, R_, f, 0);
   EXPECT_EQ(256, read_all(mm, BASE, 256));
   mm_free(mm);
}

static void t_fa_max(void)
{
   struct vt_mm *mm = mm_new(512, true);      /* 2 MiB: a whole PTE table */
   struct vt_file *f = reg_file(mm, 256 * PG);
   map_file(mm, BASE + PG, 256, R_, f, 0);
   /* from = max(0, 1) = 1, to = min(1 + 512, 512, 1 + 256) = 257: all. */
   EXPECT_EQ(1, read_all(mm, BASE + PG, 256));
   EXPECT_EQ(256, mm->rss);
   mm_free(mm);
}

static void t_fa_clamp_vma(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = reg_file(mm, 100 * PG);
   /* Lower clamp: a 32-page VMA at PTE index 4, read at vma page 10
      (pte 14): from = max(0, 4) = 4, to = 20: ptes 4..19 = vma 0..15. */
   map_file(mm, BASE + 4 * PG, 32, R_, f, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 14 * PG));
   EXPECT_EQ(16, mm->rss);
   EXPECT_EQ(16, count_present(mm, BASE + 4 * PG, 16));
   /* vma page 16 (pte 20): from 16, to 32: new ptes 20..31 (12). */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 20 * PG));
   EXPECT_EQ(28, mm->rss);
   /* vma page 28 (pte 32): from 32, to min(48, 4 + 32 = 36): 4 pages. */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 32 * PG));
   EXPECT_EQ(32, mm->rss);
   EXPECT_EQ(3, mm->total.faults[VT_FC_FILE_READ]);
   mm_free(mm);

   /* Upper clamp: a 20-page VMA at pte 0, read at page 17:
      from 16, to min(32, 20) = 20: 4 pages; page 15 stays unmapped. */
   mm = mm_new(16, true);
   f = reg_file(mm, 100 * PG);
   map_file(mm, BASE, 20, R_, f, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 17 * PG));
   EXPECT_EQ(4, mm->rss);
   EXPECT_FALSE(present(mm, BASE + 15 * PG));
   EXPECT_TRUE(present(mm, BASE + 19 * PG));
   mm_free(mm);

   /* The window stops at a neighbouring VMA of the same file: two
      mappings back to back, pages of the second are not mapped by a
      fault in the first. */
   mm = mm_new(16, true);
   f = reg_file(mm, 100 * PG);
   map_file(mm, BASE, 8, R_, f, 0);
   map_file(mm, BASE + 8 * PG, 8, R_, f, 8);
   RD(mm, BASE);
   EXPECT_EQ(8, mm->rss);
   EXPECT_FALSE(present(mm, BASE + 8 * PG));
   mm_free(mm);
}

static void t_fa_straddle_2mib(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = reg_file(mm, 100 * PG);
   /* 32 pages starting 8 pages below a 2 MiB boundary: vma pages 0..7 are
      ptes 504..511 of one table, vma pages 8..31 ptes 0..23 of the next.
      vma page 0 (pte 504): from = max(496, 504) = 504,
                            to = min(520, 512, 536) = 512      -> 8 pages
      vma page 8 (pte 0):   from = max(0, 0) = 0,
                            to = min(16, 512, 0 + 32 - 8 = 24) -> 16 pages
      vma page 24 (pte 16): from 16, to min(32, 24) = 24       -> 8 pages
      3 faults; 2 without the table clamp. */
   vt_addr s = BASE + MB2 - 8 * PG;
   map_file(mm, s, 32, R_, f, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, s));
   EXPECT_EQ(8, mm->rss);
   EXPECT_FALSE(present(mm, s + 8 * PG));
   EXPECT_EQ(2, read_all(mm, s, 32));
   EXPECT_EQ(3, mm->total.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(32, mm->rss);
   EXPECT_EQ(2, mm->nr_pt[3]);
   mm_free(mm);

   /* Starting from the top: vma page 23 (pte 15 of the upper table,
      vma_off 23): from = max(0, 15 - min(15, 23) = 0) = 0,
      to = min(16, 512, 15 + 32 - 23 = 24) = 16: vma pages 8..23. */
   mm = mm_new(16, true);
   f = reg_file(mm, 100 * PG);
   map_file(mm, s, 32, R_, f, 0);
   RD(mm, s + 23 * PG);
   EXPECT_EQ(16, mm->rss);
   EXPECT_EQ(16, count_present(mm, s + 8 * PG, 16));
   /* vma page 7 (pte 511): from = max(496, 504) = 504, to = 512: 8. */
   RD(mm, s + 7 * PG);
   EXPECT_EQ(24, mm->rss);
   mm_free(mm);

   /* 512-page fault-around: vma page 0 -> from 504, to 512 (8 pages);
      vma page 8 -> from 0, to min(512, 24) = 24 (24 pages): 2 faults. */
   mm = mm_new(512, true);
   f = reg_file(mm, 100 * PG);
   map_file(mm, s, 32, R_, f, 0);
   EXPECT_EQ(2, read_all(mm, s, 32));
   mm_free(mm);
}

static void t_fa_eof(void)
{
   struct vt_mm *mm = mm_new(16, true);
   /* 20 pages of data (the last one partial: size rounds up). */
   struct vt_file *f = reg_file(mm, 20 * PG - 100);
   EXPECT_EQ(20, f->size_pages);
   int id = map_file(mm, BASE, 32, R_, f, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE));       /* pages 0..15 */
   EXPECT_EQ(16, mm->rss);
   /* window [16, 32) holds file pages 16..19 only */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 16 * PG));
   EXPECT_EQ(20, mm->rss);
   EXPECT_TRUE(present(mm, BASE + 19 * PG));
   EXPECT_FALSE(present(mm, BASE + 20 * PG));
   EXPECT_EQ(0, vt_get_pte(mm, BASE + 31 * PG));
   /* Beyond the end of the file: SIGBUS, an invalid access. */
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + 20 * PG));
   EXPECT_EQ(VT_INV_BEYOND_EOF, R.reason);
   EXPECT_EQ(VT_RES_INVALID, last_res);
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + 31 * PG));
   EXPECT_EQ(20, mm->rss);
   EXPECT_EQ(2, vt_counts_minor(&mm->total));
   EXPECT_EQ(2, mm->total.faults[VT_FC_INVALID]);
   EXPECT_EQ(2, mm->maps[id]->c.faults[VT_FC_INVALID]);
   EXPECT_EQ(2, mm->total.touched);          /* invalid accesses touch nothing */
   mm_free(mm);

   /* A file offset: 16 pages from file page 10 of 20: vma pages 0..9 are
      in the file.  The first read maps them (window [0, 16) less 6). */
   mm = mm_new(16, true);
   f = reg_file(mm, 20 * PG);
   map_file(mm, BASE, 16, R_, f, 10);
   RD(mm, BASE);
   EXPECT_EQ(10, mm->rss);
   EXPECT_FC(NOF, RD(mm, BASE + 9 * PG));
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + 10 * PG));
   EXPECT_EQ(VT_INV_BEYOND_EOF, R.reason);
   /* Writes beyond the end are SIGBUS too, private or shared. */
   map_file(mm, BASE + 32 * PG, 4, RW, f, 19);
   EXPECT_FC(VT_FC_FILE_COW, WR(mm, BASE + 32 * PG));
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + 33 * PG));
   EXPECT_EQ(VT_INV_BEYOND_EOF, R.reason);
   map_file(mm, BASE + 40 * PG, 4, RW | S_, f, 19);
   EXPECT_FC(VT_FC_FILE_SHARED, WR(mm, BASE + 40 * PG));
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + 41 * PG));
   EXPECT_EQ(VT_INV_BEYOND_EOF, R.reason);
   mm_free(mm);
}

static void t_fa_skips_mapped(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = reg_file(mm, 64 * PG);
   map_file(mm, BASE, 16, RW, f, 0);
   /* A private copy at page 3 first ... */
   EXPECT_FC(VT_FC_FILE_COW, WR(mm, BASE + 3 * PG));
   EXPECT_EQ(1, mm->rss);
   /* ... then a read fault maps the 15 others around it, not over it. */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE));
   EXPECT_EQ(16, mm->rss);
   EXPECT_FALSE(pte_has(mm, BASE + 3 * PG, VT_PTE_FILE));
   EXPECT_TRUE(pte_has(mm, BASE + 3 * PG, VT_PTE_WRITE));
   EXPECT_FC(NOF, WR(mm, BASE + 3 * PG));
   /* A write fault maps no neighbours (do_cow_fault has no fault-around). */
   map_file(mm, BASE + 32 * PG, 16, RW, f, 0);
   EXPECT_FC(VT_FC_FILE_COW, WR(mm, BASE + 32 * PG));
   EXPECT_EQ(17, mm->rss);
   EXPECT_FALSE(present(mm, BASE + 33 * PG));
   mm_free(mm);
}

static void t_fa_keeps_touched(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = reg_file(mm, 64 * PG);
   map_file(mm, BASE, 16, R_, f, 0);
   RD(mm, BASE);
   RD(mm, BASE + 5 * PG);
   EXPECT_EQ(2, mm->total.touched);
   vt_madvise_dontneed(mm, BASE, 16 * PG);
   EXPECT_EQ(0, mm->rss);
   /* Page 0 faults again; fault-around brings back page 5, which keeps
      its "touched" mark: reading it counts nothing new. */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE));
   EXPECT_EQ(16, mm->rss);
   EXPECT_FC(NOF, RD(mm, BASE + 5 * PG));
   EXPECT_EQ(2, mm->total.touched);
   mm_free(mm);
}

/* Shared memory (tmpfs, memfd, shared anonymous) has a page cache too,
   but it starts empty: a page exists once a fault (read or write:
   shmem_fault -> shmem_get_folio_gfp(SGP_CACHE) allocates it) touched
   it, and fault-around (do_read_fault -> do_fault_around -> shmem's
   .map_pages, filemap_map_pages) maps only the pages found in the cache
   (SysV shm: see t_fa_sysv_shm_none).  Mapped fresh and read page by
   page, no neighbour exists yet: one fault per page, whatever the
   fault-around size. */
static void t_fa_shmem_fresh(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = shm_file(mm, 64 * PG);
   map_file(mm, BASE, 64, RW | S_, f, 0);
   /* The first read maps page 0 alone: pages 1..15 of the window do not
      exist. */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE));
   EXPECT_EQ(1, mm->rss);
   EXPECT_FALSE(present(mm, BASE + PG));
   /* Pages 1..63 in order: when page k faults, the pages below it exist
      but are mapped already, those above do not exist yet: each maps
      itself alone, 63 faults. */
   EXPECT_EQ(63, read_all(mm, BASE + PG, 63));
   EXPECT_EQ(64, mm->total.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(64, mm->rss);
   /* Anonymous shared memory (/dev/zero, MAP_SHARED|MAP_ANONYMOUS)
      likewise: a fresh object per mapping, 32 pages, 32 faults. */
   struct vt_file *z = vt_file_new_shmem(mm, "/dev/zero (deleted)", 32 * PG);
   int id = map_file(mm, BASE + 128 * PG, 32, RW | S_, z, 0);
   EXPECT_EQ(VT_MK_SHM, mm->maps[id]->kind);
   EXPECT_EQ(32, read_all(mm, BASE + 128 * PG, 32));
   EXPECT_EQ(96, mm->rss);
   /* Read backwards, the same: when page k faults, pages k+1.. of its
      window exist and are already mapped, pages below k do not exist. */
   z = vt_file_new_shmem(mm, "/dev/zero (deleted)", 16 * PG);
   map_file(mm, BASE + 256 * PG, 16, RW | S_, z, 0);
   unsigned before = R.nfaults;
   for (int i = 15; i >= 0; i--)
      EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 256 * PG + (vt_addr)i * PG));
   EXPECT_EQ(16, R.nfaults - before);
   mm_free(mm);
}

/* The existing pages of shared memory come back through fault-around, as
   those of a regular file do (kernel-confirmed with a forked child, see
   t_fa_shmem_fork_child). */
static void t_fa_shmem_existing(void)
{
   struct vt_mm *mm = mm_new(16, true);
   /* 64 pages of shared anonymous memory at a 64 KiB-aligned address. */
   struct vt_file *z = vt_file_new_shmem(mm, "/dev/zero (deleted)", 64 * PG);
   int id = map_file(mm, BASE, 64, RW | S_, z, 0);
   /* Written page by page: do_shared_fault for each (a write fault maps
      no neighbours), 64 faults; every page exists now. */
   for (int i = 0; i < 64; i++)
      EXPECT_FC(VT_FC_FILE_SHARED, WR(mm, BASE + (vt_addr)i * PG));
   EXPECT_EQ(64, mm->rss);
   /* MADV_DONTNEED drops the PTEs, not the pages of the shmem object. */
   vt_madvise_dontneed(mm, BASE, 64 * PG);
   EXPECT_EQ(0, mm->rss);
   /* Read back: the faults at pages 0, 16, 32, 48 each map their aligned
      16-page window, all of whose pages exist: 64 / 16 = 4 faults. */
   EXPECT_EQ(4, read_all(mm, BASE, 64));
   EXPECT_EQ(4, mm->total.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(4, mm->maps[id]->c.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(64, mm->rss);
   EXPECT_EQ(64, mm->maps[id]->resident);
   /* Touched by the writes already (the mark outlives MADV_DONTNEED). */
   EXPECT_EQ(64, mm->total.touched);
   /* No dirty tracking: the pages fault-around mapped are writable
      (vm_page_prot of a shared writable mapping without writenotify)
      and clean; writing them takes no fault. */
   EXPECT_TRUE(pte_has(mm, BASE + 17 * PG, VT_PTE_WRITE));
   EXPECT_FALSE(pte_has(mm, BASE + 17 * PG, VT_PTE_DIRTY));
   EXPECT_FC(NOF, WR(mm, BASE + 17 * PG));
   EXPECT_TRUE(pte_has(mm, BASE + 17 * PG, VT_PTE_DIRTY));
   mm_free(mm);

   /* Only the pages that exist: a 32-page memfd, pages 2, 5 and 9 written
      (3 faults), then unmapped from the page table. */
   mm = mm_new(16, true);
   struct vt_file *f = shm_file(mm, 32 * PG);
   map_file(mm, BASE, 32, RW | S_, f, 0);
   WR(mm, BASE + 2 * PG);
   WR(mm, BASE + 5 * PG);
   WR(mm, BASE + 9 * PG);
   vt_madvise_dontneed(mm, BASE, 32 * PG);
   /* A read of page 0: window [0, 16) holds the existing 2, 5, 9 and page
      0 itself (the fault creates it): 4 pages. */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE));
   EXPECT_EQ(4, mm->rss);
   EXPECT_EQ(4, count_present(mm, BASE, 32));
   EXPECT_TRUE(present(mm, BASE + 2 * PG));
   EXPECT_TRUE(present(mm, BASE + 5 * PG));
   EXPECT_TRUE(present(mm, BASE + 9 * PG));
   EXPECT_FALSE(present(mm, BASE + PG));
   /* Page 1 did not exist: a fault of its own, mapping page 1 only (0, 2,
      5, 9 are mapped already). */
   EXPECT_FC(NOF, RD(mm, BASE + 5 * PG));
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + PG));
   EXPECT_EQ(5, mm->rss);
   /* Window [16, 32): nothing there exists but the faulting page 20. */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 20 * PG));
   EXPECT_EQ(6, mm->rss);
   EXPECT_EQ(6, count_present(mm, BASE, 32));
   /* The pages exist in the file, not in a mapping: a second mapping of
      the memfd (64 KiB-aligned) finds the 6 (file pages 0, 1, 2, 5, 9,
      20).  A read of its page 3: window [0, 16) maps the existing 0, 1,
      2, 5, 9 and page 3 itself, 6 pages; a read of its page 16: window
      [16, 32) maps the existing 20 and page 16 itself, 2 more. */
   map_file(mm, BASE + 64 * PG, 32, R_ | S_, f, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 67 * PG));
   EXPECT_EQ(6, count_present(mm, BASE + 64 * PG, 32));
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 80 * PG));
   EXPECT_EQ(8, count_present(mm, BASE + 64 * PG, 32));
   EXPECT_TRUE(present(mm, BASE + 84 * PG));
   /* Read-only shared: mapped read-only. */
   EXPECT_FALSE(pte_has(mm, BASE + 84 * PG, VT_PTE_WRITE));
   EXPECT_EQ(14, mm->rss);
   mm_free(mm);
}

/* The window is aligned in the virtual address space, not in the file:
   67 shmem pages written through one mapping, then read through others. */
static void t_fa_shmem_window(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = shm_file(mm, 67 * PG);
   map_file(mm, BASE + GB1, 67, RW | S_, f, 0);
   for (int i = 0; i < 67; i++)
      EXPECT_FC(VT_FC_FILE_SHARED, WR(mm, BASE + GB1 + (vt_addr)i * PG));
   vt_munmap(mm, BASE + GB1, 67 * PG);           /* the file keeps them */
   EXPECT_EQ(0, mm->rss);
   /* 64 pages from file page 3 at a 64 KiB-aligned address: windows
      [0, 16), [16, 32), [32, 48), [48, 64) of the VMA, whatever the file
      offset: 4 faults. */
   map_file(mm, BASE, 64, R_ | S_, f, 3);
   EXPECT_EQ(4, read_all(mm, BASE, 64));
   EXPECT_EQ(64, mm->rss);
   /* 64 pages from file page 0 at +4 KiB (VMA at PTE index 129): as in
      the regular-file case, windows start at max(aligned, VMA start):
        vma page 0  (pte 129): from 129, to 145 -> vma pages 0..15
        vma page 16 (pte 145): from 144 -> 145..159 new (vma 16..30)
        vma page 31 (pte 160): 160..175;  vma page 47 (pte 176): 176..191
        vma page 63 (pte 192): from 192, to min(208, 129 + 64) = 193
      5 faults. */
   map_file(mm, BASE + 129 * PG, 64, R_ | S_, f, 0);
   EXPECT_EQ(5, read_all(mm, BASE + 129 * PG, 64));
   EXPECT_EQ(128, mm->rss);
   /* Clamped to the PTE table: 32 pages across a 2 MiB boundary (8 below
      it), all existing: vma page 0 (pte 504) maps 504..511 (8 pages), vma
      page 8 (pte 0) maps 0..15, vma page 24 (pte 16) 16..23: 3 faults. */
   vt_addr s = BASE + MB2 - 8 * PG;
   map_file(mm, s, 32, R_ | S_, f, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, s));
   EXPECT_EQ(8, count_present(mm, s, 32));
   EXPECT_EQ(2, read_all(mm, s, 32));
   EXPECT_EQ(160, mm->rss);
   /* Near the end of the file: a mapping of file pages 48..79 of the
      67-page file; a read of its page 16 (file page 64): window [16, 32)
      = file pages 64..79, of which 64, 65, 66 exist (no page can exist
      beyond the end of the file: a fault there is SIGBUS). */
   map_file(mm, BASE + 2 * MB2, 32, R_ | S_, f, 48);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 2 * MB2 + 16 * PG));
   EXPECT_EQ(3, count_present(mm, BASE + 2 * MB2, 32));   /* 64, 65, 66 */
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + 2 * MB2 + 19 * PG));
   EXPECT_EQ(VT_INV_BEYOND_EOF, R.reason);
   mm_free(mm);
}

/* fork: a shared VMA's PTEs are not copied (vma_needs_copy: no anon_vma,
   not VM_PFNMAP...): the child faults them in again, from the pages of the
   shmem object its parent created (the kernel-confirmed case: a child
   reading its parent's 64 written pages of shared memory takes 4 faults). */
static void t_fa_shmem_fork_child(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *z = vt_file_new_shmem(mm, "/dev/zero (deleted)", 64 * PG);
   map_file(mm, BASE, 64, RW | S_, z, 0);
   for (int i = 0; i < 64; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   EXPECT_EQ(64, mm->total.faults[VT_FC_FILE_SHARED]);
   vt_fork_prepare(mm);
   vt_fork_child(mm, true);
   /* The child starts with none of them mapped and fresh figures. */
   EXPECT_EQ(0, mm->rss);
   EXPECT_EQ(0, mm->total.faults[VT_FC_FILE_SHARED]);
   /* 64 pages, all existing, through 16-page windows at a 64 KiB-aligned
      address: 4 faults (with no fault-around it would be 64). */
   EXPECT_EQ(4, read_all(mm, BASE, 64));
   EXPECT_EQ(4, mm->total.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(64, mm->rss);
   EXPECT_EQ(64, mm->total.touched);
   /* Writable (no dirty tracking): writing them all takes no fault. */
   unsigned before = R.nfaults;
   for (int i = 0; i < 64; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   EXPECT_EQ(0, R.nfaults - before);
   mm_free(mm);
}

/* SysV shared memory is shmem too (shmget creates a tmpfs file, its pages
   exist once faulted), but shmat maps it with ipc/shm.c's shm_vm_ops,
   which wraps shmem's .fault and has no .map_pages: should_fault_around()
   ("No ->map_pages?  No way to fault around...") is false, so a read
   fault maps the faulting page only, existing neighbours or not.  The
   mapping as the tool makes it at shmat: a shmem file named "/SYSV"
   marked no_map_pages, kind VT_MK_SHM, name "/SYSV (deleted)". */
static void t_fa_sysv_shm_none(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = vt_file_new_shmem(mm, "/SYSV", 64 * PG);
   f->no_map_pages = true;
   struct vt_mmap_req q;
   memset(&q, 0, sizeof q);
   q.start = BASE;
   q.len = 64 * PG;
   q.vm_flags = RW | S_;
   q.file = f;
   q.kind = VT_MK_SHM;
   q.name = "/SYSV (deleted)";
   int id = vt_mmap(mm, &q);
   EXPECT_EQ(VT_MK_SHM, mm->maps[id]->kind);
   /* 64 pages written (64 do_shared_fault), dropped from the page table,
      read back at a 64 KiB-aligned address: every page exists, but
      without fault-around each read faults alone: 64 faults, not 4. */
   for (int i = 0; i < 64; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   vt_madvise_dontneed(mm, BASE, 64 * PG);
   EXPECT_EQ(64, read_all(mm, BASE, 64));
   EXPECT_EQ(64, mm->total.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(64, mm->rss);
   mm_free(mm);
}

static void t_populate_fault_around(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = reg_file(mm, 256 * PG);
   /* MAP_POPULATE of a read-only private file mapping: read faults through
      get_user_pages, with fault-around: 16 faults, 256 resident, nothing
      touched (populating is no reference). */
   map_req(mm, BASE, 256, R_, f, 0, true, VT_NR_MK);
   EXPECT_EQ(16, mm->total.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(256, mm->rss);
   EXPECT_EQ(0, mm->total.touched);
   EXPECT_FC(NOF, RD(mm, BASE + 100 * PG));
   EXPECT_EQ(1, mm->total.touched);
   mm_free(mm);
}

/* ===================================================================== */
/* File writes                                                             */
/* ===================================================================== */

static void t_file_private_write(void)
{
   struct vt_mm *mm = mm_new(1, true);
   struct vt_file *f = reg_file(mm, 16 * PG);
   int id = map_file(mm, BASE, 16, RW, f, 0);
   EXPECT_EQ(VT_MK_DATA, mm->maps[id]->kind);
   EXPECT_FC(VT_FC_FILE_COW, WR(mm, BASE));
   EXPECT_EQ(1, mm->rss);
   EXPECT_FALSE(pte_has(mm, BASE, VT_PTE_FILE));  /* an anonymous copy */
   EXPECT_TRUE(pte_has(mm, BASE, VT_PTE_WRITE));
   EXPECT_FC(NOF, WR(mm, BASE));
   /* Read first, then write: do_read_fault, then wp_page_copy. */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + PG));
   EXPECT_EQ(VT_RES_FAULT | VT_RES_CACHE_READ, last_res);
   EXPECT_FALSE(pte_has(mm, BASE + PG, VT_PTE_WRITE));
   EXPECT_EQ(2, mm->rss);
   EXPECT_FC(VT_FC_WP_COPY, WR(mm, BASE + PG));
   EXPECT_EQ(2, mm->rss);                        /* file page -> anon page */
   EXPECT_FALSE(pte_has(mm, BASE + PG, VT_PTE_FILE));
   EXPECT_FC(NOF, WR(mm, BASE + PG));
   EXPECT_EQ(2, mm->total.touched);
   mm_free(mm);
}

static void t_file_shared_write(void)
{
   struct vt_mm *mm = mm_new(1, true);
   struct vt_file *f = reg_file(mm, 16 * PG);
   int id = map_file(mm, BASE, 16, RW | S_, f, 0);
   EXPECT_EQ(VT_MK_FILE, mm->maps[id]->kind);
   EXPECT_FC(VT_FC_FILE_SHARED, WR(mm, BASE));
   EXPECT_TRUE(pte_has(mm, BASE, VT_PTE_FILE));
   EXPECT_TRUE(pte_has(mm, BASE, VT_PTE_WRITE));
   EXPECT_EQ(1, mm->rss);
   EXPECT_FC(NOF, WR(mm, BASE));
   /* Read first: mapped read-only for dirty tracking; the write then takes
      wp_page_shared and the page stays the file's. */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + PG));
   EXPECT_FALSE(pte_has(mm, BASE + PG, VT_PTE_WRITE));
   EXPECT_FC(VT_FC_WP_SHARED, WR(mm, BASE + PG));
   EXPECT_TRUE(pte_has(mm, BASE + PG, VT_PTE_FILE));
   EXPECT_TRUE(pte_has(mm, BASE + PG, VT_PTE_WRITE));
   EXPECT_EQ(2, mm->rss);
   EXPECT_FC(NOF, WR(mm, BASE + PG));
   /* A read-only shared mapping cannot be written. */
   map_file(mm, BASE + 32 * PG, 4, R_ | S_, f, 0);
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + 32 * PG));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 32 * PG));
   mm_free(mm);
}

static void t_file_shmem(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = shm_file(mm, 16 * PG);
   int id = map_file(mm, BASE, 16, RW | S_, f, 0);
   EXPECT_EQ(VT_MK_SHM, mm->maps[id]->kind);
   /* No dirty tracking: the read maps the page writable ... */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE));
   EXPECT_TRUE(pte_has(mm, BASE, VT_PTE_WRITE));
   EXPECT_EQ(VT_RES_FAULT | VT_RES_CACHE_READ, last_res);
   /* ... alone: no other page of the fresh file exists for fault-around ... */
   EXPECT_EQ(1, mm->rss);
   /* ... so the write takes no second fault. */
   EXPECT_FC(NOF, WR(mm, BASE));
   EXPECT_EQ(VT_RES_CACHE_READ | VT_RES_CACHE_WRITE, last_res);
   /* Page 1 was never mapped nor created: do_shared_fault. */
   EXPECT_FC(VT_FC_FILE_SHARED, WR(mm, BASE + PG));
   EXPECT_EQ(2, mm->rss);
   /* File pages 0 and 1 exist now.  A private mapping of the tmpfs file,
      4 pages from file page 0 at a 64 KiB-aligned address: the read of
      its page 0 maps the window [0, 16) clamped to the VMA, [0, 4), where
      pages 0 and 1 exist: both mapped, read-only (private: copy-on-write). */
   map_file(mm, BASE + 32 * PG, 4, RW, f, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 32 * PG));
   EXPECT_FALSE(pte_has(mm, BASE + 32 * PG, VT_PTE_WRITE));
   EXPECT_TRUE(present(mm, BASE + 33 * PG));
   EXPECT_FALSE(pte_has(mm, BASE + 33 * PG, VT_PTE_WRITE));
   EXPECT_FALSE(present(mm, BASE + 34 * PG));
   EXPECT_EQ(4, mm->rss);
   /* A write to either: do_wp_page copies the file page (wp_copy), no new
      resident page (file page -> anonymous copy). */
   EXPECT_FC(VT_FC_WP_COPY, WR(mm, BASE + 32 * PG));
   EXPECT_FC(VT_FC_WP_COPY, WR(mm, BASE + 33 * PG));
   EXPECT_FALSE(pte_has(mm, BASE + 33 * PG, VT_PTE_FILE));
   EXPECT_EQ(4, mm->rss);
   /* File page 2 did not exist, so was not mapped: do_cow_fault. */
   EXPECT_FC(VT_FC_FILE_COW, WR(mm, BASE + 34 * PG));
   EXPECT_EQ(5, mm->rss);
   /* do_cow_fault reads the page through shmem_fault, which creates it in
      the file: a read of page 3 of the shared mapping now maps, in the
      window [0, 16), pages 2 (created by the copy) and 3 (itself). */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 3 * PG));
   EXPECT_TRUE(present(mm, BASE + 2 * PG));
   EXPECT_FALSE(present(mm, BASE + 4 * PG));
   EXPECT_EQ(7, mm->rss);
   mm_free(mm);
}

/* Linux: shmem_fault -> shmem_get_folio_gfp returns -EINVAL for an index
   at or beyond i_size (SGP_CACHE), and the fault is VM_FAULT_SIGBUS.  A
   memfd of one page mapped with two pages gets SIGBUS on the second. */
static void t_file_shmem_beyond_eof(void)
{
   struct vt_mm *mm = mm_new(1, true);
   struct vt_file *f = vt_file_get(mm, 9, next_ino++, "/memfd:buf (deleted)",
                                   PG, true);
   map_file(mm, BASE, 2, RW | S_, f, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE));
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + PG));
   EXPECT_EQ(VT_INV_BEYOND_EOF, R.reason);
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + PG));
   EXPECT_EQ(1, mm->rss);
   mm_free(mm);
}

/* ===================================================================== */
/* VMAs: mmap, munmap, mprotect                                            */
/* ===================================================================== */

static void t_munmap_partial(void)
{
   struct vt_mm *mm = mm_new(1, true);
   struct vt_file *f = reg_file(mm, 64 * PG);
   vt_set_clock(mm, 10, mm->sim_now, mm->sim_order);
   int id = map_file(mm, BASE, 8, RW, f, 4);
   struct vt_mapping *m = mm->maps[id];
   EXPECT_EQ(10, m->created_at);
   for (int i = 0; i < 8; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   EXPECT_EQ(8, mm->rss);
   unsigned inv0 = R.ninv;
   vt_munmap(mm, BASE + 3 * PG, 2 * PG);
   /* Split in two VMAs of the same mapping; the upper one's file offset
      moves with it: 4 + 5 = 9. */
   EXPECT_STR("0-3 rw-p m0, 5-8 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(2, mm->nr_vmas);
   EXPECT_EQ(4, mm->vmas[0].vm_pgoff);
   EXPECT_EQ(9, mm->vmas[1].vm_pgoff);
   EXPECT_EQ(2, m->nr_vmas);
   EXPECT_EQ(0, m->unmapped_at);
   EXPECT_EQ(6, mm->rss);
   EXPECT_EQ(6, m->resident);
   EXPECT_TRUE(inval_covers(inv0, BASE + 3 * PG, BASE + 5 * PG));
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + 3 * PG));
   EXPECT_EQ(VT_INV_UNMAPPED, R.reason);
   /* The mapping's figures keep the unmapped part. */
   EXPECT_EQ(8, m->c.faults[VT_FC_FILE_COW]);
   /* Head and tail. */
   vt_munmap(mm, BASE, PG);
   vt_munmap(mm, BASE + 7 * PG, PG);
   EXPECT_STR("1-3 rw-p m0, 5-7 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(5, mm->vmas[0].vm_pgoff);
   EXPECT_EQ(4, mm->rss);
   /* Everything: the mapping is retired at the current time. */
   vt_set_clock(mm, 77, mm->sim_now, mm->sim_order);
   vt_munmap(mm, BASE, 8 * PG);
   EXPECT_EQ(0, mm->nr_vmas);
   EXPECT_EQ(0, m->nr_vmas);
   EXPECT_EQ(77, m->unmapped_at);
   EXPECT_EQ(0, m->resident);
   EXPECT_EQ(0, mm->rss);
   EXPECT_EQ(8, mm->peak_rss);
   /* An unmap of nothing changes nothing. */
   vt_munmap(mm, BASE, 8 * PG);
   EXPECT_EQ(0, mm->nr_vmas);
   mm_free(mm);
}

static void t_munmap_spanning(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int a = map_anon(mm, BASE, 4, RW);
   int b = map_anon(mm, BASE + 4 * PG, 4, RW);   /* adjacent, kept apart */
   int c = map_anon(mm, BASE + 10 * PG, 4, RW);
   EXPECT_EQ(3, mm->nr_vmas);
   for (int i = 0; i < 14; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   /* pages 8, 9 are a hole: 12 faults, 2 invalid */
   EXPECT_EQ(12, mm->rss);
   vt_munmap(mm, BASE + 2 * PG, 10 * PG);           /* [2, 12) */
   EXPECT_STR("0-2 rw-p m0, 12-14 rw-p m2", vmas_str(mm, BASE));
   EXPECT_EQ(1, mm->maps[a]->nr_vmas);
   EXPECT_EQ(0, mm->maps[b]->nr_vmas);
   EXPECT_TRUE(mm->maps[b]->unmapped_at != 0);
   EXPECT_EQ(1, mm->maps[c]->nr_vmas);
   EXPECT_EQ(4, mm->rss);
   EXPECT_EQ(2, mm->maps[a]->resident);
   EXPECT_EQ(0, mm->maps[b]->resident);
   EXPECT_EQ(2, mm->maps[c]->resident);
   mm_free(mm);
}

static void t_map_fixed_over(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int a = map_anon(mm, BASE, 8, RW);
   for (int i = 0; i < 8; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   EXPECT_EQ(8, mm->total.touched);
   unsigned inv0 = R.ninv;
   /* MAP_FIXED over pages 2..4 of the older mapping */
   int b = map_anon(mm, BASE + 2 * PG, 3, R_);
   EXPECT_STR("0-2 rw-p m0, 2-5 r--p m1, 5-8 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(2, mm->maps[a]->nr_vmas);
   EXPECT_EQ(1, mm->maps[b]->nr_vmas);
   EXPECT_EQ(VT_MK_ANON, mm->maps[b]->kind);
   EXPECT_EQ(5, mm->rss);
   EXPECT_EQ(5, mm->maps[a]->resident);
   EXPECT_TRUE(inval_covers(inv0, BASE + 2 * PG, BASE + 5 * PG));
   /* Fresh memory: faults again, and counts as touched again. */
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE + 3 * PG));
   EXPECT_EQ(9, mm->total.touched);
   EXPECT_EQ(1, mm->maps[b]->c.touched);
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + 3 * PG));
   EXPECT_FC(NOF, WR(mm, BASE + 5 * PG));
   mm_free(mm);
}

static void t_map_kinds(void)
{
   struct vt_mm *mm = mm_new(1, true);
   struct vt_file *f = reg_file(mm, 64 * PG);
   int text = map_file(mm, BASE, 4, RX, f, 0);
   int data = map_file(mm, BASE + 4 * PG, 2, RW, f, 4);
   int bss = map_anon(mm, BASE + 6 * PG, 2, RW);     /* right after data */
   int anon = map_anon(mm, BASE + 16 * PG, 2, RW);
   int ro = map_file(mm, BASE + 32 * PG, 2, R_, f, 0);
   EXPECT_EQ(VT_MK_TEXT, mm->maps[text]->kind);
   EXPECT_EQ(VT_MK_DATA, mm->maps[data]->kind);
   EXPECT_EQ(VT_MK_BSS, mm->maps[bss]->kind);
   EXPECT_EQ(VT_MK_ANON, mm->maps[anon]->kind);
   EXPECT_EQ(VT_MK_FILE, mm->maps[ro]->kind);
   EXPECT_STR("/data/file", mm->maps[text]->name);
   EXPECT_STR("", mm->maps[anon]->name);
   EXPECT_EQ(4, mm->maps[data]->pgoff);
   EXPECT_EQ(f, mm->maps[data]->file);
   /* Execution needs VM_EXEC. */
   EXPECT_FC(VT_FC_FILE_READ, EX(mm, BASE));
   EXPECT_FC(VT_FC_INVALID, EX(mm, BASE + 4 * PG));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   EXPECT_FC(VT_FC_INVALID, EX(mm, BASE + 16 * PG));
   /* Misaligned or empty requests fail. */
   EXPECT_EQ(-1, map_anon(mm, BASE + 100 * PG, 0, RW));
   struct vt_mmap_req r;
   memset(&r, 0, sizeof r);
   r.start = BASE + 100 * PG + 8;
   r.len = PG;
   r.vm_flags = RW;
   r.kind = VT_NR_MK;
   EXPECT_EQ(-1, vt_mmap(mm, &r));
   EXPECT_EQ(5, mm->nr_vmas);
   /* vt_find_vma */
   const struct vt_vma *v = vt_find_vma(mm, BASE + 5 * PG + 9);
   EXPECT_TRUE(v && v->vm_start == BASE + 4 * PG && v->mapping == (uint32_t)data);
   EXPECT_TRUE(vt_find_vma(mm, BASE + 10 * PG) == NULL);
   mm_free(mm);
}

static void t_mprotect_split_merge(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int id = map_anon(mm, BASE, 8, RW);
   vt_mprotect(mm, BASE + 3 * PG, 2 * PG, R_);
   EXPECT_STR("0-3 rw-p m0, 3-5 r--p m0, 5-8 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(3, mm->maps[id]->nr_vmas);
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + 3 * PG));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   EXPECT_EQ(1, mm->maps[id]->c.faults[VT_FC_INVALID]);
   /* Restoring the middle merges all three back (vma_merge). */
   vt_mprotect(mm, BASE + 3 * PG, 2 * PG, RW);
   EXPECT_STR("0-8 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(1, mm->maps[id]->nr_vmas);
   /* A no-op mprotect leaves one VMA. */
   vt_mprotect(mm, BASE + 2 * PG, 3 * PG, RW);
   EXPECT_STR("0-8 rw-p m0", vmas_str(mm, BASE));
   /* The head, then the tail. */
   vt_mprotect(mm, BASE, 2 * PG, R_);
   vt_mprotect(mm, BASE + 6 * PG, 2 * PG, R_);
   EXPECT_STR("0-2 r--p m0, 2-6 rw-p m0, 6-8 r--p m0", vmas_str(mm, BASE));
   /* Growing the protected head over the middle merges with it. */
   vt_mprotect(mm, BASE + 2 * PG, 4 * PG, R_);
   EXPECT_STR("0-8 r--p m0", vmas_str(mm, BASE));
   EXPECT_EQ(RW, mm->maps[id]->flags_ever);
   mm_free(mm);
}

/* mprotect over several VMAs of one mapping that end up alike: Linux's
   mprotect_fixup calls vma_merge for every VMA of the range, so the result
   is one VMA. */
static void t_mprotect_merge_whole_range(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int id = map_anon(mm, BASE, 8, RW);
   vt_mprotect(mm, BASE + 3 * PG, 2 * PG, R_);
   EXPECT_STR("0-3 rw-p m0, 3-5 r--p m0, 5-8 rw-p m0", vmas_str(mm, BASE));
   vt_mprotect(mm, BASE, 8 * PG, RW);
   EXPECT_STR("0-8 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(1, mm->maps[id]->nr_vmas);
   mm_free(mm);

   mm = mm_new(1, true);
   id = map_anon(mm, BASE, 8, RW);
   vt_mprotect(mm, BASE + 2 * PG, PG, R_);
   vt_mprotect(mm, BASE + 5 * PG, PG, R_);
   /* rw r rw r rw, then [1, 7) to read-only: 0-1 rw, 1-7 r, 7-8 rw */
   vt_mprotect(mm, BASE + PG, 6 * PG, R_);
   EXPECT_STR("0-1 rw-p m0, 1-7 r--p m0, 7-8 rw-p m0", vmas_str(mm, BASE));
   mm_free(mm);
}

static void t_mprotect_anon_rights(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 4, RW);
   WR(mm, BASE);                                   /* anon, exclusive */
   WR(mm, BASE + PG);
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE + 2 * PG));   /* the zero page */
   unsigned inv0 = R.ninv;
   vt_mprotect(mm, BASE, 4 * PG, R_);
   EXPECT_TRUE(inval_covers(inv0, BASE, BASE + 4 * PG));
   EXPECT_FALSE(pte_has(mm, BASE, VT_PTE_WRITE));
   EXPECT_TRUE(present(mm, BASE));
   EXPECT_FC(NOF, RD(mm, BASE));
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   vt_mprotect(mm, BASE, 4 * PG, RW);
   /* can_change_pte_writable: exclusive anon pages become writable again
      (no fault on write), the zero page stays read-only. */
   EXPECT_TRUE(pte_has(mm, BASE, VT_PTE_WRITE));
   EXPECT_FC(NOF, WR(mm, BASE));
   EXPECT_FC(NOF, WR(mm, BASE + PG));
   EXPECT_FALSE(pte_has(mm, BASE + 2 * PG, VT_PTE_WRITE));
   EXPECT_FC(VT_FC_WP_COPY, WR(mm, BASE + 2 * PG));
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + 3 * PG));
   EXPECT_EQ(4, mm->rss);
   /* PROT_NONE: present pages stay resident but cannot be read. */
   vt_mprotect(mm, BASE, 4 * PG, 0);
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   EXPECT_EQ(4, mm->rss);
   vt_mprotect(mm, BASE, 4 * PG, RW);
   EXPECT_FC(NOF, WR(mm, BASE));
   mm_free(mm);
}

static void t_mprotect_file_rights(void)
{
   struct vt_mm *mm = mm_new(1, true);
   struct vt_file *f = reg_file(mm, 16 * PG);
   /* Private: a copied page becomes writable again, a file page not. */
   map_file(mm, BASE, 4, RW, f, 0);
   WR(mm, BASE);                                   /* file_cow */
   RD(mm, BASE + PG);                              /* file page */
   vt_mprotect(mm, BASE, 4 * PG, R_);
   vt_mprotect(mm, BASE, 4 * PG, RW);
   EXPECT_FC(NOF, WR(mm, BASE));
   EXPECT_FC(VT_FC_WP_COPY, WR(mm, BASE + PG));
   /* Shared with dirty tracking: a dirty page becomes writable again, a
      clean one stays read-only (wp_page_shared on write). */
   map_file(mm, BASE + 16 * PG, 4, RW | S_, f, 0);
   WR(mm, BASE + 16 * PG);                         /* file_shared: dirty */
   RD(mm, BASE + 17 * PG);                         /* clean */
   vt_mprotect(mm, BASE + 16 * PG, 4 * PG, R_ | S_);
   EXPECT_FALSE(pte_has(mm, BASE + 16 * PG, VT_PTE_WRITE));
   vt_mprotect(mm, BASE + 16 * PG, 4 * PG, RW | S_);
   EXPECT_FC(NOF, WR(mm, BASE + 16 * PG));
   EXPECT_FC(VT_FC_WP_SHARED, WR(mm, BASE + 17 * PG));
   /* Shared memory: writable again, even if only read. */
   struct vt_file *s = shm_file(mm, 16 * PG);
   map_file(mm, BASE + 32 * PG, 4, RW | S_, s, 0);
   RD(mm, BASE + 32 * PG);
   vt_mprotect(mm, BASE + 32 * PG, 4 * PG, R_);
   EXPECT_FALSE(pte_has(mm, BASE + 32 * PG, VT_PTE_WRITE));
   vt_mprotect(mm, BASE + 32 * PG, 4 * PG, RW);
   EXPECT_FC(NOF, WR(mm, BASE + 32 * PG));
   /* The VMA keeps VM_SHARED over mprotect (prot carries rwx only). */
   EXPECT_TRUE(vt_find_vma(mm, BASE + 32 * PG)->vm_flags & S_);
   mm_free(mm);
}

/* ===================================================================== */
/* mremap                                                                  */
/* ===================================================================== */

/* Writes n pages at a, then moves them to b; checks what a move must
   keep. */
static void check_move(vt_addr a, vt_addr b, unsigned n, int line)
{
   struct vt_mm *mm = cur_mm;
   int id = map_anon(mm, a, n, RW);
   for (unsigned i = 0; i < n; i++)
      WR(mm, a + i * PG);
   vt_u64 rss = mm->rss, faults = R.nfaults, touched = mm->total.touched;
   unsigned inv0 = R.ninv;
   vt_mremap(mm, a, n * PG, b, n * PG);
   if (!inval_covers(inv0, a, a + n * PG))
      fail_at(line, "invalidate covers the old range", "yes", "no");
   const struct vt_vma *v = vt_find_vma(mm, b);
   if (!v || v->vm_start != b || v->vm_end != b + n * PG ||
       v->mapping != (uint32_t)id)
      fail_at(line, "the moved VMA", "at the new address", "elsewhere");
   EXPECT_TRUE(vt_find_vma(mm, a) == NULL);
   EXPECT_EQ(rss, mm->rss);
   EXPECT_EQ(n, count_present(mm, b, n));
   EXPECT_EQ(0, count_present(mm, a, n));
   for (unsigned i = 0; i < n; i++)
      WR(mm, b + i * PG);
   if (R.nfaults != faults) {
      char e[32], g[32];
      snprintf(e, sizeof e, "%llu", (unsigned long long)faults);
      snprintf(g, sizeof g, "%llu", (unsigned long long)R.nfaults);
      fail_at(line, "faults after writing the moved pages", e, g);
   }
   EXPECT_EQ(rss, mm->rss);
   EXPECT_EQ(touched, mm->total.touched);
   EXPECT_EQ(n, mm->maps[id]->resident);
   EXPECT_EQ(b, mm->maps[id]->start);
   EXPECT_EQ(b + n * PG, mm->maps[id]->end);
   EXPECT_EQ(1, mm->maps[id]->nr_vmas);
   EXPECT_EQ(0, mm->maps[id]->unmapped_at);
   EXPECT_FC(VT_FC_INVALID, RD(mm, a));
   EXPECT_EQ(VT_INV_UNMAPPED, R.reason);
}

static void t_mremap_move_far(void)
{
   /* Old and new range in different 512 GiB regions. */
   struct vt_mm *mm = mm_new(1, true);
   check_move(BASE, BASE + GB512, 4, __LINE__);
   EXPECT_EQ(1, mm->nr_pt[3]);
   EXPECT_EQ(1, mm->nr_pt[2]);
   EXPECT_EQ(1, mm->nr_pt[1]);
   mm_free(mm);
}

static void t_mremap_move_with_neighbour(void)
{
   /* A VMA nearby keeps the tables around: the move within one PTE table
      then within one PMD table. */
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE + 100 * PG, 1, RW);
   check_move(BASE, BASE + 8 * PG, 4, __LINE__);
   check_move(BASE + 8 * PG, BASE + 4 * MB2, 4, __LINE__);
   mm_free(mm);
}

/* The same moves with nothing else mapped nearby. */
static void t_mremap_move_same_table(void)
{
   struct vt_mm *mm = mm_new(1, true);
   check_move(BASE, BASE + 8 * PG, 4, __LINE__);
   EXPECT_EQ(1, mm->nr_pt[3]);
   mm_free(mm);
}

static void t_mremap_move_same_pmd(void)
{
   struct vt_mm *mm = mm_new(1, true);
   check_move(BASE, BASE + 4 * MB2, 4, __LINE__);
   EXPECT_EQ(1, mm->nr_pt[3]);
   EXPECT_EQ(1, mm->nr_pt[2]);
   mm_free(mm);
}

static void t_mremap_grow_shrink(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int id = map_anon(mm, BASE, 4, RW);
   for (int i = 0; i < 4; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   /* Grow in place: one VMA [0, 8), the old pages kept. */
   vt_mremap(mm, BASE, 4 * PG, BASE, 8 * PG);
   EXPECT_STR("0-8 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(BASE + 8 * PG, mm->maps[id]->end);
   EXPECT_FC(NOF, WR(mm, BASE + 3 * PG));
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + 4 * PG));
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE + 7 * PG));
   EXPECT_EQ(5, mm->rss);
   /* Shrink to 2 pages: the tail is unmapped (an unaligned old length
      is rounded up). */
   unsigned inv0 = R.ninv;
   vt_mremap(mm, BASE, 8 * PG - 100, BASE, 2 * PG);
   EXPECT_STR("0-2 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(2, mm->rss);
   EXPECT_TRUE(inval_covers(inv0, BASE + 2 * PG, BASE + 8 * PG));
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + 2 * PG));
   EXPECT_EQ(VT_INV_UNMAPPED, R.reason);
   EXPECT_EQ(1, mm->maps[id]->nr_vmas);
   /* Move and grow: the 2 pages go along, the new 2 fault. */
   vt_mremap(mm, BASE, 2 * PG, BASE + GB512, 4 * PG);
   EXPECT_EQ(2, mm->rss);
   EXPECT_FC(NOF, WR(mm, BASE + GB512 + PG));
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + GB512 + 2 * PG));
   EXPECT_EQ(BASE + GB512 + 4 * PG, mm->maps[id]->end);
   mm_free(mm);
}

/* ===================================================================== */
/* brk, MADV_DONTNEED, mlock, the stack                                    */
/* ===================================================================== */

static void t_brk(void)
{
   struct vt_mm *mm = mm_new(1, true);
   vt_addr B = BASE + 64 * PG;
   vt_set_brk(mm, B);                         /* the heap starts empty */
   EXPECT_EQ(0, mm->nr_vmas);
   vt_set_brk(mm, B + 3 * PG + 100);          /* PAGE_ALIGN: 4 pages */
   EXPECT_STR("64-68 rw-p m0", vmas_str(mm, BASE));
   int32_t h = mm->heap_vma_map;
   EXPECT_TRUE(h >= 0);
   struct vt_mapping *m = mm->maps[h];
   EXPECT_EQ(VT_MK_HEAP, m->kind);
   EXPECT_STR("[heap]", m->name);
   for (int i = 0; i < 4; i++)
      EXPECT_FC(VT_FC_ANON, WR(mm, B + (vt_addr)i * PG));
   /* Shrink to one page: pages 1..3 go. */
   vt_set_brk(mm, B + PG);
   EXPECT_STR("64-65 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(1, mm->rss);
   /* Grow again: still one VMA, one mapping; page 2 is new memory. */
   vt_set_brk(mm, B + 4 * PG);
   EXPECT_STR("64-68 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(h, mm->heap_vma_map);
   EXPECT_FC(NOF, WR(mm, B));
   EXPECT_FC(VT_FC_ANON, WR(mm, B + 2 * PG));
   EXPECT_EQ(5, m->c.faults[VT_FC_ANON]);
   EXPECT_EQ(5, m->c.touched);                 /* 4, then page 2 again */
   EXPECT_EQ(B + 4 * PG, m->end);
   /* Below start_brk: refused. */
   vt_set_brk(mm, B - PG);
   EXPECT_STR("64-68 rw-p m0", vmas_str(mm, BASE));
   /* Down to nothing and back: the same mapping lives again. */
   vt_set_brk(mm, B);
   EXPECT_EQ(0, mm->nr_vmas);
   EXPECT_TRUE(m->unmapped_at != 0);
   vt_set_brk(mm, B + 2 * PG);
   EXPECT_STR("64-66 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(0, m->unmapped_at);
   EXPECT_EQ(1, m->nr_vmas);
   EXPECT_FC(VT_FC_ANON, WR(mm, B));
   mm_free(mm);
}

static void t_madv_dontneed(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int id = map_anon(mm, BASE, 4, RW);
   for (int i = 0; i < 4; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   EXPECT_EQ(4, mm->rss);
   unsigned inv0 = R.ninv;
   vt_madvise_dontneed(mm, BASE + PG, 2 * PG);
   EXPECT_TRUE(inval_covers(inv0, BASE + PG, BASE + 3 * PG));
   EXPECT_EQ(2, mm->rss);
   EXPECT_EQ(2, mm->maps[id]->resident);
   EXPECT_FALSE(present(mm, BASE + PG));
   EXPECT_STR("0-4 rw-p m0", vmas_str(mm, BASE));   /* VMAs unchanged */
   /* The next touch faults again, but is no new page touched. */
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + PG));
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE + 2 * PG));
   EXPECT_EQ(4, mm->total.touched);
   EXPECT_EQ(5, mm->total.faults[VT_FC_ANON]);
   EXPECT_EQ(3, mm->rss);
   EXPECT_EQ(4, mm->peak_rss);
   /* A private file copy is dropped: the file's page comes back. */
   struct vt_file *f = reg_file(mm, 16 * PG);
   map_file(mm, BASE + 16 * PG, 4, RW, f, 0);
   EXPECT_FC(VT_FC_FILE_COW, WR(mm, BASE + 16 * PG));
   vt_madvise_dontneed(mm, BASE + 16 * PG, PG);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 16 * PG));
   EXPECT_TRUE(pte_has(mm, BASE + 16 * PG, VT_PTE_FILE));
   /* A range over a hole is fine. */
   vt_madvise_dontneed(mm, BASE, 32 * PG);
   EXPECT_EQ(0, mm->rss);
   mm_free(mm);
}

static void t_mlock(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int id = map_anon(mm, BASE, 8, RW);
   vt_mlock(mm, BASE + 4 * PG, 4 * PG, true);
   /* Populating writes private writable pages (breaking COW): 4 anon
      faults, resident, but no page touched. */
   EXPECT_EQ(4, mm->total.faults[VT_FC_ANON]);
   EXPECT_EQ(4, mm->rss);
   EXPECT_EQ(0, mm->total.touched);
   EXPECT_EQ(0, mm->maps[id]->c.touched);
   EXPECT_TRUE(pte_has(mm, BASE + 4 * PG, VT_PTE_LOCKED));
   EXPECT_STR("0-4 rw-p m0, 4-8 rw-pL m0", vmas_str(mm, BASE));
   EXPECT_FC(NOF, WR(mm, BASE + 4 * PG));
   EXPECT_EQ(1, mm->total.touched);
   /* A page faulted in a locked VMA is locked. */
   vt_madvise_dontneed(mm, BASE + 5 * PG, PG);
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + 5 * PG));
   EXPECT_TRUE(pte_has(mm, BASE + 5 * PG, VT_PTE_LOCKED));
   /* munlock: merged back into one VMA, PTEs unlocked. */
   vt_mlock(mm, BASE + 4 * PG, 4 * PG, false);
   EXPECT_STR("0-8 rw-p m0", vmas_str(mm, BASE));
   EXPECT_FALSE(pte_has(mm, BASE + 4 * PG, VT_PTE_LOCKED));
   /* mlock of a read-only mapping reads: zero pages, nothing resident. */
   map_anon(mm, BASE + 16 * PG, 4, R_);
   vt_mlock(mm, BASE + 16 * PG, 4 * PG, true);
   EXPECT_EQ(4, mm->total.faults[VT_FC_ZERO]);
   EXPECT_EQ(4, mm->rss);                        /* pages 4..7 only */
   /* ... and of a shared file mapping: read faults, no dirtying. */
   struct vt_file *f = reg_file(mm, 16 * PG);
   map_file(mm, BASE + 32 * PG, 4, RW | S_, f, 0);
   vt_mlock(mm, BASE + 32 * PG, 4 * PG, true);
   EXPECT_EQ(4, mm->total.faults[VT_FC_FILE_READ]);
   EXPECT_FC(VT_FC_WP_SHARED, WR(mm, BASE + 32 * PG));
   /* MAP_LOCKED populates at mmap time. */
   vt_u64 anon0 = mm->total.faults[VT_FC_ANON];
   map_anon(mm, BASE + 48 * PG, 3, RW | VT_VM_LOCKED);
   EXPECT_EQ(anon0 + 3, mm->total.faults[VT_FC_ANON]);
   /* mlockall(MCL_FUTURE): later mappings are locked and populated. */
   vt_mlockall(mm, false, true);
   map_anon(mm, BASE + 64 * PG, 2, RW);
   EXPECT_EQ(anon0 + 5, mm->total.faults[VT_FC_ANON]);
   EXPECT_TRUE(vt_find_vma(mm, BASE + 64 * PG)->vm_flags & VT_VM_LOCKED);
   vt_munlockall(mm);
   EXPECT_EQ(0, mm->def_flags);
   EXPECT_FALSE(vt_find_vma(mm, BASE + 64 * PG)->vm_flags & VT_VM_LOCKED);
   map_anon(mm, BASE + 80 * PG, 2, RW);
   EXPECT_EQ(anon0 + 5, mm->total.faults[VT_FC_ANON]);
   mm_free(mm);
}

/* munlock over a range that mlock had split: Linux merges (vma_merge in
   mlock_fixup for every VMA of the range). */
static void t_mlock_merge_whole_range(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 8, RW);
   vt_mlock(mm, BASE + 3 * PG, 2 * PG, true);
   EXPECT_STR("0-3 rw-p m0, 3-5 rw-pL m0, 5-8 rw-p m0", vmas_str(mm, BASE));
   vt_mlock(mm, BASE, 8 * PG, false);
   EXPECT_STR("0-8 rw-p m0", vmas_str(mm, BASE));
   mm_free(mm);
}

/* Populating a file mapping longer than the file: Linux's __mm_populate
   ignores the error (ignore_errors = 1 for mlock and MAP_POPULATE); no
   SIGBUS is raised, so no invalid access may be counted or reported. */
static void t_populate_beyond_eof(void)
{
   struct vt_mm *mm = mm_new(1, true);
   struct vt_file *f = reg_file(mm, 2 * PG);
   map_req(mm, BASE, 4, R_, f, 0, true, VT_NR_MK);
   EXPECT_EQ(2, mm->total.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(2, mm->rss);
   EXPECT_EQ(0, mm->total.faults[VT_FC_INVALID]);
   EXPECT_EQ(2, R.nfaults);                    /* on_fault calls */
   mm_free(mm);
}

static void t_stack_growth(void)
{
   struct vt_mm *mm = mm_new(1, true);
   vt_addr S = BASE + 64 * PG;                 /* top of the stack */
   int id = map_req(mm, S - 4 * PG, 4, RW | VT_VM_GROWSDOWN, NULL, 0, false,
                    VT_MK_STACK);
   vt_set_stack(mm, S - PG, S - 16 * PG);
   EXPECT_STR("[stack]", mm->maps[id]->name);
   /* An access 6 pages down grows the VMA to that page. */
   EXPECT_FC(VT_FC_ANON, WR(mm, S - 6 * PG + 8));
   EXPECT_STR("58-64 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(S - 6 * PG, mm->maps[id]->start);
   EXPECT_EQ(1, mm->maps[id]->c.faults[VT_FC_ANON]);
   /* Down to stack_guard_low exactly: allowed. */
   EXPECT_FC(VT_FC_ZERO, RD(mm, S - 16 * PG));
   EXPECT_STR("48-64 rw-p m0", vmas_str(mm, BASE));
   /* Below it: refused, the VMA stays. */
   EXPECT_FC(VT_FC_INVALID, WR(mm, S - 16 * PG - 1));
   EXPECT_EQ(VT_INV_UNMAPPED, R.reason);
   EXPECT_STR("48-64 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(1, mm->nr_vmas);
   /* A VMA without VM_GROWSDOWN never grows. */
   map_anon(mm, BASE + 256 * PG, 4, RW);
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + 255 * PG));
   mm_free(mm);
}

/* Linux expand_downwards enforces stack_guard_gap (256 pages): the stack
   may not grow to within 1 MiB above a preceding accessible VMA that is
   not itself a stack. */
static void t_stack_guard_gap(void)
{
   struct vt_mm *mm = mm_new(1, true);
   vt_addr S = BASE + 4096 * PG;
   map_req(mm, S - 4 * PG, 4, RW | VT_VM_GROWSDOWN, NULL, 0, false,
           VT_MK_STACK);
   vt_set_stack(mm, S - PG, S - 2048 * PG);
   map_anon(mm, S - 200 * PG, 10, RW);         /* ends at S - 190 pages */
   /* S - 10 pages lies 180 pages above its end: inside the gap. */
   EXPECT_FC(VT_FC_INVALID, WR(mm, S - 10 * PG));
   EXPECT_EQ(S - 4 * PG, vt_find_vma(mm, S - PG)->vm_start);
   mm_free(mm);
}

/* ===================================================================== */
/* Invalid accesses                                                        */
/* ===================================================================== */

static void t_invalid(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int id = map_anon(mm, BASE, 2, R_);
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE - PG));
   EXPECT_EQ(VT_INV_UNMAPPED, R.reason);
   EXPECT_EQ(BASE - PG, R.addr);
   EXPECT_EQ(VT_RES_INVALID, last_res);
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   EXPECT_EQ(VT_ACC_WRITE, R.acc);
   EXPECT_FC(VT_FC_INVALID, EX(mm, BASE + PG));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   /* Non-canonical / kernel addresses. */
   EXPECT_FC(VT_FC_INVALID, RD(mm, (vt_addr)1 << 47));
   EXPECT_EQ(VT_INV_UNMAPPED, R.reason);
   EXPECT_FC(VT_FC_INVALID, RD(mm, ~(vt_addr)0));
   /* Counted as invalid, in no minor or major total; nothing resident,
      nothing touched, no PTE made. */
   EXPECT_EQ(5, mm->total.faults[VT_FC_INVALID]);
   EXPECT_EQ(0, vt_counts_minor(&mm->total));
   EXPECT_EQ(0, vt_counts_major(&mm->total));
   EXPECT_EQ(0, mm->total.touched);
   EXPECT_EQ(0, mm->rss);
   EXPECT_EQ(0, vt_get_pte(mm, BASE));
   EXPECT_EQ(5, mm->phases[0].c.faults[VT_FC_INVALID]);
   /* Against the mapping only when the address has one. */
   EXPECT_EQ(2, mm->maps[id]->c.faults[VT_FC_INVALID]);
   /* A valid access afterwards works as usual. */
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE));
   EXPECT_EQ(1, vt_counts_minor(&mm->total));
   mm_free(mm);
}

static void t_counts_kinds(void)
{
   struct vt_counts c;
   memset(&c, 0, sizeof c);
   for (int i = 0; i < VT_NR_FC; i++)
      c.faults[i] = (vt_u64)1 << i;
   /* minor: anon zero file_read file_cow file_shared wp_copy wp_reuse
      wp_shared = bits 0..7 = 255; major: swap_in, file_major = bits 8, 9 */
   EXPECT_EQ(255, vt_counts_minor(&c));
   EXPECT_EQ(256 + 512, vt_counts_major(&c));
   EXPECT_EQ(VT_INVALID, vt_fault_classes[VT_FC_INVALID].kind);
   EXPECT_STR("wp_copy", vt_fault_classes[VT_FC_WP_COPY].name);
   EXPECT_STR("beyond_eof", vt_invalid_reason_names[VT_INV_BEYOND_EOF]);
}

/* ===================================================================== */
/* Labels, phases, collection                                              */
/* ===================================================================== */

static void t_labels(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 16, RW);
   vt_label(mm, BASE, 4 * PG, "a");
   for (int i = 0; i < 6; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   struct vt_label *a = label_named(mm, "a");
   EXPECT_TRUE(a != NULL);
   if (!a) {
      mm_free(mm);
      return;
   }
   EXPECT_EQ(4, a->c.faults[VT_FC_ANON]);
   EXPECT_EQ(4, a->c.touched);
   EXPECT_EQ(6, mm->total.faults[VT_FC_ANON]);
   EXPECT_EQ(4, lphase(mm, a, "main", VT_FC_ANON));
   /* Invalid accesses in a labelled range count for the label. */
   vt_mprotect(mm, BASE, PG, R_);
   WR(mm, BASE);
   EXPECT_EQ(1, a->c.faults[VT_FC_INVALID]);
   /* Naming the label again adds a range. */
   vt_label(mm, BASE + 10 * PG, PG, "a");
   a = label_named(mm, "a");
   EXPECT_EQ(1, mm->nr_labels);
   EXPECT_EQ(2, a->nr_ranges);
   EXPECT_EQ(BASE + 10 * PG, a->ranges[1][0]);
   EXPECT_EQ(BASE + 11 * PG, a->ranges[1][1]);
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE + 10 * PG));
   EXPECT_EQ(1, a->c.faults[VT_FC_ZERO]);
   EXPECT_EQ(5, a->c.touched);
   mm_free(mm);
}

static void t_labels_overlap(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 16, RW);
   vt_label(mm, BASE, 8 * PG, "A");
   vt_label(mm, BASE + 4 * PG, 8 * PG, "B");       /* takes [4, 8) */
   for (int i = 0; i < 16; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   struct vt_label *A = label_named(mm, "A"), *B = label_named(mm, "B");
   EXPECT_TRUE(A && B);
   if (!A || !B) {
      mm_free(mm);
      return;
   }
   EXPECT_EQ(4, A->c.faults[VT_FC_ANON]);          /* [0, 4) */
   EXPECT_EQ(8, B->c.faults[VT_FC_ANON]);          /* [4, 12) */
   EXPECT_EQ(16, mm->total.faults[VT_FC_ANON]);
   /* The ranges as labelled are kept for the output. */
   EXPECT_EQ(1, A->nr_ranges);
   EXPECT_EQ(BASE + 8 * PG, A->ranges[0][1]);
   EXPECT_EQ(2, mm->nr_lranges);
   mm_free(mm);

   /* A later label inside an earlier one splits it; unlabel splits too. */
   mm = mm_new(1, true);
   map_anon(mm, BASE, 16, RW);
   vt_label(mm, BASE, 12 * PG, "A");
   vt_label(mm, BASE + 2 * PG, 2 * PG, "B");       /* A: [0,2) [4,12) */
   vt_unlabel(mm, BASE + 6 * PG, 2 * PG);          /* A: [0,2) [4,6) [8,12) */
   EXPECT_EQ(4, mm->nr_lranges);
   for (int i = 0; i < 16; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   A = label_named(mm, "A");
   B = label_named(mm, "B");
   EXPECT_EQ(2 + 2 + 4, A->c.faults[VT_FC_ANON]);
   EXPECT_EQ(2, B->c.faults[VT_FC_ANON]);
   EXPECT_EQ(8, A->c.touched);
   /* Unlabelling everything: nothing counts any more. */
   vt_unlabel(mm, BASE, 16 * PG);
   EXPECT_EQ(0, mm->nr_lranges);
   vt_madvise_dontneed(mm, BASE, 16 * PG);
   WR(mm, BASE);
   EXPECT_EQ(8, A->c.faults[VT_FC_ANON]);
   /* An empty label is ignored. */
   vt_label(mm, BASE, 0, "C");
   EXPECT_TRUE(label_named(mm, "C") == NULL);
   mm_free(mm);
}

static void t_phases(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 16, RW);
   vt_label(mm, BASE, 16 * PG, "L");
   struct vt_label *L = label_named(mm, "L");
   WR(mm, BASE);                                   /* main: 1 */
   vt_set_phase(mm, "p1");
   WR(mm, BASE + PG);                              /* p1: 2 */
   WR(mm, BASE + 2 * PG);
   vt_set_phase(mm, "p2");
   WR(mm, BASE + 3 * PG);                          /* p2: 1 */
   vt_set_phase(mm, "p1");                         /* continues p1: 3 */
   WR(mm, BASE + 4 * PG);
   EXPECT_EQ(3, mm->nr_phases);
   EXPECT_EQ(1, mm->phases[phase_id(mm, "main")].c.faults[VT_FC_ANON]);
   EXPECT_EQ(3, mm->phases[phase_id(mm, "p1")].c.faults[VT_FC_ANON]);
   EXPECT_EQ(1, mm->phases[phase_id(mm, "p2")].c.faults[VT_FC_ANON]);
   EXPECT_EQ(3, mm->phases[phase_id(mm, "p1")].c.touched);
   EXPECT_EQ(1, lphase(mm, L, "main", VT_FC_ANON));
   EXPECT_EQ(3, lphase(mm, L, "p1", VT_FC_ANON));
   EXPECT_EQ(1, lphase(mm, L, "p2", VT_FC_ANON));
   EXPECT_EQ(3, lphase(mm, L, "p1", -1));
   /* Many phases: the label's per-phase array grows with them. */
   char name[16];
   for (int i = 0; i < 20; i++) {
      snprintf(name, sizeof name, "q%d", i);
      vt_set_phase(mm, name);
      WR(mm, BASE + (vt_addr)(5 + i % 10) * PG);   /* 10 new pages, then none */
   }
   L = label_named(mm, "L");
   EXPECT_EQ(23, mm->nr_phases);
   EXPECT_EQ(1, lphase(mm, L, "q9", VT_FC_ANON));
   EXPECT_EQ(0, lphase(mm, L, "q19", VT_FC_ANON));
   EXPECT_EQ(1, lphase(mm, L, "main", VT_FC_ANON));  /* kept over growth */
   EXPECT_EQ(3, lphase(mm, L, "p1", VT_FC_ANON));
   EXPECT_EQ(15, L->c.faults[VT_FC_ANON]);
   /* The phase sums equal the total. */
   vt_u64 sum = 0;
   for (uint32_t i = 0; i < mm->nr_phases; i++)
      sum += mm->phases[i].c.faults[VT_FC_ANON];
   EXPECT_EQ(mm->total.faults[VT_FC_ANON], sum);
   /* A label made after many phases exist works in the latest one. */
   vt_label(mm, BASE + 15 * PG, PG, "late");
   WR(mm, BASE + 15 * PG);
   EXPECT_EQ(1, lphase(mm, label_named(mm, "late"), "q19", VT_FC_ANON));
   mm_free(mm);
}

static void t_collecting(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int id = map_anon(mm, BASE, 4, RW);
   vt_label(mm, BASE, 4 * PG, "L");
   vt_set_collecting(mm, false);
   unsigned res = vt_access(mm, BASE, VT_ACC_WRITE);
   vt_access(mm, BASE + 3 * PG, VT_ACC_WRITE);
   vt_access(mm, BASE - PG, VT_ACC_READ);          /* invalid, uncounted */
   /* The state changes; the figures do not, and on_fault is silent. */
   EXPECT_TRUE(res & VT_RES_FAULT);
   EXPECT_TRUE(present(mm, BASE));
   EXPECT_EQ(2, mm->rss);
   EXPECT_EQ(0, R.nfaults);
   EXPECT_EQ(0, mm->total.faults[VT_FC_ANON]);
   EXPECT_EQ(0, mm->total.faults[VT_FC_INVALID]);
   EXPECT_EQ(0, mm->total.touched);
   EXPECT_EQ(0, mm->maps[id]->c.faults[VT_FC_ANON]);
   EXPECT_EQ(0, mm->maps[id]->c.touched);
   EXPECT_EQ(0, label_named(mm, "L")->c.faults[VT_FC_ANON]);
   EXPECT_EQ(0, mm->phases[0].c.faults[VT_FC_ANON]);
   vt_set_collecting(mm, true);
   /* The fault taken while paused is not taken again, nor the touch. */
   EXPECT_FC(NOF, WR(mm, BASE));
   EXPECT_EQ(0, mm->total.touched);
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE + PG));
   EXPECT_EQ(1, mm->total.touched);
   EXPECT_EQ(1, label_named(mm, "L")->c.faults[VT_FC_ZERO]);
   mm_free(mm);
}

/* ===================================================================== */
/* The invalidate callback                                                 */
/* ===================================================================== */

static void t_invalidate(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 16, RW);
   for (int i = 0; i < 16; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   unsigned n;

   n = R.ninv;
   vt_munmap(mm, BASE + 14 * PG, 2 * PG);
   EXPECT_TRUE(R.ninv > n);
   EXPECT_TRUE(inval_covers(n, BASE + 14 * PG, BASE + 16 * PG));

   n = R.ninv;
   vt_mprotect(mm, BASE, 4 * PG, R_);              /* write removed */
   EXPECT_TRUE(inval_covers(n, BASE, BASE + 4 * PG));
   n = R.ninv;
   vt_mprotect(mm, BASE + 4 * PG, 2 * PG, 0);      /* everything removed */
   EXPECT_TRUE(inval_covers(n, BASE + 4 * PG, BASE + 6 * PG));

   n = R.ninv;
   vt_madvise_dontneed(mm, BASE + 6 * PG, 2 * PG);
   EXPECT_TRUE(inval_covers(n, BASE + 6 * PG, BASE + 8 * PG));

   n = R.ninv;
   vt_mremap(mm, BASE + 8 * PG, 2 * PG, BASE + GB512, 2 * PG);
   EXPECT_TRUE(inval_covers(n, BASE + 8 * PG, BASE + 10 * PG));

   n = R.ninv;
   vt_set_brk(mm, BASE + 100 * PG);
   vt_set_brk(mm, BASE + 104 * PG);
   WR(mm, BASE + 103 * PG);
   vt_set_brk(mm, BASE + 101 * PG);                /* brk shrink */
   EXPECT_TRUE(inval_covers(n, BASE + 101 * PG, BASE + 104 * PG));

   n = R.ninv;
   map_anon(mm, BASE + 10 * PG, 2, RW);            /* MAP_FIXED over */
   EXPECT_TRUE(inval_covers(n, BASE + 10 * PG, BASE + 12 * PG));

   /* Faults and adding rights need no invalidation. */
   n = R.ninv;
   WR(mm, BASE + 12 * PG + 1);
   RD(mm, BASE + 10 * PG);
   EXPECT_EQ(n, R.ninv);
   mm_free(mm);
}

/* ===================================================================== */
/* Property test: random operations against a naive per-page model         */
/* ===================================================================== */

/* The model covers a window of PW pages whose middle is a 2 MiB boundary
   (so fault-around windows meet PTE-table ends), with private anonymous
   memory, private and shared mappings of regular files (some mapped past
   their end), and shared/private mappings of a tmpfs file.  It knows
   nothing of the core's data structures: every page has its VMA
   attributes and its PTE state, and every rule is written per page.

   The page cache: a regular file has every page below its size cached
   (a warm cache); a tmpfs file has a page once a fault on it (read or
   write, shared or private) created it, and keeps it over munmap and
   MADV_DONTNEED.  Fault-around maps only cached pages. */

#define PW 128
#define PW_BASE (BASE + 8 * MB2 - (PW / 2) * PG)
#define MAXMAPS 4096

#define MFILE_MAX 256      /* pages of the largest model file */

struct mfile {
   vt_u64 size_pages;
   bool   shmem;
   struct vt_file *f;
   bool   exists[MFILE_MAX]; /* shmem: the pages a fault has created */
};

struct mpage {
   bool     mapped;
   uint32_t flags;          /* VT_VM_READ/WRITE/EXEC/SHARED */
   int      file;           /* -1: anonymous */
   vt_u64   pgoff;
   int      map;            /* model mapping index */
   bool     present, write, zero, filepg, dirty, touched;
};

struct mmaprec { int core_id; bool live; vt_u64 unmapped_at; };

struct model {
   struct mpage pg[PW];
   struct mfile files[3];
   unsigned fa;
   bool zp;
   vt_u64 rss, touched, faults[VT_NR_FC];
   struct mmaprec maps[MAXMAPS];
   int nmaps;
};

static uint64_t rng_state;
static uint64_t rnd(void)                         /* splitmix64 */
{
   uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
   z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
   z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
   return z ^ (z >> 31);
}
static unsigned rnd_below(unsigned n) { return (unsigned)(rnd() % n); }

static vt_addr pg_addr(int i) { return PW_BASE + (vt_addr)(vt_s64)i * PG; }

/* The VMA of page i: the pages around it of the same mapping with the
   same attributes (Linux merges such neighbours; mappings are kept apart
   by design). */
static bool same_vma(const struct mpage *a, const struct mpage *b)
{
   return a->mapped && b->mapped && a->map == b->map && a->flags == b->flags;
}

static void model_vma(const struct model *M, int i, int *lo, int *hi)
{
   int l = i, h = i + 1;
   while (l > 0 && same_vma(&M->pg[l - 1], &M->pg[i]))
      l--;
   while (h < PW && same_vma(&M->pg[h], &M->pg[i]))
      h++;
   *lo = l;
   *hi = h;
}

static void model_zap(struct model *M, struct mpage *p, bool keep_touched)
{
   if (p->present && !p->zero)
      M->rss--;
   bool t = p->touched;
   p->present = p->write = p->zero = p->filepg = p->dirty = false;
   p->touched = keep_touched && t;
}

static void model_munmap(struct model *M, int lo, int hi, vt_u64 now)
{
   for (int i = lo < 0 ? 0 : lo; i < hi && i < PW; i++) {
      struct mpage *p = &M->pg[i];
      if (!p->mapped)
         continue;
      model_zap(M, p, false);
      int map = p->map;
      memset(p, 0, sizeof *p);
      bool live = false;
      for (int j = 0; j < PW && !live; j++)
         live = M->pg[j].mapped && M->pg[j].map == map;
      if (!live && M->maps[map].live) {
         M->maps[map].live = false;
         M->maps[map].unmapped_at = now;
      }
   }
}

static bool model_file_page(const struct mpage *p)
{
   return p->file >= 0;
}

static bool model_shmem(const struct model *M, const struct mpage *p)
{
   return p->file >= 0 && M->files[p->file].shmem;
}

/* Whether file page p is in the page cache. */
static bool model_cached(const struct model *M, const struct mpage *p)
{
   const struct mfile *f = &M->files[p->file];
   if (p->pgoff >= f->size_pages)
      return false;
   return !f->shmem || f->exists[p->pgoff];
}

/* The PTE a file page gets when a read maps it. */
static void model_map_file_read(struct model *M, struct mpage *p)
{
   p->present = true;
   p->filepg = true;
   p->zero = false;
   /* writable only for shared memory (no dirty tracking) in a shared
      writable mapping */
   p->write = model_shmem(M, p) && (p->flags & S_) && (p->flags & W_);
   p->dirty = false;
   M->rss++;
}

/* Returns the fault class (NOF for none) and sets *reason. */
static int model_access(struct model *M, int i, enum vt_access acc, int *reason)
{
   *reason = VT_INV_NONE;
   if (i < 0 || i >= PW || !M->pg[i].mapped) {
      *reason = VT_INV_UNMAPPED;
      M->faults[VT_FC_INVALID]++;
      return VT_FC_INVALID;
   }
   struct mpage *p = &M->pg[i];
   bool ok = acc == VT_ACC_WRITE ? (p->flags & W_) != 0
           : acc == VT_ACC_EXEC  ? (p->flags & X_) != 0
           : (p->flags & (R_ | W_ | X_)) != 0;
   if (!ok) {
      *reason = VT_INV_PROTECTION;
      M->faults[VT_FC_INVALID]++;
      return VT_FC_INVALID;
   }
   bool file = model_file_page(p), shmem = model_shmem(M, p);
   bool shared = (p->flags & S_) != 0;
   int cls = NOF;
   if (!p->present) {
      if (file && p->pgoff >= M->files[p->file].size_pages) {
         *reason = VT_INV_BEYOND_EOF;
         M->faults[VT_FC_INVALID]++;
         return VT_FC_INVALID;
      }
      if (!file) {
         if (acc != VT_ACC_WRITE && M->zp) {
            p->present = p->zero = true;
            cls = VT_FC_ZERO;
         } else {
            p->present = true;
            p->write = p->dirty = (p->flags & W_) != 0;
            M->rss++;
            cls = VT_FC_ANON;
         }
      } else {
         /* Any fault on a tmpfs page creates it (shmem_fault): a read,
            a write, in a shared or a private mapping (do_cow_fault copies
            the page it created). */
         if (shmem)
            M->files[p->file].exists[p->pgoff] = true;
         if (acc != VT_ACC_WRITE) {
            if (M->fa > 1) {
               /* Linux's window, in addresses: from the larger of the
                  aligned window start, the VMA start and the PTE table
                  start, fa pages on, but not past the VMA or the table. */
               int lo, hi;
               model_vma(M, i, &lo, &hi);
               vt_addr a = pg_addr(i), win = (vt_addr)M->fa * PG;
               vt_addr table = a & ~(MB2 - 1);
               vt_addr from = a & ~(win - 1);
               if (from < pg_addr(lo))
                  from = pg_addr(lo);
               if (from < table)
                  from = table;
               vt_addr to = from + win;
               if (to > pg_addr(hi))
                  to = pg_addr(hi);
               if (to > table + MB2)
                  to = table + MB2;
               for (vt_addr b = from; b < to; b += PG) {
                  struct mpage *q = &M->pg[(b - PW_BASE) / PG];
                  if (!q->present && model_cached(M, q))
                     model_map_file_read(M, q);
               }
            }
            if (!p->present)
               model_map_file_read(M, p);
            cls = VT_FC_FILE_READ;
         } else if (!shared) {
            p->present = p->write = p->dirty = true;
            p->filepg = false;
            M->rss++;
            cls = VT_FC_FILE_COW;
         } else {
            p->present = p->write = p->dirty = p->filepg = true;
            M->rss++;
            cls = VT_FC_FILE_SHARED;
         }
      }
   } else if (acc == VT_ACC_WRITE && !p->write) {
      if (p->zero) {
         p->zero = false;
         M->rss++;
         cls = VT_FC_WP_COPY;
      } else if (shared) {
         cls = VT_FC_WP_SHARED;
      } else if (p->filepg) {
         p->filepg = false;
         cls = VT_FC_WP_COPY;
      } else {
         cls = VT_FC_WP_REUSE;
      }
      p->write = p->dirty = true;
   }
   if (acc == VT_ACC_WRITE)
      p->dirty = true;
   if (!p->touched) {
      p->touched = true;
      M->touched++;
   }
   if (cls != NOF)
      M->faults[cls]++;
   return cls;
}

static void model_mprotect(struct model *M, int lo, int hi, uint32_t prot)
{
   for (int i = lo; i < hi; i++) {
      struct mpage *p = &M->pg[i];
      uint32_t old = p->flags;
      p->flags = (old & ~(uint32_t)(R_ | W_ | X_)) | prot;
      if (!p->present)
         continue;
      if (!(prot & W_))
         p->write = false;
      else if (!(old & W_)) {
         if (!(p->flags & S_))
            p->write = !p->zero && !p->filepg;   /* exclusive anon page */
         else if (model_shmem(M, p))
            p->write = true;
         else
            p->write = p->dirty;
      }
   }
}

/* The core's VMAs against the model's, as text. */
static void model_vmas_str(const struct model *M, char *buf, size_t size)
{
   size_t n = 0;
   buf[0] = 0;
   for (int i = 0; i < PW && n < size - 80; ) {
      if (!M->pg[i].mapped) {
         i++;
         continue;
      }
      int lo, hi;
      model_vma(M, i, &lo, &hi);
      const struct mpage *p = &M->pg[i];
      n += (size_t)snprintf(buf + n, size - n, "%s%d-%d f%x file%d pgoff%llu m%d",
                            n ? ", " : "", lo, hi, p->flags, p->file,
                            (unsigned long long)p->pgoff,
                            M->maps[p->map].core_id);
      i = hi;
   }
}

/* The vm_flags the model knows; the core may keep others (bookkeeping
   such as whether a VMA has had anonymous pages). */
#define MODEL_VM_FLAGS (VT_VM_PROT_MASK | VT_VM_SHARED | VT_VM_GROWSDOWN | \
                        VT_VM_LOCKED)

static void core_vmas_str(const struct model *M, struct vt_mm *mm, char *buf,
                          size_t size)
{
   size_t n = 0;
   buf[0] = 0;
   for (uint32_t i = 0; i < mm->nr_vmas && n < size - 80; i++) {
      const struct vt_vma *v = &mm->vmas[i];
      int file = -1;
      for (int k = 0; k < 3; k++)
         if (v->vm_file && v->vm_file == M->files[k].f)
            file = k;
      n += (size_t)snprintf(buf + n, size - n, "%s%lld-%lld f%x file%d pgoff%llu m%u",
                            n ? ", " : "",
                            (long long)((vt_s64)(v->vm_start - PW_BASE) / (vt_s64)PG),
                            (long long)((vt_s64)(v->vm_end - PW_BASE) / (vt_s64)PG),
                            v->vm_flags & MODEL_VM_FLAGS, file,
                            (unsigned long long)v->vm_pgoff,
                            v->mapping);
   }
}

#define HIST 12
struct prop_run {
   const char *name;
   uint64_t seed;
   unsigned fa;
   bool zp;
   bool mprotect_within_vma;   /* false: also across VMAs of one mapping */
   unsigned steps;
};

static char hist[HIST][160];
static unsigned hist_n;

static void histf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void histf(const char *fmt, ...)
{
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(hist[hist_n % HIST], sizeof hist[0], fmt, ap);
   va_end(ap);
   hist_n++;
}

static void prop_fail(unsigned step, const char *what, const char *exp,
                      const char *got)
{
   cur_fail = true;
   diagf("# step %u: %s\n#   expected %s, got %s\n# last operations:\n",
         step, what, exp, got);
   unsigned first = hist_n > HIST ? hist_n - HIST : 0;
   for (unsigned k = first; k < hist_n; k++)
      diagf("#   %s\n", hist[k % HIST]);
}

static const char *pte_bits_str(bool pr, bool w, bool z, bool f, bool d, bool t)
{
   static char b[2][16];
   static int k;
   k ^= 1;
   snprintf(b[k], sizeof b[k], "%c%c%c%c%c%c", pr ? 'P' : '-', w ? 'W' : '-',
            z ? 'Z' : '-', f ? 'F' : '-', d ? 'D' : '-', t ? 'T' : '-');
   return b[k];
}

/* Compares everything observable; returns false (after diagnostics) on
   the first difference. */
static bool prop_compare(struct model *M, struct vt_mm *mm, unsigned step)
{
   char e[64], g[64];
   for (int i = 0; i < PW; i++) {
      const struct mpage *p = &M->pg[i];
      vt_pte pte = vt_get_pte(mm, pg_addr(i));
      const char *es = pte_bits_str(p->present, p->write, p->zero, p->filepg,
                                    p->dirty, p->touched);
      const char *gs = pte_bits_str(pte & VT_PTE_PRESENT, pte & VT_PTE_WRITE,
                                    pte & VT_PTE_ZERO, pte & VT_PTE_FILE,
                                    pte & VT_PTE_DIRTY, pte & VT_PTE_TOUCHED);
      if (strcmp(es, gs)) {
         char what[64];
         snprintf(what, sizeof what, "PTE of window page %d", i);
         prop_fail(step, what, es, gs);
         return false;
      }
   }
   if (M->rss != mm->rss) {
      snprintf(e, sizeof e, "%llu", M->rss);
      snprintf(g, sizeof g, "%llu", mm->rss);
      prop_fail(step, "rss", e, g);
      return false;
   }
   if (M->touched != mm->total.touched) {
      snprintf(e, sizeof e, "%llu", M->touched);
      snprintf(g, sizeof g, "%llu", mm->total.touched);
      prop_fail(step, "pages touched", e, g);
      return false;
   }
   for (int c = 0; c < VT_NR_FC; c++)
      if (M->faults[c] != mm->total.faults[c]) {
         snprintf(e, sizeof e, "%llu", M->faults[c]);
         snprintf(g, sizeof g, "%llu", mm->total.faults[c]);
         prop_fail(step, vt_fault_classes[c].name, e, g);
         return false;
      }
   static char ev[8192], gv[8192];
   model_vmas_str(M, ev, sizeof ev);
   core_vmas_str(M, mm, gv, sizeof gv);
   if (strcmp(ev, gv)) {
      prop_fail(step, "VMA list", ev, gv);
      return false;
   }
   /* Per live mapping: its VMA count and resident pages. */
   for (int k = 0; k < M->nmaps; k++) {
      if (!M->maps[k].live)
         continue;
      vt_u64 res = 0;
      uint32_t nv = 0;
      for (int i = 0; i < PW; i++) {
         const struct mpage *p = &M->pg[i];
         if (!p->mapped || p->map != k)
            continue;
         res += p->present && !p->zero;
         if (i == 0 || !same_vma(&M->pg[i - 1], p))
            nv++;
      }
      const struct vt_mapping *m = mm->maps[M->maps[k].core_id];
      if (!m || m->resident != res || m->nr_vmas != nv || m->unmapped_at) {
         snprintf(e, sizeof e, "resident %llu, %u VMAs, mapped", res, nv);
         if (m)
            snprintf(g, sizeof g, "resident %llu, %u VMAs, %s", m->resident,
                     m->nr_vmas, m->unmapped_at ? "unmapped" : "mapped");
         else
            snprintf(g, sizeof g, "no mapping record");
         char what[64];
         snprintf(what, sizeof what, "mapping m%d", M->maps[k].core_id);
         prop_fail(step, what, e, g);
         return false;
      }
   }
   return true;
}

static const char *acc_name(enum vt_access a)
{
   return a == VT_ACC_WRITE ? "write" : a == VT_ACC_EXEC ? "exec" : "read";
}

static uint32_t rnd_prot(void)
{
   static const uint32_t prots[] = { R_, RW, RW, RW, RX, 0, W_, R_ | W_ | X_ };
   return prots[rnd_below(sizeof prots / sizeof prots[0])];
}

/* A random mapped page (or -1); extends [lo, hi) around it either within
   its VMA or within the run of mapped pages. */
static int rnd_mapped_range(const struct model *M, bool within_vma,
                            int *lo, int *hi)
{
   int mapped[PW], n = 0;
   for (int i = 0; i < PW; i++)
      if (M->pg[i].mapped)
         mapped[n++] = i;
   if (!n)
      return -1;
   int i = mapped[rnd_below((unsigned)n)];
   int l, h;
   if (within_vma) {
      model_vma(M, i, &l, &h);
   } else {
      l = i;
      h = i + 1;
      while (l > 0 && M->pg[l - 1].mapped)
         l--;
      while (h < PW && M->pg[h].mapped)
         h++;
   }
   int a = l + (int)rnd_below((unsigned)(h - l));
   int b = l + (int)rnd_below((unsigned)(h - l));
   if (a > b) {
      int t = a;
      a = b;
      b = t;
   }
   *lo = a;
   *hi = b + 1;
   return i;
}

static struct prop_run *cur_prop;

static void t_property(void)
{
   struct prop_run *run = cur_prop;
   static struct model M;
   memset(&M, 0, sizeof M);
   rng_state = run->seed;
   hist_n = 0;
   M.fa = run->fa;
   M.zp = run->zp;
   struct vt_mm *mm = mm_new(run->fa, run->zp);
   /* file 0: 40 pages, mapped with offsets up to 36 (often past the end);
      file 1: 100 pages; file 2: tmpfs, large enough for every offset. */
   M.files[0] = (struct mfile){ .size_pages = 40, .shmem = false,
                                .f = reg_file(mm, 40 * PG - 1) };
   M.files[1] = (struct mfile){ .size_pages = 100, .shmem = false,
                                .f = reg_file(mm, 100 * PG) };
   M.files[2] = (struct mfile){ .size_pages = MFILE_MAX, .shmem = true,
                                .f = shm_file(mm, MFILE_MAX * PG) };

   for (unsigned step = 1; step <= run->steps && !cur_fail; step++) {
      vt_set_clock(mm, step, mm->sim_now, mm->sim_order);
      unsigned op = rnd_below(100);
      if (op < 20) {                                     /* mmap */
         int s = (int)rnd_below(PW);
         int n = 1 + (int)rnd_below(24);
         if (s + n > PW)
            n = PW - s;
         uint32_t prot = rnd_prot();
         unsigned kind = rnd_below(20);
         int file = -1;
         uint32_t shared = 0;
         vt_u64 pgoff = 0;
         if (kind < 8) {
            file = -1;                                   /* anon private */
         } else if (kind < 12) {
            file = 0;                                    /* file private */
            pgoff = rnd_below(37);
         } else if (kind < 14) {
            file = 0;                                    /* file shared */
            shared = S_;
            pgoff = rnd_below(37);
         } else if (kind < 17) {
            file = 1;                                    /* file shared */
            shared = S_;
            pgoff = rnd_below(70);
         } else if (kind < 19) {
            file = 2;                                    /* tmpfs shared */
            shared = S_;
            pgoff = rnd_below(100);
         } else {
            file = 2;                                    /* tmpfs private */
            pgoff = rnd_below(100);
         }
         histf("mmap [%d, %d) prot %x%s file %d pgoff %llu", s, s + n, prot,
               shared ? " shared" : "", file, (unsigned long long)pgoff);
         model_munmap(&M, s, s + n, step);
         int core_id = map_file(mm, pg_addr(s), (vt_u64)n, prot | shared,
                                file >= 0 ? M.files[file].f : NULL, pgoff);
         if (M.nmaps == MAXMAPS) {
            diagf("# too many mappings for the model\n");
            cur_fail = true;
            break;
         }
         int k = M.nmaps++;
         M.maps[k] = (struct mmaprec){ core_id, true, 0 };
         for (int i = 0; i < n; i++) {
            struct mpage *p = &M.pg[s + i];
            memset(p, 0, sizeof *p);
            p->mapped = true;
            p->flags = prot | shared;
            p->file = file;
            p->pgoff = pgoff + (vt_u64)i;
            p->map = k;
         }
      } else if (op < 30) {                              /* munmap */
         int s = (int)rnd_below(PW + 8) - 4;
         int n = 1 + (int)rnd_below(32);
         histf("munmap [%d, %d)", s, s + n);
         model_munmap(&M, s, s + n, step);
         vt_munmap(mm, pg_addr(s), (vt_addr)n * PG);
      } else if (op < 40) {                              /* mprotect */
         int lo, hi;
         if (rnd_mapped_range(&M, run->mprotect_within_vma, &lo, &hi) < 0)
            continue;
         uint32_t prot = rnd_prot();
         histf("mprotect [%d, %d) prot %x", lo, hi, prot);
         model_mprotect(&M, lo, hi, prot);
         vt_mprotect(mm, pg_addr(lo), (vt_addr)(hi - lo) * PG, prot);
      } else if (op < 45) {                              /* DONTNEED */
         int lo, hi;
         if (rnd_mapped_range(&M, false, &lo, &hi) < 0)
            continue;
         histf("madvise(DONTNEED) [%d, %d)", lo, hi);
         for (int i = lo; i < hi; i++)
            model_zap(&M, &M.pg[i], true);
         vt_madvise_dontneed(mm, pg_addr(lo), (vt_addr)(hi - lo) * PG);
      } else {                                           /* access */
         int i, lo, hi;
         if (rnd_below(100) < 85 && rnd_mapped_range(&M, false, &lo, &hi) >= 0)
            i = lo + (int)rnd_below((unsigned)(hi - lo));
         else
            i = (int)rnd_below(PW + 8) - 4;
         unsigned r = rnd_below(100);
         enum vt_access acc = r < 50 ? VT_ACC_READ
                            : r < 85 ? VT_ACC_WRITE : VT_ACC_EXEC;
         vt_addr a = pg_addr(i) + rnd_below((unsigned)PG);
         histf("%s page %d (+%llu)", acc_name(acc), i,
               (unsigned long long)(a & (PG - 1)));
         int reason;
         int exp = model_access(&M, i, acc, &reason);
         unsigned n0 = R.nfaults;
         vt_access(mm, a, acc);
         int got = R.nfaults == n0 ? NOF : (int)R.cls;
         if (R.nfaults > n0 + 1) {
            prop_fail(step, "on_fault calls", "at most 1", "more");
            break;
         }
         if (exp != got || (got == VT_FC_INVALID && reason != R.reason)) {
            char e[64], g[64];
            snprintf(e, sizeof e, "%s (%s)", fc_name(exp),
                     vt_invalid_reason_names[reason]);
            snprintf(g, sizeof g, "%s (%s)", fc_name(got),
                     got == VT_FC_INVALID ? vt_invalid_reason_names[R.reason]
                                          : "none");
            prop_fail(step, "fault class", e, g);
            break;
         }
      }
      if (!prop_compare(&M, mm, step))
         break;
   }
   /* What the run went through (all of the model's classes should show). */
   size_t nn = (size_t)snprintf(note, sizeof note, "#   %u steps:", run->steps);
   for (int c = 0; c < VT_NR_FC && nn < sizeof note; c++)
      if (M.faults[c])
         nn += (size_t)snprintf(note + nn, sizeof note - nn, " %s %llu",
                                vt_fault_classes[c].name, M.faults[c]);
   if (nn < sizeof note - 1)
      snprintf(note + nn, sizeof note - nn, "\n");
   /* Mappings unmapped entirely: retired at the time of the munmap. */
   if (!cur_fail)
      for (int k = 0; k < M.nmaps; k++) {
         const struct vt_mapping *m = mm->maps[M.maps[k].core_id];
         if (M.maps[k].live || !m)
            continue;
         if (m->nr_vmas) {
            /* the id was reused by a later mapping: nothing to check */
            continue;
         }
         EXPECT_EQ(M.maps[k].unmapped_at, m->unmapped_at);
         if (cur_fail)
            break;
      }
   mm_free(mm);
}

static struct prop_run prop_runs[] = {
   { "property: no fault-around, zero page, mprotect within a VMA",
     0x1234567ull, 1, true, true, 4000 },
   { "property: 16-page fault-around, zero page, mprotect within a VMA",
     0xfeedbeefull, 16, true, true, 4000 },
   { "property: 4-page fault-around, no zero page, mprotect within a VMA",
     0x5eed5eedull, 4, false, true, 4000 },
   { "property: 512-page fault-around, zero page, mprotect within a VMA",
     0xabcdef01ull, 512, true, true, 4000 },
   { "property: 16-page fault-around, mprotect across VMAs of a mapping",
     0x0badcafeull, 16, true, false, 4000 },
};

/* ===================================================================== */

static const struct { const char *name; void (*fn)(void); } tests[] = {
   { "page tables: one page needs one table per level", t_pt_one_page },
   { "page tables: 2 MiB apart, partial and full munmap, peak", t_pt_2mib_apart },
   { "page tables: a neighbouring VMA keeps the PTE table", t_pt_neighbour_keeps },
   { "page tables: PMD and PUD levels", t_pt_levels },
   { "page tables: vt_walk_ptes", t_pt_walk },
   { "anon: read -> zero, write -> wp_copy", t_anon_read_then_write },
   { "anon: write first, rss and peak", t_anon_write_first },
   { "anon: zero_page=false", t_anon_no_zero_page },
   { "anon: x86 read rights (write-only, exec-only, none)", t_anon_x86_read_rights },
   { "fault-around: 256 pages at a 64 KiB boundary = 16 faults", t_fa_aligned },
   { "fault-around: 256 pages at +4 KiB = 17 faults", t_fa_unaligned },
   { "fault-around: off = 256 faults", t_fa_off },
   { "fault-around: 512 pages", t_fa_max },
   { "fault-around: clamped to the VMA", t_fa_clamp_vma },
   { "fault-around: clamped to the PTE table", t_fa_straddle_2mib },
   { "fault-around: end of file", t_fa_eof },
   { "fault-around: skips mapped pages, not on write faults", t_fa_skips_mapped },
   { "fault-around: keeps 'touched' over MADV_DONTNEED", t_fa_keeps_touched },
   { "fault-around: fresh shared memory, one fault per page (no neighbour exists)", t_fa_shmem_fresh },
   { "fault-around: shared memory maps the pages that exist (64 written, DONTNEED, 4 faults)", t_fa_shmem_existing },
   { "fault-around: shared memory window aligned in the address space, clamped", t_fa_shmem_window },
   { "fault-around: a forked child reads its parent's 64 shared pages in 4 faults", t_fa_shmem_fork_child },
   { "fault-around: none for SysV shm (shm_vm_ops has no map_pages)", t_fa_sysv_shm_none },
   { "populate: MAP_POPULATE with fault-around", t_populate_fault_around },
   { "file: private write -> file_cow; read, write -> wp_copy", t_file_private_write },
   { "file: shared write -> file_shared; read, write -> wp_shared", t_file_shared_write },
   { "file: shmem shared read then write: one fault; private: wp_copy on existing pages", t_file_shmem },
   { "file: shmem access beyond i_size is SIGBUS", t_file_shmem_beyond_eof },
   { "vma: munmap partial, head, tail, all", t_munmap_partial },
   { "vma: munmap spanning mappings", t_munmap_spanning },
   { "vma: MAP_FIXED over part of an older mapping", t_map_fixed_over },
   { "vma: mapping kinds, exec rights, bad requests", t_map_kinds },
   { "vma: mprotect split and merge", t_mprotect_split_merge },
   { "vma: mprotect over several VMAs of a mapping merges them", t_mprotect_merge_whole_range },
   { "vma: mprotect RO then RW on anonymous pages", t_mprotect_anon_rights },
   { "vma: mprotect RO then RW on file pages", t_mprotect_file_rights },
   { "mremap: move to another 512 GiB region", t_mremap_move_far },
   { "mremap: move with a neighbouring VMA", t_mremap_move_with_neighbour },
   { "mremap: move within one PTE table, nothing else mapped", t_mremap_move_same_table },
   { "mremap: move within one PMD table, nothing else mapped", t_mremap_move_same_pmd },
   { "mremap: grow in place, shrink, move and grow", t_mremap_grow_shrink },
   { "brk: grow, shrink, grow", t_brk },
   { "madvise: MADV_DONTNEED refaults, touched kept", t_madv_dontneed },
   { "mlock: populates, locked PTEs, MAP_LOCKED, mlockall", t_mlock },
   { "mlock: munlock over several VMAs of a mapping merges them", t_mlock_merge_whole_range },
   { "populate: no invalid access beyond the end of the file", t_populate_beyond_eof },
   { "stack: grows down to stack_guard_low, not below", t_stack_growth },
   { "stack: stack_guard_gap below the stack", t_stack_guard_gap },
   { "invalid: unmapped, protection, exec, non-canonical", t_invalid },
   { "counts: minor and major sums", t_counts_kinds },
   { "labels: counts, invalid accesses, ranges added", t_labels },
   { "labels: overlap and unlabel", t_labels_overlap },
   { "phases: per phase, per label per phase, continuing", t_phases },
   { "collection off: no figures, state still changes", t_collecting },
   { "invalidate: munmap, mprotect, DONTNEED, mremap, brk, MAP_FIXED", t_invalidate },
};

/* The core's host: what the callbacks see goes into R. */
static const struct vt_host_ops host_ops = {
   .alloc = host_alloc, .free = free, .panic = host_panic,
   .invalidate = on_inval_cb, .fault = on_fault_cb,
};

int main(void)
{
   setvbuf(stdout, NULL, _IOLBF, 0);
   vt_core_init(&host_ops, &R);
   for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
      run_test(tests[i].name, tests[i].fn);
   for (size_t i = 0; i < sizeof prop_runs / sizeof prop_runs[0]; i++) {
      cur_prop = &prop_runs[i];
      run_test(prop_runs[i].name, t_property);
   }
   printf("1..%d\n", tap_n);
   if (tap_failed)
      printf("# %d of %d failed\n", tap_failed, tap_n);
   return tap_failed ? 1 : 0;
}
