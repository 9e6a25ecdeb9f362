/* pcache.c: which pages of a file are in the page cache, in which folios,
   and how they got there: readahead (mm/readahead.c) and the mmap fault's
   read-around (mm/filemap.c, do_sync_mmap_readahead and
   do_async_mmap_readahead), and writes (generic_perform_write).  Regular
   files are taken as fully cached in order-0 folios as far as the run met
   them (a warm cache, as a file written a page at a time is: its warm
   part, vt_file.warm_pages) and need no record there but for the large
   folios the run's writes made; a file under --page-cache=cold, and the
   pages a warm file gained in the run (a hole ftruncate or fallocate
   made, a write past its end, a file the run created or truncated), have
   the pages readahead and writes brought in, in the folios they allocated;
   shared memory (tmpfs, shared anonymous, SysV) has order-0 pages only
   once something faulted them in, and fault-around maps only pages that
   exist.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"
#include "vt_trace.h"

/* A cached page's hash entry (f->cache): val is its folio's order (the
   folio is the naturally aligned 2^order pages around it, as the kernel's
   page-cache folios are), aux has PG_readahead on the folio's first page,
   and PG_dirty on each page a write(2) or a write fault through a shared
   mapping put data in that no fsync has written back since (which only
   the cold page cache's POSIX_FADV_DONTNEED heeds: the warm one drops
   nothing). */
#define PG_READAHEAD 1u
#define PG_DIRTY     2u
/* MAX_PAGECACHE_ORDER on x86-64: the PMD's. */
#define MAX_PAGECACHE_ORDER VT_PMD_ORDER
#define MMAP_LOTSAMISS VT_MMAP_LOTSAMISS

static bool local_has(const struct vt_file *f, vt_u64 pgoff)
{
   if (pgoff >= f->size_pages && !f->shmem)
      return false;
   if (pgoff < f->warm_pages)
      return true;
   return f->cache.e && vt_hash_get(&f->cache, pgoff);
}

bool vt_pcache_has(struct vt_mm *mm, const struct vt_file *f, vt_u64 pgoff)
{
   if (local_has(f, pgoff))
      return true;
   /* Shared memory: another process may have created the page. */
   if (f->shmem && f->gid && vt_ask_exists(mm, f->gid, pgoff)) {
      vt_pcache_add((struct vt_file *)f, pgoff);
      return true;
   }
   return false;
}

/* filemap_add_folio: 2^order pages at index (aligned to it), none of them
   cached yet; the first marked PG_readahead if readahead is to go on when
   it is read. */
static void add_folio(struct vt_file *f, vt_u64 index, unsigned order, bool mark)
{
   if (!f->cache.e)
      vt_hash_init(&f->cache, 32);
   if (order)
      f->large_folios = true;
   for (vt_u64 i = 0; i < (vt_u64)1 << order; i++) {
      struct vt_hash_ent *e = vt_hash_put(&f->cache, index + i, NULL);
      e->val = order;
      e->aux = i == 0 && mark ? PG_READAHEAD : 0;
   }
}

void vt_pcache_add(struct vt_file *f, vt_u64 pgoff)
{
   if (local_has(f, pgoff))
      return;
   if (f->shmem && f->gid && vt_host->shmem_created)
      vt_host->shmem_created(vt_host_ctx, f->gid, pgoff);
   add_folio(f, pgoff, 0, false);
}

/* The folio that holds a cached page: its first page and size. */
static void folio_of(const struct vt_file *f, vt_u64 pgoff, vt_u64 *first, vt_u64 *nr,
                     bool *readahead)
{
   const struct vt_hash_ent *e = f->cache.e ? vt_hash_get(&f->cache, pgoff) : NULL;
   unsigned order = e ? (unsigned)e->val : 0;
   *first = pgoff & ~(((vt_u64)1 << order) - 1);
   *nr = (vt_u64)1 << order;
   const struct vt_hash_ent *head = order && e ? vt_hash_get(&f->cache, *first) : e;
   *readahead = head && (head->aux & PG_READAHEAD);
}

/* PG_dirty set (or cleared) on the cached pages of [first, end). */
static void set_dirty(struct vt_file *f, vt_u64 first, vt_u64 end, bool dirty)
{
   for (vt_u64 p = first; p < end; p++) {
      struct vt_hash_ent *e = vt_hash_get(&f->cache, p);
      if (e)
         e->aux = dirty ? e->aux | PG_DIRTY : e->aux & ~PG_DIRTY;
   }
}

