/* The mappings of each process, as the mmap records and /proc/PID/maps
   show them, and the faults counted in each (perf's maps). */
#include "vn.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static uint32_t next_map_id = 1;

static enum vn_kind kind_of(const char *name)
{
   if (name[0] == '/')
      return VN_K_FILE;
   if (strcmp(name, "[heap]") == 0)
      return VN_K_HEAP;
   if (strncmp(name, "[stack", 6) == 0)
      return VN_K_STACK;
   return VN_K_ANON;
}

/* A mapping of p, in its list of every mapping ever (the output's). */
static struct vn_map *new_map(struct vn_proc *p, uint64_t start, uint64_t end,
                              uint64_t pgoff, int exec, const char *name)
{
   struct vn_map *m = vn_xcalloc(1, sizeof *m);
   m->start = start;
   m->end = end;
   m->pgoff = pgoff;
   m->name = vn_xstrdup(name);
   m->kind = kind_of(name);
   m->exec = exec;
   m->id = next_map_id++;
   if (exec && m->kind == VN_K_FILE)
      m->elf = vn_elf_get(name);
   p->maps = vn_grow(p->maps, p->nmaps, &p->cap_maps, sizeof *p->maps);
   p->maps[p->nmaps++] = m;
   return m;
}

/* ---- the live mappings, by address -----------------------------------------
   A process's live mappings never overlap (a new one first cuts what it
   covers), so sorted by start they are sorted by end too: finding the one
   at an address, for every fault and every frame, is a binary search, not
   a walk through every mapping the process ever had. */

/* The index in p->live of the first live mapping that ends above addr. */
static size_t live_above(const struct vn_proc *p, uint64_t addr)
{
   size_t lo = 0, hi = p->nlive;
   while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (p->live[mid]->end <= addr)
         lo = mid + 1;
      else
         hi = mid;
   }
   return lo;
}

static struct vn_map *find_live(struct vn_proc *p, uint64_t addr)
{
   size_t i = live_above(p, addr);
   return i < p->nlive && p->live[i]->start <= addr ? p->live[i] : NULL;
}

static void live_insert(struct vn_proc *p, struct vn_map *m)
{
   size_t i = live_above(p, m->start);
   assert(m->start < m->end);
   assert(i == p->nlive || p->live[i]->start >= m->end);
   assert(i == 0 || p->live[i - 1]->end <= m->start);
   p->live = vn_grow(p->live, p->nlive, &p->cap_live, sizeof *p->live);
   memmove(&p->live[i + 1], &p->live[i], (p->nlive - i) * sizeof *p->live);
   p->live[i] = m;
   p->nlive++;
   m->live = 1;
}

static void live_remove(struct vn_proc *p, struct vn_map *m)
{
   size_t i = live_above(p, m->start);
   assert(i < p->nlive && p->live[i] == m);
   memmove(&p->live[i], &p->live[i + 1], (p->nlive - i - 1) * sizeof *p->live);
   p->nlive--;
   m->live = 0;
}

/* A new live mapping, where none is. */
static struct vn_map *add_map(struct vn_proc *p, uint64_t start, uint64_t end,
                              uint64_t pgoff, int exec, const char *name)
{
   struct vn_map *m = new_map(p, start, end, pgoff, exec, name);
   live_insert(p, m);
   return m;
}

/* [start, end) leaves the live mappings, but `keep`: those inside it go,
   those across an end are cut, one across both is split in two (the part
   above is a mapping of its own from now on, as the kernel's split_vma
   makes it). */
static void unmap_range(struct vn_proc *p, uint64_t start, uint64_t end, const struct vn_map *keep)
{
   size_t i = live_above(p, start);
   while (i < p->nlive && p->live[i]->start < end) {
      struct vn_map *m = p->live[i];
      if (m == keep) {
         i++;
      } else if (m->start >= start && m->end <= end) {
         live_remove(p, m);
      } else if (m->start < start && m->end > end) {
         struct vn_map *above = new_map(p, end, m->end, m->pgoff + (end - m->start), m->exec,
                                        m->name);
         above->kind = m->kind;
         m->end = start;
         live_insert(p, above);
         i += 2;
      } else if (m->start < start) {
         m->end = start;
         i++;
      } else {
         m->pgoff += end - m->start;
         m->start = end;
         i++;
      }
   }
}

