/* fault.c: one memory reference, and the page fault it may take, handled
   the way Linux's handle_mm_fault does (mm/memory.c): do_anonymous_page,
   do_read_fault with fault-around, do_cow_fault, do_shared_fault and
   do_wp_page (wp_page_copy, wp_page_reuse, wp_page_shared).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"
#include "vt_trace.h"

static bool access_permitted(const struct vt_vma *v, enum vt_access acc)
{
   switch (acc) {
   case VT_ACC_WRITE: return (v->vm_flags & VT_VM_WRITE) != 0;
   case VT_ACC_EXEC:  return (v->vm_flags & VT_VM_EXEC) != 0;
   default:           return (v->vm_flags & VT_VM_PROT_MASK) != 0; /* x86 */
   }
}

static bool beyond_eof(const struct vt_vma *v, vt_addr addr)
{
   return v->vm_file && vt_linear_page_index(v, addr) >= v->vm_file->size_pages;
}

/* A write fault on a page of a private file mapping past the end of the
   file is do_cow_fault all the same: vmf_anon_prepare gives the VMA its
   anon_vma before ->fault finds no page (SIGBUS, EFAULT for GUP), and the
   VMA keeps it (fork copies its PTEs after).  tests/kernelfuzz seed 2327,
   test edges/eof-cow. */
static void cow_fault_beyond_eof(struct vt_mm *mm, struct vt_vma *v)
{
   if (!(v->vm_flags & VT_VM_SHARED))
      vt_anon_vma_prepare(mm, v);
}

/* The PTE a file page gets when mapped for reading: read-only for private
   mappings (copy-on-write) and for shared ones with dirty tracking
   (vma_wants_writenotify); writable for shared memory. */
static vt_pte file_read_pte(const struct vt_vma *v)
{
   vt_pte pte = VT_PTE_PRESENT | VT_PTE_USER | VT_PTE_FILE | VT_PTE_ACCESSED;
   if ((v->vm_flags & (VT_VM_SHARED | VT_VM_WRITE)) ==
          (VT_VM_SHARED | VT_VM_WRITE) && v->vm_file->shmem)
      pte |= VT_PTE_WRITE;
   if (v->vm_flags & VT_VM_LOCKED)
      pte |= VT_PTE_LOCKED;
   return pte;
}

/* The kernel's PTE table around an address: the 2 MiB of the VMA's
   address space that the kernel's address (vm_koff reckoned) puts in one
   table.  base is the real address of its first page; slot our PMD entry
   of it when the two coincide (vm_koff a multiple of 2 MiB: always, but
   for a mapping Valgrind placed where the kernel would not), else NULL and
   each entry is looked up in whichever of our two tables holds it. */
struct ktab { vt_addr base; void **slot; };

static struct ktab ktab_of(struct vt_mm *mm, const struct vt_vma *v, vt_addr addr)
{
   struct ktab k;
   k.base = ((addr + v->vm_koff) & VT_HPAGE_MASK) - v->vm_koff;
   k.slot = v->vm_koff ? NULL : vt_pmd_slot(mm, addr);
   return k;
}

/* Entry i of the kernel's table: its value, and a pointer (our table made
   if need be). */
static vt_pte kget(struct vt_mm *mm, const struct ktab *k, vt_u64 i)
{
   if (!k->slot)
      return vt_get_pte(mm, k->base + (i << VT_PAGE_SHIFT));
   vt_pte *p = vt_ptab_entry(k->slot, (unsigned)i, false);
   return p ? *p : 0;
}

static vt_pte *kref(struct vt_mm *mm, const struct ktab *k, vt_u64 i)
{
   return k->slot ? vt_ptab_entry(k->slot, (unsigned)i, true)
                  : vt_pte_lookup(mm, k->base + (i << VT_PAGE_SHIFT), true);
}

/* Whether the folio of nr pages from file page first lies wholly inside
   VMA v and inside the PTE table at table_base: filemap_map_pages then
   maps all of it, even beyond the fault-around window (Linux 6.18). */
static bool folio_fits(const struct vt_vma *v, vt_addr table_base, vt_u64 first, vt_u64 nr)
{
   if (first < v->vm_pgoff)
      return false;
   vt_addr a = v->vm_start + ((first - v->vm_pgoff) << VT_PAGE_SHIFT);
   vt_addr e = a + (nr << VT_PAGE_SHIFT);
   vt_addr table_end = table_base + ((vt_addr)VT_PTRS_PER_TABLE << VT_PAGE_SHIFT);
   return a >= table_base && e <= table_end && a >= v->vm_start && e <= v->vm_end;
}

/* Whether filemap_map_pages may map a folio beyond the window: one that
   reaches the file's last page may not (Linux 6.18: file_end >=
   folio_next_index, file_end the last page's index, so that no PTE maps
   past i_size), shared memory's may. */
static bool folio_before_eof(const struct vt_file *f, vt_u64 first, vt_u64 nr)
{
   return f->shmem || first + nr < f->size_pages;
}

static bool pmd_none(struct vt_mm *mm, const struct ktab *kt);
static bool pte_range_none(struct vt_mm *mm, const struct ktab *kt, unsigned from, unsigned n);

/* do_fault_around -> filemap_map_pages: map the cached pages of the
   fault_around_pages-sized, equally aligned window around addr, clamped
   to the VMA and to the PTE table, that are not mapped yet.  A large folio
   the window reaches is mapped whole when it fits in the VMA and the PTE
   table and ends before the file's last page (else only its pages in the
   window); a folio marked PG_readahead is left for its own fault, which
   goes on with readahead (next_uptodate_folio).  If the first folio found
   reaches the last page, filemap_map_pmd is not called, so where no PTE
   table is installed yet nothing is mapped (finish_fault then maps the
   faulting page's folio).  Returns the number of pages mapped. */
/* do_fault_around's window around addr, in the kernel's VMA kv, whose
   PTE table starts at base: fault_around_pages entries from the aligned
   one, or from kv's first if that is later, ending within kv and the
   table: the table's entries [*from, *to). */
static void fault_around_window(const struct vt_mm *mm, const struct vt_vma *kv,
                                vt_addr base, vt_addr addr, vt_u64 *from, vt_u64 *to)
{
   vt_u64 nr = mm->cfg.fault_around_pages;
   vt_u64 pte_off = (addr - base) >> VT_PAGE_SHIFT;
   vt_u64 vma_off = (addr - kv->vm_start) >> VT_PAGE_SHIFT;
   vt_u64 vma_pages = (kv->vm_end - kv->vm_start) >> VT_PAGE_SHIFT;
   vt_u64 first_in_vma = pte_off - (pte_off < vma_off ? pte_off : vma_off);
   *from = pte_off & ~(nr - 1);
   if (first_in_vma > *from)
      *from = first_in_vma;
   *to = *from + nr;
   if (*to > VT_PTRS_PER_TABLE)
      *to = VT_PTRS_PER_TABLE;
   if (*to > pte_off + vma_pages - vma_off)
      *to = pte_off + vma_pages - vma_off;
}

