/* trace.c: CSV traces and atomic output files. */
#define _DEFAULT_SOURCE
#include "trace.h"

#include "numtext.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* The header lines, from the column tables (schema.h); each starts with a comma to skip. */
static const char TASK_HEADER[] = ET_TASK_COLUMNS(ET_COL_HEADER) "\n";
static const char CHANNEL_HEADER[] = ET_CHANNEL_COLUMNS(ET_COL_HEADER) "\n";
static const char ACTIVITY_HEADER[] = ET_ACTIVITY_COLUMNS(ET_COL_HEADER) "\n";

const char *et_trace_header(et_trace_table t)
{
    switch (t) {
    case ET_TRACE_TASKS: return TASK_HEADER + 1;
    case ET_TRACE_CHANNEL: return CHANNEL_HEADER + 1;
    case ET_TRACE_ACTIVITIES: return ACTIVITY_HEADER + 1;
    }
    return "";
}

et_status et_mkdirs(const char *dir, et_error *err)
{
    char buf[ET_PATH_MAX];
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1;; p++) {
        char c = *p;
        if (c == '/' || c == '\0') {
            *p = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                return et_error_set(err, ET_ERR_IO, "%s: cannot create directory: %s", buf,
                                    strerror(errno));
            *p = c;
        }
        if (c == '\0') break;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return et_error_set(err, ET_ERR_IO, "%s: not a directory", dir);
    return ET_OK;
}

/* The directories this process has locked. The one piece of process-wide mutable state in
 * the outputs: flock() locks belong to an open file description, so a second flock() of the
 * same directory from this process (compare locks its folder, then writes its tables there
 * through et_outputs_open) would be refused as if another process held it. */
#define MAX_LOCKED_DIRS 16
static struct locked_dir {
    dev_t dev;
    ino_t ino;
    int fd, count;
} locked_dirs[MAX_LOCKED_DIRS];

/* Removes the temporaries (.<name>.<pid>.tmp) that processes killed outright (SIGKILL, a
 * power cut) left in dir. Called with dir's lock held: no other process writes there now, so
 * every temporary not of this process is stale. */
static void remove_stale_temporaries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    char mine[32];
    snprintf(mine, sizeof mine, ".%ld.tmp", (long)getpid());
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        const char *name = e->d_name;
        size_t n = strlen(name);
        if (name[0] != '.' || n < 7 || strcmp(name + n - 4, ".tmp") != 0) continue;
        const char *p = name + n - 4; /* back over ".<digits>" */
        while (p > name && p[-1] >= '0' && p[-1] <= '9')
            p--;
        if (p == name + n - 4 || p[-1] != '.' || !strcmp(p - 1, mine)) continue;
        char path[ET_PATH_MAX + 300];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, name);
        if (lstat(path, &st) == 0 && S_ISREG(st.st_mode)) unlink(path);
    }
    closedir(d);
}

et_status et_outputs_lock_dir(const char *dir, int *token, et_error *err)
{
    *token = 0;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int e = errno;
        if (fd >= 0) close(fd);
        return et_error_set(err, ET_ERR_IO, "%s: cannot open the output directory: %s", dir,
                            strerror(e));
    }
    int free_slot = -1;
    for (int i = 0; i < MAX_LOCKED_DIRS; i++) {
        struct locked_dir *l = &locked_dirs[i];
        if (l->count > 0 && l->dev == st.st_dev && l->ino == st.st_ino) {
            close(fd);
            l->count++;
            *token = i + 1;
            return ET_OK;
        }
        if (l->count == 0 && free_slot < 0) free_slot = i;
    }
    if (free_slot < 0) {
        close(fd);
        return et_error_set(err, ET_ERR_INTERNAL, "%s: more than %d output directories locked", dir,
                            MAX_LOCKED_DIRS);
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: another edgetune process is writing into this directory "
                                "(one run per output directory at a time: wait for it, or "
                                "choose another --out)",
                                dir);
        return et_error_set(err, ET_ERR_IO, "%s: cannot lock the output directory: %s", dir,
                            strerror(e));
    }
    locked_dirs[free_slot] = (struct locked_dir){st.st_dev, st.st_ino, fd, 1};
    *token = free_slot + 1;
    remove_stale_temporaries(dir);
    return ET_OK;
}