/* A new mapping replaces what it overlaps, as mmap(MAP_FIXED) does.  A
   record of a mapping that starts where a live one of the same name does
   extends that one instead (the heap growing by brk reports the whole heap
   again; the kernel merging a new anonymous mapping into its neighbour
   reports the merged one). */
static void place_map(struct vn_proc *p, uint64_t start, uint64_t end,
                      uint64_t pgoff, int exec, const char *name)
{
   size_t i = live_above(p, start);
   struct vn_map *keep = NULL;
   if (i < p->nlive) {
      struct vn_map *m = p->live[i];
      if (m->start == start && m->exec == exec && strcmp(m->name, name) == 0 &&
          (m->kind != VN_K_FILE || m->pgoff == pgoff))
         keep = m;
   }
   unmap_range(p, start, end, keep);
   if (keep) {
      if (end > keep->end)
         keep->end = end;
      return;
   }
   add_map(p, start, end, pgoff, exec, name);
}

/* Whether /proc/PID/maps calls the mapping at start the heap. */
int vn_is_heap(pid_t pid, uint64_t start)
{
   char path[64], line[512];
   FILE *f;
   int heap = 0;
   snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
   f = fopen(path, "re");
   if (!f)
      return 0;
   while (fgets(line, sizeof line, f)) {
      unsigned long long s;
      if (sscanf(line, "%llx-", &s) == 1 && s == start) {
         heap = strstr(line, "[heap]") != NULL;
         break;
      }
   }
   fclose(f);
   return heap;
}

void vn_proc_mmap(pid_t pid, uint64_t start, uint64_t len, uint64_t pgoff,
                  uint32_t prot, const char *name)
{
   struct vn_proc *p = vn_proc_find(pid);
   if (!p)
      return;
   p->exec_unmapped = 0;
   if (strcmp(name, "//anon") == 0 || strncmp(name, "/dev/zero", 9) == 0)
      name = "";
   if (!p->exec_done) {
      /* exec maps the program first, then its bss, the loader, the vdso */
      if (name[0] == '/' && !p->exe_name)
         p->exe_name = vn_xstrdup(name);
      if (p->exe_name && (strcmp(name, p->exe_name) == 0 || (!name[0] && start == p->exe_end)) &&
          start + len > p->exe_end)
         p->exe_end = start + len;
      if (strcmp(name, "[vdso]") == 0)
         p->exec_done = 1;
   } else if (!name[0] && p->exe_end && start >= p->exe_end &&
              start - p->exe_end <= 0x40000000) {
      /* Recent kernels name the brk heap's record "//anon" (its bounds are
         set after it is made) and the process may be gone before /proc
         could say (see collect): an anonymous mapping where brk puts the
         heap, within 1 GiB (its randomisation on x86-64) above the program's
         image, made after the image was set up, is the heap. */
      name = "[heap]";
   }
   place_map(p, start, start + len, pgoff, (prot & PROT_EXEC) != 0, name);
}

/* mremap, as mm/mremap.c does it: in place, a shrink unmaps the tail and a
   growth extends the mapping over what follows; a move takes the mapping
   (its name, and its file offset where it starts) to the new place,
   replacing what was there (MREMAP_FIXED), and unmaps the old range unless
   MREMAP_DONTUNMAP keeps it (emptied) or old_len is 0 (a second mapping of
   the same shared pages). */
