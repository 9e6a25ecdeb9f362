/* Unwinding a recorded fault with libunwind's remote interface: the
   registers and a copy of the user stack come with each sample; code and
   unwind tables (.eh_frame_hdr / .eh_frame) are read from the ELF files
   the mmap records name, so a process that has exited can still be
   unwound.  Also the ELF symbol tables, for names addr2line lacks. */
#include "vn.h"

#include <elf.h>
#include <fcntl.h>
#include <libunwind.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Not in libunwind.h, exported by libunwind for remote unwinders. */
extern int UNW_OBJ(dwarf_search_unwind_table)(unw_addr_space_t as, unw_word_t ip,
                                              unw_dyn_info_t *di, unw_proc_info_t *pi,
                                              int need_unwind_info, void *arg);

#define MAX_LOADS 16

struct vn_elf {
   char *path;
   const uint8_t *data;
   size_t size;
   int nload;
   struct { uint64_t vaddr, memsz, offset, filesz; } load[MAX_LOADS];
   uint64_t eh_hdr_vaddr;   /* 0: none */
   uint64_t fde_count, table_vaddr;
   /* symbols, loaded on first use */
   int syms_loaded;
   struct vn_sym { uint64_t value, size; const char *name; } *syms;
   size_t nsyms;
};

static struct vn_elf **elves;
static size_t nelves, cap_elves;

const char *vn_elf_path(const struct vn_elf *e)
{
   return e->path;
}

static int elf_vaddr_to_off(const struct vn_elf *e, uint64_t vaddr, uint64_t *off)
{
   int i;
   for (i = 0; i < e->nload; i++) {
      if (vaddr >= e->load[i].vaddr && vaddr < e->load[i].vaddr + e->load[i].filesz) {
         *off = e->load[i].offset + (vaddr - e->load[i].vaddr);
         return *off < e->size;
      }
   }
   return 0;
}

static uint32_t rd32(const uint8_t *p)
{
   uint32_t v;
   memcpy(&v, p, 4);
   return v;
}

static void parse_eh_frame_hdr(struct vn_elf *e, uint64_t vaddr)
{
   uint64_t off;
   const uint8_t *h;
   if (!elf_vaddr_to_off(e, vaddr, &off) || off + 12 > e->size)
      return;
   h = e->data + off;
   /* version 1; eh_frame_ptr as pcrel|sdata4; fde_count udata4; the
      table datarel|sdata4: the layout every toolchain emits. */
   if (h[0] != 1 || h[1] != 0x1b || h[2] != 0x03 || h[3] != 0x3b)
      return;
   e->eh_hdr_vaddr = vaddr;
   e->fde_count = rd32(h + 8);
   e->table_vaddr = vaddr + 12;
}

static void *map_file(const char *path, size_t *size)
{
   int fd = open(path, O_RDONLY | O_CLOEXEC);
   struct stat st;
   void *m;
   if (fd < 0)
      return NULL;
   if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
      close(fd);
      return NULL;
   }
   m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
   close(fd);
   if (m == MAP_FAILED)
      return NULL;
   if (memcmp(m, ELFMAG, SELFMAG) != 0 || ((const uint8_t *)m)[EI_CLASS] != ELFCLASS64) {
      munmap(m, (size_t)st.st_size);
      return NULL;
   }
   *size = (size_t)st.st_size;
   return m;
}

struct vn_elf *vn_elf_get(const char *path)
{
   struct vn_elf *e;
   void *m;
   size_t size = 0;
   const Elf64_Ehdr *eh;
   size_t i;

   for (i = 0; i < nelves; i++)
      if (strcmp(elves[i]->path, path) == 0)
         return elves[i]->data ? elves[i] : NULL;
   e = vn_xcalloc(1, sizeof *e);
   e->path = vn_xstrdup(path);
   if (nelves == cap_elves) {
      cap_elves = cap_elves ? cap_elves * 2 : 32;
      elves = vn_xrealloc(elves, cap_elves * sizeof *elves);
   }
   elves[nelves++] = e;

   m = map_file(path, &size);
   if (!m)
      return NULL;
   eh = m;
   if (eh->e_machine != EM_X86_64 || eh->e_phentsize != sizeof(Elf64_Phdr) ||
       eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > size) {
      munmap(m, size);
      return NULL;
   }
   e->data = m;
   e->size = size;
   {
      const Elf64_Phdr *ph = (const void *)((const uint8_t *)m + eh->e_phoff);
      uint64_t eh_hdr = 0;
      int have_hdr = 0;
      for (i = 0; i < eh->e_phnum; i++) {
         if (ph[i].p_type == PT_LOAD && e->nload < MAX_LOADS) {
            e->load[e->nload].vaddr = ph[i].p_vaddr;
            e->load[e->nload].memsz = ph[i].p_memsz;
            e->load[e->nload].offset = ph[i].p_offset;
            e->load[e->nload].filesz = ph[i].p_filesz;
            e->nload++;
         } else if (ph[i].p_type == PT_GNU_EH_FRAME) {
            eh_hdr = ph[i].p_vaddr;
            have_hdr = 1;
         }
      }
      if (have_hdr)
         parse_eh_frame_hdr(e, eh_hdr);
   }
   return e;
}

