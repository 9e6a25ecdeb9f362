/* clock.c: a loop whose instruction and reference counts are known to the
   one, for tests/timeline/run's check of the clock (the packed counter of
   vt_instrument.c, drained by vt_sample_tick).
     clock N   runs the loop N times (N in decimal digits only)

   The loop is written in assembly, so that the compiler can add or drop
   nothing; per iteration 8 instructions (8 fetches) and 6 data
   references: two loads, a read-modify-write add (one reference: it is
   checked once, as a write), a store, a push (a store) and a pop (a
   load): 14 references.  Two runs whose N have as many digits differ
   only in the loop's iterations: what the rest of the program does
   (parsing N digit by digit included) is the same. */
#define VT_CLOCK_LOOP_INSNS 8
#define VT_CLOCK_LOOP_REFS 14

void vt_clock_loop(unsigned long n, long *buf);
__asm__(
   ".text\n"
   ".globl vt_clock_loop\n"
   ".type vt_clock_loop, @function\n"
   ".balign 64\n"
   "vt_clock_loop:\n"                /* rdi n, rsi buf */
   "0: mov (%rsi), %rax\n"
   "   add %rax, 8(%rsi)\n"
   "   mov 16(%rsi), %rdx\n"
   "   mov %rdx, 24(%rsi)\n"
   "   push %rax\n"
   "   pop %rax\n"
   "   dec %rdi\n"
   "   jnz 0b\n"
   "   ret\n"
   ".size vt_clock_loop, .-vt_clock_loop\n");

static long buf[4] = { 1, 2, 3, 4 };

int main(int argc, char **argv)
{
   if (argc != 2)
      return 2;
   unsigned long n = 0;
   for (const char *p = argv[1]; *p; p++)
      n = n * 10 + (unsigned long)(*p - '0');
   if (n)
      vt_clock_loop(n, buf);
   return 0;
}