void vn_proc_mremap(pid_t pid, uint64_t old, uint64_t old_len, uint64_t new_len,
                    uint64_t flags, uint64_t new)
{
   struct vn_proc *p = vn_proc_find(pid);
   struct vn_map *m;
   char *name;
   uint64_t pgoff;
   int exec;
   if (!p || !(m = find_live(p, old)))
      return;   /* from somewhere we never knew: its faults will ask /proc */
   name = vn_xstrdup(m->name);
   pgoff = m->pgoff + (old - m->start);
   exec = m->exec;
   if (new == old && new_len <= old_len) {
      unmap_range(p, old + new_len, old + old_len, NULL);
   } else if (new == old) {
      unmap_range(p, old + old_len, old + new_len, NULL);
      m = find_live(p, old);
      if (m && m->end == old + old_len)
         m->end = old + new_len;
      else
         place_map(p, old + old_len, old + new_len, pgoff + old_len, exec, name);
   } else {
      if (old_len && !(flags & MREMAP_DONTUNMAP))
         unmap_range(p, old, old + old_len, NULL);
      place_map(p, new, new + new_len, pgoff, exec, name);
   }
   free(name);
}

void vn_maps_forget(struct vn_proc *p)
{
   size_t i;
   for (i = 0; i < p->nlive; i++)
      p->live[i]->live = 0;
   p->nlive = 0;
   p->maps_read = 0;
}

/* The live mapping of p that starts lowest in [from, to), or NULL. */
static struct vn_map *first_live_in(struct vn_proc *p, uint64_t from, uint64_t to)
{
   size_t i = live_above(p, from);
   return i < p->nlive && p->live[i]->start < to ? p->live[i] : NULL;
}

/* [start, end) of a segment named `name`, which no live mapping covers:
   joined to a live mapping of that name it continues (a mapping grown in
   place), else a mapping of its own. */
static void add_piece(struct vn_proc *p, uint64_t start, uint64_t end, uint64_t pgoff,
                      int exec, const char *name)
{
   size_t i = live_above(p, start);
   struct vn_map *below = i > 0 ? p->live[i - 1] : NULL, *above = i < p->nlive ? p->live[i] : NULL;
   if (below && below->end == start && below->exec == exec && strcmp(below->name, name) == 0)
      below->end = end;
   else if (above && above->start == end && above->exec == exec && strcmp(above->name, name) == 0) {
      above->pgoff -= end - start;
      above->start = start;
   } else
      add_map(p, start, end, pgoff, exec, name);
}

/* The parts of [start, end) (a segment at file offset pgoff) that no
   live mapping of p covers become mappings: pieces joined to a neighbour
   of the same name (add_piece), or each a mapping of its own. */
static void fill_gaps(struct vn_proc *p, uint64_t start, uint64_t end, uint64_t pgoff,
                      int exec, const char *name, int join)
{
   uint64_t pos;
   for (pos = start; pos < end;) {
      struct vn_map *m = find_live(p, pos), *next;
      uint64_t to;
      if (m) {
         pos = m->end;
         continue;
      }
      next = first_live_in(p, pos, end);
      to = next ? next->start : end;
      if (join)
         add_piece(p, pos, to, pgoff + (pos - start), exec, name);
      else
         add_map(p, pos, to, pgoff + (pos - start), exec, name);
      pos = to;
   }
}

/* At fork the child's mappings are its parent's, each its own.  A child
   whose samples came before its fork record (vn_proc_of_sample) may have
   mappings already, from its own records or /proc: they are newer, and
   stay. */
void vn_maps_copy(struct vn_proc *child, const struct vn_proc *parent)
{
   size_t i;
   for (i = 0; i < parent->nlive; i++) {
      const struct vn_map *m = parent->live[i];
      fill_gaps(child, m->start, m->end, m->pgoff, m->exec, m->name, 0);
   }
}

/* Adds what /proc/PID/maps shows and no live mapping covers: the stack,
   the vdso, anything mapped before recording began, and what moved or
   grew without a record. */
