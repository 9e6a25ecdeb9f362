/* The kernel's side: one minor-faults and one major-faults software event
   per CPU, attached to PROG before it execs and inherited by everything it
   forks, each sampling every fault (period 1) into a ring buffer per CPU,
   with the side-band records (mmap, comm, fork, exit) that let us follow
   the address spaces.  Records are copied out in rounds into the backlog
   (vn_ordered.c), which hands them on in time order across the CPUs'
   buffers. */
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
   int cpu;
   int tp_fd;                 /* mremap's exit, if traced */
   uint64_t tp_id;
   struct perf_event_mmap_page *meta;
   uint8_t *data;
   uint64_t size;
};

static struct ring *rings;
static int nrings;
uint64_t vn_sample_type, vn_regs_mask;
int vn_mremap_traced;
static uint64_t dropped;   /* samples left out of a full backlog */

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
   a->sample_type = vn_sample_type;
   a->disabled = 1;
   a->enable_on_exec = 1;
   a->inherit = 1;
   a->sample_id_all = 1;
   a->exclude_hv = 1;
   a->exclude_kernel = no_kernel;
   a->exclude_callchain_kernel = 1;
   a->use_clockid = 1;
   a->clockid = CLOCK_MONOTONIC;
   a->sample_regs_user = vn_regs_mask;
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

/* What a fault sample carries, by --call-graph. */
static void choose_sample_type(void)
{
   vn_sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
                    PERF_SAMPLE_TIME | PERF_SAMPLE_ADDR | PERF_SAMPLE_REGS_USER;
   vn_regs_mask = REGS_SP_IP;
   if (vn_opt.call_graph == VN_CG_DWARF) {
      vn_sample_type |= PERF_SAMPLE_STACK_USER;
      vn_regs_mask = REGS_ALL;
   } else if (vn_opt.call_graph == VN_CG_FP) {
      vn_sample_type |= PERF_SAMPLE_CALLCHAIN;
   }
}

/* A sample larger than a ring buffer can never be written: the kernel
   drops every one (a --mmap-pages=2 with dwarf's 8 KiB of stack recorded
   nothing, every fault lost).  Refused with the options, before anything
   runs. */
void vn_perf_check_options(void)
{
   uint64_t most, ring = (uint64_t)vn_opt.mmap_pages * (uint64_t)sysconf(_SC_PAGESIZE);
   choose_sample_type();
   /* header, identifier, ip, pid+tid, time, addr; regs: abi + each */
   most = 6 * 8 + 8 + 8 * (uint64_t)__builtin_popcountll(vn_regs_mask);
   if (vn_sample_type & PERF_SAMPLE_STACK_USER)
      most += 8 + vn_opt.stack_bytes + 8;       /* size, bytes, dyn_size */
   if (vn_sample_type & PERF_SAMPLE_CALLCHAIN)
      most += 8 + 8 * ((uint64_t)vn_opt.stack_depth + 1 + 2);   /* nr, frames, contexts */
   if (vn_sample_type & PERF_SAMPLE_CALLCHAIN) {
      /* the kernel refuses a longer chain than its sysctl allows (127 by
         default), with EOVERFLOW: "Value too large for defined data type" */
      FILE *f = fopen("/proc/sys/kernel/perf_event_max_stack", "r");
      unsigned max;
      if (f && fscanf(f, "%u", &max) == 1 && vn_opt.stack_depth + 1 > max)
         vn_die("bad option value: --stack-depth=%u with --call-graph=fp needs "
                "kernel.perf_event_max_stack %u or more (it is %u)",
                vn_opt.stack_depth, vn_opt.stack_depth + 1, max);
      if (f)
         fclose(f);
   }
   if (vn_opt.mmap_pages_set && most > ring)
      vn_die("bad option value: --mmap-pages=%lu holds %llu bytes per CPU, less than one "
             "sample of --call-graph=%s (up to %llu bytes): every fault would be lost",
             vn_opt.mmap_pages, (unsigned long long)ring,
             vn_opt.call_graph == VN_CG_DWARF ? "dwarf" :
             vn_opt.call_graph == VN_CG_FP ? "fp" : "none", (unsigned long long)most);
}