void vt_fault_around_range(const struct vt_mm *mm, const struct vt_vma *v, vt_addr addr,
                           struct vt_vma *kv, vt_addr *start, vt_addr *end)
{
   vt_addr base = ((addr + v->vm_koff) & VT_HPAGE_MASK) - v->vm_koff;   /* ktab_of */
   vt_u64 from, to;
   vt_kernel_vma(mm, v, kv);
   fault_around_window(mm, kv, base, addr, &from, &to);
   *start = base + (from << VT_PAGE_SHIFT);
   *end = base + (to << VT_PAGE_SHIFT);
}

static vt_u64 do_fault_around(struct vt_mm *mm, struct vt_vma *v,
                              struct vt_mapping *m, vt_addr addr)
{
   struct ktab kt = ktab_of(mm, v, addr);
   /* clamped to the kernel's VMA, which may hold the model's neighbours
      of other mappings (before 2026-12-06 to v alone: tests/kernelfuzz
      seed 2493, 300 steps, FORK 1 OPS 0x1ff, FZNOMREMAP=1, s294: two
      mmaps of the file side by side at following offsets, one VMA
      natively; test edges/around-merged) */
   struct vt_vma kvma;
   vt_kernel_vma(mm, v, &kvma);
   const struct vt_vma *kv = &kvma;
   vt_u64 pte_off = (addr - kt.base) >> VT_PAGE_SHIFT, from, to;
   fault_around_window(mm, kv, kt.base, addr, &from, &to);
   vt_addr table_base = kt.base;
   struct vt_file *f = v->vm_file;
   /* the folios at the window's two ends may reach beyond it (only a
      file with large folios has them) */
   vt_u64 win_from = from, win_to = to, first, fnr;
   bool marked;
   if (f->large_folios && vt_pcache_folio(mm, f, vt_linear_page_index(kv, table_base +
                                                               (from << VT_PAGE_SHIFT)),
                                  &first, &fnr, &marked) &&
       fnr > 1 && folio_fits(kv, table_base, first, fnr) && folio_before_eof(f, first, fnr))
      from = pte_off - (vt_linear_page_index(kv, addr) - first);
   if (f->large_folios && vt_pcache_folio(mm, f, vt_linear_page_index(kv, table_base +
                                                               ((to - 1) << VT_PAGE_SHIFT)),
                                  &first, &fnr, &marked) &&
       fnr > 1 && folio_fits(kv, table_base, first, fnr) && folio_before_eof(f, first, fnr))
      to = pte_off + (first + fnr - vt_linear_page_index(kv, addr));
   if (f->large_folios && pmd_none(mm, &kt))
      for (vt_u64 i = win_from; i < win_to; i++) {
         vt_u64 pgoff = vt_linear_page_index(kv, table_base + (i << VT_PAGE_SHIFT));
         if (!vt_pcache_folio(mm, f, pgoff, &first, &fnr, &marked) || marked)
            continue;
         if (!folio_before_eof(f, first, fnr))
            return 0;                  /* no filemap_map_pmd: no table to map into */
         break;
      }
   vt_pte fresh = file_read_pte(v);
   vt_u64 mapped = 0;
   for (vt_u64 i = from; i < to; i++) {
      vt_pte pte = kget(mm, &kt, i);
      /* only where the PTE is none: a guard marker is not (before
         2026-12-06 the window mapped over it: test edges/guard-around) */
      if (pte & (VT_PTE_PRESENT | VT_PTE_SWAPPED | VT_PTE_GUARD))
         continue;
      vt_addr a = table_base + (i << VT_PAGE_SHIFT);
      vt_u64 pgoff = vt_linear_page_index(kv, a);
      /* the window ends at i_size, for shared memory too, whose pages
         fallocate(FALLOC_FL_KEEP_SIZE) puts beyond it (before 2026-12-06
         the model mapped those: tests/kernelfuzz seed 2786, test
         edges/eof-falloc) */
      if (pgoff >= f->size_pages)
         continue;
      if (!vt_pcache_folio(mm, f, pgoff, &first, &fnr, &marked) || marked)
         continue;             /* not in the page cache, or readahead's mark */
      if ((i < win_from || i >= win_to) &&
          !(folio_fits(kv, table_base, first, fnr) && folio_before_eof(f, first, fnr)))
         continue;
      /* the model's VMA of the page, and its mapping */
      const struct vt_vma *w = a >= v->vm_start && a < v->vm_end ? v : vt_find_vma(mm, a);
      *kref(mm, &kt, i) = (pte & VT_PTE_TOUCHED) | fresh;
      vt_rss_add(mm, w == v ? m : mm->maps[w->mapping], 1);
      vt_file_mapped(f, pgoff, 1);
      mapped++;
      if (a != (addr & VT_PAGE_MASK))
         vt_mm_prefault(mm, w, a, fresh);
   }
   if (!f->shmem)
      vt_pcache_mapped(f, mapped);
   return mapped;
}

/* A read fault on a file page beyond the end of the file: do_read_fault
   runs fault-around before ->fault, and filemap_map_pages maps the cached
   pages of the window up to the end of the file (it clamps there); then
   ->fault finds no page: SIGBUS, counted nowhere.  The pages mapped stay
   mapped (their own touch costs nothing after).  The kernel's PTE table
   is installed only if a page was mapped (filemap_map_pmd, at the first
   page found). */
static void fault_around_beyond_eof(struct vt_mm *mm, struct vt_vma *v, vt_addr addr)
{
   if (mm->cfg.fault_around_pages <= 1 || v->vm_file->sysv_shm)  /* should_fault_around */
      return;
   if (do_fault_around(mm, v, mm->maps[v->mapping], addr))
      vt_kpt_alloc(mm, addr, v->vm_koff);
}

static unsigned anon_folio_order(struct vt_mm *mm, const struct vt_vma *v,
                                 vt_addr addr, const struct ktab *kt);

/* do_anonymous_page: the first touch of a private anonymous page.  A
   read maps the shared zero page; a write, or any access without the zero
   page, a new zeroed page (writable if the VMA is).  With multi-size THP
   the new page is a folio of 2^order pages, all mapped by this one fault
   (the simulations see the others mapped without a reference, as
   fault-around's are). */
