# tenk tasks. `just` is optional: every recipe is a plain cargo/python command you can copy.
# Install it with `pip install rust-just` (seconds) or `cargo install just --locked`.

set shell := ["bash", "-euo", "pipefail", "-c"]

corpus := env_var_or_default("TENK_CORPUS", "../shared/corpus")

# Run tenk on EDGAR, e.g. `just run --ticker SMSI` (needs TENK_USER_AGENT or --user-agent).
run *ARGS:
    cargo run --release -- run {{ARGS}}

# The whole test suite (what .ci/run runs).
test:
    cargo test

# Offline demo: SMSI's latest 10-K from the bundled fixture mirror, into output/demo.parquet.
demo:
    rm -rf target/demo-mirror
    scripts/fixture-mirror.sh target/demo-mirror
    cargo run --release -- run --mirror target/demo-mirror --ticker SMSI --out output/demo.parquet
    cargo run --release -- show output/demo.parquet

# Reads a file and a dataset written by tenk with a local Spark (pyspark from PyPI, Java 17
# from the system packages): no decimal columns, cik as bigint.
check-spark:
    scripts/check-spark.sh

# Item 1 accuracy on the 72 development filings (gold: ../shared/corpus/gold/dev.jsonl).
eval-extract:
    cargo build --release
    python3 ../shared/tools/eval_extract.py --gold {{corpus}}/gold/dev.jsonl --filings {{corpus}}/filings --cmd 'target/release/tenk extract {file}'

# Item 1A and Item 7 accuracy on the 72 development filings, per item (gold:
# ../shared/corpus/gold/dev-items.jsonl).
eval-items:
    cargo build --release
    python3 ../shared/tools/eval_items.py --gold {{corpus}}/gold/dev-items.jsonl --filings {{corpus}}/filings --cmd 'target/release/tenk extract {file} --item {item}'

# The extractive summaries of the 49 development filings with key facts: fact recall, per
# aspect, exact cl100k tokens, back-reference rate, 5-fold cross-validated recall.
eval-summary:
    scripts/eval-summary.sh

# Fits the extractive summarizer's model to the development filings' key facts: writes
# data/summary-training.csv, data/concept-training.csv and src/summarize/model.json, prints
# in-sample and 5-fold cross-validated fact recall (about 2 minutes).
train-summary:
    cargo run --release --example train_summary

# What the llm summarizer reads (summarizer.llm.input_tokens): fact recall of the condensed
# section at 2,000 / 4,000 / 8,000 tokens, and input tokens per filing whole vs condensed.
eval-condensed:
    cargo run --release --example train_summary -- --check --condensed

# Extraction speed over all 105 corpus filings, Item 1 and all items: CPU per filing, wall on
# all cores, peak RSS.
bench-extract:
    cargo bench --bench extract

# Extractive summarizer speed over the 72 gold Item 1 texts: CPU per section, wall on all cores.
bench-summary:
    cargo bench --bench summary

# Crawler politeness and throughput: 300 documents from a local server with 100 ms latency at 10/s.
bench-crawl:
    cargo bench --bench crawl

# The whole pipeline over a synthetic mirror of 1,000 (and 250) filings: wall, filings/s, peak RSS.
bench-pipeline:
    cargo bench --bench pipeline
