/* paths.c: the data folder, the default scenario, and the checks on output paths: writable,
 * and never an input or another output (cli.h). */
#define _DEFAULT_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* Directory holding platforms/, models/ and examples/: $EDGETUNE_DATA_DIR if set; else
 * <prefix>/share/edgetune when this binary is installed as <prefix>/bin/edgetune (found from
 * its own path, so a moved prefix still works); else the source tree it was built from. */
et_status cli_data_dir(char *out, size_t out_size, et_error *err)
{
    const char *env = getenv("EDGETUNE_DATA_DIR");
    if (env && env[0]) {
        if ((size_t)snprintf(out, out_size, "%s", env) < out_size) return ET_OK;
        return et_error_set(err, ET_ERR_INPUT,
                            "EDGETUNE_DATA_DIR: expected a path of at most %zu characters, got "
                            "one of %zu",
                            out_size - 1, strlen(env));
    }
    snprintf(out, out_size, "%s", ET_SOURCE_DIR);
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe);
    if (n <= 0 || (size_t)n >= sizeof exe) return ET_OK; /* unknown (or cut): the source tree */
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return ET_OK;
    *slash = '\0'; /* <prefix>/bin */
    char probe[4096 + 64];
    int len = snprintf(probe, sizeof probe, "%s/../%s/examples/default.json", exe, ET_REL_DATA_DIR);
    if (len > 0 && (size_t)len < sizeof probe && access(probe, R_OK) == 0 &&
        (size_t)snprintf(out, out_size, "%s/../%s", exe, ET_REL_DATA_DIR) >= out_size)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: installed under a path too long for its data (at most %zu "
                            "characters); set EDGETUNE_DATA_DIR",
                            exe, out_size - 1);
    return ET_OK;
}

/* Loads the scenario named on the command line (or the default) and applies overrides. */
et_status cli_load_scenario(const char *path, et_scenario *sc, et_error *err)
{
    /* Room for the shipped files' names under it (platforms/edge-6ue.xml, ...). */
    char data[ET_PATH_MAX - 64], def[ET_PATH_MAX + 32];
    et_status st = cli_data_dir(data, sizeof data, err);
    if (st != ET_OK) return st;
    if (!path) {
        snprintf(def, sizeof def, "%s/examples/default.json", data);
        path = def;
    }
    return et_scenario_load(path, data, sc, err);
}

/* Copies a path option into a scenario field, refusing one that does not fit. */
et_status cli_set_path_option(char *field, const char *value, const char *option, et_error *err)
{
    size_t len = strlen(value);
    if (len == 0)
        return et_error_set(err, ET_ERR_INPUT, "option %s: expected a path, got ''", option);
    if (len >= ET_PATH_MAX)
        return et_error_set(err, ET_ERR_INPUT,
                            "option %s: expected a path of at most %d characters, got one of %zu",
                            option, ET_PATH_MAX - 1, len);
    memcpy(field, value, len + 1);
    return ET_OK;
}

/* 0 if a directory can be made in dir (made and removed again: access()
 * says yes to root even on /proc), else the errno. */
static int probe_writable(const char *dir)
{
    size_t len = strlen(dir) + sizeof "/.edgetune-probe-XXXXXX";
    char *probe = malloc(len);
    if (!probe) return ENOMEM;
    snprintf(probe, len, "%s/.edgetune-probe-XXXXXX", dir);
    int rc = mkdtemp(probe) ? (rmdir(probe), 0) : errno;
    free(probe);
    return rc;
}

/* Where a failed write would go: path is a directory to write files into
 * (dir = 1) or a file to create; refuses what cannot work before anything
 * runs (a file where a directory is wanted, a directory where a file is, a
 * parent that is a file or not writable, a name longer than the system
 * takes), naming source ("option --out", "x.json: key 'out'"). */