static enum vt_fault_class do_anonymous_page(struct vt_mm *mm, struct vt_vma *v,
                                             struct vt_mapping *m, vt_addr addr,
                                             vt_pte *ptep, vt_pte keep,
                                             enum vt_access acc)
{
   if (acc != VT_ACC_WRITE && mm->cfg.zero_page) {
      *ptep = keep | VT_PTE_ZERO;
      return VT_FC_ZERO;
   }
   vt_anon_vma_prepare(mm, v);
   vt_pte fresh = keep | ((v->vm_flags & VT_VM_WRITE) ? VT_PTE_WRITE | VT_PTE_DIRTY : 0);
   unsigned small = (mm->cfg.thp_orders_always | mm->cfg.thp_orders_madvise |
                     mm->cfg.thp_orders_inherit) & ((1u << VT_PMD_ORDER) - 1);
   struct ktab kt = ktab_of(mm, v, addr);
   unsigned order = small ? anon_folio_order(mm, v, addr, &kt) : 0;
   *ptep = fresh;
   vt_rss_add(mm, m, (vt_s64)1 << order);
   if (!order)
      return VT_FC_ANON;
   fresh &= ~(vt_pte)VT_PTE_TOUCHED;
   vt_u64 first = ((addr - kt.base) >> VT_PAGE_SHIFT) & ~(((vt_u64)1 << order) - 1);
   vt_addr base = kt.base + (first << VT_PAGE_SHIFT);
   for (unsigned i = 0; i < 1u << order; i++) {
      vt_pte *p = kref(mm, &kt, first + i);
      if (p == ptep)
         continue;
      *p = (*p & VT_PTE_TOUCHED) | fresh;
      vt_mm_prefault(mm, v, base + ((vt_addr)i << VT_PAGE_SHIFT), fresh);
   }
   return VT_FC_ANON;
}

/* __do_fault's part: find the file page in the page cache.  A regular
   file's page not there (a cold file's, or one the run added to a warm
   file) is read from the file: a major fault (filemap_fault), with
   readahead (pcache.c).  Shared memory's page comes into existence. */
static bool file_page_major(struct vt_vma *v, vt_u64 pgoff)
{
   struct vt_file *f = v->vm_file;
   if (!f->shmem)
      return vt_pcache_fault(f, v, pgoff);
   vt_pcache_add(f, pgoff);
   return false;
}

/* do_set_pmd, from filemap_map_pages (filemap_map_pmd) or finish_fault: a
   PMD-sized page-cache folio whose 2 MiB the kernel's PMD covers exactly
   (thp_vma_suitable_order: the VMA holds it, the file offset is aligned
   as the address), with no PTE table there yet, is mapped by one PMD.
   Not under MADV_NOHUGEPAGE or PR_SET_THP_DISABLE (vma_thp_disabled);
   the sysfs "enabled" setting does not matter: the folio is there
   already.  FilePmdMapped in smaps counts these. */
static bool do_set_pmd(struct vt_mm *mm, struct vt_vma *v, struct vt_mapping *m,
                       vt_addr addr, vt_pte fresh)
{
   struct vt_file *f = v->vm_file;
   vt_u64 first, nr;
   bool marked;
   if (!f->large_folios || mm->cfg.thp_disabled || (v->vm_flags & VT_VM_NOHUGEPAGE))
      return false;
   struct ktab kt = ktab_of(mm, v, addr);
   if (kt.base < v->vm_start || kt.base + VT_HPAGE_SIZE > v->vm_end ||
       !vt_pcache_folio(mm, f, vt_linear_page_index(v, addr), &first, &nr, &marked) ||
       nr != VT_PTRS_PER_TABLE || first != vt_linear_page_index(v, kt.base) ||
       !pmd_none(mm, &kt))
      return false;
   fresh |= VT_PTE_HUGE;
   for (unsigned i = 0; i < VT_PTRS_PER_TABLE; i++) {
      vt_pte *p = kref(mm, &kt, i);
      vt_addr a = kt.base + ((vt_addr)i << VT_PAGE_SHIFT);
      *p = (*p & VT_PTE_TOUCHED) | fresh;
      vt_file_mapped(f, first + i, 1);
      if (a != (addr & VT_PAGE_MASK))
         vt_mm_prefault(mm, v, a, fresh);
   }
   vt_rss_add(mm, m, VT_PTRS_PER_TABLE);
   return true;
}

/* finish_fault for a large page-cache folio (readahead's or a write's):
   all its pages mapped at once, with PTE fresh, where it lies inside the
   VMA and the PTE table, does not pass the end of the file (i_size in
   pages, so unlike filemap_map_pages a folio that ends at the last page
   may) and none of its PTEs maps yet; false (the one page, as for order
   0) otherwise.  For a read fault and for a write fault of a shared
   mapping alike (do_read_fault, do_shared_fault; a private write maps
   its own order-0 copy). */
static bool finish_fault_folio(struct vt_mm *mm, struct vt_vma *v, struct vt_mapping *m,
                               vt_addr addr, vt_pte fresh)
{
   struct vt_file *f = v->vm_file;
   vt_u64 pgoff = vt_linear_page_index(v, addr), first, nr;
   bool marked;
   struct ktab kt = ktab_of(mm, v, addr);
   if (!f->large_folios || !vt_pcache_folio(mm, f, pgoff, &first, &nr, &marked) || nr == 1 ||
       first + nr > f->size_pages || !folio_fits(v, kt.base, first, nr))
      return false;
   vt_u64 at = ((addr - kt.base) >> VT_PAGE_SHIFT) - (pgoff - first);
   if (!pte_range_none(mm, &kt, (unsigned)at, (unsigned)nr))
      return false;
   for (vt_u64 i = at; i < at + nr; i++) {
      vt_pte *p = kref(mm, &kt, i);
      vt_addr a = kt.base + (i << VT_PAGE_SHIFT);
      *p = (*p & VT_PTE_TOUCHED) | fresh;
      vt_file_mapped(f, first + (i - at), 1);
      if (a != (addr & VT_PAGE_MASK))
         vt_mm_prefault(mm, v, a, fresh);
   }
   vt_rss_add(mm, m, (vt_s64)nr);
   return true;
}

/* do_read_fault: map the page (and, first, the cached pages around it). */
static enum vt_fault_class do_read_fault(struct vt_mm *mm, struct vt_vma *v,
                                         struct vt_mapping *m, vt_addr addr,
                                         vt_pte *ptep, vt_pte keep, bool major)
{
   vt_u64 pgoff = vt_linear_page_index(v, addr);
   if (do_set_pmd(mm, v, m, addr, file_read_pte(v)))
      return major ? VT_FC_FILE_MAJOR : VT_FC_FILE_READ;
   if (mm->cfg.fault_around_pages > 1 && !v->vm_file->sysv_shm)  /* should_fault_around */
      do_fault_around(mm, v, m, addr);
   if (!(*ptep & VT_PTE_PRESENT) && !finish_fault_folio(mm, v, m, addr, file_read_pte(v))) {
      *ptep = keep | file_read_pte(v);
      vt_rss_add(mm, m, 1);
      vt_file_mapped(v->vm_file, pgoff, 1);
   }
   return major ? VT_FC_FILE_MAJOR : VT_FC_FILE_READ;
}