/* The ELF's own address of the byte mapped at `addr` by `m`. */
uint64_t vn_elf_rel(const struct vn_map *m, uint64_t addr)
{
   uint64_t off = m->pgoff + (addr - m->start);
   const struct vn_elf *e = m->elf;
   int i;
   if (!e)
      return off;
   for (i = 0; i < e->nload; i++) {
      uint64_t a_off = e->load[i].offset & ~(uint64_t)(VN_PAGE - 1);
      uint64_t a_vaddr = e->load[i].vaddr & ~(uint64_t)(VN_PAGE - 1);
      if (off >= a_off && off < e->load[i].offset + e->load[i].filesz)
         return a_vaddr + (off - a_off);
   }
   return off;
}

/* ---- symbols ----------------------------------------------------------- */

static int sym_cmp(const void *a, const void *b)
{
   const struct vn_sym *x = a, *y = b;
   return x->value < y->value ? -1 : x->value > y->value;
}

/* The separate debug file of a stripped ELF, where its full symbol table
   is (as Valgrind finds it): by build ID under /usr/lib/debug/.build-id,
   else by .gnu_debuglink beside the file, in .debug/, or under
   /usr/lib/debug. */
static const uint8_t *debug_file(const struct vn_elf *e, size_t *size)
{
   const Elf64_Ehdr *eh = (const void *)e->data;
   const Elf64_Phdr *ph = (const void *)(e->data + eh->e_phoff);
   char path[4096];
   size_t i;
   for (i = 0; i < eh->e_phnum; i++) {
      uint64_t off, end;
      if (ph[i].p_type != PT_NOTE)
         continue;
      off = ph[i].p_offset;
      end = off + ph[i].p_filesz;
      if (end > e->size)
         continue;
      while (off + 12 <= end) {
         uint32_t nsz = rd32(e->data + off), dsz = rd32(e->data + off + 4),
                  type = rd32(e->data + off + 8);
         uint64_t name = off + 12, desc = name + ((nsz + 3) & ~3u);
         if (desc + dsz > end)
            break;
         if (type == NT_GNU_BUILD_ID && nsz == 4 && memcmp(e->data + name, "GNU", 4) == 0 &&
             dsz >= 2 && dsz <= 64) {
            int n = snprintf(path, sizeof path, "/usr/lib/debug/.build-id/%02x/", e->data[desc]);
            uint32_t k;
            for (k = 1; k < dsz; k++)
               n += snprintf(path + n, sizeof path - (size_t)n, "%02x", e->data[desc + k]);
            snprintf(path + n, sizeof path - (size_t)n, ".debug");
            {
               const uint8_t *m = map_file(path, size);
               if (m)
                  return m;
            }
         }
         off = desc + ((dsz + 3) & ~3u);
      }
   }
   if (eh->e_shoff && eh->e_shentsize == sizeof(Elf64_Shdr) &&
       eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) <= e->size &&
       eh->e_shstrndx < eh->e_shnum) {
      const Elf64_Shdr *sh = (const void *)(e->data + eh->e_shoff);
      const Elf64_Shdr *strs = &sh[eh->e_shstrndx];
      for (i = 0; i < eh->e_shnum; i++) {
         const char *nm, *link;
         char dir[4096];
         const char *slash;
         const char *fmt[3] = { "%s/%s", "%s/.debug/%s", "/usr/lib/debug%s/%s" };
         int k;
         if (strs->sh_offset + sh[i].sh_name >= e->size || sh[i].sh_offset + sh[i].sh_size > e->size)
            continue;
         nm = (const char *)e->data + strs->sh_offset + sh[i].sh_name;
         if (strcmp(nm, ".gnu_debuglink") != 0 || sh[i].sh_size < 2)
            continue;
         link = (const char *)e->data + sh[i].sh_offset;
         if (!memchr(link, '\0', sh[i].sh_size))
            break;
         slash = strrchr(e->path, '/');
         snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - e->path) : 0, e->path);
         for (k = 0; k < 3; k++) {
            const uint8_t *m;
            snprintf(path, sizeof path, fmt[k], dir, link);
            if (strcmp(path, e->path) != 0 && (m = map_file(path, size)) != NULL)
               return m;
         }
         break;
      }
   }
   return NULL;
}

/* FUNC symbols of the symbol table of type `want` in the ELF image
   data[0..size), appended to e->syms. */
