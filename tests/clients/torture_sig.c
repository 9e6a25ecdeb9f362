/* torture_sig MODE [ARG]: every way of dying, and signals a handler
   survives.  Every mode first writes a 4-page private anonymous mapping
   "region" (phase "write"), so that the output file a death leaves behind
   has figures to check; then:

   exit N             exit(N) (N may be 256 or -1: the status is N & 255)
   return             main returns 42
   abort              abort(): dies of SIGABRT
   abort-handled      a SIGABRT handler that returns: abort() then resets
                      the action and raises again, dies of SIGABRT
   handler-exit       a SIGUSR1 handler calls exit(4)
   altstack-exit      a store to the PROT_NONE page "guard" (phase
                      "crash"); the SIGSEGV handler runs on an alternate
                      stack and calls _exit(5) (_exit(99) if it finds itself
                      off that stack)
   segv-recover       an 8-page alternate stack "altstack", written first
                      (phase "prep"); three stores to the PROT_NONE page
                      "guard", each taken by a SIGSEGV handler on the
                      alternate stack that siglongjmps back (phase
                      "recover"); then the guard is made writable and
                      written (phase "fix"); exits 0.  INFO handled=3
   sigpipe            a write to a pipe nobody reads: dies of SIGPIPE
   sigpipe-ignored    the same with SIGPIPE ignored: EPIPE, exits 0
   sigpipe-blocked    the same with SIGPIPE blocked: EPIPE, exits 0
   sigpipe-nosignal   send(MSG_NOSIGNAL) to a closed socket: EPIPE, exits 0
   sigfpe             an integer division by zero: dies of SIGFPE
   sigfpe-recover     three of them, each taken by a handler that
                      siglongjmps back; exits 0.  INFO handled=3
   sigill             ud2: dies of SIGILL
   sigill-recover     three ud2, each taken by a handler; exits 0
   sigtrap            int3: dies of SIGTRAP
   raise-term         raise(SIGTERM): dies of it
   kill9-self         kill(getpid(), SIGKILL)
   kill9-group        kill(0, SIGKILL): its whole process group (the runner
                      starts it in a session of its own)
   thread-exit        a thread calls _exit(7) while main waits in
                      pthread_join: the process exits 7
   thread-then-abort  a thread is created and joined (it returns: its
                      exit(0) is no process exit), then abort()
   thread-then-kill9  a thread created and joined, then kill(getpid(),
                      SIGKILL) (the exiting thread blocked every signal: the
                      mask is its own)
   main-exits-first   main calls pthread_exit; the other thread joins it,
                      then ends itself with the exit system call, code 9:
                      the last thread's code is the process's

   A mode that survives its signals prints INFO handled=N (how often its
   handler ran; natively also FACT handled=N), a broken pipe INFO epipe=1
   (FACT epipe=1) when the write failed with EPIPE. */
#include "vmtest.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>

static sigjmp_buf back;
static volatile sig_atomic_t handled;
static char *altstack;
static size_t altstack_len;

static void on(int sig, void (*h)(int), int flags)
{
   struct sigaction sa;
   memset(&sa, 0, sizeof sa);
   sigemptyset(&sa.sa_mask);
   sa.sa_handler = h;
   sa.sa_flags = flags;
   if (sigaction(sig, &sa, NULL) != 0)
      vmt_die("sigaction %d", sig);
}

static void use_altstack(size_t npages)
{
   altstack_len = npages * VMT_PAGE;
   altstack = vmt_anon(npages);
   stack_t ss = { .ss_sp = altstack, .ss_size = altstack_len, .ss_flags = 0 };
   if (sigaltstack(&ss, NULL) != 0)
      vmt_die("sigaltstack");
}

static int on_altstack(void)
{
   char here;
   return &here >= altstack && &here < altstack + altstack_len;
}

static void jump_back(int sig)
{
   (void)sig;
   handled++;
   siglongjmp(back, 1);
}

static void count(int sig)
{
   (void)sig;
   handled++;
}

static void exit4(int sig)
{
   (void)sig;
   exit(4);
}

static void exit5_on_altstack(int sig)
{
   (void)sig;
   _exit(on_altstack() ? 5 : 99);
}

