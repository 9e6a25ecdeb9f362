/* unit.c: the harness, the host interface and the helpers around the core
   that the core's unit tests share (unit.h).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>

#include "unit.h"

/* ---- the host interface ----------------------------------------------- */

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

/* ---- the harness ------------------------------------------------------ */

static int tap_n, tap_failed;
bool cur_fail;
char note[1024];
static char diag[16384];
static size_t diag_len;

void diagf(const char *fmt, ...)
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

void fail_at(int line, const char *what, const char *exp, const char *got)
{
   cur_fail = true;
   diagf("# line %d: %s\n#   expected %s, got %s\n", line, what, exp, got);
}

void expect_u64(int line, const char *what, vt_u64 exp, vt_u64 got)
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

const char *fc_name(int c)
{
   if (c == NOF)
      return "no fault";
   if (c < 0 || c >= VT_NR_FC)
      return "?";
   return vt_fault_classes[c].name;
}

void expect_fc(int line, const char *what, int exp, int got)
{
   if (exp != got)
      fail_at(line, what, fc_name(exp), fc_name(got));
}

void expect_str(int line, const char *what, const char *exp, const char *got)
{
   if (strcmp(exp, got) != 0) {
      char e[1200], g[1200];
      snprintf(e, sizeof e, "\"%s\"", exp);
      snprintf(g, sizeof g, "\"%s\"", got);
      fail_at(line, what, e, g);
   }
}

struct vt_mm *cur_mm;

void run_test(const char *name, void (*fn)(void))
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

int tap_done(void)
{
   printf("1..%d\n", tap_n);
   if (tap_failed)
      printf("# %d of %d failed\n", tap_failed, tap_n);
   return tap_failed ? 1 : 0;
}

/* ---- the callbacks ---------------------------------------------------- */

struct rec R;

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

/* The core's host: what the callbacks see goes into R. */
const struct vt_host_ops unit_host_ops = {
   .alloc = host_alloc, .free = free, .panic = host_panic,
   .invalidate = on_inval_cb, .fault = on_fault_cb,
};

/* ---- helpers around the core ------------------------------------------ */

struct vt_mm *mm_new(unsigned fault_around_pages, bool zero_page)
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

void mm_free(struct vt_mm *mm)
{
   vt_mm_destroy(mm);
   free(mm);
   cur_mm = NULL;
}

unsigned last_res;

int acc_line(int line, struct vt_mm *mm, vt_addr a, enum vt_access acc)
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

int map_req(struct vt_mm *mm, vt_addr start, vt_u64 npages, uint32_t flags,
            struct vt_file *f, vt_u64 pgoff, bool populate,
            enum vt_map_kind kind)
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
   r.hint = true;               /* where the test puts it (vm_koff 0) */
   return vt_mmap(mm, &r);
}

int map_anon(struct vt_mm *mm, vt_addr start, vt_u64 npages, uint32_t flags)
{
   return map_req(mm, start, npages, flags, NULL, 0, false, VT_NR_MK);
}

int map_file(struct vt_mm *mm, vt_addr start, vt_u64 npages, uint32_t flags,
             struct vt_file *f, vt_u64 pgoff)
{
   return map_req(mm, start, npages, flags, f, pgoff, false, VT_NR_MK);
}

vt_u64 next_ino = 100;

struct vt_file *reg_file(struct vt_mm *mm, vt_u64 bytes)
{
   return vt_file_get(mm, 8, next_ino++, "/data/file", bytes, false);
}

struct vt_file *shm_file(struct vt_mm *mm, vt_u64 bytes)
{
   return vt_file_get(mm, 9, next_ino++, "/dev/shm/seg", bytes, true);
}

bool present(struct vt_mm *mm, vt_addr a)
{
   return (vt_get_pte(mm, a) & VT_PTE_PRESENT) != 0;
}

bool pte_has(struct vt_mm *mm, vt_addr a, vt_pte bit)
{
   return (vt_get_pte(mm, a) & bit) != 0;
}

unsigned count_present(struct vt_mm *mm, vt_addr start, unsigned n)
{
   unsigned k = 0;
   for (unsigned i = 0; i < n; i++)
      k += present(mm, start + i * PG);
   return k;
}

const char *vmas_str(struct vt_mm *mm, vt_addr base)
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

bool inval_covers(unsigned from, vt_addr start, vt_addr end)
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

uint32_t phase_id(struct vt_mm *mm, const char *name)
{
   for (uint32_t i = 0; i < mm->nr_phases; i++)
      if (!strcmp(mm->phases[i].name, name))
         return i;
   return UINT32_MAX;
}

struct vt_label *label_named(struct vt_mm *mm, const char *name)
{
   for (uint32_t i = 0; i < mm->nr_labels; i++)
      if (!strcmp(mm->labels[i].name, name))
         return &mm->labels[i];
   return NULL;
}

vt_u64 lphase(struct vt_mm *mm, struct vt_label *l, const char *phase, int cls)
{
   uint32_t p = phase_id(mm, phase);
   if (!l || p == UINT32_MAX || !l->per_phase)
      return 0;
   return cls < 0 ? l->per_phase[p].touched : l->per_phase[p].faults[cls];
}
