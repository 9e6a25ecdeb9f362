/* Tracepoints: the id of syscalls:sys_exit_mremap, as tracefs publishes it
   (events/syscalls/sys_exit_mremap/id).  The mmap records do not report
   mremap, so this is how a moved, grown or shrunk mapping is followed: at
   the system call's exit the user registers still hold its arguments, and
   AX its result.

   tracefs is looked for where the kernel puts it; where it is not mounted
   (a minimal VM) and we are root, a short-lived helper mounts it in a
   mount namespace of its own (private, so nothing on the system changes;
   perf would mount it for everyone) and reads the id there. */
#include "vn.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const tracefs_dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

static int read_id(const char *root, uint64_t *id)
{
   char path[256];
   unsigned long long v;
   FILE *f;
   int k;
   snprintf(path, sizeof path, "%s/events/syscalls/sys_exit_mremap/id", root);
   f = fopen(path, "re");
   if (!f)
      return -1;
   k = fscanf(f, "%llu", &v);
   fclose(f);
   if (k != 1)
      return -1;
   *id = v;
   return 0;
}

/* As root without a mounted tracefs: a child in its own mount namespace
   mounts one and says what it read. */
static int read_id_privately(uint64_t *id)
{
   int fd[2], st;
   pid_t pid;
   ssize_t n;
   if (geteuid() != 0 || pipe2(fd, O_CLOEXEC) < 0)
      return -1;
   fflush(NULL);
   pid = fork();
   if (pid < 0) {
      close(fd[0]);
      close(fd[1]);
      return -1;
   }
   if (pid == 0) {
      uint64_t mine;
      close(fd[0]);
      if (unshare(CLONE_NEWNS) == 0 &&
          mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
          mount("nodev", tracefs_dirs[0], "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0 &&
          read_id(tracefs_dirs[0], &mine) == 0 &&
          write(fd[1], &mine, sizeof mine) == (ssize_t)sizeof mine)
         _exit(0);
      _exit(1);
   }
   close(fd[1]);
   do
      n = read(fd[0], id, sizeof *id);
   while (n < 0 && errno == EINTR);
   close(fd[0]);
   while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
      ;
   return n == (ssize_t)sizeof *id ? 0 : -1;
}

int vn_tracepoint_mremap_exit(uint64_t *id)
{
   size_t k;
   for (k = 0; k < sizeof tracefs_dirs / sizeof tracefs_dirs[0]; k++)
      if (read_id(tracefs_dirs[k], id) == 0)
         return 0;
   return read_id_privately(id);
}
