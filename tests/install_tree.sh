#!/usr/bin/env bash
# install_tree.sh BUILD_DIR: the install and what is built against it, in a scratch folder, with
# no LD_LIBRARY_PATH anywhere:
#  0. README.md's "Install and embed" blocks, run as they stand (HOME a scratch folder, the
#     ```cmake block written to the CMakeLists.txt it describes): cmake --install into
#     $HOME/edgetune, examples/own_policy.c built with pkg-config (its run path comes from the
#     pkg-config file), examples/one_episode.c linked with libedgetune.a through
#     pkg-config --static, and again from a C-only CMake project with find_package(edgetune);
#  1. what was installed: files, run paths, the licence in every package's metadata, the man
#     page's COMMANDS (every command's options) and COPYRIGHT sections;
#  2. the installed CLI runs the shipped default scenario from the installed data (the binary
#     finds <prefix>/share/edgetune from its own path);
#  3. the two programs' outputs: own_policy's summary, one_episode shared (as its header
#     comment builds it) on the default and the mobility-trace scenarios and with an unknown
#     policy (exit 2), the static and CMake builds printing the same summary;
#  4. the Python package from the prefix; 5. find_package's static target; 6. the public API:
#     <edgetune/...> headers from C and C++, the version, the exported symbols.
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset LD_LIBRARY_PATH PKG_CONFIG_PATH EDGETUNE_LIB
fail() { echo "install_tree: $*"; exit 1; }

