/* tlb.c: the TLB model (vt_tlb.h says what it is): set-associative arrays
   with LRU inside a set, the presets, the flushes, and what it tells the
   filter so that dropping references stays exact.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"

#define SZ(s) (1u << (s))
#define ALL_SIZES (SZ(VT_TLB_4K) | SZ(VT_TLB_2M) | SZ(VT_TLB_1G))

/* The presets.  Sources (docs/manual.md "The TLB" cites them in full):
   Intel 64 and IA-32 Architectures Optimization Reference Manual
   (248966-045), table 2-15, "TLB Parameters of the Skylake
   Microarchitecture"; AMD's Software Optimization Guides for family 17h
   models 30h (56305: Zen 2) and family 19h (56665: Zen 3; 57647: Zen 4),
   section "Translation-Lookaside Buffer"; WikiChip's Zen 2 page for the L2
   DTLB's 12 ways. */
const struct vt_tlb_config vt_tlb_presets[] = {
   { "skylake", {
      [VT_TLB_L1D] = { 3, { { 64, 4, SZ(VT_TLB_4K) }, { 32, 4, SZ(VT_TLB_2M) },
                            { 4, 4, SZ(VT_TLB_1G) } } },
      [VT_TLB_L1I] = { 2, { { 128, 8, SZ(VT_TLB_4K) }, { 8, 8, SZ(VT_TLB_2M) } } },
      [VT_TLB_L2D] = { 2, { { 1536, 12, SZ(VT_TLB_4K) | SZ(VT_TLB_2M) },
                            { 16, 4, SZ(VT_TLB_1G) } } },
   } },
   { "zen2", {
      [VT_TLB_L1D] = { 1, { { 64, 64, ALL_SIZES } } },
      [VT_TLB_L1I] = { 1, { { 64, 64, ALL_SIZES } } },
      [VT_TLB_L2D] = { 1, { { 2048, 12, SZ(VT_TLB_4K) | SZ(VT_TLB_2M) } } },
      [VT_TLB_L2I] = { 1, { { 512, 8, SZ(VT_TLB_4K) | SZ(VT_TLB_2M) } } },
   } },
   { "zen3", {
      [VT_TLB_L1D] = { 1, { { 64, 64, ALL_SIZES } } },
      [VT_TLB_L1I] = { 1, { { 64, 64, ALL_SIZES } } },
      [VT_TLB_L2D] = { 1, { { 2048, 16, SZ(VT_TLB_4K) | SZ(VT_TLB_2M) } } },
      [VT_TLB_L2I] = { 1, { { 512, 8, SZ(VT_TLB_4K) | SZ(VT_TLB_2M) } } },
   } },
   { "zen4", {
      [VT_TLB_L1D] = { 1, { { 72, 72, ALL_SIZES } } },
      [VT_TLB_L1I] = { 1, { { 64, 64, ALL_SIZES } } },
      [VT_TLB_L2D] = { 1, { { 3072, 24, SZ(VT_TLB_4K) | SZ(VT_TLB_2M) } } },
      [VT_TLB_L2I] = { 1, { { 512, 8, SZ(VT_TLB_4K) | SZ(VT_TLB_2M) } } },
   } },
   { NULL, { { 0, { { 0, 0, 0 } } } } }
};

const struct vt_tlb_config *vt_tlb_preset(const char *name)
{
   for (const struct vt_tlb_config *c = vt_tlb_presets; c->name; c++)
      if (!vt_strcmp(c->name, name))
         return c;
   return NULL;
}

static const char *parse_u32(const char *s, uint32_t *v)
{
   if (*s < '0' || *s > '9')
      return NULL;
   vt_u64 x = 0;
   while (*s >= '0' && *s <= '9') {
      x = x * 10 + (vt_u64)(*s++ - '0');
      if (x > 1000000)
         return NULL;
   }
   *v = (uint32_t)x;
   return s;
}

static const char *parse_size(const char *s, uint8_t *sizes)
{
   static const char *const names[VT_TLB_NR_SIZES] = { "4K", "2M", "1G" };
   for (int k = 0; k < VT_TLB_NR_SIZES; k++)
      if (s[0] == names[k][0] && (s[1] == names[k][1] || s[1] == names[k][1] + 32)) {
         *sizes |= (uint8_t)SZ(k);
         return s + 2;
      }
   return NULL;
}

