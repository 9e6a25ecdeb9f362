/* straddle: one unaligned 8-byte access at (page boundary - 4) of two
   untouched private anonymous pages labelled "pair" (phase "access").
   Argument: store | load. */
#include "vmtest.h"

typedef uint64_t __attribute__((aligned(1), may_alias)) vmt_u64_unaligned;

int main(int argc, char **argv)
{
   vmt_init();
   if (argc != 2 || (strcmp(argv[1], "store") && strcmp(argv[1], "load")))
      vmt_die("usage: straddle store|load");
   int store = strcmp(argv[1], "store") == 0;
   char *p = vmt_anon(2);
   VMTRACE_LABEL(p, 2 * VMT_PAGE, "pair");
   volatile vmt_u64_unaligned *q = (volatile vmt_u64_unaligned *)(p + VMT_PAGE - 4);

   vmt_begin("access");
   if (store)
      *q = 0x0102030405060708ull;
   else
      vmt_sink = *q;
   vmt_end();
   return 0;
}
