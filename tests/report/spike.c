/* spike.c: a short peak of resident memory between two long stretches
   that touch next to nothing.  It loops, then maps SPIKE_PAGES fresh
   anonymous pages, writes one byte to each (one fault, one resident page
   each) and unmaps them at once, then loops again.  The pages are resident
   for a few thousand instructions only: in one or two samples of the
   timeline among about a thousand, so a sampled table of 20 rows misses
   them unless each row says the peak of the samples it stands for
   (tests/report/run checks that --text's timeline does). */
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

int main(void)
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
   munmap((void *)p, SPIKE_PAGES * PAGE);
   spin(2500000);
   return 0;
}