const char *vt_tlb_parse_level(struct vt_tlb_config *c, int level, const char *s)
{
   c->lv[level].nr = 0;
   c->name = "custom";
   if (!vt_strcmp(s, "none"))
      return level == VT_TLB_L2I || level == VT_TLB_L2D ? NULL
                                                       : "a first level cannot be none";
   for (;;) {
      if (c->lv[level].nr == VT_TLB_MAX_ARRAYS)
         return "at most 3 arrays per level";
      struct vt_tlb_geom *g = &c->lv[level].a[c->lv[level].nr++];
      g->sizes = 0;
      if (!(s = parse_u32(s, &g->entries)) || *s++ != ':' || !(s = parse_u32(s, &g->ways)))
         return "expected ENTRIES:WAYS[:SIZES]";
      if (*s == ':') {
         do {
            /* 4K/4K: the same size twice says nothing the first did not
               (accepted without a word until 2026-12-06) */
            static const char *const twice[VT_TLB_NR_SIZES] = {
               "an array names the page size 4K twice",
               "an array names the page size 2M twice",
               "an array names the page size 1G twice" };
            uint8_t one = 0;
            if (!(s = parse_size(s + 1, &one)))
               return "page sizes are 4K, 2M and 1G, joined by '/'";
            for (int k = 0; k < VT_TLB_NR_SIZES; k++)
               if (g->sizes & one & SZ(k))
                  return twice[k];
            g->sizes |= one;
         } while (*s == '/');
      } else {
         g->sizes = ALL_SIZES;
      }
      if (!g->entries || !g->ways || g->entries % g->ways)
         return "ENTRIES must be a non-zero multiple of WAYS";
      if (g->ways > 4096)
         return "at most 4096 ways";
      if (*s == 0)
         return NULL;
      if (*s++ != ',')
         return "arrays are separated by ','";
   }
}

const char *vt_tlb_check(const struct vt_tlb_config *c)
{
   if (!c->lv[VT_TLB_L1D].nr || !c->lv[VT_TLB_L1I].nr)
      return "both first levels (data and instruction) are needed";
   for (int l = 0; l < VT_TLB_NR_LEVELS; l++) {
      unsigned seen = 0;
      for (uint32_t i = 0; i < c->lv[l].nr; i++) {
         if (seen & c->lv[l].a[i].sizes)
            return "a page size is held by two arrays of one level";
         seen |= c->lv[l].a[i].sizes;
      }
   }
   return NULL;
}

/* ---- the arrays --------------------------------------------------------

   An array's sets are rows of `ways` tags, each with the time of its last
   reference (`when`); a hit sets the time, a fill takes an empty way or
   else the least recently used one.  A tag is the page number at its size
   of the address the kernel would use (the VMA's vm_koff added: a huge
   page that Valgrind placed off the kernel's 2 MiB alignment is still one
   2 MiB entry, in the set of its kernel address), shifted, with vm_koff's
   pages and the size in the low bits (so that the entry's pages at
   Valgrind's address can be found again).  A page's `key` is its address
   at 4 KiB with the same low bits: what the filter's slots hold it as.

   The filter may hold every page whose entry is in the first level of its
   side (vt_tlb.h): a reference it absorbs is a hit there, which changes
   nothing but the entry's time.  The inline check writes that time (the
   reference's number, vt_tlb_set_time) into the TLB's stamp beside the
   filter's slot (vt_tlb_stamps); the TLB knows which page each slot's
   stamp is for (`owner`: page | size, set when the filter is given the
   page).  Only a fill needs the order of a set: it takes each way's time
   as the latest of its own and the stamps of the slots that hold its
   pages (`recent`).  A stamp outlives its slot's filter entry: it is then
   older than the entry's next fill, so it never changes the order.  An
   entry that leaves a first level takes its pages out of the filter. */
#define EMPTY (~(vt_u64)0)
#define VT_TLB_KNOWN 4096u  /* slots a kind of the known table (vt_tlb_known_ref) */
#define VT_TLB_CELLS 16u  /* cells of counts not yet added (a power of two) */
#define SUB 5       /* the model's time: reference number << SUB | the page
                       of a straddling access (at most 17 pages) */
static const unsigned size_shift[VT_TLB_NR_SIZES] = { 12, 21, 30 };