bool vt_pcache_folio(struct vt_mm *mm, const struct vt_file *f, vt_u64 pgoff,
                     vt_u64 *first, vt_u64 *nr, bool *readahead)
{
   if (!vt_pcache_has(mm, f, pgoff))
      return false;
   folio_of(f, pgoff, first, nr, readahead);
   return true;
}

/* ---- readahead (mm/readahead.c) -------------------------------------- */

static unsigned ilog2(vt_u64 n)
{
   unsigned l = 0;
   while (n >>= 1)
      l++;
   return l;
}

static unsigned lowest_bit(vt_u64 n)
{
   unsigned b = 0;
   while (!(n & 1)) {
      n >>= 1;
      b++;
   }
   return b;
}

/* page_cache_ra_unbounded: order-0 pages from index, nr_to_read of them
   (cached ones skipped), the one lookahead_size before the end marked. */
static void ra_unbounded(struct vt_file *f, vt_u64 index, vt_u64 nr_to_read,
                         vt_u64 lookahead_size)
{
   for (vt_u64 i = 0; i < nr_to_read; i++)
      if (!local_has(f, index + i))
         add_folio(f, index + i, 0, lookahead_size && i == nr_to_read - lookahead_size);
}

/* do_page_cache_ra: the same, not beyond the end of the file. */
static void do_page_cache_ra(struct vt_file *f, vt_u64 index, vt_u64 nr_to_read,
                             vt_u64 lookahead_size)
{
   if (!f->size_pages || index >= f->size_pages)
      return;
   if (nr_to_read > f->size_pages - index)
      nr_to_read = f->size_pages - index;
   ra_unbounded(f, index, nr_to_read, lookahead_size);
}

/* No page of [index, index + n) is cached: a folio may go there. */
static bool range_free(const struct vt_file *f, vt_u64 index, vt_u64 n)
{
   for (vt_u64 i = 0; i < n; i++)
      if (local_has(f, index + i))
         return false;
   return true;
}

static bool range_cached(const struct vt_file *f, vt_u64 index, vt_u64 n)
{
   return !range_free(f, index, n);
}

/* page_cache_ra_order: read the window ra->start, ra->size in folios of
   ra->order (capped by MAX_PAGECACHE_ORDER and the window), smaller where
   the index is not aligned to it or the folio would pass the end of the
   window or the file; the folio holding ra->start + size - async_size is
   marked.  A folio that would overlap cached pages stops it (-EEXIST);
   order-0 readahead fills in what is left. */
static void page_cache_ra_order(struct vt_file *f, struct vt_file_ra *ra)
{
   if (!f->size_pages || ra->start >= f->size_pages || !ra->size)
      return;
   vt_u64 index = ra->start, limit = f->size_pages - 1;
   vt_u64 mark = ra->start + ra->size - ra->async_size;
   if (limit > ra->start + ra->size - 1)
      limit = ra->start + ra->size - 1;
   unsigned new_order = ra->order = vt_ra_order_cap(ra->order, ra->size);
   while (index <= limit) {
      unsigned order = new_order;
      if (index & (((vt_u64)1 << order) - 1))
         order = lowest_bit(index);
      while (order > 0 && index + ((vt_u64)1 << order) - 1 > limit)
         order--;
      if (range_cached(f, index, (vt_u64)1 << order))
         break;                                   /* ra_alloc_folio: -EEXIST */
      vt_u64 nr = (vt_u64)1 << order;
      add_folio(f, index, order, (mark & ~(nr - 1)) == index && ra->async_size);
      index += nr;
   }
   if (index <= limit && ra->size > index - ra->start)
      do_page_cache_ra(f, index, ra->size - (index - ra->start), ra->async_size);
}

/* get_init_ra_size: the first window of a sequential read of size pages. */
static vt_u64 get_init_ra_size(vt_u64 size, vt_u64 max)
{
   vt_u64 n = 1;
   while (n < size)
      n <<= 1;
   if (n <= max / 32)
      return n * 4;
   if (n <= max / 4)
      return n * 2;
   return max;
}

/* get_next_ra_size: the window grows fourfold while small, then doubles,
   up to max (each simulation's asynchronous readahead too, mm_sims.c). */
