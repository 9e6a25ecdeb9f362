/* torture_fd MODE: descriptor games and resource limits.  Every mode that
   forks first writes a 10-page "region" (role "parent", phase "write"),
   forks a child that exits at once (so that vmtrace's frame log exists
   before the game), plays, then forks a child (role "child") that writes
   the 10 pages ("child-write") and exits, and writes them once more itself
   ("after-child").

   close-high      closes descriptors 3 to 1023, then opens a file in
                   $TMPDIR (it gets 3) and writes 6 bytes to it; after the
                   children, checks the file holds exactly those 6 bytes
                   (exit 1 if not) and removes it
   close-all       closes descriptors 0 to 1023 (standard ones included: no
                   ORACLE line after that), then the same with a file that
                   gets descriptor 0; exit 1 if the file is not 6 bytes
   dup2-low        dup2 of a pipe's ends over descriptors 3 to 9, of
                   /dev/null over 0, then close_range(3, ~0U) (ENOSYS is
                   accepted: INFO close-range=0)
   nofile          RLIMIT_NOFILE's soft limit lowered to 8 (descriptors
                   0..7)
   fsize-soft      RLIMIT_FSIZE's soft limit lowered to 1000 bytes (hard
                   limit unchanged), SIGXFSZ ignored: a write of 2000 bytes
                   to a file in $TMPDIR writes 1000 (INFO wrote=1000), the
                   next fails with EFBIG (INFO efbig=1); no fork
   fsize-hard      the same with the hard limit lowered too */
#include "vmtest.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static char *region;

static int wait_status(pid_t pid)
{
   int st;
   if (waitpid(pid, &st, 0) != pid)
      vmt_die("waitpid");
   return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void write_phase(const char *phase, char *p, size_t n)
{
   vmt_begin(phase);
   vmt_write_pages(p, n);
   vmt_end();
}

static void before(void)
{
   region = vmt_anon(10);
   VMTRACE_LABEL(region, 10 * VMT_PAGE, "region");
   write_phase("write", region, 10);
   pid_t pid = vmt_fork();
   if (pid == 0)
      _exit(0);
   if (wait_status(pid) != 0)
      vmt_die("the first child");
}

/* The children's writes, once the game is played; the child's status. */
static int after(void)
{
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      write_phase("child-write", region, 10);
      vmt_child_exit();
   }
   int st = wait_status(pid);
   write_phase("after-child", region, 10);
   return st;
}

static const char *tmp_path(const char *name)
{
   static char path[4096];
   const char *d = getenv("TMPDIR");
   snprintf(path, sizeof path, "%s/%s", d && *d ? d : "/tmp", name);
   return path;
}

/* Opens the scratch file and writes 6 bytes; returns its descriptor. */
static int scratch(void)
{
   int fd = open(tmp_path("torture-fd.txt"), O_RDWR | O_CREAT | O_TRUNC, 0600);
   if (fd < 0 || write(fd, "hello\n", 6) != 6)
      _exit(3);
   return fd;
}

/* 0 if the scratch file holds its 6 bytes only (then removed), else 1. */
static int scratch_intact(int fd)
{
   struct stat st;
   int bad = fstat(fd, &st) != 0 || st.st_size != 6;
   close(fd);
   unlink(tmp_path("torture-fd.txt"));
   return bad;
}

static int close_high(void)
{
   before();
   fflush(stdout);
   for (int fd = 3; fd < 1024; fd++)
      close(fd);
   int fd = scratch();
   printf("INFO fd=%d\n", fd);
   int st = after();
   int bad = scratch_intact(fd);
   printf("INFO intact=%d\n", !bad);
   return st | bad;
}

static int close_all(void)
{
   before();
   fflush(stdout);
   for (int fd = 0; fd < 1024; fd++)
      close(fd);
   int fd = scratch();
   int st = after();
   return st | scratch_intact(fd);
}

static int dup2_low(void)
{
   before();
   int p[2];
   if (pipe(p) != 0)
      vmt_die("pipe");
   for (int fd = 3; fd < 10; fd++)
      if (fd != p[0] && fd != p[1] && dup2(fd % 2 ? p[1] : p[0], fd) != fd)
         vmt_die("dup2 %d", fd);
   int null = open("/dev/null", O_RDONLY);
   if (null < 0 || dup2(null, 0) != 0)
      vmt_die("dup2 /dev/null");
   long r = syscall(SYS_close_range, 3, ~0U, 0);
   printf("INFO close-range=%d\n", r == 0);
   return after();
}

static int nofile(void)
{
   before();
   struct rlimit rl;
   if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
      vmt_die("getrlimit RLIMIT_NOFILE");
   rl.rlim_cur = 8;          /* (Valgrind refuses a change to the hard one) */
   if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
      vmt_die("setrlimit RLIMIT_NOFILE");
   return after();
}

static int fsize(int hard)
{
   signal(SIGXFSZ, SIG_IGN);
   struct rlimit rl;
   if (getrlimit(RLIMIT_FSIZE, &rl) != 0)
      vmt_die("getrlimit");
   rl.rlim_cur = 1000;
   if (hard)
      rl.rlim_max = 1000;
   if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
      vmt_die("setrlimit RLIMIT_FSIZE");
   static char buf[2000];
   int fd = open(tmp_path("torture-fsize.dat"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
   if (fd < 0)
      vmt_die("open");
   ssize_t n = write(fd, buf, sizeof buf);
   ssize_t m = write(fd, buf, sizeof buf);
   printf("INFO wrote=%ld\nINFO efbig=%d\n", (long)n, m < 0 && errno == EFBIG);
   close(fd);
   unlink(tmp_path("torture-fsize.dat"));
   return 0;
}

int main(int argc, char **argv)
{
   vmt_init();
   vmt_set_role("parent");
   const char *mode = argc >= 2 ? argv[1] : "";
   if (strcmp(mode, "close-high") == 0)
      return close_high();
   if (strcmp(mode, "close-all") == 0)
      return close_all();
   if (strcmp(mode, "dup2-low") == 0)
      return dup2_low();
   if (strcmp(mode, "nofile") == 0)
      return nofile();
   if (strcmp(mode, "fsize-soft") == 0)
      return fsize(0);
   if (strcmp(mode, "fsize-hard") == 0)
      return fsize(1);
   vmt_die("usage: torture_fd MODE (see the top of torture_fd.c)");
   return 2;
}
