/* brk: the program break is first aligned to a page boundary B, then
   sbrk(+10 pages) and the 10 pages [B, B+10 pages) written (label "heap",
   phase "grow1"); sbrk(-10 pages) gives them back; sbrk(+10 pages) again and
   the same 10 pages written (phase "grow2").  Nothing in the program
   allocates with malloc meanwhile (stdout's buffer exists already). */
#include "vmtest.h"

#define NPAGES 10

static char *xsbrk(intptr_t inc)
{
   void *r = sbrk(inc);
   if (r == (void *)-1)
      vmt_die("sbrk(%ld)", (long)inc);
   return r;
}

int main(void)
{
   vmt_init();
   char *cur = xsbrk(0);
   size_t pad = (VMT_PAGE - (uintptr_t)cur % VMT_PAGE) % VMT_PAGE;
   if (pad)
      xsbrk((intptr_t)pad);
   char *b = xsbrk(0);
   if ((uintptr_t)b % VMT_PAGE)
      vmt_die("break %p not aligned", (void *)b);

   if (xsbrk(NPAGES * VMT_PAGE) != b)
      vmt_die("sbrk moved");
   VMTRACE_LABEL(b, NPAGES * VMT_PAGE, "heap");
   vmt_begin("grow1");
   vmt_write_pages(b, NPAGES);
   vmt_end();

   xsbrk(-(intptr_t)(NPAGES * VMT_PAGE));
   if (xsbrk(0) != b)
      vmt_die("sbrk did not shrink back");

   if (xsbrk(NPAGES * VMT_PAGE) != b)
      vmt_die("sbrk moved");
   vmt_begin("grow2");
   vmt_write_pages(b, NPAGES);
   vmt_end();
   return 0;
}
