/* vma.c: the VMAs of an address space and the system calls that change
   them (mmap, munmap, mprotect, mremap, brk, madvise, mlock), as
   mm/mmap.c, mm/mprotect.c, mm/mremap.c and mm/mlock.c do.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"
#include "vt_tlb.h"
#include "vt_trace.h"
#include "vt_sim.h"

/* ---- the sorted VMA array ----------------------------------------- */

/* Index of the first VMA with vm_end > addr (nr_vmas if none). */
uint32_t vt_vma_lower(const struct vt_mm *mm, vt_addr addr)
{
   return vt_first_ending_above(mm->vmas, mm->nr_vmas, sizeof *mm->vmas,
                                offsetof(struct vt_vma, vm_end), addr);
}

bool vt_vma_intersects(const struct vt_mm *mm, vt_addr start, vt_addr end)
{
   uint32_t i = vt_vma_lower(mm, start);
   return i < mm->nr_vmas && mm->vmas[i].vm_start < end;
}

const struct vt_vma *vt_find_vma(const struct vt_mm *mm, vt_addr addr)
{
   uint32_t i = vt_vma_lower(mm, addr);
   if (i < mm->nr_vmas && mm->vmas[i].vm_start <= addr)
      return &mm->vmas[i];
   return NULL;
}

/* The VMA for a fault at addr, growing a stack VMA down to it as
   expand_stack does: the [stack] (no lower than the room Valgrind keeps
   below it, stack_guard_low) or any VMA mapped MAP_GROWSDOWN. */
struct vt_vma *vt_find_vma_fault(struct vt_mm *mm, vt_addr addr)
{
   uint32_t i = vt_vma_lower(mm, addr);
   if (i >= mm->nr_vmas)
      return NULL;
   struct vt_vma *v = &mm->vmas[i];
   if (v->vm_start <= addr)
      return v;
   if (!(v->vm_flags & VT_VM_GROWSDOWN))
      return NULL;
   if (mm->maps[v->mapping]->kind == VT_MK_STACK && addr < mm->stack_guard_low)
      return NULL;
   /* expand_downwards keeps stack_guard_gap (256 pages) between the stack
      and an accessible VMA below it that is not a stack itself. */
   if (i > 0) {
      const struct vt_vma *prev = &mm->vmas[i - 1];
      if ((prev->vm_flags & VT_VM_PROT_MASK) && !(prev->vm_flags & VT_VM_GROWSDOWN) &&
          (addr & VT_PAGE_MASK) < prev->vm_end + (256 << VT_PAGE_SHIFT))
         return NULL;
   }
   if (!v->vm_file)                  /* expand_downwards: pgoff follows */
      v->vm_pgoff -= (v->vm_start - (addr & VT_PAGE_MASK)) >> VT_PAGE_SHIFT;
   v->vm_start = addr & VT_PAGE_MASK;
   struct vt_mapping *m = mm->maps[v->mapping];
   if (v->vm_start < m->start)
      m->start = v->vm_start;
   return v;
}

static void insert_vma(struct vt_mm *mm, uint32_t pos, const struct vt_vma *v)
{
   if (mm->nr_vmas == mm->cap_vmas) {
      uint32_t cap = mm->cap_vmas ? mm->cap_vmas * 2 : 64;
      mm->vmas = vt_realloc_array(mm->vmas, mm->nr_vmas, cap, sizeof *v);
      mm->cap_vmas = cap;
   }
   for (uint32_t j = mm->nr_vmas; j > pos; j--)
      mm->vmas[j] = mm->vmas[j - 1];
   mm->vmas[pos] = *v;
   mm->nr_vmas++;
   struct vt_mapping *m = mm->maps[v->mapping];
   if (m->nr_vmas++ == 0 && m->unmapped_at) {
      m->unmapped_at = 0;                 /* the heap, growing again */
      mm->nr_retired--;
   }
   m->flags_ever |= v->vm_flags;
}

static bool same_key(const struct vt_mapping *a, const struct vt_mapping *b)
{
   return a->kind == b->kind && a->file == b->file &&
          !vt_strcmp(a->name, b->name);
}

/* Folds the retired mappings (not the heap) that share kind, name and file
   into one record each, freeing the others' slots. */
static void fold_retired(struct vt_mm *mm)
{
   uint32_t *aggs = vt_alloc(mm->nr_retired * sizeof *aggs);
   uint32_t nr_aggs = 0;
   for (uint32_t i = 0; i < mm->nr_maps; i++) {
      struct vt_mapping *m = mm->maps[i];
      if (!m || m->nr_vmas || (int32_t)i == mm->heap_vma_map)
         continue;
      uint32_t a = 0;
      while (a < nr_aggs && !same_key(mm->maps[aggs[a]], m))
         a++;
      if (a == nr_aggs) {
         aggs[nr_aggs++] = i;
         continue;
      }
      struct vt_mapping *g = mm->maps[aggs[a]];
      for (int k = 0; k < VT_NR_FC; k++)
         g->c.faults[k] += m->c.faults[k];
      g->c.touched += m->c.touched;
      vt_tlb_fold_mapping(mm, i, aggs[a]);
      g->instances += m->instances;
      vt_wset_rename_mapping(mm, i, aggs[a]);
      for (uint32_t k = 0; k < mm->nr_sims; k++)
         vt_sim_rename_mapping(mm->sims[k], i, aggs[a]);
      g->flags_ever |= m->flags_ever;
      if (m->unmapped_at > g->unmapped_at)
         g->unmapped_at = m->unmapped_at;
      vt_free(m);
      mm->maps[i] = NULL;
      mm->nr_retired--;
      if (mm->nr_free_ids == mm->cap_free_ids) {
         uint32_t cap = mm->cap_free_ids ? mm->cap_free_ids * 2 : 64;
         mm->free_ids = vt_realloc_array(mm->free_ids, mm->nr_free_ids, cap,
                                         sizeof *mm->free_ids);
         mm->cap_free_ids = cap;
      }
      mm->free_ids[mm->nr_free_ids++] = i;
   }
   vt_free(aggs);
   mm->retire_limit = 2 * mm->nr_retired > VT_MAX_RETIRED_MAPPINGS
                         ? 2 * mm->nr_retired : VT_MAX_RETIRED_MAPPINGS;
}

static void remove_vma(struct vt_mm *mm, uint32_t pos)
{
   struct vt_mapping *m = mm->maps[mm->vmas[pos].mapping];
   for (uint32_t j = pos; j + 1 < mm->nr_vmas; j++)
      mm->vmas[j] = mm->vmas[j + 1];
   mm->nr_vmas--;
   if (--m->nr_vmas == 0) {
      m->unmapped_at = mm->now ? mm->now : 1;
      if (++mm->nr_retired > mm->retire_limit)
         fold_retired(mm);
   }
}

/* The huge PMD of VMA v that holds addr, if addr is inside it and not at
   its start (the kernel's address reckoned: vm_koff), is split. */
static void split_straddling_pmd(struct vt_mm *mm, struct vt_vma *v, vt_addr addr)
{
   if ((addr + v->vm_koff) & ~VT_HPAGE_MASK)
      vt_split_huge_pmd(mm, v, addr);
}

/* Splits the VMA containing addr so that a VMA starts at addr; whether
   one was split. */
static bool split_at(struct vt_mm *mm, vt_addr addr)
{
   uint32_t i = vt_vma_lower(mm, addr);
   if (i >= mm->nr_vmas || mm->vmas[i].vm_start >= addr)
      return false;
   /* vma_adjust_trans_huge: no huge PMD straddles a VMA boundary */
   split_straddling_pmd(mm, &mm->vmas[i], addr);
   struct vt_vma hi = mm->vmas[i];
   hi.vm_pgoff += (addr - hi.vm_start) >> VT_PAGE_SHIFT;
   hi.vm_start = addr;
   hi.vm_flags &= ~VT_VM_APART;
   mm->vmas[i].vm_end = addr;
   insert_vma(mm, i + 1, &hi);
   return true;
}

/* ---- the kernel's VMAs and their anon_vma --------------------------- */

/* The model keeps the VMAs of different mappings apart (their figures
   differ) where Linux merges them into one VMA with one anon_vma: a page
   written in one part gives the whole kernel VMA its anon_vma, and a
   mapping merged with a VMA that has one shares it (vma_merge_new_range
   keeps the existing VMA's); a split (munmap, mprotect, mmap over part of
   it) leaves every part with it, and fork copies the PTEs of all of them
   (vma_needs_copy), zero pages read in a part never written too.  So
   VT_VM_ANON_VMA is shared between VMAs side by side that Linux would
   hold as one (try_merge's test without the mapping): before a fork
   (tests/kernelfuzz seed 2029, 150 steps, FORK 1 OPS 0x1ff: a child's
   read of such a zero page, 0 faults natively, 1 here) and before any
   call splits them or takes one away (seed 2046, the same options: an
   mmap merged with a written VMA, another mmap split it off, the child of
   s141 faulted its zero page again). */
/* Whether a private mapping with these flags is accounted
   (accountable_mapping, mprotect_fixup: VM_ACCOUNT): writable, not
   MAP_NORESERVE.  A relro region made read-only keeps it, so it stays
   apart from the read-only data before it (libc's r--p pair, one VMA each
   natively). */
static uint32_t account_flag(uint32_t flags)
{
   return (flags & (VT_VM_SHARED | VT_VM_NORESERVE | VT_VM_WRITE)) == VT_VM_WRITE
          ? VT_VM_ACCOUNT : 0;
}

