#!/usr/bin/env bash
# viewer.sh EDGETUNE [SCREENSHOT]: `edgetune view OUT` writes one self-contained page; headless
# Chromium loads it from a tiny run at several #t= times, and the state the page exposes (its
# <pre id="state">) puts every UE where channel.csv does and in the phase tasks.csv gives
# (tests/cli/viewer_check.py), with no script error. Bad OUT folders get one line naming the file
# (exit 2). Saves a screenshot of the metro run's page to SCREENSHOT (docs/img/viewer.png is made
# this way) or into the scratch folder. Skipped (77) without chromium. Nothing waits on a clock: Chromium dumps the DOM
# once the page has loaded, and the page marks itself ready (data-ready) only after drawing.
set -u
bin=$(realpath "$1")
shot=${2:+$(realpath -m "$2")}
src=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$src/tests/lib.sh"
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "chromium not found (apt-get install chromium): skipped"; exit 77; }
py=/usr/bin/python3
[ -x "$py" ] || py=python3
in_scratch
shot=${shot:-$work/viewer.png}

# chrome ARGS... URL: one headless Chromium, its own profile, console messages on stderr.
chrome() {
    timeout 600 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$work/profile" --enable-logging=stderr --v=0 "$@"
}

# expect NAME "MESSAGE" -- ARGS: exit 2 and one line on stderr holding MESSAGE.
expect() {
    local name=$1 want=$2
    shift 3
    "$bin" "$@" >out.txt 2>err.txt
    local rc=$?
    if [ "$rc" -eq 2 ] && [ "$(wc -l <err.txt)" -eq 1 ] && grep -qF -- "$want" err.txt; then ok "$name"; else
        bad "$name"; echo "     | exit $rc: $(head -3 err.txt)"; fi
}

check tiny_run "$bin" run --tasks 3 --out run -q
check view_writes_the_page sh -c "'$bin' view run && [ -s run/view.html ]"
check page_is_self_contained sh -c "! grep -Eq '(src|href)=\"(https?:)?//' run/view.html"
check view_output_option sh -c "'$bin' view run -o page.html && cmp run/view.html page.html"
check view_help sh -c "'$bin' view --help | grep -q 'usage: edgetune view OUT'"
check help_lists_view sh -c "'$bin' --help | grep -q '  view OUT'"

expect missing_out "nowhere/tasks.csv: cannot read the run's tasks" -- view nowhere
mkdir -p bad1 bad2 bad3
printf 'a,b,c\n1,2,3\n' >bad1/tasks.csv
expect malformed_tasks "bad1/tasks.csv: expected the run's tasks with a header naming column 'ue'" -- view bad1
cp run/tasks.csv bad2/
expect missing_summary "bad2/summary.json: cannot read the run's summary" -- view bad2
cp run/tasks.csv bad3/
echo '{"result": ' >bad3/summary.json
expect malformed_summary "bad3/summary.json: expected the JSON object edgetune run writes" -- view bad3
cp run/summary.json bad3/
printf 'time_s,nothing\n' >bad3/channel.csv
expect malformed_channel "bad3/channel.csv: expected the run's channel trace with a header naming column 'ue'" -- view bad3
check no_page_after_errors sh -c "[ ! -e bad1/view.html ] && [ ! -e bad3/view.html ] && [ -z \"\$(find . -name '*.tmp')\" ]"

# A UE at a channel update, between two (interpolated) and after its last task.
end=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["end_s"] > m { m = $c["end_s"] } END { print m }' run/tasks.csv)
for t in 0 1 2.5 7.25 30 "$end"; do
    chrome --dump-dom "file://$work/run/view.html#t=$t" >"dom_$t.html" 2>"chrome_$t.err"
    check "state_at_t=$t" "$py" "$src/tests/cli/viewer_check.py" "dom_$t.html" run/tasks.csv run/channel.csv "$t"
    check "no_console_message_at_t=$t" sh -c "! grep ':CONSOLE' 'chrome_$t.err'"
done

# Without channel.csv the page still loads (no map positions), with a note.
mkdir -p nochan && cp run/tasks.csv run/summary.json nochan/
check view_without_channel "$bin" view nochan
chrome --dump-dom "file://$work/nochan/view.html#t=1" >dom_nochan.html 2>chrome_nochan.err
check page_without_channel sh -c "grep -q 'data-ready=\"1\"' dom_nochan.html && ! grep -q 'data-errors' dom_nochan.html &&
    grep -q 'no channel.csv' dom_nochan.html && ! grep ':CONSOLE' chrome_nochan.err"

# A handover: ue1's serving cell changes at t = 5 in an edited copy of channel.csv (so that the
# check needs no handover model); the page lists it and serves ue1 from the new cell afterwards.
mkdir -p ho && cp run/tasks.csv run/summary.json ho/
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
    $c["ue"] == 1 && $c["time_s"] + 0 >= 5 { $c["cell"] = "cell_b" } { print }' run/channel.csv >ho/channel.csv
check view_handover "$bin" view ho
chrome --dump-dom "file://$work/ho/view.html#t=6" >dom_ho.html 2>chrome_ho.err
check handover_listed sh -c "grep -q '5.000 s: ue1 cell → cell_b' dom_ho.html && ! grep ':CONSOLE' chrome_ho.err"
check handover_cell_in_state sh -c "grep -o '\"name\":\"ue1\",\"phase\":\"[a-z_]*\",\"cell\":\"[a-z_]*\"' dom_ho.html | grep -q 'cell_b'"

# A metro run: cells from the platform, three of them on the map.
check metro_run "$bin" run --platform "$src/platforms/metro-9ue-3cell.xml" --tasks 4 --out metro -q
check metro_view "$bin" view metro
chrome --dump-dom "file://$work/metro/view.html#t=3" >dom_metro.html 2>chrome_metro.err
check metro_state "$py" "$src/tests/cli/viewer_check.py" dom_metro.html metro/tasks.csv metro/channel.csv 3
check metro_cells_drawn sh -c "[ \$(grep -o '>cell[0-9]</text>' dom_metro.html | sort -u | wc -l) -eq 3 ]"

chrome --hide-scrollbars --window-size=1400,1250 --screenshot="$shot" "file://$work/metro/view.html#t=200" >/dev/null 2>&1
check screenshot sh -c "[ \$(head -c 8 '$shot' | od -An -tx1 | tr -d ' \n') = 89504e470d0a1a0a ] && [ \$(wc -c <'$shot') -gt 20000 ]"
finish
