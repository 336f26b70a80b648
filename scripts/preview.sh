#!/usr/bin/env bash
# Renders page 1 of every PDF under DIR (default: out) to a PNG under DIR/preview/ (same relative
# path; not beside the PDF, where a batch output folder would refuse the next --overwrite), and
# keeps a screenshot of each page of the web app under DIR/web/.
# Used by `make preview OUT=dir`.
set -euo pipefail
dir="${1:-out}"
mkdir -p "$dir/web"
web="$(cd "$dir/web" && pwd)"
# The web app's pages as the browser tests leave them (the real server in Debian's chromium).
(cd "$(dirname "$0")/.." && JIFEN_SCREENSHOTS="$web" .venv/bin/python -m pytest -q -p no:cacheprovider \
  tests/web/test_web_browser.py >/dev/null) && ls "$web"/*.png
if ! command -v pdftoppm >/dev/null 2>&1; then
  echo "pdftoppm not found: install poppler-utils (make setup does)" >&2
  exit 1
fi
mapfile -d '' pdfs < <(find "$dir" -type f -name '*.pdf' -print0 2>/dev/null | sort -z)
if [ "${#pdfs[@]}" -eq 0 ]; then
  echo "no PDFs under $dir/ yet: run 'make demo' first (or 'make demo OUT=$dir')" >&2
  exit 1
fi
for pdf in "${pdfs[@]}"; do
  # pdftoppm appends the page number: foo.pdf -> foo-1.png (zero-padded for long documents).
  png="$dir/preview/${pdf#"$dir"/}"
  mkdir -p "$(dirname "$png")"
  pdftoppm -png -r 80 -f 1 -l 1 "$pdf" "${png%.pdf}"
  ls "${png%.pdf}"-*1.png
done
