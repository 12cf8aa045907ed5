/**
 * @file compare.c
 * @brief `blendsched compare` (solve a base input and what-if scenarios of
 *        it side by side, in parallel) and `blendsched scenario apply`
 *        (write the input a scenario makes of a base).
 *
 * compare is the one place outside solver/ that uses OpenMP: the solves of
 * different scenarios share nothing (each has its own immutable problem and
 * its own solver state), so it fans them out over threads itself, through
 * the solver's public API only. Everything that is written is collected
 * per scenario and written in argument order after every solve has ended,
 * so the bytes never depend on --threads.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/commands.h"
#include "io/calendar_write.h"
#include "io/compare_write.h"
#include "io/scenario.h"
#include "solver/solver.h"

#include <errno.h>
#include <getopt.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char COMPARE_HELP[] =
    "Usage: blendsched compare BASE SCENARIO... [options]\n"
    "\n"
    "Solve the input BASE and every what-if SCENARIO of it (blendsched-scenario/1\n"
    "files: entities added, removed or changed by id; docs/scenarios.md) and\n"
    "report them side by side: sessions placed and unplaced (by reason), the\n"
    "objective's terms, instructor and room utilisation, cost, and against\n"
    "the base: sessions moved, reassigned, added and removed, learners\n"
    "affected. A scenario that is invalid is reported as such (its errors on\n"
    "standard error) and does not stop the others.\n"
    "\n"
    "Writes, under the output folder:\n"
    "  base/calendar.json, base/conflicts.json       the base's solve\n"
    "  NAME/calendar.json, NAME/conflicts.json       each valid scenario's (NAME\n"
    "                                                is the scenario's \"name\",\n"
    "                                                else its file name less .json)\n"
    "  comparison.json                               every figure of the table\n"
    "and prints the table on standard output.\n"
    "\n"
    "Options:\n"
    "  -d, --out-dir DIR      output folder (default 'compare-out'; created)\n"
    "      --threads N        OpenMP threads in all (default: all cores). With S\n"
    "                         solves, min(S, N) run at once, each with N / that\n"
    "                         many threads of its own; outputs are byte-identical\n"
    "                         for any N\n"
    "      --time-limit SEC   wall-clock safety net of each solve (default: none)\n"
    "      --json             print comparison.json instead of the table\n"
    "      --node-limit N     as for solve (default 300)\n"
    "      --rounds N         as for solve (default 3)\n"
    "      --monolithic N     as for solve (default 20000)\n"
    "      --seed N           as for solve (default 1)\n"
    "      --max-input-mb N   refuse files larger than N MB (default 512)\n"
    "  -q, --quiet            no summary on standard error (errors still shown)\n"
    "  -h, --help             this text\n"
    "\n"
    "Each scenario's calendar is the one `blendsched solve` writes for the\n"
    "input `blendsched scenario apply BASE SCENARIO` makes, with the same\n"
    "options. Files are written atomically.\n"
    "\n"
    "Exit status: 0 every scenario valid and every solve complete; 1 some\n"
    "scenario invalid, or some session unplaced or a solve interrupted (the\n"
    "table and every other output still written); 2 invalid BASE or usage\n"
    "(two scenarios with one name included; nothing written); 3 internal\n"
    "failure.\n";

static const char SCENARIO_HELP[] =
    "Usage: blendsched scenario apply BASE SCENARIO [-o OUT]\n"
    "\n"
    "Apply the what-if SCENARIO (blendsched-scenario/1) to the input BASE and\n"
    "write the input it makes (remove, then add, then set; docs/scenarios.md).\n"
    "The result is validated like any input: errors in the scenario file name\n"
    "it and the JSON path in it ('s.json: $.remove.instructors[0]: ...'),\n"
    "errors that only show in the result name both\n"
    "('s.json (applied to base.json): $.cohorts[1]...: ...').\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE      where to write it (default '-': standard output)\n"
    "      --max-input-mb N   refuse files larger than N MB (default 512)\n"
    "  -h, --help             this text\n"
    "\n"
    "Exit status: 0 written; 2 invalid BASE, scenario or result, or usage\n"
    "(nothing written); 3 internal failure.\n";


static void print_messages(const bs_messages *m, const char *name)
{
    for (size_t k = 0; k < m->count; k++)
        fprintf(stderr, "%s\n", m->items[k]);
    if (m->dropped)
        fprintf(stderr, "%s: ... and %zu more errors\n", name, m->dropped);
}

/* ==== One scenario (or the base) ==== */

