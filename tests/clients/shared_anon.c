/* shared_anon MODE: a 10-page MAP_SHARED|MAP_ANONYMOUS read-write mapping
   (shared memory, shmem), labelled "shm".

   read-write   phase "read": load one byte of each page; phase "write":
                store one byte to each page
   write-first  phase "write", then phase "rewrite": store again
   remove       a 16-page memfd mapped MAP_SHARED twice, 64 KiB-aligned,
                labelled "a" and "b": "a" written (phase "write-a"), "b"
                read (phase "read-b"); madvise(MADV_REMOVE) of the first 8
                pages through "a" (phase "remove"), then "b" read again
                (phase "reread-b"), "a" read (phase "reread-a") and
                written (phase "rewrite-a")
   remove-private  a 16-page memfd mapped MAP_SHARED, "a", and
                MAP_PRIVATE read-only, "p", 64 KiB-aligned: "a" written
                ("write-a"), "p" read ("read-p"); MADV_REMOVE of the first
                8 pages through "a" ("remove"), then "p" read again
                ("reread-p")
   syscalls     a memfd of 8 pages mapped MAP_SHARED 16 pages long,
                64 KiB-aligned, labelled "m": pwrite() of its pages 0-3
                (phase "pwrite"), pages 0-3 read (phase "read-low");
                fallocate() of pages 8-15, growing it to 16 (phase
                "grow"), pages 8-15 read (phase "read-high");
                fallocate(FALLOC_FL_PUNCH_HOLE) of pages 0-1 (phase
                "punch"), pages 0-3 read (phase "reread-low");
                fallocate(FALLOC_FL_KEEP_SIZE) of pages 4-5, then of 4-7
                (phase "falloc"), pages 4-7 read (phase "read-mid").  Then a
                cached file of 2 pages mapped MAP_SHARED read-only 8 pages
                long, 64 KiB-aligned, labelled "f": pwrite() of 2 pages
                at its end (phase "append"), pages 0-3 read (phase
                "read-f").  Then a second memfd of 16 pages, before any
                mapping of it: pwrite() of its pages 4-5, fallocate() of
                pages 8-9 twice and of pages 12-13 once; mapped MAP_SHARED
                read-only, 64 KiB-aligned, labelled "n", all 16 read
                (phase "read-n").  Then a third memfd of 16 pages whose
                pages 8-11 are fallocated before any mapping of it;
                mapped MAP_SHARED read-only, 64 KiB-aligned, labelled
                "o"; fallocate() of its pages 8-15 (phase "falloc-o");
                all 16 read (phase "read-o")
   write-self   a memfd of 8 pages mapped MAP_SHARED, 64 KiB-aligned,
                labelled "m", its page 0 written by pwrite() (the others
                holes): pwrite() of 3 pages at page 2 from m's pages 0-2
                (phase "write-self"), then pages 0-3 read (phase
                "read-low") and 4-7 (phase "read-high")
   tmpfs        a tmpfs mounted outside /dev/shm (in a mount namespace of
                its own: as root, else as root of a user namespace), on
                $TMPDIR/vmtest-tmpfs (or /tmp's): a 16-page file made by
                ftruncate (holes), read by pread() whole, and a 16-page
                file written by write(), each mapped MAP_SHARED
                read-write, 64 KiB-aligned, labelled "s" and "w": "s"
                read (phase "read-s") and written ("write-s"), "w" read
                ("read-w") and written ("write-w") */
#include "vmtest.h"

#include <linux/falloc.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define NPAGES 10
#define REMOVE_PAGES 16

/* A memfd written through a shared mapping "a" and read through a
   second mapping of it, shared ("b") or, with private, read-only private
   ("p"); then MADV_REMOVE of the first half through "a" and the second
   mapping read again (and, shared, "a" read and written again). */