/* The two fault events on one CPU: 1, 0 for an offline CPU, -1 after
   saying why not.  *no_kernel: kernel-mode faults are not allowed to us. */
static int open_fault_events(struct ring *r, pid_t child, int cpu, int *no_kernel)
{
   struct perf_event_attr a;
   int cls;
   for (cls = 0; cls < VN_NCLASS; cls++) {
      long fd;
      setup_attr(&a, cls, cls == VN_MINOR, *no_kernel);
      fd = perf_event_open(&a, child, cpu, -1, PERF_FLAG_FD_CLOEXEC);
      if (fd < 0 && errno == EACCES && !*no_kernel && cpu == 0 && cls == VN_MINOR) {
         /* perf_event_paranoid forbids kernel-mode events to us:
            faults taken inside system calls go uncounted. */
         *no_kernel = 1;
         setup_attr(&a, cls, 1, *no_kernel);
         fd = perf_event_open(&a, child, cpu, -1, PERF_FLAG_FD_CLOEXEC);
         if (fd >= 0)
            vn_warn("kernel.perf_event_paranoid keeps faults taken inside system calls "
                    "out of the record (run as root, or lower it to 1)");
      }
      if (fd < 0) {
         if (cls == VN_MINOR && cpu > 0 && (errno == ENODEV || errno == EINVAL))
            return 0;   /* an offline CPU */
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
   return 1;
}

/* The ring buffer of one CPU, on its minor-faults event, the other events
   writing into it too; -1 after saying why not. */
static int map_ring(struct ring *r, long pg)
{
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
   return 0;
}

/* mremap's exit on one CPU, into its ring buffer, with the registers
   that hold its arguments and result: -1 if the kernel will not have it. */
static int open_mremap_event(struct ring *r, pid_t child, int cpu, uint64_t tp, int no_kernel)
{
   struct perf_event_attr a;
   long fd;
   memset(&a, 0, sizeof a);
   a.size = sizeof a;
   a.type = PERF_TYPE_TRACEPOINT;
   a.config = tp;
   a.sample_period = 1;
   /* the fault samples' first fields, then the registers */
   a.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
                   PERF_SAMPLE_TIME | PERF_SAMPLE_REGS_USER;
   a.sample_regs_user = (1ull << PR_AX) | (1ull << PR_DX) | (1ull << PR_SI) | (1ull << PR_DI) |
                        (1ull << PR_R8) | (1ull << PR_R10);
   a.disabled = 1;
   a.enable_on_exec = 1;
   a.inherit = 1;
   a.exclude_hv = 1;
   a.exclude_kernel = no_kernel;   /* a system call's tracepoint has the user's registers */
   a.use_clockid = 1;              /* as the ring's owner: SET_OUTPUT wants one clock */
   a.clockid = CLOCK_MONOTONIC;
   fd = perf_event_open(&a, child, cpu, -1, PERF_FLAG_FD_CLOEXEC);
   if (fd < 0)
      return -1;
   r->tp_fd = (int)fd;
   if (ioctl(r->tp_fd, PERF_EVENT_IOC_ID, &r->tp_id) < 0 ||
       ioctl(r->tp_fd, PERF_EVENT_IOC_SET_OUTPUT, r->fd[VN_MINOR]) < 0)
      return -1;
   return 0;
}

/* Every CPU's mremap event, or none (then a fault outside the known
   mappings has /proc/PID/maps read again: vn_maps.c). */
static void trace_mremap(pid_t child, int no_kernel)
{
   const char *why = NULL;
   uint64_t tp;
   int i;
   if (vn_tracepoint_mremap_exit(&tp) < 0)
      why = geteuid() == 0 ? "no syscalls:sys_exit_mremap tracepoint"
                           : "tracefs is not readable (run as root)";
   for (i = 0; i < nrings && !why; i++)
      if (open_mremap_event(&rings[i], child, rings[i].cpu, tp, no_kernel) < 0)
         why = strerror(errno);
   vn_mremap_traced = !why;
   for (i = 0; i < nrings && why; i++)
      if (rings[i].tp_fd >= 0) {
         close(rings[i].tp_fd);
         rings[i].tp_fd = -1;
      }
   if (vn_opt.verbosity > 1 && why)
      vn_info("mremap: not traced (%s): a moved region is looked up in /proc/PID/maps", why);
   else if (vn_opt.verbosity > 1)
      vn_info("mremap: traced (syscalls:sys_exit_mremap)");
}

int vn_perf_open(pid_t child)
{
   long ncpu = sysconf(_SC_NPROCESSORS_CONF);
   long pg = sysconf(_SC_PAGESIZE);
   int cpu, no_kernel = 0;

   choose_sample_type();
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
      int ok;
      r->cpu = cpu;
      r->tp_fd = -1;
      ok = open_fault_events(r, child, cpu, &no_kernel);
      if (ok < 0)
         return -1;
      if (ok == 0)
         continue;
      if (map_ring(r, pg) < 0)
         return -1;
      nrings++;
   }
   if (nrings == 0) {
      fprintf(stderr, "vmtrace-native: no CPU to record on\n");
      return -1;
   }
   trace_mremap(child, no_kernel);
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

/* ---- copying records out --------------------------------------------------
   A sample's user stack is cut to the bytes the kernel actually copied
   (dyn_size) on the way into the backlog. */

static uint64_t record_time(const struct perf_event_header *h, const uint8_t *body)
{
   size_t len = h->size - sizeof *h;
   if (h->type == PERF_RECORD_SAMPLE)
      return len >= 32 ? vn_get64(body + 24) : 0;   /* identifier, ip, tid, time */
   if (len >= 24)
      return vn_get64(body + len - 16);              /* trailer: tid, time, identifier */
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
      if (vn_backlog_full() && h.type == PERF_RECORD_SAMPLE) {
         dropped++;
         tail += h.size;
         continue;
      }
      dst = vn_backlog_reserve(h.size);
      keep = h.size;
      if (h.type == PERF_RECORD_SAMPLE && (vn_sample_type & PERF_SAMPLE_STACK_USER) &&
          h.size >= sizeof h + STACK_FIELD + 8) {
         uint64_t size, dyn;
         ring_read(r, tail, dst, sizeof h + STACK_FIELD + 8);
         size = vn_get64(dst + sizeof h + STACK_FIELD);
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
      /* Recent kernels name the brk heap's record "//anon" (the heap's
         bounds are set after it is made): an anonymous mapping below the
         mmap area, where brk puts the heap, is looked up in /proc now,
         while the process is most likely still there. */
      if (h.type == PERF_RECORD_MMAP2 && keep >= sizeof h + 64 + 7 &&
          memcmp(dst + sizeof h + 64, "//anon", 7) == 0 &&
          vn_get64(dst + sizeof h + 8) < 0x7e0000000000ull &&
          vn_is_heap((pid_t)vn_get32(dst + sizeof h), vn_get64(dst + sizeof h + 8)))
         memcpy(dst + sizeof h + 64, "[heap]", 7);
      vn_backlog_commit(keep, record_time(&h, dst + sizeof h));
      tail += in_ring;
   }
   __atomic_store_n(&r->meta->data_tail, tail, __ATOMIC_RELEASE);
}

/* Copies what the ring buffers hold into the backlog, with the exit
   accounting read just before: a process's fork record, written before it
   could exit, is then in this collection or an earlier one. */
void vn_perf_collect(void)
{
   int i;
   vn_exit_stats_collect();
   for (i = 0; i < nrings; i++)
      collect(&rings[i]);
   vn_backlog_sort_new();
}

int vn_perf_event_of(uint64_t id)
{
   int i;
   for (i = 0; i < nrings; i++) {
      if (rings[i].id[VN_MINOR] == id)
         return VN_MINOR;
      if (rings[i].id[VN_MAJOR] == id)
         return VN_MAJOR;
      if (vn_mremap_traced && rings[i].tp_id == id)
         return VN_EV_MREMAP_EXIT;
   }
   return -1;
}

uint64_t vn_perf_reported_lost(void)
{
   return vn_records_lost() + dropped;
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
   *lost = vn_perf_reported_lost();
   if (counted->n[VN_MINOR] + counted->n[VN_MAJOR] > vn_recorded + *lost)
      *lost = counted->n[VN_MINOR] + counted->n[VN_MAJOR] - vn_recorded;
}