typedef struct job {
    const char *file;
    char *name;
    bool is_base;
    bs_row_state state;
    bs_messages msgs; /* why it is invalid, or the failure */
    char *input;      /* edited input (scenarios) */
    size_t input_len;
    bs_problem *p;
    /* filled by the solve */
    bs_solution *sol;
    bs_report *report;
    bs_figures fig;
    bs_flat_calendar *flat;
    bs_buf cal, conf;
    bs_err err;
    /* relative output paths */
    char *cal_path, *conf_path;
    /* against the base */
    bool has_diff;
    size_t added, removed, moved, reassigned, unchanged, learners, cohorts;
} job;

static void job_free(job *j)
{
    free(j->name);
    bs_messages_free(&j->msgs);
    free(j->input);
    bs_problem_destroy(&j->p);
    bs_solution_destroy(&j->sol);
    bs_report_destroy(&j->report);
    bs_figures_free(&j->fig);
    bs_flat_destroy(&j->flat);
    bs_buf_free(&j->cal);
    bs_buf_free(&j->conf);
    free(j->cal_path);
    free(j->conf_path);
}

/* Record a single message of our own (a failure) for the row. */
static void job_fail(job *j, bs_row_state state, const char *msg)
{
    bs_messages_free(&j->msgs);
    j->msgs.items = bs_calloc(1, sizeof *j->msgs.items);
    if (j->msgs.items != NULL && (j->msgs.items[0] = bs_strdup(msg)) != NULL)
        j->msgs.count = 1;
    j->state = state;
}

/* Solve one job and turn its result into everything that is written: run
 * on a worker thread, touching only the job. */
static void solve_job(job *j, const bs_solve_opts *o)
{
    bs_rc rc = bs_solver_run(j->p, o, &j->sol, &j->report, &j->err);
    if (rc == BS_OK)
        rc = bs_calendar_write_json(j->p, j->sol, &j->cal);
    if (rc == BS_OK)
        rc = bs_report_write_json(j->p, j->report, &j->conf);
    if (rc == BS_OK)
        rc = bs_figures_compute(j->p, j->sol, j->report, &j->fig);
    if (rc == BS_OK)
        rc = bs_flat_from_solution(j->p, j->sol, &j->flat);
    if (rc != BS_OK) {
        char msg[700];
        snprintf(msg, sizeof msg, "%s: solve failed: %s", j->file,
                 j->err.msg[0] ? j->err.msg : bs_strerror(rc));
        job_fail(j, BS_ROW_FAILED, msg);
    }
}

/* mkdir -p */
static bs_rc make_dirs(const char *path, bs_err *err)
{
    char *p = bs_strdup(path);
    if (p == NULL)
        return bs_err_set(err, BS_ENOMEM, "out of memory");
    bs_rc rc = BS_OK;
    for (char *s = p + 1;; s++) {
        bool end = *s == '\0';
        if (*s == '/' || end) {
            char saved = *s;
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                rc =
                    bs_err_set(err, BS_EIO, "%s: cannot create the folder: %s", p, strerror(errno));
                break;
            }
            *s = saved;
        }
        if (end)
            break;
    }
    free(p);
    return rc;
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    if (s != NULL)
        snprintf(s, n, "%s/%s", a, b);
    return s;
}

static bs_rc write_job(const char *out_dir, job *j, bs_err *err)
{
    char *dir = join(out_dir, j->name);
    j->cal_path = join(j->name, "calendar.json");
    j->conf_path = join(j->name, "conflicts.json");
    char *cal = dir ? join(dir, "calendar.json") : NULL;
    char *conf = dir ? join(dir, "conflicts.json") : NULL;
    bs_rc rc = dir && cal && conf && j->cal_path && j->conf_path
                   ? BS_OK
                   : bs_err_set(err, BS_ENOMEM, "out of memory");
    if (rc == BS_OK)
        rc = make_dirs(dir, err);
    if (rc == BS_OK)
        rc = bs_write_file_atomic(conf, j->conf.data, j->conf.len, err);
    if (rc == BS_OK)
        rc = bs_write_file_atomic(cal, j->cal.data, j->cal.len, err);
    free(dir);
    free(cal);
    free(conf);
    return rc;
}

/* ==== compare ==== */

