#!/usr/bin/env bash
# docs_in_sync.sh EDGETUNE: docs/configuration.md carries exactly the key table
# that `edgetune keys --markdown` prints (the table is the source of truth).
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
# docs/platforms.md prints the hand-written example platform whole: the fenced xml block after
# the line naming it is the shipped file, byte for byte.
example=$(awk '/^The complete file, `platforms\/two-cells.xml`:/ { on = 1; next }
    on && /^```xml$/ { inside = 1; next } inside && /^```$/ { exit } inside { print }' \
    "$src/docs/platforms.md")
if [ "$example" != "$(cat "$src/platforms/two-cells.xml")" ]; then
    echo "FAIL docs/platforms.md section 7 does not print platforms/two-cells.xml as shipped"
    echo "0 passed, 1 failed"
    exit 1
fi
# The table is the tail of the document, starting at its header line.
if diff <(sed -n '/^| key | type |/,$p' "$doc") "$table" >/dev/null; then
    echo "ok   docs/configuration.md matches edgetune keys --markdown"
    echo "1 passed, 0 failed"
else
    echo "FAIL docs/configuration.md differs from edgetune keys --markdown; regenerate the table:"
    diff <(sed -n '/^| key | type |/,$p' "$doc") "$table" | head -20
    echo "0 passed, 1 failed"
    exit 1
fi
