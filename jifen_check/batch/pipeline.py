"""A whole batch run: output folder → results.jsonl, summary.xlsx, checklists/, summary.pdf.

Every file appears whole or not at all: results.jsonl and batch.log stream into `.part` files that
are renamed at the end (and deleted if the run is interrupted); the others are written to a
temporary name and renamed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing.util
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

from jifen_check import rulebook
from jifen_check.atomic import create_new
from jifen_check.batch.outdir import (
    CHECKLIST_DIR,
    LOG,
    RESULTS,
    SUMMARY_PDF,
    SUMMARY_XLSX,
    OutDir,
    OutDirError,
    OutputExists,
    open_out_dir,
)
from jifen_check.batch.readers import BatchInput, Notice
from jifen_check.batch.runner import Options, Outcome, Workers, pdf_names, run_items
from jifen_check.batch.summary import Tally
from jifen_check.batch.summary_pdf import write_summary_pdf
from jifen_check.batch.summary_xlsx import SummaryWorkbook
from jifen_check.result import RulesetRef

BUFFER_BYTES = 1 << 20

__all__ = ["OutDirError", "OutputExists", "prepare_out_dir", "run_batch"]


def prepare_out_dir(out_dir: Path, overwrite: bool) -> OutDir:
    """Locks and prepares the folder (outdir.py); an existing non-empty one only with `overwrite`."""
    return open_out_dir(out_dir, overwrite)


class StreamedFile:
    """A UTF-8 text file written line by line to `<scratch>/<name>.part`, renamed into place by `commit`.

    A line may come already encoded (results.jsonl's lines are encoded in the workers: the parent
    neither decodes nor re-encodes some 7 kB per applicant)."""

    def __init__(self, path: Path, scratch: Path, *, lazy: bool = False) -> None:
        self.path, self.part = path, scratch / (path.name + ".part")
        self._fh: IO[bytes] | None = None if lazy else self._open()
        self.lines = 0

    def _open(self) -> IO[bytes]:
        # A line of results.jsonl (~7 kB) hardly fits the default 8 kB buffer: nearly one write call
        # per person. 1 MiB takes a write call per ~150 people.
        return os.fdopen(create_new(self.part), "wb", buffering=BUFFER_BYTES)

    def write(self, text: str | bytes) -> None:
        if self._fh is None:
            self._fh = self._open()
        line = text.encode() if isinstance(text, str) else text
        self._fh.write(line)
        if not line.endswith(b"\n"):
            self._fh.write(b"\n")
        self.lines += 1

    def finish(self) -> None:
        """Closes the part file (a full disk shows here at the latest)."""
        if self._fh is not None and not self._fh.closed:
            self._fh.close()

    def commit(self) -> None:
        self.finish()
        if self._fh is not None:
            os.replace(self.part, self.path)

    def discard(self) -> None:
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.close()
        self.part.unlink(missing_ok=True)


@dataclass
class BatchReport:
    out_dir: Path
    tally: Tally
    notices: list[Notice]
    logged: int = 0
    files: list[str] = field(default_factory=list)
    pdf_failed: list[str] = field(default_factory=list)  # source rows whose checklist PDF is missing


@contextlib.contextmanager
def scratch_tempdir(scratch: Path) -> Iterator[None]:
    """Python's temporary files (openpyxl's sheet streams, the detail store) go to `scratch`."""
    # multiprocessing keeps its fork-server socket in a process-wide temporary folder made on first
    # use: make it now, outside the scratch folder that this run removes at its end.
    multiprocessing.util.get_temp_dir()
    saved = tempfile.tempdir
    tempfile.tempdir = str(scratch)
    try:
        yield
    finally:
        tempfile.tempdir = saved


def run_batch(
    batch: BatchInput,
    options: Options,
    *,
    label: str,
    jobs: int | None = None,
    on_result: Callable[[Outcome], None] | None = None,
    start_method: str | None = None,
    outdir: OutDir | None = None,
    workers: Workers | None = None,
) -> BatchReport:
    """Judges every applicant of `batch` into options.out_dir.

    `outdir` is the folder as opened (locked) by the caller; without it the folder is opened here
    (it must be empty or hold only this tool's files). `workers`: a pool started while the input
    was read (runner.Workers), for `options` with the scratch folder of `outdir`.
    """
    own = outdir is None
    held = open_out_dir(options.out_dir, overwrite=True) if outdir is None else outdir
    try:
        held.scratch.mkdir(exist_ok=True)
        with scratch_tempdir(held.scratch):
            return _run(batch, replace(options, scratch=held.scratch), held, label, jobs, on_result,
                        start_method, workers)
    finally:
        batch.close()
        if own:
            held.release()


def _run(batch: BatchInput, options: Options, held: OutDir, label: str, jobs: int | None,
         on_result: Callable[[Outcome], None] | None, start_method: str | None,
         workers: Workers | None = None) -> BatchReport:
    out = options.out_dir
    if options.pdf:
        held.subdir(CHECKLIST_DIR)
        # Recorded before any worker writes one: a killed run's PDFs are still ours to remove.
        held.record_many([f"{CHECKLIST_DIR}/{name}.pdf" for name in pdf_names(batch.items)])
    results = StreamedFile(out / RESULTS, held.scratch)
    log = StreamedFile(out / LOG, held.scratch, lazy=True)
    report = BatchReport(out, Tally(), batch.notices)
    workbook = SummaryWorkbook(out / SUMMARY_XLSX, batch.extra_headers, options.lang)  # type: ignore[arg-type]
    written: list[Path] = []
    # closing(): an interruption (Ctrl-C, SIGTERM, a failed write) stops the workers now, before the
    # scratch folder they write in is removed, not whenever the suspended generator is collected.
    outcomes = contextlib.closing(run_items(batch.items, batch.layouts, options, jobs=jobs,
                                            start_method=start_method, load=batch.load, workers=workers))
    try:
        with outcomes as stream:
            for outcome in stream:
                _take(outcome, results, workbook, report, log, on_result)
        if results.lines != len(batch.items):  # the contract: N applicants in, N results out
            raise RuntimeError(f"结果数 {results.lines} 与输入人数 {len(batch.items)} 不符")
        results.finish()
        log.finish()
        # The summaries first, results.jsonl last: a run that fails half-way (a full disk) leaves
        # nothing that looks complete.
        _finish(report, workbook, options, label, log.lines, held, written)
        held.record_many([RESULTS] + ([LOG] if log.lines else []))
        log.commit()
        results.commit()
    except BaseException:
        results.discard()
        log.discard()
        workbook.discard()
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    return report


def _take(outcome: Outcome, results: StreamedFile, workbook: SummaryWorkbook, report: BatchReport,
          log: StreamedFile, on_result: Callable[[Outcome], None] | None) -> None:
    """One person's outcome into results.jsonl, the summary, the tally and the log."""
    results.write(outcome.line)
    workbook.add(outcome.row)
    report.tally.add(outcome.row)
    if outcome.row.pdf_error:
        report.pdf_failed.append(outcome.row.source)
    if outcome.log:
        log.write(outcome.log)
    if on_result:
        on_result(outcome)


def _finish(report: BatchReport, workbook: SummaryWorkbook, options: Options, label: str, logged: int,
            held: OutDir, written: list[Path]) -> None:
    facts = _facts(report, options, label)
    held.record(SUMMARY_XLSX)
    workbook.close(report.tally, report.notices, facts)
    written.append(options.out_dir / SUMMARY_XLSX)
    report.files = [RESULTS, SUMMARY_XLSX]
    if options.pdf:
        created = options.as_of or dt.date.today()
        held.record(SUMMARY_PDF)
        write_summary_pdf(options.out_dir / SUMMARY_PDF, report.tally, facts, created=created,
                          lang=options.lang)  # type: ignore[arg-type]
        written.append(options.out_dir / SUMMARY_PDF)
        report.files += [SUMMARY_PDF, f"{CHECKLIST_DIR}/"]
    report.logged = logged
    if logged:
        report.files.append(LOG)


def _facts(report: BatchReport, options: Options, label: str) -> dict[str, str]:
    from jifen_check.render.i18n import summary_phrases

    t = summary_phrases(options.lang)  # type: ignore[arg-type]
    unmatched = sum(1 for n in report.notices if n.kind == "未匹配的行")
    return {
        t["input"]: label,
        t["as_of"]: options.as_of.isoformat() if options.as_of else t["as_of_rows"],
        t["count"]: str(report.tally.total),
        t["unmatched"]: str(unmatched),
        t["version"]: rulebook.version_line(_ruleset_for(options.ruleset, options.as_of or dt.date.today()),
                                             options.lang),  # type: ignore[arg-type]
    }


def _ruleset_for(ruleset: str, day: dt.date) -> RulesetRef:
    return rulebook.ruleset_ref(rulebook.load(ruleset), day)