typedef struct compare_opts {
    const char *out_dir;
    bool json, quiet;
    int threads;
    size_t max_bytes;
    bs_solve_opts solve;
} compare_opts;

static int parse_compare_opts(int argc, char **argv, compare_opts *co)
{
    static const struct option longopts[] = {{"out-dir", required_argument, NULL, 'd'},
                                             {"threads", required_argument, NULL, 'j'},
                                             {"time-limit", required_argument, NULL, 't'},
                                             {"json", no_argument, NULL, 'J'},
                                             {"node-limit", required_argument, NULL, 'n'},
                                             {"rounds", required_argument, NULL, 'r'},
                                             {"monolithic", required_argument, NULL, 'm'},
                                             {"seed", required_argument, NULL, 's'},
                                             {"max-input-mb", required_argument, NULL, 'M'},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    long v;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "d:qh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            if (optarg[0] == '\0')
                return bs_cli_usage_error("compare", "--out-dir needs a folder");
            co->out_dir = optarg;
            break;
        case 'j':
            if (!bs_cli_parse_long(optarg, 1, 1024, &v))
                return bs_cli_usage_error("compare", "--threads needs 1..1024, not '%s'", optarg);
            co->threads = (int)v;
            break;
        case 't': {
            char *end;
            double t = strtod(optarg, &end);
            if (*optarg == '\0' || *end != '\0' || !(t >= 0) || t > 1e7)
                return bs_cli_usage_error("compare", "--time-limit needs seconds >= 0, not '%s'",
                                          optarg);
            co->solve.time_limit = t;
            break;
        }
        case 'J':
            co->json = true;
            break;
        case 'n':
            if (!bs_cli_parse_long(optarg, 1, 100000000, &v))
                return bs_cli_usage_error("compare", "--node-limit needs a positive count");
            co->solve.node_limit = (int)v;
            break;
        case 'r':
            if (!bs_cli_parse_long(optarg, 0, 1000, &v))
                return bs_cli_usage_error("compare", "--rounds needs 0..1000");
            co->solve.improve_rounds = (int)v;
            break;
        case 'm':
            if (!bs_cli_parse_long(optarg, 0, 100000000, &v))
                return bs_cli_usage_error("compare", "--monolithic needs a count >= 0");
            co->solve.monolithic_columns = (int)v;
            break;
        case 's':
            if (!bs_cli_parse_long(optarg, 0, 2147483647L, &v))
                return bs_cli_usage_error("compare", "--seed needs a number >= 0");
            co->solve.seed = (unsigned long)v;
            break;
        case 'M':
            if (!bs_cli_parse_long(optarg, 1, 1 << 20, &v))
                return bs_cli_usage_error("compare", "--max-input-mb needs 1..1048576");
            co->max_bytes = (size_t)v * 1024 * 1024;
            break;
        case 'q':
            co->quiet = true;
            break;
        case 'h':
            fputs(COMPARE_HELP, stdout);
            return -1;
        default:
            return bs_cli_usage_error("compare", "unknown option");
        }
    }
    if (argc - optind < 2)
        return bs_cli_usage_error("compare", argc == optind ? "missing BASE and SCENARIO"
                                                            : "missing SCENARIO");
    return 0;
}

/* Load the base; 0 or the exit status. */
static int load_base(const compare_opts *co, job *b, char **data, size_t *len)
{
    bs_err err = {BS_OK, ""};
    bs_rc rc = bs_read_file(b->file, co->max_bytes, data, len, &err);
    if (rc == BS_EINVAL) {
        bs_cli_error("%s: input larger than the limit of %zu MB (see --max-input-mb)", b->file,
                     co->max_bytes / (1024 * 1024));
        return BS_EXIT_INPUT;
    }
    if (rc != BS_OK) {
        bs_cli_error("%s", err.msg);
        return bs_cli_exit_for(rc);
    }
    rc = bs_input_load_buffer(b->file, *data, *len, &b->p, &b->msgs, &err);
    if (rc != BS_OK) {
        print_messages(&b->msgs, b->file);
        if (b->msgs.count == 0)
            bs_cli_error("%s", err.msg[0] ? err.msg : bs_strerror(rc));
        return bs_cli_exit_for(rc);
    }
    bs_messages_free(&b->msgs);
    return 0;
}

/* Apply and load one scenario; invalid ones keep their messages. Returns
 * BS_OK or an internal failure (ENOMEM). */
