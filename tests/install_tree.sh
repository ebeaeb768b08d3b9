#!/usr/bin/env bash
# install_tree.sh BUILD_DIR: cmake --install into a scratch prefix, then
#  1. the installed CLI runs the shipped default scenario from the installed
#     data (the source tree hidden by EDGETUNE_DATA_DIR being unset and the
#     binary finding <prefix>/share/edgetune from its own path);
#  2. examples/own_policy.c, a user policy that edits no project file, builds
#     against the installed library with pkg-config and runs one episode;
#  3. the minimal program, 4. the Python package from the prefix, 5. a CMake project
#     with find_package(edgetune), shared and static.
set -euo pipefail
build=$1
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null

for f in bin/edgetune include/edgetune/sim.h include/edgetune/agent.h \
         share/edgetune/examples/default.json share/edgetune/platforms/edge-6ue.xml; do
    [ -e "$prefix/$f" ] || { echo "install_tree: $prefix/$f missing"; exit 1; }
done
if command -v help2man >/dev/null; then
    [ -e "$prefix/share/man/man1/edgetune.1" ] || { echo "install_tree: man page missing"; exit 1; }
fi
libdir=$(find "$prefix" -name edgetune.pc -printf '%h\n' | head -1)
[ -n "$libdir" ] || { echo "install_tree: edgetune.pc not installed"; exit 1; }
ls "$libdir"/../libedgetune.a "$libdir"/../libedgetune.so >/dev/null

# 1. The installed CLI, run from a folder outside both trees.
cd "$work"
env -u EDGETUNE_DATA_DIR "$prefix/bin/edgetune" run --tasks 2 --out "$work/run" -q >/dev/null
grep -q "\"platform\":[[:space:]]*\"$prefix/bin/../share/edgetune/" "$work/run/summary.json" || {
    echo "install_tree: the installed binary did not use its installed data:"
    grep '"platform"' "$work/run/summary.json"
    exit 1
}

# 2. An out-of-tree program against the installed library.
export PKG_CONFIG_PATH=$libdir
data=$(pkg-config --variable=datadir edgetune)
cc -std=c11 -Wall -Werror "$data/examples/own_policy.c" $(pkg-config --cflags --libs edgetune) \
    -Wl,-rpath,"$libdir/.." -o "$work/own_policy"
out=$("$work/own_policy" "$data/examples/default.json")
echo "$out"
echo "$out" | grep -Eq '^policy size-rule: 300 tasks \([0-9]+ local, [0-9]+ server\), [0-9]+ failed, mean delay [0-9.]+ s, reward -[0-9.]+$'

# 3. The minimal program: one episode with a shipped policy, on the default scenario and on the
#    mobility-trace scenario; an unknown policy is a clear error with exit 2.
cc -std=c11 -Wall -Werror "$data/examples/one_episode.c" $(pkg-config --cflags --libs edgetune) \
    -Wl,-rpath,"$libdir/.." -o "$work/one_episode"
"$work/one_episode" "$data/examples/default.json" greedy | tee "$work/one.txt"
grep -Eq '^greedy: 6 UEs, 300 tasks \([0-9]+ local, [0-9]+ server, [0-9]+ failed\)' "$work/one.txt"
"$work/one_episode" "$data/examples/trace-mobility.json" greedy | tee "$work/trace.txt"
grep -Eq '^greedy: 6 UEs, 120 tasks ' "$work/trace.txt"
set +e
"$work/one_episode" "$data/examples/default.json" nosuch 2>"$work/err.txt"
rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "unknown policy 'nosuch'" "$work/err.txt" || {
    echo "install_tree: one_episode with an unknown policy: rc $rc: $(cat "$work/err.txt")"; exit 1; }
# 4. The Python package from the installed prefix (no build tree, no EDGETUNE_LIB): it loads the
#    installed library and data, and runs the installed random-policy example.
if py=$(bash "$src/scripts/python-with-numpy.sh"); then
    pydir=$prefix/lib/python3/dist-packages
    [ -e "$pydir/edgetune/__init__.py" ] && [ -e "$pydir/edgetune/_install.py" ] || {
        echo "install_tree: the Python package is not installed under $pydir"; exit 1; }
    lib=$(env -u EDGETUNE_LIB -u EDGETUNE_DATA_DIR PYTHONPATH=$pydir PYTHONDONTWRITEBYTECODE=1 \
        "$py" -c "import edgetune; print(edgetune.library_path)")
    case "$lib" in "$prefix"/*) ;; *) echo "install_tree: python loaded $lib, not the installed library"; exit 1 ;; esac
    env -u EDGETUNE_LIB -u EDGETUNE_DATA_DIR PYTHONPATH=$pydir PYTHONDONTWRITEBYTECODE=1 \
        "$py" "$data/examples/python/random_policy.py" --tasks 3 | tee "$work/py.txt"
    grep -Eq '^random: 18 tasks ' "$work/py.txt"
else
    echo "install_tree: python part skipped: no python3 with NumPy"
fi
# 5. A CMake project that finds the installed package (find_package(edgetune)) and links the
#    shared and the static library: the minimal program again, both ways.
mkdir -p "$work/cmake-user"
cat >"$work/cmake-user/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.16)
project(edgetune_user C CXX)
find_package(edgetune 0.1 REQUIRED)
add_executable(one_shared "$data/examples/one_episode.c")
target_link_libraries(one_shared PRIVATE edgetune::edgetune)
set_target_properties(one_shared PROPERTIES BUILD_RPATH "$libdir/..")
add_executable(one_static "$data/examples/one_episode.c")
target_link_libraries(one_static PRIVATE edgetune::edgetune_static)
CMAKE
cmake -S "$work/cmake-user" -B "$work/cmake-user/build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/cmake-user/build" >/dev/null
for v in shared static; do
    "$work/cmake-user/build/one_$v" "$data/examples/default.json" greedy >"$work/cm-$v.txt"
    cmp -s "$work/one.txt" "$work/cm-$v.txt" || {
        echo "install_tree: find_package's $v build printed another summary:"; cat "$work/cm-$v.txt"; exit 1; }
done
echo "install_tree: find_package(edgetune): shared and static builds agree with pkg-config's"
echo "install_tree: ok"
