#!/usr/bin/env bash
# Builds the fixture EDGAR mirror in DIR: a copy of tests/fixtures/edgar plus symbolic links to
# the real corpus documents listed in its corpus-links.tsv (the corpus is never copied into the
# repository). Used by the test suite and by `just demo`.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:?usage: fixture-mirror.sh DIR}
corpus=${TENK_CORPUS:-$here/../shared/corpus/filings}
[ -d "$corpus" ] || { echo "fixture-mirror: corpus folder $corpus not found" >&2; exit 1; }
mkdir -p "$dest"
cp -R "$here/tests/fixtures/edgar/." "$dest/"
while IFS=$'\t' read -r path file; do
  case "$path" in ''|'#'*) continue ;; esac
  src=$(cd "$corpus" && pwd)/$file
  [ -f "$src" ] || { echo "fixture-mirror: $src not found" >&2; exit 1; }
  mkdir -p "$dest/$(dirname "$path")"
  ln -sf "$src" "$dest/$path"
done < "$here/tests/fixtures/edgar/corpus-links.tsv"