static bs_rc load_scenario(const compare_opts *co, const char *base_name, const char *base,
                           size_t base_len, job *j)
{
    bs_err err = {BS_OK, ""};
    bs_scenario_result res = {0};
    bs_rc rc = bs_scenario_apply_file(base_name, base, base_len, j->file, co->max_bytes, &res,
                                      &j->msgs, &err);
    if (rc == BS_OK) {
        j->name = res.name;
        j->input = res.input;
        j->input_len = res.len;
        rc = bs_scenario_load_problem(base_name, j->file, &res, &j->p, &j->msgs, &err);
    } else {
        /* Without a readable scenario there is no `name`: the file names
         * the row. */
        const char *slash = strrchr(j->file, '/');
        const char *bn = slash ? slash + 1 : j->file;
        size_t n = strlen(bn);
        if (n > 5 && strcmp(bn + n - 5, ".json") == 0)
            n -= 5;
        j->name = malloc(n + 1);
        if (j->name == NULL)
            return BS_ENOMEM;
        memcpy(j->name, bn, n);
        j->name[n] = '\0';
    }
    if (rc == BS_ENOMEM || rc == BS_EINTERNAL)
        return rc;
    if (rc != BS_OK) {
        if (j->msgs.count == 0) {
            char msg[700];
            snprintf(msg, sizeof msg, "%s", err.msg[0] ? err.msg : bs_strerror(rc));
            job_fail(j, BS_ROW_INVALID, msg);
        }
        j->state = BS_ROW_INVALID;
        return BS_OK;
    }
    if (!bs_scenario_name_is_usable(j->name)) {
        char msg[700];
        snprintf(msg, sizeof msg,
                 "%s: $.name: cannot name an output folder (empty, \".\", \"..\", or with "
                 "'/' or control characters)",
                 j->file);
        job_fail(j, BS_ROW_INVALID, msg);
        bs_problem_destroy(&j->p);
    }
    return BS_OK;
}

static void diff_against_base(const job *base, job *j)
{
    if (base->state != BS_ROW_SOLVED || j->state != BS_ROW_SOLVED)
        return;
    bs_diff *d = NULL;
    if (bs_diff_compute(base->flat, j->flat, &d) != BS_OK ||
        bs_diff_learners_affected(d, base->p, j->p, &j->learners, &j->cohorts) != BS_OK) {
        job_fail(j, BS_ROW_FAILED, "out of memory comparing with the base");
        bs_diff_destroy(&d);
        return;
    }
    j->has_diff = true;
    j->added = d->added;
    j->removed = d->removed;
    j->moved = d->moved;
    j->reassigned = d->reassigned;
    j->unchanged = d->unchanged;
    bs_diff_destroy(&d);
}