static char *guard_page(void)
{
   char *g = vmt_mmap_at(VMT_PAGE, VMT_PAGE, 0, PROT_NONE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   VMTRACE_LABEL(g, VMT_PAGE, "guard");
   return g;
}

static void store(char *p)
{
   *(volatile char *)p = 1;
}

static volatile int zero;

static VMT_NOINLINE int divide(int x)
{
   return x / zero;
}

static VMT_NOINLINE void ud2(void)
{
   __builtin_trap();
}

static void broken_pipe(void)
{
   int fd[2];
   if (pipe(fd) != 0)
      vmt_die("pipe");
   close(fd[0]);
   ssize_t n = write(fd[1], "x", 1);
   printf("INFO epipe=%d\n", n < 0 && errno == EPIPE);
   vmt_fact("epipe", n < 0 && errno == EPIPE);
}

static void *returns(void *arg)
{
   return arg;
}

static void *exits7(void *arg)
{
   (void)arg;
   _exit(7);
}

static pthread_t main_thread;

static void *outlives_main(void *arg)
{
   (void)arg;
   if (pthread_join(main_thread, NULL) != 0)
      _exit(98);
   fflush(stdout);
   syscall(SYS_exit, 9);
   return NULL;
}

static void one_thread(void *(*fn)(void *))
{
   pthread_t t;
   if (pthread_create(&t, NULL, fn, NULL) != 0)
      vmt_die("pthread_create");
   if (pthread_join(t, NULL) != 0)
      vmt_die("pthread_join");
}

int main(int argc, char **argv)
{
   vmt_init();
   const char *mode = argc >= 2 ? argv[1] : "";
   char *region = vmt_anon(4);
   VMTRACE_LABEL(region, 4 * VMT_PAGE, "region");
   vmt_begin("write");
   vmt_write_pages(region, 4);
   vmt_end();
   fflush(stdout);

   if (strcmp(mode, "exit") == 0 && argc == 3) {
      exit(atoi(argv[2]));
   } else if (strcmp(mode, "return") == 0) {
      return 42;
   } else if (strcmp(mode, "abort") == 0) {
      abort();
   } else if (strcmp(mode, "abort-handled") == 0) {
      on(SIGABRT, count, 0);
      abort();
   } else if (strcmp(mode, "handler-exit") == 0) {
      on(SIGUSR1, exit4, 0);
      raise(SIGUSR1);
   } else if (strcmp(mode, "altstack-exit") == 0) {
      use_altstack(4);
      on(SIGSEGV, exit5_on_altstack, SA_ONSTACK);
      char *g = guard_page();
      vmt_begin("crash");
      store(g);
   } else if (strcmp(mode, "segv-recover") == 0) {
      use_altstack(8);
      VMTRACE_LABEL(altstack, altstack_len, "altstack");
      char *g = guard_page();
      vmt_begin("prep");
      vmt_write_pages(altstack, 8);
      vmt_end();
      on(SIGSEGV, jump_back, SA_ONSTACK);
      vmt_begin("recover");
      for (volatile int i = 0; i < 3; i++)
         if (sigsetjmp(back, 1) == 0)
            store(g);
      vmt_end();
      if (mprotect(g, VMT_PAGE, PROT_READ | PROT_WRITE) != 0)
         vmt_die("mprotect");
      vmt_begin("fix");
      store(g);
      vmt_end();
      printf("INFO handled=%d\n", (int)handled);
      vmt_fact("handled", handled);
      return 0;
   } else if (strcmp(mode, "sigpipe") == 0) {
      broken_pipe();
   } else if (strcmp(mode, "sigpipe-ignored") == 0) {
      on(SIGPIPE, SIG_IGN, 0);
      broken_pipe();
      return 0;
   } else if (strcmp(mode, "sigpipe-blocked") == 0) {
      sigset_t s;
      sigemptyset(&s);
      sigaddset(&s, SIGPIPE);
      if (sigprocmask(SIG_BLOCK, &s, NULL) != 0)
         vmt_die("sigprocmask");
      broken_pipe();
      return 0;
   } else if (strcmp(mode, "sigpipe-nosignal") == 0) {
      int sv[2];
      if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
         vmt_die("socketpair");
      close(sv[1]);
      ssize_t n = send(sv[0], "x", 1, MSG_NOSIGNAL);
      printf("INFO epipe=%d\n", n < 0 && errno == EPIPE);
      vmt_fact("epipe", n < 0 && errno == EPIPE);
      return 0;
   } else if (strcmp(mode, "sigfpe") == 0) {
      vmt_sink = (unsigned long)divide(1);
   } else if (strcmp(mode, "sigfpe-recover") == 0) {
      on(SIGFPE, jump_back, 0);
      for (volatile int i = 0; i < 3; i++)
         if (sigsetjmp(back, 1) == 0)
            vmt_sink = (unsigned long)divide(i);
      printf("INFO handled=%d\n", (int)handled);
      vmt_fact("handled", handled);
      return 0;
   } else if (strcmp(mode, "sigill") == 0) {
      ud2();
   } else if (strcmp(mode, "sigill-recover") == 0) {
      on(SIGILL, jump_back, 0);
      for (volatile int i = 0; i < 3; i++)
         if (sigsetjmp(back, 1) == 0)
            ud2();
      printf("INFO handled=%d\n", (int)handled);
      vmt_fact("handled", handled);
      return 0;
   } else if (strcmp(mode, "sigtrap") == 0) {
      __asm__ volatile("int3");
   } else if (strcmp(mode, "raise-term") == 0) {
      raise(SIGTERM);
   } else if (strcmp(mode, "kill9-self") == 0) {
      kill(getpid(), SIGKILL);
   } else if (strcmp(mode, "kill9-group") == 0) {
      kill(0, SIGKILL);
   } else if (strcmp(mode, "thread-exit") == 0) {
      one_thread(exits7);
   } else if (strcmp(mode, "thread-then-abort") == 0) {
      one_thread(returns);
      abort();
   } else if (strcmp(mode, "thread-then-kill9") == 0) {
      one_thread(returns);
      kill(getpid(), SIGKILL);
   } else if (strcmp(mode, "main-exits-first") == 0) {
      pthread_t t;
      main_thread = pthread_self();
      if (pthread_create(&t, NULL, outlives_main, NULL) != 0)
         vmt_die("pthread_create");
      pthread_exit(NULL);
   } else {
      vmt_die("usage: torture_sig MODE (see the top of torture_sig.c)");
   }
   vmt_die("mode %s: still alive", mode);
}
