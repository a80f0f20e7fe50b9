#!/usr/bin/env bash
# Builds the fixture EDGAR mirror in DIR: a copy of tests/fixtures/edgar, whose documents are
# all constructed for the purpose, so the mirror needs nothing outside the repository. Used by
# the test suite and by `just demo`.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:?usage: fixture-mirror.sh DIR}
mkdir -p "$dest"
cp -R "$here/tests/fixtures/edgar/." "$dest/"