int bs_cli_compare(int argc, char **argv)
{
    compare_opts co = {
        "compare-out", false, false, 0, (size_t)BS_DEFAULT_MAX_INPUT_MB * 1024 * 1024, {0}};
    bs_solve_opts_init(&co.solve);
    int st = parse_compare_opts(argc, argv, &co);
    if (st != 0)
        return st < 0 ? BS_EXIT_OK : st;
    co.solve.progress = false; /* concurrent solves would interleave their lines */
    co.solve.verbosity = 0;
    co.solve.interrupt = &bs_cli_interrupted;

    size_t n = (size_t)(argc - optind);
    job *jobs = bs_calloc(n, sizeof *jobs);
    if (jobs == NULL) {
        bs_cli_error("out of memory");
        return BS_EXIT_INTERNAL;
    }
    for (size_t i = 0; i < n; i++) {
        jobs[i].file = argv[optind + (int)i];
        jobs[i].state = BS_ROW_SOLVED;
        bs_buf_init(&jobs[i].cal);
        bs_buf_init(&jobs[i].conf);
    }
    job *base = &jobs[0];
    base->is_base = true;
    base->name = bs_strdup("base");
    char *base_data = NULL;
    size_t base_len = 0;
    int status = base->name ? load_base(&co, base, &base_data, &base_len) : BS_EXIT_INTERNAL;

    /* Loading reads time zones through the process-global TZ: serial. */
    for (size_t i = 1; i < n && status == 0; i++)
        if (load_scenario(&co, base->file, base_data, base_len, &jobs[i]) != BS_OK) {
            bs_cli_error("%s: out of memory", jobs[i].file);
            status = BS_EXIT_INTERNAL;
        }
    for (size_t i = 0; i < n && status == 0; i++)
        for (size_t k = 0; k < i; k++)
            if (strcmp(jobs[i].name, jobs[k].name) == 0) {
                status = bs_cli_usage_error("compare",
                                            "%s and %s both name the scenario '%s' (names "
                                            "must differ; 'base' is the base's)",
                                            jobs[k].file, jobs[i].file, jobs[i].name);
                break;
            }
    if (status != 0) {
        for (size_t i = 0; i < n; i++)
            job_free(&jobs[i]);
        free(jobs);
        free(base_data);
        return status;
    }
    for (size_t i = 1; i < n; i++)
        if (jobs[i].state != BS_ROW_SOLVED)
            print_messages(&jobs[i].msgs, jobs[i].file);

    bs_cli_catch_stop_signals();

    /* ==== The solves, in parallel ==== */
    size_t *todo = bs_calloc(n, sizeof *todo), n_todo = 0;
    if (todo == NULL) {
        bs_cli_error("out of memory");
        status = BS_EXIT_INTERNAL;
    }
    for (size_t i = 0; i < n && todo; i++)
        if (jobs[i].state == BS_ROW_SOLVED)
            todo[n_todo++] = i;
    int threads = co.threads > 0 ? co.threads : omp_get_max_threads();
    int concurrent = (size_t)threads < n_todo ? threads : (int)n_todo;
    if (concurrent < 1)
        concurrent = 1;
    bs_solve_opts inner = co.solve;
    inner.threads = threads / concurrent > 1 ? threads / concurrent : 1;
    if (inner.threads > 1 && omp_get_max_active_levels() < 2)
        omp_set_max_active_levels(2); /* the solver's own parallel region nests in ours */
#pragma omp parallel for num_threads(concurrent) schedule(dynamic, 1)
    for (size_t t = 0; t < n_todo; t++)
        solve_job(&jobs[todo[t]], &inner);
    free(todo);

    for (size_t i = 1; i < n; i++)
        diff_against_base(base, &jobs[i]);

    /* ==== Outputs, in argument order ==== */
    bs_err err = {BS_OK, ""};
    bs_rc rc = status == 0 ? make_dirs(co.out_dir, &err) : BS_EINTERNAL;
    /* every file of the run appears together or not at all (see core/bs.h) */
    bs_write_group_begin();
    for (size_t i = 0; i < n && rc == BS_OK; i++) {
        if (jobs[i].state != BS_ROW_SOLVED)
            continue;
        rc = write_job(co.out_dir, &jobs[i], &err);
    }
    bs_compare_row *rows = bs_calloc(n, sizeof *rows);
    bs_buf doc, table;
    bs_buf_init(&doc);
    bs_buf_init(&table);
    if (rc == BS_OK && rows == NULL)
        rc = bs_err_set(&err, BS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n && rc == BS_OK; i++) {
        job *j = &jobs[i];
        bs_compare_row *r = &rows[i];
        r->name = j->name;
        r->file = j->file;
        r->is_base = j->is_base;
        r->state = j->state;
        r->errors = (const char *const *)j->msgs.items;
        r->n_errors = j->msgs.count;
        if (j->state == BS_ROW_SOLVED) {
            r->status = j->sol->status;
            r->input_sha256 = j->p->input_sha256;
            r->calendar_path = j->cal_path;
            r->conflicts_path = j->conf_path;
            r->p = j->p;
            r->fig = &j->fig;
            r->has_diff = j->has_diff;
            r->added = j->added;
            r->removed = j->removed;
            r->moved = j->moved;
            r->reassigned = j->reassigned;
            r->unchanged = j->unchanged;
            r->learners_affected = j->learners;
            r->cohorts_affected = j->cohorts;
        }
    }
    if (rc == BS_OK && bs_compare_write_json(rows, n, &doc) != BS_OK)
        rc = bs_err_set(&err, BS_ENOMEM, "out of memory");
    if (rc == BS_OK) {
        char *path = join(co.out_dir, "comparison.json");
        rc = path ? bs_write_file_atomic(path, doc.data, doc.len, &err)
                  : bs_err_set(&err, BS_ENOMEM, "out of memory");
        free(path);
    }
    if (rc == BS_OK && !co.json && bs_compare_write_table(rows, n, &table) != BS_OK)
        rc = bs_err_set(&err, BS_ENOMEM, "out of memory");
    if (rc == BS_OK) {
        const bs_buf *shown = co.json ? &doc : &table;
        rc = bs_write_file_atomic("-", shown->data, shown->len, &err);
    }
    if (rc == BS_OK)
        rc = bs_write_group_commit(&err);
    else
        bs_write_group_abort();

    if (status == 0 && rc != BS_OK) {
        bs_cli_error("%s", err.msg[0] ? err.msg : bs_strerror(rc));
        status = BS_EXIT_INTERNAL;
    }
    if (status == 0) {
        size_t complete = 0, incomplete = 0, invalid = 0, failed = 0;
        for (size_t i = 0; i < n; i++) {
            if (jobs[i].state == BS_ROW_FAILED) {
                failed++;
                print_messages(&jobs[i].msgs, jobs[i].file);
            } else if (jobs[i].state == BS_ROW_INVALID) {
                invalid++;
            } else if (jobs[i].sol->status == BS_STATUS_COMPLETE) {
                complete++;
            } else {
                incomplete++;
            }
        }
        status =
            failed ? BS_EXIT_INTERNAL : (invalid || incomplete ? BS_EXIT_UNPLACED : BS_EXIT_OK);
        if (!co.quiet)
            fprintf(stderr,
                    "blendsched: compare: base and %zu scenarios: %zu complete, %zu with "
                    "unplaced sessions or interrupted, %zu invalid, %zu failed; outputs in "
                    "%s/\n",
                    n - 1, complete, incomplete, invalid, failed, co.out_dir);
    }
    bs_buf_free(&doc);
    bs_buf_free(&table);
    free(rows);
    for (size_t i = 0; i < n; i++)
        job_free(&jobs[i]);
    free(jobs);
    free(base_data);
    return status;
}

