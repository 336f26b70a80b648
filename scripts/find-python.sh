#!/usr/bin/env bash
# Prints a Python 3.11 or 3.12 interpreter (durable-rules 2.0.28 fails to import on 3.13).
for c in python3.12 python3.11 python3; do
  if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys, venv; sys.exit(not ((3, 11) <= sys.version_info[:2] < (3, 13)))' 2>/dev/null; then
    command -v "$c"; exit 0
  fi
done
echo "jifen-check needs Python 3.11 or 3.12 with venv (apt-get install python3 python3-venv python3-dev)" >&2
exit 1