vt_u64 vt_get_next_ra_size(vt_u64 cur, vt_u64 max)
{
   if (cur < max / 16)
      return 4 * cur;
   if (cur <= max / 2)
      return 2 * cur;
   return max;
}

/* page_cache_sync_ra, as an mmap fault of a VM_SEQ_READ VMA calls it
   (req_count ra_pages) and a read(2) that misses does (req_count the
   pages it asks for).  A read that goes on where the last one stopped
   (prev_pos) starts a new stream.  (ractl_max_pages may let a read larger
   than the window read up to the disk's io_pages: not modelled.) */
static void page_cache_sync_ra(struct vt_file *f, vt_u64 index, vt_u64 req_count)
{
   struct vt_file_ra *ra = &f->ra;
   vt_u64 max_pages = ra->ra_pages;
   if (ra->random) {
      /* FMODE_RANDOM: force_page_cache_ra, just the pages asked for, at
         most max(io_pages, ra_pages) of them (the device's largest I/O
         is not known here: the window is the larger on the disks
         measured), order 0, unmarked; the window is left as it was */
      do_page_cache_ra(f, index, req_count < max_pages ? req_count : max_pages, 0);
      return;
   }
   vt_u64 prev_index = ra->read_seen ? ra->prev_pos >> VT_PAGE_SHIFT : ~(vt_u64)0 >> VT_PAGE_SHIFT;
   if (index == 0 || req_count > max_pages || index - prev_index <= 1) {
      ra->start = index;
      ra->size = get_init_ra_size(req_count, max_pages);
      ra->async_size = ra->size > req_count ? ra->size - req_count : ra->size >> 1;
   } else {
      /* page_cache_prev_miss: how many pages before index are cached */
      vt_u64 contig = 0;
      while (contig < max_pages && contig < index && local_has(f, index - 1 - contig))
         contig++;
      if (contig <= req_count) {       /* a standalone, small random read */
         do_page_cache_ra(f, index, req_count, 0);
         return;
      }
      if (contig == index)              /* cached from the start of the file */
         contig *= 2;
      ra->start = index;
      ra->size = contig + req_count < max_pages ? contig + req_count : max_pages;
      ra->async_size = 1;
   }
   ra->order = 0;
   page_cache_ra_order(f, ra);
}

/* The readahead's folio order for a window of size pages: at most
   MAX_PAGECACHE_ORDER and the window's (page_cache_ra_order). */
unsigned vt_ra_order_cap(unsigned order, vt_u64 size)
{
   if (order > MAX_PAGECACHE_ORDER)
      order = MAX_PAGECACHE_ORDER;
   return order > ilog2(size) ? ilog2(size) : order;
}

/* page_cache_async_ra's next window in ra (the unlimited model's state of
   a file, or a simulation's: mm_sims.c), a read having reached the
   marked folio at index (nr pages): if it is where the state put the
   mark, from the end of the last window, as large or larger; if not,
   from the next page not cached (has(ctx, pgoff) false), within
   max_pages.  Its folios two orders larger, its end aligned down to
   them (at most the lowest bit of max_pages), the whole window
   asynchronous.  False: no window. */
bool vt_async_ra_window(struct vt_file_ra *ra, vt_u64 max_pages, vt_u64 index, vt_u64 nr,
                        vt_u64 req_count, vt_u64 size_pages,
                        bool (*has)(const void *ctx, vt_u64 pgoff), const void *ctx)
{
   if (!max_pages)
      return false;
   vt_u64 expected = (ra->start + ra->size - ra->async_size) & ~(nr - 1);
   if (index == expected) {
      ra->start += ra->size;
      vt_u64 next = vt_get_next_ra_size(ra->size, max_pages);
      if (next > ra->size)
         ra->size = next;
   } else {
      /* a marked folio without readahead state to match: the window
         from the next page not cached */
      vt_u64 start = index + 1;
      while (start - index <= max_pages && start < size_pages && has(ctx, start))
         start++;
      if (start - index > max_pages)
         return false;
      ra->start = start;
      ra->size = start - index + req_count;
      ra->size = vt_get_next_ra_size(ra->size, max_pages);
   }
   ra->order += 2;
   unsigned align_order = ra->order < lowest_bit(max_pages) ? ra->order : lowest_bit(max_pages);
   vt_u64 align = (vt_u64)1 << align_order;
   vt_u64 end = ra->start + ra->size, aligned_end = end & ~(align - 1);
   if (aligned_end > ra->start)
      ra->size -= end - aligned_end;
   ra->async_size = ra->size;
   return true;
}

