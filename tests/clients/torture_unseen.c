/* torture_unseen MODE: what the kernel does to the program's memory that
   vmtrace does not see (docs/manual.md, Not modelled yet).  Role "parent".

   io-uring  An 8-page private anonymous buffer, untouched; a 4-page file,
             cached (vmt_cached_file); an io_uring of 4 entries (raw system
             calls; its rings in two pages of the program's,
             IORING_SETUP_NO_MMAP: Linux 6.5 on).  One IORING_OP_READ of
             the file's 4 pages into pages 0..3 of the buffer, submitted
             and waited for by one io_uring_enter ("enter"); INFO res= the
             completion's result (16384).  Then the 8 pages read ("read")
             and written ("write").  The buffer is not labelled.
             Natively (Linux 6.18): the read copies into the 4 pages from
             the task (copy_to_user's faults: 4 `anon`, counted in
             min_flt), then the reads map the zero page on the other 4, the
             writes copy it.
   pageout   A 16-page file, cached, mapped private read-only 64 KiB-aligned
             ("file"), read ("read"); MADV_PAGEOUT over it; FACT
             resident-after= its pages mincore finds resident then
             (natively 0: reclaimed); read again ("reread": natively a
             major fault, the model's figures are not the kernel's).
   vfork-write  An 8-page "region", pages 0..3 written ("write"); vfork;
             the child (phase "child-write", set by a client request: it
             calls nothing else, not even stdio) writes the 8 pages and a
             marker, 0x77, into byte 1 of page 5, and _exits; the parent
             reaps it and writes the 8 ("after"), then prints INFO seen=
             the marker's byte as it finds it (FACT natively: 119; under
             Valgrind, which runs vfork as fork, 0). */
#include "vmtest.h"

#include <linux/io_uring.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static void io_uring(void)
{
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
}

static void pageout(void)
{
   int fd = vmt_cached_file("torture-pageout.dat", 16 * VMT_PAGE);
   char *p = vmt_mmap_at(16 * VMT_PAGE, 64 * 1024, 0, PROT_READ, MAP_PRIVATE, fd, 0);
   VMTRACE_LABEL(p, 16 * VMT_PAGE, "file");
   vmt_begin("read");
   vmt_read_pages(p, 16);
   vmt_end();
   if (madvise(p, 16 * VMT_PAGE, 21 /* MADV_PAGEOUT, Linux 5.4 */) != 0)
      vmt_die("madvise(MADV_PAGEOUT)");
   unsigned char in[16];
   if (mincore(p, 16 * VMT_PAGE, in) != 0)
      vmt_die("mincore");
   long resident = 0;
   for (int i = 0; i < 16; i++)
      resident += in[i] & 1;
   vmt_fact("resident-after", resident);
   vmt_begin("reread");
   vmt_read_pages(p, 16);
   vmt_end();
}

static void vfork_write(void)
{
   char *p = vmt_anon(8);
   VMTRACE_LABEL(p, 8 * VMT_PAGE, "region");
   vmt_begin("write");
   vmt_write_pages(p, 4);
   vmt_end();
   pid_t pid = vfork();
   if (pid < 0)
      vmt_die("vfork");
   if (pid == 0) {
      VMTRACE_PHASE("child-write");
      vmt_write_pages(p, 8);
      p[5 * VMT_PAGE + 1] = 0x77;
      _exit(0);
   }
   int st;
   if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
      vmt_die("the vfork child");
   vmt_begin("after");
   vmt_write_pages(p, 8);
   vmt_end();
   printf("INFO seen=%d\n", p[5 * VMT_PAGE + 1]);
   vmt_fact("seen", p[5 * VMT_PAGE + 1]);
}

int main(int argc, char **argv)
{
   vmt_init();
   vmt_set_role("parent");
   const char *mode = argc >= 2 ? argv[1] : "";
   if (strcmp(mode, "io-uring") == 0)
      io_uring();
   else if (strcmp(mode, "pageout") == 0)
      pageout();
   else if (strcmp(mode, "vfork-write") == 0)
      vfork_write();
   else
      vmt_die("usage: torture_unseen io-uring|pageout|vfork-write");
   return 0;
}
