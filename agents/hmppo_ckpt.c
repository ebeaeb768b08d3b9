/* hmppo_ckpt.c: HMPPO checkpoints: save and load, bit-identical resume (format in
 * docs/hmppo.md section 3). */
#define _POSIX_C_SOURCE 200809L /* fileno, fsync */
#include "hmppo_internal.h"
#include "readfile.h"
#include "trace.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------------------------------------ */
/* Checkpoints (format in docs/hmppo.md)                                                      */
/* ------------------------------------------------------------------------------------------ */

static const char CKPT_MAGIC[8] = {'E', 'T', 'H', 'M', 'P', 'P', 'O', '\0'};
/* 2: k_max; 3: kernel; 4: keep_deadzone; 5: critic_own_obs; 6: ent_loc_end, value_norm_per_ue
 * and the per-UE value normalisers */
#define CKPT_VERSION 6u
#define CKPT_PREFIX 20 /* magic, version, total size */
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

/* Writes little-endian fields to f (or only counts them when f is NULL) and hashes them with
 * FNV-1a 64 (Fowler, Noll, Vo). */
typedef struct ckpt_writer {
    FILE *f;
    uint64_t hash, size;
    int failed;
    int counting; /* the sizing pass: sizes only, no bytes made (a load sizes a hostile config
                   * in constant time per array, not per element) */
} ckpt_writer;

static uint64_t fnv1a(uint64_t hash, const unsigned char *p, size_t n)
{
    for (size_t k = 0; k < n; k++)
        hash = (hash ^ p[k]) * FNV_PRIME;
    return hash;
}

/* p == NULL only counts (the sizing pass has no blob to hash). */
static void put_bytes(ckpt_writer *w, const void *p, size_t n)
{
    w->size += n;
    if (!p) return;
    w->hash = fnv1a(w->hash, p, n);
    if (w->f && !w->failed && n > 0 && fwrite(p, 1, n, w->f) != n) w->failed = 1;
}

static void put_u64(ckpt_writer *w, uint64_t v)
{
    unsigned char b[8];
    for (int k = 0; k < 8; k++)
        b[k] = (unsigned char)(v >> (8 * k));
    put_bytes(w, b, 8);
}

static void put_u32(ckpt_writer *w, uint32_t v)
{
    unsigned char b[4];
    for (int k = 0; k < 4; k++)
        b[k] = (unsigned char)(v >> (8 * k));
    put_bytes(w, b, 4);
}

static void put_i32(ckpt_writer *w, int v)
{
    put_u32(w, (uint32_t)v);
}

static void put_f32(ckpt_writer *w, float v)
{
    uint32_t u;
    memcpy(&u, &v, 4);
    put_u32(w, u);
}

static void put_f64(ckpt_writer *w, double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    put_u64(w, u);
}

/* n floats, encoded through a stack buffer so fwrite sees large pieces. */
static void put_f32s(ckpt_writer *w, const float *x, size_t n)
{
    if (w->counting) {
        w->size += 4 * (uint64_t)n;
        return;
    }
    unsigned char buf[1024];
    size_t used = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t u;
        memcpy(&u, &x[k], 4);
        for (int b = 0; b < 4; b++)
            buf[used++] = (unsigned char)(u >> (8 * b));
        if (used == sizeof buf) {
            put_bytes(w, buf, used);
            used = 0;
        }
    }
    put_bytes(w, buf, used);
}

static void put_rng(ckpt_writer *w, const et_rng *r)
{
    for (int k = 0; k < 4; k++)
        put_u64(w, r->s[k]);
    put_i32(w, r->has_spare_normal);
    put_f64(w, r->spare_normal);
}

typedef struct ckpt_reader {
    const unsigned char *p;
    size_t size, pos;
} ckpt_reader;

/* Callers have checked the whole file's size first; past the end reads give zeros. */
static void get_bytes(ckpt_reader *r, void *out, size_t n)
{
    if (r->pos + n > r->size) {
        memset(out, 0, n);
        r->pos = r->size;
        return;
    }
    memcpy(out, r->p + r->pos, n);
    r->pos += n;
}

static uint64_t get_u64(ckpt_reader *r)
{
    unsigned char b[8];
    get_bytes(r, b, 8);
    uint64_t v = 0;
    for (int k = 7; k >= 0; k--)
        v = (v << 8) | b[k];
    return v;
}