et_status cli_check_output_path(const char *path, int dir, const char *source, et_error *err)
{
    const char *want = dir ? "a directory to write into" : "a file to write";
    struct stat st;
    if (stat(path, &st) == 0) {
        const char *problem = NULL;
        if (dir && !S_ISDIR(st.st_mode))
            problem = "it is a file";
        else if (!dir && S_ISDIR(st.st_mode))
            problem = "it is a directory";
        else if (dir && probe_writable(path) != 0)
            problem = "it is not writable";
        if (!problem) return ET_OK;
        return et_error_set(err, ET_ERR_INPUT, "%s: expected %s, got '%s' (%s)", source, want, path,
                            problem);
    }
    if (errno != ENOENT)
        return et_error_set(err, ET_ERR_INPUT, "%s: expected %s, got '%s' (%s)", source, want, path,
                            strerror(errno));
    /* It will be created: the nearest existing ancestor must be a writable directory. */
    char *up = strdup(path);
    if (!up) return et_error_set(err, ET_ERR_NOMEM, "out of memory");
    et_status rc = ET_OK;
    for (;;) {
        size_t n = strlen(up);
        while (n > 1 && up[n - 1] == '/')
            up[--n] = '\0';
        char *slash = strrchr(up, '/');
        const char *parent = slash ? (slash == up ? "/" : (*slash = '\0', up)) : ".";
        if (stat(parent, &st) != 0) {
            if (errno == ENOENT && slash && slash != up && dir) continue; /* mkdir -p makes it */
            rc = et_error_set(err, ET_ERR_INPUT, "%s: expected %s, got '%s' (%s: %s)", source, want,
                              path, parent, strerror(errno));
        } else if (!S_ISDIR(st.st_mode)) {
            rc = et_error_set(err, ET_ERR_INPUT, "%s: expected %s, got '%s' ('%s' is a file)",
                              source, want, path, parent);
        } else {
            int e = probe_writable(parent);
            if (e)
                rc = et_error_set(err, ET_ERR_INPUT,
                                  "%s: expected %s, got '%s' (cannot create it in '%s': %s)",
                                  source, want, path, parent, strerror(e));
        }
        break;
    }
    free(up);
    return rc;
}

/* ---- outputs that would replace inputs or each other ---- */

/* path with its existing part resolved by realpath and the rest appended as written, so that
 * two spellings of one file ("out/x", "./out//x", a link to out/) compare equal, whether it
 * exists yet or not. */
static void canonical_path(const char *path, char *out, size_t size)
{
    char *real = realpath(path, NULL);
    if (real) {
        snprintf(out, size, "%s", real);
        free(real);
        return;
    }
    char parent[ET_PATH_MAX * 2];
    snprintf(parent, sizeof parent, "%s", path);
    size_t n = strlen(parent);
    while (n > 1 && parent[n - 1] == '/')
        parent[--n] = '\0';
    char *slash = strrchr(parent, '/');
    const char *base = slash ? slash + 1 : parent;
    char up[ET_PATH_MAX * 2];
    if (!slash)
        snprintf(up, sizeof up, ".");
    else if (slash == parent)
        snprintf(up, sizeof up, "/");
    else
        snprintf(up, sizeof up, "%.*s", (int)(slash - parent), parent);
    char resolved[ET_PATH_MAX * 2];
    if (!strcmp(up, path) || !strcmp(base, "") || !strcmp(base, ".") || !strcmp(base, ".."))
        snprintf(resolved, sizeof resolved, "%s", up);
    else
        canonical_path(up, resolved, sizeof resolved);
    snprintf(out, size, "%s/%s", strcmp(resolved, "/") ? resolved : "", base);
}

typedef struct named_path {
    char path[ET_PATH_MAX + 64];
    char role[ET_PATH_MAX + 64]; /* "the scenario", "option --paje", "the output tasks.csv" */
} named_path;

