/* schema.h: the columns of the CSV outputs, declared once.
 *
 * One X-macro row per column, in file order:
 *
 *   X(column, field, kind, unit, meaning)
 *     column   the header's name for it
 *     field    the member of the record struct (trace.h) that holds the value
 *     kind     how it is stored and printed: ET_COL_<kind>_T is its C type
 *              INT       an int, printed in decimal
 *              NUM       a double, printed as printf's %.9g; NaN is an empty field
 *              EXACT     a double, printed as printf's %.17g (every bit kept)
 *              FIX3      a double with three decimals (fixed); NaN is an empty field
 *              FIX0      a double rounded to a whole number; NaN is an empty field
 *              FLAG      an int: 1 or 0, and an empty field for -1
 *              TEXT      a string, CSV-quoted (RFC 4180) when it holds a comma, a quote or a
 *                        line break; NULL is an empty field
 *              LOCATION  an int et_location, printed LOCAL or SERVER
 *              CHAR      a char, printed as it is
 *     unit     the unit, "" for none (docs/traces.md's "Units")
 *     meaning  the sentence docs/traces.md prints for it
 *
 * From each table come the record's struct (trace.h), the header line, the row writer
 * (trace.c) and docs/traces.md's column table (`edgetune keys --schema FILE`, checked by
 * tests/docs_in_sync.sh). A new column is one row at the end of its table (the existing
 * columns keep their positions) and the value set where the engine fills the record. */
#ifndef ET_SCHEMA_H
#define ET_SCHEMA_H

#define ET_COL_INT_T int
#define ET_COL_NUM_T double
#define ET_COL_EXACT_T double
#define ET_COL_FIX3_T double
#define ET_COL_FIX0_T double
#define ET_COL_FLAG_T int
#define ET_COL_TEXT_T const char *
#define ET_COL_LOCATION_T int
#define ET_COL_CHAR_T char

/* A record struct's member for one row. */
#define ET_COL_MEMBER(column, field, kind, unit, meaning) ET_COL_##kind##_T field;

