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

/* do_fault_around: map the cached pages of the fault_around_pages-sized,
   equally aligned window around addr, clamped to the VMA and to the PTE
   table, that are not mapped yet. */
static void do_fault_around(struct vt_mm *mm, struct vt_vma *v,
                            struct vt_mapping *m, vt_addr addr, vt_pte *ptep)
{
   vt_u64 nr = mm->cfg.fault_around_pages;
   vt_u64 pte_off = (addr >> VT_PAGE_SHIFT) & (VT_PTRS_PER_TABLE - 1);
   vt_u64 vma_off = (addr - v->vm_start) >> VT_PAGE_SHIFT;
   vt_u64 vma_pages = (v->vm_end - v->vm_start) >> VT_PAGE_SHIFT;
   vt_u64 from = pte_off & ~(nr - 1);
   vt_u64 first_in_vma = pte_off - (pte_off < vma_off ? pte_off : vma_off);
   if (first_in_vma > from)
      from = first_in_vma;
   vt_u64 to = from + nr;
   if (to > VT_PTRS_PER_TABLE)
      to = VT_PTRS_PER_TABLE;
   if (to > pte_off + vma_pages - vma_off)
      to = pte_off + vma_pages - vma_off;
   vt_pte *table = ptep - pte_off;
   vt_addr table_base = addr & ~(((vt_addr)VT_PTRS_PER_TABLE << VT_PAGE_SHIFT) - 1);
   vt_pte fresh = file_read_pte(v);
   for (vt_u64 i = from; i < to; i++) {
      vt_pte pte = table[i];
      if (pte & (VT_PTE_PRESENT | VT_PTE_SWAPPED))
         continue;
      vt_addr a = table_base + (i << VT_PAGE_SHIFT);
      if (!vt_pcache_has(mm, v->vm_file, vt_linear_page_index(v, a)))
         continue;             /* not in the page cache, or beyond EOF */
      table[i] = (pte & VT_PTE_TOUCHED) | fresh;
      vt_rss_add(mm, m, 1);
      vt_file_mapped(v->vm_file, vt_linear_page_index(v, a), 1);
      if (mm->nr_sims && a != (addr & VT_PAGE_MASK))
         vt_mm_sims_ref(mm, v, a, fresh, VT_ACC_READ, -1, true, NULL);
   }
}

/* do_anonymous_page: the first touch of a private anonymous page.  A
   read maps the shared zero page; a write, or any access without the zero
   page, a new zeroed page (writable if the VMA is). */
static enum vt_fault_class do_anonymous_page(struct vt_mm *mm, struct vt_vma *v,
                                             struct vt_mapping *m, vt_pte *ptep,
                                             vt_pte keep, enum vt_access acc)
{
   if (acc != VT_ACC_WRITE && mm->cfg.zero_page) {
      *ptep = keep | VT_PTE_ZERO;
      return VT_FC_ZERO;
   }
   v->vm_flags |= VT_VM_ANON_VMA;
   *ptep = keep | ((v->vm_flags & VT_VM_WRITE) ? VT_PTE_WRITE | VT_PTE_DIRTY : 0);
   vt_rss_add(mm, m, 1);
   return VT_FC_ANON;
}

/* __do_fault's part: find the file page in the page cache.  A regular
   file's page not there is read from the file: a major fault
   (filemap_fault), with read-around of readahead_pages centred on it
   (do_sync_mmap_readahead).  Shared memory's page comes into existence. */
static bool file_page_major(struct vt_mm *mm, struct vt_file *f, vt_u64 pgoff)
{
   bool major = !f->shmem && !vt_pcache_has(mm, f, pgoff);
   if (major) {
      vt_u64 ra = mm->cfg.readahead_pages ? mm->cfg.readahead_pages : 1;
      vt_u64 start = pgoff > ra / 2 ? pgoff - ra / 2 : 0;
      for (vt_u64 p = start; p < start + ra && p < f->size_pages; p++)
         vt_pcache_add(f, p);
   }
   vt_pcache_add(f, pgoff);
   return major;
}

