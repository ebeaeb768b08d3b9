#!/usr/bin/env python3
"""hostile_checkpoint.py SRC DST FIELD VALUE: a copy of the training checkpoint SRC with one
field set to VALUE and its checksum made valid again, as a damaged or hostile file would be
(tests/cli/cli_errors.sh, and seeds of tests/fuzz/fuzz_checkpoint.c).

FIELD is a training field of the blob `edgetune train` appends (src/run/train.c: episodes_done,
updates_done, ranks, seed, clock_s), or "weight": the critic's first parameter (a float).
The blob is the file's last 568 bytes before the 8-byte FNV-1a checksum (docs/hmppo.md)."""
import struct
import sys

BLOB_BYTES = 568
FIELDS = {"episodes_done": (8, "<i"), "updates_done": (12, "<i"), "seed": (24, "<Q"),
          "ranks": (48, "<i"), "clock_s": (56, "<d")}


def main(src, dst, field, value):
    data = bytearray(open(src, "rb").read())
    if field == "weight":
        # The caller-blob size (568, u64) comes right after the config, then the critic's
        # parameter count (u64) and its parameters.
        at = data.find(struct.pack("<Q", BLOB_BYTES), 20)
        if at < 0:
            sys.exit("hostile_checkpoint: %s: no training blob" % src)
        struct.pack_into("<f", data, at + 16, float(value))
    else:
        offset, fmt = FIELDS[field]
        number = float(value) if fmt == "<d" else int(value)
        struct.pack_into(fmt, data, len(data) - 8 - BLOB_BYTES + offset, number)
    h = 0xcbf29ce484222325
    for byte in memoryview(data)[:-8]:
        h = ((h ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    struct.pack_into("<Q", data, len(data) - 8, h)
    open(dst, "wb").write(data)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