void et_outputs_unlock_dir(int *token)
{
    if (!token || *token <= 0 || *token > MAX_LOCKED_DIRS) return;
    struct locked_dir *l = &locked_dirs[*token - 1];
    *token = 0;
    if (l->count <= 0) return;
    if (--l->count == 0) {
        close(l->fd); /* releases the flock */
        l->fd = -1;
    }
}

void et_outputs_tmp_name(const char *path, char *tmp, size_t size)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    int dir_len = slash ? (int)(slash - path) + 1 : 0;
    snprintf(tmp, size, "%.*s.%s.%ld.tmp", dir_len, path, base, (long)getpid());
}

FILE *et_outputs_create(const char *tmp)
{
    struct stat st;
    /* A directory or a FIFO where the temporary goes (a leftover, or planted): fopen would
     * fail on the first and block on the second. */
    if (lstat(tmp, &st) == 0 && !S_ISREG(st.st_mode)) {
        errno = S_ISDIR(st.st_mode) ? EISDIR : EEXIST;
        return NULL;
    }
    return fopen(tmp, "w");
}

et_status et_outputs_add(et_outputs *out, const char *name, FILE **file, et_error *err)
{
    if (out->n >= ET_OUTPUT_MAX) return et_error_set(err, ET_ERR_INTERNAL, "too many output files");
    int i = out->n;
    char dir[ET_PATH_MAX];
    memcpy(dir, out->dir, sizeof dir);
    snprintf(out->final_path[i], sizeof out->final_path[i], "%s/%s", dir, name);
    et_outputs_tmp_name(out->final_path[i], out->tmp_path[i], sizeof out->tmp_path[i]);
    out->file[i] = et_outputs_create(out->tmp_path[i]);
    if (!out->file[i])
        return et_error_set(err, ET_ERR_IO, "%s: cannot write: %s", out->tmp_path[i],
                            strerror(errno));
    /* Rows go out in 64 KiB writes rather than the file system's block size (failing, the
     * stream keeps its default buffer). */
    setvbuf(out->file[i], NULL, _IOFBF, 1 << 16);
    out->n++;
    *file = out->file[i];
    return ET_OK;
}

et_status et_outputs_open(et_outputs *out, const char *dir, int tasks, int channel, et_error *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->dir, sizeof out->dir, "%s", dir);
    et_status st = et_mkdirs(dir, err);
    if (st == ET_OK) st = et_outputs_lock_dir(dir, &out->lock, err);
    if (st == ET_OK && tasks) {
        st = et_outputs_add(out, "tasks.csv", &out->tasks, err);
        if (st == ET_OK) fputs(et_trace_header(ET_TRACE_TASKS), out->tasks);
    }
    if (st == ET_OK && channel) {
        st = et_outputs_add(out, "channel.csv", &out->channel, err);
        if (st == ET_OK) fputs(et_trace_header(ET_TRACE_CHANNEL), out->channel);
    }
    if (st != ET_OK) et_outputs_abort(out);
    return st;
}

