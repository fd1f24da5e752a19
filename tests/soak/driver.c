// soak driver: runs the jobs of a job file with N of them in flight at once, for scripts/soak.sh.
//
//   driver record <jobs> <clients> <deadline> <timeout>
//     runs each job's command directly and keeps what it did (exit, stdout, stderr, outputs) as the
//     job's reference
//   driver check <jobs> <clients> <deadline> <timeout> <sccache> <capture dir>
//     runs each job through <sccache> and compares what it did with the reference
//
// <deadline>: a Unix time; past it, no job is started and running ones are killed (exit 3).
// <timeout>: seconds one job may take before it is killed and counted as hung.
//
// A job is one line of tab-separated fields:
//   id  kind  ref  cwd  make_cwd  outputs  subst  arg...
// ref: the reference directory (rc, stdout, stderr and the outputs by name), "-" for none (a stats
// request: exit 0, nothing on stderr, a JSON object on stdout, whose file is kept for the caller).
// make_cwd: 1 = the driver creates cwd before the job and removes it after a job that passed.
// outputs: "-" or a comma-separated list of path=name: the job's file `path` (relative to cwd) must
// equal ref/name, or not exist when ref/name does not.
// subst: "-" or from=to: in a reference dependency file (name ending in .d), `from` is replaced by
// `to` before comparing — the reference was made with its own output names (of the same length, so
// that the compiler wraps the lines the same), and a .d file names the object as -o spells it.
// In check mode a job runs as `<sccache> arg...`, in record mode as `arg...`.
//
// stdout: a tally per kind ("kind <name> jobs N passed N wrong N hung N fallbacks N p50_ms N
// p99_ms N max_ms N") and "total ..."; stderr: one line per wrong or hung job (the first 20).
// A fallback is a job that was right once the client's own "sccache: warning: ..." lines are taken
// out of its stderr (the client compiled locally). Exit: 0 all passed, 1 some did not, 2 usage or
// set-up error, 3 the deadline passed (or SIGINT/SIGTERM): the running jobs were killed.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { k_max_kinds = 16, k_max_shown = 20, k_max_args = 256 };

typedef struct {
  char *id, *kind, *ref, *cwd, *outputs, *subst_from, *subst_to;
  int make_cwd;
  char* argv[k_max_args + 2];
  pid_t pid;
  double started_ms;
  int kind_index;
} Job;

typedef struct {
  const char* name;
  long jobs, passed, wrong, hung, fallbacks;
  double* latency_ms;
  long latencies;
} Tally;

static int g_record;
static const char* g_sccache;
static const char* g_capture;
static Tally g_tally[k_max_kinds];
static int g_kinds;
static long g_shown;
static volatile sig_atomic_t g_stop;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void on_alarm(int sig) {
  (void)sig;
}

static void on_stop(int sig) {
  g_stop = sig;
}

static void die(const char* what) {
  fprintf(stderr, "driver: %s: %s\n", what, strerror(errno));
  exit(2);
}

// The whole file, NUL-terminated; NULL (errno set) when it cannot be read.
static char* slurp(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char* buf = malloc(cap);
  for (;;) {
    if (n + 4096 + 1 > cap) buf = realloc(buf, cap *= 2);
    size_t got = fread(buf + n, 1, cap - n - 1, f);
    if (got == 0) break;
    n += got;
  }
  fclose(f);
  buf[n] = 0;
  *size = n;
  return buf;
}

static int write_file(const char* path, const char* data, size_t size) {
  FILE* f = fopen(path, "wb");
  if (!f) return -1;
  int ok = fwrite(data, 1, size, f) == size;
  return fclose(f) == 0 && ok ? 0 : -1;
}

static int tally_index(const char* kind) {
  for (int i = 0; i < g_kinds; i++)
    if (strcmp(g_tally[i].name, kind) == 0) return i;
  if (g_kinds == k_max_kinds) {
    fprintf(stderr, "driver: too many kinds\n");
    exit(2);
  }
  g_tally[g_kinds].name = kind;
  return g_kinds++;
}