static void add_syms(struct vn_elf *e, const uint8_t *data, size_t size, uint32_t want)
{
   const Elf64_Ehdr *eh = (const void *)data;
   const Elf64_Shdr *sh;
   size_t i;
   if (eh->e_shoff == 0 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
       eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > size)
      return;
   sh = (const void *)(data + eh->e_shoff);
   for (i = 0; i < eh->e_shnum; i++) {
      const Elf64_Shdr *s = &sh[i], *str;
      const Elf64_Sym *sym;
      size_t n, k;
      if (s->sh_type != want || s->sh_link >= eh->e_shnum)
         continue;
      str = &sh[s->sh_link];
      if (s->sh_offset + s->sh_size > size || str->sh_offset + str->sh_size > size ||
          str->sh_size == 0 || data[str->sh_offset + str->sh_size - 1] != '\0')
         continue;   /* names must end inside their table */
      sym = (const void *)(data + s->sh_offset);
      n = s->sh_size / sizeof(Elf64_Sym);
      e->syms = vn_xrealloc(e->syms, (e->nsyms + n) * sizeof *e->syms);
      for (k = 0; k < n; k++) {
         if (ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC || sym[k].st_value == 0 ||
             sym[k].st_name >= str->sh_size)
            continue;
         e->syms[e->nsyms].value = sym[k].st_value;
         e->syms[e->nsyms].size = sym[k].st_size;
         e->syms[e->nsyms].name = (const char *)data + str->sh_offset + sym[k].st_name;
         e->nsyms++;
      }
   }
}

static void load_syms(struct vn_elf *e)
{
   size_t dsize = 0;
   const uint8_t *dbg;
   e->syms_loaded = 1;
   /* the full symbol table: the file's own, else its debug file's; the
      dynamic one only if neither has one */
   add_syms(e, e->data, e->size, SHT_SYMTAB);
   if (e->nsyms == 0 && (dbg = debug_file(e, &dsize)) != NULL)
      add_syms(e, dbg, dsize, SHT_SYMTAB);   /* kept mapped: names point into it */
   if (e->nsyms == 0)
      add_syms(e, e->data, e->size, SHT_DYNSYM);
   qsort(e->syms, e->nsyms, sizeof *e->syms, sym_cmp);
}

const char *vn_elf_symbol(struct vn_elf *e, uint64_t rel)
{
   size_t lo = 0, hi;
   if (!e)
      return NULL;
   if (!e->syms_loaded)
      load_syms(e);
   hi = e->nsyms;
   while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (e->syms[mid].value <= rel)
         lo = mid + 1;
      else
         hi = mid;
   }
   while (lo-- > 0) {
      const struct vn_sym *s = &e->syms[lo];
      if (rel < s->value + (s->size ? s->size : 1))
         return s->name;
      if (s->size)
         return NULL;
   }
   return NULL;
}

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

static int read_elf_word(const struct vn_elf *e, uint64_t vaddr, unw_word_t *val)
{
   uint64_t off;
   if (!elf_vaddr_to_off(e, vaddr, &off) || off + sizeof *val > e->size)
      return 0;
   memcpy(val, e->data + off, sizeof *val);
   return 1;
}

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
   unw_dyn_info_t di;
   if (!m || !m->elf || !m->elf->eh_hdr_vaddr)
      return -UNW_ENOINFO;
   c->elf = m->elf;
   c->bias = bias_of(m);
   memset(&di, 0, sizeof di);
   di.format = UNW_INFO_FORMAT_REMOTE_TABLE;
   di.start_ip = m->start;
   di.end_ip = m->end;
   di.u.rti.segbase = c->bias + m->elf->eh_hdr_vaddr;
   di.u.rti.table_data = c->bias + m->elf->table_vaddr;
   di.u.rti.table_len = m->elf->fde_count * 8 / sizeof(unw_word_t);
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
   uint64_t sp = c->regs[7];
   struct vn_map *m;
   (void)as;
   if (write)
      return -UNW_EINVAL;
   if (addr >= sp && c->size >= sizeof *valp && addr - sp <= c->size - sizeof *valp) {
      memcpy(valp, c->stack + (addr - sp), sizeof *valp);
      return 0;
   }
   if (c->elf && addr >= c->bias && read_elf_word(c->elf, addr - c->bias, valp))
      return 0;
   m = vn_map_lookup(c->proc, addr);
   if (m && m->kind == VN_K_FILE) {
      if (!m->elf)
         m->elf = vn_elf_get(m->name);
      if (m->elf && read_elf_word(m->elf, vn_elf_rel(m, addr), valp))
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
      ips[0] = regs[8];
      return 1;
   }
   do {
      unw_word_t ip;
      if (unw_get_reg(&cur, UNW_REG_IP, &ip) < 0 || ip == 0)
         break;
      ips[n++] = ip;
   } while (n < max && unw_step(&cur) > 0);
   if (n == 0) {
      ips[0] = regs[8];
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