struct tarr {
   uint32_t sets, ways;
   uint32_t set_mask;       /* sets - 1 if a power of two, else 0 */
   uint8_t  sizes;
   bool     first;          /* a first level: the filter holds its pages */
   bool     exec;           /* the instruction side's */
   vt_u64  *tag;            /* [sets * ways] */
   vt_u64  *when;           /* [sets * ways] */
};
struct tlevel {
   uint32_t nr;
   struct tarr a[VT_TLB_MAX_ARRAYS];
   struct tarr *by_size[VT_TLB_NR_SIZES];
};
struct vt_tlb {
   /* what every reference reads first (beside the arrays' descriptions,
      not after the tables below: one line fewer to fetch) */
   vt_u64 base;              /* the host's number for this reference << SUB */
   vt_u64 now;               /* the time of the last reference seen */
   struct vt_mm *mm;
   struct tlevel lv[VT_TLB_NR_LEVELS];
   struct vt_tlb_config cfg;
   struct vt_tlb_stats st;
   struct vt_hash counts;    /* scope << 56 | exec << 55 | id -> (misses, walks) */
   struct vt_hash_ent *last_count[VT_TLB_LABEL_PHASE + 1];   /* each scope's last
                                entry counted (if its key still matches) */
   /* The misses and walks not yet added to `counts`: by the mapping and
      side of the last misses, those that had the same (phase, mapping,
      label, side); added when a miss of the cell's has another, and
      before anything reads or moves the counts.  (The process's own are
      `st`'s.) */
   struct cell { vt_u64 phase, mapping, label, miss, walk; bool exec; } cell[VT_TLB_CELLS];
   /* vt_tlb_known_ref: by access kind and slot (one line holds two) */
   struct known {
      vt_u64 key;           /* VT_FILTER_TAG of the page and the epoch's
                               mark (the filter's), or EMPTY */
      vt_pte *ptep;         /* its PTE and mapping (as the filter's
                               vt_filter_where) */
      struct vt_mapping *m;
      uint32_t heat_row;
      uint16_t low;         /* the low bits of its key (its size; vm_koff
                               for a 2 MiB page) */
      uint16_t gen;         /* known_gen when set: an entry of another
                               generation is empty */
   } known[3][VT_TLB_KNOWN];
   uint16_t known_gen;      /* (forgetting everything is a new generation) */
   /* by access kind and filter slot: the number of the last reference the
      filter absorbed there (written by the host's inline check), and the
      page it was to (its key), or EMPTY */
   vt_u64 (*stamp)[VT_FILTER_TLB];   /* the filter's tlb_stamp (in the
                                        host's image, beside its tags: the
                                        inline check's store addresses it
                                        as it does the tag), or own_stamp */
   vt_u64 own_stamp[3][VT_FILTER_TLB];
   vt_u64 owner[3][VT_FILTER_TLB];
};

/* A key's and a tag's low bits: the size (2 bits), vm_koff's pages (9) */
#define LOW_BITS 11
#define LOW_MASK (((vt_u64)1 << LOW_BITS) - 1)
#define KOFF_MASK ((vt_u64)0x1ff << 2)

/* The key of the page at Valgrind's address page, mapped by an entry of
   this size, in a VMA whose vm_koff is koff (reckoned for 2 MiB only: a
   4 KiB page is where it is, and nothing maps 1 GiB). */
static inline vt_u64 key_of(vt_addr page, unsigned size, vt_addr koff)
{
   return page | (size == VT_TLB_2M ? (koff >> VT_PAGE_SHIFT) << 2 : 0) | size;
}

static inline vt_addr koff_of(vt_u64 low) { return ((low & KOFF_MASK) >> 2) << VT_PAGE_SHIFT; }

/* The entry's tag for the page a key names */
static inline vt_u64 tag_of(vt_u64 key)
{
   unsigned size = key & 3;
   return (((key & VT_PAGE_MASK) + koff_of(key)) >> size_shift[size]) << LOW_BITS |
          (key & LOW_MASK);
}

/* The entry's first page at Valgrind's address */
static inline vt_addr va_of(vt_u64 tag)
{
   return ((tag >> LOW_BITS) << size_shift[tag & 3]) - koff_of(tag);
}

static inline uint32_t set_of(const struct tarr *a, vt_u64 tag)
{
   if (a->set_mask || a->sets == 1)
      return (uint32_t)(tag >> LOW_BITS) & a->set_mask;
   return (uint32_t)((tag >> LOW_BITS) % a->sets);
}

/* vm_koff of the VMA at va (0 if none) */
static vt_addr koff_at(const struct vt_mm *mm, vt_addr va)
{
   const struct vt_vma *v = mm ? vt_find_vma(mm, va) : NULL;
   return v ? v->vm_koff : 0;
}

/* The known table's slot: larger than the filter's, as a page the
   filter let go with its first-level entry comes back soon (most of the
   first-level misses), and a page not known takes the walk. */
static inline unsigned known_slot(vt_addr page)
{
   return (unsigned)(page >> VT_PAGE_SHIFT) & (VT_TLB_KNOWN - 1);
}

static inline unsigned slot_of(vt_addr page)
{
   return (unsigned)(page >> VT_PAGE_SHIFT) & (VT_FILTER_TLB - 1);
}

/* The filter's tables a side's pages are in */
static inline unsigned first_kind(bool exec) { return exec ? VT_ACC_EXEC : VT_ACC_READ; }
static inline unsigned last_kind(bool exec) { return exec ? VT_ACC_EXEC : VT_ACC_WRITE; }

/* The entry (tag) left a first level: its pages leave the filter. */
static void entry_gone(struct vt_tlb *t, const struct tarr *a, vt_u64 tag)
{
   struct vt_filter *f = t->mm ? t->mm->filter : NULL;
   if (!a->first || !f)
      return;
   vt_addr va = va_of(tag);
   unsigned size = tag & 3;
   if (size == VT_TLB_4K) {
      vt_filter_drop(f, va, a->exec);
      return;
   }
   vt_addr len = (vt_addr)1 << size_shift[size];
   for (unsigned k = first_kind(a->exec); k <= last_kind(a->exec); k++)
      for (unsigned i = 0; i < VT_FILTER_TLB; i++)
         if (f->tag[k][i] != VT_FILTER_EMPTY && VT_FILTER_TAG_PAGE(f->tag[k][i]) - va < len)
            vt_filter_drop(f, VT_FILTER_TAG_PAGE(f->tag[k][i]), a->exec);
}

