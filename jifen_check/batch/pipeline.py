"""A whole batch run: output folder → results.jsonl, summary.xlsx, checklists/, summary.pdf.

Every file appears whole or not at all: results.jsonl and batch.log stream into `.part` files that
are renamed at the end (and deleted if the run is interrupted); the others are written to a
temporary name and renamed.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from jifen_check.batch.readers import BatchInput, Notice
from jifen_check.batch.runner import CHECKLIST_DIR, Options, Outcome, run_items
from jifen_check.batch.summary import Tally
from jifen_check.batch.summary_pdf import write_summary_pdf
from jifen_check.batch.summary_xlsx import SummaryWorkbook

RESULTS = "results.jsonl"
SUMMARY_XLSX = "summary.xlsx"
SUMMARY_PDF = "summary.pdf"
LOG = "batch.log"
OUR_FILES = (RESULTS, SUMMARY_XLSX, SUMMARY_PDF, LOG)


class OutputExists(Exception):
    """The output folder holds files and --overwrite was not given."""


def prepare_out_dir(out_dir: Path, overwrite: bool) -> None:
    """Creates the folder; an existing non-empty one only with `overwrite` (then our files go)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputExists(f"{out_dir} 已存在且不是文件夹")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        if not overwrite:
            raise OutputExists(f"输出文件夹 {out_dir} 不是空的；如要覆盖上次的结果，请加 --overwrite")
        _remove_previous(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)


def _remove_previous(out_dir: Path) -> None:
    # Only what a batch run writes: an --overwrite pointed at the wrong folder deletes nothing else.
    for name in OUR_FILES:
        (out_dir / name).unlink(missing_ok=True)
    checklists = out_dir / CHECKLIST_DIR
    if checklists.is_dir():
        for pdf in checklists.glob("*.pdf"):
            pdf.unlink()


class StreamedFile:
    """A text file written line by line to `<name>.part`, renamed into place by `commit`."""

    def __init__(self, path: Path, *, lazy: bool = False) -> None:
        self.path, self.part = path, path.with_name(path.name + ".part")
        self._fh: IO[str] | None = None if lazy else self._open()
        self.lines = 0

    def _open(self) -> IO[str]:
        return self.part.open("w", encoding="utf-8", newline="\n")

    def write(self, text: str) -> None:
        if self._fh is None:
            self._fh = self._open()
        self._fh.write(text if text.endswith("\n") else text + "\n")
        self.lines += 1

    def commit(self) -> None:
        if self._fh is not None:
            self._fh.close()
            os.replace(self.part, self.path)

    def discard(self) -> None:
        if self._fh is not None:
            self._fh.close()
        self.part.unlink(missing_ok=True)


@dataclass
class BatchReport:
    out_dir: Path
    tally: Tally
    notices: list[Notice]
    logged: int = 0
    files: list[str] = field(default_factory=list)


def run_batch(
    batch: BatchInput,
    options: Options,
    *,
    label: str,
    jobs: int | None = None,
    on_result: Callable[[Outcome], None] | None = None,
    start_method: str | None = None,
) -> BatchReport:
    """Judges every applicant of `batch` into options.out_dir (already prepared)."""
    out = options.out_dir
    if options.pdf:
        (out / CHECKLIST_DIR).mkdir(exist_ok=True)
    results, log = StreamedFile(out / RESULTS), StreamedFile(out / LOG, lazy=True)
    report = BatchReport(out, Tally(), batch.notices)
    workbook = SummaryWorkbook(out / SUMMARY_XLSX, batch.extra_headers, options.lang)  # type: ignore[arg-type]
    try:
        for outcome in run_items(batch.items, batch.layouts, options, jobs=jobs, start_method=start_method,
                                 load=batch.load):
            results.write(outcome.line)
            workbook.add(outcome.row)
            report.tally.add(outcome.row)
            if outcome.log:
                log.write(outcome.log)
            if on_result:
                on_result(outcome)
        if results.lines != len(batch.items):  # the contract: N applicants in, N results out
            raise RuntimeError(f"结果数 {results.lines} 与输入人数 {len(batch.items)} 不符")
        results.commit()
        log.commit()
        _finish(report, workbook, options, label, log.lines)
    except BaseException:
        results.discard()
        log.discard()
        workbook.discard()
        raise
    finally:
        batch.close()
    return report


def _finish(report: BatchReport, workbook: SummaryWorkbook, options: Options, label: str, logged: int) -> None:
    facts = _facts(report, options, label)
    workbook.close(report.tally, report.notices, facts)
    report.files = [RESULTS, SUMMARY_XLSX]
    if options.pdf:
        created = options.as_of or dt.date.today()
        write_summary_pdf(options.out_dir / SUMMARY_PDF, report.tally, facts, created=created)
        report.files += [SUMMARY_PDF, f"{CHECKLIST_DIR}/"]
    report.logged = logged
    if logged:
        report.files.append(LOG)


def _facts(report: BatchReport, options: Options, label: str) -> dict[str, str]:
    unmatched = sum(1 for n in report.notices if n.kind == "未匹配的行")
    return {
        "输入": label,
        "申请日期": options.as_of.isoformat() if options.as_of else "按各行「申请日期」，未填的按运行当天",
        "人数": str(report.tally.total),
        "未匹配的明细行": str(unmatched),
    }
