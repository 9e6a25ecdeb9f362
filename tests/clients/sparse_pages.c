/* sparse_pages STRIDE_KIB N: a read-write reservation of N strides of
   STRIDE_KIB KiB (MAP_NORESERVE, no huge pages: MADV_NOHUGEPAGE),
   labelled "pages", and one byte written at the start of each stride
   (phase "write"): N pages touched, each alone in its stride, as a sparse
   heap or a hash table over a huge reservation touches them.  The memory
   the tool keeps for them is what tests/scenarios/aspace.py bounds. */
#include "vmtest.h"

int main(int argc, char **argv)
{
   vmt_init();
   if (argc != 3 || atol(argv[1]) < 4 || atol(argv[1]) % 4 || atol(argv[2]) <= 0)
      vmt_die("usage: sparse_pages STRIDE_KIB N (STRIDE_KIB a multiple of 4)");
   size_t stride = (size_t)atol(argv[1]) << 10, n = (size_t)atol(argv[2]);
   char *r = mmap(NULL, stride * n, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
   if (r == MAP_FAILED)
      vmt_die("mmap %zu KiB", stride * n >> 10);
   if (madvise(r, stride * n, MADV_NOHUGEPAGE) != 0)
      vmt_die("madvise");
   VMTRACE_LABEL(r, stride * n, "pages");

   vmt_begin("write");
   for (size_t i = 0; i < n; i++)
      ((volatile char *)r)[i * stride] = 1;
   vmt_end();
   return 0;
}
