/* segv MODE: invalid accesses.  The page studied is labelled "page" and
   touched in phase "crash" (modes protection, unmapped) or "retry"
   (handler).  INFO target= prints its address.

   protection  a 4-byte store to an untouched PROT_READ private anonymous
               page; no handler: the process dies of SIGSEGV
   unmapped    a 4-byte store to a page that was mapped and then unmapped
               (nothing else can land there: its neighbours are PROT_NONE);
               dies of SIGSEGV
   offset      the same store 0x124 bytes into the page: the invalid
               access is reported at that byte, as si_addr gives it
   handler     a 4-byte store to an untouched PROT_READ private anonymous
               page, with a SIGSEGV handler that mprotects the page
               PROT_READ|PROT_WRITE and returns, so the store is retried
               and succeeds; exits 0.  Signal delivery, sigreturn and the
               mprotect wrapper are warmed up first with a SIGUSR1 whose
               handler does the same to another page, so the native delta
               of phase "retry" counts only the studied page. */
#include "vmtest.h"

#include <signal.h>

static void unprotect(int sig, siginfo_t *si, void *uc)
{
   (void)sig;
   (void)uc;
   uintptr_t page = (uintptr_t)si->si_addr & ~(uintptr_t)(VMT_PAGE - 1);
   if (mprotect((void *)page, VMT_PAGE, PROT_READ | PROT_WRITE) != 0)
      _exit(3);
}

static char *warm_page;

static void warm(int sig)
{
   (void)sig;
   if (mprotect(warm_page, VMT_PAGE, PROT_READ | PROT_WRITE) != 0)
      _exit(3);
}

static void on(int sig, void (*h)(int), void (*ha)(int, siginfo_t *, void *))
{
   struct sigaction sa;
   memset(&sa, 0, sizeof sa);
   sigemptyset(&sa.sa_mask);
   if (ha) {
      sa.sa_sigaction = ha;
      sa.sa_flags = SA_SIGINFO;
   } else {
      sa.sa_handler = h;
   }
   if (sigaction(sig, &sa, NULL) != 0)
      vmt_die("sigaction");
}

int main(int argc, char **argv)
{
   vmt_init();
   const char *mode = argc == 2 ? argv[1] : "";
   volatile uint32_t *target;
   const char *phase = "crash";

   if (strcmp(mode, "protection") == 0) {
      target = vmt_mmap_at(VMT_PAGE, VMT_PAGE, 0, PROT_READ,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   } else if (strcmp(mode, "unmapped") == 0) {
      target = vmt_anon(1);
      if (munmap((void *)target, VMT_PAGE) != 0)
         vmt_die("munmap");
   } else if (strcmp(mode, "offset") == 0) {
      char *page = (char *)vmt_anon(1);
      if (munmap(page, VMT_PAGE) != 0)
         vmt_die("munmap");
      target = (volatile uint32_t *)(page + 0x124);
   } else if (strcmp(mode, "handler") == 0) {
      warm_page = vmt_anon(1);
      on(SIGUSR1, warm, NULL);
      raise(SIGUSR1);
      on(SIGSEGV, NULL, unprotect);
      target = vmt_mmap_at(VMT_PAGE, VMT_PAGE, 0, PROT_READ,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      phase = "retry";
   } else {
      vmt_die("usage: segv protection|unmapped|offset|handler");
   }
   VMTRACE_LABEL((const void *)((uintptr_t)target & ~(uintptr_t)(VMT_PAGE - 1)), VMT_PAGE,
                 "page");
   vmt_info_addr("target", (const void *)target);

   vmt_begin(phase);
   *target = 0x5e9f;
   vmt_end();
   return 0;
}
