/* Fault sites: stacks aggregated per (class, code locations), each code
   location once (an ELF file and its own address, so the same line in
   processes with different layouts is one location), and written as the
   output's fault_sites, the most frequent first, named by vn_srcline.c. */
#include "vn.h"

#include <stdlib.h>
#include <string.h>

struct vn_frame *vn_frames;
size_t vn_nframes;
static size_t cap_frames;

struct site {
   int cls;
   unsigned n;
   uint64_t count;
   uint32_t *f;            /* frame indices */
};

static struct site *sites;
static size_t nsites, cap_sites;

/* The mapping names frames point at, each kept once. */
static char **names;
static size_t nnames, cap_names;

static uint64_t name_hash(uint32_t i)
{
   return vn_hash_str(names[i]);
}

static int name_is(uint32_t i, const void *s)
{
   return strcmp(names[i], s) == 0;
}

static struct vn_table name_set = { .hash = name_hash, .same = name_is };

static const char *intern_name(const char *s)
{
   uint32_t i = vn_table_intern(&name_set, vn_hash_str(s), s, (uint32_t)nnames);
   if (i < nnames)
      return names[i];
   names = vn_grow(names, nnames, &cap_names, sizeof *names);
   return names[nnames++] = vn_xstrdup(s);
}

/* ---- code locations -------------------------------------------------------- */

struct frame_key {
   const struct vn_elf *elf;
   uint64_t rel;
};

static uint64_t frame_key_hash(const struct vn_elf *elf, uint64_t rel)
{
   return vn_hash_add(vn_hash_u64((uint64_t)(uintptr_t)elf), rel);
}

static uint64_t frame_hash(uint32_t i)
{
   return frame_key_hash(vn_frames[i].elf, vn_frames[i].rel);
}

static int frame_is(uint32_t i, const void *key)
{
   const struct frame_key *k = key;
   return vn_frames[i].elf == k->elf && vn_frames[i].rel == k->rel;
}

static struct vn_table frame_set = { .hash = frame_hash, .same = frame_is };

static uint32_t frame_id(struct vn_elf *elf, const char *objname, uint64_t rel, uint64_t abs)
{
   struct frame_key key = { elf, rel };
   uint32_t i;
   i = vn_table_intern(&frame_set, frame_key_hash(elf, rel), &key, (uint32_t)vn_nframes);
   if (i < vn_nframes)
      return i;
   vn_frames = vn_grow(vn_frames, vn_nframes, &cap_frames, sizeof *vn_frames);
   memset(&vn_frames[vn_nframes], 0, sizeof vn_frames[vn_nframes]);
   vn_frames[vn_nframes].elf = elf;
   vn_frames[vn_nframes].objname = objname;
   vn_frames[vn_nframes].rel = rel;
   vn_frames[vn_nframes].abs = abs;
   return (uint32_t)vn_nframes++;
}

/* ---- sites ----------------------------------------------------------------- */

static uint64_t stack_hash(int cls, unsigned n, const uint32_t *f)
{
   uint64_t h = vn_hash_add((uint64_t)cls, n);
   unsigned k;
   for (k = 0; k < n; k++)
      h = vn_hash_add(h, f[k]);
   return h;
}

static uint64_t site_hash(uint32_t i)
{
   return stack_hash(sites[i].cls, sites[i].n, sites[i].f);
}

static int site_is(uint32_t i, const void *key)
{
   const struct site *k = key;
   return sites[i].cls == k->cls && sites[i].n == k->n &&
          memcmp(sites[i].f, k->f, k->n * sizeof *k->f) == 0;
}

static struct vn_table site_set = { .hash = site_hash, .same = site_is };

void vn_site_add(struct vn_proc *proc, int cls, const uint64_t *ips, unsigned n)
{
   uint32_t f[257];
   struct site key;
   unsigned k;
   uint32_t i;
   if (n > 256)
      n = 256;
   for (k = 0; k < n; k++) {
      /* a return address names the call before it, as Valgrind shows it */
      uint64_t a = k ? ips[k] - 1 : ips[k];
      struct vn_map *m = vn_map_lookup(proc, a);
      struct vn_elf *elf = NULL;
      const char *obj = NULL;
      uint64_t rel = a;
      if (m && m->kind == VN_K_FILE) {
         if (!m->elf)
            m->elf = vn_elf_get(m->name);
         elf = m->elf;
         obj = intern_name(m->name);
         if (elf)
            rel = vn_elf_rel(m, a);
      }
      f[k] = frame_id(elf, obj, rel, a);
   }
   key.cls = cls;
   key.n = n;
   key.f = f;
   i = vn_table_intern(&site_set, stack_hash(cls, n, f), &key, (uint32_t)nsites);
   if (i < nsites) {
      sites[i].count++;
      return;
   }
   sites = vn_grow(sites, nsites, &cap_sites, sizeof *sites);
   sites[nsites].cls = cls;
   sites[nsites].n = n;
   sites[nsites].count = 1;
   sites[nsites].f = memcpy(vn_xmalloc(n * sizeof *f), f, n * sizeof *f);
   nsites++;
}

