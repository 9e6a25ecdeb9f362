/* fold: 10000 times, mmap a 2-page private anonymous read-write mapping,
   label it "loop", write both pages, munmap it (phase "loop").  One round
   is made before the phase, unlabelled, so that the code and stack the
   loop uses have been touched before it starts. */
#include "vmtest.h"

#define ROUNDS 10000
#define NPAGES 2

static VMT_NOINLINE void round_trip(int label)
{
   char *p = mmap(NULL, NPAGES * VMT_PAGE, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (p == MAP_FAILED)
      vmt_die("mmap");
   if (label)
      VMTRACE_LABEL(p, NPAGES * VMT_PAGE, "loop");
   vmt_write_pages(p, NPAGES);
   if (munmap(p, NPAGES * VMT_PAGE) != 0)
      vmt_die("munmap");
}

int main(void)
{
   vmt_init();
   round_trip(0);

   vmt_begin("loop");
   for (int i = 0; i < ROUNDS; i++)
      round_trip(1);
   vmt_end();
   return 0;
}
