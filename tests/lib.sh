# lib.sh: sourced by the shell tests (tests/*.sh): counting and reporting checks.
#   ok NAME / bad NAME      count a check that passed / failed
#   check NAME COMMAND...   run COMMAND; ok if it succeeds, else FAIL with its output
#   same_log A B            two train.csv files agree on every column but wall_s
#   no_tmp DIR              no temporary (*.tmp) or kept-aside (*.old) file under DIR
#   lines FILE              FILE's line count, without the three-line warning ASan prints
#                           once per process on SimGrid's first context switch (build-asan)
#   finish                  print the counts; exit status 0 only when nothing failed
#   in_scratch [CLEANUP]    work = a new scratch folder, made the current one and removed (made
#                           writable first) when the script exits, after running CLEANUP
#   highway_scenario SRC OUT  OUT = SRC/examples/highway.json with absolute paths and the
#                           activity log on (channel.handover: its H rows)
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
check() {
    local name=$1
    shift
    if "$@" >log.txt 2>&1; then ok "$name"; else
        bad "$name"; sed 's/^/     | /' log.txt | head -20; fi
}
same_log() { cmp -s <(cut -d, -f1-14 "$1") <(cut -d, -f1-14 "$2"); }
lines() { grep -Evc '^==[0-9]+==WARNING: ASan is ignoring|^False positive error reports|^For details see' "$1"; }
no_tmp() { [ -z "$(find "$1" -name '*.tmp' -o -name '*.old' | head -1)" ]; }
finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
in_scratch() {
    work=$(mktemp -d)
    # shellcheck disable=SC2064 # CLEANUP is given as text, to run at exit
    trap "${1:-}${1:+; }chmod -R u+w \"\$work\" 2>/dev/null; rm -rf \"\$work\"" EXIT
    cd "$work" || exit 1
}
highway_scenario() {
    "${PY:-/usr/bin/python3}" - "$1/examples/highway.json" "$2" <<'PY'
import json, os, sys
s = json.load(open(sys.argv[1]))
ex = os.path.dirname(sys.argv[1])
for k in ("platform", "model"):
    s[k] = os.path.join(ex, s[k])
s["mobility"]["trace"] = os.path.join(ex, s["mobility"]["trace"])
s["output"] = {"activity_log": True}
json.dump(s, open(sys.argv[2], "w"))
PY
}
