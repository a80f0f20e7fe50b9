"""Reads tenk output with the readers analysts use — pandas, polars, pyarrow and DuckDB —
independently of tenk's own reader, each with its default settings.

Usage: check.py FILE_OR_DATASET EXPECTED_ROWS (-1: any number) [ITEMS, e.g. 1A,7]
Prints one JSON line: what the readers saw (with ITEMS, each row's item statuses). Exits
non-zero when a reader fails, when they disagree with each other, or when a column's type is
not the one tenk documents (item columns: `item_<id>_status` and `item_<id>_text`, strings).
"""
import json
import sys

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds

path, expected = sys.argv[1], int(sys.argv[2])
items = [i.lower() for i in sys.argv[3].split(",")] if len(sys.argv) > 3 else []
is_dataset = not path.endswith(".parquet")

STRING, LIST, BIGINT = "string", "list<string>", "int64"
# every column of the README's schema table and its type
COLUMNS = {
    "accession_number": STRING, "cik": BIGINT, "company_name": STRING, "tickers": LIST,
    "exchanges": LIST, "form": STRING, "filing_date": "date", "report_date": "date",
    "fiscal_year": "int32", "sic": STRING, "sic_description": STRING,
    "state_of_incorporation": STRING, "fiscal_year_end": STRING, "source_url": STRING,
    "document_sha256": STRING, "item1_status": STRING, "item1_method": STRING,
    "item1_confidence": "float32", "item1_chars": BIGINT, "item1_tokens": BIGINT,
    "item1_text": STRING, "summary": STRING, "summary_status": STRING,
    "summary_tokens": BIGINT, "summary_truncated": "bool", "summary_grounding": "float64",
    "summarizer": STRING, "model": STRING, "tokenizer": STRING, "prompt_sha256": STRING,
    "llm_input_tokens": BIGINT, "llm_output_tokens": BIGINT,
    "processed_at": "timestamp_utc", "tenk_version": STRING, "error": STRING,
}
for item in items:
    COLUMNS[f"item_{item}_status"] = STRING
    COLUMNS[f"item_{item}_text"] = STRING


def check_types(reader, got):
    """`got` maps column names to the reader's type, already named in COLUMNS' terms."""
    missing = [c for c in COLUMNS if c not in got]
    assert not missing, f"{reader}: columns missing: {missing}"
    wrong = {c: (got[c], t) for c, t in COLUMNS.items() if got[c] != t}
    assert not wrong, f"{reader}: column types (got, expected): {wrong}"


def check_rows(reader, accessions):
    n = len(accessions)
    assert expected < 0 or n == expected, f"{reader}: {n} rows, expected {expected}"
    assert len(set(accessions)) == n, f"{reader}: duplicate accession numbers"


# pyarrow: the Arrow schema as restored from the footer
if is_dataset:
    table = ds.dataset(path, format="parquet", partitioning="hive",
                       ignore_prefixes=[".", "_"]).to_table()
else:
    table = ds.dataset(path, format="parquet").to_table()


def arrow_name(t):
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return STRING
    if (pa.types.is_list(t) or pa.types.is_large_list(t)) and arrow_name(t.value_type) == STRING:
        return LIST
    if pa.types.is_date32(t):
        return "date"
    if pa.types.is_timestamp(t) and t.unit == "us" and t.tz == "UTC":
        return "timestamp_utc"
    return {pa.int64(): BIGINT, pa.int32(): "int32", pa.float32(): "float32",
            pa.float64(): "float64", pa.bool_(): "bool"}.get(t, str(t))


check_types("pyarrow", {f.name: arrow_name(f.type) for f in table.schema})
accessions = table.column("accession_number").to_pylist()
if expected < 0:
    expected = len(accessions)
check_rows("pyarrow", accessions)

# pandas: default read_parquet, on the file or the dataset folder
frame = pd.read_parquet(path)
check_rows("pandas", list(frame["accession_number"]))
assert str(frame["cik"].dtype) == "int64", f"pandas: cik is {frame['cik'].dtype}"
assert str(frame["processed_at"].dtype).startswith("datetime64") and \
    str(frame["processed_at"].dt.tz) == "UTC", f"pandas: processed_at {frame['processed_at'].dtype}"
assert all(hasattr(v, "__len__") for v in frame["tickers"]), "pandas: tickers are not lists"
assert not any(str(t).startswith("decimal") for t in frame.dtypes), frame.dtypes

# polars
if is_dataset:
    pdf = pl.scan_parquet(f"{path}/**/*.parquet", hive_partitioning=True).collect()
else:
    pdf = pl.read_parquet(path)
POLARS = {pl.String: STRING, pl.Int64: BIGINT, pl.Int32: "int32", pl.Float32: "float32",
          pl.Float64: "float64", pl.Boolean: "bool", pl.Date: "date", pl.List(pl.String): LIST,
          pl.Datetime("us", "UTC"): "timestamp_utc"}
check_types("polars", {n: POLARS.get(t, str(t)) for n, t in pdf.schema.items()})
check_rows("polars", pdf["accession_number"].to_list())

# DuckDB
if is_dataset:
    rel = f"read_parquet('{path}/**/*.parquet', hive_partitioning = true)"
else:
    rel = f"read_parquet('{path}')"
con = duckdb.connect()
DUCK = {"VARCHAR": STRING, "BIGINT": BIGINT, "INTEGER": "int32", "FLOAT": "float32",
        "DOUBLE": "float64", "BOOLEAN": "bool", "DATE": "date", "VARCHAR[]": LIST,
        "TIMESTAMP WITH TIME ZONE": "timestamp_utc"}
described = con.execute(f"describe select * from {rel}").fetchall()
check_types("duckdb", {row[0]: DUCK.get(row[1], row[1]) for row in described})
n, distinct, first_filed = con.execute(
    f"select count(*), count(distinct accession_number), min(filing_date) from {rel}"
).fetchone()
assert n == expected and distinct == expected, ("duckdb", n, distinct, expected)
bad = con.execute(
    f"select count(*) from {rel} where summary_grounding not between 0 and 1 "
    "or summary_status not in ('ok', 'pending', 'failed')"
).fetchone()[0]
assert bad == 0, f"duckdb: {bad} rows with a grounding outside [0, 1] or an unknown summary status"

# each row's item statuses, as DuckDB and pyarrow read them alike
statuses = {}
for item in items:
    col = f"item_{item}_status"
    duck = dict(con.execute(f"select accession_number, {col} from {rel}").fetchall())
    arrow = dict(zip(accessions, table.column(col).to_pylist()))
    assert duck == arrow, ("item statuses differ", col, duck, arrow)
    statuses[item] = duck

print(json.dumps({"rows": n, "first_filed": str(first_filed),
                  "accessions": sorted(accessions), "statuses": statuses}))