/* 1 when a and b name one file: one canonical path, or one inode (a hard link). */
static int same_file(const char *a, const char *b)
{
    char ca[ET_PATH_MAX * 2], cb[ET_PATH_MAX * 2];
    canonical_path(a, ca, sizeof ca);
    canonical_path(b, cb, sizeof cb);
    if (!strcmp(ca, cb)) return 1;
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && S_ISREG(sa.st_mode) &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The files SimGrid's --log options would open for writing (file:PATH appenders). */
static int log_files(const run_args *a, named_path *out, int max)
{
    int n = 0;
    for (int i = 1; i < a->sg_argc && n < max; i++) {
        const char *arg = a->sg_argv[i];
        if (strncmp(arg, "--log=", 6) != 0) continue;
        for (const char *p = arg + 6; *p && n < max;) {
            size_t len = strcspn(p, " ");
            const char *app = NULL;
            for (const char *q = p; q < p + len && !app; q++)
                if (!strncmp(q, ".app:file:", 10) || !strncmp(q, ".appender:file:", 15))
                    app = strchr(strchr(q, ':') + 1, ':') + 1;
            if (app && app < p + len) {
                snprintf(out[n].path, sizeof out[n].path, "%.*s", (int)(p + len - app), app);
                snprintf(out[n].role, sizeof out[n].role, "option '%.200s'", arg);
                n++;
            }
            p += len;
            while (*p == ' ')
                p++;
        }
    }
    return n;
}

/* Refuses, before anything is opened, an output of the command that is one of its inputs or
 * another of its outputs: --paje out/tasks.csv, --paje scenario.json, --log=root.app:file:
 * out/summary.json, a scenario inside --out named like an output. */
et_status cli_check_aliases(const run_args *a, const et_scenario *sc, et_error *err)
{
    named_path in[8], outs[24];
    int n_in = 0, n_out = 0;
#define ADD_IN(p, r)                                                                               \
    do {                                                                                           \
        snprintf(in[n_in].path, sizeof in[n_in].path, "%s", (p));                                  \
        snprintf(in[n_in].role, sizeof in[n_in].role, "%s", (r));                                  \
        n_in++;                                                                                    \
    } while (0)
    ADD_IN(sc->sim.source, "the scenario");
    ADD_IN(sc->sim.platform, "the platform");
    ADD_IN(sc->sim.model, "the model profile");
    if (sc->sim.mobility.model == ET_MOBILITY_TRACE)
        ADD_IN(sc->sim.mobility_trace, "the mobility trace");
    if (a->checkpoint) ADD_IN(a->checkpoint, "the checkpoint (--checkpoint)");
#undef ADD_IN
    /* Files the command writes into its output directory (regime only with --out). */
    static const struct {
        const char *cmd, *files;
    } written[] = {{"run", "tasks.csv channel.csv summary.json activities.csv decisions.csv"},
                   {"eval", "tasks.csv eval.csv summary.json decisions.csv"},
                   {"train", "train.csv checkpoint.ckpt"},
                   {"compare", "compare.md compare.csv curves.csv bound.csv"},
                   {"regime", "regime.md regime.csv"}};
    const char *files = "";
    for (size_t i = 0; i < sizeof written / sizeof written[0]; i++)
        if (!strcmp(a->cmd, written[i].cmd)) files = written[i].files;
    if (!strcmp(a->cmd, "regime") && !a->out) files = "";
    for (const char *f = files; *f && n_out < 16;) {
        size_t len = strcspn(f, " ");
        snprintf(outs[n_out].path, sizeof outs[n_out].path, "%s/%.*s", sc->out_dir, (int)len, f);
        snprintf(outs[n_out].role, sizeof outs[n_out].role, "the output %.*s", (int)len, f);
        n_out++;
        f += len;
        while (*f == ' ')
            f++;
    }
    if (a->paje) {
        snprintf(outs[n_out].path, sizeof outs[n_out].path, "%s", a->paje);
        snprintf(outs[n_out].role, sizeof outs[n_out].role, "option --paje");
        n_out++;
    }
    n_out += log_files(a, outs + n_out, 24 - n_out);
    for (int i = 0; i < n_out; i++) {
        for (int j = 0; j < n_in; j++) {
            if (same_file(outs[i].path, in[j].path))
                return et_error_set(err, ET_ERR_INPUT,
                                    "%s: '%s' is %s (an output may not replace an input)",
                                    outs[i].role, outs[i].path, in[j].role);
        }
        for (int j = 0; j < i; j++)
            if (same_file(outs[i].path, outs[j].path))
                return et_error_set(err, ET_ERR_INPUT,
                                    "%s: '%s' is also %s (two outputs may not share a file)",
                                    outs[i].role, outs[i].path, outs[j].role);
    }
    return ET_OK;
}