/* ==== scenario apply ==== */

int bs_cli_scenario(int argc, char **argv)
{
    static const struct option longopts[] = {{"output", required_argument, NULL, 'o'},
                                             {"max-input-mb", required_argument, NULL, 'M'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *out_path = "-";
    size_t max_bytes = (size_t)BS_DEFAULT_MAX_INPUT_MB * 1024 * 1024;
    long v;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'o':
            out_path = optarg;
            break;
        case 'M':
            if (!bs_cli_parse_long(optarg, 1, 1 << 20, &v))
                return bs_cli_usage_error("scenario", "--max-input-mb needs 1..1048576");
            max_bytes = (size_t)v * 1024 * 1024;
            break;
        case 'h':
            fputs(SCENARIO_HELP, stdout);
            return BS_EXIT_OK;
        default:
            return bs_cli_usage_error("scenario", "unknown option");
        }
    }
    if (optind == argc)
        return bs_cli_usage_error("scenario", "missing the action (apply)");
    if (strcmp(argv[optind], "apply") != 0)
        return bs_cli_usage_error("scenario", "unknown action '%s' (expected apply)", argv[optind]);
    if (argc - optind != 3)
        return bs_cli_usage_error("scenario", "apply needs BASE and SCENARIO");
    compare_opts co = {NULL, false, true, 1, max_bytes, {0}};
    job b;
    memset(&b, 0, sizeof b);
    b.file = argv[optind + 1];
    char *data = NULL;
    size_t len = 0;
    int status = load_base(&co, &b, &data, &len);
    bs_problem_destroy(&b.p);
    if (status != 0) {
        bs_messages_free(&b.msgs);
        free(data);
        return status;
    }
    const char *scen = argv[optind + 2];
    bs_scenario_result res = {0};
    bs_messages msgs = {0};
    bs_err err = {BS_OK, ""};
    bs_problem *p = NULL;
    bs_rc rc = bs_scenario_apply_file(b.file, data, len, scen, max_bytes, &res, &msgs, &err);
    if (rc == BS_OK)
        rc = bs_scenario_load_problem(b.file, scen, &res, &p, &msgs, &err);
    if (rc == BS_OK)
        rc = bs_write_file_atomic(out_path, res.input, res.len, &err);
    if (rc != BS_OK) {
        print_messages(&msgs, scen);
        if (msgs.count == 0)
            bs_cli_error("%s", err.msg[0] ? err.msg : bs_strerror(rc));
        /* with the result loaded, only the write can have failed */
        status = p != NULL ? BS_EXIT_INTERNAL : bs_cli_exit_for(rc);
    }
    bs_problem_destroy(&p);
    bs_messages_free(&msgs);
    bs_messages_free(&b.msgs);
    bs_scenario_result_free(&res);
    free(data);
    return status;
}
