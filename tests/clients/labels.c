/* labels: how VMTRACE_LABEL / VMTRACE_UNLABEL ranges and phases combine.
   Every region is a private anonymous mapping of its own, written one
   store per page in the phase named.

   phase "overlap"  10 pages labelled "old", then pages 4..7 labelled "new"
                    (the later label takes the overlap)
   phase "cut"      10 pages labelled "cut", then pages 3..4 unlabelled
   phase "multi"    two mappings of 4 and 6 pages, both labelled "multi"
                    (naming a label again adds a range)
   phase "p1"       10 pages labelled "twice": pages 0..4 written
   phase "p2"       3 pages labelled "between" written
   phase "p1"       (again) pages 5..9 of "twice" written

   INFO lines give the addresses of the "overlap" region and of the "multi"
   mappings. */
#include "vmtest.h"

#define P VMT_PAGE

int main(void)
{
   vmt_init();
   char *ov = vmt_anon(10);
   char *cut = vmt_anon(10);
   char *m1 = vmt_anon(4);
   char *m2 = vmt_anon(6);
   char *tw = vmt_anon(10);
   char *bt = vmt_anon(3);

   VMTRACE_LABEL(ov, 10 * P, "old");
   VMTRACE_LABEL(ov + 4 * P, 4 * P, "new");
   VMTRACE_LABEL(cut, 10 * P, "cut");
   VMTRACE_UNLABEL(cut + 3 * P, 2 * P);
   VMTRACE_LABEL(m1, 4 * P, "multi");
   VMTRACE_LABEL(m2, 6 * P, "multi");
   VMTRACE_LABEL(tw, 10 * P, "twice");
   VMTRACE_LABEL(bt, 3 * P, "between");
   vmt_info_addr("overlap", ov);
   vmt_info_addr("multi1", m1);
   vmt_info_addr("multi2", m2);

   vmt_begin("overlap");
   vmt_write_pages(ov, 10);
   vmt_end();

   vmt_begin("cut");
   vmt_write_pages(cut, 10);
   vmt_end();

   vmt_begin("multi");
   vmt_write_pages(m1, 4);
   vmt_write_pages(m2, 6);
   vmt_end();

   vmt_begin("p1");
   vmt_write_pages(tw, 5);
   vmt_end();

   vmt_begin("p2");
   vmt_write_pages(bt, 3);
   vmt_end();

   vmt_begin("p1");
   vmt_write_pages(tw + 5 * P, 5);
   vmt_end();
   return 0;
}
