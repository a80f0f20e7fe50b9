"""Reads tenk output with pyarrow and DuckDB, independently of tenk's own reader.

Usage: check.py FILE_OR_DATASET EXPECTED_ROWS (-1: any number)
Prints one JSON line: what both readers saw. Exits non-zero when they disagree with each
other or with the schema tenk documents.
"""
import json
import sys

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds

path, expected = sys.argv[1], int(sys.argv[2])
is_dataset = not path.endswith(".parquet")

if is_dataset:
    table = ds.dataset(path, format="parquet", partitioning="hive", exclude_invalid_files=True,
                       ignore_prefixes=[".", "_"]).to_table()
    rel = f"read_parquet('{path}/**/*.parquet', hive_partitioning = true)"
else:
    table = ds.dataset(path, format="parquet").to_table()
    rel = f"read_parquet('{path}')"

schema = table.schema
expect_types = {
    "cik": pa.uint64(),
    "filing_date": pa.date32(),
    "report_date": pa.date32(),
    "fiscal_year": pa.int32(),
    "item1_confidence": pa.float32(),
    "summary_tokens": pa.uint64(),
    "summary_truncated": pa.bool_(),
    "processed_at": pa.timestamp("us", tz="UTC"),
}
for name, typ in expect_types.items():
    got = schema.field(name).type
    assert got == typ, f"{name}: {got} != {typ}"
# strings are stored as Parquet UTF8; pyarrow may present them as string or string_view
stringy = (pa.types.is_string, pa.types.is_large_string, pa.types.is_string_view)
for name in ("accession_number", "company_name", "form", "summary", "item1_status"):
    assert any(t(schema.field(name).type) for t in stringy), (name, schema.field(name).type)
tickers = schema.field("tickers").type
assert pa.types.is_list(tickers) or pa.types.is_large_list(tickers), tickers

accessions = table.column("accession_number").to_pylist()
if expected < 0:
    expected = len(accessions)
assert len(accessions) == expected, f"pyarrow: {len(accessions)} rows, expected {expected}"
assert len(set(accessions)) == len(accessions), "duplicate accession numbers"

con = duckdb.connect()
n, distinct, first_filed = con.execute(
    f"select count(*), count(distinct accession_number), min(filing_date) from {rel}"
).fetchone()
assert n == expected and distinct == expected, (n, distinct, expected)
print(json.dumps({"rows": n, "first_filed": str(first_filed),
                  "accessions": sorted(accessions)}))
