#!/usr/bin/env bash
# The extractive summaries of the development filings with key facts (gold/dev-facts.jsonl),
# made as users get them: `tenk summarize FILING` finds Item 1 in the filing and summarizes
# it. Prints, with ../shared/tools' scorers:
#   - fact recall, per aspect, tokens (exact cl100k_base: the scorer runs in target/eval-venv
#     with tiktoken, whose BPE file is taken from the tiktoken-rs crate tenk builds with);
#   - the back-reference rate (dangling.py, the gold Item 1 texts as sources);
#   - the 5-fold cross-validated fact recall (`train_summary --check --repeats 4`): the figure
#     for filings the model was not fitted to, on the standard folds and as the mean of four
#     partitions; the in-sample figure; and what selection reaches given the labels instead
#     of the model (the ceiling a better model of these labels could reach).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
corpus=${TENK_CORPUS:-../shared/corpus}
tools=$corpus/../tools
cargo build --release --quiet --bin tenk --example train_summary
out=target/eval-summary
rm -rf "$out" && mkdir -p "$out"
for id in $(python3 -c 'import json,sys; [print(json.loads(l)["doc_id"]) for l in open(sys.argv[1]) if l.strip()]' "$corpus/gold/dev-facts.jsonl"); do
  file=$(ls "$corpus/filings/$id".* | head -1)
  target/release/tenk summarize "$file" > "$out/$id.txt"
done
python=python3
if [ -x target/eval-venv/bin/python ] || { python3 -m venv target/eval-venv && target/eval-venv/bin/pip install --quiet tiktoken; }; then
  version=$(grep -A1 '^name = "tiktoken-rs"' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
  bpe=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/tiktoken-rs-"$version" | head -1)/assets/cl100k_base.tiktoken
  mkdir -p target/tiktoken-cache
  # tiktoken looks its files up by the SHA-1 of their download URL
  cp "$bpe" target/tiktoken-cache/9b5ad71b2ce5302211f9c61530b329a4922fc6a4
  export TIKTOKEN_CACHE_DIR="$here/target/tiktoken-cache"
  python=target/eval-venv/bin/python
else
  echo "eval-summary: no tiktoken; token counts are the scorer's approximation" >&2
fi
echo "summaries of the $(ls "$out" | wc -l) development filings, as 'tenk summarize FILING' makes them:"
"$python" "$tools/eval_summary.py" --facts "$corpus/gold/dev-facts.jsonl" --pred "$out" --source "$corpus/gold/item1"
echo "back-references without the sentence they follow: $(python3 "$tools/dangling.py" "$out" "$corpus/gold/item1")"
TENK_CORPUS=$corpus target/release/examples/train_summary --check --repeats 4 | tail -n +2
