#!/usr/bin/env bash
# gen-docs.sh [EDGETUNE]: regenerates the key table at the end of
# docs/configuration.md from `edgetune keys --markdown` (the source of truth).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/edgetune}
doc=docs/configuration.md
tmp=$(mktemp)
sed '/^| key | type |/,$d' "$doc" >"$tmp"
"$bin" keys --markdown >>"$tmp"
mv "$tmp" "$doc"
echo "regenerated the key table in $doc" >&2