static int find(const struct tarr *a, uint32_t set, vt_u64 tag)
{
   const vt_u64 *row = a->tag + (vt_u64)set * a->ways;
   for (uint32_t w = 0; w < a->ways; w++)
      if (row[w] == tag)
         return (int)w;
   return -1;
}

/* The times of a first-level set's entries, with the references the
   filter absorbed (the stamps of the slots their pages are in).  Each way
   by its own entry's size: an array may hold several (the Zen presets'
   first levels hold all three), and a 2 MiB entry's stamps count in a
   set filled with a 4 KiB page as much as in one filled with a 2 MiB
   page. */
static void recent(struct vt_tlb *t, struct tarr *a, uint32_t set)
{
   vt_u64 *row = a->tag + (vt_u64)set * a->ways, *when = a->when + (vt_u64)set * a->ways;
   unsigned k0 = first_kind(a->exec), k1 = last_kind(a->exec);
   bool large = false;
   for (uint32_t w = 0; w < a->ways; w++) {
      if (row[w] == EMPTY)
         continue;
      if ((row[w] & 3) != VT_TLB_4K) {
         large = true;
         continue;
      }
      vt_addr page = va_of(row[w]);
      unsigned i = slot_of(page);
      /* the stamp first: the owner (another line) only if it is later */
      for (unsigned k = k0; k <= k1; k++)
         if (t->stamp[k][i] << SUB > when[w] &&
             t->owner[k][i] == key_of(page, VT_TLB_4K, 0))
            when[w] = t->stamp[k][i] << SUB;
   }
   if (!large)
      return;
   /* larger pages: any slot may hold one of their pages */
   for (unsigned k = k0; k <= k1; k++)
      for (unsigned i = 0; i < VT_FILTER_TLB; i++) {
         vt_u64 o = t->owner[k][i];
         if (o == EMPTY || (o & 3) == VT_TLB_4K || !(a->sizes & SZ(o & 3)) ||
             set_of(a, tag_of(o)) != set)
            continue;
         int w = find(a, set, tag_of(o));
         if (w >= 0 && t->stamp[k][i] << SUB > when[w])
            when[w] = t->stamp[k][i] << SUB;
      }
}

/* Tag into the set: an empty way, else the least recently used one's. */
static void fill(struct vt_tlb *t, struct tarr *a, uint32_t set, vt_u64 tag)
{
   vt_u64 *row = a->tag + (vt_u64)set * a->ways, *when = a->when + (vt_u64)set * a->ways;
   uint32_t v = 0;
   int e = find(a, set, EMPTY);
   if (e >= 0) {
      v = (uint32_t)e;
   } else {
      if (a->first)
         recent(t, a, set);
      for (uint32_t w = 1; w < a->ways; w++)
         if (when[w] < when[v])
            v = w;
      entry_gone(t, a, row[v]);
   }
   row[v] = tag;
   when[v] = t->now;
}

static void remove_way(struct vt_tlb *t, struct tarr *a, uint32_t set, uint32_t w)
{
   vt_u64 *row = a->tag + (vt_u64)set * a->ways;
   vt_u64 tag = row[w];
   row[w] = EMPTY;
   entry_gone(t, a, tag);
}

struct vt_tlb *vt_tlb_new(const struct vt_tlb_config *c)
{
   struct vt_tlb *t = vt_alloc(sizeof *t);
   vt_memset(t, 0, sizeof *t);
   t->cfg = *c;
   vt_hash_init(&t->counts, 256);
   t->known_gen = 1;
   t->stamp = t->own_stamp;
   vt_memset(t->owner, 0xff, sizeof t->owner);
   for (int l = 0; l < VT_TLB_NR_LEVELS; l++) {
      struct tlevel *lv = &t->lv[l];
      lv->nr = c->lv[l].nr;
      for (uint32_t i = 0; i < lv->nr; i++) {
         struct tarr *a = &lv->a[i];
         const struct vt_tlb_geom *g = &c->lv[l].a[i];
         a->ways = g->ways;
         a->sets = g->entries / g->ways;
         a->set_mask = (a->sets & (a->sets - 1)) == 0 ? a->sets - 1 : 0;
         a->sizes = g->sizes;
         a->first = l == VT_TLB_L1D || l == VT_TLB_L1I;
         a->exec = l == VT_TLB_L1I;
         a->tag = vt_alloc((size_t)g->entries * sizeof *a->tag);
         vt_memset(a->tag, 0xff, (size_t)g->entries * sizeof *a->tag);
         a->when = vt_alloc((size_t)g->entries * sizeof *a->when);
         vt_memset(a->when, 0, (size_t)g->entries * sizeof *a->when);
         for (int s = 0; s < VT_TLB_NR_SIZES; s++)
            if (a->sizes & SZ(s))
               lv->by_size[s] = a;
      }
   }
   return t;
}

