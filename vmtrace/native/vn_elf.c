/* ELF files, read from disk (so a process that has exited can still be
   unwound and named): their loadable segments, the .eh_frame_hdr search
   table the unwinder needs, and the symbol tables, the file's own or its
   separate debug file's, for names addr2line lacks. */
#include "vn.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LOADS 16

struct vn_elf {
   char *path;
   const uint8_t *data;
   size_t size;
   dev_t dev;         /* the file mapped, to tell if the path still names it */
   ino_t ino;
   int nload;
   struct { uint64_t vaddr, memsz, offset, filesz; } load[MAX_LOADS];
   uint64_t eh_hdr_vaddr;   /* 0: none */
   uint64_t fde_count, table_vaddr;
   /* without PT_GNU_EH_FRAME (a static executable): the same search
      table, built from .eh_frame, served at table_vaddr (past the image) */
   int32_t *synth;
   uint64_t synth_len;   /* bytes */
   /* symbols, loaded on first use */
   int syms_loaded;
   struct vn_sym { uint64_t value, size; const char *name; } *syms;
   size_t nsyms;
};

/* Every ELF file asked for, by path (one that is not a usable ELF file
   is kept too, without data, so it is not opened again). */
static struct vn_elf **elves;
static size_t nelves, cap_elves;

static uint64_t elf_hash(uint32_t i)
{
   return vn_hash_str(elves[i]->path);
}

static int elf_is(uint32_t i, const void *path)
{
   return strcmp(elves[i]->path, path) == 0;
}

static struct vn_table by_path = { .hash = elf_hash, .same = elf_is };

const char *vn_elf_path(const struct vn_elf *e)
{
   return e->path;
}

/* A path addr2line can read the file by: its own while it names the file
   we mapped; if the file has been deleted or replaced since (a program
   that removes or rebuilds itself), a copy of what we mapped, in a
   temporary file the caller removes (*tmp set).  NULL if none can be
   made. */
char *vn_elf_readable_path(const struct vn_elf *e, int *tmp)
{
   struct stat st;
   const char *dir = getenv("TMPDIR");
   char *name;
   size_t done = 0;
   int fd;
   *tmp = 0;
   if (stat(e->path, &st) == 0 && st.st_dev == e->dev && st.st_ino == e->ino)
      return vn_xstrdup(e->path);
   if (!dir || !*dir)
      dir = "/tmp";
   name = vn_xmalloc(strlen(dir) + 32);
   sprintf(name, "%s/vmtrace-native.XXXXXX", dir);
   fd = mkstemp(name);
   if (fd < 0) {
      free(name);
      return NULL;
   }
   while (done < e->size) {
      ssize_t w = write(fd, e->data + done, e->size - done);
      if (w < 0 && errno == EINTR)
         continue;
      if (w <= 0)
         break;
      done += (size_t)w;
   }
   if (close(fd) < 0 || done < e->size) {
      unlink(name);
      free(name);
      return NULL;
   }
   *tmp = 1;
   return name;
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
   e->fde_count = vn_get32(h + 8);
   e->table_vaddr = vaddr + 12;
}

static void *map_file(const char *path, size_t *size, struct stat *id)
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
   *id = st;
   return m;
}

/* ---- a search table for .eh_frame alone ----------------------------------
   A static executable is linked without --eh-frame-hdr: .eh_frame has no
   PT_GNU_EH_FRAME table to search, and libunwind found no frame past the
   first.  The table is made here as the linker would make it: for every
   FDE its first address and its own, as 4-byte offsets from the table's
   base, sorted by address. */

static int get_uleb(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
   unsigned shift = 0;
   *v = 0;
   while (*p < end && shift < 64) {
      uint8_t b = *(*p)++;
      *v |= (uint64_t)(b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80))
         return 1;
   }
   return 0;
}

/* A DW_EH_PE-encoded pointer at *p (whose address is `vaddr`): only the
   forms toolchains put in .eh_frame (absolute or pc-relative, 2, 4 or 8
   bytes, LEB128 skipped).  Returns 0 when it cannot be read. */