static void report(const Job* job, const char* fmt, ...) {
  if (g_shown++ >= k_max_shown) return;
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "MISMATCH %s (%s): ", job->id, job->kind);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n  in %s:", job->cwd);
  if (!g_record) fprintf(stderr, " %s", g_sccache);
  for (char* const* a = job->argv; *a; a++) fprintf(stderr, " %s", *a);
  fprintf(stderr, "\n");
}

// Splits a line into tab-separated fields in place.
static int parse_job(char* line, Job* job) {
  enum { k_fixed = 7 };
  char* field[k_fixed + k_max_args];
  int n = 0;
  for (char *save = NULL, *tok = strtok_r(line, "\t", &save); tok && n < k_fixed + k_max_args;
       tok = strtok_r(NULL, "\t", &save))
    field[n++] = tok;
  if (n < k_fixed + 1) return -1;
  memset(job, 0, sizeof *job);
  job->id = field[0];
  job->kind = field[1];
  job->ref = field[2];
  job->cwd = field[3];
  job->make_cwd = strcmp(field[4], "1") == 0;
  job->outputs = field[5];
  char* eq = strchr(field[6], '=');
  if (eq) {
    *eq = 0;
    job->subst_from = field[6], job->subst_to = eq + 1;
    if (strlen(job->subst_from) != strlen(job->subst_to) || !*job->subst_from) return -1;
  }
  for (int i = k_fixed; i < n; i++) job->argv[i - k_fixed] = field[i];
  job->argv[n - k_fixed] = NULL;
  job->kind_index = tally_index(job->kind);
  return 0;
}

static void capture_path(char* buf, size_t size, const Job* job, int fd) {
  if (g_record)
    snprintf(buf, size, "%s/%s", job->ref, fd == 1 ? "stdout" : "stderr");
  else
    snprintf(buf, size, "%s/%s.%d", g_capture, job->id, fd);
}

static void start(Job* job) {
  if (g_record && mkdir(job->ref, 0777) != 0 && errno != EEXIST) die(job->ref);
  if (job->make_cwd && mkdir(job->cwd, 0777) != 0 && errno != EEXIST) die(job->cwd);
  char out[4096], err[4096];
  capture_path(out, sizeof out, job, 1);
  capture_path(err, sizeof err, job, 2);
  job->started_ms = now_ms();
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    setpgid(0, 0);  // a hung job is killed with the compilers it started
    int in = open("/dev/null", O_RDONLY);
    int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (in < 0 || o < 0 || e < 0 || chdir(job->cwd) != 0) _exit(126);
    dup2(in, 0), dup2(o, 1), dup2(e, 2);
    close(in), close(o), close(e);
    signal(SIGPIPE, SIG_DFL);
    if (g_record) {
      execvp(job->argv[0], job->argv);
    } else {
      char* argv[k_max_args + 2];
      argv[0] = (char*)g_sccache;
      for (int i = 0; job->argv[i]; i++) argv[i + 1] = job->argv[i], argv[i + 2] = NULL;
      execv(g_sccache, argv);
    }
    fprintf(stderr, "driver: cannot run %s: %s\n", g_record ? job->argv[0] : g_sccache,
            strerror(errno));
    _exit(127);
  }
  setpgid(pid, pid);
  job->pid = pid;
}

static void describe_status(char* buf, size_t size, int status) {
  if (WIFEXITED(status))
    snprintf(buf, size, "exit %d", WEXITSTATUS(status));
  else if (WIFSIGNALED(status))
    snprintf(buf, size, "signal %d", WTERMSIG(status));
  else
    snprintf(buf, size, "status %d", status);
}

// Drops the lines starting with "sccache: warning: " (the client saying it compiled locally).
static size_t without_client_warnings(char* text, size_t size) {
  size_t out = 0;
  for (size_t i = 0; i < size;) {
    char* nl = memchr(text + i, '\n', size - i);
    size_t len = nl ? (size_t)(nl - (text + i)) + 1 : size - i;
    if (strncmp(text + i, "sccache: warning: ", 18) != 0) {
      memmove(text + out, text + i, len);
      out += len;
    }
    i += len;
  }
  return out;
}

// Replaces each `from` in text by `to` (of the same length).
static void substitute(char* text, size_t size, const char* from, const char* to) {
  size_t len = strlen(from);
  for (char* at = text; (at = memmem(at, size - (at - text), from, len)) != NULL; at += len)
    memcpy(at, to, len);
}