void vt_tlb_free(struct vt_tlb *t)
{
   if (!t)
      return;
   for (int l = 0; l < VT_TLB_NR_LEVELS; l++)
      for (uint32_t i = 0; i < t->lv[l].nr; i++) {
         vt_free(t->lv[l].a[i].tag);
         vt_free(t->lv[l].a[i].when);
      }
   vt_hash_destroy(&t->counts);
   vt_free(t);
}

void vt_mm_set_tlb(struct vt_mm *mm, struct vt_tlb *t)
{
   mm->tlb = t;
   if (t) {
      t->mm = mm;
      if (mm->filter) {        /* empty, as own_stamp */
         t->stamp = mm->filter->tlb_stamp;
         vt_memset(t->stamp, 0, sizeof mm->filter->tlb_stamp);
      }
   }
}

const struct vt_tlb_stats *vt_tlb_stats(const struct vt_tlb *t) { return &t->st; }
const struct vt_tlb_config *vt_tlb_config(const struct vt_tlb *t) { return &t->cfg; }

vt_u64 *vt_tlb_stamps(struct vt_tlb *t, enum vt_access acc) { return t->stamp[acc]; }

void vt_tlb_set_time(struct vt_mm *mm, vt_u64 n)
{
   if (mm->tlb)
      mm->tlb->base = n << SUB;
}

static struct tlevel *second_level(struct vt_tlb *t, bool exec)
{
   return exec && t->lv[VT_TLB_L2I].nr ? &t->lv[VT_TLB_L2I] : &t->lv[VT_TLB_L2D];
}

/* One reference: 0 a first-level hit, 1 a second-level hit, 2 a walk. */
static unsigned tlb_access(struct vt_tlb *t, vt_u64 key, bool exec, bool count)
{
   unsigned size = key & 3;
   struct tarr *a1 = t->lv[exec ? VT_TLB_L1I : VT_TLB_L1D].by_size[size];
   struct tarr *a2 = second_level(t, exec)->by_size[size];
   vt_u64 tag = tag_of(key);
   uint32_t s1 = 0;
   /* its time: after every earlier one (the host's number, or the next) */
   t->now = t->now + 1 > t->base ? t->now + 1 : t->base;
   if (count)
      t->st.accesses[exec]++;
   if (a1) {
      s1 = set_of(a1, tag);
      int w = find(a1, s1, tag);
      if (w >= 0) {
         a1->when[(vt_u64)s1 * a1->ways + (uint32_t)w] = t->now;
         return 0;
      }
   }
   unsigned r = 2;
   if (a2) {
      uint32_t s2 = set_of(a2, tag);
      int w = find(a2, s2, tag);
      if (w >= 0) {
         r = 1;
         a2->when[(vt_u64)s2 * a2->ways + (uint32_t)w] = t->now;
      } else {
         fill(t, a2, s2, tag);
      }
   }
   if (a1)
      fill(t, a1, s1, tag);
   if (count) {
      t->st.l1_miss[exec]++;
      if (r == 1)
         t->st.l2_hit[exec]++;
      else
         t->st.walks[exec][size]++;
   }
   return r;
}

/* INVLPG: every entry translating va, whatever its size, in every level. */
static void flush_page(struct vt_tlb *t, vt_addr va)
{
   vt_addr koff = koff_at(t->mm, va);
   va &= VT_PAGE_MASK;
   for (int l = 0; l < VT_TLB_NR_LEVELS; l++)
      for (uint32_t i = 0; i < t->lv[l].nr; i++) {
         struct tarr *a = &t->lv[l].a[i];
         for (unsigned s = 0; s < VT_TLB_NR_SIZES; s++)
            if (a->sizes & SZ(s)) {
               vt_u64 tag = tag_of(key_of(va, s, koff));
               uint32_t set = set_of(a, tag);
               int w = find(a, set, tag);
               if (w >= 0)
                  remove_way(t, a, set, (uint32_t)w);
            }
      }
}

/* Everything; the filter's pages too (they were held under entries now
   gone). */
static void flush_all(struct vt_tlb *t)
{
   for (int l = 0; l < VT_TLB_NR_LEVELS; l++)
      for (uint32_t i = 0; i < t->lv[l].nr; i++) {
         struct tarr *a = &t->lv[l].a[i];
         vt_memset(a->tag, 0xff, (size_t)a->sets * a->ways * sizeof *a->tag);
      }
   if (t->mm)
      vt_invalidate(t->mm, 0, (vt_addr)1 << 47);
}

/* The filter is given the page o names (it holds it in the tables res
   allows for the access): the slots' stamps are now this page's. */
