/* threads: one 200-page private anonymous mapping; 4 threads each write
   their own 50-page slice of it, labelled "t0".."t3" (phase "write", set
   by the main thread before the threads are released).

   Every thread is created and has touched its stack before the
   measurement starts (barrier "ready"), writes only between the barriers
   "go" and "done", and exits only after the main thread has taken its
   second sample (barrier "leave"), so the process-wide getrusage delta
   counts the 200 slice pages and nothing else. */
#include "vmtest.h"

#include <pthread.h>

#define NTHREADS 4
#define SLICE 50

static char *region;
static pthread_barrier_t ready, go, done, leave;

static void barrier(pthread_barrier_t *b)
{
   int r = pthread_barrier_wait(b);
   if (r != 0 && r != PTHREAD_BARRIER_SERIAL_THREAD)
      vmt_die("pthread_barrier_wait");
}

static VMT_NOINLINE void touch_thread_stack(void)
{
   volatile unsigned char buf[16 * 1024];
   for (size_t i = 0; i < sizeof buf; i += VMT_PAGE / 2)
      buf[i] = 0;
}

static void *worker(void *arg)
{
   size_t i = (size_t)(uintptr_t)arg;
   touch_thread_stack();
   barrier(&ready);
   barrier(&go);
   vmt_write_pages(region + i * SLICE * VMT_PAGE, SLICE);
   barrier(&done);
   barrier(&leave);
   return NULL;
}

int main(void)
{
   vmt_init();
   region = vmt_anon(NTHREADS * SLICE);
   for (size_t i = 0; i < NTHREADS; i++) {
      static const char *names[NTHREADS] = {"t0", "t1", "t2", "t3"};
      VMTRACE_LABEL(region + i * SLICE * VMT_PAGE, SLICE * VMT_PAGE, names[i]);
   }
   pthread_barrier_init(&ready, NULL, NTHREADS + 1);
   pthread_barrier_init(&go, NULL, NTHREADS + 1);
   pthread_barrier_init(&done, NULL, NTHREADS + 1);
   pthread_barrier_init(&leave, NULL, NTHREADS + 1);

   pthread_t t[NTHREADS];
   for (size_t i = 0; i < NTHREADS; i++)
      if (pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i) != 0)
         vmt_die("pthread_create");
   barrier(&ready);

   vmt_begin("write");
   barrier(&go);
   barrier(&done);
   vmt_end();

   barrier(&leave);
   for (size_t i = 0; i < NTHREADS; i++)
      pthread_join(t[i], NULL);
   return 0;
}