/* do_cow_fault: a write to a private file page not mapped yet: a private
   copy, anonymous from now on. */
static enum vt_fault_class do_cow_fault(struct vt_mm *mm, struct vt_vma *v,
                                        struct vt_mapping *m, vt_pte *ptep,
                                        vt_pte keep, bool major)
{
   vt_rss_add(mm, m, 1);
   vt_anon_vma_prepare(mm, v);
   *ptep = keep | VT_PTE_WRITE | VT_PTE_DIRTY;
   return major ? VT_FC_FILE_MAJOR : VT_FC_FILE_COW;
}

/* do_shared_fault: a write to a shared file page not mapped yet: the page
   cache's page, mapped writable and dirty, and with it the rest of a
   large folio (finish_fault maps every page of it writable and dirty,
   set_pte_range, and the whole folio is dirty: a new file written
   through a shared mapping takes one fault a folio of readahead's,
   measured in tests/scenarios/folio.py, folio/fresh). */
static enum vt_fault_class do_shared_fault(struct vt_mm *mm, struct vt_vma *v,
                                           struct vt_mapping *m, vt_addr addr,
                                           vt_pte *ptep, vt_pte keep, bool major)
{
   vt_u64 pgoff = vt_linear_page_index(v, addr);
   vt_pte fresh = file_read_pte(v) | VT_PTE_WRITE | VT_PTE_DIRTY;
   vt_pcache_dirty(v->vm_file, pgoff);       /* fault_dirty_shared_page */
   if (!do_set_pmd(mm, v, m, addr, fresh) && !finish_fault_folio(mm, v, m, addr, fresh)) {
      vt_rss_add(mm, m, 1);
      *ptep = keep | fresh;
      vt_file_mapped(v->vm_file, pgoff, 1);
   }
   return major ? VT_FC_FILE_MAJOR : VT_FC_FILE_SHARED;
}

/* ---- transparent huge pages (mm/huge_memory.c) ------------------------

   A huge PMD is modelled as the PTE table under it with VT_PTE_HUGE in all
   512 entries, each mapping its 4 KiB of the huge page: what counts
   pages (RSS, PSS, the simulations, the sampler) needs no change, and a
   split (vt_split_huge_pmd) only clears the bit. */

/* thp_vma_allowable_orders: the folio orders THP may give a private
   anonymous VMA (none after MADV_NOHUGEPAGE or PR_SET_THP_DISABLE): those
   whose hugepages-<size>kB/enabled is "always", "madvise" if the VMA was
   given MADV_HUGEPAGE, and "inherit" if the top-level setting lets this VMA
   have huge pages ("always", or "madvise" and MADV_HUGEPAGE). */
static unsigned thp_vma_orders(const struct vt_mm *mm, const struct vt_vma *v)
{
   const struct vt_config *c = &mm->cfg;
   if (c->thp_disabled || v->vm_file || (v->vm_flags & (VT_VM_SHARED | VT_VM_NOHUGEPAGE)))
      return 0;
   bool madv = (v->vm_flags & VT_VM_HUGEPAGE) != 0;
   unsigned inherit = c->thp_orders_given ? c->thp_orders_inherit
                                          : 1u << VT_PMD_ORDER;   /* the default */
   unsigned orders = c->thp_orders_always | (madv ? c->thp_orders_madvise : 0u);
   if (c->thp == VT_THP_ALWAYS || (c->thp == VT_THP_MADVISE && madv))
      orders |= inherit;
   return orders;
}

/* thp_vma_suitable_order: the aligned range of 2^order pages around addr
   lies inside the VMA (aligned as the kernel's address: vm_koff). */
static bool thp_suitable(const struct vt_vma *v, vt_addr addr, unsigned order)
{
   vt_addr size = VT_PAGE_SIZE << order;
   vt_addr a = ((addr + v->vm_koff) & ~(size - 1)) - v->vm_koff;
   return a >= v->vm_start && a + size <= v->vm_end;
}

static bool thp_vma_allowable(const struct vt_mm *mm, const struct vt_vma *v,
                              vt_addr addr)
{
   return (thp_vma_orders(mm, v) >> VT_PMD_ORDER & 1) &&
          thp_suitable(v, addr, VT_PMD_ORDER);
}

/* pte_range_none: none of the n PTEs maps, has swapped or holds a guard
   marker (a marker is no pte_none: a guard page keeps huge pages out). */
static bool pte_range_none(struct vt_mm *mm, const struct ktab *kt, unsigned from, unsigned n)
{
   for (unsigned i = from; i < from + n; i++)
      if (kget(mm, kt, i) & (VT_PTE_PRESENT | VT_PTE_SWAPPED | VT_PTE_GUARD))
         return false;
   return true;
}

/* pmd_none: nothing mapped (or swapped) in the table yet.  Once a page of
   the 2 MiB is PTE-mapped, the others fault one by one (until khugepaged
   collapses them, which is not modelled); once they are all zapped again,
   the kernel frees the empty table (6.14's reclaim of empty PTE tables
   on MADV_DONTNEED) and the range can take a huge page again. */
static bool pmd_none(struct vt_mm *mm, const struct ktab *kt)
{
   return pte_range_none(mm, kt, 0, VT_PTRS_PER_TABLE);
}

static bool huge_pmd_none(struct vt_mm *mm, const struct vt_vma *v, vt_addr addr)
{
   struct ktab kt = ktab_of(mm, v, addr);
   return pmd_none(mm, &kt);
}

/* alloc_anon_folio's choice: the largest order below the PMD's allowed
   for the VMA whose aligned range around addr lies inside it with no PTE
   there mapped yet; 0 (one page) if none. */
static unsigned anon_folio_order(struct vt_mm *mm, const struct vt_vma *v,
                                 vt_addr addr, const struct ktab *kt)
{
   unsigned orders = thp_vma_orders(mm, v) & ((1u << VT_PMD_ORDER) - 1);
   unsigned idx = (unsigned)((addr - kt->base) >> VT_PAGE_SHIFT);
   for (unsigned o = VT_PMD_ORDER - 1; orders && o >= 2; o--)
      if ((orders >> o & 1) && thp_suitable(v, addr, o) &&
          pte_range_none(mm, kt, idx & ~((1u << o) - 1), 1u << o))
         return o;
   return 0;
}

