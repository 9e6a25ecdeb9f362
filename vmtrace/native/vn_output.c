/* The output file (docs/output-format.md, "vmtrace-native output file
   format"): one JSON object, written to a file without a name and named
   when whole (vn_write_output), so a reader never sees half a file under
   the final name, and a kill while writing leaves nothing. */
#include "vn.h"
#include "vt_path.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The Unicode standard's table 3-7, the well-formed UTF-8 byte sequences:
   by first byte, the length and the range of the second byte (any further
   ones are 80..BF).  What it leaves out: overlong forms, surrogates, code
   points above U+10FFFF. */
static const struct {
   unsigned char first_lo, first_hi, len, second_lo, second_hi;
} well_formed[] = {
   { 0xc2, 0xdf, 2, 0x80, 0xbf }, { 0xe0, 0xe0, 3, 0xa0, 0xbf }, { 0xe1, 0xec, 3, 0x80, 0xbf },
   { 0xed, 0xed, 3, 0x80, 0x9f }, { 0xee, 0xef, 3, 0x80, 0xbf }, { 0xf0, 0xf0, 4, 0x90, 0xbf },
   { 0xf1, 0xf3, 4, 0x80, 0xbf }, { 0xf4, 0xf4, 4, 0x80, 0x8f },
};

/* The length of the well-formed UTF-8 character at p, or, negated, the
   length of the longest start of one there, which is replaced by one
   U+FFFD ("maximal subpart", as Unicode recommends and Python and
   JavaScript's TextDecoder do). */
int vn_utf8_char(const unsigned char *p)
{
   size_t r;
   int k;
   if (p[0] < 0x80)
      return 1;
   for (r = 0; r < sizeof well_formed / sizeof well_formed[0]; r++) {
      unsigned lo = well_formed[r].second_lo, hi = well_formed[r].second_hi;
      if (p[0] < well_formed[r].first_lo || p[0] > well_formed[r].first_hi)
         continue;
      for (k = 1; k < well_formed[r].len; k++) {
         if (p[k] < lo || p[k] > hi)
            return -k;   /* a NUL ends it too */
         lo = 0x80;
         hi = 0xbf;
      }
      return k;
   }
   return -1;
}

void vn_json_str(FILE *f, const char *s)
{
   const unsigned char *p = (const unsigned char *)s;
   fputc('"', f);
   for (; *p; p++) {
      switch (*p) {
      case '"': fputs("\\\"", f); break;
      case '\\': fputs("\\\\", f); break;
      case '\n': fputs("\\n", f); break;
      case '\r': fputs("\\r", f); break;
      case '\t': fputs("\\t", f); break;
      default:
         if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\u%04x", *p);
         else if (*p < 0x80)
            fputc(*p, f);
         else {
            /* well-formed UTF-8 passes, anything else is U+FFFD */
            int len = vn_utf8_char(p);
            if (len > 0)
               fwrite(p, 1, (size_t)len, f);
            else
               fputs("\\ufffd", f);
            p += (len > 0 ? len : -len) - 1;
         }
      }
   }
   fputc('"', f);
}

static void faults_json(FILE *f, const struct vn_faults *x)
{
   fprintf(f, "{\"minor\": %llu, \"major\": %llu, \"total\": %llu}",
           (unsigned long long)x->n[VN_MINOR], (unsigned long long)x->n[VN_MAJOR],
           (unsigned long long)(x->n[VN_MINOR] + x->n[VN_MAJOR]));
}

static const char *kind_name(enum vn_kind k)
{
   switch (k) {
   case VN_K_FILE: return "file";
   case VN_K_ANON: return "anon";
   case VN_K_HEAP: return "heap";
   case VN_K_STACK: return "stack";
   default: return "unknown";
   }
}

static void proc_json(FILE *f, const struct vn_proc *p)
{
   size_t i;
   int first = 1;
   /* a process whose fork record was lost (the kernel dropped it) is
      known only by its faults: its parent is not */
   if (p->unforked)
      fprintf(f, "    {\"pid\": %d, \"ppid\": null, \"comm\": ", (int)p->pid);
   else
      fprintf(f, "    {\"pid\": %d, \"ppid\": %d, \"comm\": ", (int)p->pid, (int)p->ppid);
   vn_json_str(f, p->comm);
   fprintf(f, ", \"execs\": %u, \"start_time\": %.6f, \"end_time\": ", p->execs, p->start_time);
   if (p->exited)
      fprintf(f, "%.6f", p->end_time);
   else
      fputs("null", f);
   fputs(", \"faults\": ", f);
   faults_json(f, &p->faults);
   fprintf(f, ", \"peak_resident_pages\": %llu,\n     \"unrecorded\": ",
           (unsigned long long)p->peak_rss);
   if (!p->stopped_at_exec)
      fputs("null", f);
   else if (!p->kernel_faults_seen)
      fprintf(f, "{\"since\": %.6f, \"faults\": null, \"descendants\": %u}", p->stop_time,
              p->descendants);
   else
      fprintf(f, "{\"since\": %.6f, \"faults\": %llu, \"descendants\": %u}", p->stop_time,
              (unsigned long long)vn_proc_unrecorded(p), p->descendants);
   fputs(", \"mappings\": [", f);
   for (i = 0; i < p->nmaps; i++) {
      const struct vn_map *m = p->maps[i];
      if (m->faults.n[VN_MINOR] + m->faults.n[VN_MAJOR] == 0)
         continue;
      fprintf(f, "%s\n      {\"name\": ", first ? "" : ",");
      first = 0;
      vn_json_str(f, m->name);
      fprintf(f, ", \"kind\": \"%s\", \"start\": %llu, \"end\": %llu, \"faults\": ",
              kind_name(m->kind), (unsigned long long)m->start, (unsigned long long)m->end);
      faults_json(f, &m->faults);
      fprintf(f, ", \"pages_faulted\": %llu}", (unsigned long long)m->pages_faulted);
   }
   fputs(first ? "]}" : "\n     ]}", f);
}

