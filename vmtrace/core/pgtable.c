/* pgtable.c: the shadow page table, a 4-level radix tree like x86-64's
   (PGD, PUD, PMD, PTE: 9+9+9+9 bits of index above the 12-bit page offset),
   built on demand (a PTE table a chunk of 16 entries at a time) and freed
   when no VMA covers a table's range any more (as free_pgtables does).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"

#define TABLE_BYTES (VT_PTRS_PER_TABLE * sizeof(void *))

static inline unsigned level_shift(int level) { return 39 - 9 * level; }
static inline unsigned table_index(vt_addr a, int level)
{
   return (unsigned)(a >> level_shift(level)) & (VT_PTRS_PER_TABLE - 1);
}

static void pt_count(struct vt_mm *mm, int level, int d)
{
   mm->nr_pt[level] += (vt_u64)(vt_s64)d;
   if (mm->nr_pt[level] > mm->peak_pt[level])
      mm->peak_pt[level] = mm->nr_pt[level];
}

void vt_pgtable_init(struct vt_mm *mm)
{
   mm->pgd = vt_alloc(TABLE_BYTES);
   pt_count(mm, 0, 1);
   mm->kpt_last = VT_HASH_EMPTY;
}

/* The PTE tables counted are the kernel's, not ours.  Ours cover our own
   2 MiB ranges; the kernel's cover 2 MiB of its addresses, which for a VMA
   Valgrind placed off the kernel's alignment (vm_koff) lie across two of
   ours: 4 MiB the kernel aligned, all touched, needs 2 tables natively
   and would span 3 of ours.  So the kernel's tables in use are a set, each
   keyed by the page of our address space where it begins (its kernel
   2 MiB boundary less vm_koff: the key tells the vm_koff), made when a PTE
   is first set in it (pte_alloc: a fault, the table deposited with a huge
   PMD, mremap's move, a guard marker) and freed when no VMA of that
   vm_koff reaches into it any more (free_pgtables; VMAs of another vm_koff
   lie elsewhere natively).  With vm_koff 0 everywhere these are exactly
   our tables.  The PMD and upper levels stay ours (vm_koff is reckoned
   modulo 2 MiB only). */
static inline vt_addr kpt_base(vt_addr addr, vt_addr koff)
{
   return ((addr + koff) & VT_HPAGE_MASK) - koff;
}

void vt_kpt_alloc(struct vt_mm *mm, vt_addr addr, vt_addr koff)
{
   vt_u64 key = kpt_base(addr, koff) >> VT_PAGE_SHIFT;
   if (key == mm->kpt_last)
      return;
   if (!mm->kpt.e)
      vt_hash_init(&mm->kpt, 64);
   bool added;
   vt_hash_put(&mm->kpt, key, &added);
   if (added)
      pt_count(mm, 3, 1);
   mm->kpt_last = key;
}

/* Whether a VMA of vm_koff koff reaches into [lo, hi). */
static bool koff_vma_in(const struct vt_mm *mm, vt_addr lo, vt_addr hi, vt_addr koff)
{
   for (uint32_t i = vt_vma_lower(mm, lo); i < mm->nr_vmas && mm->vmas[i].vm_start < hi; i++)
      if (mm->vmas[i].vm_koff == koff)
         return true;
   return false;
}

void vt_kpt_free(struct vt_mm *mm, vt_addr start, vt_addr end, vt_addr koff)
{
   if (!mm->kpt.e || start >= end)
      return;
   /* ka: the kernel's address of each table's start; below koff, the
      table begins below our address 0 (its key wraps, as the sum did) */
   for (vt_addr ka = (start + koff) & VT_HPAGE_MASK; ka < end + koff; ka += VT_HPAGE_SIZE) {
      vt_u64 key = (ka - koff) >> VT_PAGE_SHIFT;
      if (!vt_hash_get(&mm->kpt, key) ||
          koff_vma_in(mm, ka >= koff ? ka - koff : 0, ka + VT_HPAGE_SIZE - koff, koff))
         continue;
      vt_hash_del(&mm->kpt, key);
      pt_count(mm, 3, -1);
      if (key == mm->kpt_last)
         mm->kpt_last = VT_HASH_EMPTY;
   }
}

/* Our PTE tables: vt_internal.h says how they are kept. */
#define CHUNK_BYTES     (2 * VT_PTE_CHUNK * sizeof(vt_pte))
#define NR_CHUNKS       (VT_PTRS_PER_TABLE / VT_PTE_CHUNK)

