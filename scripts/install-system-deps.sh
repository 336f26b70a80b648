#!/usr/bin/env bash
# Installs the Debian packages jifen-check needs, only when missing:
# Pango (WeasyPrint's text layout), Noto Sans CJK (the PDF font), libharfbuzz-subset0
# (font subsetting: without it a CJK render takes ~20 s instead of ~0.6 s), poppler-utils
# (pdftoppm/pdffonts for `make preview` and the tests), what building durable-rules needs, and chromium
# (the web app's browser tests drive it through Playwright, which cannot download its own browser here).
set -euo pipefail
pkgs="libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk libharfbuzz-subset0 poppler-utils gcc g++ make chromium"
# No Python 3.11/3.12 with venv here (a bare Debian): take Debian's, with the headers durable-rules needs.
"$(dirname "$0")/find-python.sh" >/dev/null 2>&1 || pkgs="$pkgs python3 python3-venv python3-dev"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing system packages:$missing" >&2
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
