/* shared_anon MODE: a 10-page MAP_SHARED|MAP_ANONYMOUS read-write mapping
   (shared memory, shmem), labelled "shm".

   read-write   phase "read": load one byte of each page; phase "write":
                store one byte to each page
   write-first  phase "write", then phase "rewrite": store again */
#include "vmtest.h"

#define NPAGES 10

int main(int argc, char **argv)
{
   vmt_init();
   if (argc != 2 || (strcmp(argv[1], "read-write") && strcmp(argv[1], "write-first")))
      vmt_die("usage: shared_anon read-write|write-first");
   int read_first = strcmp(argv[1], "read-write") == 0;

   char *p = vmt_mmap_at(NPAGES * VMT_PAGE, VMT_PAGE, 0, PROT_READ | PROT_WRITE,
                         MAP_SHARED | MAP_ANONYMOUS, -1, 0);
   VMTRACE_LABEL(p, NPAGES * VMT_PAGE, "shm");

   if (read_first) {
      vmt_begin("read");
      vmt_read_pages(p, NPAGES);
      vmt_end();
   }
   vmt_begin("write");
   vmt_write_pages(p, NPAGES);
   vmt_end();

   if (!read_first) {
      vmt_begin("rewrite");
      vmt_write_pages(p, NPAGES);
      vmt_end();
   }
   return 0;
}
