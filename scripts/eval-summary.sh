#!/usr/bin/env bash
# Fact recall of the extractive summaries of the 25 filings in dev-facts.jsonl, scored by
# ../shared/tools/eval_summary.py. Token counts are exact (cl100k_base): the scorer runs in
# target/eval-venv with tiktoken, whose BPE file is taken from the tiktoken-rs crate tenk
# builds with (no download). Without a PyPI index it falls back to the scorer's own
# approximation (words x 1.3) and says so.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
corpus=../shared/corpus
cargo build --release --quiet
out=target/eval-summary
rm -rf "$out" && mkdir -p "$out"
for id in $(python3 -c 'import json,sys; [print(json.loads(l)["doc_id"]) for l in open(sys.argv[1]) if l.strip()]' "$corpus/gold/dev-facts.jsonl"); do
  target/release/tenk summarize "$corpus/gold/item1/$id.txt" > "$out/$id.txt"
done
python=python3
if [ -x target/eval-venv/bin/python ] || { python3 -m venv target/eval-venv && target/eval-venv/bin/pip install --quiet tiktoken; }; then
  bpe=$(cargo metadata --format-version 1 --offline 2>/dev/null \
    | python3 -c 'import json,sys,os; d=json.load(sys.stdin); print(next(os.path.dirname(p["manifest_path"]) for p in d["packages"] if p["name"]=="tiktoken-rs"))')/assets/cl100k_base.tiktoken
  mkdir -p target/tiktoken-cache
  # tiktoken looks its files up by the SHA-1 of their download URL
  cp "$bpe" target/tiktoken-cache/9b5ad71b2ce5302211f9c61530b329a4922fc6a4
  export TIKTOKEN_CACHE_DIR="$here/target/tiktoken-cache"
  python=target/eval-venv/bin/python
else
  echo "eval-summary: no tiktoken; token counts are the scorer's approximation" >&2
fi
"$python" ../shared/tools/eval_summary.py --facts "$corpus/gold/dev-facts.jsonl" --pred "$out" --source "$corpus/gold/item1"
