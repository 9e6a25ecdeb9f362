/* The kernel's high-water mark of each process of the tree at its exit,
   from taskstats (Documentation/accounting/taskstats.rst): registered for
   every CPU, a generic-netlink socket receives the accounting record of
   every task that exits, sent by do_exit before it releases the address
   space (taskstats_exit, then exit_mm), with the mm's hiwater_rss, the
   figure /proc/PID/status calls VmHWM and wait4 ru_maxrss.  So a process
   that lives less than a poll of /proc still has its true peak.

   Registering needs CAP_NET_ADMIN, and pids are those of the initial pid
   namespace: elsewhere there are no such records and the peaks are what
   polling saw.  The record also has the thread's fault counts, which for
   a process whose perf events the kernel removed at a set-ID exec are
   the only count of what it did after (vn_proc.c).  Each record becomes
   one of the backlog's records, at the time it was read, so it meets the
   processes in time order. */
#include "vn.h"

#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/perf_event.h>
#include <linux/taskstats.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

/* The initial pid namespace's inode number (PROC_PID_INIT_INO). */
#define PID_NS_INIT_INO 0xEFFFFFFCu

static int sock = -1;
static int had;               /* registered */
static uint16_t family;
static char cpumask[32];

struct request {
   struct nlmsghdr n;
   struct genlmsghdr g;
   uint8_t attrs[64];
};

