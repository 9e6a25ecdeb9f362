/* A wide process tree for the report's process table and tree memory chart:
 * the parent writes a 64-page private anonymous region, forks 14 children
 * one after the other, child k writing the first k + 1 pages of the region
 * (each write a copy-on-write fault) and exiting at once, and waits for them
 * all. 15 processes: more than the tree memory chart's 11 bands, so some
 * share the others' band. Everything else the children do is the same, so
 * child k takes k faults more than child 0.
 *
 *   cc -std=c11 -O1 -o forkstorm tests/report/forkstorm.c (tests/report/run does) */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGES 64
#define CHILDREN 14

int main(void)
{
    char *p = mmap(NULL, PAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    if (p == MAP_FAILED)
        return 1;
    memset(p, 1, PAGES * 4096);
    for (int k = 0; k < CHILDREN; k++) {
        pid_t c = fork();
        if (c < 0)
            return 1;
        if (c == 0) {
            for (int i = 0; i <= k; i++)
                p[i * 4096] = 2;
            _exit(0);
        }
        /* one child at a time: each forks from the same parent state */
        if (waitpid(c, NULL, 0) != c)
            return 1;
    }
    return 0;
}
