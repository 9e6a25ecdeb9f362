/* property_test.c: random operations against a naive per-page model, which
   knows nothing of the core's data structures (the property test).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>

#include "unit.h"

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
   bool     account;        /* VM_ACCOUNT: private and writable once, and
                               not made read-only before it had an
                               anonymous page (mprotect_fixup) */
   bool     av;             /* its VMA has an anon_vma */
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
   same attributes, VM_ACCOUNT included (Linux merges such neighbours;
   mappings are kept apart by design). */
static bool same_vma(const struct mpage *a, const struct mpage *b)
{
   return a->mapped && b->mapped && a->map == b->map && a->flags == b->flags &&
          a->account == b->account;
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

/* The anon_vma, which decides whether an anonymous VMA made read-only
   stays accounted.  A fault that makes an anonymous page (do_anonymous_page
   without the zero page, a copy-on-write copy) gives the page's VMA one
   (anon_vma_prepare); two VMAs merged have one if either had.  The core
   keeps apart the VMAs of different mappings that Linux holds as one
   VMA, and gives every part the one VMA's anon_vma before a call splits
   or removes any (vt_share_anon_vma): munmap, mmap over them, mprotect.
   Linux's one VMA: pages side by side with the same attributes, file and
   following offsets, whatever their mapping. */
static bool same_kernel_vma(const struct mpage *a, const struct mpage *b)
{
   return a->mapped && b->mapped && a->flags == b->flags && a->account == b->account &&
          a->file == b->file && a->pgoff + 1 == b->pgoff;
}

/* Every page of a run (of same(), around page i) given av if one has it. */
static void model_av_run(struct model *M, int i,
                         bool (*same)(const struct mpage *, const struct mpage *))
{
   int l = i, h = i + 1;
   while (l > 0 && same(&M->pg[l - 1], &M->pg[l]))
      l--;
   while (h < PW && same(&M->pg[h - 1], &M->pg[h]))
      h++;
   bool av = false;
   for (int j = l; j < h; j++)
      av |= M->pg[j].av;
   for (int j = l; j < h; j++)
      M->pg[j].av = av;
}

/* vt_share_anon_vma over pages [lo, hi], hi included (a VMA that starts
   where the range ends is shared with too). */
static void model_share_av(struct model *M, int lo, int hi)
{
   for (int i = lo < 0 ? 0 : lo; i <= hi && i < PW; i++)
      if (M->pg[i].mapped)
         model_av_run(M, i, same_kernel_vma);
}

/* After a call: the model's VMAs (same_vma runs) merged where the core's
   did, and a merged VMA has an anon_vma if a part had. */
static void model_merge_av(struct model *M)
{
   for (int i = 0; i < PW; i++)
      if (M->pg[i].mapped)
         model_av_run(M, i, same_vma);
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
   bool any = false;
   for (int i = lo < 0 ? 0 : lo; i < hi && i < PW; i++)
      any |= M->pg[i].mapped;
   if (any)
      model_share_av(M, lo, hi);
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

/* Fault-around for a read fault on page i: the cached pages of the
   window that are not mapped yet (filemap_map_pages; model_cached stops
   at the end of the file). */
static void model_fault_around(struct model *M, int i)
{
   if (M->fa <= 1)
      return;
   /* Linux's window, in addresses: from the larger of the aligned window
      start, the VMA start and the PTE table start, fa pages on, but not
      past the VMA or the table. */
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
         /* do_read_fault faults around before ->fault finds no page
            (SIGBUS): the cached pages of the window are mapped */
         if (acc != VT_ACC_WRITE)
            model_fault_around(M, i);
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
            model_fault_around(M, i);
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
   if (cls == VT_FC_ANON || cls == VT_FC_FILE_COW || cls == VT_FC_WP_COPY) {
      int lo, hi;                                /* anon_vma_prepare */
      model_vma(M, i, &lo, &hi);
      for (int j = lo; j < hi; j++)
         M->pg[j].av = true;
   }
   return cls;
}

static void model_mprotect(struct model *M, int lo, int hi, uint32_t prot)
{
   model_share_av(M, lo, hi);
   for (int i = lo; i < hi; i++) {
      struct mpage *p = &M->pg[i];
      uint32_t old = p->flags;
      p->flags = (old & ~(uint32_t)(R_ | W_ | X_)) | prot;
      /* mprotect_fixup, when the protection changes: made writable, a
         private VMA is accounted; made read-only, an anonymous one
         without an anon_vma is not */
      if (p->flags != old && !(prot & W_) && p->file < 0 && !p->av)
         p->account = false;
      p->account |= !(p->flags & S_) && (prot & W_);
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
         /* an anonymous VMA's page offset is its address in pages
            (mmap_region; the caller's offset is not used) */
         vt_u64 first = file >= 0 ? pgoff : pg_addr(s) >> VT_PAGE_SHIFT;
         for (int i = 0; i < n; i++) {
            struct mpage *p = &M.pg[s + i];
            memset(p, 0, sizeof *p);
            p->mapped = true;
            p->flags = prot | shared;
            p->file = file;
            p->pgoff = first + (vt_u64)i;
            p->map = k;
            p->account = !shared && (prot & W_);          /* accountable_mapping */
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
      model_merge_av(&M);
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

void property_tests(void)
{
   for (size_t i = 0; i < sizeof prop_runs / sizeof prop_runs[0]; i++) {
      cur_prop = &prop_runs[i];
      run_test(prop_runs[i].name, t_property);
   }
}