static bool one_kernel_vma(const struct vt_vma *a,
                           const struct vt_vma *b)
{
   /* (not vm_koff: the model's guess of where the kernel put a mapping
      may differ between two MAP_FIXED ones that are adjacent natively;
      a VMA with an anon_vma merges with one without:
      is_mergeable_anon_vma).  The page offsets must follow on, for
      anonymous VMAs too (their vm_pgoff: below); before 2026-12-06 the
      model ignored them there. */
   if (a->vm_end != b->vm_start || (b->vm_flags & VT_VM_APART) ||
       ((a->vm_flags ^ b->vm_flags) & ~(VT_VM_ANON_VMA | VT_VM_APART)) ||
       a->vm_file != b->vm_file ||
       /* each shmat makes a struct file of its own (do_shmat) */
       (a->vm_file && a->vm_file->sysv_shm && a->mapping != b->mapping) ||
       (a->anon_vma && b->anon_vma && a->anon_vma != b->anon_vma))
      return false;
   return a->vm_pgoff + ((a->vm_end - a->vm_start) >> VT_PAGE_SHIFT) == b->vm_pgoff;
}

/* The kernel's VMA that holds model VMA v: v with its neighbours Linux
   holds as one with it (the model keeps different mappings apart), those
   placed alike (vm_koff: the same page tables), as a VMA of its own in
   *kv: its start, end and page offset (flags, file and the rest v's). */
void vt_kernel_vma(const struct vt_mm *mm, const struct vt_vma *v, struct vt_vma *kv)
{
   uint32_t i = (uint32_t)(v - mm->vmas), lo = i, hi = i;
   while (lo > 0 && mm->vmas[lo - 1].vm_koff == v->vm_koff &&
          one_kernel_vma(&mm->vmas[lo - 1], &mm->vmas[lo]))
      lo--;
   while (hi + 1 < mm->nr_vmas && mm->vmas[hi + 1].vm_koff == v->vm_koff &&
          one_kernel_vma(&mm->vmas[hi], &mm->vmas[hi + 1]))
      hi++;
   *kv = *v;
   kv->vm_start = mm->vmas[lo].vm_start;
   kv->vm_end = mm->vmas[hi].vm_end;
   kv->vm_pgoff = mm->vmas[lo].vm_pgoff;
}

/* Merges VMA i with VMA i+1 when Linux would see one VMA (vma_merge),
   keeping apart VMAs of different mappings, whose figures differ (and
   thereby the model's placements of them, vm_koff). */
static bool try_merge(struct vt_mm *mm, uint32_t i)
{
   if (i + 1 >= mm->nr_vmas)
      return false;
   struct vt_vma *a = &mm->vmas[i], *b = &mm->vmas[i + 1];
   if (a->mapping != b->mapping || a->vm_koff != b->vm_koff || !one_kernel_vma(a, b))
      return false;
   a->vm_end = b->vm_end;
   a->vm_flags |= b->vm_flags;
   if (!a->anon_vma)
      a->anon_vma = b->anon_vma;
   remove_vma(mm, i + 1);
   return true;
}

/* Whether Linux would let VMA b reuse a's anon_vma, a its neighbour
   (anon_vma_compatible: side by side, the same file and following
   offsets, flags alike but for the access ones). */
static bool anon_vma_compatible(const struct vt_vma *a, const struct vt_vma *b)
{
   const struct vt_vma *lo = a->vm_start < b->vm_start ? a : b, *hi = lo == a ? b : a;
   return lo->vm_end == hi->vm_start && lo->vm_file == hi->vm_file &&
          !((lo->vm_flags ^ hi->vm_flags) & ~(VT_VM_PROT_MASK | VT_VM_ANON_VMA | VT_VM_APART)) &&
          lo->vm_pgoff + ((lo->vm_end - lo->vm_start) >> VT_PAGE_SHIFT) == hi->vm_pgoff;
}

/* anon_vma_prepare: v's first anonymous page gives it an anon_vma: that
   of the kernel's VMA it is part of (a neighbour of another mapping that
   Linux holds as one with it), else a compatible neighbour's
   (find_mergeable_anon_vma), else a new one.  Before 2026-12-06 the model
   knew only whether a VMA had one, and merged two VMAs that had each
   their own (tests/kernelfuzz seed 2456, 300 steps, FORK 1 OPS 0x1ff,
   FZNOMREMAP=1: a VMA split by mlock, each part written, stayed two
   natively once alike again; test edges/anon-vma-apart). */
void vt_anon_vma_prepare(struct vt_mm *mm, struct vt_vma *v)
{
   if (v->anon_vma) {
      v->vm_flags |= VT_VM_ANON_VMA;
      return;
   }
   uint32_t i = (uint32_t)(v - mm->vmas), id = 0;
   for (uint32_t j = i; !id && j > 0 && one_kernel_vma(&mm->vmas[j - 1], &mm->vmas[j]); j--)
      id = mm->vmas[j - 1].anon_vma;
   for (uint32_t j = i; !id && j + 1 < mm->nr_vmas &&
        one_kernel_vma(&mm->vmas[j], &mm->vmas[j + 1]); j++)
      id = mm->vmas[j + 1].anon_vma;
   if (!id && i + 1 < mm->nr_vmas && anon_vma_compatible(v, &mm->vmas[i + 1]))
      id = mm->vmas[i + 1].anon_vma;
   if (!id && i > 0 && anon_vma_compatible(&mm->vmas[i - 1], v))
      id = mm->vmas[i - 1].anon_vma;
   v->anon_vma = id ? id : ++mm->anon_vma_seq;
   v->vm_flags |= VT_VM_ANON_VMA;
}

/* Shares VT_VM_ANON_VMA within each run of VMAs Linux holds as one that
   has a VMA in [start, end] (a run reaching outside it included). */
void vt_share_anon_vma(struct vt_mm *mm, vt_addr start, vt_addr end)
{
   uint32_t i = vt_vma_lower(mm, start);
   while (i > 0 && i < mm->nr_vmas && one_kernel_vma(&mm->vmas[i - 1], &mm->vmas[i]))
      i--;
   while (i < mm->nr_vmas && mm->vmas[i].vm_start <= end) {
      uint32_t j = i + 1, id = mm->vmas[i].anon_vma;
      /* (a run ends at a second anon_vma: one_kernel_vma is pairwise) */
      while (j < mm->nr_vmas && one_kernel_vma(&mm->vmas[j - 1], &mm->vmas[j]) &&
             !(id && mm->vmas[j].anon_vma && mm->vmas[j].anon_vma != id)) {
         if (!id)
            id = mm->vmas[j].anon_vma;
         j++;
      }
      if (id)
         for (uint32_t k = i; k < j; k++) {
            mm->vmas[k].vm_flags |= VT_VM_ANON_VMA;
            mm->vmas[k].anon_vma = id;
         }
      i = j;
   }
}

/* After [start, end) changed flags: merge every VMA there with its
   neighbours, as mprotect_fixup and mlock_fixup do. */
static void merge_range(struct vt_mm *mm, vt_addr start, vt_addr end)
{
   uint32_t i = vt_vma_lower(mm, start);
   if (i > 0)
      i--;
   while (i + 1 < mm->nr_vmas && mm->vmas[i].vm_start <= end)
      if (!try_merge(mm, i))
         i++;
}

/* ---- zapping PTEs --------------------------------------------------- */

struct zap_ctx { struct vt_mm *mm; struct vt_mapping *m; bool keep;
                 const struct vt_vma *v; bool file_only; };

static void zap_one(void *vctx, vt_addr addr, vt_pte *ptep)
{
   struct zap_ctx *z = vctx;
   vt_pte pte = *ptep;
   /* zap_details.even_cows false: a private mapping's copies stay */
   if (z->file_only && (pte & (VT_PTE_PRESENT | VT_PTE_FILE)) != (VT_PTE_PRESENT | VT_PTE_FILE))
      return;
   if ((pte & VT_PTE_PRESENT) && !(pte & VT_PTE_ZERO))
      vt_rss_add(z->mm, z->m, -1);
   if (pte & VT_PTE_COW)
      vt_frame_put(z->mm, VT_PTE_FRAME(pte));
   if ((vt_mm_sims_on(z->mm) || z->mm->replay) && (pte & VT_PTE_PRESENT))
      vt_mm_sims_drop(z->mm, z->v, addr, pte);
   if ((pte & (VT_PTE_PRESENT | VT_PTE_FILE)) == (VT_PTE_PRESENT | VT_PTE_FILE) &&
       z->v->vm_file)
      vt_file_mapped(z->v->vm_file, vt_linear_page_index(z->v, addr), -1);
   if (!z->keep)
      vt_wset_forget(z->mm, ptep);
   /* A zap keeps guard markers; only unmapping drops them
      (ZAP_FLAG_DROP_MARKER). */
   *ptep = z->keep ? (pte & (VT_PTE_TOUCHED | VT_PTE_GUARD)) : 0;
}

static void zap_range(struct vt_mm *mm, struct vt_vma *vma, vt_addr start, vt_addr end,
                      bool keep_touched, bool file_only)
{
   struct zap_ctx z = { mm, mm->maps[vma->mapping], keep_touched, vma, file_only };
   /* zap_pmd_range: a huge PMD the range covers only in part is split
      first; one it covers whole goes whole (zap_huge_pmd). */
   split_straddling_pmd(mm, vma, start);
   split_straddling_pmd(mm, vma, end);
   vt_walk_ptes(mm, start, end, zap_one, &z);
   vt_invalidate(mm, start, end);
}