static bool has_local(const void *ctx, vt_u64 pgoff)
{
   return local_has(ctx, pgoff);
}

/* page_cache_async_ra: a read reached the marked folio at index (nr
   pages): the next window, larger, its folios two orders larger. */
static void page_cache_async_ra(struct vt_file *f, vt_u64 index, vt_u64 nr,
                                vt_u64 req_count)
{
   if (vt_async_ra_window(&f->ra, f->ra.ra_pages, index, nr, req_count, f->size_pages,
                          has_local, f))
      page_cache_ra_order(f, &f->ra);
}

bool vt_pcache_fault(struct vt_file *f, const struct vt_vma *v, vt_u64 pgoff)
{
   struct vt_file_ra *ra = &f->ra;
   vt_u64 first, nr;
   bool readahead;
   if (f->shmem || pgoff >= f->size_pages)
      return false;
   if (local_has(f, pgoff)) {
      folio_of(f, pgoff, &first, &nr, &readahead);
      /* do_async_mmap_readahead */
      if (ra->mmap_miss)
         ra->mmap_miss--;
      if (readahead && !(v->vm_flags & VT_VM_RAND_READ) && ra->ra_pages) {
         vt_hash_get(&f->cache, first)->aux &= ~PG_READAHEAD;
         page_cache_async_ra(f, first, nr, ra->ra_pages);
      }
      return false;
   }
   /* do_sync_mmap_readahead */
   if (v->vm_flags & VT_VM_HUGEPAGE) {
      /* two PMD-sized folios from the aligned index (one under
         VM_RAND_READ), even with readahead off */
      ra->start = pgoff & ~(vt_u64)((1u << VT_PMD_ORDER) - 1);
      ra->size = (vt_u64)1 << VT_PMD_ORDER;
      if (!(v->vm_flags & VT_VM_RAND_READ))
         ra->size *= 2;
      ra->async_size = (vt_u64)1 << VT_PMD_ORDER;
      ra->order = VT_PMD_ORDER;
      page_cache_ra_order(f, ra);
   } else if ((v->vm_flags & (VT_VM_RAND_READ | VT_VM_EXEC)) == VT_VM_RAND_READ ||
              !ra->ra_pages) {
      /* no readahead */
   } else if (v->vm_flags & VT_VM_SEQ_READ) {
      page_cache_sync_ra(f, pgoff, ra->ra_pages);
   } else {
      if (ra->mmap_miss < MMAP_LOTSAMISS * 10)
         ra->mmap_miss++;
      if (ra->mmap_miss <= MMAP_LOTSAMISS) {
         if (v->vm_flags & VT_VM_EXEC) {
            /* executable: from the page on, not beyond the VMA, nothing
               asynchronous (exec_folio_order is 0 on x86-64) */
            vt_u64 vstart = v->vm_pgoff;
            vt_u64 vend = vstart + ((v->vm_end - v->vm_start) >> VT_PAGE_SHIFT);
            ra->start = pgoff > vstart ? pgoff : vstart;
            vt_u64 end = ra->start + ra->ra_pages;
            ra->size = (end < vend ? end : vend) - ra->start;
            ra->async_size = 0;
         } else {
            /* read-around, centred on the page */
            ra->start = pgoff > ra->ra_pages / 2 ? pgoff - ra->ra_pages / 2 : 0;
            ra->size = ra->ra_pages;
            ra->async_size = ra->ra_pages / 4;
         }
         ra->order = 0;
         page_cache_ra_order(f, ra);
      }
   }
   /* filemap_fault reads the page itself if readahead did not */
   if (!local_has(f, pgoff))
      add_folio(f, pgoff, 0, false);
   return true;
}

/* filemap_read: a batch at a time (filemap_get_pages), from the page at
   pos: if it is not cached, synchronous readahead for the pages the read
   asks for (or that page alone, without readahead: filemap_create_folio);
   the batch is the cached folios from there up to the read's end, at most
   PAGEVEC_SIZE of them, ending with the first marked PG_readahead
   (filemap_get_read_batch), which starts asynchronous readahead
   (filemap_readahead); the read copies up to the batch's end and goes on.
   I/O is instantaneous here, so every folio found is uptodate. */