/* The 512 PTEs of a huge PMD mapping a new huge page (or the huge zero
   page): fresh in each, the touched bit kept.  A new huge page is resident
   whole: the simulations see its 511 other pages mapped without a
   reference, as fault-around's are. */
static void set_huge_pmd(struct vt_mm *mm, struct vt_vma *v, struct vt_mapping *m,
                         vt_addr addr, vt_pte fresh)
{
   struct ktab kt = ktab_of(mm, v, addr);
   vt_addr haddr = kt.base;
   for (unsigned i = 0; i < VT_PTRS_PER_TABLE; i++) {
      vt_pte *p = kref(mm, &kt, i);
      *p = (*p & VT_PTE_TOUCHED) | fresh;
   }
   if (fresh & VT_PTE_ZERO)
      return;
   vt_rss_add(mm, m, VT_PTRS_PER_TABLE);
   for (unsigned i = 0; i < VT_PTRS_PER_TABLE; i++) {
      vt_addr a = haddr + ((vt_addr)i << VT_PAGE_SHIFT);
      if (a != (addr & VT_PAGE_MASK))
         vt_mm_prefault(mm, v, a, fresh);
   }
}

static vt_pte huge_pte(const struct vt_vma *v, bool zero)
{
   vt_pte pte = VT_PTE_PRESENT | VT_PTE_USER | VT_PTE_ACCESSED | VT_PTE_HUGE;
   if (v->vm_flags & VT_VM_LOCKED)
      pte |= VT_PTE_LOCKED;
   if (zero)
      return pte | VT_PTE_ZERO;
   if (v->vm_flags & VT_VM_WRITE)
      pte |= VT_PTE_WRITE | VT_PTE_DIRTY;       /* maybe_pmd_mkwrite */
   return pte;
}

/* do_huge_pmd_anonymous_page: a read maps the huge zero page when
   use_zero_page is set; otherwise, and on a write, a new huge page. */
static enum vt_fault_class do_huge_pmd_anonymous_page(struct vt_mm *mm, struct vt_vma *v,
                                                      struct vt_mapping *m, vt_addr addr,
                                                      enum vt_access acc)
{
   if (acc != VT_ACC_WRITE && mm->cfg.thp_zero_page) {
      set_huge_pmd(mm, v, m, addr, huge_pte(v, true));
      return VT_FC_THP_ZERO;
   }
   vt_anon_vma_prepare(mm, v);
   set_huge_pmd(mm, v, m, addr, huge_pte(v, false));
   return VT_FC_THP;
}

static enum vt_fault_class do_wp_page(struct vt_mm *mm, struct vt_vma *v,
                                      struct vt_mapping *m, vt_addr addr,
                                      vt_pte *ptep);
static enum vt_fault_class do_pte_missing(struct vt_mm *mm, struct vt_vma *v,
                                          struct vt_mapping *m, vt_addr addr,
                                          vt_pte *ptep, enum vt_access acc);

/* do_huge_pmd_wp_page: a write to a write-protected huge PMD.  The huge
   zero page gives way to a new huge page (do_huge_zero_wp_pmd, Linux
   6.12 on).  A huge page shared copy-on-write since fork is reused whole
   if no other process maps any of it; else the PMD is split and the
   write copies the one 4 KiB page (Linux 5.8 on: no huge copy; measured
   in tests/scenarios/thp.py). */
static enum vt_fault_class do_huge_pmd_wp_page(struct vt_mm *mm, struct vt_vma *v,
                                               struct vt_mapping *m, vt_addr addr,
                                               vt_pte *ptep)
{
   struct ktab kt = ktab_of(mm, v, addr);
   vt_addr haddr = kt.base;
   if (*ptep & VT_PTE_FILE) {
      /* wp_huge_pmd: a file's PMD (copy-on-write or write-notify) is
         split, which for a file unmaps it (__split_huge_pmd_locked), and
         the write faults at PTE level: do_cow_fault or do_shared_fault */
      vt_split_huge_pmd(mm, v, addr);
      return do_pte_missing(mm, v, m, addr, ptep, VT_ACC_WRITE);
   }
   if (*ptep & VT_PTE_ZERO) {
      vt_anon_vma_prepare(mm, v);
      set_huge_pmd(mm, v, m, addr, huge_pte(v, false));
      /* the other 511 pages change identity (zero page to anonymous):
         what a filter holds of them goes */
      vt_invalidate(mm, haddr, haddr + VT_HPAGE_SIZE);
      return VT_FC_THP_WP_ZERO;
   }
   bool shared = false;
   for (unsigned i = 0; i < VT_PTRS_PER_TABLE && !shared; i++) {
      vt_pte pte = kget(mm, &kt, i);
      if (pte & VT_PTE_COW)
         shared = vt_ask_shared(mm, mm->frames[VT_PTE_FRAME(pte)]);
   }
   if (shared) {
      vt_split_huge_pmd(mm, v, addr);
      return do_wp_page(mm, v, m, addr, ptep);
   }
   for (unsigned i = 0; i < VT_PTRS_PER_TABLE; i++) {
      vt_pte *p = kref(mm, &kt, i);
      vt_pte pte = *p;
      if (pte & VT_PTE_COW)
         vt_frame_put(mm, VT_PTE_FRAME(pte));
      *p = (pte & VT_PTE_FLAGS_MASK & ~(vt_pte)VT_PTE_COW) | VT_PTE_WRITE | VT_PTE_DIRTY;
   }
   return VT_FC_THP_WP_REUSE;
}

/* collapse_huge_page, for MADV_COLLAPSE (madvise_collapse: no
   max_ptes_none or max_ptes_shared limit, the sysfs setting ignored): the
   2 MiB of v from base (the kernel's PMD) becomes one new huge page,
   writable and dirty if the VMA is writable; its present pages are copied
   into it (a page shared copy-on-write since fork is this process's no
   more), the others (none, the zero page) come zero-filled.  A PMD mapped
   already counts as done.  It fails, leaving the range as it was, where
   no page is mapped writable (hpage_collapse_scan_pmd: nothing mapped,
   SCAN_PMD_NULL; only the zero page or write-protected pages, as after
   fork, SCAN_PAGE_RO: measured, tests/scenarios/thp.py) and where a page
   is swapped out or a guard marker sits (swap-in and those are not
   modelled).  Returns whether the range is a huge PMD now. */
