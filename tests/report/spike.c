/* spike.c: a short peak of resident memory between two long stretches
   that touch next to nothing.  It loops, then maps SPIKE_PAGES fresh
   anonymous pages, writes one byte to each (one fault, one resident page
   each) and unmaps them at once, then loops again.  The fill takes some
   10,000 instructions, within one sample of 16,384 or across two, so no
   sample holds the whole spike: the HTML's memory chart must mark the
   run's peak itself (tests/report/browser-test.js).  With the argument
   "hold" the pages stay about 100,000 instructions more, so a few samples
   of the timeline's 1,400 hold them all, between two of the 20 rows
   --text prints (whichever samples the fill falls in): tests/report/run
   checks that each row says the peak of the samples it stands for. */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>

#define PAGE 4096UL
#define SPIKE_PAGES 2048UL

static void spin(unsigned long n)
{
   volatile unsigned long x = 0;
   for (unsigned long i = 0; i < n; i++)
      x += i;
}

int main(int argc, char **argv)
{
   spin(1500000);
   volatile char *p = mmap(NULL, SPIKE_PAGES * PAGE, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (p == MAP_FAILED) {
      perror("mmap");
      return 1;
   }
   for (unsigned long i = 0; i < SPIKE_PAGES; i++)
      p[i * PAGE] = 1;
   if (argc > 1 && argv[1][0] == 'h')
      spin(20000);
   munmap((void *)p, SPIKE_PAGES * PAGE);
   spin(2500000);
   return 0;
}