static int send_request(uint16_t type, uint8_t cmd, uint8_t version, uint16_t attr,
                        const char *str)
{
   struct request r;
   struct nlattr *a = (struct nlattr *)r.attrs;
   struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
   size_t len = strlen(str) + 1;
   memset(&r, 0, sizeof r);
   a->nla_type = attr;
   a->nla_len = (uint16_t)(NLA_HDRLEN + len);
   memcpy((uint8_t *)a + NLA_HDRLEN, str, len);
   r.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + NLA_ALIGN(a->nla_len);
   r.n.nlmsg_type = type;
   r.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
   r.g.cmd = cmd;
   r.g.version = version;
   return sendto(sock, &r, r.n.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0
             ? -1 : 0;
}

/* The attributes of a generic-netlink message, or of a nested attribute. */
struct attrs {
   const uint8_t *p;
   size_t left;
};

static const struct nlattr *next_attr(struct attrs *it)
{
   const struct nlattr *a = (const void *)it->p;
   size_t step;
   if (it->left < NLA_HDRLEN || a->nla_len < NLA_HDRLEN || a->nla_len > it->left)
      return NULL;
   step = NLA_ALIGN(a->nla_len);
   it->p += step < it->left ? step : it->left;
   it->left -= step < it->left ? step : it->left;
   return a;
}

static struct attrs attrs_of_msg(const struct nlmsghdr *h)
{
   struct attrs it = { (const uint8_t *)NLMSG_DATA(h) + GENL_HDRLEN, 0 };
   if (h->nlmsg_len >= NLMSG_LENGTH(GENL_HDRLEN))
      it.left = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
   return it;
}

static struct attrs attrs_in(const struct nlattr *a)
{
   struct attrs it = { (const uint8_t *)a + NLA_HDRLEN, (size_t)a->nla_len - NLA_HDRLEN };
   return it;
}

/* Waits for the answer to a request: the family's id for CTRL_CMD_GETFAMILY
   (*id), then the acknowledgement; 0, or the negative errno. */
static int answer(uint16_t *id)
{
   uint8_t buf[8192];
   for (;;) {
      ssize_t n = recv(sock, buf, sizeof buf, 0);
      const struct nlmsghdr *h;
      size_t left;
      if (n < 0 && errno == EINTR)
         continue;
      if (n <= 0)
         return n < 0 ? -errno : -EIO;
      left = (size_t)n;
      for (h = (const void *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
         if (h->nlmsg_type == NLMSG_ERROR)
            return ((const struct nlmsgerr *)NLMSG_DATA(h))->error;
         if (id && h->nlmsg_type == GENL_ID_CTRL) {
            struct attrs it = attrs_of_msg(h);
            const struct nlattr *a;
            while ((a = next_attr(&it)) != NULL)
               if (a->nla_type == CTRL_ATTR_FAMILY_ID && a->nla_len >= NLA_HDRLEN + 2)
                  memcpy(id, (const uint8_t *)a + NLA_HDRLEN, 2);
         }
         /* anything else: another task's exit, before we asked for ours */
      }
   }
}

int vn_exit_stats_open(void)
{
   struct stat st;
   struct sockaddr_nl me = { .nl_family = AF_NETLINK };
   struct timeval wait = { 1, 0 };
   int rcvbuf = 8 << 20, e = 0;
   long ncpu = sysconf(_SC_NPROCESSORS_CONF);

   if (stat("/proc/self/ns/pid", &st) < 0 || st.st_ino != PID_NS_INIT_INO) {
      if (vn_opt.verbosity > 1)
         vn_info("peaks from polling only (taskstats: not in the initial pid namespace)");
      return -1;
   }
   sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
   if (sock < 0)
      return -1;
   setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
   /* a machine's worth of exits between two reads */
   if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
      setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
   snprintf(cpumask, sizeof cpumask, "0-%ld", (ncpu > 1 ? ncpu : 1) - 1);
   if (bind(sock, (struct sockaddr *)&me, sizeof me) < 0 ||
       send_request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, CTRL_ATTR_FAMILY_NAME, "TASKSTATS") < 0)
      e = -errno;
   else if ((e = answer(&family)) == 0 && family == 0)
      e = -ENOENT;
   else if (e == 0 && send_request(family, TASKSTATS_CMD_GET, TASKSTATS_GENL_VERSION,
                                   TASKSTATS_CMD_ATTR_REGISTER_CPUMASK, cpumask) < 0)
      e = -errno;
   else if (e == 0)
      e = answer(NULL);
   if (e < 0) {
      /* EPERM: registering takes CAP_NET_ADMIN */
      if (vn_opt.verbosity > 1)
         vn_info("peaks from polling only (taskstats: %s)", strerror(-e));
      close(sock);
      sock = -1;
      return -1;
   }
   had = 1;
   return 0;
}

int vn_exit_stats_had(void)
{
   return had;
}

int vn_exit_stats_fd(void)
{
   return sock;
}

/* One accounting record: the process (thread group) it is of, its
   high-water mark and the thread's faults, into the backlog. */
static void note(const struct nlmsghdr *h, uint64_t now)
{
   struct attrs it = attrs_of_msg(h);
   const struct nlattr *a;
   struct vn_exit_stats x;
   memset(&x, 0, sizeof x);
   x.t_ns = now;
   while ((a = next_attr(&it)) != NULL) {
      struct attrs in;
      const struct nlattr *b;
      if (a->nla_type != TASKSTATS_TYPE_AGGR_PID && a->nla_type != TASKSTATS_TYPE_AGGR_TGID)
         continue;
      in = attrs_in(a);
      while ((b = next_attr(&in)) != NULL) {
         const uint8_t *v = (const uint8_t *)b + NLA_HDRLEN;
         size_t len = b->nla_len - NLA_HDRLEN;
         uint16_t version;
         if (b->nla_type == TASKSTATS_TYPE_PID && len >= 4)
            x.tid = vn_get32(v);
         else if (b->nla_type == TASKSTATS_TYPE_TGID && len >= 4)
            x.tgid = vn_get32(v);
         else if (b->nla_type == TASKSTATS_TYPE_STATS && a->nla_type == TASKSTATS_TYPE_AGGR_PID &&
                  len >= offsetof(struct taskstats, hiwater_rss) + 8) {
            /* the basic accounting (ac_*) is in every version */
            memcpy(&version, v, 2);
            x.hiwater_kib = vn_get64(v + offsetof(struct taskstats, hiwater_rss));
            x.ppid = vn_get32(v + offsetof(struct taskstats, ac_ppid));
            x.btime = vn_get32(v + offsetof(struct taskstats, ac_btime));
            x.etime_us = vn_get64(v + offsetof(struct taskstats, ac_etime));
            x.minflt = vn_get64(v + offsetof(struct taskstats, ac_minflt));
            x.majflt = vn_get64(v + offsetof(struct taskstats, ac_majflt));
            /* the thread group is named from version 12 on; before, a
               thread's own record names only the thread */
            if (version >= 12 && len >= offsetof(struct taskstats, ac_tgid) + 4 && !x.tgid)
               x.tgid = vn_get32(v + offsetof(struct taskstats, ac_tgid));
         }
      }
   }
   if (!x.tgid)
      x.tgid = x.tid;
   if (x.tgid && (x.hiwater_kib || x.minflt || x.majflt)) {
      struct perf_event_header rh = { VN_RECORD_EXIT_STATS, 0, sizeof rh + sizeof x };
      uint8_t *dst = vn_backlog_reserve(rh.size);
      memcpy(dst, &rh, sizeof rh);
      memcpy(dst + sizeof rh, &x, sizeof x);
      vn_backlog_commit(rh.size, now);
   }
}

void vn_exit_stats_collect(void)
{
   uint8_t buf[16384];
   if (sock < 0)
      return;
   for (;;) {
      ssize_t n = recv(sock, buf, sizeof buf, MSG_DONTWAIT);
      const struct nlmsghdr *h;
      uint64_t now = vn_mono_ns();
      size_t left;
      if (n < 0 && errno == EINTR)
         continue;
      if (n < 0 && errno == ENOBUFS) {
         /* the machine's exits outran us: those peaks are polling's */
         if (vn_opt.verbosity > 1)
            vn_info("taskstats records were lost (the socket's buffer overflowed)");
         continue;
      }
      if (n <= 0)
         return;
      left = (size_t)n;
      for (h = (const void *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left))
         if (h->nlmsg_type == family)
            note(h, now);
   }
}

void vn_exit_stats_close(void)
{
   if (sock < 0)
      return;
   send_request(family, TASKSTATS_CMD_GET, TASKSTATS_GENL_VERSION,
                TASKSTATS_CMD_ATTR_DEREGISTER_CPUMASK, cpumask);
   close(sock);
   sock = -1;
}