et_status et_write_file_atomic(const char *path, const char *text, et_error *err)
{
    char tmp[ET_PATH_MAX + 48];
    et_outputs_tmp_name(path, tmp, sizeof tmp);
    FILE *f = et_outputs_create(tmp);
    if (!f) return et_error_set(err, ET_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
    int ok = fputs(text, f) >= 0 && fflush(f) == 0;
    int e = ok ? 0 : errno;
    if (fclose(f) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = 0;
        e = errno;
    }
    if (!ok) {
        unlink(tmp);
        return et_error_set(err, ET_ERR_IO, "%s: cannot write: %s", path, strerror(e ? e : EIO));
    }
    return ET_OK;
}

/* Stores path's current file (if any) aside as path's backup (a hard link, so the
 * original stays in place until it is replaced). 0 on success. */
static int keep_aside(const char *path, char *backup, size_t size, int *had)
{
    struct stat st;
    *had = lstat(path, &st) == 0;
    snprintf(backup, size, "%s.old", path);
    if (!*had) return 0;
    unlink(backup);
    return link(path, backup);
}

et_status et_outputs_adopt(et_outputs *out, const char *tmp_path, const char *final_path,
                           et_error *err)
{
    if (out->n >= ET_OUTPUT_MAX) return et_error_set(err, ET_ERR_INTERNAL, "too many output files");
    int i = out->n++;
    snprintf(out->final_path[i], sizeof out->final_path[i], "%s", final_path);
    snprintf(out->tmp_path[i], sizeof out->tmp_path[i], "%s", tmp_path);
    out->file[i] = NULL;
    return ET_OK;
}

long long et_outputs_bytes(const et_outputs *out)
{
    long long total = 0;
    for (int i = 0; out && i < out->n; i++) {
        if (!out->file[i]) continue;
        long pos = ftell(out->file[i]);
        if (pos > 0) total += pos;
    }
    return total;
}

et_status et_outputs_commit(et_outputs *out, const char *summary_json, et_error *err)
{
    et_status st = ET_OK;
    if (summary_json) {
        FILE *f = NULL;
        st = et_outputs_add(out, "summary.json", &f, err);
        if (st == ET_OK && fputs(summary_json, f) < 0)
            st = et_error_set(err, ET_ERR_IO, "%s: cannot write: %s", out->final_path[out->n - 1],
                              strerror(errno));
    }
    for (int i = 0; i < out->n; i++) {
        if (!out->file[i]) continue;
        /* A failed write (a full disk, a file-size limit) leaves its bytes in the stream's
         * buffer and sets its error flag; flushing again reports why. */
        int bad = ferror(out->file[i]), e = 0;
        clearerr(out->file[i]);
        errno = 0;
        if (fflush(out->file[i]) != 0) {
            bad = 1;
            e = errno;
        }
        if (fclose(out->file[i]) != 0) {
            if (!e) e = errno;
            bad = 1;
        }
        out->file[i] = NULL;
        if (bad && st == ET_OK)
            st = et_error_set(err, ET_ERR_IO, "%s: cannot write: %s", out->final_path[i],
                              e ? strerror(e) : "a write failed");
    }
    out->tasks = out->channel = out->activity = NULL;
    /* A directory in the way of a final name would fail its rename half-way. */
    for (int i = 0; st == ET_OK && i < out->n; i++) {
        struct stat fs;
        if (stat(out->final_path[i], &fs) == 0 && S_ISDIR(fs.st_mode))
            st = et_error_set(err, ET_ERR_IO, "%s: cannot write: %s", out->final_path[i],
                              strerror(EISDIR));
    }
    /* All or nothing: the old files are kept aside (hard links) until every new one is in
     * place; a failed rename puts the old ones back. */
    char backup[ET_OUTPUT_MAX][ET_PATH_MAX + 48];
    int had[ET_OUTPUT_MAX] = {0}, aside = 0;
    for (; st == ET_OK && aside < out->n; aside++)
        if (keep_aside(out->final_path[aside], backup[aside], sizeof backup[aside], &had[aside]))
            st = et_error_set(err, ET_ERR_IO, "%s: cannot keep the previous file aside: %s",
                              out->final_path[aside], strerror(errno));
    int renamed = 0; /* files 0 .. renamed - 1 hold the new content */
    while (st == ET_OK && renamed < out->n) {
        if (rename(out->tmp_path[renamed], out->final_path[renamed]) != 0)
            st = et_error_set(err, ET_ERR_IO, "%s: cannot write: %s", out->final_path[renamed],
                              strerror(errno));
        else
            renamed++;
    }
    for (int i = 0; i < aside; i++) {
        if (st != ET_OK && i < renamed) {
            if (had[i])
                rename(backup[i], out->final_path[i]);
            else
                unlink(out->final_path[i]);
        } else if (had[i]) {
            unlink(backup[i]);
        }
        if (i < renamed) out->tmp_path[i][0] = '\0';
    }
    if (st != ET_OK) {
        et_outputs_abort(out);
        return st;
    }
    out->n = 0;
    et_outputs_unlock_dir(&out->lock);
    return ET_OK;
}

void et_outputs_abort(et_outputs *out)
{
    if (!out) return;
    for (int i = 0; i < out->n; i++) {
        if (out->file[i]) fclose(out->file[i]);
        out->file[i] = NULL;
        if (out->tmp_path[i][0]) unlink(out->tmp_path[i]);
        out->tmp_path[i][0] = '\0';
    }
    out->tasks = out->channel = out->activity = NULL;
    out->n = 0;
    et_outputs_unlock_dir(&out->lock);
}

void et_csv_field(FILE *f, const char *text, char sep)
{
    if (strpbrk(text, ",\"\r\n")) {
        fputc('"', f);
        for (const char *c = text; *c; c++) {
            if (*c == '"') fputc('"', f);
            fputc(*c, f);
        }
        fputc('"', f);
    } else {
        fputs(text, f);
    }
    if (sep) fputc(sep, f);
}

/* ---- rows: formatted into a line buffer, written with one fwrite ------------------------- */

/* A row being formatted: every put_KIND appends its value and a comma; row_end turns the last
 * comma into the line's end and writes the line. A text too long for the buffer is written
 * straight to the file (after what the buffer holds). */
typedef struct row {
    FILE *f;
    size_t n;
    char buf[1024];
} row;

static void row_flush(row *w)
{
    if (w->n) fwrite(w->buf, 1, w->n, w->f);
    w->n = 0;
}

/* Room for need more bytes. */
static char *row_room(row *w, size_t need)
{
    if (w->n + need > sizeof w->buf) row_flush(w);
    return w->buf + w->n;
}

static void row_end(row *w)
{
    w->buf[w->n - 1] = '\n';
    row_flush(w);
}

/* Appends v in decimal to p; returns the end. */
static char *put_decimal(char *p, long long v)
{
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    if (v < 0) *p++ = '-';
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    while (n > 0)
        *p++ = digits[--n];
    return p;
}

static void put_INT(row *w, int v)
{
    char *p = put_decimal(row_room(w, 16), v);
    *p++ = ',';
    w->n = (size_t)(p - w->buf);
}

/* printf's %.<prec>g (numtext.h), NaN as an empty field when empty_nan. */
static void put_g(row *w, double x, int prec, int empty_nan)
{
    char *p = row_room(w, ET_NUMTEXT_G_SIZE + 1);
    if (!(empty_nan && isnan(x))) p += et_numtext_g(p, x, prec);
    *p++ = ',';
    w->n = (size_t)(p - w->buf);
}

/* %.9g keeps traces readable and stable; NaN is printed as an empty field. */
static void put_NUM(row *w, double x)
{
    put_g(w, x, 9, 1);
}

/* Every bit (activities.csv, replayed by bench/bare_twin). */
static void put_EXACT(row *w, double x)
{
    put_g(w, x, 17, 0);
}

/* Appends x with a fixed number of decimals (0-6) and a comma; an empty field for NaN.
 * Integer arithmetic: printf's %g was two thirds of a default run, and channel.csv has one row
 * per UE per second. Values beyond 1e12 are printed as %.9g. */
static void put_fixed(row *w, double x, int decimals)
{
    static const double scale[7] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    if (isnan(x) || !(fabs(x) < 1e12)) {
        put_NUM(w, x);
        return;
    }
    char *p = row_room(w, 32);
    double scaled = fabs(x) * scale[decimals] + 0.5;
    unsigned long long v = (unsigned long long)scaled;
    if (x < 0 && v > 0) *p++ = '-';
    char digits[32];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 || n <= decimals);
    while (n > decimals)
        *p++ = digits[--n];
    if (decimals > 0) {
        *p++ = '.';
        while (n > 0)
            *p++ = digits[--n];
    }
    *p++ = ',';
    w->n = (size_t)(p - w->buf);
}

