"""Judge a batch in worker processes and stream the results out in input order.

- durable-rules is not thread-safe: each worker is a process with its own engine (the judge
  creates it lazily, once per process). Workers start with `forkserver` (or `spawn` where there
  is none): forking the parent would copy its progress-bar and executor threads' locks.
- The parent only reads and groups the input; converting rows, judging, rendering the checklist
  PDF and serialising the result happen in the workers.
- Chunks are submitted through a bounded window and collected in order, so memory stays flat
  and every result is written as soon as its turn comes.
- One applicant never stops the batch: an exception becomes an `invalid_input` result with an
  ERR-INTERNAL finding (the traceback goes to batch.log, not to the user); a worker that dies
  outright is replaced and its applicants are retried one by one.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import re
import signal
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from jifen_check import rulebook
from jifen_check.batch.cellrefs import annotate
from jifen_check.batch.readers import FilePerson, Item, Layout, SheetPerson, assemble
from jifen_check.batch.summary import RowSummary, summarise
from jifen_check.judge import judge
from jifen_check.result import ApplicantRef, Finding, Result, RulesetRef

CHECKLIST_DIR = "checklists"
SERIAL_BELOW = 100  # applicants; judging takes ~3 ms each, starting the pool about a second
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
MAX_NAME = 80


@dataclass(frozen=True)
class Options:
    out_dir: Path
    as_of: dt.date | None = None
    show_id: bool = False
    pdf: bool = True
    lang: str = "zh"  # of the checklist PDFs and the summaries (results.jsonl keeps the Chinese result)


@dataclass(frozen=True)
class Outcome:
    """What the parent keeps of one applicant: its JSON line, its summary row, any log text."""

    index: int
    line: str
    row: RowSummary
    log: str | None = None


# ---------------------------------------------------------------- one applicant (worker side)


def safe_file_name(text: str) -> str:
    """A file name from 工号-姓名: no path separators, control or reserved characters."""
    name = _UNSAFE_NAME.sub("_", text).strip(" .")
    return name[:MAX_NAME] or "applicant"


def process_item(item: Item, layouts: dict[str, Layout], options: Options, pdf_name: str | None) -> Outcome:
    """Judge one applicant; never raises."""
    log: list[str] = []
    try:
        result = _judge_item(item, layouts, options)
    except Exception as exc:  # crash isolation: one bad applicant must not stop the batch
        log.append(f"{item.source}: 判断时内部错误\n{traceback.format_exc()}")
        result = internal_error_result(item, options, exc)
    pdf = _render_pdf(result, options, pdf_name, log) if pdf_name else None
    line = json.dumps(result.to_json_dict(), ensure_ascii=False)
    summary = summarise(item.index, result, pdf, options.lang)  # type: ignore[arg-type]
    return Outcome(item.index, line, summary, "\n".join(log) or None)


def _judge_item(item: Item, layouts: dict[str, Layout], options: Options) -> Result:
    assembled = assemble(item, layouts)
    # --as-of (when given) is a what-if date for the whole batch: it overrides each row's 申请日期.
    result = judge(assembled.doc, as_of=options.as_of, source=item.source, show_id=options.show_id,
                   with_routes=True)
    result = annotate(result, assembled.cells, assembled.problems)
    return _with_ref(result, item, assembled.extra)


def _with_ref(result: Result, item: Item, extra: dict[str, str] | None = None) -> Result:
    ref = result.applicant
    update = {"row": item.source, "employee_no": ref.employee_no or item.employee_no or None,
              "name": ref.name or item.name or None, "extra": extra or {}}
    return result.model_copy(update={"applicant": ref.model_copy(update=update)})


def internal_error_result(item: Item, options: Options, exc: BaseException) -> Result:
    as_of = options.as_of or dt.date.today()
    finding = Finding(
        rule="ERR-INTERNAL", severity="error", title="内部错误",
        message=f"内部错误：检查此申请人时程序出错（{type(exc).__name__}），未能判断；其他人员不受影响",
        remedy="请把输出目录中的 batch.log 发给维护人员；可先人工核对此人", evidence=[item.source],
    )
    who = ApplicantRef(name=item.name or None, row=item.source, employee_no=item.employee_no or None)
    return Result(as_of=as_of.isoformat(), ruleset=_ruleset_ref(as_of), applicant=who,
                  verdict="invalid_input", findings=[finding])


def _ruleset_ref(day: dt.date) -> RulesetRef:
    try:
        book = rulebook.load(rulebook.DEFAULT_RULESET)
        return RulesetRef(id=book.id, parameters_as_of=book.parameters_as_of(day).isoformat())
    except Exception:  # the crash may have been in the ruleset itself: still say which one
        return RulesetRef(id=rulebook.DEFAULT_RULESET, parameters_as_of="")


def _render_pdf(result: Result, options: Options, pdf_name: str, log: list[str]) -> str | None:
    from jifen_check.render.pdf import render_checklist_pdf  # WeasyPrint only when PDFs are asked for

    relative = f"{CHECKLIST_DIR}/{pdf_name}.pdf"
    try:
        render_checklist_pdf(result, options.out_dir / relative, options.lang)  # type: ignore[arg-type]
    except Exception:  # a PDF failure loses the PDF, not the result
        log.append(f"{result.applicant.row}: 材料清单 PDF 生成失败\n{traceback.format_exc()}")
        return None
    return relative


# ---------------------------------------------------------------- worker process state

_STATE: dict[str, object] = {}


def _init_worker(layouts: dict[str, Layout], options: Options) -> None:
    # Ctrl-C is the parent's to handle: workers must not each print a KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _STATE.update(layouts=layouts, options=options)


def _work(chunk: list[tuple[Item, str | None]]) -> list[Outcome]:
    layouts, options = _STATE["layouts"], _STATE["options"]
    return [process_item(item, layouts, options, name) for item, name in chunk]  # type: ignore[arg-type]


# ---------------------------------------------------------------- the parent


def pdf_names(items: list[Item]) -> list[str]:
    """Unique checklist names in input order: 工号-姓名 (or the file stem), -2, -3 for repeats."""
    used: set[str] = set()
    names = []
    for item in items:
        if isinstance(item, FilePerson):
            base = safe_file_name(Path(item.source).stem)
        else:
            base = safe_file_name("-".join(p for p in (item.employee_no, item.name) if p) or item.source)
        name, n = base, 1
        while name.casefold() in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name.casefold())
        names.append(name)
    return names


def default_start_method() -> str:
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def run_items(
    items: list[Item],
    layouts: dict[str, Layout],
    options: Options,
    *,
    jobs: int | None = None,
    start_method: str | None = None,
    load: Callable[[Item], Item] = lambda item: item,
) -> Iterator[Outcome]:
    """Outcomes in input order, one per item, computed by `jobs` worker processes.

    `load` gives an item its detail rows just before it is judged (BatchInput.load).
    """
    names: list[str | None] = list(pdf_names(items)) if options.pdf else [None] * len(items)
    work = list(zip(items, names, strict=True))
    if jobs is None and not options.pdf and len(work) < SERIAL_BELOW:
        jobs = 1  # starting worker processes would take longer than judging a few applicants
    jobs = max(1, jobs or os.cpu_count() or 1)
    if jobs == 1 or len(work) <= 1:
        for item, name in work:
            yield process_item(load(item), layouts, options, name)
            _release(item)
        return
    yield from _Pool(layouts, options, jobs, start_method or default_start_method(), load).run(work)


class _Pool:
    """A process pool with an ordered, bounded window of chunks and recovery from dead workers."""

    def __init__(self, layouts: dict[str, Layout], options: Options, jobs: int, start_method: str,
                 load: Callable[[Item], Item]) -> None:
        self.layouts, self.options, self.jobs, self.load = layouts, options, jobs, load
        self.context = multiprocessing.get_context(start_method)
        self.executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.jobs, mp_context=self.context, initializer=_init_worker,
                                   initargs=(self.layouts, self.options))

    def run(self, work: list[tuple[Item, str | None]]) -> Iterator[Outcome]:
        size = _chunk_size(len(work), self.jobs, self.options.pdf)
        chunks = (work[i : i + size] for i in range(0, len(work), size))
        pending: deque[tuple[Future[list[Outcome]], list[tuple[Item, str | None]]]] = deque()
        try:
            for chunk in chunks:
                pending.append((self._submit(chunk), chunk))
                if len(pending) >= self.jobs * 3:
                    yield from self._collect(*pending.popleft())
            while pending:
                yield from self._collect(*pending.popleft())
        finally:
            self.executor.shutdown(wait=not pending, cancel_futures=True)

    def _submit(self, chunk: list[tuple[Item, str | None]]) -> Future[list[Outcome]]:
        for item, _ in chunk:
            self.load(item)
        try:
            return self.executor.submit(_work, chunk)
        except BrokenProcessPool:
            self._restart()
            return self.executor.submit(_work, chunk)

    def _collect(self, future: Future[list[Outcome]], chunk: list[tuple[Item, str | None]]) -> list[Outcome]:
        try:
            outcomes = future.result()
        except BrokenProcessPool:
            # A worker died (not an exception: those are caught inside). Retry alone to find who.
            self._restart()
            outcomes = [self._retry_alone(item, name) for item, name in chunk]
        for item, _ in chunk:
            _release(item)
        return outcomes

    def _retry_alone(self, item: Item, name: str | None) -> Outcome:
        try:
            return self.executor.submit(_work, [(item, name)]).result()[0]
        except BrokenProcessPool:
            self._restart()
            exc = RuntimeError("工作进程异常退出")
            result = internal_error_result(item, self.options, exc)
            line = json.dumps(result.to_json_dict(), ensure_ascii=False)
            return Outcome(item.index, line, summarise(item.index, result, None), f"{item.source}: 工作进程异常退出")

    def _restart(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._new_executor()


def _release(item: Item) -> None:
    """Drops a judged applicant's raw rows: the parent's memory shrinks as results stream out."""
    if isinstance(item, SheetPerson):
        item.details = {}


def _chunk_size(n: int, jobs: int, pdf: bool) -> int:
    # PDFs take ~0.1 s each: small chunks keep both cores busy to the end. Judging alone is
    # fast, so bigger chunks save pickling round trips.
    if pdf:
        return 1
    return max(1, min(50, n // (jobs * 8)))