vt_pte *vt_ptab_chunk_make(void **slot, unsigned c)
{
   vt_pte *k = vt_alloc(CHUNK_BYTES);
   uintptr_t e = (uintptr_t)*slot;
   VT_ASSERT(!((uintptr_t)k & VT_PTAB_ONE_CHUNK) &&
             (uintptr_t)k >> VT_PTAB_CHUNK_NR_SHIFT == 0);
   if (!e) {
      *slot = (void *)((uintptr_t)k | VT_PTAB_ONE_CHUNK |
                       (uintptr_t)c << VT_PTAB_CHUNK_NR_SHIFT);
      return k;
   }
   if (e & VT_PTAB_ONE_CHUNK) {         /* a second chunk: the directory */
      vt_pte **dir = vt_alloc(NR_CHUNKS * sizeof *dir);
      dir[e >> VT_PTAB_CHUNK_NR_SHIFT] = vt_ptab_one_chunk(e);
      *slot = dir;
      e = (uintptr_t)dir;
   }
   ((vt_pte **)e)[c] = k;
   return k;
}

/* A PTE table: its chunks and directory. */
static void table_free(void *pte_table)
{
   uintptr_t e = (uintptr_t)pte_table;
   if (e & VT_PTAB_ONE_CHUNK) {
      vt_free(vt_ptab_one_chunk(e));
      return;
   }
   vt_pte **dir = pte_table;
   for (unsigned c = 0; c < NR_CHUNKS; c++)
      vt_free(dir[c]);
   vt_free(dir);
}

void **vt_pmd_slot(struct vt_mm *mm, vt_addr addr)
{
   void **t = mm->pgd;
   for (int level = 0; level < 2; level++) {
      t = t[table_index(addr, level)];
      if (!t)
         return NULL;
   }
   return &t[table_index(addr, 2)];
}

vt_pte *vt_pte_lookup(struct vt_mm *mm, vt_addr addr, bool alloc)
{
   void **t = mm->pgd;
   for (int level = 0; level < 2; level++) {
      unsigned i = table_index(addr, level);
      if (!t[i]) {
         if (!alloc)
            return NULL;
         t[i] = vt_alloc(TABLE_BYTES);
         pt_count(mm, level + 1, 1);       /* PTE tables: the kernel's (kpt) */
      }
      t = t[i];
   }
   return vt_ptab_entry(&t[table_index(addr, 2)], table_index(addr, 3), alloc);
}

vt_pte vt_get_pte(const struct vt_mm *mm, vt_addr addr)
{
   vt_pte *p = vt_pte_lookup((struct vt_mm *)mm, addr, false);
   return p ? *p : 0;
}

/* __split_huge_pmd: if a huge PMD maps the 2 MiB holding addr, its 512
   pages become PTE-mapped in place (the huge zero page: the zero page in
   every PTE).  What is mapped, resident and writable stays as it was.
   The kernel fills the table it deposited when it mapped the PMD; here
   the table is there all along (see docs/manual.md: page tables).  The
   2 MiB are the kernel's (v's vm_koff reckoned), so they may lie across
   two of our tables.  A file's PMD is not split but unmapped: its pages
   fault in again by PTEs (__split_huge_pmd_locked, !vma_is_anonymous). */
void vt_split_huge_pmd(struct vt_mm *mm, struct vt_vma *v, vt_addr addr)
{
   vt_addr base = ((addr + v->vm_koff) & VT_HPAGE_MASK) - v->vm_koff;
   if (base < v->vm_start || base + VT_HPAGE_SIZE > v->vm_end)
      return;
   vt_pte *t = vt_pte_lookup(mm, base, false);
   if (!t || !(*t & VT_PTE_HUGE))
      return;
   if (*t & VT_PTE_FILE) {
      vt_zap_range(mm, v, base, base + VT_HPAGE_SIZE, true);
      return;
   }
   for (unsigned i = 0; i < VT_PTRS_PER_TABLE; i++)
      *vt_kpte(mm, base, i) &= ~(vt_pte)VT_PTE_HUGE;
}

vt_pte *vt_kpte(struct vt_mm *mm, vt_addr base, unsigned i)
{
   return vt_pte_lookup(mm, base + ((vt_addr)i << VT_PAGE_SHIFT), true);
}

/* The entries [*first, *last) of a table of this level at base that
   [start, end) reaches into (start >= base). */
static void entries_in(int level, vt_addr base, vt_addr start, vt_addr end,
                       unsigned *first, unsigned *last)
{
   unsigned shift = level_shift(level);
   vt_addr span = end - base;
   *first = (unsigned)((start - base) >> shift);
   *last = span >> shift >= VT_PTRS_PER_TABLE ? VT_PTRS_PER_TABLE
         : (unsigned)((span + ((vt_addr)1 << shift) - 1) >> shift);
}

/* The PTEs of the table whose PMD entry is *slot, a chunk at a time (a
   chunk fn makes stays where it is: the next one is looked up afresh). */
