/* The mappings of each process, as the mmap records and /proc/PID/maps
   show them, and the faults counted in each (perf's maps). */
#include "vn.h"

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

static struct vn_map *add_map(struct vn_proc *p, uint64_t start, uint64_t end,
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
   m->live = 1;
   if (exec && m->kind == VN_K_FILE)
      m->elf = vn_elf_get(name);
   p->maps = vn_grow(p->maps, p->nmaps, &p->cap_maps, sizeof *p->maps);
   p->maps[p->nmaps++] = m;
   return m;
}

/* A new mapping replaces what it overlaps, as mmap(MAP_FIXED) does.  A
   record of a mapping that starts where a live one of the same name does
   extends that one instead (the heap growing by brk reports the whole heap
   again; the kernel merging a new anonymous mapping into its neighbour
   reports the merged one). */
static void place_map(struct vn_proc *p, uint64_t start, uint64_t end,
                      uint64_t pgoff, int exec, const char *name)
{
   size_t i;
   struct vn_map *keep = NULL;
   for (i = 0; i < p->nmaps; i++) {
      struct vn_map *m = p->maps[i];
      if (m->live && m->start == start && m->exec == exec && strcmp(m->name, name) == 0 &&
          (m->kind != VN_K_FILE || m->pgoff == pgoff)) {
         keep = m;
         break;
      }
   }
   for (i = 0; i < p->nmaps; i++) {
      struct vn_map *m = p->maps[i];
      if (m == keep || !m->live || m->end <= start || m->start >= end)
         continue;
      if (m->start >= start && m->end <= end)
         m->live = 0;
      else if (m->start < start)
         m->end = start;
      else
         m->start = end;
   }
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

void vn_maps_copy(struct vn_proc *child, const struct vn_proc *parent)
{
   size_t i;
   for (i = 0; i < parent->nmaps; i++) {
      const struct vn_map *m = parent->maps[i];
      if (m->live)
         add_map(child, m->start, m->end, m->pgoff, m->exec, m->name);
   }
}

void vn_maps_forget(struct vn_proc *p)
{
   size_t i;
   for (i = 0; i < p->nmaps; i++)
      p->maps[i]->live = 0;
   p->maps_read = 0;
}

/* Adds the segments of /proc/PID/maps that no recorded mapping covers:
   the stack, the vdso, anything mapped before recording began. */
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
      size_t i;
      const char *name;
      int covered = 0;
      if (sscanf(line, "%llx-%llx %7s %llx %*s %*s%n", &s, &e, perms, &off, &n) < 4 || n == 0)
         continue;
      name = line + n;
      while (*name == ' ')
         name++;
      line[strcspn(line, "\n")] = '\0';
      for (i = 0; i < p->nmaps; i++) {
         struct vn_map *m = p->maps[i];
         if (m->live && m->start < e && m->end > s) {
            covered = 1;
            break;
         }
      }
      if (!covered)
         add_map(p, s, e, off, perms[2] == 'x', name);
   }
   fclose(f);
}

static struct vn_map *find_live(struct vn_proc *p, uint64_t addr)
{
   size_t i = p->nmaps;
   while (i-- > 0) {
      struct vn_map *m = p->maps[i];
      if (m->live && addr >= m->start && addr < m->end)
         return m;
   }
   return NULL;
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

static struct vn_map *stack_map(struct vn_proc *p, uint64_t addr)
{
   size_t i;
   for (i = 0; i < p->nmaps; i++) {
      struct vn_map *m = p->maps[i];
      if (m->live && m->kind == VN_K_STACK) {
         if (addr < m->start)
            m->start = addr & ~(uint64_t)(VN_PAGE - 1);
         if (addr >= m->end)
            m->end = (addr | (VN_PAGE - 1)) + 1;
         return m;
      }
   }
   return add_map(p, addr & ~(uint64_t)(VN_PAGE - 1), (addr | (VN_PAGE - 1)) + 1, 0, 0, "[stack]");
}

void vn_fault(struct vn_proc *p, int cls, uint64_t addr, uint64_t sp)
{
   struct vn_map *m = vn_map_lookup(p, addr);
   if (!m && sp && addr + 65536 + 256 >= sp && addr < sp + (8u << 20))
      m = stack_map(p, addr);   /* a stack no record or /proc showed */
   if (!m) {
      size_t i;
      for (i = 0; i < p->nmaps; i++)
         if (p->maps[i]->kind == VN_K_UNKNOWN)
            break;
      if (i < p->nmaps) {
         m = p->maps[i];
      } else {
         m = add_map(p, 0, 0, 0, 0, "[unknown]");
         m->kind = VN_K_UNKNOWN;
         m->live = 0;
      }
   }
   p->faults.n[cls]++;
   m->faults.n[cls]++;
   if (page_add(((uint64_t)m->id << 36) | ((addr >> 12) & ((1ull << 36) - 1))))
      m->pages_faulted++;
}
