/* trace.h: output files of a run: task trace, channel trace, summary.
 *
 * Nothing is written that was not asked for, and nothing half-written is
 * left behind: files are written as .<name>.<pid>.tmp in the output directory
 * (a name no other process uses) and renamed into place together by
 * et_outputs_commit() (all of a run's files or none); et_outputs_abort()
 * removes them. While they are open the output directory is locked
 * (et_outputs_lock_dir): a second process writing into it is refused instead
 * of mixing its files with the first one's.
 * Schemas are documented in docs/traces.md. Numbers are printed with fixed
 * formats so that the same seed gives byte-identical files. */
#ifndef ET_TRACE_H
#define ET_TRACE_H

#include <stdio.h>

#include "edgetune_export.h"
#include "schema.h"
#include "status.h"

ET_API_BEGIN

/* One completed (or failed) task: one row of tasks.csv. Its members are the columns of
 * ET_TASK_COLUMNS (schema.h), in file order; times are simulated, from the episode start. The
 * delay is the sum of the phases query_s, download_s, upload_s, wait_s, compute_s and
 * result_s (docs/traces.md). failure: "" when it ran in time; "memory" (LOCAL did not fit the
 * UE), "server-memory" (the job can never fit an accelerator), "deadline" (not done by its
 * deadline). */
typedef struct et_task_record {
    ET_TASK_COLUMNS(ET_COL_MEMBER)
} et_task_record;

/* One channel update of one UE: one row of channel.csv (ET_CHANNEL_COLUMNS). The rates are
 * those applied to the links; los is 1 LOS, 0 NLOS, -1 none (an empty field). */
typedef struct et_channel_record {
    ET_CHANNEL_COLUMNS(ET_COL_MEMBER)
} et_channel_record;

/* One engine activity edgetune starts: one row of activities.csv (ET_ACTIVITY_COLUMNS). */
typedef struct et_activity_record {
    ET_ACTIVITY_COLUMNS(ET_COL_MEMBER)
} et_activity_record;

#define ET_OUTPUT_MAX 8

typedef struct et_outputs {
    char dir[ET_PATH_MAX];
    int n;
    char final_path[ET_OUTPUT_MAX][ET_PATH_MAX + 32];
    char tmp_path[ET_OUTPUT_MAX][ET_PATH_MAX + 56];
    FILE *file[ET_OUTPUT_MAX];
    FILE *tasks;    /* NULL when not written */
    FILE *channel;  /* NULL when not written */
    FILE *activity; /* NULL when not written (et_outputs_add "activities.csv") */
    int lock;       /* et_outputs_lock_dir's token for dir; 0: not locked */
} et_outputs;

/* Locks directory dir (it must exist) for this process, so that two processes never write
 * into one output directory at once: ET_ERR_INPUT naming dir when another process holds it.
 * The lock is the kernel's (flock on the directory itself): nothing is written into dir,
 * and it goes away with the process, however it ends. Taking it removes the temporaries
 * (.<name>.<pid>.tmp) that processes killed outright left there. Re-entrant within a process
 * (a command that locks its directory may open et_outputs there); forked children share it.
 * *token gets what et_outputs_unlock_dir takes. */
et_status et_outputs_lock_dir(const char *dir, int *token, et_error *err);

/* Releases one et_outputs_lock_dir (NULL-safe; *token becomes 0). */
void et_outputs_unlock_dir(int *token);

/* Creates dir (and parents) if needed, locks it (et_outputs_lock_dir) and opens
 * the requested traces as temporaries, writing their CSV headers. */
et_status et_outputs_open(et_outputs *out, const char *dir, int tasks, int channel, et_error *err);

/* Opens one more temporary output file called name (e.g. "train.csv"). */
et_status et_outputs_add(et_outputs *out, const char *name, FILE **file, et_error *err);

/* Registers a file written elsewhere (the Paje trace) under tmp_path, to be renamed to
 * final_path with the others (or removed with them). */
et_status et_outputs_adopt(et_outputs *out, const char *tmp_path, const char *final_path,
                           et_error *err);

/* Bytes written so far to the open temporaries (for limits.output_bytes). */
long long et_outputs_bytes(const et_outputs *out);

/* Writes summary.json (if summary_json is not NULL) as one more temporary, closes every
 * temporary and renames them all into place: all of them or none. The previous files stay
 * until every new one is written; on any failure the temporaries are removed and the
 * previous files are left as they were ("<final name>: cannot write: <errno text>"). The
 * directory's lock is released either way. */
et_status et_outputs_commit(et_outputs *out, const char *summary_json, et_error *err);

/* Closes and deletes the temporaries and releases the directory's lock (NULL-safe,
 * idempotent). */
void et_outputs_abort(et_outputs *out);

/* The rows (trace.c): one line each, formatted without printf (the numbers exactly as
 * printf's formats in schema.h print them), written with one fwrite. NULL f: nothing. */
void et_trace_task_row(FILE *f, const et_task_record *r);
void et_trace_channel_row(FILE *f, const et_channel_record *r);
void et_trace_activity_row(FILE *f, const et_activity_record *r);

/* Where an episode's records go. The engine emits each record to its sink (NULL: nobody
 * wants it) and writes nothing itself; et_outputs_sinks gives the sinks that write an
 * et_outputs' open files. ctx is passed to each. */
typedef struct et_record_sinks {
    void (*task)(void *ctx, const et_task_record *r);
    void (*channel)(void *ctx, const et_channel_record *r);
    void (*activity)(void *ctx, const et_activity_record *r);
    void *ctx;
} et_record_sinks;

/* The sinks that write out's tasks.csv, channel.csv and activities.csv rows: a sink for each
 * file out has open, NULL for the others (all NULL for NULL out). */
et_record_sinks et_outputs_sinks(et_outputs *out);

/* The tables whose columns schema.h declares. */
typedef enum et_trace_table {
    ET_TRACE_TASKS,      /* tasks.csv */
    ET_TRACE_CHANNEL,    /* channel.csv */
    ET_TRACE_ACTIVITIES, /* activities.csv */
} et_trace_table;

/* The header line of table t, with its newline. */
const char *et_trace_header(et_trace_table t);

/* Writes text as one CSV field (RFC 4180): as it is, or in double quotes with inner quotes
 * doubled when it holds a comma, a quote or a line break; then sep (0: nothing). */
void et_csv_field(FILE *f, const char *text, char sep);

/* Writes text to path atomically (a temporary of this process's, then rename). */
et_status et_write_file_atomic(const char *path, const char *text, et_error *err);

/* A temporary name for path, unique to this process: "<dir>/.<base>.<pid>.tmp" (size
 * bytes). */
void et_outputs_tmp_name(const char *path, char *tmp, size_t size);

/* Opens tmp for writing ("w"), refusing anything but a regular file or nothing (a directory
 * or a FIFO of that name). NULL with errno set otherwise. */
FILE *et_outputs_create(const char *tmp);

/* mkdir -p. */
et_status et_mkdirs(const char *dir, et_error *err);

ET_API_END

#endif
