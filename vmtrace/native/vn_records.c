/* What each record means: a fault sample is counted, placed in its
   mapping and unwound into a fault site; mremap's exit moves a
   mapping; the side-band records (mmap2, comm, fork, exit) keep the
   processes, their threads and their address spaces; our own exit
   accounting records (vn_taskstats.c) give peaks. */
#include "vn.h"

#include <linux/perf_event.h>
#include <string.h>

uint64_t vn_recorded;
static uint64_t lost_total;   /* as PERF_RECORD_LOST and LOST_SAMPLES say */

uint64_t vn_records_lost(void)
{
   return lost_total;
}

/* ---- mremap ---------------------------------------------------------------
   Its exit, with the registers that still hold its arguments: addr in DI,
   old_len in SI, new_len in DX, flags in R10, new_addr in R8, the result
   in AX. */

static void handle_mremap(uint32_t pid, const uint8_t *p, const uint8_t *end)
{
   uint64_t r[VN_MR_NREGS], ret;
   int k;
   if (p + 8 + 8 * VN_MR_NREGS > end || vn_get64(p) == PERF_SAMPLE_REGS_ABI_NONE)
      return;
   for (k = 0; k < VN_MR_NREGS; k++)
      r[k] = vn_get64(p + 8 + 8 * k);
   ret = r[VN_MR_AX];
   if ((int64_t)ret < 0 && (int64_t)ret >= -4095)
      return;   /* failed: nothing moved */
   vn_proc_mremap((pid_t)pid, r[VN_MR_DI], (r[VN_MR_SI] + VN_PAGE - 1) & ~(uint64_t)(VN_PAGE - 1),
                  (r[VN_MR_DX] + VN_PAGE - 1) & ~(uint64_t)(VN_PAGE - 1), r[VN_MR_R10], ret);
}

/* ---- samples ----------------------------------------------------------------- */

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

   if (len < 32)
      return;
   id = vn_get64(p);
   ip = vn_get64(p + 8);
   pid = vn_get32(p + 16);
   t = vn_get64(p + 24);
   cls = vn_perf_event_of(id);
   if (cls == VN_EV_MREMAP_EXIT) {
      handle_mremap(pid, p + 32, end);
      return;
   }
   if (cls < 0 || len < 40)
      return;
   addr = vn_get64(p + 32);
   p += 40;
   if (vn_sample_type & PERF_SAMPLE_CALLCHAIN) {
      if (p + 8 > end)
         return;
      nchain = vn_get64(p);
      p += 8;
      if (nchain > (uint64_t)(end - p) / 8)
         return;
      chain = (const uint64_t *)p;
      p += nchain * 8;
   }
   if (p + 8 > end)
      return;
   {
      uint64_t abi = vn_get64(p);
      p += 8;
      if (abi != PERF_SAMPLE_REGS_ABI_NONE) {
         unsigned nr = (unsigned)__builtin_popcountll(vn_regs_mask);
         if (p + nr * 8 > end)
            return;
         memset(regs, 0, sizeof regs);
         if (nr == VN_NREGS) {
            for (i = 0; i < VN_NREGS; i++)
               regs[i] = vn_get64(p + 8 * i);
         } else {   /* SP and IP */
            regs[VN_REG_SP] = vn_get64(p);
            regs[VN_REG_IP] = vn_get64(p + 8);
         }
         p += nr * 8;
         have_regs = 1;
      }
   }
   if (vn_sample_type & PERF_SAMPLE_STACK_USER) {
      if (p + 8 > end)
         return;
      stack_size = vn_get64(p);
      p += 8;
      if (stack_size) {
         uint64_t dyn;
         if (stack_size > (uint64_t)(end - p) || p + stack_size + 8 > end)
            return;
         stack = p;
         dyn = vn_get64(p + stack_size);
         if (dyn < stack_size)
            stack_size = dyn;
      }
   }

   proc = vn_proc_of_sample((pid_t)pid, t);
   vn_recorded++;
   vn_timeline_fault(cls, t);
   vn_fault(proc, cls, addr, have_regs ? regs[VN_REG_SP] : 0, t);

   /* A fault taken in kernel mode (copying to a user buffer inside a
      system call) is placed at the system call in user code. */
   if ((h->misc & PERF_RECORD_MISC_CPUMODE_MASK) != PERF_RECORD_MISC_USER && have_regs)
      ip = regs[VN_REG_IP];
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

void vn_record_handle(const struct perf_event_header *h, const uint8_t *body)
{
   size_t len = h->size - sizeof *h;
   switch (h->type) {
   case PERF_RECORD_SAMPLE:
      handle_sample(h, body, len);
      break;
   case PERF_RECORD_MMAP2:
      if (len >= 64) {
         /* pid tid addr len pgoff (maj min ino ino_gen | build id) prot flags name */
         uint32_t pid = vn_get32(body);
         uint64_t start = vn_get64(body + 8), mlen = vn_get64(body + 16), pgoff = vn_get64(body + 24);
         uint32_t prot = vn_get32(body + 56);
         const char *name = (const char *)body + 64;
         size_t room = len - 64;
         if (memchr(name, '\0', room))
            vn_proc_mmap((pid_t)pid, start, mlen, pgoff, prot, name);
      }
      break;
   case PERF_RECORD_COMM:
      if (len >= 9) {
         uint32_t pid = vn_get32(body), tid = vn_get32(body + 4);
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
         uint32_t pid = vn_get32(body), ppid = vn_get32(body + 4), tid = vn_get32(body + 8);
         if (pid == tid)
            vn_proc_fork((pid_t)pid, (pid_t)ppid, vn_wall_of(vn_get64(body + 16)));
         else
            vn_thread_fork((pid_t)pid);
      }
      break;
   case PERF_RECORD_EXIT:
      if (len >= 24) {
         uint32_t pid = vn_get32(body);
         vn_thread_exit((pid_t)pid, vn_get64(body + 16));
      }
      break;
   case VN_RECORD_EXIT_STATS:
      if (len >= sizeof(struct vn_exit_stats)) {
         struct vn_exit_stats s;
         memcpy(&s, body, sizeof s);
         vn_proc_exit_stats(&s);
      }
      break;
   case PERF_RECORD_LOST:
      if (len >= 16)
         lost_total += vn_get64(body + 8);
      break;
   case PERF_RECORD_LOST_SAMPLES:
      if (len >= 8)
         lost_total += vn_get64(body);
      break;
   default:
      break;
   }
}