static int ends_with(const char* s, const char* tail) {
  size_t n = strlen(s), m = strlen(tail);
  return n >= m && strcmp(s + n - m, tail) == 0;
}

// 0: same bytes; 1: they differ (what is said in `why`). With `from`, the expected text has its
// occurrences of `from` replaced by `to` first.
static int compare_file_as(const char* expected, const char* actual, const char* from,
                           const char* to, char* why, size_t why_size) {
  size_t n1 = 0, n2 = 0;
  char* a = slurp(expected, &n1);
  char* b = slurp(actual, &n2);
  if (a && from) substitute(a, n1, from, to);
  int differ = 0;
  if (!a && !b) {
    differ = 0;
  } else if (!a) {
    snprintf(why, why_size, "%s exists, the compiler writes no such file", actual), differ = 1;
  } else if (!b) {
    snprintf(why, why_size, "%s is missing (expected like %s)", actual, expected), differ = 1;
  } else if (n1 != n2 || memcmp(a, b, n1) != 0) {
    size_t at = 0;
    while (at < n1 && at < n2 && a[at] == b[at]) at++;
    snprintf(why, why_size, "%s differs from %s at byte %zu (sizes %zu, %zu)", actual, expected, at,
             n2, n1);
    differ = 1;
  }
  free(a), free(b);
  return differ;
}

static int compare_file(const char* expected, const char* actual, char* why, size_t why_size) {
  return compare_file_as(expected, actual, NULL, NULL, why, why_size);
}

// Stdout and stderr of a check, compared with the reference's. Returns 0 same, 1 same once the
// client's warnings are dropped from stderr (a fallback), 2 different.
static int compare_streams(const Job* job, char* why, size_t why_size) {
  char path[4096], ref[4096];
  capture_path(path, sizeof path, job, 1);
  snprintf(ref, sizeof ref, "%s/stdout", job->ref);
  if (compare_file(ref, path, why, why_size)) return 2;
  size_t n1 = 0, n2 = 0;
  capture_path(path, sizeof path, job, 2);
  snprintf(ref, sizeof ref, "%s/stderr", job->ref);
  char* a = slurp(ref, &n1);
  char* b = slurp(path, &n2);
  int result = 0;
  if (!a || !b) {
    snprintf(why, why_size, "cannot read %.400s or %.400s", ref, path), result = 2;
  } else if (n1 != n2 || memcmp(a, b, n1) != 0) {
    size_t kept = without_client_warnings(b, n2);
    if (kept == n1 && memcmp(a, b, n1) == 0) {
      result = 1;
    } else {
      snprintf(why, why_size, "stderr differs: got \"%.300s\", the compiler wrote \"%.300s\"", b,
               a);
      result = 2;
    }
  }
  free(a), free(b);
  return result;
}

static int check_stats(const Job* job, int status, char* why, size_t why_size) {
  char path[4096];
  size_t n = 0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    char got[64];
    describe_status(got, sizeof got, status);
    snprintf(why, why_size, "--show-stats ended with %s", got);
    return 2;
  }
  capture_path(path, sizeof path, job, 2);
  char* err = slurp(path, &n);
  int bad = !err || n != 0;
  if (bad) snprintf(why, why_size, "--show-stats wrote to stderr: \"%.300s\"", err ? err : "");
  free(err);
  if (bad) return 2;
  capture_path(path, sizeof path, job, 1);
  char* out = slurp(path, &n);
  bad = !out || n < 2 || out[0] != '{';
  if (bad)
    snprintf(why, why_size, "--show-stats printed no JSON object: \"%.300s\"", out ? out : "");
  free(out);
  return bad ? 2 : 0;
}

// Each path=name of the job's outputs, with ref/name; stops early when f returns non-zero.
static int each_output(const Job* job, int (*f)(const Job*, const char*, const char*, void*),
                       void* ctx) {
  if (strcmp(job->outputs, "-") == 0) return 0;
  char list[4096];
  snprintf(list, sizeof list, "%s", job->outputs);
  for (char *save = NULL, *item = strtok_r(list, ",", &save); item;
       item = strtok_r(NULL, ",", &save)) {
    char* eq = strchr(item, '=');
    if (!eq) continue;
    *eq = 0;
    char path[4096], ref[4096];
    if (item[0] == '/')
      snprintf(path, sizeof path, "%s", item);
    else
      snprintf(path, sizeof path, "%s/%s", job->cwd, item);
    snprintf(ref, sizeof ref, "%s/%s", job->ref, eq + 1);
    int rc = f(job, path, ref, ctx);
    if (rc) return rc;
  }
  return 0;
}