static void walk_table(void **slot, vt_addr base, vt_addr start, vt_addr end,
                       vt_pte_fn fn, void *ctx)
{
   unsigned first, last;
   entries_in(3, base, start, end, &first, &last);
   for (unsigned i = first; i < last;) {
      unsigned c_end = (i / VT_PTE_CHUNK + 1) * VT_PTE_CHUNK;
      if (c_end > last)
         c_end = last;
      vt_pte *k = vt_ptab_chunk(slot, i / VT_PTE_CHUNK);
      if (k)
         for (; i < c_end; i++) {
            vt_pte *p = &k[i % VT_PTE_CHUNK];
            if (*p)
               fn(ctx, base + ((vt_addr)i << VT_PAGE_SHIFT), p);
         }
      i = c_end;
   }
}

static void walk(void **t, int level, vt_addr base, vt_addr start,
                 vt_addr end, vt_pte_fn fn, void *ctx)
{
   unsigned first, last;
   entries_in(level, base, start, end, &first, &last);
   for (unsigned i = first; i < last; i++) {
      vt_addr a = base + ((vt_addr)i << level_shift(level));
      if (!t[i])
         continue;
      if (level == 2)
         walk_table(&t[i], a, start > a ? start : a, end, fn, ctx);
      else
         walk(t[i], level + 1, a, start > a ? start : a, end, fn, ctx);
   }
}

void vt_walk_ptes(struct vt_mm *mm, vt_addr start, vt_addr end,
                  vt_pte_fn fn, void *ctx)
{
   if (start < end)
      walk(mm->pgd, 0, 0, start, end, fn, ctx);
}

static void count_huge(void *ctx, vt_addr addr, vt_pte *ptep)
{
   (void)addr;
   if ((*ptep & (VT_PTE_PRESENT | VT_PTE_HUGE | VT_PTE_ZERO)) ==
          (VT_PTE_PRESENT | VT_PTE_HUGE))
      ++*(vt_u64 *)ctx;
}

static void count_file_pmd(void *ctx, vt_addr addr, vt_pte *ptep)
{
   (void)addr;
   if ((*ptep & (VT_PTE_PRESENT | VT_PTE_HUGE | VT_PTE_FILE)) ==
          (VT_PTE_PRESENT | VT_PTE_HUGE | VT_PTE_FILE))
      ++*(vt_u64 *)ctx;
}

static vt_u64 pmd_pages(struct vt_mm *mm, bool shmem)
{
   vt_u64 n = 0;
   for (uint32_t i = 0; i < mm->nr_vmas; i++)
      if (mm->vmas[i].vm_file && mm->vmas[i].vm_file->shmem == shmem)
         vt_walk_ptes(mm, mm->vmas[i].vm_start, mm->vmas[i].vm_end, count_file_pmd, &n);
   return n;
}

vt_u64 vt_file_pmd_pages(struct vt_mm *mm)
{
   return pmd_pages(mm, false);
}

vt_u64 vt_shmem_pmd_pages(struct vt_mm *mm)
{
   return pmd_pages(mm, true);
}

vt_u64 vt_anon_huge_pages(struct vt_mm *mm)
{
   vt_u64 n = 0;
   for (uint32_t i = 0; i < mm->nr_vmas; i++)
      if (!mm->vmas[i].vm_file)
         vt_walk_ptes(mm, mm->vmas[i].vm_start, mm->vmas[i].vm_end, count_huge, &n);
   return n;
}

/* Frees the tables below t (at level+1) whose whole range lies in
   [start, end) as far as the intersection goes and is covered by no VMA. */
static void free_tables(struct vt_mm *mm, void **t, int level, vt_addr base,
                        vt_addr start, vt_addr end)
{
   vt_addr size = (vt_addr)1 << level_shift(level);
   unsigned first, last;
   entries_in(level, base, start, end, &first, &last);
   for (unsigned i = first; i < last; i++) {
      vt_addr a = base + (vt_addr)i * size;
      if (!t[i])
         continue;
      if (level < 2)
         free_tables(mm, t[i], level + 1, a, start > a ? start : a, end);
      if (!vt_vma_intersects(mm, a, a + size)) {
         if (level < 2) {
            void **child = t[i];
            for (unsigned j = 0; j < VT_PTRS_PER_TABLE; j++)
               VT_ASSERT(child[j] == NULL);
            vt_free(t[i]);
            pt_count(mm, level + 1, -1);
         } else {
            table_free(t[i]);
         }
         t[i] = NULL;
      }
   }
}

void vt_free_pgtables(struct vt_mm *mm, vt_addr start, vt_addr end)
{
   if (start < end)
      free_tables(mm, mm->pgd, 0, 0, start, end);
}

static void destroy(void **t, int level)
{
   for (unsigned i = 0; i < VT_PTRS_PER_TABLE; i++)
      if (t[i]) {
         if (level < 2)
            destroy(t[i], level + 1);
         else
            table_free(t[i]);
      }
   vt_free(t);
}

void vt_pgtable_destroy(struct vt_mm *mm)
{
   if (mm->pgd)
      destroy(mm->pgd, 0);
   mm->pgd = NULL;
   if (mm->kpt.e)
      vt_hash_destroy(&mm->kpt);
}
