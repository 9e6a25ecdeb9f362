/* steady.c: a loop whose page behaviour is known to the instruction, for
   tests/timeline/run.
     steady P R PASSES   map P pages, then sweep them PASSES times: each
                         visit to a page is R loads of its first byte

   The sweep is written in assembly so that its instruction count is known
   exactly (the compiler cannot add or drop one), it touches no memory but
   the P pages (no stack, no other data), and its code lies in one page
   (64 bytes aligned to 64).  Per visit, 3R + 4 instructions: mov $R, %ecx;
   R times (movb, dec, jnz); add, dec, jnz.  Per pass, L = P(3R + 4) + 4
   (the two movs before the pages, the dec and jnz after).  The loads of a
   visit are 3 instructions apart: from the first to the last, 3(R - 1). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>

#define PG 4096UL

void vt_sweep(volatile char *base, unsigned long pages, unsigned long reps,
              unsigned long passes);
__asm__(
   ".text\n"
   ".globl vt_sweep\n"
   ".type vt_sweep, @function\n"
   ".balign 64\n"
   "vt_sweep:\n"                     /* rdi base, rsi pages, rdx reps, rcx passes */
   "   mov %rdx, %r9\n"
   "   mov %rcx, %r8\n"
   "0: mov %rdi, %r10\n"             /* a pass: 2 + P (3R + 4) + 2 */
   "   mov %rsi, %rdx\n"
   "1: mov %r9, %rcx\n"              /* a visit: 1 + 3R + 3 */
   "2: movb (%r10), %al\n"
   "   dec %rcx\n"
   "   jnz 2b\n"
   "   add $4096, %r10\n"
   "   dec %rdx\n"
   "   jnz 1b\n"
   "   dec %r8\n"
   "   jnz 0b\n"
   "   ret\n"
   ".size vt_sweep, .-vt_sweep\n");

int main(int argc, char **argv)
{
   if (argc != 4)
      return 1;
   unsigned long p = strtoul(argv[1], 0, 10), r = strtoul(argv[2], 0, 10);
   unsigned long passes = strtoul(argv[3], 0, 10);
   if (!p || !r || !passes)
      return 1;
   char *a = mmap(NULL, p * PG, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
   if (a == MAP_FAILED)
      return 2;
   vt_sweep(a, p, r, passes);
   return 0;
}