/* tasks.csv: one row per task. */
#define ET_TASK_COLUMNS(X)                                                                         \
    X(episode, episode, INT, "", "episode index (0 for `run`)")                                    \
    X(ue, ue, INT, "", "UE index: UE hosts sorted by name")                                        \
    X(ue_name, ue_name, TEXT, "",                                                                  \
      "the UE's host name in the platform (CSV-quoted, RFC 4180, if it holds a comma or a quote)") \
    X(task, task, INT, "", "0-based index in the UE's queue")                                      \
    X(start_s, start_s, NUM, "s", "when the task started (its load query, then the decision)")     \
    X(end_s, end_s, NUM, "s", "when its last transfer completed")                                  \
    X(location, location, LOCATION, "", "`LOCAL` (tuned on the UE) or `SERVER` (offloaded)")       \
    X(keep, keep, NUM, "",                                                                         \
      "emulator keep fraction chosen, clipped to `[tuning.k_min, tuning.k_max]`; `SERVER` rows: "  \
      "the policy's keep, recorded but unused (the server tunes the full model, `b` is 0)")        \
    X(b, b, INT, "blocks",                                                                         \
      "emulator middle blocks the task needed on the UE (`LOCAL`: `round(keep * M)` within the "   \
      "allowed range; `SERVER` on the full model: 0)")                                             \
    X(tokens, tokens, NUM, "", "the task's data set size")                                         \
    X(epochs, epochs, NUM, "", "the task's epochs")                                                \
    X(bytes_up, bytes_up, NUM, "bytes",                                                            \
      "everything the UE sent for this task (requests, data set or tuned result), counted for "    \
      "the task that moved it")                                                                    \
    X(bytes_down, bytes_down, NUM, "bytes",                                                        \
      "everything the UE received for this task (emulator, adapter, tuned result or completion "   \
      "notice)")                                                                                   \
    X(compute_s, compute_s, NUM, "s",                                                              \
      "duration of the tuning execution, on the UE or on the server (shared cores stretch it)")    \
    X(delay_s, delay_s, NUM, "s", "`end_s - start_s`, as the engine's clock says")                 \
    X(ppl, ppl, NUM, "",                                                                           \
      "task perplexity: the plug-in perplexity reached after tuning on the task's data "           \
      "(`docs/models.md` section 9) times the task's difficulty; a failed task: the untuned "      \
      "model's perplexity times the difficulty")                                                   \
    X(exposure, exposure, NUM, "",                                                                 \
      "privacy exposure, `sensitivity * data bytes / reward.bytes_ref` for `SERVER` (also when "   \
      "the server refused or dropped the job: the data went up), 0 for `LOCAL`")                   \
    X(reward, reward, NUM, "", "per-task reward (docs/configuration.md, `reward.*`)")              \
    X(failure, failure, TEXT, "",                                                                  \
      "empty (ran in time), `memory` (LOCAL did not fit the UE), `server-memory` (the job can "    \
      "never fit a server accelerator), or `deadline` (not done by its deadline: dropped from "     \
      "the server's queue, or finished late); every failure is charged as `docs/simulation.md` "   \
      "\"Deadlines\" says")                                                                        \
    X(device_class, device_class, TEXT, "",                                                        \
      "the UE's `class` host property (phone, tablet, laptop, jetson, ...)")                       \
    X(download_s, download_s, NUM, "s",                                                            \
      "emulator (and first adapter) download: request up, emulator down; 0 when the cached "       \
      "emulator is reused")                                                                        \
    X(upload_s, upload_s, NUM, "s",                                                                \
      "SERVER: the request with the data set; LOCAL: the tuned result (LoRA deltas or adapter)")  \
    X(result_s, result_s, NUM, "s",                                                                \
      "SERVER: the tuned result (or completion notice) coming back; 0 for LOCAL")                  \
    X(query_s, query_s, NUM, "s",                                                                  \
      "the load query before the decision (`server.load_info: query`): request up, the "           \
      "server's state down; 0 with `reply`")                                                      \
    X(wait_s, wait_s, NUM, "s",                                                                    \
      "SERVER: time queued at the server until an accelerator had the memory for the job "         \
      "(`docs/simulation.md`, \"The server\")")                                                    \
    X(deadline_s, deadline_s, NUM, "s",                                                            \
      "the task's deadline after its start (`tasks.deadline_factor` x best case, or "              \
      "`tasks.deadline_s`); 0 when none")                                                          \
    X(handovers, handovers, INT, "",                                                               \
      "the UE's handovers between the task's start and end (`channel.handover`, "                  \
      "`docs/channel.md` section 8); 0 with handover off. Counted are those at grid times after "  \
      "the task's start and up to its end (one between two tasks counts for neither)")             \
    X(cell, cell, TEXT, "",                                                                        \
      "the UE's serving cell when the task was decided: the name of its AP host (`role=ap`), or "  \
      "`cell`, the implicit cell of a platform without AP hosts; CSV-quoted if needed")            \
    X(server, server, TEXT, "",                                                                    \
      "`SERVER`: the server host the job was sent to (the one that ran it, or refused or dropped " \
      "it); empty for `LOCAL`")                                                                    \
    X(radio, radio, TEXT, "",                                                                      \
      "the UE's radio, its cell's (`docs/platforms.md` section 8): `cellular` (its own links, a "  \
      "share of the cell's carrier) or `wifi` (a station of the cell's WIFI link)")

