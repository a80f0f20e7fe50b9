#!/usr/bin/env bash
# Reads a tenk output file and a dataset folder with a local Spark (pyspark from PyPI in
# target/spark-venv, Java 17 from the system packages) and checks that every column has a
# type Spark knows natively: no decimal columns, cik as bigint. The output comes from a
# `tenk run` over the fixture mirror (offline).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
if ! command -v java >/dev/null; then
  echo "check-spark: no java; install it with: sudo apt-get install -y openjdk-17-jre-headless" >&2
  exit 1
fi
venv=target/spark-venv
if ! "$venv/bin/python" -c 'import pyspark' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet 'pyspark>=3.5,<3.6'
fi
cargo build --release --quiet
work=target/spark-check
rm -rf "$work" && mkdir -p "$work"
scripts/fixture-mirror.sh "$work/mirror"
selection=(--ticker SMSI --ticker MRK --ticker AAPL --cik 320187)
target/release/tenk run --mirror "$work/mirror" "${selection[@]}" --out "$work/s.parquet" --quiet >/dev/null
target/release/tenk run --mirror "$work/mirror" "${selection[@]}" --dataset "$work/ds" --quiet >/dev/null
"$venv/bin/python" - "$work/s.parquet" "$work/ds" <<'PY'
import sys
from pyspark.sql import SparkSession

spark = (SparkSession.builder.master("local[1]").appName("tenk-check")
         .config("spark.ui.enabled", "false").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
for path in sys.argv[1:]:
    df = spark.read.parquet(path)
    types = dict(df.dtypes)
    decimals = {c: t for c, t in types.items() if t.startswith("decimal")}
    assert not decimals, f"{path}: decimal columns {decimals}"
    assert types["cik"] == "bigint", f"{path}: cik is {types['cik']}"
    assert types["tickers"] == "array<string>", types["tickers"]
    rows = df.count()
    distinct = df.select("accession_number").distinct().count()
    assert rows == distinct == 4, (path, rows, distinct)
    print(f"spark {spark.version}: {path}: {rows} rows; " +
          ", ".join(f"{c} {t}" for c, t in df.dtypes if c in
                    ("cik", "item1_chars", "summary_tokens", "fiscal_year", "tickers", "processed_at")))
spark.stop()
PY
