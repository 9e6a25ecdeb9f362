/* The kernel's side: one minor-faults and one major-faults software event
   per CPU, attached to PROG before it execs and inherited by everything it
   forks, each sampling every fault (period 1) into a ring buffer per CPU,
   with the side-band records (mmap, comm, fork, exit) that let us follow
   the address spaces.  Records are drained in rounds and handled in time
   order across the CPUs' buffers. */
#include "vn.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* x86-64 registers in perf's numbering (asm/perf_regs.h). */
enum { PR_AX, PR_BX, PR_CX, PR_DX, PR_SI, PR_DI, PR_BP, PR_SP, PR_IP,
       PR_FLAGS, PR_CS, PR_SS, PR_DS, PR_ES, PR_FS, PR_GS,
       PR_R8, PR_R9, PR_R10, PR_R11, PR_R12, PR_R13, PR_R14, PR_R15 };
/* AX..IP and R8..R15: 17 registers, in this order in a sample. */
#define REGS_ALL (0x1ffull | (0xffull << PR_R8))
#define REGS_SP_IP ((1ull << PR_SP) | (1ull << PR_IP))

struct ring {
   int fd[VN_NCLASS];
   uint64_t id[VN_NCLASS];
   struct perf_event_mmap_page *meta;
   uint8_t *data;
   uint64_t size;
};

static struct ring *rings;
static int nrings;
static uint64_t sample_type;
static uint64_t regs_mask;
uint64_t vn_recorded;
static uint64_t lost_total;

static long perf_event_open(struct perf_event_attr *a, pid_t pid, int cpu,
                            int group, unsigned long flags)
{
   return syscall(SYS_perf_event_open, a, pid, cpu, group, flags);
}

static void setup_attr(struct perf_event_attr *a, int cls, int sideband, int no_kernel)
{
   memset(a, 0, sizeof *a);
   a->size = sizeof *a;
   a->type = PERF_TYPE_SOFTWARE;
   a->config = cls == VN_MINOR ? PERF_COUNT_SW_PAGE_FAULTS_MIN : PERF_COUNT_SW_PAGE_FAULTS_MAJ;
   a->sample_period = 1;
   a->sample_type = sample_type;
   a->disabled = 1;
   a->enable_on_exec = 1;
   a->inherit = 1;
   a->sample_id_all = 1;
   a->exclude_hv = 1;
   a->exclude_kernel = no_kernel;
   a->exclude_callchain_kernel = 1;
   a->use_clockid = 1;
   a->clockid = CLOCK_MONOTONIC;
   a->sample_regs_user = regs_mask;
   if (vn_opt.call_graph == VN_CG_DWARF)
      a->sample_stack_user = vn_opt.stack_bytes;
   if (vn_opt.call_graph == VN_CG_FP)
      a->sample_max_stack = (uint16_t)(vn_opt.stack_depth + 1);
   a->watermark = 1;
   a->wakeup_watermark = (uint32_t)(vn_opt.mmap_pages * (uint64_t)sysconf(_SC_PAGESIZE) / 4);
   if (sideband) {
      a->mmap = 1;
      a->mmap2 = 1;
      a->mmap_data = 1;
      a->comm = 1;
      a->comm_exec = 1;
      a->task = 1;
   }
}