static int keep_output(const Job* job, const char* path, const char* ref, void* ctx) {
  (void)job, (void)ctx;
  if (strcmp(path, ref) != 0 && rename(path, ref) != 0 && errno != ENOENT) die(path);
  return 0;
}

static int compare_output(const Job* job, const char* path, const char* ref, void* why) {
  int dep_file = job->subst_from && ends_with(ref, ".d");
  return compare_file_as(ref, path, dep_file ? job->subst_from : NULL, job->subst_to, why, 1024);
}

static int remove_output(const Job* job, const char* path, const char* ref, void* ctx) {
  (void)job, (void)ref, (void)ctx;
  unlink(path);
  return 0;
}

// Removes what a passed job left: its captured streams (not a stats request's stdout), outputs,
// cwd.
static void clean_up(const Job* job) {
  char path[4096];
  capture_path(path, sizeof path, job, 2);
  unlink(path);
  if (strcmp(job->ref, "-") != 0) {
    capture_path(path, sizeof path, job, 1);
    unlink(path);
  }
  each_output(job, remove_output, NULL);
  if (job->make_cwd) rmdir(job->cwd);
}

// Records or checks a finished job; returns 0 passed, 1 fallback (passed), 2 wrong.
static int finish(Job* job, int status) {
  char why[1024] = "", path[4096], got[64];
  describe_status(got, sizeof got, status);
  if (g_record) {
    snprintf(path, sizeof path, "%s/rc", job->ref);
    if (write_file(path, got, strlen(got)) != 0) die(path);
    each_output(job, keep_output, NULL);
    if (job->make_cwd && strcmp(job->cwd, job->ref) != 0) rmdir(job->cwd);
    return 0;
  }
  if (strcmp(job->ref, "-") == 0) {
    int rc = check_stats(job, status, why, sizeof why);
    if (rc)
      report(job, "%s", why);
    else
      clean_up(job);
    return rc;
  }
  size_t n = 0;
  snprintf(path, sizeof path, "%s/rc", job->ref);
  char* want = slurp(path, &n);
  if (!want) die(path);
  while (n > 0 && (want[n - 1] == '\n' || want[n - 1] == ' ')) want[--n] = 0;
  int same_rc = strcmp(want, got) == 0;
  if (!same_rc) snprintf(why, sizeof why, "%s, the compiler's was %s", got, want);
  free(want);
  if (!same_rc) {
    report(job, "%s", why);
    return 2;
  }
  int streams = compare_streams(job, why, sizeof why);
  if (streams == 2 || each_output(job, compare_output, why)) {
    report(job, "%s", why);
    return 2;
  }
  clean_up(job);
  return streams;
}

