/* sigbus: a cached file of one page (4096 bytes) is mapped 4 pages long,
   MAP_PRIVATE, PROT_READ, at a 64 KiB-aligned address; label "file" covers
   the 4 pages.  Phase "read0" loads from page 0; phase "crash" loads from
   page 2, beyond the end of the file: SIGBUS, no handler, the process dies
   of signal 7.  INFO target= prints the address of the load. */
#include "vmtest.h"

#define NPAGES 4
#define WINDOW (64 * 1024)

int main(void)
{
   vmt_init();
   int fd = vmt_cached_file("vmtest-sigbus.dat", VMT_PAGE);
   char *p = vmt_mmap_at(NPAGES * VMT_PAGE, WINDOW, 0, PROT_READ, MAP_PRIVATE,
                         fd, 0);
   VMTRACE_LABEL(p, NPAGES * VMT_PAGE, "file");
   volatile char *target = p + 2 * VMT_PAGE;
   vmt_info_addr("target", (const void *)target);

   vmt_begin("read0");
   vmt_read_pages(p, 1);
   vmt_end();

   vmt_begin("crash");
   vmt_sink = *target;
   vmt_end();
   return 0;
}