int vn_perf_open(pid_t child)
{
   long ncpu = sysconf(_SC_NPROCESSORS_CONF);
   long pg = sysconf(_SC_PAGESIZE);
   int cpu, no_kernel = 0;

   sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
                 PERF_SAMPLE_TIME | PERF_SAMPLE_ADDR | PERF_SAMPLE_REGS_USER;
   regs_mask = REGS_SP_IP;
   if (vn_opt.call_graph == VN_CG_DWARF) {
      sample_type |= PERF_SAMPLE_STACK_USER;
      regs_mask = REGS_ALL;
   } else if (vn_opt.call_graph == VN_CG_FP) {
      sample_type |= PERF_SAMPLE_CALLCHAIN;
   }
   if (ncpu < 1)
      ncpu = 1;
   if (!vn_opt.mmap_pages_set) {
      /* 256 MiB of ring buffers in all, 2..32 MiB per CPU */
      unsigned long n = 8192;
      while (n > 512 && n * (unsigned long)ncpu > 65536)
         n /= 2;
      vn_opt.mmap_pages = n;
   }
   rings = vn_xcalloc((size_t)ncpu, sizeof *rings);
   for (cpu = 0; cpu < ncpu; cpu++) {
      struct ring *r = &rings[nrings];
      struct perf_event_attr a;
      int cls;
      for (cls = 0; cls < VN_NCLASS; cls++) {
         long fd;
         setup_attr(&a, cls, cls == VN_MINOR, no_kernel);
         fd = perf_event_open(&a, child, cpu, -1, PERF_FLAG_FD_CLOEXEC);
         if (fd < 0 && errno == EACCES && !no_kernel && cpu == 0 && cls == VN_MINOR) {
            /* perf_event_paranoid forbids kernel-mode events to us:
               faults taken inside system calls go uncounted. */
            no_kernel = 1;
            setup_attr(&a, cls, 1, no_kernel);
            fd = perf_event_open(&a, child, cpu, -1, PERF_FLAG_FD_CLOEXEC);
            if (fd >= 0)
               vn_warn("kernel.perf_event_paranoid keeps faults taken inside system calls "
                       "out of the record (run as root, or lower it to 1)");
         }
         if (fd < 0) {
            if (cls == VN_MINOR && cpu > 0 && (errno == ENODEV || errno == EINVAL))
               break;   /* an offline CPU */
            if (errno == ENOENT || errno == ENOSYS || errno == EOPNOTSUPP)
               fprintf(stderr, "vmtrace-native: this kernel has no page-fault software events "
                       "(perf_event_open: %s)\n", strerror(errno));
            else if (errno == EACCES || errno == EPERM)
               fprintf(stderr, "vmtrace-native: not allowed to record page faults "
                       "(perf_event_open: %s; kernel.perf_event_paranoid is too high "
                       "for this user)\n", strerror(errno));
            else
               fprintf(stderr, "vmtrace-native: perf_event_open on CPU %d: %s\n",
                       cpu, strerror(errno));
            return -1;
         }
         r->fd[cls] = (int)fd;
         if (ioctl(r->fd[cls], PERF_EVENT_IOC_ID, &r->id[cls]) < 0) {
            fprintf(stderr, "vmtrace-native: PERF_EVENT_IOC_ID: %s\n", strerror(errno));
            return -1;
         }
      }
      if (cls < VN_NCLASS)
         continue;
      for (;;) {
         size_t len = (size_t)(vn_opt.mmap_pages + 1) * (size_t)pg;
         void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd[VN_MINOR], 0);
         if (m == MAP_FAILED && (errno == EPERM || errno == ENOMEM) && !vn_opt.mmap_pages_set &&
             vn_opt.mmap_pages > 64) {
            vn_opt.mmap_pages /= 2;   /* the locked-memory limit: try smaller */
            vn_opt.mmap_pages_shrunk = 1;
            continue;
         }
         if (m == MAP_FAILED) {
            fprintf(stderr, "vmtrace-native: cannot map a ring buffer of %lu pages: %s%s\n",
                    vn_opt.mmap_pages, strerror(errno),
                    errno == EPERM ? " (see kernel.perf_event_mlock_kb, or lower --mmap-pages)" : "");
            return -1;
         }
         r->meta = m;
         r->data = (uint8_t *)m + pg;
         r->size = (uint64_t)vn_opt.mmap_pages * (uint64_t)pg;
         break;
      }
      if (ioctl(r->fd[VN_MAJOR], PERF_EVENT_IOC_SET_OUTPUT, r->fd[VN_MINOR]) < 0) {
         fprintf(stderr, "vmtrace-native: PERF_EVENT_IOC_SET_OUTPUT: %s\n", strerror(errno));
         return -1;
      }
      nrings++;
   }
   if (nrings == 0) {
      fprintf(stderr, "vmtrace-native: no CPU to record on\n");
      return -1;
   }
   return 0;
}

int vn_perf_fill_pollfds(struct pollfd *p, int max)
{
   int i, n = 0;
   for (i = 0; i < nrings && n < max; i++) {
      p[n].fd = rings[i].fd[VN_MINOR];
      p[n].events = POLLIN;
      p[n].revents = 0;
      n++;
   }
   return n;
}

/* ---- the backlog ------------------------------------------------------------
   Records are copied out of the ring buffers as soon as possible (so the
   kernel does not drop samples while we unwind) into a backlog, each
   collection sorted by time across the CPUs, and handled from there in
   chunks between collections.  A sample's user stack is cut to the bytes
   the kernel actually copied (dyn_size). */

struct rec {
   uint64_t time;
   uint64_t seq;
   size_t off;      /* into the arena */
};

static uint8_t *arena;
static size_t arena_len, arena_cap;
static struct rec *recs;
static size_t nrecs, cap_recs, recs_done;
static uint64_t seq;
static size_t backlog_limit = (size_t)1 << 31;   /* bytes */
static uint64_t dropped;