static int by_value(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

static void print_tally(const char* label, const Tally* t) {
  double p50 = 0, p99 = 0, max = 0;
  if (t->latencies) {
    qsort(t->latency_ms, t->latencies, sizeof(double), by_value);
    p50 = t->latency_ms[(t->latencies - 1) / 2];
    p99 = t->latency_ms[(long)((t->latencies - 1) * 0.99)];
    max = t->latency_ms[t->latencies - 1];
  }
  printf(
      "%s jobs %ld passed %ld wrong %ld hung %ld fallbacks %ld p50_ms %.1f p99_ms %.1f max_ms "
      "%.1f\n",
      label, t->jobs, t->passed, t->wrong, t->hung, t->fallbacks, p50, p99, max);
}

static Job* read_jobs(const char* path, long* count) {
  size_t size = 0;
  char* text = slurp(path, &size);
  if (!text) die(path);
  long cap = 1024, n = 0;
  Job* jobs = malloc(cap * sizeof *jobs);
  for (char *save = NULL, *line = strtok_r(text, "\n", &save); line;
       line = strtok_r(NULL, "\n", &save)) {
    if (n == cap) jobs = realloc(jobs, (cap *= 2) * sizeof *jobs);
    if (parse_job(line, &jobs[n]) != 0) {
      fprintf(stderr, "driver: bad job line %ld in %s\n", n + 1, path);
      exit(2);
    }
    n++;
  }
  for (int k = 0; k < g_kinds; k++) g_tally[k].latency_ms = calloc(n + 1, sizeof(double));
  *count = n;
  return jobs;
}

int main(int argc, char** argv) {
  g_record = argc == 6 && strcmp(argv[1], "record") == 0;
  if (!g_record && !(argc == 8 && strcmp(argv[1], "check") == 0)) {
    fprintf(stderr,
            "usage: driver record|check <jobs> <clients> <deadline> <timeout> "
            "[<sccache> <capture dir>]\n");
    return 2;
  }
  long count = 0;
  Job* jobs = read_jobs(argv[2], &count);
  int clients = atoi(argv[3]);
  time_t deadline = (time_t)atoll(argv[4]);
  double timeout_ms = atof(argv[5]) * 1e3;
  if (!g_record) g_sccache = argv[6], g_capture = argv[7];
  if (clients < 1) clients = 1;

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;  // no SA_RESTART: waitpid returns to look at the clocks
  sigaction(SIGALRM, &sa, NULL);
  // A stopped soak ends its jobs (each runs in a process group of its own).
  sa.sa_handler = on_stop;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  struct itimerval tick = {{0, 200000}, {0, 200000}};
  setitimer(ITIMER_REAL, &tick, NULL);

  Job** running = calloc(clients, sizeof *running);
  long next = 0, in_flight = 0, failed = 0;
  int expired = 0;
  while ((next < count && !expired) || in_flight > 0) {
    if (!expired && (g_stop || time(NULL) >= deadline)) {
      expired = 1;
      fprintf(stderr, "driver: %s with %ld jobs running and %ld not started\n",
              g_stop ? "stopped by a signal" : "deadline passed", in_flight, count - next);
      for (int i = 0; i < clients; i++)
        if (running[i]) kill(-running[i]->pid, SIGKILL);
    }
    for (int i = 0; i < clients && next < count && !expired; i++) {
      if (running[i]) continue;
      running[i] = &jobs[next++];
      g_tally[running[i]->kind_index].jobs++;
      start(running[i]);
      in_flight++;
    }
    int status;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno != EINTR && errno != ECHILD) die("waitpid");
      double now = now_ms();
      for (int i = 0; i < clients; i++) {
        Job* j = running[i];
        if (j && j->pid > 0 && now - j->started_ms > timeout_ms) {
          report(j, "no answer after %.0f s: killed", timeout_ms / 1e3);
          g_tally[j->kind_index].hung++;
          kill(-j->pid, SIGKILL);
          j->pid = -j->pid;  // counted; reaped below
        }
      }
      continue;
    }
    for (int i = 0; i < clients; i++) {
      Job* j = running[i];
      if (!j || (j->pid != pid && j->pid != -pid)) continue;
      Tally* t = &g_tally[j->kind_index];
      if (j->pid > 0 && !expired) {
        t->latency_ms[t->latencies++] = now_ms() - j->started_ms;
        int rc = finish(j, status);
        if (rc == 2)
          t->wrong++;
        else
          t->passed++, t->fallbacks += rc == 1;
      }
      running[i] = NULL;
      in_flight--;
      break;
    }
  }
  Tally total = {.name = "total"};
  total.latency_ms = calloc(count + 1, sizeof(double));
  for (int k = 0; k < g_kinds; k++) {
    Tally* t = &g_tally[k];
    char label[128];
    snprintf(label, sizeof label, "kind %s", t->name);
    total.jobs += t->jobs, total.passed += t->passed, total.wrong += t->wrong;
    total.hung += t->hung, total.fallbacks += t->fallbacks;
    memcpy(total.latency_ms + total.latencies, t->latency_ms, t->latencies * sizeof(double));
    total.latencies += t->latencies;
    print_tally(label, t);
    failed += t->wrong + t->hung;
  }
  print_tally("total", &total);
  if (g_shown > k_max_shown) fprintf(stderr, "(%ld more not shown)\n", g_shown - k_max_shown);
  if (expired) return 3;
  return failed || total.passed != count ? 1 : 0;
}