void vt_zap_range(struct vt_mm *mm, struct vt_vma *vma, vt_addr start,
                  vt_addr end, bool keep_touched)
{
   zap_range(mm, vma, start, end, keep_touched, false);
}

/* ---- files ---------------------------------------------------------- */

/* The file known by (dev, ino), or NULL (an unnamed one, 0 and 0, is
   never found: each is its own). */
static struct vt_file *file_of(struct vt_mm *mm, vt_u64 dev, vt_u64 ino)
{
   struct vt_file *f = mm->files;
   while (f && !((dev || ino) && f->dev == dev && f->ino == ino))
      f = f->next;
   return f;
}

struct vt_file *vt_file_find(struct vt_mm *mm, vt_u64 dev, vt_u64 ino)
{
   return file_of(mm, dev, ino);
}

struct vt_file *vt_file_get(struct vt_mm *mm, vt_u64 dev, vt_u64 ino,
                            const char *path, vt_u64 size_bytes, bool shmem)
{
   vt_u64 pages = (size_bytes + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT;
   struct vt_file *f = file_of(mm, dev, ino);
   if (f) {
      /* grown where the run did not see it (another process): its new
         pages are taken as warm, as the file's were, unless the run has
         added some itself */
      if (f->warm_pages == f->size_pages && !f->shmem && !f->cold)
         f->warm_pages = pages;
      f->size_pages = pages;
      return f;
   }
   f = vt_alloc(sizeof *f);
   f->dev = dev;
   f->ino = ino;
   f->size_pages = pages;
   f->path = vt_strdup(path ? path : "");
   f->shmem = shmem;
   f->cold = !shmem && mm->cfg.cold_cache;
   f->large_folios = f->cold;
   /* the warm page cache holds what the file had when the run met it */
   f->warm_pages = shmem || f->cold ? 0 : pages;
   f->ra.ra_pages = f->ra.bdi_ra_pages = mm->cfg.readahead_pages;   /* file_ra_state_init */
   if (shmem && vt_host->shmem_new_gid)
      f->gid = vt_host->shmem_new_gid(vt_host_ctx);
   f->seq = mm->nr_files_made++;
   f->next = mm->files;
   mm->files = f;
   return f;
}

static void file_resize_body(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, vt_u64 size_bytes)
{
   struct vt_file *f = file_of(mm, dev, ino);
   if (!f)
      return;
   vt_u64 pages = (size_bytes + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT;
   vt_u64 old = f->size_pages;
   f->size_pages = pages;
   if (pages != old)
      vt_tell_file_resized(mm, f, pages);
   /* the pages a truncation removes are new if they come back (a hole) */
   if (f->warm_pages > pages)
      f->warm_pages = pages;
   if (pages > f->warm_pages && !f->shmem && !f->cold)
      mm->fresh_files = true;
   if (pages >= old)
      return;
   /* shmem_setattr -> shmem_truncate_range: the pages past the end are
      gone for every process, not only from this one's view */
   vt_tell_shmem_removed(mm, f, pages, old);
   for (uint32_t i = 0; i < mm->nr_vmas; i++) {
      struct vt_vma *v = &mm->vmas[i];
      if (v->vm_file != f)
         continue;
      vt_u64 last = vt_linear_page_index(v, v->vm_end - VT_PAGE_SIZE);
      if (last < pages)
         continue;
      vt_addr from = v->vm_pgoff >= pages ? v->vm_start
                   : v->vm_start + ((pages - v->vm_pgoff) << VT_PAGE_SHIFT);
      vt_zap_range(mm, v, from, v->vm_end, true);
   }
   vt_hash_del_from(&f->falloc, pages);
   vt_hash_del_from(&f->cache, pages);
}

void vt_file_resize(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, vt_u64 size_bytes)
{
   vt_u64 args_[] = { dev, ino, size_bytes };
   vt_trace_input(mm, VT_TEV_RESIZE, args_, NULL);
   VT_API(mm, file_resize_body(mm, dev, ino, size_bytes));
}

void vt_file_grown(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, const char *path,
                   vt_u64 old_bytes, vt_u64 new_bytes)
{
   if (!file_of(mm, dev, ino)) {
      if (mm->cfg.cold_cache || new_bytes <= old_bytes)
         return;                 /* nothing of it known, nothing to know */
      vt_trace_file(mm, vt_file_get(mm, dev, ino, path, old_bytes, false));
   }
   vt_file_resize(mm, dev, ino, new_bytes);
}

struct vt_file *vt_file_new_shmem(struct vt_mm *mm, const char *name,
                                  vt_u64 size_bytes)
{
   return vt_file_get(mm, 0, 0, name, size_bytes, true);
}

/* ---- mappings ------------------------------------------------------- */

static struct vt_mapping *new_mapping(struct vt_mm *mm, vt_addr start,
                                      vt_addr end, enum vt_map_kind kind,
                                      struct vt_file *file, vt_u64 pgoff,
                                      const char *name)
{
   uint32_t id;
   if (mm->nr_free_ids) {
      id = mm->free_ids[--mm->nr_free_ids];
   } else {
      if (mm->nr_maps == mm->cap_maps) {
         uint32_t cap = mm->cap_maps ? mm->cap_maps * 2 : 64;
         mm->maps = vt_realloc_array(mm->maps, mm->nr_maps, cap, sizeof *mm->maps);
         mm->cap_maps = cap;
      }
      id = mm->nr_maps++;
   }
   struct vt_mapping *m = vt_alloc(sizeof *m);
   m->id = id;
   m->instances = 1;
   m->start = start;
   m->end = end;
   m->kind = kind;
   m->file = file;
   m->pgoff = pgoff;
   m->name = name;
   m->created_at = mm->now;
   mm->maps[id] = m;
   return m;
}

static enum vt_map_kind infer_kind(struct vt_mm *mm, const struct vt_mmap_req *r)
{
   if (r->file && r->file->shmem && (r->vm_flags & VT_VM_SHARED))
      return VT_MK_SHM;
   if (r->file)
      return (r->vm_flags & VT_VM_EXEC) ? VT_MK_TEXT
           : ((r->vm_flags & VT_VM_WRITE) && !(r->vm_flags & VT_VM_SHARED))
              ? VT_MK_DATA : VT_MK_FILE;
   /* The loader's bss: anonymous memory it places (MAP_FIXED, or a
      startup segment) right after a file's data segment.  Memory the
      kernel placed there by chance is anonymous memory like any other. */
   uint32_t i = vt_vma_lower(mm, r->start);
   if (r->fixed && i > 0 && mm->vmas[i - 1].vm_end == r->start &&
       mm->maps[mm->vmas[i - 1].mapping]->kind == VT_MK_DATA)
      return VT_MK_BSS;
   return VT_MK_ANON;
}

/* Where the kernel would have put the mapping, as vm_koff (see struct
   vt_vma): __get_unmapped_area on Linux 6.18, measured on ext4, tmpfs and
   memfd by tests/native/run (test_kernel_placement).  A private anonymous mapping whose length
   is a multiple of 2 MiB, asked for without a hint, is 2 MiB-aligned
   (thp_get_unmapped_area_vmflags); a file whose get_unmapped_area is
   thp_get_unmapped_area (ext4, xfs, btrfs; regular files here) sits at an
   address congruent to its offset modulo 2 MiB when the mapping holds a
   whole 2 MiB-aligned stretch of the file (__thp_get_unmapped_area) and
   the kernel did not meet a hint; shared memory (shmem_get_unmapped_area)
   aligns only when its huge pages are enabled (not modelled: 0).  Memory
   placed MAP_FIXED lies where the caller put it, over what was there: the
   loader's segments over the span it reserved (a file) keep that
   reservation's offset.  Over anonymous memory (a reservation) at an
   address the caller rounded up to a power of two of 64 KiB or more from
   the start of a reservation the kernel would have aligned, the caller
   aligned it itself: natively the kernel's placement had made that start
   aligned already and the rounding moved nothing, so the new mapping is
   where the reservation's start would have been (at a 2 MiB boundary:
   offset 0). */
static uint32_t kernel_placement(struct vt_mm *mm, const struct vt_mmap_req *r)
{
   const vt_addr hmask = VT_HPAGE_SIZE - 1;
   if (r->fixed) {
      uint32_t i = vt_vma_lower(mm, r->start);
      if (i >= mm->nr_vmas || mm->vmas[i].vm_start >= r->start + r->len)
         return 0;
      const struct vt_vma *w = &mm->vmas[i];
      if (w->vm_file || w->vm_start >= r->start)
         return w->vm_koff;
      vt_addr d = r->start - w->vm_start, align = r->start & -r->start;
      if (!(r->start & hmask))
         return 0;
      if (w->vm_koff && align >= ((vt_addr)1 << 16) && d < align)
         return (uint32_t)((w->vm_koff - d) & hmask);
      return w->vm_koff;
   }
   if (r->hint)
      return 0;
   if (!r->file)
      return (r->len & hmask) ? 0 : (uint32_t)(-r->start & hmask);
   if (r->file->shmem)
      return 0;
   vt_addr off = r->pgoff << VT_PAGE_SHIFT, off_end = off + r->len;
   vt_addr off_align = (off + hmask) & ~hmask;
   if (off_end <= off_align || off_end - off_align < VT_HPAGE_SIZE)
      return 0;
   return (uint32_t)((off - r->start) & hmask);
}

static int mmap_body(struct vt_mm *mm, const struct vt_mmap_req *r)
{
   vt_addr start = r->start, end = r->start + r->len;
   if (r->len == 0 || (start & ~VT_PAGE_MASK) || (end & ~VT_PAGE_MASK) ||
       end < start)
      return -1;
   uint32_t koff = kernel_placement(mm, r);
   vt_munmap(mm, start, r->len);
   enum vt_map_kind kind = r->kind == VT_NR_MK ? infer_kind(mm, r) : r->kind;
   const char *name = r->name;
   if (!name)
      name = kind == VT_MK_HEAP ? "[heap]" : kind == VT_MK_STACK ? "[stack]"
           : (r->file && !(r->file->shmem && !r->file->ino)) ? r->file->path
           : "";
   struct vt_mapping *m = new_mapping(mm, start, end, kind, r->file, r->pgoff,
                                      name);
   /* An anonymous VMA's vm_pgoff is its address in pages (mmap_region),
      as the kernel has it: two VMAs side by side are one only where
      their offsets follow on (an anonymous VMA moved by mremap keeps its
      own once it has an anon_vma: mremap_body). */
   struct vt_vma v = { start, end, r->vm_flags | mm->def_flags | account_flag(r->vm_flags), r->file,
                       r->file ? r->pgoff : start >> VT_PAGE_SHIFT, m->id, koff, 0 };
   uint32_t at = vt_vma_lower(mm, start);
   insert_vma(mm, at, &v);
   if (at + 1 < mm->nr_vmas)               /* vma_merge_new_range: next too */
      mm->vmas[at + 1].vm_flags &= ~VT_VM_APART;
   if (r->populate || (v.vm_flags & VT_VM_LOCKED))
      vt_populate(mm, start, end);
   return (int)m->id;
}

int vt_mmap(struct vt_mm *mm, const struct vt_mmap_req *r)
{
   vt_trace_input_mmap(mm, r);
   int r_;
   VT_API(mm, r_ = mmap_body(mm, r));
   return r_;
}

static void any_pte(void *ctx, vt_addr addr, vt_pte *ptep)
{
   (void)addr; (void)ptep;
   *(bool *)ctx = true;
}

/* A VMA with nothing mapped is found to lie where the kernel would have
   put it otherwise: the kernel's tables of its old vm_koff that no other
   VMA reaches into go (empty ones, left by pages since unmapped). */
static void set_koff(struct vt_mm *mm, struct vt_vma *v, uint32_t koff)
{
   uint32_t old = v->vm_koff;
   v->vm_koff = koff;
   vt_kpt_free(mm, v->vm_start, v->vm_end, old);
}

/* A client that maps more than it needs and unmaps the head up to a
   2 MiB boundary it computed from the address it got (jemalloc, glibc's
   arenas, Go) aligns its memory itself: natively, where the kernel placed
   the mapping aligned, it would have kept the first 2 MiB boundary just
   as well.  What is left keeps the client's alignment (vm_koff 0) when
   nothing is mapped in it yet. */
static void trimmed_to_alignment(struct vt_mm *mm, struct vt_vma *v, vt_addr start)
{
   if (!v->vm_koff || (v->vm_start & ~VT_HPAGE_MASK) ||
       start > mm->maps[v->mapping]->start)
      return;
   bool mapped = false;
   vt_walk_ptes(mm, v->vm_start, v->vm_end, any_pte, &mapped);
   if (!mapped)
      set_koff(mm, v, 0);
}

static void munmap_body(struct vt_mm *mm, vt_addr start, vt_addr len)
{
   vt_addr end = start + len;
   if (!vt_vma_intersects(mm, start, end))
      return;
   vt_tlb_flush_mapped(mm, start, end);
   vt_share_anon_vma(mm, start, end);
   split_at(mm, start);
   split_at(mm, end);
   uint32_t i = vt_vma_lower(mm, start);
   while (i < mm->nr_vmas && mm->vmas[i].vm_start < end) {
      struct vt_vma *v = &mm->vmas[i];
      vt_addr s = v->vm_start, e = v->vm_end, koff = v->vm_koff;
      vt_zap_range(mm, v, s, e, false);
      remove_vma(mm, i);
      /* a table a later VMA of the range keeps is freed with that one */
      vt_kpt_free(mm, s, e, koff);
   }
   vt_free_pgtables(mm, start, end);
   if (i < mm->nr_vmas && mm->vmas[i].vm_start == end)
      trimmed_to_alignment(mm, &mm->vmas[i], start);
}

void vt_munmap(struct vt_mm *mm, vt_addr start, vt_addr len)
{
   vt_u64 args_[] = { start, len };
   vt_trace_input(mm, VT_TEV_MUNMAP, args_, NULL);
   VT_API(mm, munmap_body(mm, start, len));
}

/* change_protection: what happens to the PTEs when vm_flags change. */
struct prot_ctx { uint32_t old_flags, new_flags; struct vt_file *file; };

static void change_pte(void *vctx, vt_addr addr, vt_pte *ptep)
{
   struct prot_ctx *c = vctx;
   vt_pte pte = *ptep;
   (void)addr;
   if (!(pte & VT_PTE_PRESENT))
      return;
   if (!(c->new_flags & VT_VM_WRITE)) {
      pte &= ~(vt_pte)VT_PTE_WRITE;
   } else if (!(c->old_flags & VT_VM_WRITE)) {
      bool writable;
      if (!(c->new_flags & VT_VM_SHARED))
         /* can_change_pte_writable: an exclusive anonymous page */
         writable = !(pte & (VT_PTE_ZERO | VT_PTE_FILE | VT_PTE_COW));
      else if (c->file && c->file->shmem)
         writable = true;             /* no dirty tracking: vm_page_prot */
      else
         writable = (pte & VT_PTE_DIRTY) != 0;
      if (writable)
         pte |= VT_PTE_WRITE;
   }
   *ptep = pte;
}

/* A SysV segment's VMAs have shm_vm_ops, whose ->close forbids a merge
   that removes one (can_merge_remove_vma, vma_merge_existing_range): a
   VMA a call changed whole merges with neither neighbour; one it changed
   in part (split at an edge of the range) may merge across its other
   edge, the neighbour there growing over it.  Decides the edge before
   VMA b, one the call did not make by a split, given whether the VMAs on
   either side of it changed and whether whole. */
static void sysv_keep_apart(struct vt_mm *mm, uint32_t b, bool a_changed, bool a_whole,
                            bool b_changed, bool b_whole)
{
   if (b == 0 || b >= mm->nr_vmas)
      return;
   struct vt_vma *va = &mm->vmas[b - 1], *vb = &mm->vmas[b];
   if (va->vm_end != vb->vm_start || !vb->vm_file || !vb->vm_file->sysv_shm ||
       va->mapping != vb->mapping)
      return;
   /* b's fixup tries to merge it with a; else a's tries with b */
   if (b_changed ? b_whole : a_changed && a_whole)
      vb->vm_flags |= VT_VM_APART;
}

/* mprotect_fixup, mlock_fixup: the VMAs of [start, end), split at its
   edges, each given to fn; afterwards they merge where they can. */
static void fixup_range(struct vt_mm *mm, vt_addr start, vt_addr end,
                        void (*fn)(struct vt_mm *mm, struct vt_vma *v, void *ctx),
                        void *ctx)
{
   vt_share_anon_vma(mm, start, end);
   bool split_lo = split_at(mm, start), split_hi = split_at(mm, end);
   uint32_t first = vt_vma_lower(mm, start), i;
   bool prev_changed = false, prev_whole = true;
   for (i = first; i < mm->nr_vmas && mm->vmas[i].vm_start < end; i++) {
      uint32_t old = mm->vmas[i].vm_flags;
      fn(mm, &mm->vmas[i], ctx);
      /* vma_modify tries to merge a VMA whose flags changed with both
         neighbours (unchanged flags: nothing, mprotect_fixup and
         mlock_fixup return at once) */
      bool changed = ((old ^ mm->vmas[i].vm_flags) & ~VT_VM_ANON_VMA) != 0;
      if (changed) {
         mm->vmas[i].vm_flags &= ~VT_VM_APART;
         if (i + 1 < mm->nr_vmas)
            mm->vmas[i + 1].vm_flags &= ~VT_VM_APART;
      }
      bool whole = !(i == first && split_lo) && !(split_hi && mm->vmas[i].vm_end == end);
      if (i > first || !split_lo)
         sysv_keep_apart(mm, i, prev_changed, prev_whole, changed, whole);
      prev_changed = changed;
      prev_whole = whole;
   }
   if (!split_hi)
      sysv_keep_apart(mm, i, prev_changed, prev_whole, false, true);
}

static void mprotect_fixup(struct vt_mm *mm, struct vt_vma *v, void *ctx)
{
   uint32_t prot = *(const uint32_t *)ctx;
   uint32_t nf = (v->vm_flags & ~VT_VM_PROT_MASK) | (prot & VT_VM_PROT_MASK);
   /* Made read-only, an anonymous VMA that never had a page of its own
      (no anon_vma) is no longer accounted (mprotect_fixup), so it stays
      apart from an accounted neighbour (tests/kernelfuzz seed 2590, test
      fork/zero-unaccounted). */
   if (!(nf & VT_VM_WRITE) && ((nf ^ v->vm_flags) & VT_VM_PROT_MASK) && !v->vm_file &&
       !(v->vm_flags & VT_VM_ANON_VMA))
      nf &= ~VT_VM_ACCOUNT;
   struct prot_ctx c = { v->vm_flags, nf | account_flag(nf), v->vm_file };
   v->vm_flags = c.new_flags;
   mm->maps[v->mapping]->flags_ever |= c.new_flags;
   vt_walk_ptes(mm, v->vm_start, v->vm_end, change_pte, &c);
   /* A private VM_LOCKED VMA becoming writable is populated again,
      writing ("trigger COW to avoid major fault on access"), as
      mprotect_fixup does: the zero pages mlock mapped are copied, a
      PROT_NONE VMA's pages allocated (nothing for VM_LOCKONFAULT).
      vt_populate changes no VMA, so v stays valid. */
   if ((c.old_flags & (VT_VM_WRITE | VT_VM_SHARED | VT_VM_LOCKED)) == VT_VM_LOCKED &&
       (c.new_flags & VT_VM_WRITE))
      vt_populate(mm, v->vm_start, v->vm_end);
}

/* The end of the VMAs that follow each other without a hole from start
   on, up to end; start itself if no VMA holds start. */
static vt_addr contiguous_end(const struct vt_mm *mm, vt_addr start, vt_addr end)
{
   uint32_t i = vt_vma_lower(mm, start);
   if (i >= mm->nr_vmas || mm->vmas[i].vm_start > start)
      return start;
   while (i + 1 < mm->nr_vmas && mm->vmas[i].vm_end < end &&
          mm->vmas[i + 1].vm_start == mm->vmas[i].vm_end)
      i++;
   return mm->vmas[i].vm_end < end ? mm->vmas[i].vm_end : end;
}

/* do_mprotect_pkey walks the VMAs from start and changes each in turn; at
   a hole it stops with ENOMEM, the VMAs before it changed already. */
static void mprotect_body(struct vt_mm *mm, vt_addr start, vt_addr len, uint32_t prot)
{
   vt_addr end = contiguous_end(mm, start, start + len);
   if (end == start)
      return;
   vt_tlb_flush_mapped(mm, start, end);
   fixup_range(mm, start, end, mprotect_fixup, &prot);
   vt_invalidate(mm, start, end);
   merge_range(mm, start, end);
}

void vt_mprotect(struct vt_mm *mm, vt_addr start, vt_addr len, uint32_t prot)
{
   VT_RANGE_INPUT(mm, VT_TEV_MPROTECT, mprotect_body, start, len, prot);
}

struct move_ctx { struct vt_mm *mm; vt_addr delta, koff; };

static void move_pte(void *vctx, vt_addr addr, vt_pte *ptep)
{
   struct move_ctx *c = vctx;
   /* The simulations key pages by address: the page leaves its old key
      and is mapped (without a reference) at the new one. */
   if ((vt_mm_sims_on(c->mm) || c->mm->replay) && (*ptep & VT_PTE_PRESENT)) {
      const struct vt_vma *v = vt_find_vma(c->mm, addr);
      if (v && !((*ptep & VT_PTE_FILE) && v->vm_file))     /* page cache: same key */
         vt_mm_sims_move(c->mm, v, addr, addr + c->delta, *ptep);
   }
   vt_pte *dst = vt_pte_lookup(c->mm, addr + c->delta, true);
   vt_kpt_alloc(c->mm, addr + c->delta, c->koff);
   *dst = *ptep;
   *ptep = 0;
   *vt_pte_ext(dst) = *vt_pte_ext(ptep);
   *vt_pte_ext(ptep) = 0;
}

static void mremap_body(struct vt_mm *mm, vt_addr old, vt_addr old_len,
               vt_addr new_addr, vt_addr new_len)
{
   bool chosen = (new_addr & VT_MREMAP_CHOSEN) != 0;
   new_addr &= ~(vt_addr)VT_MREMAP_CHOSEN;
   old_len = VT_PAGE_ALIGN(old_len);
   new_len = VT_PAGE_ALIGN(new_len);
   vt_share_anon_vma(mm, old, old + old_len);     /* a part moved keeps it */
   if (new_len < old_len) {
      vt_munmap(mm, old + new_len, old_len - new_len);
      old_len = new_len;
   }
   if (new_addr == old) {
      /* In place (vma_to_resize, then nothing, or vma_expand of the VMA
         that ends where the range does): the VMA that holds old is
         resized, never split at old (measured on 6.18: mremap of the
         last 2 pages of a 6-page mapping to the same 2 pages leaves one
         VMA, whose fault-around maps all 6 pages at one fault). */
      uint32_t i = vt_vma_lower(mm, old);
      if (i >= mm->nr_vmas || mm->vmas[i].vm_start > old ||
          mm->vmas[i].vm_end < old + old_len)
         return;                            /* the kernel said EFAULT */
      struct vt_mapping *m = mm->maps[mm->vmas[i].mapping];
      if (new_len > old_len && mm->vmas[i].vm_end == old + old_len) {
         mm->vmas[i].vm_end = old + new_len;
         if (m->end < old + new_len)
            m->end = old + new_len;
         /* grown, a locked VMA's new part is populated (mremap's
            mm_populate; nothing for VM_LOCKONFAULT) */
         if (mm->vmas[i].vm_flags & VT_VM_LOCKED)
            vt_populate(mm, old + old_len, old + new_len);
      }
      return;
   }
   split_at(mm, old);
   split_at(mm, old + old_len);
   uint32_t i = vt_vma_lower(mm, old);
   if (i >= mm->nr_vmas || mm->vmas[i].vm_start != old)
      return;                               /* the kernel said EFAULT */
   /* remap_move (Linux 6.17): a move to a fixed address that keeps the
      length may span several VMAs (and holes after the first): each part
      moves on its own to the same offset from the new address.  An older
      kernel, or a part it may not move this way, fails the call
      (EFAULT), which then never reaches here. */
   if (new_addr != old && !chosen && new_len == old_len &&
       mm->vmas[i].vm_end < old + old_len) {
      for (vt_addr a = old; a < old + old_len;) {
         uint32_t j = vt_vma_lower(mm, a);
         if (j >= mm->nr_vmas || mm->vmas[j].vm_start >= old + old_len)
            break;
         vt_addr s = mm->vmas[j].vm_start > a ? mm->vmas[j].vm_start : a;
         vt_addr e = mm->vmas[j].vm_end < old + old_len ? mm->vmas[j].vm_end
                                                         : old + old_len;
         mremap_body(mm, s, e - s, new_addr + (s - old), e - s);
         a = e;
      }
      return;
   }
   struct vt_vma v = mm->vmas[i];
   vt_addr old_koff = v.vm_koff;
   struct vt_mapping *m = mm->maps[v.mapping];
   /* Grown, a locked VMA's new part is populated (mremap's mm_populate;
      nothing for VM_LOCKONFAULT), moved or not. */
   bool populate = new_len > old_len && (v.vm_flags & VT_VM_LOCKED);
   /* Where the kernel would have put the moved range (vrm_set_new_addr ->
      get_unmapped_area, with the VMA's file and offset): as a new mapping
      of new_len asked for without an address (measured on 6.18: a private
      anonymous range grown to 6 MiB from anywhere lands 2 MiB-aligned, to
      5 MiB anywhere), or at the caller's address (MREMAP_FIXED), over
      what is there. */
   struct vt_mmap_req q = { .start = new_addr, .len = new_len, .vm_flags = v.vm_flags,
                            .file = v.vm_file, .pgoff = v.vm_pgoff, .fixed = !chosen };
   uint32_t koff = kernel_placement(mm, &q);
   vt_munmap(mm, new_addr, new_len);
   i = vt_vma_lower(mm, old);
   /* move_page_tables moves a huge PMD whole (move_huge_pmd) only to an
      address as aligned as its own (the kernel's addresses); else it
      splits it and moves PTEs. */
   if (((new_addr + koff) - (old + v.vm_koff)) & ~VT_HPAGE_MASK)
      for (vt_addr a = ((old + v.vm_koff) & VT_HPAGE_MASK) - v.vm_koff; a < old + old_len;
           a += VT_HPAGE_SIZE)
         vt_split_huge_pmd(mm, &mm->vmas[i], a > old ? a : old);
   vt_tlb_flush_mapped(mm, old, old + old_len);
   struct move_ctx c = { mm, new_addr - old, koff };
   vt_walk_ptes(mm, old, old + old_len, move_pte, &c);
   vt_invalidate(mm, old, old + old_len);
   m->nr_vmas++;                  /* keep the mapping alive over the move */
   remove_vma(mm, i);
   m->nr_vmas--;                  /* insert_vma below counts it again */
   /* copy_vma: an anonymous VMA without an anon_vma takes its new
      address for page offset, one with an anon_vma keeps its offset (its
      pages' index in the anon_vma): then it merges with no neighbour whose
      offsets do not follow on (tests/clients/edges.c mremap-pgoff) */
   if (!v.vm_file && !(v.vm_flags & VT_VM_ANON_VMA))
      v.vm_pgoff = new_addr >> VT_PAGE_SHIFT;
   v.vm_start = new_addr;
   v.vm_end = new_addr + new_len;
   v.vm_koff = koff;
   m->start = v.vm_start;
   m->end = v.vm_end;
   insert_vma(mm, vt_vma_lower(mm, new_addr), &v);
   /* Only now: the tables that received the PTEs are covered again. */
   vt_free_pgtables(mm, old, old + old_len);
   vt_kpt_free(mm, old, old + old_len, old_koff);
   if (populate)
      vt_populate(mm, new_addr + old_len, new_addr + new_len);
}

void vt_mremap(struct vt_mm *mm, vt_addr old, vt_addr old_len,
               vt_addr new_addr, vt_addr new_len)
{
   vt_u64 args_[] = { old, old_len, new_addr, new_len };
   vt_trace_input(mm, VT_TEV_MREMAP, args_, NULL);
   VT_API(mm, mremap_body(mm, old, old_len, new_addr, new_len));
}

/* madvise_walk_vmas: the advice goes to every VMA in the range, holes
   skipped (the call then fails with ENOMEM, its work done): fn(mm, v, s, e,
   ctx) on each VMA's part [s, e), in address order, until it returns
   false. */
typedef bool (*vma_part_fn)(struct vt_mm *mm, struct vt_vma *v, vt_addr s, vt_addr e,
                            void *ctx);

static void madvise_walk_vmas(struct vt_mm *mm, vt_addr start, vt_addr len, vma_part_fn fn,
                              void *ctx)
{
   vt_addr end = start + len;
   for (uint32_t i = vt_vma_lower(mm, start);
        i < mm->nr_vmas && mm->vmas[i].vm_start < end; i++) {
      struct vt_vma *v = &mm->vmas[i];
      if (!fn(mm, v, v->vm_start > start ? v->vm_start : start,
              v->vm_end < end ? v->vm_end : end, ctx))
         return;
   }
}

static bool dontneed_part(struct vt_mm *mm, struct vt_vma *v, vt_addr s, vt_addr e, void *ctx)
{
   (void)ctx;
   vt_zap_range(mm, v, s, e, true);
   return true;
}

static void madvise_dontneed_body(struct vt_mm *mm, vt_addr start, vt_addr len)
{
   vt_tlb_flush_mapped(mm, start, start + len);
   madvise_walk_vmas(mm, start, len, dontneed_part, NULL);
}

/* MADV_REMOVE: on a shared mapping of shared memory (tmpfs, memfd,
   shared anonymous, SysV) the pages of the range are punched out of the
   object (shmem_fallocate: unmap_mapping_range, then shmem_truncate_range):
   gone from every mapping of it in the process (a private one keeps its
   copies: even_cows is false) and from its page cache, so a later touch
   anywhere finds a hole and allocates afresh.  A large folio cut into is
   split (its pages left order 0).  Elsewhere, as MADV_DONTNEED. */
static void shmem_punch(struct vt_mm *mm, struct vt_file *f, vt_u64 first, vt_u64 end)
{
   for (uint32_t i = 0; i < mm->nr_vmas; i++) {
      struct vt_vma *w = &mm->vmas[i];
      if (w->vm_file != f)
         continue;
      vt_u64 w_end = vt_linear_page_index(w, w->vm_end);
      vt_u64 lo = first > w->vm_pgoff ? first : w->vm_pgoff, hi = end < w_end ? end : w_end;
      if (lo < hi)
         zap_range(mm, w, w->vm_start + ((lo - w->vm_pgoff) << VT_PAGE_SHIFT),
                   w->vm_start + ((hi - w->vm_pgoff) << VT_PAGE_SHIFT), true,
                   !(w->vm_flags & VT_VM_SHARED));
   }
   if (f->falloc.e)
      for (vt_u64 p = first; p < end; p++)
         vt_hash_del(&f->falloc, p);
   vt_tell_shmem_removed(mm, f, first, end);
   vt_tell_file_punched(mm, f, first, end);
   if (!f->cache.e)
      return;
   for (vt_u64 p = first; p < end; p++) {
      struct vt_hash_ent *e = vt_hash_get(&f->cache, p);
      if (!e)
         continue;
      if (e->val) {
         vt_u64 nr = (vt_u64)1 << e->val, head = p & ~(nr - 1);
         for (vt_u64 q = head; q < head + nr; q++) {
            struct vt_hash_ent *g = vt_hash_get(&f->cache, q);
            if (g)
               g->val = g->aux = 0;
         }
      }
      vt_hash_del(&f->cache, p);
   }
}

static bool remove_part(struct vt_mm *mm, struct vt_vma *v, vt_addr s, vt_addr e, void *ctx)
{
   (void)ctx;
   if (!(v->vm_flags & VT_VM_SHARED) || !v->vm_file || !v->vm_file->shmem) {
      vt_zap_range(mm, v, s, e, true);
      return true;
   }
   shmem_punch(mm, v->vm_file, vt_linear_page_index(v, s), vt_linear_page_index(v, e));
   return true;
}

static void madvise_remove_body(struct vt_mm *mm, vt_addr start, vt_addr len)
{
   vt_tlb_flush_mapped(mm, start, start + len);
   madvise_walk_vmas(mm, start, len, remove_part, NULL);
}

void vt_madvise_remove(struct vt_mm *mm, vt_addr start, vt_addr len)
{
   vt_u64 args_[] = { start, len };
   vt_trace_input(mm, VT_TEV_REMOVE, args_, NULL);
   VT_API(mm, madvise_remove_body(mm, start, len));
}

bool vt_file_fresh(const struct vt_mm *mm, vt_u64 dev, vt_u64 ino, unsigned *ra_pages)
{
   const struct vt_file *f = file_of((struct vt_mm *)mm, dev, ino);
   if (!f || f->shmem || f->cold || f->warm_pages >= f->size_pages)
      return false;
   *ra_pages = f->ra.bdi_ra_pages;
   return true;
}

bool vt_file_known(const struct vt_mm *mm, vt_u64 dev, vt_u64 ino, vt_u64 *size_pages,
                   bool *shmem)
{
   const struct vt_file *f = file_of((struct vt_mm *)mm, dev, ino);
   if (f) {
      *size_pages = f->size_pages;
      *shmem = f->shmem;
   }
   return f != NULL;
}

/* Pages [first, end) of the shared-memory file (dev, ino) filled by a
   write (shmem_write_begin: each is in the object now, uptodate, so a
   later read fault's fault-around maps it), punched out of it by
   fallocate(FALLOC_FL_PUNCH_HOLE) (shmem_fallocate, as MADV_REMOVE's
   shmem_punch), or allocated by fallocate: a new page is not uptodate
   (fault-around skips it, its own fault makes it uptodate), but one that
   an earlier fallocate allocated is made uptodate now (shmem_get_folio's
   SGP_FALLOC on a folio fallocated earlier: "must initialize it now").
   A regular file's pages are not followed (its page cache is warm, or
   cold: not modelled). */
/* folio_mkclean, as writeback begins (folio_clear_dirty_for_io): each
   shared mapping's PTE of a dirty page of the range is made clean and
   write-protected, so that the next write through it faults
   (wp_page_shared) and dirties the page again; the TLB entry goes with
   it.  A folio mapped by a PMD (do_set_pmd) has its PMD made clean and
   write-protected whole (page_vma_mkclean_one), so the next write
   through it faults too (wp_huge_pmd: measured, 8 MiB of 2 MiB folios
   written, fsync'd, written again: 4 faults; until 2026-12-07 the model
   left the PMD writable: 0).  This process's mappings only. */
struct mkclean_ctx { struct vt_mm *mm; const struct vt_vma *v; };

static void mkclean_pte(void *ctx, vt_addr addr, vt_pte *ptep)
{
   struct mkclean_ctx *c = ctx;
   vt_pte pte = *ptep;
   const vt_pte want = VT_PTE_PRESENT | VT_PTE_FILE | VT_PTE_DIRTY;
   if ((pte & want) != want)
      return;
   vt_addr start = addr, end = addr + VT_PAGE_SIZE;
   if (pte & VT_PTE_HUGE) {
      /* the PMD's 512 entries, in the kernel's table (vm_koff) */
      vt_addr koff = c->v->vm_koff;
      start = ((addr + koff) & VT_HPAGE_MASK) - koff;
      end = start + VT_HPAGE_SIZE;
      for (vt_addr a = start; a < end; a += VT_PAGE_SIZE) {
         vt_pte *p = vt_pte_lookup(c->mm, a, false);
         if (p && (*p & VT_PTE_HUGE))
            *p &= ~(vt_pte)(VT_PTE_WRITE | VT_PTE_DIRTY);
      }
   } else {
      *ptep = pte & ~(vt_pte)(VT_PTE_WRITE | VT_PTE_DIRTY);
   }
   vt_tlb_flush_mapped(c->mm, start, end);
   vt_invalidate(c->mm, start, end);
}

static void file_mkclean(struct vt_mm *mm, const struct vt_file *f, vt_u64 first, vt_u64 end)
{
   struct mkclean_ctx c = { mm, NULL };
   for (uint32_t i = 0; i < mm->nr_vmas; i++) {
      const struct vt_vma *v = &mm->vmas[i];
      if (v->vm_file != f || !(v->vm_flags & VT_VM_SHARED))
         continue;
      c.v = v;
      vt_u64 vend = v->vm_pgoff + ((v->vm_end - v->vm_start) >> VT_PAGE_SHIFT);
      vt_u64 lo = first > v->vm_pgoff ? first : v->vm_pgoff;
      vt_u64 hi = end < vend ? end : vend;
      if (lo < hi)
         vt_walk_ptes(mm, v->vm_start + ((lo - v->vm_pgoff) << VT_PAGE_SHIFT),
                      v->vm_start + ((hi - v->vm_pgoff) << VT_PAGE_SHIFT), mkclean_pte, &c);
   }
}

static void file_pages_body(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, vt_u64 first,
                            vt_u64 end, unsigned op)
{
   struct vt_file *f = file_of(mm, dev, ino);
   if (f && !f->shmem && (op == VT_FILE_CLEANED || op == VT_FILE_WRITEBACK))
      file_mkclean(mm, f, first, end);
   if (f && f->cold && op == VT_FILE_DROPPED) {
      vt_pcache_drop(mm, f, first, end);
      return;
   }
   if (f && f->cold && op == VT_FILE_CLEANED)
      vt_pcache_clean(f, first, end);
   if (op == VT_FILE_CLEANED || op == VT_FILE_WRITEBACK)
      return;
   if (!f || !f->shmem || first >= end)
      return;
   if (op == VT_FILE_PUNCHED) {
      shmem_punch(mm, f, first, end);
      return;
   }
   if (op == VT_FILE_WRITTEN) {
      for (vt_u64 p = first; p < end && p < f->size_pages; p++)
         vt_pcache_add(f, p);
      return;
   }
   if (!f->falloc.e)
      vt_hash_init(&f->falloc, 32);
   for (vt_u64 p = first; p < end; p++) {
      if (f->cache.e && vt_hash_get(&f->cache, p))
         continue;                       /* uptodate already */
      if (vt_hash_get(&f->falloc, p)) {
         vt_hash_del(&f->falloc, p);
         vt_pcache_add(f, p);
      } else {
         vt_hash_put(&f->falloc, p, NULL);
      }
   }
}

void vt_file_pages(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, vt_u64 first, vt_u64 end,
                   unsigned op)
{
   vt_u64 args_[] = { dev, ino, first, end, op };
   struct vt_file *f = file_of(mm, dev, ino);
   if (f)
      vt_trace_file(mm, f);
   vt_trace_input(mm, VT_TEV_FILE_PAGES, args_, NULL);
   VT_API(mm, file_pages_body(mm, dev, ino, first, end, op));
}

void vt_madvise_dontneed(struct vt_mm *mm, vt_addr start, vt_addr len)
{
   vt_u64 args_[] = { start, len };
   vt_trace_input(mm, VT_TEV_DONTNEED, args_, NULL);
   VT_API(mm, madvise_dontneed_body(mm, start, len));
}

/* hugepage_madvise: VM_HUGEPAGE or VM_NOHUGEPAGE on the VMAs (huge pages
   already mapped stay as they are). */
static void hugepage_fixup(struct vt_mm *mm, struct vt_vma *v, void *ctx)
{
   (void)mm;
   if (*(const bool *)ctx)
      v->vm_flags = (v->vm_flags & ~VT_VM_NOHUGEPAGE) | VT_VM_HUGEPAGE;
   else
      v->vm_flags = (v->vm_flags & ~VT_VM_HUGEPAGE) | VT_VM_NOHUGEPAGE;
}

/* MADV_HUGEPAGE from a 2 MiB boundary inside a VMA that the kernel would
   have aligned otherwise: the caller rounded up the address it got to
   align the memory itself (natively that address was aligned already and
   the rounding changed nothing), so from there on the memory keeps the
   caller's alignment (vm_koff 0) where nothing is mapped yet. */
static void madvise_hugepage_body(struct vt_mm *mm, vt_addr start, vt_addr len, bool huge)
{
   vt_addr end = start + len;
   uint32_t i = vt_vma_lower(mm, start);
   bool self_aligned = huge && !(start & ~VT_HPAGE_MASK) && i < mm->nr_vmas &&
                       mm->vmas[i].vm_start < start && mm->vmas[i].vm_koff;
   fixup_range(mm, start, end, hugepage_fixup, &huge);
   for (i = vt_vma_lower(mm, start);
        self_aligned && i < mm->nr_vmas && mm->vmas[i].vm_start < end; i++) {
      bool mapped = false;
      vt_walk_ptes(mm, mm->vmas[i].vm_start, mm->vmas[i].vm_end, any_pte, &mapped);
      if (!mapped)
         set_koff(mm, &mm->vmas[i], 0);
   }
   merge_range(mm, start, end);
}

void vt_madvise_hugepage(struct vt_mm *mm, vt_addr start, vt_addr len, bool huge)
{
   VT_RANGE_INPUT(mm, VT_TEV_HUGEPAGE, madvise_hugepage_body, start, len, huge);
}

void vt_set_thp(struct vt_mm *mm, unsigned thp, bool zero_page, bool disabled)
{
   VT_ASSERT(thp <= VT_THP_ALWAYS);
   vt_u64 args_[] = { thp, zero_page, disabled };
   vt_trace_input(mm, VT_TEV_THP, args_, NULL);
   mm->cfg.thp = thp;
   mm->cfg.thp_zero_page = zero_page;
   mm->cfg.thp_disabled = disabled;
}

void vt_set_thp_orders(struct vt_mm *mm, uint16_t always, uint16_t madvise,
                       uint16_t inherit)
{
   VT_ASSERT(!((always | madvise | inherit) & ~VT_THP_ORDERS_ANON));
   vt_u64 args_[] = { always, madvise, inherit };
   vt_trace_input(mm, VT_TEV_THP_ORDERS, args_, NULL);
   mm->cfg.thp_orders_always = always;
   mm->cfg.thp_orders_madvise = madvise;
   mm->cfg.thp_orders_inherit = inherit;
   mm->cfg.thp_orders_given = true;
}

/* madvise_collapse, VMA by VMA (the walk stops at the first that fails):
   a private anonymous VMA THP may back when forced (not MADV_NOHUGEPAGE,
   not PR_SET_THP_DISABLE; the sysfs setting does not matter) has each
   2 MiB of the kernel's PMDs that lies whole in the range collapsed into a
   huge page (vt_collapse_pmd); a range that cannot be, or a VMA that may
   not, ends the walk (EINVAL) after this VMA.  A shared mapping of shared
   memory (shared anonymous, memfd, tmpfs) has its file's pages collapsed
   and PMD-mapped (vt_collapse_shmem_pmd) where the kernel's address and
   the file offset agree modulo 2 MiB (thp_vma_suitable_order); a private
   mapping of it and a regular file are refused (ext4 here). */
static bool collapse_part(struct vt_mm *mm, struct vt_vma *v, vt_addr s, vt_addr e, void *ctx)
{
   (void)ctx;
   bool shmem = v->vm_file && v->vm_file->shmem && (v->vm_flags & VT_VM_SHARED);
   if (mm->cfg.thp_disabled || (v->vm_flags & VT_VM_NOHUGEPAGE) ||
       (v->vm_file ? !shmem : (v->vm_flags & VT_VM_SHARED)))
      return false;
   if (shmem && ((((v->vm_start + v->vm_koff) >> VT_PAGE_SHIFT) - v->vm_pgoff) &
                 (VT_PTRS_PER_TABLE - 1)))
      return false;
   bool ok = true;
   for (vt_addr a = ((s + v->vm_koff + VT_HPAGE_SIZE - 1) & VT_HPAGE_MASK) - v->vm_koff;
        a + VT_HPAGE_SIZE <= e; a += VT_HPAGE_SIZE)
      ok &= shmem ? vt_collapse_shmem_pmd(mm, v, a) : vt_collapse_pmd(mm, v, a);
   return ok;
}

static void madvise_collapse_body(struct vt_mm *mm, vt_addr start, vt_addr len)
{
   madvise_walk_vmas(mm, start, len, collapse_part, NULL);
}

void vt_madvise_collapse(struct vt_mm *mm, vt_addr start, vt_addr len)
{
   vt_u64 args_[] = { start, len };
   vt_trace_input(mm, VT_TEV_COLLAPSE, args_, NULL);
   VT_API(mm, madvise_collapse_body(mm, start, len));
}

/* madvise_update_vma: the flags change, the pages stay. */
struct flags_ctx { uint32_t set, clear; };

static void flags_fixup(struct vt_mm *mm, struct vt_vma *v, void *ctx)
{
   const struct flags_ctx *c = ctx;
   v->vm_flags = (v->vm_flags & ~c->clear) | c->set;
   mm->maps[v->mapping]->flags_ever |= c->set;
}

static void madvise_flags_body(struct vt_mm *mm, vt_addr start, vt_addr len,
                               uint32_t set, uint32_t clear)
{
   struct flags_ctx c = { set, clear };
   fixup_range(mm, start, start + len, flags_fixup, &c);
   merge_range(mm, start, start + len);
}

void vt_madvise_flags(struct vt_mm *mm, vt_addr start, vt_addr len, uint32_t set,
                      uint32_t clear)
{
   vt_u64 args_[] = { start, len, set, clear };
   vt_trace_input(mm, VT_TEV_MADVISE, args_, NULL);
   VT_API(mm, madvise_flags_body(mm, start, len, set, clear));
}

/* Guard regions (mm/madvise.c, madvise_guard_install/remove): a guard
   marker in the PTE of every page; installing first zaps the pages there
   (their contents are lost), removing leaves the PTEs empty: demand paging
   again.  Installing prepares an anon_vma, in a shared or file VMA too
   (Linux 6.15 on, where those take guards), so that fork copies the
   VMA's page tables, markers and present pages alike; an mlocked VMA
   refuses (EINVAL) and ends the walk. */
static void unguard_pte(void *vctx, vt_addr addr, vt_pte *ptep)
{
   (void)vctx; (void)addr;
   *ptep &= ~(vt_pte)VT_PTE_GUARD;
}

static bool guard_part(struct vt_mm *mm, struct vt_vma *v, vt_addr s, vt_addr e, void *ctx)
{
   if (!*(const bool *)ctx) {
      vt_walk_ptes(mm, s, e, unguard_pte, NULL);
      return true;
   }
   if (v->vm_flags & VT_VM_LOCKED)
      return false;
   vt_anon_vma_prepare(mm, v);
   vt_zap_range(mm, v, s, e, true);
   /* the markers live in page tables, made for them where need be */
   for (vt_addr a = s; a < e; a += VT_PAGE_SIZE) {
      vt_kpt_alloc(mm, a, v->vm_koff);
      *vt_pte_lookup(mm, a, true) |= VT_PTE_GUARD;
   }
   return true;
}

static void madvise_guard_body(struct vt_mm *mm, vt_addr start, vt_addr len,
                               bool install)
{
   madvise_walk_vmas(mm, start, len, guard_part, &install);
}

void vt_madvise_guard(struct vt_mm *mm, vt_addr start, vt_addr len, bool install)
{
   VT_RANGE_INPUT(mm, VT_TEV_GUARD, madvise_guard_body, start, len, install);
}

struct lock_ctx { struct vt_mm *mm; bool lock; const struct vt_vma *v; };
/* The VT_VM_LOCKED_MASK bits mlock_fixup gives every VMA of a range:
   mlock's VM_LOCKED (clearing VM_LOCKONFAULT, as apply_vma_lock_flags
   does), mlockall(MCL_CURRENT | MCL_ONFAULT)'s both, munlock's none. */
static void lock_pte(void *vctx, vt_addr addr, vt_pte *ptep)
{
   struct lock_ctx *c = vctx;
   if (vt_mm_sims_on(c->mm) && (*ptep & VT_PTE_PRESENT))
      vt_mm_sims_lock(c->mm, c->v, addr, *ptep, c->lock);
   if (c->lock)
      *ptep |= VT_PTE_LOCKED;
   else
      *ptep &= ~(vt_pte)VT_PTE_LOCKED;
}

static void mlock_fixup(struct vt_mm *mm, struct vt_vma *v, void *ctx)
{
   uint32_t to_add = *(const uint32_t *)ctx;
   struct lock_ctx c = { mm, to_add != 0, v };
   v->vm_flags = (v->vm_flags & ~VT_VM_LOCKED_MASK) | to_add;
   vt_walk_ptes(mm, v->vm_start, v->vm_end, lock_pte, &c);
}

/* Locks (to_add != 0) or unlocks [start, end), then populates it: a
   VM_LOCKONFAULT VMA is left as it is (populate_vma_page_range). */
static void lock_range(struct vt_mm *mm, vt_addr start, vt_addr end, uint32_t to_add)
{
   fixup_range(mm, start, end, mlock_fixup, &to_add);
   merge_range(mm, start, end);      /* vma_modify_flags merges, then */
   if (to_add)                       /* __mm_populate: fault-around reaches */
      vt_populate(mm, start, end);   /* across what merged */
}

static void mlock_body(struct vt_mm *mm, vt_addr start, vt_addr len, bool lock)
{
   lock_range(mm, start, start + len, lock ? VT_VM_LOCKED : 0);
}

void vt_mlock(struct vt_mm *mm, vt_addr start, vt_addr len, bool lock)
{
   VT_RANGE_INPUT(mm, VT_TEV_MLOCK, mlock_body, start, len, lock);
}

/* A failed mlock or munlock (ENOMEM): apply_vma_lock_flags changes the
   VMAs from start on and stops at a hole (one starting in a hole changes
   nothing); with no hole, mlock's __mm_populate (ignore_errors = 0)
   faults the pages in up to the first it cannot (a PROT_NONE VMA, a page
   past the end of its file, a guard marker) and fails there (EFAULT,
   which mlock returns as ENOMEM): the VMAs stay locked, the pages before
   it populated, those after not.  Measured on 6.18: mlock of 4 writable
   pages and 2 PROT_NONE ones after them fails with ENOMEM having taken 4
   faults; the 6 pages written after mprotect(PROT_READ | PROT_WRITE) then
   cost 0 (the locked PROT_NONE VMA is populated by the mprotect). */
static void mlock_failed_body(struct vt_mm *mm, vt_addr start, vt_addr len, unsigned how)
{
   bool lock = (how & 1) != 0;
   vt_addr end = contiguous_end(mm, start, start + len);
   if (end == start)
      return;
   uint32_t to_add = lock ? VT_VM_LOCKED : 0;
   fixup_range(mm, start, end, mlock_fixup, &to_add);
   merge_range(mm, start, end);      /* merged before populating (lock_range) */
   if (lock && end == start + len)
      vt_populate_strict(mm, start, end);
}

void vt_mlock_failed(struct vt_mm *mm, vt_addr start, vt_addr len, bool lock)
{
   /* in the page trace: MLOCK's third argument + 2 */
   VT_RANGE_INPUT(mm, VT_TEV_MLOCK, mlock_failed_body, start, len, 2u + lock);
}

/* apply_mlockall_flags: the call replaces what an earlier one asked for
   the future (mlockall(MCL_CURRENT) ends MCL_FUTURE); MCL_ONFAULT adds
   VM_LOCKONFAULT to what it locks, which populating then leaves alone. */
static void mlockall_body(struct vt_mm *mm, bool current, bool future, bool onfault)
{
   uint32_t to_add = VT_VM_LOCKED | (onfault ? VT_VM_LOCKONFAULT : 0);
   mm->def_flags &= ~VT_VM_LOCKED_MASK;
   if (future)
      mm->def_flags |= to_add;
   if (current && mm->nr_vmas)
      lock_range(mm, mm->vmas[0].vm_start, mm->vmas[mm->nr_vmas - 1].vm_end, to_add);
}

void vt_mlockall(struct vt_mm *mm, bool current, bool future, bool onfault)
{
   /* in the page trace: 1 for MCL_CURRENT (MCL_FUTURE), 2 with MCL_ONFAULT */
   vt_u64 args_[] = { current ? 1u + onfault : 0, future ? 1u + onfault : 0 };
   vt_trace_input(mm, VT_TEV_MLOCKALL, args_, NULL);
   VT_API(mm, mlockall_body(mm, current, future, onfault));
}

static void munlockall_body(struct vt_mm *mm)
{
   mm->def_flags &= ~VT_VM_LOCKED_MASK;
   if (mm->nr_vmas)
      vt_mlock(mm, mm->vmas[0].vm_start,
               mm->vmas[mm->nr_vmas - 1].vm_end - mm->vmas[0].vm_start, false);
}

void vt_munlockall(struct vt_mm *mm)
{
   vt_trace_input(mm, VT_TEV_MUNLOCKALL, NULL, NULL);
   VT_API(mm, munlockall_body(mm));
}

/* ---- brk and the stack ---------------------------------------------- */

static void set_brk_body(struct vt_mm *mm, vt_addr new_brk)
{
   if (!mm->start_brk) {
      mm->start_brk = mm->brk = new_brk;
      return;
   }
   if (new_brk < mm->start_brk)
      return;
   vt_addr old_end = VT_PAGE_ALIGN(mm->brk), new_end = VT_PAGE_ALIGN(new_brk);
   mm->brk = new_brk;
   if (new_end < old_end) {
      vt_munmap(mm, new_end, old_end - new_end);
      return;
   }
   if (new_end == old_end)
      return;
   uint32_t i = vt_vma_lower(mm, old_end - 1);
   if (mm->heap_vma_map >= 0 && i < mm->nr_vmas &&
       mm->vmas[i].vm_end == old_end &&
       mm->vmas[i].mapping == (uint32_t)mm->heap_vma_map) {
      vt_munmap(mm, old_end, new_end - old_end);
      i = vt_vma_lower(mm, old_end - 1);
      mm->vmas[i].vm_end = new_end;
   } else {
      vt_munmap(mm, old_end, new_end - old_end);
      struct vt_mapping *m;
      if (mm->heap_vma_map < 0) {
         m = new_mapping(mm, mm->start_brk, new_end, VT_MK_HEAP, NULL, 0,
                         "[heap]");
         mm->heap_vma_map = (int32_t)m->id;
      } else {
         m = mm->maps[mm->heap_vma_map];
      }
      struct vt_vma v = { old_end, new_end,
                          VT_VM_READ | VT_VM_WRITE | VT_VM_ACCOUNT | mm->def_flags, NULL,
                          old_end >> VT_PAGE_SHIFT, m->id, 0, 0 };
      insert_vma(mm, vt_vma_lower(mm, old_end), &v);
   }
   struct vt_mapping *m = mm->maps[mm->heap_vma_map];
   if (m->end < new_end)
      m->end = new_end;
   if (mm->def_flags & VT_VM_LOCKED)
      vt_populate(mm, old_end, new_end);
}

void vt_set_brk(struct vt_mm *mm, vt_addr new_brk)
{
   vt_u64 args_[] = { new_brk };
   vt_trace_input(mm, VT_TEV_BRK, args_, NULL);
   VT_API(mm, set_brk_body(mm, new_brk));
}

static bool set_stack_body(struct vt_mm *mm, vt_addr sp, vt_addr lowest)
{
   uint32_t i = vt_vma_lower(mm, sp);
   if (i >= mm->nr_vmas || mm->vmas[i].vm_start > sp)
      return false;
   struct vt_mapping *m = mm->maps[mm->vmas[i].mapping];
   m->kind = VT_MK_STACK;
   m->name = "[stack]";
   mm->vmas[i].vm_flags |= VT_VM_GROWSDOWN;
   mm->stack_guard_low = lowest;
   return true;
}

bool vt_set_stack(struct vt_mm *mm, vt_addr sp, vt_addr lowest)
{
   vt_u64 args_[] = { sp, lowest };
   vt_trace_input(mm, VT_TEV_STACK, args_, NULL);
   bool r_;
   VT_API(mm, r_ = set_stack_body(mm, sp, lowest));
   return r_;
}