static void put_FIX3(row *w, double x)
{
    put_fixed(w, x, 3);
}

static void put_FIX0(row *w, double x)
{
    put_fixed(w, x, 0);
}

static void put_FLAG(row *w, int v)
{
    char *p = row_room(w, 2);
    if (v >= 0) *p++ = v ? '1' : '0';
    *p++ = ',';
    w->n = (size_t)(p - w->buf);
}

static void put_CHAR(row *w, char c)
{
    char *p = row_room(w, 2);
    *p++ = c;
    *p++ = ',';
    w->n = (size_t)(p - w->buf);
}

/* A CSV field (et_csv_field), NULL as an empty one. */
static void put_TEXT(row *w, const char *text)
{
    if (!text) text = "";
    size_t len = strlen(text);
    int quote = text[strcspn(text, ",\"\r\n")] != '\0';
    size_t need = quote ? 2 * len + 3 : len + 1;
    if (need > sizeof w->buf) { /* longer than any line: straight to the file */
        row_flush(w);
        et_csv_field(w->f, text, 0);
        w->buf[w->n++] = ',';
        return;
    }
    char *p = row_room(w, need);
    if (!quote) {
        memcpy(p, text, len);
        p += len;
    } else {
        *p++ = '"';
        for (const char *c = text; *c; c++) {
            if (*c == '"') *p++ = '"';
            *p++ = *c;
        }
        *p++ = '"';
    }
    *p++ = ',';
    w->n = (size_t)(p - w->buf);
}