static uint32_t get_u32(ckpt_reader *r)
{
    unsigned char b[4];
    get_bytes(r, b, 4);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static int get_i32(ckpt_reader *r)
{
    return (int)(int32_t)get_u32(r);
}

static float get_f32(ckpt_reader *r)
{
    uint32_t u = get_u32(r);
    float v;
    memcpy(&v, &u, 4);
    return v;
}

static double get_f64(ckpt_reader *r)
{
    uint64_t u = get_u64(r);
    double v;
    memcpy(&v, &u, 8);
    return v;
}

static void get_f32s(ckpt_reader *r, float *x, size_t n)
{
    for (size_t k = 0; k < n; k++)
        x[k] = get_f32(r);
}

static void get_rng(ckpt_reader *r, et_rng *g)
{
    for (int k = 0; k < 4; k++)
        g->s[k] = get_u64(r);
    g->has_spare_normal = get_i32(r);
    g->spare_normal = get_f64(r);
}

/* The config in the file, field by field: X(field, codec), in file order (docs/hmppo.md lists
 * the offsets). New fields go at the end, with a new format version. One table for the writer
 * and the reader, so that the two cannot disagree. */
#define CKPT_CONFIG(X)                                                                             \
    X(variant, variant)                                                                            \
    X(hidden, i32)                                                                                 \
    X(lr_actor, f32)                                                                               \
    X(lr_critic, f32)                                                                              \
    X(lr_anneal, i32)                                                                              \
    X(gamma, f32)                                                                                  \
    X(lambda, f32)                                                                                 \
    X(time_scale_s, f32)                                                                           \
    X(clip, f32)                                                                                   \
    X(value_clip, f32)                                                                             \
    X(ent_loc, f32)                                                                                \
    X(ent_keep, f32)                                                                               \
    X(vf_coef, f32)                                                                                \
    X(max_grad_norm, f32)                                                                          \
    X(epochs, i32)                                                                                 \
    X(minibatches, i32)                                                                            \
    X(value_norm, i32)                                                                             \
    X(share_actor, i32)                                                                            \
    X(keep_bins, i32)                                                                              \
    X(k_min, f32)                                                                                  \
    X(k_max, f32)                                                                                  \
    X(n_ue, i32)                                                                                   \
    X(obs_dim, i32)                                                                                \
    X(state_dim, i32)                                                                              \
    X(capacity, i32)                                                                               \
    X(seed, u64)                                                                                   \
    X(keep_head, i32)                                                                              \
    X(adam_eps, f32)                                                                               \
    X(kernel, i32)                                                                                 \
    X(keep_deadzone, f32)                                                                          \
    X(critic_own_obs, i32)                                                                         \
    X(ent_loc_end, f32)                                                                            \
    X(value_norm_per_ue, i32)

static void put_variant(ckpt_writer *w, et_hmppo_variant v)
{
    put_i32(w, (int)v);
}

static et_hmppo_variant get_variant(ckpt_reader *r)
{
    return (et_hmppo_variant)get_i32(r);
}

static void put_config(ckpt_writer *w, const et_hmppo_config *c)
{
#define PUT_CONFIG_FIELD(field, codec) put_##codec(w, c->field);
    CKPT_CONFIG(PUT_CONFIG_FIELD)
#undef PUT_CONFIG_FIELD
}

static void get_config(ckpt_reader *r, et_hmppo_config *c)
{
    memset(c, 0, sizeof *c);
#define GET_CONFIG_FIELD(field, codec) c->field = get_##codec(r);
    CKPT_CONFIG(GET_CONFIG_FIELD)
#undef GET_CONFIG_FIELD
}

static void put_net(ckpt_writer *w, et_mlp *net, et_adam *opt)
{
    size_t n = et_mlp_param_count(net);
    put_u64(w, (uint64_t)n);
    put_f32s(w, et_mlp_params(net), n);
    put_u64(w, (uint64_t)et_adam_step_count(opt));
    put_f32(w, et_adam_lr(opt));
    put_f32s(w, et_adam_m(opt), n);
    put_f32s(w, et_adam_v(opt), n);
}

/* Everything but the trailing checksum. total_size is the size field (0 in the counting pass). */
static void put_state(ckpt_writer *w, const hmppo *h, uint64_t total_size, const void *blob,
                      size_t blob_size)
{
    put_bytes(w, CKPT_MAGIC, sizeof CKPT_MAGIC);
    put_u32(w, CKPT_VERSION);
    put_u64(w, total_size);
    put_config(w, &h->cfg);
    put_u64(w, (uint64_t)blob_size);
    put_net(w, h->critic, h->critic_opt);
    for (int a = 0; a < h->n_actors; a++)
        put_net(w, h->actor[a], h->actor_opt[a]);
    put_f64(w, h->vn_mean);
    put_f64(w, h->vn_mean_sq);
    put_f64(w, h->vn_debias);
    for (int k = 0; k < 3 * h->cfg.n_ue; k++)
        put_f64(w, h->vn_ue[k]);
    put_i32(w, h->training);
    put_rng(w, &h->shuffle_rng);
    for (int u = 0; u < h->cfg.n_ue; u++)
        put_rng(w, &h->policy_rng[u]);
    if (blob_size > 0) put_bytes(w, blob, blob_size);
}

/* Size of the file put_state + checksum writes. */
static uint64_t ckpt_size(const hmppo *h, size_t blob_size)
{
    ckpt_writer w = {.f = NULL, .hash = FNV_OFFSET, .counting = 1};
    put_state(&w, h, 0, NULL, blob_size);
    return w.size + 8;
}

et_status et_hmppo_save(const et_agent *agent, const char *path, const void *blob, size_t blob_size,
                        et_error *err)
{
    hmppo *h = et_hmppo_impl(agent);
    if (!h || !path) return et_error_set(err, ET_ERR_INTERNAL, "et_hmppo_save: bad arguments");
    if (blob_size > 0 && !blob)
        return et_error_set(err, ET_ERR_INTERNAL, "et_hmppo_save: blob is NULL");
    /* Transitions are not part of the state: a checkpoint with complete trajectories waiting
     * would resume into a different run. */
    if (h->n_complete > 0)
        return et_error_set(err, ET_ERR_INTERNAL,
                            "%s: %d transitions wait for an update; save after et_hmppo_update",
                            path, h->n_complete);
    char tmp[4096];
    if (strlen(path) + 40 > sizeof tmp)
        return et_error_set(err, ET_ERR_INPUT, "%.200s...: path longer than %zu characters", path,
                            sizeof tmp - 40);
    /* A name of this process's own: two processes saving beside each other never share it. */
    et_outputs_tmp_name(path, tmp, sizeof tmp);

    FILE *f = et_outputs_create(tmp);
    if (!f) return et_error_set(err, ET_ERR_IO, "%s: cannot create: %s", tmp, strerror(errno));
    ckpt_writer w = {.f = f, .hash = FNV_OFFSET};
    put_state(&w, h, ckpt_size(h, blob_size), blob, blob_size);
    uint64_t sum = w.hash;
    put_u64(&w, sum);
    /* Data on disk before the rename makes it visible (a crash leaves the old file or the new). */
    int bad = w.failed || fflush(f) != 0 || fsync(fileno(f)) != 0;
    int saved_errno = errno;
    if (fclose(f) != 0) bad = 1;
    if (bad) {
        remove(tmp);
        return et_error_set(err, ET_ERR_IO, "%s: write failed: %s", tmp, strerror(saved_errno));
    }
    if (rename(tmp, path) != 0) {
        saved_errno = errno;
        remove(tmp);
        return et_error_set(err, ET_ERR_IO, "%s: cannot rename to %s: %s", tmp, path,
                            strerror(saved_errno));
    }
    return ET_OK;
}

/* Index of the first of x[0 .. n) that is not finite (or negative when nonnegative), or n. */
static size_t first_bad(const float *x, size_t n, int nonnegative)
{
    for (size_t k = 0; k < n; k++)
        if (!isfinite(x[k]) || (nonnegative && x[k] < 0)) return k;
    return n;
}

/* Reads the whole file into *data (malloc'd, caller frees). */
static et_status read_file(const char *path, unsigned char **data, size_t *size, et_error *err)
{
    /* A regular file of at most the largest learner's size (readfile.h): a FIFO or a device
     * named by mistake is refused, not waited on or read until the memory runs out. */
    char *text = NULL;
    et_status st = et_read_input(path, "checkpoint", (size_t)ET_HMPPO_MAX_BYTES, &text, size, err);
    *data = (unsigned char *)text;
    return st;
}

et_status et_hmppo_load(const char *path, et_agent **out, void *blob, size_t blob_size,
                        et_error *err)
{
    if (!out) return et_error_set(err, ET_ERR_INTERNAL, "et_hmppo_load: out is NULL");
    *out = NULL;
    if (!path) return et_error_set(err, ET_ERR_INTERNAL, "et_hmppo_load: path is NULL");
    unsigned char *data;
    size_t size;
    et_status st = read_file(path, &data, &size, err);
    if (st != ET_OK) return st;

    ckpt_reader r = {.p = data, .size = size, .pos = 0};
    size_t head = size < sizeof CKPT_MAGIC ? size : sizeof CKPT_MAGIC;
    et_agent *agent = NULL;
    if (memcmp(data, CKPT_MAGIC, head) != 0 || size == 0) {
        st = et_error_set(err, ET_ERR_INPUT, "%s: not an edgetune checkpoint (bad magic)", path);
        goto done;
    }
    if (size < CKPT_PREFIX + 8) {
        st = et_error_set(err, ET_ERR_INPUT, "%s: truncated (expected at least %d bytes, got %zu)",
                          path, CKPT_PREFIX + 8, size);
        goto done;
    }
    r.pos = sizeof CKPT_MAGIC;
    uint32_t version = get_u32(&r);
    if (version != CKPT_VERSION) {
        st = et_error_set(err, ET_ERR_INPUT, "%s: format version %u, this build reads %u", path,
                          version, CKPT_VERSION);
        goto done;
    }
    uint64_t total = get_u64(&r);
    if (total != size) {
        st = et_error_set(err, ET_ERR_INPUT, "%s: %s (expected %llu bytes, got %zu)", path,
                          total > size ? "truncated" : "trailing data", (unsigned long long)total,
                          size);
        goto done;
    }
    uint64_t computed = fnv1a(FNV_OFFSET, data, size - 8);
    ckpt_reader tail = {.p = data, .size = size, .pos = size - 8};
    uint64_t stored = get_u64(&tail);
    if (computed != stored) {
        st = et_error_set(err, ET_ERR_INPUT,
                          "%s: checksum mismatch (stored %016llx, computed %016llx)", path,
                          (unsigned long long)stored, (unsigned long long)computed);
        goto done;
    }

    et_hmppo_config cfg;
    get_config(&r, &cfg);
    uint64_t stored_blob = get_u64(&r);
    if (blob && stored_blob != (uint64_t)blob_size) {
        st = et_error_set(err, ET_ERR_INPUT,
                          "%s: holds a caller blob of %llu bytes, the caller expects %zu", path,
                          (unsigned long long)stored_blob, blob_size);
        goto done;
    }
    st = et_hmppo_create_from(&cfg, path, 0, &agent, err); /* parameters from the file */
    if (st != ET_OK) goto done;
    hmppo *h = agent->impl;
    if (stored_blob > size || ckpt_size(h, (size_t)stored_blob) != total) {
        st = et_error_set(err, ET_ERR_INPUT, "%s: sizes inconsistent with the stored config", path);
        goto done;
    }
    for (int k = 0; k <= h->n_actors; k++) {
        et_mlp *net = k == 0 ? h->critic : h->actor[k - 1];
        et_adam *opt = k == 0 ? h->critic_opt : h->actor_opt[k - 1];
        size_t n = et_mlp_param_count(net);
        uint64_t count = get_u64(&r);
        if (count != (uint64_t)n) {
            st = et_error_set(err, ET_ERR_INPUT, "%s: network %d has %llu parameters, expected %zu",
                              path, k, (unsigned long long)count, n);
            goto done;
        }
        get_f32s(&r, et_mlp_params(net), n);
        int64_t steps = (int64_t)get_u64(&r);
        float lr = get_f32(&r);
        get_f32s(&r, et_adam_m(opt), n);
        get_f32s(&r, et_adam_v(opt), n);
        if (steps < 0 || !(lr >= 0.0f) || !isfinite(lr)) {
            st = et_error_set(err, ET_ERR_INPUT, "%s: network %d: bad optimizer state", path, k);
            goto done;
        }
        /* A NaN or infinite weight would load and fail later, far from the file. */
        const struct {
            const char *what;
            const float *x;
            int nonnegative;
        } arrays[3] = {{"parameter", et_mlp_params(net), 0},
                       {"Adam first moment", et_adam_m(opt), 0},
                       {"Adam second moment", et_adam_v(opt), 1}};
        for (int a = 0; a < 3; a++) {
            size_t at = first_bad(arrays[a].x, n, arrays[a].nonnegative);
            if (at == n) continue;
            st = et_error_set(err, ET_ERR_INPUT,
                              "%s: network %d: %s %zu is %g (expected a finite number%s)", path, k,
                              arrays[a].what, at, (double)arrays[a].x[at],
                              arrays[a].nonnegative ? " >= 0" : "");
            goto done;
        }
        et_adam_set_step_count(opt, steps);
        et_adam_set_lr(opt, lr);
    }
    h->vn_mean = get_f64(&r);
    h->vn_mean_sq = get_f64(&r);
    h->vn_debias = get_f64(&r);
    if (!isfinite(h->vn_mean) || !(h->vn_mean_sq >= 0) || !isfinite(h->vn_mean_sq) ||
        !(h->vn_debias >= 0 && h->vn_debias <= 1)) {
        st = et_error_set(err, ET_ERR_INPUT,
                          "%s: the value normaliser (mean %g, mean square %g, debias %g) is out of "
                          "range (expected finite, a mean square >= 0, a debias in [0, 1])",
                          path, h->vn_mean, h->vn_mean_sq, h->vn_debias);
        goto done;
    }
    for (int k = 0; k < 3 * cfg.n_ue; k++)
        h->vn_ue[k] = get_f64(&r);
    h->training = get_i32(&r) != 0;
    get_rng(&r, &h->shuffle_rng);
    for (int u = 0; u < cfg.n_ue; u++)
        get_rng(&r, &h->policy_rng[u]);
    if (blob && blob_size > 0) get_bytes(&r, blob, blob_size);

done:
    free(data);
    if (st != ET_OK) {
        et_hmppo_destroy(agent);
        return st;
    }
    *out = agent;
    return ET_OK;
}
