/* A process tree whose memory is shared copy-on-write, for the report's
 * "tree memory" test: the parent writes a 2048-page private anonymous
 * region, forks a child that sleeps about 200 ms without writing anything
 * and exits, and waits for it. Both processes map the region's pages, so
 * adding up their resident sets counts it twice (>= 4096 pages); their PSS,
 * summed at each moment, counts it once.
 *
 *   cc -std=c11 -O1 -o forkshare tests/report/forkshare.c (tests/report/run does) */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGES 2048

int main(void)
{
    long ps = sysconf(_SC_PAGESIZE);
    size_t len = (size_t)PAGES * (size_t)ps;
    volatile char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    for (size_t i = 0; i < len; i += (size_t)ps)
        p[i] = (char)(i / (size_t)ps + 1);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        struct timespec ts = {0, 200 * 1000 * 1000};
        while (nanosleep(&ts, &ts) != 0)
            ;
        _exit(0);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        perror("waitpid");
        return 1;
    }
    /* read the region back so the parent is still alive and sampled after the child */
    unsigned long sum = 0;
    for (size_t i = 0; i < len; i += (size_t)ps)
        sum += (unsigned char)p[i];
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 && sum > 0 ? 0 : 1;
}