static int rec_cmp(const void *a, const void *b)
{
   const struct rec *x = a, *y = b;
   if (x->time != y->time)
      return x->time < y->time ? -1 : 1;
   return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static uint64_t get64(const uint8_t *p)
{
   uint64_t v;
   memcpy(&v, p, 8);
   return v;
}

static uint32_t get32(const uint8_t *p)
{
   uint32_t v;
   memcpy(&v, p, 4);
   return v;
}

static uint64_t record_time(const struct perf_event_header *h, const uint8_t *body)
{
   size_t len = h->size - sizeof *h;
   if (h->type == PERF_RECORD_SAMPLE)
      return len >= 32 ? get64(body + 24) : 0;   /* identifier, ip, tid, time */
   if (len >= 24)
      return get64(body + len - 16);              /* trailer: tid, time, identifier */
   return 0;
}

/* Where a dwarf sample's stack size field is, after the header:
   identifier ip tid time addr, abi, 17 registers. */
#define STACK_FIELD (40 + 8 + 8 * VN_NREGS)

static void ring_read(const struct ring *r, uint64_t from, void *dst, size_t n)
{
   uint64_t pos = from % r->size;
   if (pos + n <= r->size) {
      memcpy(dst, r->data + pos, n);
   } else {
      size_t first = (size_t)(r->size - pos);
      memcpy(dst, r->data + pos, first);
      memcpy((uint8_t *)dst + first, r->data, n - first);
   }
}

static size_t appended;   /* records added by the current collection */

static void arena_room(size_t n)
{
   if (recs_done == nrecs) {
      arena_len = 0;
      nrecs = recs_done = 0;
   }
   if (arena_len + n > arena_cap) {
      /* drop the bytes of handled records: those below every pending one
         (a collection is sorted by time, not by offset) */
      size_t k, low = arena_len;
      for (k = recs_done; k < nrecs; k++)
         if (recs[k].off < low)
            low = recs[k].off;
      if (low > arena_cap / 2) {
         memmove(arena, arena + low, arena_len - low);
         for (k = recs_done; k < nrecs; k++)
            recs[k].off -= low;
         arena_len -= low;
      }
   }
   if (arena_len + n > arena_cap) {
      arena_cap = (arena_len + n) * 2;
      arena = vn_xrealloc(arena, arena_cap);
   }
}

static void collect(struct ring *r)
{
   uint64_t head = __atomic_load_n(&r->meta->data_head, __ATOMIC_ACQUIRE);
   uint64_t tail = r->meta->data_tail;
   while (tail < head) {
      struct perf_event_header h;
      uint8_t *dst;
      size_t keep, in_ring;
      ring_read(r, tail, &h, sizeof h);
      if (h.size < sizeof h || tail + h.size > head)
         break;
      in_ring = h.size;
      if (arena_len > backlog_limit) {
         if (h.type == PERF_RECORD_SAMPLE) {
            dropped++;
            tail += h.size;
            continue;
         }
      }
      arena_room(h.size);
      dst = arena + arena_len;
      keep = h.size;
      if (h.type == PERF_RECORD_SAMPLE && (sample_type & PERF_SAMPLE_STACK_USER) &&
          h.size >= sizeof h + STACK_FIELD + 8) {
         uint64_t size, dyn;
         ring_read(r, tail, dst, sizeof h + STACK_FIELD + 8);
         size = get64(dst + sizeof h + STACK_FIELD);
         if (size && sizeof h + STACK_FIELD + 8 + size + 8 <= h.size) {
            ring_read(r, tail + sizeof h + STACK_FIELD + 8 + size, &dyn, 8);
            if (dyn > size)
               dyn = size;
            dyn = (dyn + 7) & ~7ull;
            ring_read(r, tail + sizeof h + STACK_FIELD + 8,
                      dst + sizeof h + STACK_FIELD + 8, (size_t)dyn);
            memcpy(dst + sizeof h + STACK_FIELD, &dyn, 8);
            memcpy(dst + sizeof h + STACK_FIELD + 8 + dyn, &dyn, 8);
            keep = sizeof h + STACK_FIELD + 8 + (size_t)dyn + 8;
            h.size = (uint16_t)keep;
            memcpy(dst, &h, sizeof h);
         } else {
            ring_read(r, tail, dst, h.size);
         }
      } else {
         ring_read(r, tail, dst, h.size);
      }
      if (nrecs == cap_recs) {
         if (recs_done > cap_recs / 2) {
            memmove(recs, recs + recs_done, (nrecs - recs_done) * sizeof *recs);
            nrecs -= recs_done;
            recs_done = 0;
         } else {
            cap_recs = cap_recs ? cap_recs * 2 : 1024;
            recs = vn_xrealloc(recs, cap_recs * sizeof *recs);
         }
      }
      /* Recent kernels name the brk heap's record "//anon" (the heap's
         bounds are set after it is made): an anonymous mapping below the
         mmap area, where brk puts the heap, is looked up in /proc now,
         while the process is most likely still there. */
      if (h.type == PERF_RECORD_MMAP2 && keep >= sizeof h + 64 + 7 &&
          memcmp(dst + sizeof h + 64, "//anon", 7) == 0 &&
          get64(dst + sizeof h + 8) < 0x7e0000000000ull &&
          vn_is_heap((pid_t)get32(dst + sizeof h), get64(dst + sizeof h + 8)))
         memcpy(dst + sizeof h + 64, "[heap]", 7);
      recs[nrecs].time = record_time(&h, dst + sizeof h);
      recs[nrecs].seq = seq++;
      recs[nrecs].off = arena_len;
      nrecs++;
      appended++;
      arena_len += keep;
      tail += in_ring;
   }
   __atomic_store_n(&r->meta->data_tail, tail, __ATOMIC_RELEASE);
}

static double wall_of(uint64_t t)
{
   if (t < vn_run.start_ns)
      return vn_run.start_time;
   return vn_run.start_time + (double)(t - vn_run.start_ns) / 1e9;
}

static void handle_sample(const struct perf_event_header *h, const uint8_t *p, size_t len)
{
   const uint8_t *end = p + len;
   uint64_t id, ip, addr, t;
   uint32_t pid;
   uint64_t regs[VN_NREGS];
   int have_regs = 0, cls, i;
   const uint8_t *stack = NULL;
   uint64_t stack_size = 0;
   uint64_t ips[257];
   unsigned nips = 0;
   const uint64_t *chain = NULL;
   uint64_t nchain = 0;
   struct vn_proc *proc;

   if (len < 40)
      return;
   id = get64(p);
   ip = get64(p + 8);
   pid = get32(p + 16);
   t = get64(p + 24);
   addr = get64(p + 32);
   p += 40;
   cls = -1;
   for (i = 0; i < nrings && cls < 0; i++) {
      if (rings[i].id[VN_MINOR] == id)
         cls = VN_MINOR;
      else if (rings[i].id[VN_MAJOR] == id)
         cls = VN_MAJOR;
   }
   if (cls < 0)
      return;
   if (sample_type & PERF_SAMPLE_CALLCHAIN) {
      if (p + 8 > end)
         return;
      nchain = get64(p);
      p += 8;
      if (nchain > (uint64_t)(end - p) / 8)
         return;
      chain = (const uint64_t *)p;
      p += nchain * 8;
   }
   if (p + 8 > end)
      return;
   {
      uint64_t abi = get64(p);
      p += 8;
      if (abi != PERF_SAMPLE_REGS_ABI_NONE) {
         unsigned nr = (unsigned)__builtin_popcountll(regs_mask);
         if (p + nr * 8 > end)
            return;
         memset(regs, 0, sizeof regs);
         if (regs_mask == REGS_ALL) {
            for (i = 0; i < VN_NREGS; i++)
               regs[i] = get64(p + 8 * i);
         } else {
            regs[PR_SP] = get64(p);
            regs[PR_IP] = get64(p + 8);
         }
         p += nr * 8;
         have_regs = 1;
      }
   }
   if (sample_type & PERF_SAMPLE_STACK_USER) {
      if (p + 8 > end)
         return;
      stack_size = get64(p);
      p += 8;
      if (stack_size) {
         uint64_t dyn;
         if (stack_size > (uint64_t)(end - p) || p + stack_size + 8 > end)
            return;
         stack = p;
         dyn = get64(p + stack_size);
         if (dyn < stack_size)
            stack_size = dyn;
      }
   }

   proc = vn_proc_find((pid_t)pid);
   if (!proc)
      proc = vn_proc_new((pid_t)pid, 0, wall_of(t));
   vn_recorded++;
   vn_timeline_fault(cls, t);
   vn_fault(proc, cls, addr, have_regs ? regs[PR_SP] : 0);

   /* A fault taken in kernel mode (copying to a user buffer inside a
      system call) is placed at the system call in user code. */
   if ((h->misc & PERF_RECORD_MISC_CPUMODE_MASK) != PERF_RECORD_MISC_USER && have_regs)
      ip = regs[PR_IP];
   if (vn_opt.call_graph == VN_CG_DWARF && have_regs && stack) {
      nips = vn_unwind(proc, regs, stack, stack_size, ips, vn_opt.stack_depth);
   } else if (vn_opt.call_graph == VN_CG_FP && chain) {
      uint64_t k;
      for (k = 0; k < nchain && nips < vn_opt.stack_depth; k++) {
         if (chain[k] >= (uint64_t)PERF_CONTEXT_MAX)
            continue;
         ips[nips++] = chain[k];
      }
   }
   if (nips == 0) {
      ips[0] = ip;
      nips = 1;
   }
   vn_site_add(proc, cls, ips, nips);
}

static void handle(const struct perf_event_header *h, const uint8_t *body)
{
   size_t len = h->size - sizeof *h;
   switch (h->type) {
   case PERF_RECORD_SAMPLE:
      handle_sample(h, body, len);
      break;
   case PERF_RECORD_MMAP2:
      if (len >= 64) {
         /* pid tid addr len pgoff (maj min ino ino_gen | build id) prot flags name */
         uint32_t pid = get32(body);
         uint64_t start = get64(body + 8), mlen = get64(body + 16), pgoff = get64(body + 24);
         uint32_t prot = get32(body + 56);
         const char *name = (const char *)body + 64;
         size_t room = len - 64;
         if (memchr(name, '\0', room))
            vn_proc_mmap((pid_t)pid, start, mlen, pgoff, prot, name);
      }
      break;
   case PERF_RECORD_COMM:
      if (len >= 9) {
         uint32_t pid = get32(body), tid = get32(body + 4);
         const char *name = (const char *)body + 8;
         if (!memchr(name, '\0', len - 8) || pid != tid)
            break;
         if (h->misc & PERF_RECORD_MISC_COMM_EXEC)
            vn_proc_exec((pid_t)pid, name);
         else
            vn_proc_comm((pid_t)pid, name);
      }
      break;
   case PERF_RECORD_FORK:
      if (len >= 24) {
         uint32_t pid = get32(body), ppid = get32(body + 4), tid = get32(body + 8);
         if (pid == tid)
            vn_proc_fork((pid_t)pid, (pid_t)ppid, wall_of(get64(body + 16)));
      }
      break;
   case PERF_RECORD_EXIT:
      if (len >= 24) {
         uint32_t pid = get32(body), tid = get32(body + 8);
         if (pid == tid)
            vn_proc_exit((pid_t)pid, wall_of(get64(body + 16)));
      }
      break;
   case PERF_RECORD_LOST:
      if (len >= 16)
         lost_total += get64(body + 8);
      break;
   case PERF_RECORD_LOST_SAMPLES:
      if (len >= 8)
         lost_total += get64(body);
      break;
   default:
      break;
   }
}

/* Copies what the ring buffers hold into the backlog. */
void vn_perf_collect(void)
{
   int i;
   appended = 0;
   for (i = 0; i < nrings; i++)
      collect(&rings[i]);
   if (appended)
      qsort(recs + (nrecs - appended), appended, sizeof *recs, rec_cmp);
}

/* Handles records of the backlog for up to budget_ns nanoseconds (all of
   them with 0); returns how many are left. */
size_t vn_perf_process(uint64_t budget_ns)
{
   uint64_t until = budget_ns ? vn_mono_ns() + budget_ns : 0;
   size_t n = 0;
   while (recs_done < nrecs) {
      const struct perf_event_header *h = (const void *)(arena + recs[recs_done].off);
      handle(h, (const uint8_t *)h + sizeof *h);
      recs_done++;
      if (until && (++n & 15) == 0 && vn_mono_ns() >= until)
         break;
   }
   return nrecs - recs_done;
}

void vn_perf_drain(void)
{
   vn_perf_collect();
   vn_perf_process(0);
}

uint64_t vn_perf_reported_lost(void)
{
   return lost_total + dropped;
}

void vn_perf_finish(struct vn_faults *counted, uint64_t *lost)
{
   int i, cls;
   memset(counted, 0, sizeof *counted);
   for (i = 0; i < nrings; i++) {
      for (cls = 0; cls < VN_NCLASS; cls++) {
         uint64_t v = 0;
         if (read(rings[i].fd[cls], &v, sizeof v) == (ssize_t)sizeof v)
            counted->n[cls] += v;
      }
   }
   /* The kernel reports a loss when it next manages to write a record,
      so a loss at the very end goes unreported: what the counters have
      and the samples lack is lost too. */
   *lost = lost_total + dropped;
   if (counted->n[VN_MINOR] + counted->n[VN_MAJOR] > vn_recorded + *lost)
      *lost = counted->n[VN_MINOR] + counted->n[VN_MAJOR] - vn_recorded;
}