static void claim(struct vt_tlb *t, vt_u64 o, enum vt_access acc, unsigned res)
{
   unsigned i = slot_of(o & VT_PAGE_MASK);
   for (unsigned k = VT_ACC_READ; k <= VT_ACC_EXEC; k++) {
      bool given = acc == VT_ACC_EXEC
                      ? k == VT_ACC_EXEC && (res & VT_RES_CACHE_READ)
                      : (k == VT_ACC_READ && (res & VT_RES_CACHE_READ)) ||
                        (k == VT_ACC_WRITE && (res & VT_RES_CACHE_WRITE));
      if (!given || t->owner[k][i] == o)
         continue;
      /* the stamp of the page the slot held goes to its entry, if there */
      vt_u64 old = t->owner[k][i];
      if (old != EMPTY) {
         struct tarr *a = t->lv[k == VT_ACC_EXEC ? VT_TLB_L1I : VT_TLB_L1D].by_size[old & 3];
         if (a) {
            uint32_t set = set_of(a, tag_of(old));
            int w = find(a, set, tag_of(old));
            vt_u64 *when = a->when + (vt_u64)set * a->ways;
            if (w >= 0 && t->stamp[k][i] << SUB > when[w])
               when[w] = t->stamp[k][i] << SUB;
         }
      }
      t->owner[k][i] = o;
      t->stamp[k][i] = 0;
   }
}

/* m: the page's mapping if the caller has it, else NULL */
static bool tlb_ref(struct vt_mm *mm, vt_u64 key, enum vt_access acc, unsigned res,
                    const struct vt_mapping *m)
{
   vt_addr page = key & VT_PAGE_MASK;
   unsigned size = key & 3;
   struct vt_tlb *t = mm->tlb;
   bool exec = acc == VT_ACC_EXEC;
   /* A page fault invalidates the TLB entries of the faulting address
      (Intel SDM vol. 3A, 4.10.4.1); the access is then retried, and its
      miss and walk are the ones counted. */
   if (res & VT_RES_FAULT)
      flush_page(t, page);
   unsigned r = tlb_access(t, key, exec, mm->collecting);
   if (r)
      vt_count_tlb(mm, page, acc, r == 2, m);
   if (!t->lv[exec ? VT_TLB_L1I : VT_TLB_L1D].by_size[size] ||
       !(res & (VT_RES_CACHE_READ | VT_RES_CACHE_WRITE)))
      return false;
   /* in the first level now: the filter may hold it */
   claim(t, key, acc, res);
   return true;
}

bool vt_tlb_ref(struct vt_mm *mm, vt_addr page, enum vt_access acc, unsigned res,
                const vt_pte *ptep, const struct vt_mapping *m)
{
   if (res & VT_RES_INVALID)
      return false;
   vt_pte pte = ptep ? *ptep : vt_get_pte(mm, page);
   if (!(pte & VT_PTE_PRESENT))
      return false;
   return tlb_ref(mm, pte & VT_PTE_HUGE ? key_of(page, VT_TLB_2M, koff_at(mm, page))
                                        : key_of(page, VT_TLB_4K, 0), acc, res, m);
}

void vt_tlb_held_ref(struct vt_mm *mm, vt_addr page, enum vt_access acc, const vt_pte *ptep)
{
   struct vt_tlb *t = mm->tlb;
   unsigned i = slot_of(page), size = (*ptep & VT_PTE_HUGE) ? VT_TLB_2M : VT_TLB_4K;
   if (t->now >= t->base || (t->owner[acc][i] & ~KOFF_MASK) != (page | size)) {
      /* a later page of a straddling access (its time is not the
         reference's number), or not the slot's stamp: the whole way */
      vt_tlb_ref(mm, page, acc, acc == VT_ACC_WRITE ? VT_RES_CACHE_READ | VT_RES_CACHE_WRITE
                                                    : VT_RES_CACHE_READ, ptep, NULL);
      return;
   }
   /* a first-level hit: as the inline check records one */
   t->now = t->base;
   t->stamp[acc][i] = t->base >> SUB;
   if (mm->collecting)
      t->st.accesses[acc == VT_ACC_EXEC]++;
   if (acc == VT_ACC_WRITE)    /* the read table is refilled too */
      claim(t, t->owner[acc][i], acc, VT_RES_CACHE_READ | VT_RES_CACHE_WRITE);
}

static inline vt_u64 mark_of(const struct vt_mm *mm)
{
   return mm->filter ? mm->filter->mark_tag : 0;
}

