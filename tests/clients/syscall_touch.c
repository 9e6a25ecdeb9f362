/* syscall_touch MODE: memory the kernel touches inside a system call.  The
   buffer studied is a 10-page private anonymous mapping, untouched before
   the call, labelled "buf"; the call is phase "call", a second pass over
   the buffer from user space phase "after".

   read        read() 10 pages of a cached 10-page file into the buffer:
               the kernel writes every page (copy_to_user); phase "after"
               writes the buffer
   write-pipe  write() the 10 pages into a pipe (64 KiB of capacity, so
               the call does not block): the kernel reads every page
               (copy_from_user); phase "after" writes the buffer
   write-null  write() the 10 pages to /dev/null: write_null returns the
               count without looking at the buffer; phase "after" reads
               the buffer
   pvm-read    process_vm_readv() of this process's own pid, the buffer the
               remote side (two iovecs, 4 and 6 pages), into a static
               local array: the kernel reads every page of the buffer
               (get_user_pages); phase "after" writes the buffer
   pvm-write   process_vm_writev() of the process's own pid from the local
               array into the buffer, the remote side: the kernel writes
               every page of it; phase "after" writes the buffer
   pvm-read-forked, pvm-read-shared
               the buffer written (phase "fill"), then a fork: the child
               exits at once (forked; reaped before the call) or waits
               until the parent is done (shared); then pvm-read's call
               over the buffer, now copy-on-write, and phase "after"
               writes it

   The file, the pipe and /dev/null are opened, and read()/write() warmed
   up on another buffer, before the measurement. */
#include "vmtest.h"

#define NPAGES 10
#define LEN (NPAGES * VMT_PAGE)

#include <sys/uio.h>

static char local[LEN];

/* process_vm_readv/writev between `local` and the caller's own buf: */
static VMT_NOINLINE ssize_t pvm(int write, char *buf)
{
   struct iovec l = { local, LEN };
   struct iovec r[2] = { { buf, 4 * VMT_PAGE }, { buf + 4 * VMT_PAGE, 6 * VMT_PAGE } };
   return write ? process_vm_writev(getpid(), &l, 1, r, 2, 0)
                : process_vm_readv(getpid(), &l, 1, r, 2, 0);
}

int main(int argc, char **argv)
{
   vmt_init();
   const char *mode = argc == 2 ? argv[1] : "";
   int fd_in = -1, fd_out = -1;
   static char warm[4096];

   if (strcmp(mode, "read") == 0) {
      fd_in = vmt_cached_file("vmtest-syscall.dat", LEN);
      if (pread(fd_in, warm, sizeof warm, 0) != (ssize_t)sizeof warm)
         vmt_die("pread");
      if (lseek(fd_in, 0, SEEK_SET) != 0)
         vmt_die("lseek");
   } else if (strcmp(mode, "write-pipe") == 0) {
      int pfd[2];
      if (pipe(pfd) != 0)
         vmt_die("pipe");
      if (fcntl(pfd[1], F_GETPIPE_SZ) < (int)LEN)
         vmt_die("pipe too small");
      fd_in = pfd[0];
      fd_out = pfd[1];
      if (write(fd_out, warm, sizeof warm) != (ssize_t)sizeof warm ||
          read(fd_in, warm, sizeof warm) != (ssize_t)sizeof warm)
         vmt_die("warming the pipe");
   } else if (strcmp(mode, "write-null") == 0) {
      fd_out = open("/dev/null", O_WRONLY);
      if (fd_out < 0)
         vmt_die("open /dev/null");
      if (write(fd_out, warm, sizeof warm) != (ssize_t)sizeof warm)
         vmt_die("write /dev/null");
   } else if (strncmp(mode, "pvm-", 4) == 0) {
      memset(local, 1, sizeof local);
      char *w = vmt_anon(NPAGES);
      memset(w, 1, LEN);
      if (pvm(0, w) != (ssize_t)LEN || pvm(1, w) != (ssize_t)LEN)
         vmt_die("warming process_vm_readv/writev");
   } else {
      vmt_die("usage: syscall_touch read|write-pipe|write-null|pvm-read|pvm-write|"
              "pvm-read-forked|pvm-read-shared");
   }

   char *buf = vmt_anon(NPAGES);
   VMTRACE_LABEL(buf, LEN, "buf");
   int forked = strcmp(mode, "pvm-read-forked") == 0, shared = strcmp(mode, "pvm-read-shared") == 0;
   pid_t child = -1;
   struct vmt_chan done;
   if (forked || shared) {
      vmt_set_role("parent");
      vmt_begin("fill");
      vmt_write_pages(buf, NPAGES);
      vmt_end();
      vmt_chan_open(&done);
      child = vmt_fork();
      if (child == 0) {
         vmt_set_role("child");
         if (shared)
            vmt_wait(&done);
         vmt_child_exit();
      }
      if (forked) {
         vmt_reap(child);
         child = -1;
      }
      mode = "pvm-read";
   }

   vmt_begin("call");
   ssize_t r = strcmp(mode, "read") == 0 ? read(fd_in, buf, LEN)
             : strcmp(mode, "pvm-read") == 0 ? pvm(0, buf)
             : strcmp(mode, "pvm-write") == 0 ? pvm(1, buf)
             : write(fd_out, buf, LEN);
   vmt_end();
   if (r != (ssize_t)LEN)
      vmt_die("%s returned %zd", mode, r);

   vmt_begin("after");
   if (strcmp(mode, "write-null") == 0)
      vmt_read_pages(buf, NPAGES);
   else
      vmt_write_pages(buf, NPAGES);
   vmt_end();
   if (child > 0) {
      vmt_post(&done);
      vmt_reap(child);
   }
   return 0;
}
