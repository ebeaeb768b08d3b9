/* fuzz_common.h: what the libFuzzer harnesses share. edgetune's loaders read files, so
 * each input is written to one scratch file per process (removed at exit) and the loader
 * is handed its path. README.md in this folder says how to run them. */
#ifndef ET_FUZZ_COMMON_H
#define ET_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char fuzz_path[64];

static void fuzz_remove_scratch(void)
{
    if (fuzz_path[0]) unlink(fuzz_path);
}

/* Writes data to this process's scratch file (suffix: its extension) and returns its path. */
static const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix)
{
    if (!fuzz_path[0]) {
        snprintf(fuzz_path, sizeof fuzz_path, "/tmp/edgetune-fuzz-%ld%s", (long)getpid(), suffix);
        atexit(fuzz_remove_scratch);
    }
    FILE *f = fopen(fuzz_path, "wb");
    if (!f) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    if (fclose(f) != 0) abort();
    return fuzz_path;
}

#endif