unsigned vt_tlb_known_ref(struct vt_mm *mm, vt_addr page, enum vt_access acc, bool old,
                          struct vt_filter_where *w)
{
   struct vt_tlb *t = mm->tlb;
   unsigned i = known_slot(page);
   vt_u64 k = page | mark_of(mm);
   struct known *kn = &t->known[acc][i];
   if (kn->key != k || kn->gen != t->known_gen) {
      /* known in an earlier epoch: the page's first reference in this one
         (the entry's rights still hold: invalidations empty the table) */
      if (!old || kn->gen != t->known_gen || kn->key == EMPTY ||
          VT_FILTER_TAG_PAGE(kn->key) != page)
         return 0;
      if (mm->ws)
         vt_wset_ref_row(mm, kn->m, page, kn->ptep, acc, &kn->heat_row);
      kn->key = k;
   }
   w->ptep = kn->ptep;
   w->m = kn->m;
   w->heat_row = kn->heat_row;
   /* what vt_access_at would let the filter cache (without simulations,
      which may take some back: then the reference's kind alone): a data
      reference the write table too if the PTE is writable and dirty */
   unsigned res = acc == VT_ACC_WRITE ? VT_RES_CACHE_WRITE : VT_RES_CACHE_READ;
   if (old && acc != VT_ACC_EXEC &&
       (*kn->ptep & (VT_PTE_WRITE | VT_PTE_DIRTY)) == (VT_PTE_WRITE | VT_PTE_DIRTY))
      res = VT_RES_CACHE_READ | VT_RES_CACHE_WRITE;
   return tlb_ref(mm, page | kn->low, acc, res, kn->m) ? res : VT_RES_FAULT;
}

void vt_tlb_known_set(struct vt_mm *mm, vt_addr page, enum vt_access acc, unsigned res,
                      const struct vt_filter_where *w)
{
   struct vt_tlb *t = mm->tlb;
   if (!(res & (VT_RES_CACHE_READ | VT_RES_CACHE_WRITE)) || !w->ptep)
      return;
   vt_u64 k = page | mark_of(mm);
   uint16_t low = (*w->ptep & VT_PTE_HUGE)
                     ? (uint16_t)key_of(0, VT_TLB_2M, koff_at(mm, page)) : VT_TLB_4K;
   unsigned i = known_slot(page);
   for (unsigned a = VT_ACC_READ; a <= VT_ACC_EXEC; a++) {
      bool known = acc == VT_ACC_EXEC
                      ? a == VT_ACC_EXEC && (res & VT_RES_CACHE_READ)
                      : (a == VT_ACC_READ && (res & VT_RES_CACHE_READ)) ||
                        (a == VT_ACC_WRITE && (res & VT_RES_CACHE_WRITE));
      if (known)
         t->known[a][i] = (struct known){ k, w->ptep, w->m, w->heat_row, low, t->known_gen };
   }
}