static int get_ptr(const uint8_t **p, const uint8_t *end, uint8_t enc, uint64_t vaddr,
                   uint64_t *v)
{
   uint64_t x;
   const uint8_t *q = *p;
   if (enc == 0xff) {   /* DW_EH_PE_omit */
      *v = 0;
      return 1;
   }
   switch (enc & 0x0f) {
   case 0x00: case 0x04: case 0x0c:   /* absptr, udata8, sdata8 */
      if (end - q < 8) return 0;
      memcpy(&x, q, 8);
      q += 8;
      break;
   case 0x03: case 0x0b: {            /* udata4, sdata4 */
      uint32_t u;
      if (end - q < 4) return 0;
      memcpy(&u, q, 4);
      x = (enc & 0x0f) == 0x0b ? (uint64_t)(int64_t)(int32_t)u : u;
      q += 4;
      break;
   }
   case 0x02: case 0x0a: {            /* udata2, sdata2 */
      uint16_t u;
      if (end - q < 2) return 0;
      memcpy(&u, q, 2);
      x = (enc & 0x0f) == 0x0a ? (uint64_t)(int64_t)(int16_t)u : u;
      q += 2;
      break;
   }
   case 0x01: case 0x09:              /* uleb128, sleb128: skipped */
      if (!get_uleb(&q, end, &x)) return 0;
      break;
   default:
      return 0;
   }
   switch (enc & 0x70) {
   case 0x00: break;
   case 0x10: x += vaddr; break;      /* pcrel */
   default: return 0;
   }
   *p = q;
   *v = x;
   return 1;
}

/* The FDE pointer encoding of the CIE at `cie` (its length field), or -1. */
static int cie_fde_encoding(const uint8_t *cie, const uint8_t *end)
{
   const uint8_t *p = cie + 8, *aug;
   uint64_t len, skip;
   uint8_t version;
   memcpy(&len, cie, 4);   /* checked by the caller: 32-bit length */
   len &= 0xffffffffu;
   if (len < 5 || (uint64_t)(end - cie) < len + 4)
      return -1;
   end = cie + 4 + len;
   version = *p++;
   aug = p;
   while (p < end && *p)
      p++;
   if (p >= end)
      return -1;
   p++;
   if (aug[0] != 'z')
      return 0;   /* no augmentation data: absolute pointers */
   if (!get_uleb(&p, end, &skip) || !get_uleb(&p, end, &skip))   /* code, data align */
      return -1;
   if (version == 1) {
      if (p >= end) return -1;
      p++;
   } else if (!get_uleb(&p, end, &skip)) {
      return -1;
   }
   if (!get_uleb(&p, end, &skip))   /* augmentation data length */
      return -1;
   for (aug++; *aug; aug++) {
      if (*aug == 'R')
         return p < end ? *p : -1;
      if (*aug == 'L') {
         p++;
      } else if (*aug == 'P') {
         uint64_t ign;
         uint8_t enc;
         if (p >= end) return -1;
         enc = *p++;
         if (!get_ptr(&p, end, enc & 0x0f, 0, &ign))
            return -1;
      } else if (*aug != 'S' && *aug != 'B') {
         return -1;
      }
   }
   return 0;
}

static int synth_cmp(const void *a, const void *b)
{
   const int32_t *x = a, *y = b;
   return x[0] < y[0] ? -1 : x[0] > y[0];
}

