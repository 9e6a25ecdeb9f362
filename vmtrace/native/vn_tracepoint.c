/* Tracepoints: the ids and field offsets of syscalls:sys_enter_mremap and
   syscalls:sys_exit_mremap, as tracefs publishes them (events/.../id and
   .../format).  The mmap records do not report mremap, so these two are
   how a moved, grown or shrunk mapping is followed.

   tracefs is looked for where the kernel puts it; where it is not mounted
   (a minimal VM) and we are root, a short-lived helper mounts it in a
   mount namespace of its own (private, so nothing on the system changes;
   perf would mount it for everyone) and reads the files there. */
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

/* The offset of each of n 8-byte fields of `event`, and its id; 0 if all
   were found. */
static int read_event(const char *root, const char *event, uint64_t *id,
                      const char *const *names, unsigned *offs, int n)
{
   char path[256], line[512];
   unsigned long long v;
   FILE *f;
   int found = 0, k;

   snprintf(path, sizeof path, "%s/events/syscalls/%s/id", root, event);
   f = fopen(path, "re");
   if (!f)
      return -1;
   k = fscanf(f, "%llu", &v);
   fclose(f);
   if (k != 1)
      return -1;
   *id = v;
   snprintf(path, sizeof path, "%s/events/syscalls/%s/format", root, event);
   f = fopen(path, "re");
   if (!f)
      return -1;
   /* "\tfield:unsigned long old_len;\toffset:24;\tsize:8;\tsigned:0;" */
   while (fgets(line, sizeof line, f)) {
      char *field = strstr(line, "field:"), *semi, *name;
      unsigned off, size;
      if (!field || !(semi = strchr(field, ';')))
         continue;
      *semi = '\0';
      name = strrchr(field, ' ');
      if (!name || sscanf(semi + 1, " offset:%u; size:%u;", &off, &size) != 2 || size != 8)
         continue;
      for (k = 0; k < n; k++)
         if (strcmp(name + 1, names[k]) == 0 && !(found & (1 << k))) {
            offs[k] = off;
            found |= 1 << k;
         }
   }
   fclose(f);
   return found == (1 << n) - 1 ? 0 : -1;
}

static int read_mremap(const char *root, struct vn_mremap_tp *tp)
{
   static const char *const args[] = { "addr", "old_len", "new_len", "flags", "new_addr" };
   static const char *const ret[] = { "ret" };
   if (read_event(root, "sys_enter_mremap", &tp->enter_id, args, tp->arg_off, 5) < 0 ||
       read_event(root, "sys_exit_mremap", &tp->exit_id, ret, &tp->ret_off, 1) < 0)
      return -1;
   return 0;
}

/* As root without a mounted tracefs: a child in its own mount namespace
   mounts one and says what it read. */
static int read_mremap_privately(struct vn_mremap_tp *tp)
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
      struct vn_mremap_tp mine;
      close(fd[0]);
      if (unshare(CLONE_NEWNS) == 0 &&
          mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
          mount("nodev", tracefs_dirs[0], "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0 &&
          read_mremap(tracefs_dirs[0], &mine) == 0 &&
          write(fd[1], &mine, sizeof mine) == (ssize_t)sizeof mine)
         _exit(0);
      _exit(1);
   }
   close(fd[1]);
   do
      n = read(fd[0], tp, sizeof *tp);
   while (n < 0 && errno == EINTR);
   close(fd[0]);
   while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
      ;
   return n == (ssize_t)sizeof *tp ? 0 : -1;
}

int vn_tracepoints_mremap(struct vn_mremap_tp *tp)
{
   size_t k;
   for (k = 0; k < sizeof tracefs_dirs / sizeof tracefs_dirs[0]; k++)
      if (read_mremap(tracefs_dirs[k], tp) == 0)
         return 0;
   return read_mremap_privately(tp);
}