/* channel.csv: one row per traced UE per traced channel update. */
#define ET_CHANNEL_COLUMNS(X)                                                                      \
    X(episode, episode, INT, "", "episode index")                                                  \
    X(time_s, time_s, FIX3, "s", "update instant (a multiple of `channel.update_interval_s`)")     \
    X(ue, ue, INT, "", "UE index")                                                                 \
    X(x_m, x_m, FIX3, "m",                                                                         \
      "position, in the platform's frame (see \"Frames\" above: the access point at the origin "   \
      "of a single-cell platform; the shared frame of the AP hosts' `x_m`, `y_m` on a "            \
      "multi-cell one)")                                                                           \
    X(y_m, y_m, FIX3, "m", "position, the other coordinate of the same frame")                     \
    X(distance_m, distance_m, FIX3, "m",                                                           \
      "distance to the UE's serving access point (on the ground, `d_2D`)")                         \
    X(snr_up_db, snr_up_db, FIX3, "dB",                                                            \
      "mean uplink SNR (path loss and shadowing, before fading); empty with "                      \
      "`channel.enabled: false`")                                                                  \
    X(snr_down_db, snr_down_db, FIX3, "dB", "mean downlink SNR, as `snr_up_db`")                   \
    X(rate_up_bps, rate_up_bps, FIX0, "bit/s",                                                     \
      "the uplink rate the UE gets, or would get if it started a transfer now (its share of the "  \
      "cell's carrier; Wi-Fi: the station's MCS rate)")                                            \
    X(rate_down_bps, rate_down_bps, FIX0, "bit/s", "the downlink rate, as `rate_up_bps`")          \
    X(los, los, FLAG, "",                                                                          \
      "the serving link's LOS state at this step, the one its path loss and shadowing used "       \
      "(`docs/channel.md` section 1.0.2): `1` LOS, `0` NLOS; empty where there is no state: a "    \
      "`tr36814` cell, `channel.los: mean`, `channel.enabled: false` (`channel.los: los` or "      \
      "`nlos` write `1` or `0` throughout)")                                                       \
    X(cell, cell, TEXT, "",                                                                        \
      "the serving cell: the name of its AP host (`role=ap`, `docs/platforms.md` section 3), or "  \
      "`cell`, the implicit cell of a platform without AP hosts; CSV-quoted (RFC 4180) if the "    \
      "name holds a comma or a quote")                                                             \
    X(ue_name, ue_name, TEXT, "", "the UE's host name (as in `tasks.csv`); CSV-quoted if needed")  \
    X(class, device_class, TEXT, "", "the UE's device class (`device_class` in `tasks.csv`)")      \
    X(radio, radio, TEXT, "",                                                                      \
      "the UE's radio, its serving cell's: `cellular` or `wifi` (as in `tasks.csv`)")

/* activities.csv: one row per engine activity edgetune starts (output.activity_log). */
#define ET_ACTIVITY_COLUMNS(X)                                                                     \
    X(time_s, time_s, EXACT, "s", "absolute engine time (not relative to the episode)")            \
    X(ue, ue, INT, "", "UE index (its links, and its server)")                                     \
    X(kind, kind, CHAR, "",                                                                        \
      "`C` comm start, `X` execution start, `B` new rate of a busy link, `W` Wi-Fi comm "          \
      "cancelled for a level change, `H` comm cancelled by a handover (its bytes continue in a "    \
      "new comm after the interruption)")                                                          \
    X(dir, dir, INT, "",                                                                           \
      "`C`, `B`, `W`, `H`: 0 up (UE to server), 1 down; `X`: 0 on the UE, 1 on the server")       \
    X(amount, amount, EXACT, "bytes or FLOPs",                                                     \
      "`C`: bytes; `X`: FLOPs; `W`, `H`: bytes left; `B`: 0")                                      \
    X(peak_bps, peak_bps, EXACT, "bit/s",                                                          \
      "`C`: the rate the link is raised to before the comm starts; -1 when not raised (static "    \
      "links, Wi-Fi)")                                                                             \
    X(rate_bps, rate_bps, EXACT, "bit/s",                                                          \
      "`C`: the rate set right after the start; `B`: the new rate; -1 otherwise")

/* The header line of a table: ET_TASK_COLUMNS(ET_COL_HEADER) is ",episode,ue,...,server"
 * (et_trace_header skips the first comma). */
#define ET_COL_HEADER(column, field, kind, unit, meaning) "," #column

#endif
