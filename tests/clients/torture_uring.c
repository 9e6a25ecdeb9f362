/* torture_uring: memory the kernel touches through io_uring.  Role "parent".

   An 8-page private anonymous buffer, untouched; a 4-page file, cached
   (vmt_cached_file); an io_uring of 4 entries (raw system calls; its rings
   in two pages of the program's, IORING_SETUP_NO_MMAP: Linux 6.5 on).  One
   IORING_OP_READ of the file's 4 pages into pages 0..3 of the buffer,
   submitted and waited for by one io_uring_enter ("enter"); INFO res= the
   completion's result (16384).  Then the 8 pages read ("read") and
   written ("write").  The buffer is not labelled: vmtrace does not see
   the kernel's writes (docs/manual.md), so its figures for it are not the
   kernel's, and the case checks the kernel's natively (ORACLE lines) and
   vmtrace's warning.

   Natively (Linux 6.18): the read copies into the 4 pages from the task
   (copy_to_user's faults: 4 `anon`, counted in min_flt), then the reads
   map the zero page on the other 4, the writes copy it. */
#include "vmtest.h"

#include <linux/io_uring.h>
#include <sys/syscall.h>

int main(void)
{
   vmt_init();
   vmt_set_role("parent");
   char *buf = vmt_anon(8);
   int file = vmt_cached_file("torture-uring", 4 * VMT_PAGE);

   /* The rings in the program's own memory (IORING_SETUP_NO_MMAP, Linux
      6.5): io_uring refuses any address for its own mappings, so under
      Valgrind, whose mmap asks for one, they would land where the kernel
      chooses, at random, and the runs would differ. */
   char *rings = vmt_anon(1), *sqe_page = vmt_anon(1);
   struct io_uring_params par;
   memset(&par, 0, sizeof par);
   par.flags = 1u << 14;               /* IORING_SETUP_NO_MMAP */
   par.cq_off.resv2 = (unsigned long)rings;     /* cq_off.user_addr */
   par.sq_off.resv2 = (unsigned long)sqe_page;  /* sq_off.user_addr */
   int ring = (int)syscall(__NR_io_uring_setup, 4, &par);
   if (ring < 0)
      vmt_die("io_uring_setup(IORING_SETUP_NO_MMAP)");
   char *sq = rings, *cq = rings;
   struct io_uring_sqe *sqes = (struct io_uring_sqe *)sqe_page;

   memset(&sqes[0], 0, sizeof sqes[0]);
   sqes[0].opcode = IORING_OP_READ;
   sqes[0].fd = file;
   sqes[0].addr = (unsigned long)buf;
   sqes[0].len = 4 * VMT_PAGE;
   sqes[0].off = 0;
   unsigned *tail = (unsigned *)(sq + par.sq_off.tail);
   unsigned *array = (unsigned *)(sq + par.sq_off.array);
   unsigned mask = *(unsigned *)(sq + par.sq_off.ring_mask);
   array[*tail & mask] = 0;
   __atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);

   vmt_begin("enter");
   int n = (int)syscall(__NR_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0);
   vmt_end();
   if (n != 1)
      vmt_die("io_uring_enter");
   unsigned head = *(unsigned *)(cq + par.cq_off.head);
   struct io_uring_cqe *cqes = (struct io_uring_cqe *)(cq + par.cq_off.cqes);
   printf("INFO res=%d\n", cqes[head & *(unsigned *)(cq + par.cq_off.ring_mask)].res);

   vmt_begin("read");
   vmt_read_pages(buf, 8);
   vmt_end();
   vmt_begin("write");
   vmt_write_pages(buf, 8);
   vmt_end();
   return 0;
}