/* ---- output ---------------------------------------------------------------- */

static int is_main(const struct vn_frame *f)
{
   const char *colon = strstr(f->text, ": ");
   return colon && strncmp(colon + 2, "main ", 5) == 0;
}

struct outsite {
   int cls;
   unsigned n;
   uint64_t count;
   const uint32_t *f;
};

static int out_cmp(const void *a, const void *b)
{
   const struct outsite *x = a, *y = b;
   unsigned k;
   if (x->cls != y->cls)
      return x->cls - y->cls;
   if (x->count != y->count)
      return x->count > y->count ? -1 : 1;
   for (k = 0; k < x->n && k < y->n; k++)
      if (vn_frames[x->f[k]].abs != vn_frames[y->f[k]].abs)
         return vn_frames[x->f[k]].abs < vn_frames[y->f[k]].abs ? -1 : 1;
   return (int)x->n - (int)y->n;
}

static int same_stack(const struct outsite *x, const struct outsite *y)
{
   unsigned k;
   if (x->cls != y->cls || x->n != y->n)
      return 0;
   for (k = 0; k < x->n; k++)
      if (vn_frames[x->f[k]].abs != vn_frames[y->f[k]].abs ||
          strcmp(vn_frames[x->f[k]].text, vn_frames[y->f[k]].text) != 0)
         return 0;
   return 1;
}

static int stack_cmp(const void *a, const void *b)
{
   const struct outsite *x = a, *y = b;
   unsigned k;
   if (x->cls != y->cls)
      return x->cls - y->cls;
   for (k = 0; k < x->n && k < y->n; k++)
      if (vn_frames[x->f[k]].abs != vn_frames[y->f[k]].abs)
         return vn_frames[x->f[k]].abs < vn_frames[y->f[k]].abs ? -1 : 1;
   if (x->n != y->n)
      return (int)x->n - (int)y->n;
   for (k = 0; k < x->n; k++) {
      int c = strcmp(vn_frames[x->f[k]].text, vn_frames[y->f[k]].text);
      if (c)
         return c;
   }
   return 0;
}

void vn_sites_json(FILE *out)
{
   struct outsite *o;
   size_t i, n = 0, m;
   static const char *cls_name[VN_NCLASS] = { "minor", "major" };
   int cls, first = 1;

   vn_name_frames();
   o = vn_xcalloc(nsites + 1, sizeof *o);
   for (i = 0; i < nsites; i++) {
      unsigned k, len = sites[i].n;
      /* the stack ends at main */
      for (k = 0; k < sites[i].n; k++)
         if (is_main(&vn_frames[sites[i].f[k]])) {
            len = k + 1;
            break;
         }
      o[n].cls = sites[i].cls;
      o[n].n = len;
      o[n].count = sites[i].count;
      o[n].f = sites[i].f;
      n++;
   }
   /* stacks that differed only below main are one site now */
   qsort(o, n, sizeof *o, stack_cmp);
   for (i = 0, m = 0; i < n; i++) {
      if (m && same_stack(&o[m - 1], &o[i]))
         o[m - 1].count += o[i].count;
      else
         o[m++] = o[i];
   }
   qsort(o, m, sizeof *o, out_cmp);
   fputc('[', out);
   for (cls = 0; cls < VN_NCLASS; cls++) {
      size_t shown = 0;
      for (i = 0; i < m && shown < 100; i++) {
         unsigned k;
         if (o[i].cls != cls)
            continue;
         shown++;
         fprintf(out, "%s\n  {\"class\": \"%s\", \"count\": %llu, \"stack\": [",
                 first ? "" : ",", cls_name[cls], (unsigned long long)o[i].count);
         first = 0;
         for (k = 0; k < o[i].n; k++) {
            if (k)
               fputs(", ", out);
            vn_json_str(out, vn_frames[o[i].f[k]].text);
         }
         fputs("]}", out);
      }
   }
   fputs(first ? "]" : "\n]", out);
   free(o);
}