bool vt_collapse_pmd(struct vt_mm *mm, struct vt_vma *v, vt_addr base)
{
   vt_pte *first = vt_pte_lookup(mm, base, false);
   if (first && (*first & VT_PTE_HUGE) && !(*first & VT_PTE_ZERO))
      return true;                                    /* SCAN_PMD_MAPPED */
   struct ktab kt = { base, NULL };
   bool any = false;
   for (unsigned i = 0; i < VT_PTRS_PER_TABLE; i++) {
      vt_pte pte = kget(mm, &kt, i);
      if (pte & (VT_PTE_SWAPPED | VT_PTE_GUARD))
         return false;
      any |= (pte & (VT_PTE_PRESENT | VT_PTE_ZERO | VT_PTE_WRITE)) ==
             (VT_PTE_PRESENT | VT_PTE_WRITE);
   }
   if (!any)
      return false;
   struct vt_mapping *m = mm->maps[v->mapping];
   vt_tlb_flush_mapped(mm, base, base + VT_HPAGE_SIZE);  /* pmdp_collapse_flush */
   vt_anon_vma_prepare(mm, v);
   vt_pte fresh = huge_pte(v, false);
   for (unsigned i = 0; i < VT_PTRS_PER_TABLE; i++) {
      vt_pte *p = kref(mm, &kt, i);
      vt_pte pte = *p;
      vt_addr a = base + ((vt_addr)i << VT_PAGE_SHIFT);
      if ((pte & VT_PTE_PRESENT) && !(pte & VT_PTE_ZERO)) {
         if (pte & VT_PTE_COW)
            vt_frame_put(mm, VT_PTE_FRAME(pte));
         *p = (pte & VT_PTE_TOUCHED) | fresh;
      } else {
         *p = (pte & VT_PTE_TOUCHED) | fresh;
         vt_rss_add(mm, m, 1);
         vt_mm_prefault(mm, v, a, fresh);
      }
   }
   vt_invalidate(mm, base, base + VT_HPAGE_SIZE);
   return true;
}

/* collapse_file and collapse_pte_mapped_thp, for MADV_COLLAPSE of shared
   memory (a shared mapping of shmem: shared anonymous memory, memfd,
   tmpfs), whatever shmem_enabled says (madvise_collapse forces it): the
   512 pages of the file behind the kernel's PMD at base become one 2 MiB
   folio, the pages that did not exist yet zero-filled, and this process
   maps it by one PMD (ShmemPmdMapped), writable where the mapping is, so
   no later access faults.  Unlike anonymous memory, pages only read
   collapse too (a shmem page read is a page of its own).  It fails where
   none of the 512 pages exists (SCAN_TRUNCATED) and, as anonymous
   collapse, at a swapped-out page or a guard marker.  Measured on Linux
   6.18 with shmem_enabled never: tests/scenarios/thp.py (thp/collapse-shmem). */
bool vt_collapse_shmem_pmd(struct vt_mm *mm, struct vt_vma *v, vt_addr base)
{
   struct vt_file *f = v->vm_file;
   vt_u64 index = vt_linear_page_index(v, base);
   vt_pte *first = vt_pte_lookup(mm, base, false);
   if (first && (*first & VT_PTE_HUGE))
      return true;                                    /* SCAN_PMD_MAPPED */
   struct ktab kt = { base, NULL };
   bool any = false;
   for (unsigned i = 0; i < VT_PTRS_PER_TABLE; i++) {
      vt_pte pte = kget(mm, &kt, i);
      if (pte & (VT_PTE_SWAPPED | VT_PTE_GUARD))
         return false;
      any |= (pte & VT_PTE_PRESENT) || vt_pcache_has(mm, f, index + i);
   }
   if (!any)
      return false;
   struct vt_mapping *m = mm->maps[v->mapping];
   vt_tlb_flush_mapped(mm, base, base + VT_HPAGE_SIZE);
   vt_kpt_alloc(mm, base, v->vm_koff);           /* page cache only: no table yet */
   vt_pte fresh = file_read_pte(v) | VT_PTE_HUGE;
   for (unsigned i = 0; i < VT_PTRS_PER_TABLE; i++) {
      vt_pte *p = kref(mm, &kt, i);
      vt_pte pte = *p;
      vt_addr a = base + ((vt_addr)i << VT_PAGE_SHIFT);
      vt_pcache_add(f, index + i);
      *p = (pte & VT_PTE_TOUCHED) | fresh;
      if (pte & VT_PTE_PRESENT)
         continue;
      vt_rss_add(mm, m, 1);
      vt_file_mapped(f, index + i, 1);
      vt_mm_prefault(mm, v, a, fresh);
   }
   vt_invalidate(mm, base, base + VT_HPAGE_SIZE);
   return true;
}

/* A fault on a PTE that is not present (do_pte_missing). */
static enum vt_fault_class do_pte_missing(struct vt_mm *mm, struct vt_vma *v,
                                          struct vt_mapping *m, vt_addr addr,
                                          vt_pte *ptep, enum vt_access acc)
{
   vt_pte lock = (v->vm_flags & VT_VM_LOCKED) ? VT_PTE_LOCKED : 0;
   vt_pte keep = (*ptep & VT_PTE_TOUCHED) | VT_PTE_PRESENT | VT_PTE_USER |
                 VT_PTE_ACCESSED | lock;
   if (!v->vm_file)
      return do_anonymous_page(mm, v, m, addr, ptep, keep, acc);
   bool major = file_page_major(v, vt_linear_page_index(v, addr));
   if (acc != VT_ACC_WRITE)
      return do_read_fault(mm, v, m, addr, ptep, *ptep & VT_PTE_TOUCHED, major);
   if (!(v->vm_flags & VT_VM_SHARED))
      return do_cow_fault(mm, v, m, ptep, keep, major);
   return do_shared_fault(mm, v, m, addr, ptep, keep, major);
}

/* do_wp_page: a write to a present, write-protected PTE in a VMA that
   allows writing. */
static enum vt_fault_class do_wp_page(struct vt_mm *mm, struct vt_vma *v,
                                      struct vt_mapping *m, vt_addr addr,
                                      vt_pte *ptep)
{
   vt_pte pte = *ptep;
   if (pte & VT_PTE_ZERO) {              /* the zero page: a new page */
      vt_anon_vma_prepare(mm, v);
      *ptep = (pte & ~(vt_pte)VT_PTE_ZERO) | VT_PTE_WRITE | VT_PTE_DIRTY;
      vt_rss_add(mm, m, 1);
      return VT_FC_WP_COPY;
   }
   if (v->vm_flags & VT_VM_SHARED) {     /* wp_page_shared */
      if ((pte & VT_PTE_FILE) && v->vm_file)
         vt_pcache_dirty(v->vm_file, vt_linear_page_index(v, addr));
      *ptep = pte | VT_PTE_WRITE | VT_PTE_DIRTY;
      return VT_FC_WP_SHARED;
   }
   if (pte & VT_PTE_FILE) {              /* private copy of a file page */
      vt_file_mapped(v->vm_file, vt_linear_page_index(v, addr), -1);
      vt_anon_vma_prepare(mm, v);
      *ptep = (pte & ~(vt_pte)VT_PTE_FILE) | VT_PTE_WRITE | VT_PTE_DIRTY;
      return VT_FC_WP_COPY;
   }
   /* An anonymous page shared since fork: copied if another process still
      maps it, else reused in place (wp_can_reuse_anon_folio).  Either way
      this process's hold on the shared frame ends. */
   enum vt_fault_class cls = VT_FC_WP_REUSE;
   if (pte & VT_PTE_COW) {
      uint32_t f = VT_PTE_FRAME(pte);
      if (vt_ask_shared(mm, mm->frames[f]))
         cls = VT_FC_WP_COPY;
      vt_frame_put(mm, f);
   }
   *ptep = (pte & VT_PTE_FLAGS_MASK & ~(vt_pte)VT_PTE_COW) | VT_PTE_WRITE |
           VT_PTE_DIRTY;
   return cls;
}

