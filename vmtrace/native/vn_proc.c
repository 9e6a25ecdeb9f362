/* The processes of the tree, their mappings as the mmap records and
   /proc/PID/maps show them, faults by mapping, resident pages, and the
   timeline. */
#include "vn.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct vn_proc **vn_procs;
size_t vn_nprocs;
static size_t cap_procs;
static uint32_t next_map_id = 1;

/* pid → process, open addressing; a pid reused by a later process maps to
   the later one. */
static struct vn_proc **pid_tab;
static size_t pid_cap;

static size_t pid_slot(pid_t pid)
{
   size_t i = ((size_t)pid * 2654435761u) & (pid_cap - 1);
   while (pid_tab[i] && pid_tab[i]->pid != pid)
      i = (i + 1) & (pid_cap - 1);
   return i;
}

struct vn_proc *vn_proc_find(pid_t pid)
{
   if (!pid_cap)
      return NULL;
   return pid_tab[pid_slot(pid)];
}

static void open_statm(struct vn_proc *p)
{
   char path[64];
   snprintf(path, sizeof path, "/proc/%d/statm", (int)p->pid);
   p->statm_fd = open(path, O_RDONLY | O_CLOEXEC);
   snprintf(path, sizeof path, "/proc/%d/status", (int)p->pid);
   p->status_fd = open(path, O_RDONLY | O_CLOEXEC);
}

struct vn_proc *vn_proc_new(pid_t pid, pid_t ppid, double start)
{
   struct vn_proc *p = vn_xcalloc(1, sizeof *p);
   p->pid = pid;
   p->ppid = ppid;
   p->start_time = start;
   p->end_time = -1;
   p->statm_fd = -1;
   p->status_fd = -1;
   if (vn_nprocs == cap_procs) {
      cap_procs = cap_procs ? cap_procs * 2 : 16;
      vn_procs = vn_xrealloc(vn_procs, cap_procs * sizeof *vn_procs);
   }
   vn_procs[vn_nprocs++] = p;
   if (vn_nprocs * 2 > pid_cap) {
      struct vn_proc **old = pid_tab;
      size_t oldcap = pid_cap, i;
      pid_cap = pid_cap ? pid_cap * 2 : 64;
      while (vn_nprocs * 2 > pid_cap)
         pid_cap *= 2;
      pid_tab = vn_xcalloc(pid_cap, sizeof *pid_tab);
      for (i = 0; i < oldcap; i++)
         if (old[i])
            pid_tab[pid_slot(old[i]->pid)] = old[i];
      free(old);
   }
   pid_tab[pid_slot(pid)] = p;
   open_statm(p);
   return p;
}

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
   if (p->nmaps == p->cap_maps) {
      p->cap_maps = p->cap_maps ? p->cap_maps * 2 : 32;
      p->maps = vn_xrealloc(p->maps, p->cap_maps * sizeof *p->maps);
   }
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

void vn_proc_fork(pid_t pid, pid_t ppid, double when)
{
   struct vn_proc *parent = vn_proc_find(ppid);
   struct vn_proc *p;
   size_t i;
   if (!parent)
      return;   /* not of our tree */
   p = vn_proc_new(pid, ppid, when);
   memcpy(p->comm, parent->comm, sizeof p->comm);
   p->exe_name = parent->exe_name ? vn_xstrdup(parent->exe_name) : NULL;
   p->exe_end = parent->exe_end;
   p->exec_done = parent->exec_done;
   for (i = 0; i < parent->nmaps; i++) {
      struct vn_map *m = parent->maps[i];
      if (m->live)
         add_map(p, m->start, m->end, m->pgoff, m->exec, m->name);
   }
}

void vn_proc_exit(pid_t pid, double when)
{
   struct vn_proc *p = vn_proc_find(pid);
   if (!p || p->exited)
      return;
   p->exited = 1;
   p->end_time = when;
   if (p->statm_fd >= 0)
      close(p->statm_fd);
   if (p->status_fd >= 0)
      close(p->status_fd);
   p->statm_fd = p->status_fd = -1;
}

