#!/usr/bin/env bash
# cross_kernel.sh EDGETUNE: learned results do not depend on the BLAS kernel
# the CPU selects. OpenBLAS picks its kernels per CPU at load time
# (OPENBLAS_CORETYPE forces a family); the learners' default portable
# kernels sum in a fixed order, so a short training run under two kernel
# families must give the same checkpoint bytes and the same log, and so
# must runs whose portable kernels are held to narrower vectors. The same
# comparison with hmppo.kernel "openblas" is printed, not asserted: whether
# two OpenBLAS families round alike is OpenBLAS's business.
set -u
bin=$(realpath "$1")
src=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tests/lib.sh
. "$src/tests/lib.sh"
in_scratch

# Two kernel families this CPU can run (a family above the CPU's ISA would
# crash OpenBLAS): AVX-512 -> SkylakeX and Haswell, AVX2 -> Haswell and
# Sandybridge, AVX -> Sandybridge and Nehalem, else Core2 and Prescott.
flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null)
case " $flags " in
    *" avx512f "*) types="SkylakeX Haswell" ;;
    *" avx2 "*) types="Haswell Sandybridge" ;;
    *" avx "*) types="Sandybridge Nehalem" ;;
    *) types="Core2 Prescott" ;;
esac
set -- $types
echo "kernel families: $1, $2"

for kernel in portable openblas; do
    cat >"s-$kernel.json" <<JSON
{ "tasks": { "per_ue": 5 }, "hmppo": { "kernel": "$kernel" } }
JSON
    for t in "$1" "$2"; do
        OPENBLAS_CORETYPE=$t OPENBLAS_NUM_THREADS=1 "$bin" train "s-$kernel.json" --episodes 6 \
            --out "run-$kernel-$t" -q || bad "train_${kernel}_$t"
    done
done
if cmp -s "run-portable-$1/checkpoint.ckpt" "run-portable-$2/checkpoint.ckpt" &&
    same_log "run-portable-$1/train.csv" "run-portable-$2/train.csv"; then
    ok portable_training_is_identical_under_two_kernel_families
else
    bad portable_training_is_identical_under_two_kernel_families
fi
# The portable kernels run on the widest vectors the CPU has (nn.h: 16 floats with AVX-512F, 8
# with AVX2, else SSE2's 4); ET_NN_LANES caps the width, so this CPU can stand in for narrower
# ones. Every width must train the same bytes.
for lanes in 4 8; do
    ET_NN_LANES=$lanes OPENBLAS_NUM_THREADS=1 "$bin" train s-portable.json --episodes 6 \
        --out "run-portable-lanes$lanes" -q || bad "train_portable_lanes$lanes"
    if cmp -s "run-portable-$1/checkpoint.ckpt" "run-portable-lanes$lanes/checkpoint.ckpt" &&
        same_log "run-portable-$1/train.csv" "run-portable-lanes$lanes/train.csv"; then
        ok "portable_training_is_identical_with_vectors_of_at_most_${lanes}_floats"
    else
        bad "portable_training_is_identical_with_vectors_of_at_most_${lanes}_floats"
    fi
done
if cmp -s "run-openblas-$1/checkpoint.ckpt" "run-openblas-$2/checkpoint.ckpt"; then
    echo "note: with hmppo.kernel openblas the two families also gave identical checkpoints"
else
    echo "note: with hmppo.kernel openblas the two families gave different checkpoints"
fi
finish