static unsigned bad_access(struct vt_mm *mm, struct vt_vma *v, vt_addr addr,
                           enum vt_access acc, int reason)
{
   vt_count_fault(mm, v ? mm->maps[v->mapping] : NULL, addr, acc,
                  VT_FC_INVALID, reason);
   return VT_RES_INVALID;
}

unsigned vt_do_access(struct vt_mm *mm, vt_addr addr, enum vt_access acc,
                      bool user_ref)
{
   return vt_access_at(mm, addr, acc, user_ref, NULL);
}

unsigned vt_access_at(struct vt_mm *mm, vt_addr addr, enum vt_access acc,
                      bool user_ref, struct vt_filter_where *where)
{
   if (addr >> 47)
      return bad_access(mm, NULL, addr, acc, VT_INV_UNMAPPED);
   struct vt_vma *v = vt_find_vma_fault(mm, addr);
   if (!v)
      return bad_access(mm, NULL, addr, acc, VT_INV_UNMAPPED);
   if (!access_permitted(v, acc))
      return bad_access(mm, v, addr, acc, VT_INV_PROTECTION);

   struct vt_mapping *m = mm->maps[v->mapping];
   /* A guard marker: handle_pte_marker gives VM_FAULT_SIGSEGV (not
      counted in min_flt), before the file is looked at.  (One walk of the
      tables for both, where the PTE's chunk is made already: this is the
      filter's miss path.) */
   vt_pte *ptep = vt_pte_lookup(mm, addr, false);
   if (ptep && (*ptep & VT_PTE_GUARD))
      return bad_access(mm, v, addr, acc, VT_INV_GUARD);
   /* A file page beyond the end of the file (shared memory's too): SIGBUS,
      before any page table is allocated for it. */
   if (beyond_eof(v, addr)) {
      if (acc != VT_ACC_WRITE)
         fault_around_beyond_eof(mm, v, addr);
      else
         cow_fault_beyond_eof(mm, v);
      return bad_access(mm, v, addr, acc, VT_INV_BEYOND_EOF);
   }
   if (!ptep)
      ptep = vt_pte_lookup(mm, addr, true);
   if (!*ptep)                      /* a PTE set implies its table counted */
      vt_kpt_alloc(mm, addr, v->vm_koff);
   int cls = -1;
   if (*ptep & VT_PTE_PRESENT) {
      if (acc == VT_ACC_WRITE && !(*ptep & VT_PTE_WRITE))
         cls = (int)((*ptep & VT_PTE_HUGE) ? do_huge_pmd_wp_page(mm, v, m, addr, ptep)
                                           : do_wp_page(mm, v, m, addr, ptep));
   } else if (thp_vma_allowable(mm, v, addr) && huge_pmd_none(mm, v, addr)) {
      cls = (int)do_huge_pmd_anonymous_page(mm, v, m, addr, acc);
   } else {
      cls = (int)do_pte_missing(mm, v, m, addr, ptep, acc);
   }

   vt_pte pte = *ptep | VT_PTE_ACCESSED;
   if (acc == VT_ACC_WRITE)
      pte |= VT_PTE_DIRTY;
   /* "Touched": referenced while figures are collected.  A reference
      while collection is paused leaves the bit clear, so the page's first
      collected reference counts it (in the phase and label of then). */
   bool first = user_ref && mm->collecting && !(pte & VT_PTE_TOUCHED);
   if (first)
      pte |= VT_PTE_TOUCHED;
   *ptep = pte;
   if (cls >= 0)
      vt_count_fault(mm, m, addr, acc, (enum vt_fault_class)cls, VT_INV_NONE);
   if (first)
      vt_count_touch(mm, m, addr);
   if (user_ref && mm->ws)
      vt_wset_ref(mm, m, addr, ptep, acc);

   unsigned res = cls >= 0 ? VT_RES_FAULT : 0;
   if (user_ref) {
      res |= VT_RES_CACHE_READ;
      if ((pte & (VT_PTE_WRITE | VT_PTE_DIRTY)) == (VT_PTE_WRITE | VT_PTE_DIRTY))
         res |= VT_RES_CACHE_WRITE;
   }
   if (where) {
      where->ptep = ptep;
      where->m = m;
   }
   if (!user_ref)
      mm->populated++;
   if (vt_mm_sims_on(mm))
      vt_mm_sims_ref(mm, v, addr, pte, acc, cls, false, &res);
   return res;
}

unsigned vt_access(struct vt_mm *mm, vt_addr addr, enum vt_access acc)
{
   return vt_do_access(mm, addr, acc, true);
}

bool vt_access_ok(const struct vt_mm *mm, vt_addr addr, enum vt_access acc)
{
   if (addr >> 47)
      return false;
   uint32_t i = vt_vma_lower(mm, addr);
   if (i >= mm->nr_vmas)
      return false;
   const struct vt_vma *v = &mm->vmas[i];
   if (v->vm_start > addr)            /* a stack grows, or the access fails */
      return (v->vm_flags & VT_VM_GROWSDOWN) != 0;
   return access_permitted(v, acc) && !(vt_get_pte(mm, addr) & VT_PTE_GUARD) &&
          !beyond_eof(v, addr);
}

/* populate_vma_page_range, for mlock, MAP_POPULATE and MAP_LOCKED: fault
   every page in (writing for private writable VMAs, to break COW), as
   get_user_pages does; these faults count, but are no references.  A
   VM_LOCKONFAULT VMA (mlockall(MCL_ONFAULT)) is skipped, MAP_POPULATE or
   not.  Where GUP fails (a VMA without any permission: no FOLL_FORCE for
   it; a page past the end of the file, after its read fault's
   fault-around; a guard marker), __mm_populate
   skips the rest of the VMA when it ignores errors (mmap, mlockall,
   mremap, mprotect); strict (a failed mlock's, ignore_errors = 0), it
   stops there, and false is returned. */
