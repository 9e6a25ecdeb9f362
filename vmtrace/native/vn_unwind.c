/* Unwinding a recorded fault with libunwind's remote interface: the
   registers and a copy of the user stack come with each sample; code and
   unwind tables (.eh_frame_hdr / .eh_frame) are read from the ELF files
   the mmap records name (vn_elf.c), so a process that has exited can still
   be unwound. */
#include "vn.h"

#include <libunwind.h>
#include <string.h>

/* Not in libunwind.h, exported by libunwind for remote unwinders. */
extern int UNW_OBJ(dwarf_search_unwind_table)(unw_addr_space_t as, unw_word_t ip,
                                              unw_dyn_info_t *di, unw_proc_info_t *pi,
                                              int need_unwind_info, void *arg);

/* ---- libunwind accessors ------------------------------------------------ */

struct uctx {
   struct vn_proc *proc;
   const uint64_t *regs;
   const uint8_t *stack;
   uint64_t size;
   /* the ELF of the last find_proc_info, for reading its tables */
   const struct vn_elf *elf;
   uint64_t bias;
};

/* The load bias of `m`'s ELF: runtime address minus the ELF's own. */
static uint64_t bias_of(const struct vn_map *m)
{
   return m->start - vn_elf_rel(m, m->start);
}

static int find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi,
                          int need_unwind_info, void *arg)
{
   struct uctx *c = arg;
   struct vn_map *m = vn_map_lookup(c->proc, ip);
   uint64_t hdr, table, nfde;
   unw_dyn_info_t di;
   if (!m || !m->elf || !vn_elf_eh_table(m->elf, &hdr, &table, &nfde))
      return -UNW_ENOINFO;
   c->elf = m->elf;
   c->bias = bias_of(m);
   memset(&di, 0, sizeof di);
   di.format = UNW_INFO_FORMAT_REMOTE_TABLE;
   di.start_ip = m->start;
   di.end_ip = m->end;
   di.u.rti.segbase = c->bias + hdr;
   di.u.rti.table_data = c->bias + table;
   di.u.rti.table_len = nfde * 8 / sizeof(unw_word_t);
   return UNW_OBJ(dwarf_search_unwind_table)(as, ip, &di, pi, need_unwind_info, arg);
}

static void put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
   (void)as;
   (void)pi;
   (void)arg;
}

static int get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *dilap, void *arg)
{
   (void)as;
   (void)dilap;
   (void)arg;
   return -UNW_ENOINFO;
}

static int access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *valp,
                      int write, void *arg)
{
   struct uctx *c = arg;
   uint64_t sp = c->regs[VN_REG_SP];
   struct vn_map *m;
   (void)as;
   if (write)
      return -UNW_EINVAL;
   if (addr >= sp && c->size >= sizeof *valp && addr - sp <= c->size - sizeof *valp) {
      memcpy(valp, c->stack + (addr - sp), sizeof *valp);
      return 0;
   }
   if (c->elf && addr >= c->bias && vn_elf_read_word(c->elf, addr - c->bias, valp))
      return 0;
   m = vn_map_lookup(c->proc, addr);
   if (m && m->kind == VN_K_FILE) {
      if (!m->elf)
         m->elf = vn_elf_get(m->name);
      if (m->elf && vn_elf_read_word(m->elf, vn_elf_rel(m, addr), valp))
         return 0;
   }
   return -UNW_EINVAL;
}

/* libunwind's x86-64 numbering → the order of a sample's registers
   (AX BX CX DX SI DI BP SP IP R8..R15). */
static int reg_index(unw_regnum_t r)
{
   switch (r) {
   case UNW_X86_64_RAX: return 0;
   case UNW_X86_64_RBX: return 1;
   case UNW_X86_64_RCX: return 2;
   case UNW_X86_64_RDX: return 3;
   case UNW_X86_64_RSI: return 4;
   case UNW_X86_64_RDI: return 5;
   case UNW_X86_64_RBP: return 6;
   case UNW_X86_64_RSP: return 7;
   case UNW_X86_64_RIP: return 8;
   case UNW_X86_64_R8: return 9;
   case UNW_X86_64_R9: return 10;
   case UNW_X86_64_R10: return 11;
   case UNW_X86_64_R11: return 12;
   case UNW_X86_64_R12: return 13;
   case UNW_X86_64_R13: return 14;
   case UNW_X86_64_R14: return 15;
   case UNW_X86_64_R15: return 16;
   default: return -1;
   }
}

static int access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *valp,
                      int write, void *arg)
{
   struct uctx *c = arg;
   int i = reg_index(reg);
   (void)as;
   if (write || i < 0)
      return -UNW_EBADREG;
   *valp = c->regs[i];
   return 0;
}

static int access_fpreg(unw_addr_space_t as, unw_regnum_t reg, unw_fpreg_t *val,
                        int write, void *arg)
{
   (void)as;
   (void)reg;
   (void)val;
   (void)write;
   (void)arg;
   return -UNW_EBADREG;
}

static int resume(unw_addr_space_t as, unw_cursor_t *cu, void *arg)
{
   (void)as;
   (void)cu;
   (void)arg;
   return -UNW_EINVAL;
}

static int get_proc_name(unw_addr_space_t as, unw_word_t addr, char *buf, size_t len,
                         unw_word_t *offp, void *arg)
{
   (void)as;
   (void)addr;
   (void)buf;
   (void)len;
   (void)offp;
   (void)arg;
   return -UNW_ENOINFO;
}

static unw_accessors_t accessors = {
   .find_proc_info = find_proc_info,
   .put_unwind_info = put_unwind_info,
   .get_dyn_info_list_addr = get_dyn_info_list_addr,
   .access_mem = access_mem,
   .access_reg = access_reg,
   .access_fpreg = access_fpreg,
   .resume = resume,
   .get_proc_name = get_proc_name,
};

unsigned vn_unwind(struct vn_proc *proc, const uint64_t *regs, const uint8_t *stack,
                   uint64_t size, uint64_t *ips, unsigned max)
{
   struct uctx c;
   unw_cursor_t cur;
   unsigned n = 0;
   if (!proc->unwind_as) {
      unw_addr_space_t as = unw_create_addr_space(&accessors, 0);
      if (!as)
         return 0;
      unw_set_caching_policy(as, UNW_CACHE_PER_THREAD);   /* one thread: no locking */
      proc->unwind_as = as;
   }
   memset(&c, 0, sizeof c);
   c.proc = proc;
   c.regs = regs;
   c.stack = stack;
   c.size = size;
   if (unw_init_remote(&cur, (unw_addr_space_t)proc->unwind_as, &c) < 0) {
      ips[0] = regs[VN_REG_IP];
      return 1;
   }
   do {
      unw_word_t ip;
      if (unw_get_reg(&cur, UNW_REG_IP, &ip) < 0 || ip == 0)
         break;
      ips[n++] = ip;
   } while (n < max && unw_step(&cur) > 0);
   if (n == 0) {
      ips[0] = regs[VN_REG_IP];
      n = 1;
   }
   return n;
}

void vn_unwind_forget(struct vn_proc *proc)
{
   if (proc->unwind_as) {
      unw_destroy_addr_space((unw_addr_space_t)proc->unwind_as);
      proc->unwind_as = NULL;
   }
}