# 0. The README's commands. The blocks of the section, in order: ```sh lines as they are, a
#    ```cmake block as a here-document into CMakeLists.txt.
awk '
    /^### Install and embed$/ { sec = 1; next }
    !sec { next }
    blk == "" && /^#/ { exit }
    /^```sh$/ { blk = "sh"; next }
    /^```cmake$/ { blk = "cmake"; print "cat >CMakeLists.txt <<'"'"'README_CMAKE'"'"'"; next }
    /^```$/ { if (blk == "cmake") print "README_CMAKE"; blk = ""; next }
    blk { print }
' "$src/README.md" >"$work/readme.sh"
for want in 'cmake --install build --prefix' 'pkg-config --cflags --libs edgetune' \
            'pkg-config --static --libs edgetune' 'find_package(edgetune' 'cmake --build'; do
    grep -qF -- "$want" "$work/readme.sh" ||
        fail "README.md's \"Install and embed\" blocks no longer contain: $want"
done
mkdir -p "$work/home" "$work/checkout"
ln -s "$build" "$work/checkout/build" # the commands start in a checkout with its build/
if ! (cd "$work/checkout" && HOME=$work/home bash -euo pipefail "$work/readme.sh") \
    >"$work/readme.out" 2>&1; then
    echo "install_tree: README.md's \"Install and embed\" commands failed:"
    sed 's/^/  | /' "$work/readme.out" | tail -20
    exit 1
fi
grep -E '^(policy|greedy)' "$work/readme.out" # the programs' lines (not cmake's)
prefix=$work/home/edgetune
study=$work/home/my-study
grep -Eq '^policy size-rule: 300 tasks \([0-9]+ local, [0-9]+ server\), [0-9]+ failed, mean delay [0-9.]+ s, reward -[0-9.]+$' \
    "$work/readme.out" || fail "README: no own_policy summary"
grep -Eq '^greedy: 6 UEs, 120 tasks ' "$work/readme.out" || fail "README: no mobility-trace summary"
grep -Eq '^greedy: 6 UEs, 300 tasks ' "$work/readme.out" || fail "README: no summary from the CMake build"

# 1. What was installed.
for f in bin/edgetune include/edgetune/sim.h include/edgetune/agent.h lib/libedgetune.a \
         lib/libedgetune.so lib/pkgconfig/edgetune.pc lib/cmake/edgetune/edgetuneConfig.cmake \
         share/edgetune/examples/default.json share/edgetune/platforms/edge-6ue.xml \
         share/doc/edgetune/LICENSE share/doc/edgetune/docs/licences.md; do
    [ -e "$prefix/$f" ] || fail "$prefix/$f missing"
done
cmp -s "$src/LICENSE" "$prefix/share/doc/edgetune/LICENSE" || fail "installed LICENSE differs"
grep -q '^MIT License$' "$prefix/share/doc/edgetune/LICENSE" || fail "LICENSE is not MIT's"
# Run paths relative to the installed files ($prefix/lib is not a system folder).
runpath() { readelf -d "$1" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p; s/.*(RPATH).*\[\(.*\)\]/\1/p'; }
[ "$(runpath "$prefix/bin/edgetune")" = '$ORIGIN/../lib' ] ||
    fail "bin/edgetune's run path is '$(runpath "$prefix/bin/edgetune")', not \$ORIGIN/../lib"
[ "$(runpath "$prefix/lib/libedgetune.so")" = '$ORIGIN' ] ||
    fail "libedgetune.so's run path is '$(runpath "$prefix/lib/libedgetune.so")', not \$ORIGIN"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
pkg-config --libs edgetune | grep -q -- "-Wl,-rpath,$prefix/lib/pkgconfig/../../*lib " ||
    fail "pkg-config's Libs carry no run path: $(pkg-config --libs edgetune)"
pkg-config --static --libs edgetune | grep -q -- '-lstdc++' ||
    fail "pkg-config --static names no -lstdc++: $(pkg-config --static --libs edgetune)"
[ "$(pkg-config --variable=license edgetune)" = MIT ] || fail "edgetune.pc: license is not MIT"
grep -q '^# .*MIT-licensed' "$prefix/lib/cmake/edgetune/edgetuneConfig.cmake" ||
    fail "edgetuneConfig.cmake names no licence"
if command -v help2man >/dev/null; then
    man=$prefix/share/man/man1/edgetune.1
    [ -e "$man" ] || fail "man page missing"
    grep -q '^\.SH COPYRIGHT' "$man" && grep -q 'License MIT' "$man" || fail "man page: no MIT COPYRIGHT"
    # Every command that has help of its own has its section, with its options.
    n=0
    for cmd in $("$prefix/bin/edgetune" --help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p'); do
        "$prefix/bin/edgetune" help "$cmd" >"$work/help.txt"
        grep -q "^usage: edgetune $cmd" "$work/help.txt" || continue
        grep -q "^\.SS $cmd\$" "$man" || fail "man page: no section for 'edgetune $cmd'"
        n=$((n + 1))
    done
    [ "$n" -ge 5 ] || fail "man page: only $n commands with help of their own"
    grep -q 'no\\-channel\\-trace' "$man" && grep -q 'core\\-latency\\-s' "$man" ||
        fail "man page: the commands' options are missing"
fi

# 2. The installed CLI, run from a folder outside both trees.
cd "$work"
env -u EDGETUNE_DATA_DIR "$prefix/bin/edgetune" run --tasks 2 --out "$work/run" -q >/dev/null
grep -q "\"platform\":[[:space:]]*\"$prefix/bin/../share/edgetune/" "$work/run/summary.json" || {
    echo "install_tree: the installed binary did not use its installed data:"
    grep '"platform"' "$work/run/summary.json"
    exit 1
}

# 3. The programs. own_policy (README) needs the shared library through its run path alone;
#    one_episode shared, as examples/one_episode.c's header builds it.
data=$(pkg-config --variable=datadir edgetune)
readelf -d "$study/own_policy" | grep -q 'NEEDED.*libedgetune\.so\.0' ||
    fail "own_policy does not use libedgetune.so"
cc -std=c11 -Wall -Werror "$data/examples/one_episode.c" $(pkg-config --cflags --libs edgetune) \
    -o "$work/one_episode"
"$work/one_episode" "$data/examples/default.json" greedy | tee "$work/one.txt"
grep -Eq '^greedy: 6 UEs, 300 tasks \([0-9]+ local, [0-9]+ server, [0-9]+ failed\)' "$work/one.txt"
"$work/one_episode" "$data/examples/trace-mobility.json" greedy >"$work/trace.txt"
grep -Eq '^greedy: 6 UEs, 120 tasks ' "$work/trace.txt"
set +e
"$work/one_episode" "$data/examples/default.json" nosuch 2>"$work/err.txt"
rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "unknown policy 'nosuch'" "$work/err.txt" ||
    fail "one_episode with an unknown policy: rc $rc: $(cat "$work/err.txt")"
# The README's static build (libedgetune.a through pkg-config --static) and its CMake build.
if readelf -d "$study/one_episode" | grep -q 'NEEDED.*libedgetune'; then
    fail "the README's static one_episode needs libedgetune.so"
fi
for p in "$study/one_episode" "$study/build-cmake/one_episode_cmake"; do
    "$p" "$data/examples/default.json" greedy >"$work/other.txt"
    cmp -s "$work/one.txt" "$work/other.txt" || {
        echo "install_tree: $p printed another summary:"; cat "$work/other.txt"; exit 1; }
done
echo "install_tree: one_episode static (pkg-config --static) and from CMake agree with the shared build"

# 4. The Python package from the installed prefix (no build tree, no EDGETUNE_LIB): it loads the
#    installed library and data, runs the installed random-policy example, and its installed
#    metadata names the licence.
if py=$(bash "$src/scripts/python-with-numpy.sh"); then
    pydir=$prefix/lib/python3/dist-packages
    [ -e "$pydir/edgetune/__init__.py" ] && [ -e "$pydir/edgetune/_install.py" ] ||
        fail "the Python package is not installed under $pydir"
    lib=$(env -u EDGETUNE_DATA_DIR PYTHONPATH=$pydir PYTHONDONTWRITEBYTECODE=1 \
        "$py" -c "import edgetune; print(edgetune.library_path)")
    case "$lib" in "$prefix"/*) ;; *) fail "python loaded $lib, not the installed library" ;; esac
    meta=$(PYTHONPATH=$pydir "$py" -c "import importlib.metadata as m; d = m.metadata('edgetune');
print(d['Version'], d['License-Expression'])")
    [ "$meta" = "$(pkg-config --modversion edgetune) MIT" ] ||
        fail "the Python package's metadata says '$meta', not '<version> MIT'"
    env -u EDGETUNE_DATA_DIR PYTHONPATH=$pydir PYTHONDONTWRITEBYTECODE=1 \
        "$py" "$data/examples/python/random_policy.py" --tasks 3 | tee "$work/py.txt"
    grep -Eq '^random: 18 tasks ' "$work/py.txt"
else
    echo "install_tree: python part skipped: no python3 with NumPy"
fi

# 5. find_package's static target, in a C-only project (the README's CMake block links the
#    shared one).
mkdir -p "$work/cmake-user"
cat >"$work/cmake-user/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.16)
project(edgetune_user C)
find_package(edgetune 0.1 REQUIRED)
add_executable(one_static "$data/examples/one_episode.c")
target_link_libraries(one_static PRIVATE edgetune::edgetune_static)
CMAKE
cmake -S "$work/cmake-user" -B "$work/cmake-user/build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/cmake-user/build" >/dev/null
"$work/cmake-user/build/one_static" "$data/examples/default.json" greedy >"$work/cm-static.txt"
cmp -s "$work/one.txt" "$work/cm-static.txt" || {
    echo "install_tree: find_package's static build printed another summary:"; cat "$work/cm-static.txt"; exit 1; }
echo "install_tree: find_package(edgetune): shared and static builds agree with pkg-config's"

# 6. The public API: the headers under include/edgetune/, included as <edgetune/...>, from C and
#    from C++ (C linkage: a C++ program calling et_error_clear links), the version macros and
#    et_version(), and a library that exports the functions those headers declare and nothing
#    else (count printed).
ls "$prefix/include/edgetune" >"$work/headers.txt"
for h in edgetune.h edgetune_capi.h edgetune_export.h edgetune_version.h; do
    grep -qx "$h" "$work/headers.txt" || fail "include/edgetune/$h is not installed"
done
for h in train.h study.h sweep.h budget.h sgx_shim.h hmppo_internal.h platform_internal.h; do
    ! grep -qx "$h" "$work/headers.txt" || fail "include/edgetune/$h (not public) is installed"
done
cat >"$work/api.c" <<'C'
#include <stdio.h>
#include <string.h>

#include <edgetune/edgetune.h>
#include <edgetune/edgetune_capi.h>

int main(void)
{
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", ET_VERSION_MAJOR, ET_VERSION_MINOR, ET_VERSION_PATCH);
    et_error err;
    et_error_clear(&err);
    et_scenario sc;
    if (et_scenario_load("no-such.json", ".", &sc, &err) == ET_OK) return 1;
    printf("c %s %s %d %s\n", et_version(), want, et_capi_obs_dim() > 0, err.msg);
    return strcmp(et_version(), want) != 0;
}
C
cat >"$work/api.cpp" <<'CPP'
#include <cstdio>
#include <string>

#include <edgetune/edgetune.h>
#include <edgetune/edgetune_capi.h>

int main()
{
    et_error err;
    et_error_clear(&err);
    et_error_set(&err, ET_ERR_INPUT, "from C++ %d", ET_VERSION_MAJOR);
    std::string want = std::to_string(ET_VERSION_MAJOR) + "." + std::to_string(ET_VERSION_MINOR) +
                       "." + std::to_string(ET_VERSION_PATCH);
    std::printf("c++ %s %s %d %s\n", et_version(), want.c_str(), et_capi_obs_dim() > 0, err.msg);
    return want != et_version() || et_status_exit_code(err.code) != 2;
}
CPP
cc -std=c11 -Wall -Wextra -Werror -pedantic "$work/api.c" $(pkg-config --cflags --libs edgetune) -o "$work/api_c"
c++ -std=c++17 -Wall -Wextra -Werror "$work/api.cpp" $(pkg-config --cflags --libs edgetune) -o "$work/api_cpp"
"$work/api_c" | tee "$work/api.txt" || fail "the C program against the public API failed"
"$work/api_cpp" | tee -a "$work/api.txt" || fail "the C++ program against the public API failed"
grep -q "^c $(pkg-config --modversion edgetune) .* 1 .*no-such.json" "$work/api.txt" &&
    grep -q "^c++ $(pkg-config --modversion edgetune) .* 1 from C++ 0$" "$work/api.txt" ||
    fail "the API programs printed: $(cat "$work/api.txt")"
# What the installed headers declare (every et_ name followed by "(" once preprocessed) against
# what the installed library exports.
printf '#include <edgetune/edgetune.h>\n#include <edgetune/edgetune_capi.h>\n' |
    cc -std=c11 -E -P $(pkg-config --cflags edgetune) -x c - |
    grep -oE '\bet_[a-z0-9_]+[[:space:]]*\(' | tr -d '( \t' | sort -u >"$work/declared.txt"
nm -D --defined-only "$prefix/lib/libedgetune.so" | awk '{print $3}' | sort -u >"$work/exported.txt"
# Besides them, the shim's replacement of SimGrid 3.32's CommImpl::detach (src/engine/sgx_shim.cpp).
outside=$(comm -23 "$work/exported.txt" "$work/declared.txt" |
    grep -vx '_ZN7simgrid6kernel8activity8CommImpl6detachEv' || true)
[ -z "$outside" ] || fail "libedgetune.so exports names no public header declares: $(echo $outside)"
for f in et_version et_error_clear et_capi_sim_create et_sim_create et_scenario_load; do
    grep -qx "$f" "$work/exported.txt" || fail "libedgetune.so does not export $f"
done
echo "install_tree: public API: $(wc -l <"$work/headers.txt") headers, $(wc -l <"$work/exported.txt") exported functions, all declared in them"
echo "install_tree: ok"
