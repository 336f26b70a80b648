#!/usr/bin/env bash
# `make demo`: judge every sample applicant, write their PDF checklists, and run the batch on the
# sample staff workbook. Everything lands in the folder given as $1 (default: out/).
set -uo pipefail
out="${1:-out}"
cli=".venv/bin/jifen-check"
mkdir -p "$out/checklists"
echo "== 单个申请人 samples/*.yaml"
for f in samples/*.yaml; do
  name=$(basename "$f" .yaml)
  "$cli" check "$f" --pdf "$out/checklists/$name.pdf" > "$out/$name.txt" 2>/dev/null
  code=$?
  printf '%-40s exit %s  %s\n' "$name" "$code" "$(head -n 1 "$out/$name.txt")"
done
# The English checklist (--lang en), for foreign-invested companies' HR: a route to eligibility on page 1.
# Exit codes 0/3/4/5 are verdicts (formats.md), not failures.
verdict() { case "$1" in 0|3|4|5) return 0 ;; *) return 1 ;; esac; }
"$cli" checklist samples/10-backpay-and-mismatch.yaml -o "$out/checklists/en-10-backpay-and-mismatch.pdf" --lang en \
  >/dev/null 2>&1
verdict $? && printf '%-40s --lang en\n' "en-10-backpay-and-mismatch"
echo
echo "== 完整报告示例：samples/07-fails-6-of-12.yaml"
cat "$out/07-fails-6-of-12.txt"
if [ -f samples/staff.xlsx ] && "$cli" batch --help >/dev/null 2>&1; then
  echo
  echo "== 批量：samples/staff.xlsx"
  # staff.xlsx holds two rows with bad input on purpose, so the batch exits 5 (invalid input).
  "$cli" batch samples/staff.xlsx --out "$out/batch" --overwrite
  verdict $? || exit 1
fi
echo
echo "报告：$out/*.txt"
echo "材料清单 PDF：$out/checklists/"
[ -d "$out/batch" ] && echo "批量结果：$out/batch/（results.jsonl、summary.xlsx、summary.pdf、checklists/）"
echo "预览第一页：make preview OUT=$out"
exit 0
