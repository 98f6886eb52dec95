#!/usr/bin/env bash
# Builds the ingest benchmark's input: the whole of ../shared/corpus (the
# .txt and .html files under it) copied until there are at least N files
# (default 100000), each copy's files with one line appended naming the copy,
# so that every file's content (and content hash) is distinct.
#
#   bash scripts/make-corpus-100k.sh OUT_DIR [N] [CORPUS_DIR]
#
# OUT_DIR must not exist yet (or be empty). Prints the number of files and
# bytes written. Used for BENCHMARKS.md, section "Knowledge base: ingest".
set -euo pipefail

out=${1:?usage: make-corpus-100k.sh OUT_DIR [N] [CORPUS_DIR]}
want=${2:-100000}
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${3:-$here/../shared/corpus}

if [ ! -d "$corpus" ]; then
    echo "make-corpus-100k: corpus directory $corpus not found; give it as the third argument" >&2
    exit 2
fi
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
    echo "make-corpus-100k: $out is not empty; choose a new directory" >&2
    exit 2
fi
mkdir -p "$out"

# The corpus's text files, relative to it, in a stable order.
mapfile -t files < <(cd "$corpus" && find . -type f \( -name '*.txt' -o -name '*.html' -o -name '*.htm' \) | LC_ALL=C sort)
per_copy=${#files[@]}
if [ "$per_copy" -eq 0 ]; then
    echo "make-corpus-100k: no .txt/.html files under $corpus" >&2
    exit 2
fi
copies=$(( (want + per_copy - 1) / per_copy ))

for ((c = 1; c <= copies; c++)); do
    dest=$(printf '%s/copy-%03d' "$out" "$c")
    mkdir -p "$dest"
    (cd "$corpus" && cp --parents -- "${files[@]}" "$dest/")
    for f in "${files[@]}"; do
        printf '\nBản sao số %d (copy %d)\n' "$c" "$c" >> "$dest/$f"
    done
done

total=$(( copies * per_copy ))
bytes=$(du -sb "$out" | cut -f1)
echo "make-corpus-100k: $total files ($copies copies of $per_copy), $bytes bytes in $out"
