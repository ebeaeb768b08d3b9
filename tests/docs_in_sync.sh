#!/usr/bin/env bash
# docs_in_sync.sh EDGETUNE: docs/configuration.md carries exactly the key table
# that `edgetune keys --markdown` prints (the table is the source of truth);
# docs/traces.md's column tables (tasks.csv, channel.csv, activities.csv, summary.json's
# result) and docs/python.md's task fields are exactly what `edgetune keys --schema` prints
# from the tables the program writes them with, and list the columns a run writes, in
# order; docs/img holds only images a document shows, and
# every image a document shows is there.
set -u
bin=$1
src=$(cd "$(dirname "$0")/.." && pwd)
doc="$src/docs/configuration.md"
table=$(mktemp)
trap 'rm -f "$table"' EXIT
"$bin" keys --markdown >"$table" || { echo "FAIL: edgetune keys --markdown"; echo "0 passed, 1 failed"; exit 1; }
# The repository stands alone: no file names the design documents kept outside it.
outside=$(cd "$src" && git ls-files 2>/dev/null | grep -v '^tests/docs_in_sync.sh$' |
    xargs -r grep -lE 'DESIGN\.md|STYLE\.md|SIMGRID-NOTES|\.\./shared/' 2>/dev/null)
if [ -n "$outside" ]; then
    echo "FAIL files point outside the repository (carry the substance into docs/): $outside"
    echo "0 passed, 1 failed"
    exit 1
fi
pass=0
failed=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }
# docs/platforms.md prints the hand-written example platforms whole: the fenced xml block after
# the line naming each is the shipped file, byte for byte.
printed_platform() { # SECTION LEAD-REGEX FILE
    local example
    example=$(awk -v lead="$2" '$0 ~ lead { on = 1; next }
        on && /^```xml$/ { inside = 1; next } inside && /^```$/ { exit } inside { print }' \
        "$src/docs/platforms.md")
    if [ "$example" != "$(cat "$src/platforms/$3")" ]; then
        bad "docs/platforms.md section $1 does not print platforms/$3 as shipped"
    else
        ok "docs/platforms.md section $1 prints platforms/$3 as shipped"
    fi
}
printed_platform 7 '^The complete file, `platforms/two-cells.xml`:' two-cells.xml
printed_platform 8 '^`platforms/mixed-3cell.xml` [(]written by hand' mixed-3cell.xml
# The table is the tail of the document, starting at its header line.
if diff <(sed -n '/^| key | type |/,$p' "$doc") "$table" >/dev/null; then
    ok "docs/configuration.md matches edgetune keys --markdown"
else
    bad "docs/configuration.md differs from edgetune keys --markdown; regenerate the table:"
    diff <(sed -n '/^| key | type |/,$p' "$doc") "$table" | head -20
fi

# The generated tables: the table after the line LEAD in DOC's section SECTION (its header line
# and every '|' line after it) is what `edgetune keys --schema NAME` prints.
schema_table() { # DOC SECTION NAME
    awk -v sec="$2" '$0 == sec { on = 1; next } on && /^## / { exit }
        on && /^\| (column|metric|field) \| unit \| meaning \|$/ { t = 1 }
        t && /^\|/ { print; next } t { exit }' "$src/$1"
}
for spec in "docs/traces.md|## tasks.csv|tasks.csv" "docs/traces.md|## channel.csv|channel.csv" \
    "docs/traces.md|## activities.csv|activities.csv" "docs/traces.md|## summary.json|result" \
    "docs/python.md|## 2. Simulator and policies|task-fields"; do
    IFS='|' read -r sdoc ssec sname <<<"$spec"
    if ! generated=$("$bin" keys --schema "$sname"); then
        bad "edgetune keys --schema $sname failed"
    elif [ "$(schema_table "$sdoc" "$ssec" "$sname")" = "$generated" ]; then
        ok "$sdoc's $sname table is edgetune keys --schema $sname"
    else
        bad "$sdoc's $sname table differs from edgetune keys --schema $sname; regenerate it:"
        diff <(schema_table "$sdoc" "$ssec" "$sname") <(echo "$generated") | head -10
    fi
done

# docs/traces.md's column tables list, in order, the columns the program writes: the first
# cell of each row of the table under "## FILE" names one or more columns in backquotes.
run=$(mktemp -d)
trap 'rm -f "$table"; rm -rf "$run"' EXIT
if "$bin" run --tasks 1 --quiet --out "$run/out" >"$run/log" 2>&1; then
    for file in tasks.csv channel.csv; do
        documented=$(awk -v sec="## $file" '
            $0 == sec { on = 1; next }
            on && /^## / { exit }
            on && /^\| `/ { split($0, cell, "|"); s = cell[2]
                while (match(s, /`[^`]*`/)) { print substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH) } }
            ' "$src/docs/traces.md" | paste -sd,)
        written=$(head -1 "$run/out/$file" | tr -d '\r')
        if [ "$documented" = "$written" ]; then
            ok "docs/traces.md's $file table matches the header the program writes"
        else
            bad "docs/traces.md's $file table differs from the header the program writes:"
            echo "  documented: $documented"
            echo "  written:    $written"
        fi
    done
else
    bad "edgetune run --tasks 1 failed: $(tail -1 "$run/log")"
fi

# docs/img holds no orphan, and every image a document shows exists.
refs=$(cd "$src" && grep -ohE '\]\((img/[^) ]+)\)' README.md docs/*.md | sed -E 's/^\]\(//; s/\)$//' | sort -u)
orphans=""
for f in "$src"/docs/img/*; do
    [ -e "$f" ] || continue
    grep -qxF "img/$(basename "$f")" <<<"$refs" || orphans+=" docs/img/$(basename "$f")"
done
missing=""
for r in $refs; do
    [ -e "$src/docs/$r" ] || missing+=" docs/$r"
done
if [ -z "$orphans" ] && [ -z "$missing" ]; then
    ok "every image in docs/img is shown by a document, and every image shown exists"
else
    bad "docs/img: images no document shows:${orphans:- none}; images shown but missing:${missing:- none}"
fi
echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
