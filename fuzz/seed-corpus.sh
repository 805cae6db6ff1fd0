#!/bin/sh
# Seeds the cargo-fuzz corpora from the repository's own inputs:
#   corpus/manifest_apply/  <- tests/scenarios/manifests/*.yaml, tests/bad-input/manifests/*.yaml,
#                              crates/stsplay-core/examples/web.yaml, fuzz/seeds/*.yaml
#   corpus/script_run/      <- tests/scenarios/*.script, tests/bad-input/*.script, each also
#                              with every `-f PATH` rewritten to `-f web.yaml` (the only file
#                              the script_run target provides), fuzz/seeds/*.script
# fuzz/seeds/ holds one seed per hostile-input class of issue 13 (block nesting,
# an alias after a quote the old text scan misread, huge integers).
# Safe to re-run: files are named after their source, so nothing piles up.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
m="$here/corpus/manifest_apply"
s="$here/corpus/script_run"
mkdir -p "$m" "$s"
n=0
for f in "$root"/crates/stsplay-core/examples/*.yaml "$root"/tests/scenarios/manifests/*.yaml "$root"/tests/bad-input/manifests/*.yaml "$here"/seeds/*.yaml; do
    [ -f "$f" ] || continue
    dir=$(basename "$(dirname "$(dirname "$f")")")
    cp "$f" "$m/seed-$dir-$(basename "$f")"
    n=$((n + 1))
done
for f in "$root"/tests/scenarios/*.script "$root"/tests/bad-input/*.script "$here"/seeds/*.script; do
    [ -f "$f" ] || continue
    dir=$(basename "$(dirname "$f")")
    base=$(basename "$f" .script)
    cp "$f" "$s/seed-$dir-$base"
    sed -E 's/-f [^ ]+/-f web.yaml/g' "$f" > "$s/seed-$dir-$base-web"
    n=$((n + 2))
done
echo "seeded $n files into $m and $s"