static void put_LOCATION(row *w, int location)
{
    put_TEXT(w, location == 0 ? "LOCAL" : "SERVER");
}

#define PUT_COLUMN(column, field, kind, unit, meaning) put_##kind(&w, r->field);

/* The writer of one table's rows: every column of COLUMNS (schema.h) in order. */
#define ROW_WRITER(name, record, COLUMNS)                                                          \
    void name(FILE *f, const record *r)                                                            \
    {                                                                                              \
        if (!f) return;                                                                            \
        row w;                                                                                     \
        w.f = f;                                                                                   \
        w.n = 0;                                                                                   \
        COLUMNS(PUT_COLUMN)                                                                        \
        row_end(&w);                                                                               \
    }

ROW_WRITER(et_trace_task_row, et_task_record, ET_TASK_COLUMNS)
ROW_WRITER(et_trace_channel_row, et_channel_record, ET_CHANNEL_COLUMNS)
ROW_WRITER(et_trace_activity_row, et_activity_record, ET_ACTIVITY_COLUMNS)

static void write_task_row(void *ctx, const et_task_record *r)
{
    et_trace_task_row(((et_outputs *)ctx)->tasks, r);
}

static void write_channel_row(void *ctx, const et_channel_record *r)
{
    et_trace_channel_row(((et_outputs *)ctx)->channel, r);
}

static void write_activity_row(void *ctx, const et_activity_record *r)
{
    et_trace_activity_row(((et_outputs *)ctx)->activity, r);
}

et_record_sinks et_outputs_sinks(et_outputs *out)
{
    et_record_sinks s = {NULL, NULL, NULL, out};
    if (out && out->tasks) s.task = write_task_row;
    if (out && out->channel) s.channel = write_channel_row;
    if (out && out->activity) s.activity = write_activity_row;
    return s;
}
