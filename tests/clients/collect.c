/* collect: VMTRACE_START_COLLECTION / VMTRACE_STOP_COLLECTION.  Three
   10-page private anonymous mappings, labelled "a", "b" and "c".

   phase "before":  write a            (before VMTRACE_START_COLLECTION)
   phase "during":  write a again, write b
   phase "paused":  read c             (after VMTRACE_STOP_COLLECTION)
   phase "after":   write c            (after VMTRACE_START_COLLECTION)

   Run with --collect-atstart=no, only "during" and "after" are counted;
   with yes, "before" is counted too.  The memory follows the program
   whether it is counted or not: a's pages are mapped writable in "before"
   and c's map the zero page in "paused", which "after" must copy. */
#include "vmtest.h"

#define NPAGES 10

int main(void)
{
   vmt_init();
   char *a = vmt_anon(NPAGES);
   char *b = vmt_anon(NPAGES);
   char *c = vmt_anon(NPAGES);
   VMTRACE_LABEL(a, NPAGES * VMT_PAGE, "a");
   VMTRACE_LABEL(b, NPAGES * VMT_PAGE, "b");
   VMTRACE_LABEL(c, NPAGES * VMT_PAGE, "c");

   vmt_begin("before");
   vmt_write_pages(a, NPAGES);
   vmt_end();

   VMTRACE_START_COLLECTION();
   vmt_begin("during");
   vmt_write_pages(a, NPAGES);
   vmt_write_pages(b, NPAGES);
   vmt_end();

   VMTRACE_STOP_COLLECTION();
   vmt_begin("paused");
   vmt_read_pages(c, NPAGES);
   vmt_end();

   VMTRACE_START_COLLECTION();
   vmt_begin("after");
   vmt_write_pages(c, NPAGES);
   vmt_end();
   return 0;
}
