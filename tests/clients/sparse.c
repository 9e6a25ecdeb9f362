/* sparse MIB: a PROT_NONE reservation of MIB MiB (MAP_NORESERVE); one page
   in its middle is made PROT_READ|PROT_WRITE, labelled "page", and written
   (phase "write").  tests/run uses 65536 (64 GiB) natively; Valgrind 3.19
   cannot place a client mapping that large (its amd64 client address
   space has no 64 GiB hole: mmap fails with EINVAL even under
   --tool=none), so under vmtrace it uses 32768 (32 GiB), and 1 as the
   small baseline the memory use is compared with. */
#include "vmtest.h"

int main(int argc, char **argv)
{
   vmt_init();
   if (argc != 2 || atol(argv[1]) <= 0)
      vmt_die("usage: sparse MIB");
   size_t reserve = (size_t)atol(argv[1]) << 20;
   char *r = mmap(NULL, reserve, PROT_NONE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
   if (r == MAP_FAILED)
      vmt_die("mmap %zu MiB", reserve >> 20);
   char *mid = r + reserve / 2;
   if (mprotect(mid, VMT_PAGE, PROT_READ | PROT_WRITE) != 0)
      vmt_die("mprotect");
   VMTRACE_LABEL(mid, VMT_PAGE, "page");

   vmt_begin("write");
   vmt_write_pages(mid, 1);
   vmt_end();
   return 0;
}