static void remove_mode(int private)
{
   size_t len = REMOVE_PAGES * VMT_PAGE;
   int fd = memfd_create(private ? "vmtest-remove-private" : "vmtest-remove", 0);
   if (fd < 0 || ftruncate(fd, (off_t)len) != 0)
      vmt_die("memfd");
   char *a = vmt_mmap_at(len, 65536, 0, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
   char *b = vmt_mmap_at(len, 65536, 0, private ? PROT_READ : PROT_READ | PROT_WRITE,
                         private ? MAP_PRIVATE : MAP_SHARED, fd, 0);
   VMTRACE_LABEL(a, len, "a");
   VMTRACE_LABEL(b, len, private ? "p" : "b");

   vmt_begin("write-a");
   vmt_write_pages(a, REMOVE_PAGES);
   vmt_end();

   vmt_begin(private ? "read-p" : "read-b");
   vmt_read_pages(b, REMOVE_PAGES);
   vmt_end();

   vmt_begin("remove");
   int r = madvise(a, len / 2, MADV_REMOVE);
   vmt_end();
   if (r != 0)
      vmt_die("madvise");

   vmt_begin(private ? "reread-p" : "reread-b");
   vmt_read_pages(b, REMOVE_PAGES);
   vmt_end();
   if (private)
      return;

   vmt_begin("reread-a");
   vmt_read_pages(a, REMOVE_PAGES);
   vmt_end();

   vmt_begin("rewrite-a");
   vmt_write_pages(a, REMOVE_PAGES);
   vmt_end();
}

static void syscalls_mode(void)
{
   static char data[4 * VMT_PAGE];
   memset(data, 'x', sizeof data);
   int fd = memfd_create("vmtest-syscalls", 0);
   if (fd < 0 || ftruncate(fd, 8 * VMT_PAGE) != 0)
      vmt_die("memfd");
   char *m = vmt_mmap_at(16 * VMT_PAGE, 65536, 0, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
   VMTRACE_LABEL(m, 16 * VMT_PAGE, "m");

   vmt_begin("pwrite");
   ssize_t w = pwrite(fd, data, 4 * VMT_PAGE, 0);
   vmt_end();
   if (w != 4 * VMT_PAGE)
      vmt_die("pwrite");
   vmt_begin("read-low");
   vmt_read_pages(m, 4);
   vmt_end();

   vmt_begin("grow");
   int r = fallocate(fd, 0, 8 * VMT_PAGE, 8 * VMT_PAGE);
   vmt_end();
   if (r != 0)
      vmt_die("fallocate");
   vmt_begin("read-high");
   vmt_read_pages(m + 8 * VMT_PAGE, 8);
   vmt_end();

   vmt_begin("punch");
   r = fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 2 * VMT_PAGE);
   vmt_end();
   if (r != 0)
      vmt_die("fallocate(FALLOC_FL_PUNCH_HOLE)");
   vmt_begin("reread-low");
   vmt_read_pages(m, 4);
   vmt_end();

   vmt_begin("falloc");
   r = fallocate(fd, FALLOC_FL_KEEP_SIZE, 4 * VMT_PAGE, 2 * VMT_PAGE) |
       fallocate(fd, FALLOC_FL_KEEP_SIZE, 4 * VMT_PAGE, 4 * VMT_PAGE);
   vmt_end();
   if (r != 0)
      vmt_die("fallocate(FALLOC_FL_KEEP_SIZE)");
   vmt_begin("read-mid");
   vmt_read_pages(m + 4 * VMT_PAGE, 4);
   vmt_end();

   int ff = vmt_cached_file("vmtest-append.dat", 2 * VMT_PAGE);
   char *f = vmt_mmap_at(8 * VMT_PAGE, 65536, 0, PROT_READ, MAP_SHARED, ff, 0);
   VMTRACE_LABEL(f, 8 * VMT_PAGE, "f");
   vmt_begin("append");
   w = pwrite(ff, data, 2 * VMT_PAGE, 2 * VMT_PAGE);
   vmt_end();
   if (w != 2 * VMT_PAGE)
      vmt_die("pwrite");
   vmt_begin("read-f");
   vmt_read_pages(f, 4);
   vmt_end();

   int fn = memfd_create("vmtest-before", 0);
   if (fn < 0 || ftruncate(fn, 16 * VMT_PAGE) != 0)
      vmt_die("memfd");
   if (pwrite(fn, data, 2 * VMT_PAGE, 4 * VMT_PAGE) != 2 * VMT_PAGE ||
       fallocate(fn, 0, 8 * VMT_PAGE, 2 * VMT_PAGE) != 0 ||
       fallocate(fn, 0, 8 * VMT_PAGE, 2 * VMT_PAGE) != 0 ||
       fallocate(fn, 0, 12 * VMT_PAGE, 2 * VMT_PAGE) != 0)
      vmt_die("pwrite, fallocate");
   char *n = vmt_mmap_at(16 * VMT_PAGE, 65536, 0, PROT_READ, MAP_SHARED, fn, 0);
   VMTRACE_LABEL(n, 16 * VMT_PAGE, "n");
   vmt_begin("read-n");
   vmt_read_pages(n, 16);
   vmt_end();

   int fo = memfd_create("vmtest-falloc-twice", 0);
   if (fo < 0 || ftruncate(fo, 16 * VMT_PAGE) != 0 ||
       fallocate(fo, FALLOC_FL_KEEP_SIZE, 8 * VMT_PAGE, 4 * VMT_PAGE) != 0)
      vmt_die("memfd, fallocate");
   char *o = vmt_mmap_at(16 * VMT_PAGE, 65536, 0, PROT_READ, MAP_SHARED, fo, 0);
   VMTRACE_LABEL(o, 16 * VMT_PAGE, "o");
   vmt_begin("falloc-o");
   r = fallocate(fo, FALLOC_FL_KEEP_SIZE, 8 * VMT_PAGE, 8 * VMT_PAGE);
   vmt_end();
   if (r != 0)
      vmt_die("fallocate");
   vmt_begin("read-o");
   vmt_read_pages(o, 16);
   vmt_end();
}

/* A memfd written from a shared mapping of itself, its source pages
   below the destination's: each page written is made before the fault
   on its source (generic_perform_write), whose fault-around maps it. */
static void write_self_mode(void)
{
   static char data[VMT_PAGE];
   memset(data, 'x', sizeof data);
   int fd = memfd_create("vmtest-write-self", 0);
   if (fd < 0 || ftruncate(fd, 8 * VMT_PAGE) != 0)
      vmt_die("memfd");
   char *m = vmt_mmap_at(8 * VMT_PAGE, 65536, 0, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
   VMTRACE_LABEL(m, 8 * VMT_PAGE, "m");
   if (pwrite(fd, data, VMT_PAGE, 0) != VMT_PAGE)
      vmt_die("pwrite");
   vmt_begin("write-self");
   ssize_t w = pwrite(fd, m, 3 * VMT_PAGE, 2 * VMT_PAGE);
   vmt_end();
   if (w != 3 * VMT_PAGE)
      vmt_die("pwrite from the mapping");
   vmt_begin("read-low");
   vmt_read_pages(m, 4);
   vmt_end();
   vmt_begin("read-high");
   vmt_read_pages(m + 4 * VMT_PAGE, 4);
   vmt_end();
}

/* A one-line file of /proc/self written (a user namespace's maps). */
static int write_proc(const char *path, const char *text)
{
   int fd = open(path, O_WRONLY);
   if (fd < 0)
      return -1;
   ssize_t n = write(fd, text, strlen(text));
   close(fd);
   return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* A tmpfs mounted on dir, in a mount namespace of this process's own
   (nothing outside sees it; it goes with the process): as root, or as
   root of a new user namespace (the real ids mapped to 0). */
static void mount_tmpfs(const char *dir)
{
   char map[64];
   uid_t uid = getuid();
   gid_t gid = getgid();
   if (unshare(CLONE_NEWNS) != 0) {
      if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
         vmt_die("tmpfs: cannot make a mount namespace (needs root or user namespaces): %s",
                 strerror(errno));
      snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
      if (write_proc("/proc/self/setgroups", "deny") != 0 ||
          write_proc("/proc/self/uid_map", map) != 0)
         vmt_die("tmpfs: user namespace's uid_map: %s", strerror(errno));
      snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
      if (write_proc("/proc/self/gid_map", map) != 0)
         vmt_die("tmpfs: user namespace's gid_map: %s", strerror(errno));
   }
   if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
       mount("vmtest", dir, "tmpfs", 0, "size=1m") != 0)
      vmt_die("tmpfs: mount on %s: %s", dir, strerror(errno));
}

/* Files on a tmpfs that is not /dev/shm: shared memory all the same
   (shmem), whatever the path. */
static void tmpfs_mode(void)
{
   const char *tmp = getenv("TMPDIR");
   char dir[512], sparse[600], written[600];
   /* one name (the outputs of two runs compare equal); two runs side by
      side mount each its own tmpfs on it, neither seeing the other's */
   snprintf(dir, sizeof dir, "%s/vmtest-tmpfs", tmp && *tmp ? tmp : "/tmp");
   if (mkdir(dir, 0700) != 0 && errno != EEXIST)
      vmt_die("tmpfs: mkdir %s: %s", dir, strerror(errno));
   mount_tmpfs(dir);
   snprintf(sparse, sizeof sparse, "%s/sparse", dir);
   snprintf(written, sizeof written, "%s/written", dir);
   static char data[16 * VMT_PAGE];
   memset(data, 'x', sizeof data);
   size_t len = sizeof data;
   int fs = open(sparse, O_RDWR | O_CREAT | O_EXCL, 0600);
   int fw = open(written, O_RDWR | O_CREAT | O_EXCL, 0600);
   if (fs < 0 || fw < 0 || ftruncate(fs, (off_t)len) != 0 ||
       write(fw, data, len) != (ssize_t)len || pread(fs, data, len, 0) != (ssize_t)len)
      vmt_die("tmpfs: files: %s", strerror(errno));
   char *s = vmt_mmap_at(len, 65536, 0, PROT_READ | PROT_WRITE, MAP_SHARED, fs, 0);
   char *w = vmt_mmap_at(len, 65536, 0, PROT_READ | PROT_WRITE, MAP_SHARED, fw, 0);
   VMTRACE_LABEL(s, len, "s");
   VMTRACE_LABEL(w, len, "w");

   vmt_begin("read-s");
   vmt_read_pages(s, 16);
   vmt_end();
   vmt_begin("write-s");
   vmt_write_pages(s, 16);
   vmt_end();
   vmt_begin("read-w");
   vmt_read_pages(w, 16);
   vmt_end();
   vmt_begin("write-w");
   vmt_write_pages(w, 16);
   vmt_end();

   munmap(s, len);
   munmap(w, len);
   close(fs);
   close(fw);
   if (umount(dir) != 0)
      vmt_die("tmpfs: umount %s: %s", dir, strerror(errno));
   rmdir(dir);                 /* busy while another run has it mounted */
}

int main(int argc, char **argv)
{
   vmt_init();
   if (argc == 2 && strcmp(argv[1], "remove") == 0) {
      remove_mode(0);
      return 0;
   }
   if (argc == 2 && strcmp(argv[1], "remove-private") == 0) {
      remove_mode(1);
      return 0;
   }
   if (argc == 2 && strcmp(argv[1], "syscalls") == 0) {
      syscalls_mode();
      return 0;
   }
   if (argc == 2 && strcmp(argv[1], "write-self") == 0) {
      write_self_mode();
      return 0;
   }
   if (argc == 2 && strcmp(argv[1], "tmpfs") == 0) {
      tmpfs_mode();
      return 0;
   }
   if (argc != 2 || (strcmp(argv[1], "read-write") && strcmp(argv[1], "write-first")))
      vmt_die("usage: shared_anon read-write|write-first|remove|remove-private|syscalls|write-self|"
              "tmpfs");
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