static void write_json(FILE *f)
{
   size_t i;
   fputs("{\"format\": \"vmtrace-native\", \"version\": 1,\n", f);
   fprintf(f, " \"tool\": {\"name\": \"vmtrace-native\", \"version\": \"%s\", \"kernel\": ", VN_VERSION);
   vn_json_str(f, vn_run.kernel);
   fprintf(f, "},\n \"options\": {\"call_graph\": \"%s\", \"stack_depth\": %u, \"stack_bytes\": %u},\n",
           vn_opt.call_graph == VN_CG_DWARF ? "dwarf" : vn_opt.call_graph == VN_CG_FP ? "fp" : "none",
           vn_opt.stack_depth, vn_opt.call_graph == VN_CG_DWARF ? vn_opt.stack_bytes : 0);
   fprintf(f, " \"page_size\": %u,\n \"command\": [", VN_PAGE);
   for (i = 0; vn_run.argv[i]; i++) {
      if (i)
         fputs(", ", f);
      vn_json_str(f, vn_run.argv[i]);
   }
   fprintf(f, "],\n \"start_time\": %.6f, \"end_time\": %.6f,\n", vn_run.start_time, vn_run.end_time);
   if (vn_run.exit_signal)
      fprintf(f, " \"exit\": {\"status\": \"signal\", \"signal\": %d},\n", vn_run.exit_signal);
   else
      fprintf(f, " \"exit\": {\"status\": \"exit\", \"code\": %d},\n", vn_run.exit_code);
   fputs(" \"totals\": {\"faults\": ", f);
   faults_json(f, &vn_run.counted);
   fprintf(f, ", \"recorded\": %llu, \"lost\": %llu, \"unrecorded\": %llu, "
              "\"peak_resident_pages\": %llu,\n"
              "   \"rusage\": {\"minflt\": %ld, \"majflt\": %ld, \"maxrss_kib\": %ld}},\n",
           (unsigned long long)vn_run.recorded, (unsigned long long)vn_run.lost,
           (unsigned long long)vn_run.unrecorded,
           (unsigned long long)vn_run.peak_rss, vn_run.ru_minflt, vn_run.ru_majflt,
           vn_run.ru_maxrss);
   fputs(" \"processes\": [\n", f);
   for (i = 0; i < vn_nprocs; i++) {
      if (i)
         fputs(",\n", f);
      proc_json(f, vn_procs[i]);
   }
   fputs("\n ],\n \"timeline\": ", f);
   vn_timeline_json(f);
   fputs(",\n \"fault_sites\": ", f);
   vn_sites_json(f);
   fputs("\n}\n", f);
}

/* The record is written to a file without a name (O_TMPFILE), named
   when it is whole: a reader never sees half a file under the final
   name, and vmtrace-native killed while writing (SIGKILL, out of memory)
   leaves nothing behind.  Where the filesystem has no such files, or
   /proc is not there to name one, it is written to PATH.tmp.PID and
   renamed, which a kill while writing leaves behind: the next run writing
   PATH removes it (vt_sweep_tmp) once process PID is gone. */
void vn_write_output(const char *name)
{
   char *path = vt_follow_links(name);
   if (!path)
      vn_die("out of memory");
   char *tmp = vn_xmalloc(strlen(path) + 32);
   FILE *f;
   /* /dev/null, a pipe, /dev/stdout: written in place (appended to),
      never renamed over */
   int direct = vt_write_in_place(path);
   if (direct) {
      strcpy(tmp, path);
   } else {
      sprintf(tmp, "%s.tmp.%d", path, (int)getpid());
      vt_sweep_tmp(path, "vmtrace-native");   /* what a killed writer left */
   }
   if (!direct && (f = vt_open_unnamed(path, "w")) != NULL) {
      write_json(f);
      if (vt_link_unnamed(f, path, tmp) < 0) {
         int e = errno;
         fclose(f);
         vn_die("cannot write '%s': %s", name, strerror(e));
      }
      if (fclose(f) != 0)
         vn_die("cannot write '%s': %s", name, strerror(errno));
   } else {
      f = fopen(tmp, direct ? "a" : "w");
      if (!f)
         vn_die("cannot write '%s': %s", name, strerror(errno));
      write_json(f);
      if (ferror(f) | fclose(f)) {
         if (!direct)
            unlink(tmp);
         vn_die("cannot write '%s': %s", name, strerror(errno));
      }
      if (!direct && rename(tmp, path) < 0) {
         int e = errno;
         unlink(tmp);
         vn_die("cannot write '%s': %s", name, strerror(e));
      }
   }
   free(tmp);
   free(path);
}