static void synth_eh_table(struct vn_elf *e)
{
   const Elf64_Ehdr *eh = (const void *)e->data;
   const Elf64_Shdr *sh, *strs;
   uint64_t top = 0, base, sec_vaddr = 0;
   const uint8_t *start = NULL, *end, *p;
   size_t i, n = 0, cap = 0;
   int32_t *t = NULL;
   if (eh->e_shoff == 0 || eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shstrndx >= eh->e_shnum ||
       eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > e->size)
      return;
   sh = (const void *)(e->data + eh->e_shoff);
   strs = &sh[eh->e_shstrndx];
   if (strs->sh_offset + strs->sh_size > e->size)
      return;
   for (i = 0; i < eh->e_shnum; i++)
      if (sh[i].sh_name + sizeof ".eh_frame" <= strs->sh_size && sh[i].sh_type == SHT_PROGBITS &&
          strcmp((const char *)e->data + strs->sh_offset + sh[i].sh_name, ".eh_frame") == 0 &&
          sh[i].sh_offset + sh[i].sh_size <= e->size) {
         start = e->data + sh[i].sh_offset;
         end = start + sh[i].sh_size;
         sec_vaddr = sh[i].sh_addr;
         break;
      }
   if (!start)
      return;
   for (i = 0; i < (size_t)e->nload; i++)
      if (e->load[i].vaddr + e->load[i].memsz > top)
         top = e->load[i].vaddr + e->load[i].memsz;
   base = (top + 0xfff) & ~(uint64_t)0xfff;   /* past the image: no address of its own */
   for (p = start; end - p >= 8;) {
      uint32_t len, id;
      const uint8_t *rec = p, *q;
      uint64_t pc;
      int enc;
      memcpy(&len, p, 4);
      if (len == 0 || len == 0xffffffffu || (uint64_t)(end - p) < (uint64_t)len + 4)
         break;   /* the terminator, or 64-bit lengths no toolchain emits here */
      memcpy(&id, p + 4, 4);
      p += 4 + (uint64_t)len;
      if (id == 0 || id > (uint64_t)(rec + 4 - start))
         continue;   /* a CIE, or a pointer out of the section */
      enc = cie_fde_encoding(rec + 4 - id, end);
      q = rec + 8;
      if (enc < 0 || !get_ptr(&q, p, (uint8_t)enc, sec_vaddr + (uint64_t)(q - start), &pc) || pc == 0)
         continue;
      if (pc - base + 0x80000000u > 0xffffffffu)
         continue;   /* beyond what a 4-byte offset reaches */
      if (n == cap) {
         cap = cap ? cap * 2 : 256;
         t = vn_xrealloc(t, cap * 2 * sizeof *t);
      }
      t[2 * n] = (int32_t)(pc - base);
      t[2 * n + 1] = (int32_t)(sec_vaddr + (uint64_t)(rec - start) - base);
      n++;
   }
   if (!n) {
      free(t);
      return;
   }
   qsort(t, n, 2 * sizeof *t, synth_cmp);
   e->synth = t;
   e->synth_len = n * 2 * sizeof *t;
   e->eh_hdr_vaddr = base;
   e->table_vaddr = base;
   e->fde_count = n;
}


struct vn_elf *vn_elf_get(const char *path)
{
   struct vn_elf *e;
   void *m;
   size_t size = 0;
   struct stat id;
   const Elf64_Ehdr *eh;
   size_t i;

   i = vn_table_intern(&by_path, vn_hash_str(path), path, (uint32_t)nelves);
   if (i < nelves)
      return elves[i]->data ? elves[i] : NULL;
   e = vn_xcalloc(1, sizeof *e);
   e->path = vn_xstrdup(path);
   elves = vn_grow(elves, nelves, &cap_elves, sizeof *elves);
   elves[nelves++] = e;

   m = map_file(path, &size, &id);
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
   e->dev = id.st_dev;
   e->ino = id.st_ino;
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
      if (!e->eh_hdr_vaddr)
         synth_eh_table(e);
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
   struct stat id;
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
         uint32_t nsz = vn_get32(e->data + off), dsz = vn_get32(e->data + off + 4),
                  type = vn_get32(e->data + off + 8);
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
               const uint8_t *m = map_file(path, size, &id);
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
            if (strcmp(path, e->path) != 0 && (m = map_file(path, size, &id)) != NULL)
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

/* ---- for the unwinder ---------------------------------------------------- */

int vn_elf_eh_table(const struct vn_elf *e, uint64_t *hdr_vaddr, uint64_t *table_vaddr,
                    uint64_t *fde_count)
{
   if (!e->eh_hdr_vaddr)
      return 0;
   *hdr_vaddr = e->eh_hdr_vaddr;
   *table_vaddr = e->table_vaddr;
   *fde_count = e->fde_count;
   return 1;
}

int vn_elf_read_word(const struct vn_elf *e, uint64_t vaddr, uint64_t *val)
{
   uint64_t off;
   if (e->synth && vaddr >= e->table_vaddr && vaddr - e->table_vaddr + sizeof *val <= e->synth_len) {
      memcpy(val, (const uint8_t *)e->synth + (vaddr - e->table_vaddr), sizeof *val);
      return 1;
   }
   if (!elf_vaddr_to_off(e, vaddr, &off) || off + sizeof *val > e->size)
      return 0;
   memcpy(val, e->data + off, sizeof *val);
   return 1;
}