/* The kernel's high-water mark of the process's resident set (VmHWM). */
static void read_hwm(struct vn_proc *p)
{
   char buf[4096];
   ssize_t n;
   const char *h;
   unsigned long long kib;
   if (p->status_fd < 0)
      return;
   n = pread(p->status_fd, buf, sizeof buf - 1, 0);
   if (n <= 0)
      return;
   buf[n] = '\0';
   h = strstr(buf, "\nVmHWM:");
   if (h && sscanf(h + 7, "%llu", &kib) == 1 && kib / 4 > p->peak_rss)
      p->peak_rss = kib / 4;
}

void vn_proc_exec(pid_t pid, const char *comm)
{
   struct vn_proc *p = vn_proc_find(pid);
   size_t i;
   if (!p)
      return;
   /* The first exec of PROG is where recording starts, not an exec of it. */
   if (p->comm[0] || p->ppid != getpid())
      p->execs++;
   snprintf(p->comm, sizeof p->comm, "%s", comm);
   for (i = 0; i < p->nmaps; i++)
      p->maps[i]->live = 0;
   p->maps_read = 0;
   free(p->exe_name);
   p->exe_name = NULL;
   p->exe_end = 0;
   p->exec_done = 0;
   vn_unwind_forget(p);
}

void vn_proc_comm(pid_t pid, const char *comm)
{
   struct vn_proc *p = vn_proc_find(pid);
   if (p)
      snprintf(p->comm, sizeof p->comm, "%s", comm);
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

/* ---- distinct pages per mapping ---------------------------------------- */

static uint64_t *pageset;
static size_t pageset_cap, pageset_n;

static int pageset_add(uint64_t key)
{
   size_t i;
   if ((pageset_n + 1) * 2 > pageset_cap) {
      uint64_t *old = pageset;
      size_t oldcap = pageset_cap, j;
      pageset_cap = pageset_cap ? pageset_cap * 2 : 1u << 16;
      pageset = vn_xcalloc(pageset_cap, sizeof *pageset);
      for (j = 0; j < oldcap; j++) {
         if (old[j]) {
            i = (size_t)((old[j] * 0x9E3779B97F4A7C15ull) >> 20) & (pageset_cap - 1);
            while (pageset[i])
               i = (i + 1) & (pageset_cap - 1);
            pageset[i] = old[j];
         }
      }
      free(old);
   }
   i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & (pageset_cap - 1);
   while (pageset[i]) {
      if (pageset[i] == key)
         return 0;
      i = (i + 1) & (pageset_cap - 1);
   }
   pageset[i] = key;
   pageset_n++;
   return 1;
}

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
   if (pageset_add(((uint64_t)m->id << 36) | ((addr >> 12) & ((1ull << 36) - 1))))
      m->pages_faulted++;
}

/* ---- resident pages ------------------------------------------------------ */

uint64_t vn_poll_rss(void)
{
   uint64_t sum = 0;
   int seen = 0;
   size_t i;
   for (i = 0; i < vn_nprocs; i++) {
      struct vn_proc *p = vn_procs[i];
      char buf[256];
      ssize_t n;
      unsigned long long size, res;
      if (p->exited || p->statm_fd < 0)
         continue;
      n = pread(p->statm_fd, buf, sizeof buf - 1, 0);
      if (n <= 0) {
         close(p->statm_fd);
         p->statm_fd = -1;
         continue;
      }
      buf[n] = '\0';
      if (sscanf(buf, "%llu %llu", &size, &res) != 2 || size == 0)
         continue;   /* a zombie: its memory is gone, its exit not seen yet */
      seen = 1;
      read_hwm(p);
      if (res > p->peak_rss)
         p->peak_rss = res;
      sum += res;
   }
   if (sum > vn_run.peak_rss)
      vn_run.peak_rss = sum;
   return seen ? sum : VN_NO_RSS;
}