void vt_tlb_known_forget(struct vt_mm *mm, vt_addr start, vt_addr end)
{
   struct vt_tlb *t = mm->tlb;
   vt_u64 p0 = start >> VT_PAGE_SHIFT, p1 = (end + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT;
   if (p1 - p0 >= VT_TLB_KNOWN) {
      if (++t->known_gen == 0) {      /* every 65,535 times */
         vt_memset(t->known, 0, sizeof t->known);
         t->known_gen = 1;
      }
      return;
   }
   for (vt_u64 p = p0; p < p1; p++)
      for (unsigned a = 0; a < 3; a++)
         if (VT_FILTER_TAG_PAGE(t->known[a][p & (VT_TLB_KNOWN - 1)].key) == p << VT_PAGE_SHIFT)
            t->known[a][p & (VT_TLB_KNOWN - 1)].key = EMPTY;
}

/* mmu_gather's range: the PTEs present in [start, end), and whether all
   of them are mapped by huge PMDs (then the flush steps 2 MiB at a time:
   tlb_get_unmap_shift). */
struct span { vt_addr lo, hi; bool small; };

static void span_pte(void *ctx, vt_addr addr, vt_pte *ptep)
{
   struct span *s = ctx;
   if (!(*ptep & VT_PTE_PRESENT))
      return;
   if (addr < s->lo)
      s->lo = addr;
   if (addr + VT_PAGE_SIZE > s->hi)
      s->hi = addr + VT_PAGE_SIZE;
   if (!(*ptep & VT_PTE_HUGE))
      s->small = true;
}

void vt_tlb_flush_mapped(struct vt_mm *mm, vt_addr start, vt_addr end)
{
   struct vt_tlb *t = mm->tlb;
   if (!t)
      return;
   struct span s = { EMPTY, 0, false };
   vt_walk_ptes(mm, start, end, span_pte, &s);
   if (s.hi == 0)
      return;               /* nothing was mapped: no flush (tlb->end == 0) */
   unsigned shift = s.small ? VT_PAGE_SHIFT : VT_HPAGE_SHIFT;
   /* huge PMDs: their 2 MiB as the kernel's address aligns them (the
      first VMA's vm_koff) */
   vt_addr koff = s.small ? 0 : koff_at(mm, s.lo);
   vt_addr lo = ((s.lo + koff) >> shift << shift) - koff,
           hi = (((s.hi - 1 + koff) >> shift << shift) - koff) + ((vt_addr)1 << shift);
   /* flush_tlb_mm_range: page by page up to the ceiling, else all */
   if (((hi - lo) >> shift) > VT_TLB_FLUSH_CEILING) {
      if (mm->collecting)
         t->st.flushes_full++;
      flush_all(t);
      return;
   }
   if (mm->collecting)
      t->st.flushes_pages++;
   for (vt_addr a = lo; a < hi; a += (vt_addr)1 << shift)
      flush_page(t, a);
}

void vt_tlb_flush_mm(struct vt_mm *mm)
{
   if (!mm->tlb)
      return;
   if (mm->collecting)
      mm->tlb->st.flushes_full++;
   flush_all(mm->tlb);
}

void vt_tlb_reset(struct vt_mm *mm)
{
   if (!mm->tlb)
      return;
   flush_all(mm->tlb);
   vt_memset(&mm->tlb->st, 0, sizeof mm->tlb->st);
   vt_hash_destroy(&mm->tlb->counts);
   vt_hash_init(&mm->tlb->counts, 256);
   vt_memset(mm->tlb->last_count, 0, sizeof mm->tlb->last_count);
   vt_memset(mm->tlb->cell, 0, sizeof mm->tlb->cell);
}

static inline vt_u64 count_key(enum vt_tlb_scope scope, vt_u64 id, bool exec)
{
   return (vt_u64)scope << 56 | (vt_u64)exec << 55 | id;
}

static void count_add(struct vt_tlb *t, enum vt_tlb_scope scope, vt_u64 id, bool exec,
                      vt_u64 miss, vt_u64 walk)
{
   vt_u64 key = count_key(scope, id, exec);
   struct vt_hash_ent *e = t->last_count[scope];
   /* the same entry as last time if it is still in the table's array and
      holds the key (a growth or a deletion moves entries) */
   if (!e || e < t->counts.e || e > t->counts.e + t->counts.mask || e->key != key) {
      bool added;
      e = t->last_count[scope] = vt_hash_put(&t->counts, key, &added);
   }
   e->val += miss;
   e->aux += walk;
}

/* A cell's misses into the scopes' counts. */
static void cell_flush(struct vt_tlb *t, struct cell *c)
{
   if (!c->miss)
      return;
   bool x = c->exec;
   count_add(t, VT_TLB_PHASE, c->phase, x, c->miss, c->walk);
   if (c->mapping != VT_TLB_NONE)
      count_add(t, VT_TLB_MAPPING, c->mapping, x, c->miss, c->walk);
   if (c->label != VT_TLB_NONE) {
      count_add(t, VT_TLB_LABEL, c->label, x, c->miss, c->walk);
      count_add(t, VT_TLB_LABEL_PHASE, c->label << 24 | c->phase, x, c->miss, c->walk);
   }
   c->miss = c->walk = 0;
}

static void cells_flush(struct vt_tlb *t)
{
   for (unsigned i = 0; i < VT_TLB_CELLS; i++)
      cell_flush(t, &t->cell[i]);
}

void vt_tlb_count_miss(struct vt_mm *mm, vt_u64 phase, vt_u64 mapping, vt_u64 label, bool exec,
                       bool walk)
{
   struct vt_tlb *t = mm->tlb;
   /* the mappings' misses alternate: a cell each, by mapping and side */
   struct cell *c = &t->cell[(mapping * 2 + exec) & (VT_TLB_CELLS - 1)];
   if (c->phase != phase || c->mapping != mapping || c->label != label || c->exec != exec) {
      cell_flush(t, c);
      c->phase = phase;
      c->mapping = mapping;
      c->label = label;
      c->exec = exec;
   }
   c->miss++;
   c->walk += walk;
}

void vt_tlb_counts(const struct vt_mm *mm, enum vt_tlb_scope scope, vt_u64 id,
                   struct vt_tlb_counts *out)
{
   vt_memset(out, 0, sizeof *out);
   if (!mm->tlb)
      return;
   if (scope == VT_TLB_TOTAL) {      /* what the model counted */
      const struct vt_tlb_stats *st = &mm->tlb->st;
      for (int x = 0; x < 2; x++) {
         out->miss[x] = st->l1_miss[x];
         for (int s = 0; s < VT_TLB_NR_SIZES; s++)
            out->walk[x] += st->walks[x][s];
      }
      return;
   }
   cells_flush(mm->tlb);
   for (int x = 0; x < 2; x++) {
      const struct vt_hash_ent *e = vt_hash_get(&mm->tlb->counts, count_key(scope, id, x));
      if (e) {
         out->miss[x] = e->val;
         out->walk[x] = e->aux;
      }
   }
}

void vt_tlb_fold_mapping(struct vt_mm *mm, vt_u64 from, vt_u64 to)
{
   if (!mm->tlb)
      return;
   cells_flush(mm->tlb);
   for (int x = 0; x < 2; x++) {
      struct vt_hash_ent *e = vt_hash_get(&mm->tlb->counts, count_key(VT_TLB_MAPPING, from, x));
      if (!e)
         continue;
      vt_u64 m = e->val, w = e->aux;
      vt_hash_del(&mm->tlb->counts, count_key(VT_TLB_MAPPING, from, x));
      bool added;
      e = vt_hash_put(&mm->tlb->counts, count_key(VT_TLB_MAPPING, to, x), &added);
      e->val += m;
      e->aux += w;
   }
}