static void read_proc_maps(struct vn_proc *p)
{
   char path[64], line[4096 + 256];
   FILE *f;
   p->maps_read = 1;
   snprintf(path, sizeof path, "/proc/%d/maps", (int)p->pid);
   f = fopen(path, "re");
   if (!f)
      return;
   while (fgets(line, sizeof line, f)) {
      unsigned long long s, e, off;
      char perms[8];
      int n = 0;
      const char *name;
      if (sscanf(line, "%llx-%llx %7s %llx %*s %*s%n", &s, &e, perms, &off, &n) < 4 || n == 0)
         continue;
      name = line + n;
      while (*name == ' ')
         name++;
      line[strcspn(line, "\n")] = '\0';
      fill_gaps(p, s, e, off, perms[2] == 'x', name, 1);
   }
   fclose(f);
}

struct vn_map *vn_map_lookup(struct vn_proc *p, uint64_t addr)
{
   struct vn_map *m = find_live(p, addr);
   if (m || p->maps_read)
      return m;
   read_proc_maps(p);
   return find_live(p, addr);
}

/* ---- distinct pages per mapping ------------------------------------------
   A set of (mapping id, page number) keys: a mapping's pages_faulted
   counts each page once however often it faults. */

static uint64_t *pages;
static size_t npages, cap_pages;

static uint64_t page_hash(uint32_t i)
{
   return vn_hash_u64(pages[i]);
}

static int page_is(uint32_t i, const void *key)
{
   return pages[i] == *(const uint64_t *)key;
}

static struct vn_table page_set = { .hash = page_hash, .same = page_is };

/* 1 if the page was not in the set yet. */
static int page_add(uint64_t key)
{
   if (vn_table_intern(&page_set, vn_hash_u64(key), &key, (uint32_t)npages) != npages)
      return 0;
   pages = vn_grow(pages, npages, &cap_pages, sizeof *pages);
   pages[npages++] = key;
   return 1;
}

/* ---- faults ------------------------------------------------------------- */

/* The stack a fault near the stack pointer is on: the live [stack]
   grown down (or up) to it over free space, else a page of stack of its
   own. */
static struct vn_map *stack_map(struct vn_proc *p, uint64_t addr)
{
   uint64_t page = addr & ~(uint64_t)(VN_PAGE - 1);
   size_t i;
   for (i = 0; i < p->nlive; i++) {
      struct vn_map *m = p->live[i];
      if (m->kind != VN_K_STACK)
         continue;
      if (page < m->start && !first_live_in(p, page, m->start)) {
         m->start = page;
         return m;
      }
      if (page >= m->end && !first_live_in(p, m->end, page + VN_PAGE)) {
         m->end = page + VN_PAGE;
         return m;
      }
   }
   return add_map(p, page, page + VN_PAGE, 0, 0, "[stack]");
}

void vn_fault(struct vn_proc *p, int cls, uint64_t addr, uint64_t sp, uint64_t t_ns)
{
   int first_read = !p->maps_read;
   struct vn_map *m;
   p->exec_unmapped = 0;
   m = vn_map_lookup(p, addr);
   if (!m && sp && addr + 65536 + 256 >= sp && addr < sp + (8u << 20))
      m = stack_map(p, addr);   /* a stack no record or /proc showed */
   if (!m && !first_read && t_ns >= p->maps_fruitless_ns + 1000000) {
      /* Something changed without a record (mremap, where it is not
         traced): /proc/PID/maps again, if the process is still there.
         A read that does not help holds off the next for a millisecond. */
      read_proc_maps(p);
      m = find_live(p, addr);
      if (!m)
         p->maps_fruitless_ns = t_ns;
   }
   if (!m) {
      if (!p->unknown) {
         p->unknown = new_map(p, 0, 0, 0, 0, "[unknown]");
         p->unknown->kind = VN_K_UNKNOWN;
      }
      m = p->unknown;
   }
   p->faults.n[cls]++;
   m->faults.n[cls]++;
   if (page_add(((uint64_t)m->id << 36) | ((addr >> 12) & ((1ull << 36) - 1))))
      m->pages_faulted++;
}