/* ---- timeline ------------------------------------------------------------ */

#define TL_MAX 4096
static uint64_t tl_interval = 1000000;   /* ns */
static uint64_t tl_faults[VN_NCLASS][TL_MAX];
static uint64_t tl_rss[TL_MAX];
static size_t tl_n;
static uint64_t tl_end;

static void tl_merge(void)
{
   size_t i, n = (tl_n + 1) / 2;
   int c;
   for (i = 0; i < n; i++) {
      size_t a = 2 * i, b = 2 * i + 1;
      for (c = 0; c < VN_NCLASS; c++)
         tl_faults[c][i] = tl_faults[c][a] + (b < tl_n ? tl_faults[c][b] : 0);
      tl_rss[i] = b < tl_n ? tl_rss[b] : tl_rss[a];
   }
   for (i = n; i < TL_MAX; i++) {
      for (c = 0; c < VN_NCLASS; c++)
         tl_faults[c][i] = 0;
      tl_rss[i] = 0;
   }
   tl_n = n;
   tl_interval *= 2;
}

static size_t tl_index(uint64_t t)
{
   uint64_t rel = t > vn_run.start_ns ? t - vn_run.start_ns : 0;
   size_t i;
   while ((i = (size_t)(rel / tl_interval)) >= TL_MAX)
      tl_merge();
   if (i + 1 > tl_n) {
      size_t k;
      uint64_t last = tl_n ? tl_rss[tl_n - 1] : 0;
      for (k = tl_n; k <= i; k++)
         tl_rss[k] = last;
      tl_n = i + 1;
   }
   return i;
}

void vn_timeline_fault(int cls, uint64_t t)
{
   tl_faults[cls][tl_index(t)]++;
}

void vn_timeline_tick(uint64_t t, uint64_t rss)
{
   size_t i = tl_index(t);
   if (rss != VN_NO_RSS)
      tl_rss[i] = rss;
   if (t > tl_end)
      tl_end = t;
}

/* When sample i closed, in whole milliseconds since the start (the last
   one where the run ended, rounded up). */
static uint64_t close_ns(size_t i, uint64_t end_rel)
{
   uint64_t c = (i + 1) * tl_interval;
   if (i + 1 == tl_n && end_rel < c)
      c = (end_rel + 999999) / 1000000 * 1000000;
   return c;
}

/* The run ended at t: the last sample closes there, keeping the resident
   pages last seen (the processes are gone by now). */
void vn_timeline_end(uint64_t t)
{
   tl_index(t);
   if (t > tl_end)
      tl_end = t;
}

void vn_timeline_json(FILE *f)
{
   size_t i;
   uint64_t end_rel = tl_end > vn_run.start_ns ? tl_end - vn_run.start_ns : 0;
   double start_ms = vn_run.start_time * 1000.0;
   int c;
   static const char *names[VN_NCLASS] = { "minor", "major" };
   fprintf(f, "{\"interval_ms\": %llu, \"t_ms\": [", (unsigned long long)(tl_interval / 1000000));
   for (i = 0; i < tl_n; i++)
      fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)(close_ns(i, end_rel) / 1000000));
   fputs("], \"wall_ms\": [", f);
   for (i = 0; i < tl_n; i++)
      fprintf(f, "%s%.0f", i ? ", " : "", start_ms + (double)(close_ns(i, end_rel) / 1000000));
   fputs("], \"rss\": [", f);
   for (i = 0; i < tl_n; i++)
      fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)tl_rss[i]);
   fputs("], \"faults\": {", f);
   for (c = 0; c < VN_NCLASS; c++) {
      fprintf(f, "%s\"%s\": [", c ? ", " : "", names[c]);
      for (i = 0; i < tl_n; i++)
         fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)tl_faults[c][i]);
      fputc(']', f);
   }
   fputs("}}", f);
}