#define PAGEVEC_SIZE 31
void vt_pcache_read(struct vt_file *f, vt_u64 pos, vt_u64 count)
{
   struct vt_file_ra *ra = &f->ra;
   vt_u64 isize = f->size_pages << VT_PAGE_SHIFT;
   vt_u64 end = pos + count, last_pos = ra->prev_pos;
   bool moved = false;
   if (f->shmem)
      return;
   while (pos < end && pos < isize) {
      vt_u64 index = pos >> VT_PAGE_SHIFT;
      vt_u64 last_index = (end + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT;
      if (!local_has(f, index)) {
         if (ra->ra_pages)
            page_cache_sync_ra(f, index, last_index - index);
         if (!local_has(f, index))
            add_folio(f, index, 0, false);
      }
      vt_u64 at = index, first = index, nr = 1;
      bool mark = false;
      for (unsigned n = 0; n < PAGEVEC_SIZE && at < last_index && local_has(f, at) && !mark; n++) {
         folio_of(f, at, &first, &nr, &mark);
         at = first + nr;
      }
      if (mark && ra->ra_pages) {
         vt_hash_get(&f->cache, first)->aux &= ~PG_READAHEAD;
         page_cache_async_ra(f, first, nr, last_index - first);
      }
      vt_u64 stop = at << VT_PAGE_SHIFT;
      pos = stop < end ? stop : end;
      if (pos > isize)
         pos = isize;
      last_pos = pos;
      moved = true;
   }
   if (moved || ra->read_seen) {
      ra->prev_pos = last_pos;
      ra->read_seen = true;
   }
}

void vt_file_read(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, const char *path,
                  vt_u64 size_bytes, vt_u64 pos, vt_u64 count)
{
   if (!count)
      return;
   if (!mm->cfg.cold_cache) {
      /* the warm cache: only a file with new pages may miss */
      const struct vt_file *k = vt_file_find(mm, dev, ino);
      if (!k || k->shmem || k->warm_pages >= (size_bytes + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT)
         return;
   }
   struct vt_file *f = vt_file_get(mm, dev, ino, path, size_bytes, false);
   vt_u64 args_[] = { dev, ino, size_bytes, pos, count };
   vt_trace_file(mm, f);
   vt_trace_input(mm, VT_TEV_FILE_READ, args_, NULL);
   VT_API(mm, vt_pcache_read(f, pos, count));
}

/* generic_perform_write (mm/filemap.c), which ext4 (since Linux 6.16) and
   XFS (iomap_write_iter, alike) run for a buffered write: a step at a
   time, each at most to the end of the max_order-sized chunk pos lies in.
   The step's first page, if cached, is written in its folio; if not,
   write_begin makes it one (__filemap_get_folio with fgf_set_order of the
   step's bytes): the largest order whose size the bytes reach, at most
   max_order, smaller if the index is not aligned to it (the order of its
   lowest set bit), and smaller again while the folio's range holds a
   cached page (filemap_add_folio's -EEXIST).  The step ends at the
   folio's end, and i_size grows with each.  So 64 MiB written in 1 MiB
   writes sits in 256-page folios, 8 KiB writes make order-1 folios,
   a page-at-a-time writer order-0 pages (measured with /proc/kpageflags,
   tests/scenarios/folio.py).  Under the warm page cache a page of the
   file's warm part is cached already (in an order-0 folio unless
   recorded), so a new folio there is large; past it, a page not cached
   gets its folio as a cold file's. */
void vt_pcache_write(struct vt_file *f, vt_u64 pos, vt_u64 count, unsigned max_order)
{
   if (f->shmem)
      return;
   if (max_order > MAX_PAGECACHE_ORDER)
      max_order = MAX_PAGECACHE_ORDER;
   vt_u64 chunk = (vt_u64)VT_PAGE_SIZE << max_order;
   while (count) {
      vt_u64 bytes = chunk - (pos & (chunk - 1));
      if (bytes > count)
         bytes = count;
      vt_u64 index = pos >> VT_PAGE_SHIFT, first, nr;
      bool mark;
      if (local_has(f, index)) {
         folio_of(f, index, &first, &nr, &mark);
      } else {
         unsigned order = ilog2(bytes) > VT_PAGE_SHIFT ? ilog2(bytes) - VT_PAGE_SHIFT : 0;
         if (order > max_order)
            order = max_order;
         if (index & (((vt_u64)1 << order) - 1))
            order = lowest_bit(index);
         while (order && !range_free(f, index, (vt_u64)1 << order))
            order--;
         add_folio(f, index, order, false);
         first = index;
         nr = (vt_u64)1 << order;
      }
      vt_u64 room = ((first + nr) << VT_PAGE_SHIFT) - pos;
      if (bytes > room)
         bytes = room;
      if (f->cold)
         set_dirty(f, pos >> VT_PAGE_SHIFT, ((pos + bytes - 1) >> VT_PAGE_SHIFT) + 1, true);
      pos += bytes;
      count -= bytes;
      vt_u64 pages = (pos + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT;
      if (pages > f->size_pages)
         f->size_pages = pages;
   }
}

bool vt_file_write_matters(const struct vt_mm *mm, vt_u64 dev, vt_u64 ino,
                           vt_u64 size_bytes, vt_u64 pos, vt_u64 count, unsigned max_order)
{
   /* the cold cache needs every page; the warm one the large folios (a
      page of its warm part is cached already) and the pages past its
      warm part (the file's size before the write if the model does not
      know it yet) */
   if (!count || mm->cfg.cold_cache || (max_order && count >= 2 * VT_PAGE_SIZE))
      return count != 0;
   const struct vt_file *f = vt_file_find((struct vt_mm *)mm, dev, ino);
   vt_u64 warm = f ? f->warm_pages : (size_bytes + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT;
   return (f == NULL || !f->shmem) && (pos + count - 1) >> VT_PAGE_SHIFT >= warm;
}

void vt_file_write(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, const char *path,
                   vt_u64 size_bytes, vt_u64 pos, vt_u64 count, unsigned max_order)
{
   if (!vt_file_write_matters(mm, dev, ino, size_bytes, pos, count, max_order))
      return;
   struct vt_file *f = vt_file_get(mm, dev, ino, path, size_bytes, false);
   vt_u64 args_[] = { dev, ino, size_bytes, pos, count, max_order };
   vt_trace_file(mm, f);
   vt_trace_input(mm, VT_TEV_FILE_WRITE, args_, NULL);
   VT_API(mm, vt_pcache_write(f, pos, count, max_order));
   if (f->size_pages > f->warm_pages && !f->cold && !f->shmem)
      mm->fresh_files = true;
}

/* --page-cache=machine: what the machine's page cache held when the run
   met the file (the tool's probe, vmtrace-pcache): a regular file under
   it is cold (vt_file_get), and these are its cached folios.  A folio
   any of whose pages the model holds already is left out (a trace made
   by hand may say so; the probe never does). */
void vt_pcache_cached(struct vt_file *f, vt_u64 first, vt_u64 nr, unsigned order,
                      unsigned flags)
{
   if (f->shmem || !f->cold || order > MAX_PAGECACHE_ORDER)
      return;
   vt_u64 n = (vt_u64)1 << order;
   if ((first | nr) & (n - 1))
      return;
   for (vt_u64 i = first; i < first + nr; i += n) {
      if (!range_free(f, i, n))
         continue;
      add_folio(f, i, order, (flags & VT_CACHED_READAHEAD) != 0);
      if (flags & VT_CACHED_DIRTY)
         set_dirty(f, i, i + n, true);
   }
}

void vt_file_cached(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, const char *path,
                    vt_u64 size_bytes, vt_u64 first, vt_u64 nr, unsigned order,
                    unsigned flags)
{
   if (!nr)
      return;
   struct vt_file *f = vt_file_get(mm, dev, ino, path, size_bytes, false);
   vt_u64 args_[] = { dev, ino, size_bytes, first, nr, order | (flags & 3u) << 8 };
   vt_trace_file(mm, f);
   vt_trace_input(mm, VT_TEV_FILE_CACHED, args_, NULL);
   VT_API(mm, vt_pcache_cached(f, first, nr, order, flags & 3u));
}

void vt_file_willneed(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, const char *path,
                      vt_u64 size_bytes, vt_u64 first, vt_u64 nr)
{
   struct vt_file *f = vt_file_get(mm, dev, ino, path, size_bytes, false);
   if (f->shmem || !f->cold || first >= f->size_pages)
      return;
   /* max(io_pages, ra_pages): the device's largest I/O is not known here,
      and the readahead window is the larger on the disks measured */
   if (f->ra.ra_pages && nr > f->ra.ra_pages)
      nr = f->ra.ra_pages;
   if (nr > f->size_pages - first)
      nr = f->size_pages - first;
   vt_file_cached(mm, dev, ino, path, size_bytes, first, nr, 0, 0);
}

void vt_file_ra_pages(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, const char *path,
                      vt_u64 size_bytes, unsigned ra_pages)
{
   struct vt_file *f = vt_file_get(mm, dev, ino, path, size_bytes, false);
   if (f->shmem)
      return;
   vt_u64 args_[] = { dev, ino, size_bytes, ra_pages };
   vt_trace_file(mm, f);
   vt_trace_input(mm, VT_TEV_FILE_RA, args_, NULL);
   f->ra.bdi_ra_pages = ra_pages;
   f->ra.ra_pages = f->ra.seq ? 2 * ra_pages : ra_pages;
}

/* generic_fadvise: the advice that changes the open file's window or
   mode.  POSIX_FADV_NORMAL sets file->f_ra.ra_pages to the disk's and
   clears FMODE_RANDOM and FMODE_NOREUSE; POSIX_FADV_RANDOM sets
   FMODE_RANDOM, which page_cache_sync_ra reads (read(2)'s readahead and
   the fault of a VM_SEQ_READ mapping read just what they ask:
   force_page_cache_ra), not the mmap read-around nor the asynchronous
   readahead of a marked folio; POSIX_FADV_SEQUENTIAL doubles the disk's
   window in ra_pages (every readahead of the file, the read-around
   too) and clears FMODE_RANDOM (not FMODE_NOREUSE); POSIX_FADV_NOREUSE
   sets FMODE_NOREUSE, which only vma_has_recency reads (reclaim ignores
   the accessed bits of the file's mappings).  The range is not looked
   at.  The window's state (start, size, mmap_miss) is kept. */
void vt_file_fadvise(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, const char *path,
                     vt_u64 size_bytes, unsigned advice)
{
   if (advice > VT_FADV_SEQUENTIAL && advice != VT_FADV_NOREUSE)
      return;
   struct vt_file *f = vt_file_get(mm, dev, ino, path, size_bytes, false);
   if (f->shmem)
      return;
   vt_u64 args_[] = { dev, ino, size_bytes, advice };
   vt_trace_file(mm, f);
   vt_trace_input(mm, VT_TEV_FILE_ADVICE, args_, NULL);
   struct vt_file_ra *ra = &f->ra;
   switch (advice) {
   case VT_FADV_NORMAL:
      ra->seq = ra->random = ra->noreuse = false;
      ra->ra_pages = ra->bdi_ra_pages;
      break;
   case VT_FADV_RANDOM:
      ra->random = true;
      break;
   case VT_FADV_SEQUENTIAL:
      ra->seq = true;
      ra->random = false;
      ra->ra_pages = 2 * ra->bdi_ra_pages;
      break;
   case VT_FADV_NOREUSE:
      ra->noreuse = true;
      break;
   }
}

/* Whether a PTE of this process maps one of the page-cache pages
   [first, first + nr) of f. */
static bool folio_mapped(struct vt_mm *mm, const struct vt_file *f, vt_u64 first, vt_u64 nr)
{
   for (uint32_t i = 0; i < mm->nr_vmas; i++) {
      const struct vt_vma *v = &mm->vmas[i];
      if (v->vm_file != f)
         continue;
      vt_u64 vend = v->vm_pgoff + ((v->vm_end - v->vm_start) >> VT_PAGE_SHIFT);
      vt_u64 lo = first > v->vm_pgoff ? first : v->vm_pgoff;
      vt_u64 hi = first + nr < vend ? first + nr : vend;
      for (vt_u64 p = lo; p < hi; p++) {
         vt_pte pte = vt_get_pte(mm, v->vm_start + ((p - v->vm_pgoff) << VT_PAGE_SHIFT));
         if ((pte & (VT_PTE_PRESENT | VT_PTE_FILE)) == (VT_PTE_PRESENT | VT_PTE_FILE))
            return true;          /* not a private copy: the cache's page */
      }
   }
   return false;
}

/* Whether a page of the folio [first, first + nr) is dirty. */
static bool folio_dirty(const struct vt_file *f, vt_u64 first, vt_u64 nr)
{
   for (vt_u64 p = first; p < first + nr; p++) {
      const struct vt_hash_ent *e = vt_hash_get(&f->cache, p);
      if (e && (e->aux & PG_DIRTY))
         return true;
   }
   return false;
}

/* generic_fadvise's POSIX_FADV_DONTNEED: __filemap_fdatawrite_range
   starts writing the dirty folios back (WB_SYNC_NONE, without waiting),
   then mapping_try_invalidate: the folios wholly inside [first, end)
   (find_lock_entries leaves out those that reach past either end) that
   are not mapped, not dirty and not under writeback (mapping_evict_folio)
   leave the page cache.  So a folio written and not synced stays: its
   writeback has just begun (measured: 1 MiB written, advised without
   fsync, then read through a mapping: no major fault; with fsync first:
   1).  The model keeps the folio, still dirty: natively its writeback
   ends soon after, and a second advice would drop it, which the model
   does not see (nor the flusher's writeback of folios dirty for
   dirty_expire_centisecs).  Mappings of other processes are not seen. */
void vt_pcache_drop(struct vt_mm *mm, struct vt_file *f, vt_u64 first, vt_u64 end)
{
   if (end > f->size_pages)
      end = f->size_pages;
   for (vt_u64 p = first; p < end;) {
      vt_u64 head, nr;
      bool mark;
      if (!local_has(f, p)) {
         p++;
         continue;
      }
      folio_of(f, p, &head, &nr, &mark);
      if (head >= first && head + nr <= end && !folio_mapped(mm, f, head, nr) &&
          !folio_dirty(f, head, nr))
         for (vt_u64 i = 0; i < nr; i++)
            vt_hash_del(&f->cache, head + i);
      p = head + nr;
   }
}

/* A write fault through a shared mapping (do_shared_fault, wp_page_shared:
   fault_dirty_shared_page -> folio_mark_dirty) dirties the page-cache
   folio of page pgoff, as a write(2) does: POSIX_FADV_DONTNEED keeps it
   until it is written back (vt_pcache_clean).  Cold files only (the warm
   page cache drops nothing). */
void vt_pcache_dirty(struct vt_file *f, vt_u64 pgoff)
{
   vt_u64 first, nr;
   bool mark;
   if (!f->cold || f->shmem || !f->cache.e || !vt_hash_get(&f->cache, pgoff))
      return;
   folio_of(f, pgoff, &first, &nr, &mark);
   set_dirty(f, first, first + nr, true);
}

/* fsync, fdatasync, sync_file_range(SYNC_FILE_RANGE_WAIT_AFTER): the
   pages [first, end) are written back and clean. */
void vt_pcache_clean(struct vt_file *f, vt_u64 first, vt_u64 end)
{
   if (!f->cold || !f->cache.e)
      return;
   if (end > f->size_pages)
      end = f->size_pages;
   set_dirty(f, first, end, false);
}

/* do_dentry_open -> file_ra_state_init: a new open file's readahead state
   (its window, mmap_miss, prev_pos) starts afresh, with the disk's window,
   and its mode without the hints of posix_fadvise.  The model keeps one
   state a file, so it follows the file's latest open: sqlite's shell reads
   a database's first page through one open, and its mapping, made through
   another, starts from no history (its first marked folio does not match
   the window of that read, and the next window is ra_pages long).  Under
   the warm page cache only a file with hints has anything to start
   afresh. */
void vt_file_open(struct vt_mm *mm, vt_u64 dev, vt_u64 ino)
{
   struct vt_file *f = vt_file_find(mm, dev, ino);
   if (!f || f->shmem ||
       (!mm->cfg.cold_cache && !f->ra.seq && !f->ra.random && !f->ra.noreuse))
      return;
   vt_u64 args_[] = { dev, ino };
   vt_trace_file(mm, f);
   vt_trace_input(mm, VT_TEV_FILE_OPEN, args_, NULL);
   unsigned bdi_ra_pages = f->ra.bdi_ra_pages;
   VT_API(mm, vt_memset(&f->ra, 0, sizeof f->ra));
   f->ra.ra_pages = f->ra.bdi_ra_pages = bdi_ra_pages;
}

void vt_pcache_mapped(struct vt_file *f, vt_u64 nr)
{
   f->ra.mmap_miss = f->ra.mmap_miss > nr ? f->ra.mmap_miss - (unsigned)nr : 0;
}