static bool populate(struct vt_mm *mm, vt_addr start, vt_addr end, bool strict)
{
   for (uint32_t i = vt_vma_lower(mm, start);
        i < mm->nr_vmas && mm->vmas[i].vm_start < end; i++) {
      vt_addr s = mm->vmas[i].vm_start > start ? mm->vmas[i].vm_start : start;
      vt_addr e = mm->vmas[i].vm_end < end ? mm->vmas[i].vm_end : end;
      uint32_t f = mm->vmas[i].vm_flags;
      if (f & VT_VM_LOCKONFAULT)
         continue;
      if (!(f & VT_VM_PROT_MASK)) {
         if (strict)
            return false;
         continue;
      }
      enum vt_access acc = (f & (VT_VM_WRITE | VT_VM_SHARED)) == VT_VM_WRITE
                              ? VT_ACC_WRITE : VT_ACC_READ;
      for (vt_addr a = s; a < e; a += VT_PAGE_SIZE) {
         vt_pte pte = vt_get_pte(mm, a);
         if (beyond_eof(&mm->vmas[i], a) || (pte & VT_PTE_GUARD)) {
            if (!(pte & VT_PTE_GUARD) && acc == VT_ACC_READ)
               fault_around_beyond_eof(mm, &mm->vmas[i], a);
            else if (!(pte & VT_PTE_GUARD))
               cow_fault_beyond_eof(mm, &mm->vmas[i]);
            if (strict)
               return false;
            break;           /* __mm_populate ignores the error */
         }
         if ((pte & VT_PTE_PRESENT) &&
             (acc == VT_ACC_READ || (pte & VT_PTE_WRITE)))
            continue;
         vt_do_access(mm, a, acc, false);
         /* the VMA array may have moved (stack growth never happens here) */
      }
   }
   return true;
}

void vt_populate(struct vt_mm *mm, vt_addr start, vt_addr end)
{
   populate(mm, start, end, false);
}

bool vt_populate_strict(struct vt_mm *mm, vt_addr start, vt_addr end)
{
   return populate(mm, start, end, true);
}

/* madvise_populate -> faultin_page_range: get_user_pages from start, a
   page at a time, with FOLL_WRITE for MADV_POPULATE_WRITE: a read fault
   or a write fault on each page not mapped so (a written private page is
   not faulted again; a read finds any present page).  GUP stops at the
   first page it cannot fault in: outside any VMA (it grows no stack), a
   VMA without VM_READ (reading) or VM_WRITE (writing), a guard marker or
   a file page past the end of the file; the call fails there, the pages
   before it populated. */
static vt_u64 madvise_populate_body(struct vt_mm *mm, vt_addr start, vt_addr len,
                                    bool write)
{
   enum vt_access acc = write ? VT_ACC_WRITE : VT_ACC_READ;
   vt_u64 done = 0;
   for (vt_addr a = start; a < start + len; a += VT_PAGE_SIZE, done++) {
      const struct vt_vma *v = vt_find_vma(mm, a);
      if (!v || !(v->vm_flags & (write ? VT_VM_WRITE : VT_VM_READ)))
         break;
      vt_pte pte = vt_get_pte(mm, a);
      if (pte & VT_PTE_GUARD)
         break;
      if (beyond_eof(v, a)) {
         if (!write)
            fault_around_beyond_eof(mm, vt_find_vma_fault(mm, a), a);
         else
            cow_fault_beyond_eof(mm, vt_find_vma_fault(mm, a));
         break;
      }
      if ((pte & VT_PTE_PRESENT) && (!write || (pte & VT_PTE_WRITE)))
         continue;
      vt_do_access(mm, a, acc, false);
   }
   return done;
}

/* get_user_pages with FOLL_PIN, reading (process_vm_readv's remote side):
   a private anonymous page mapped copy-on-write since a fork is not
   exclusive to this process (fork cleared PageAnonExclusive), and a pin
   may not read it so (gup_must_unshare): an unshare fault first, do_wp_page
   with FAULT_FLAG_UNSHARE, counted (a GUP fault, in min_flt): the page is
   copied if another process still maps it (wp_page_copy), else reused
   (wp_can_reuse_anon_folio), and becomes exclusive either way, but its PTE
   stays read-only: the next write still faults (wp_reuse).  Present pages
   only (one not present is faulted in by the read that follows; no
   anonymous page comes of it) and 4 KiB ones (a PMD-mapped THP: not
   modelled). */
static vt_u64 gup_unshare_body(struct vt_mm *mm, vt_addr start, vt_addr len)
{
   vt_u64 n = 0;
   for (vt_addr a = start & VT_PAGE_MASK; a < start + len; a += VT_PAGE_SIZE) {
      struct vt_vma *v = vt_find_vma_fault(mm, a);
      if (!v || v->vm_start > a || (v->vm_flags & VT_VM_SHARED) ||
          !access_permitted(v, VT_ACC_READ))
         continue;
      vt_pte *ptep = vt_pte_lookup(mm, a, false);
      if (!ptep || (*ptep & (VT_PTE_PRESENT | VT_PTE_COW | VT_PTE_HUGE | VT_PTE_FILE |
                             VT_PTE_ZERO)) != (VT_PTE_PRESENT | VT_PTE_COW))
         continue;
      uint32_t f = VT_PTE_FRAME(*ptep);
      enum vt_fault_class cls = vt_ask_shared(mm, mm->frames[f]) ? VT_FC_WP_COPY
                                                                  : VT_FC_WP_REUSE;
      vt_frame_put(mm, f);
      *ptep = (*ptep & VT_PTE_FLAGS_MASK & ~(vt_pte)(VT_PTE_COW | VT_PTE_WRITE)) |
              VT_PTE_ACCESSED;
      vt_count_fault(mm, mm->maps[v->mapping], a, VT_ACC_READ, cls, VT_INV_NONE);
      n++;
   }
   return n;
}

vt_u64 vt_gup_unshare(struct vt_mm *mm, vt_addr start, vt_addr len)
{
   vt_u64 args_[] = { start, len };
   vt_trace_input(mm, VT_TEV_UNSHARE, args_, NULL);
   vt_u64 r_;
   VT_API(mm, r_ = gup_unshare_body(mm, start, len));
   return r_;
}

vt_u64 vt_madvise_populate(struct vt_mm *mm, vt_addr start, vt_addr len, bool write)
{
   vt_u64 args_[] = { start, len, write };
   vt_trace_input(mm, VT_TEV_POPULATE, args_, NULL);
   vt_u64 r_;
   VT_API(mm, r_ = madvise_populate_body(mm, start, len, write));
   return r_;
}