/* do_read_fault: map the page (and, first, the cached pages around it). */
static enum vt_fault_class do_read_fault(struct vt_mm *mm, struct vt_vma *v,
                                         struct vt_mapping *m, vt_addr addr,
                                         vt_pte *ptep, vt_pte keep, bool major)
{
   vt_u64 pgoff = vt_linear_page_index(v, addr);
   if (mm->cfg.fault_around_pages > 1 && !v->vm_file->no_map_pages)  /* should_fault_around */
      do_fault_around(mm, v, m, addr, ptep);
   if (!(*ptep & VT_PTE_PRESENT)) {
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
   v->vm_flags |= VT_VM_ANON_VMA;
   *ptep = keep | VT_PTE_WRITE | VT_PTE_DIRTY;
   return major ? VT_FC_FILE_MAJOR : VT_FC_FILE_COW;
}

/* do_shared_fault: a write to a shared file page not mapped yet: the page
   cache's page, mapped writable and dirty. */
static enum vt_fault_class do_shared_fault(struct vt_mm *mm, struct vt_vma *v,
                                           struct vt_mapping *m, vt_addr addr,
                                           vt_pte *ptep, vt_pte keep, bool major)
{
   vt_rss_add(mm, m, 1);
   *ptep = keep | VT_PTE_FILE | VT_PTE_WRITE | VT_PTE_DIRTY;
   vt_file_mapped(v->vm_file, vt_linear_page_index(v, addr), 1);
   return major ? VT_FC_FILE_MAJOR : VT_FC_FILE_SHARED;
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
      return do_anonymous_page(mm, v, m, ptep, keep, acc);
   bool major = file_page_major(mm, v->vm_file, vt_linear_page_index(v, addr));
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
      v->vm_flags |= VT_VM_ANON_VMA;
      *ptep = (pte & ~(vt_pte)VT_PTE_ZERO) | VT_PTE_WRITE | VT_PTE_DIRTY;
      vt_rss_add(mm, m, 1);
      return VT_FC_WP_COPY;
   }
   if (v->vm_flags & VT_VM_SHARED) {     /* wp_page_shared */
      *ptep = pte | VT_PTE_WRITE | VT_PTE_DIRTY;
      return VT_FC_WP_SHARED;
   }
   if (pte & VT_PTE_FILE) {              /* private copy of a file page */
      vt_file_mapped(v->vm_file, vt_linear_page_index(v, addr), -1);
      v->vm_flags |= VT_VM_ANON_VMA;
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
   if (addr >> 47)
      return bad_access(mm, NULL, addr, acc, VT_INV_UNMAPPED);
   struct vt_vma *v = vt_find_vma_fault(mm, addr);
   if (!v)
      return bad_access(mm, NULL, addr, acc, VT_INV_UNMAPPED);
   if (!access_permitted(v, acc))
      return bad_access(mm, v, addr, acc, VT_INV_PROTECTION);

   struct vt_mapping *m = mm->maps[v->mapping];
   /* A guard marker: handle_pte_marker gives VM_FAULT_SIGSEGV (not
      counted in min_flt), before the file is looked at. */
   if (vt_get_pte(mm, addr) & VT_PTE_GUARD)
      return bad_access(mm, v, addr, acc, VT_INV_GUARD);
   /* A file page beyond the end of the file (shared memory's too): SIGBUS,
      before any page table is allocated for it. */
   if (beyond_eof(v, addr))
      return bad_access(mm, v, addr, acc, VT_INV_BEYOND_EOF);
   vt_pte *ptep = vt_pte_lookup(mm, addr, true);
   int cls = -1;
   if (*ptep & VT_PTE_PRESENT) {
      if (acc == VT_ACC_WRITE && !(*ptep & VT_PTE_WRITE))
         cls = (int)do_wp_page(mm, v, m, addr, ptep);
   } else {
      cls = (int)do_pte_missing(mm, v, m, addr, ptep, acc);
   }

   vt_pte pte = *ptep | VT_PTE_ACCESSED;
   if (acc == VT_ACC_WRITE)
      pte |= VT_PTE_DIRTY;
   bool first = user_ref && !(pte & VT_PTE_TOUCHED);
   if (user_ref)
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
   if (mm->nr_sims)
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
   get_user_pages does; these faults count, but are no references. */
void vt_populate(struct vt_mm *mm, vt_addr start, vt_addr end)
{
   for (uint32_t i = vt_vma_lower(mm, start);
        i < mm->nr_vmas && mm->vmas[i].vm_start < end; i++) {
      vt_addr s = mm->vmas[i].vm_start > start ? mm->vmas[i].vm_start : start;
      vt_addr e = mm->vmas[i].vm_end < end ? mm->vmas[i].vm_end : end;
      uint32_t f = mm->vmas[i].vm_flags;
      if (!(f & VT_VM_PROT_MASK))
         continue;
      enum vt_access acc = (f & (VT_VM_WRITE | VT_VM_SHARED)) == VT_VM_WRITE
                              ? VT_ACC_WRITE : VT_ACC_READ;
      for (vt_addr a = s; a < e; a += VT_PAGE_SIZE) {
         vt_pte pte = vt_get_pte(mm, a);
         if (beyond_eof(&mm->vmas[i], a) || (pte & VT_PTE_GUARD))
            break;           /* __mm_populate ignores the error */
         if ((pte & VT_PTE_PRESENT) &&
             (acc == VT_ACC_READ || (pte & VT_PTE_WRITE)))
            continue;
         vt_do_access(mm, a, acc, false);
         /* the VMA array may have moved (stack growth never happens here) */
      }
   }
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
      if ((pte & VT_PTE_GUARD) || beyond_eof(v, a))
         break;
      if ((pte & VT_PTE_PRESENT) && (!write || (pte & VT_PTE_WRITE)))
         continue;
      vt_do_access(mm, a, acc, false);
   }
   return done;
}

vt_u64 vt_madvise_populate(struct vt_mm *mm, vt_addr start, vt_addr len, bool write)
{
   vt_u64 args_[] = { start, len, write };
   vt_trace_input(mm, VT_TEV_POPULATE, args_, NULL);
   vt_u64 r_;
   VT_API(mm, r_ = madvise_populate_body(mm, start, len, write));
   return r_;
}
