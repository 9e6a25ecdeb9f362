/* anon: a 500-page private anonymous mapping, labelled "anon".

   anon read-write    phase "read":    load one byte of each page
                      phase "write":   store one byte to each page
                      phase "rewrite": store again
   anon write-first   phase "write", phase "rewrite"

   Expectations (derived in tests/run): a first read maps the shared zero
   page (500 `zero`), the write after it copies it (500 `wp_copy`), a first
   write allocates (500 `anon`), writing again costs nothing. */
#include "vmtest.h"

#define NPAGES 500

int main(int argc, char **argv)
{
   vmt_init();
   if (argc != 2 || (strcmp(argv[1], "read-write") && strcmp(argv[1], "write-first")))
      vmt_die("usage: anon read-write|write-first");
   int read_first = strcmp(argv[1], "read-write") == 0;

   char *p = vmt_anon(NPAGES);
   VMTRACE_LABEL(p, NPAGES * VMT_PAGE, "anon");

   if (read_first) {
      vmt_begin("read");
      vmt_read_pages(p, NPAGES);
      vmt_end();
   }
   vmt_begin("write");
   vmt_write_pages(p, NPAGES);
   vmt_end();

   vmt_begin("rewrite");
   vmt_write_pages(p, NPAGES);
   vmt_end();
   return 0;
}
