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

import contextlib
import ctypes
import datetime as dt
import gc
import json
import multiprocessing
import os
import pickle
import re
import signal
import tempfile
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from jifen_check import __version__, rulebook
from jifen_check.batch.cellrefs import annotate
from jifen_check.batch.outdir import CHECKLIST_DIR, os_reason
from jifen_check.batch.readers import FilePerson, Item, Layout, SheetPerson, assemble
from jifen_check.batch.summary import RowSummary, summarise
from jifen_check.identifiers import id_candidates, mask_id
from jifen_check.judge import judge, mask_result
from jifen_check.result import ApplicantRef, Finding, Result, RulesetRef, Score

SERIAL_BELOW = 100  # applicants; judging takes ~3 ms each, starting the pool about a second
_ID_RUN = re.compile(r"\d{14,17}[\dXx]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# U+FFFE/U+FFFF are not XML characters: in a name, summary.xlsx's link to the PDF would not parse.
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]+')
# Bytes, not characters: 85 × 𠮷 is 340 bytes, over every file system's 255. Leaves room for
# "-<n>" of a repeated name and ".pdf".
MAX_NAME_BYTES = 200
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}


@dataclass(frozen=True)
class Options:
    out_dir: Path
    as_of: dt.date | None = None
    show_id: bool = False
    pdf: bool = True
    lang: str = "zh"  # of the checklist PDFs and the summaries (results.jsonl keeps the Chinese result)
    scratch: Path | None = None  # the run's private temporary folder (out/.tmp)
    ruleset: str = rulebook.DEFAULT_RULESET  # an id or a folder path (`--ruleset`), passed to every judgement


@dataclass(frozen=True)
class Outcome:
    """What the parent keeps of one applicant: its JSON line, its summary row, any log text."""

    index: int
    line: bytes  # UTF-8, encoded in the worker: the parent writes it to results.jsonl as it is
    row: RowSummary
    log: str | None = None


# ---------------------------------------------------------------- one applicant (worker side)


def safe_file_name(text: str, keep: str = "") -> str:
    """A file name from 工号-姓名: no path separators, control or reserved characters, at most
    MAX_NAME_BYTES of UTF-8. `keep` (the 工号 prefix) survives truncation; the rest is cut."""
    name = _UNSAFE_NAME.sub("_", text).strip(" .")
    keep = _UNSAFE_NAME.sub("_", keep)
    if len(name.encode()) > MAX_NAME_BYTES:
        head = _cut(keep, MAX_NAME_BYTES // 2) if keep and name.startswith(keep) else ""
        name = (head + _cut(name[len(head):], MAX_NAME_BYTES - len(head.encode()))).strip(" .")
    name = name or "applicant"
    if name.split(".")[0].upper() in _WINDOWS_RESERVED:  # CON.pdf cannot be opened on Windows
        name += "_"
    return name


def _cut(text: str, limit: int) -> str:
    """The longest prefix of `text` that fits in `limit` bytes of UTF-8 (never half a character)."""
    return text.encode()[:limit].decode("utf-8", "ignore")


def process_item(item: Item, layouts: dict[str, Layout], options: Options, pdf_name: str | None) -> Outcome:
    """Judge one applicant; never raises."""
    log: list[str] = []
    try:
        result = _judge_item(item, layouts, options)
    except Exception as exc:  # crash isolation: one bad applicant must not stop the batch
        log.append(f"{item.source}: 判断时内部错误\n{traceback.format_exc()}")
        result = internal_error_result(item, options, exc)
    pdf, pdf_error = _render_pdf(result, options, pdf_name, log) if pdf_name else (None, None)
    line = json_line(result)
    row = summarise(item.index, result, pdf, options.lang, pdf_error)  # type: ignore[arg-type]
    text = "\n".join(log) or None
    if text and not options.show_id:  # tracebacks quote values: no ID-shaped number in the log
        text = _ID_RUN.sub(lambda m: mask_id(m[0]), text)
    return Outcome(item.index, line, row, text)


def json_line(result: Result) -> bytes:
    """The result's line of results.jsonl, UTF-8. A lone surrogate (from `_xD800_` in a workbook)
    has no UTF-8 form: it becomes U+FFFD rather than stop the batch."""
    # A dump of plain dicts and lists cannot refer to itself: no check for cycles. The surrogates are
    # looked for only when the line does not encode (a third of json_line's time went to both).
    text = json.dumps(result.to_json_dict(), ensure_ascii=False, check_circular=False)
    try:
        return text.encode()
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text).encode()


def _judge_item(item: Item, layouts: dict[str, Layout], options: Options) -> Result:
    assembled = assemble(item, layouts)
    if assembled.file_problems:  # an unreadable applicant file: the very result `check` gives for it
        return _with_ref(judge(None, as_of=options.as_of, source=item.source, show_id=options.show_id,
                               ruleset_id=options.ruleset, problems=assembled.file_problems), item)
    # --as-of (when given) is a what-if date for the whole batch: it overrides each row's 申请日期.
    result = judge(assembled.doc, as_of=options.as_of, source=item.source, show_id=options.show_id,
                   ruleset_id=options.ruleset, with_routes=True)
    if assembled.problems:  # the reader's own errors (a repeated 工号, a cell it cannot use): not judged
        result = _unjudged(result)
    result = _with_ref(annotate(result, assembled.cells, assembled.problems), item, assembled.extra)
    # The reader's own messages quote cells (an ID typed into the wrong column): mask them too.
    if options.show_id or not assembled.problems:
        return result
    return mask_result(result, partial(id_candidates, assembled.doc))


def _unjudged(result: Result) -> Result:
    """An applicant the reader found errors in is `invalid_input` (policy.md: errors that prevent
    judging), shaped as the judge shapes one: its data findings only; no points, blockers, checklist,
    earliest date or routes (formats.md: none for invalid_input). Judged as read, a person whose 工号
    repeats an earlier row's, with no detail rows of its own, showed 30 points and three blockers."""
    data = [f for f in result.findings if f.rule.startswith("DATA-")]
    return result.model_copy(update={
        "findings": data, "score": Score(pass_mark=result.score.pass_mark), "checklist": [],
        "earliest_eligible": None, "earliest_eligible_note": None, "routes": [], "urgent": []})


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
    ref, score = _ruleset_ref(options.ruleset, as_of)
    return Result(as_of=as_of.isoformat(), ruleset=ref, applicant=who, verdict="invalid_input", score=score,
                  findings=[finding])


def _ruleset_ref(ruleset: str, day: dt.date) -> tuple[RulesetRef, Score]:
    """The run's ruleset and its pass mark on the day, as a judged result would carry them."""
    try:
        book = rulebook.load(ruleset)
        ref = rulebook.ruleset_ref(book, day)
        return ref, Score(pass_mark=book.param("pass_mark", max(day, book.header.in_force["from"])))
    except Exception:  # the crash may have been in the ruleset itself: still say which one
        return RulesetRef(id=ruleset, parameters_as_of="", tool_version=__version__), Score()


def _render_pdf(result: Result, options: Options, pdf_name: str, log: list[str]) -> tuple[str | None, str | None]:
    """(the PDF's path relative to the output folder, None) or (None, why it is missing)."""
    relative = f"{CHECKLIST_DIR}/{pdf_name}.pdf"
    try:
        from jifen_check.render.pdf import render_checklist_pdf  # WeasyPrint only when PDFs are asked for

        render_checklist_pdf(result, options.out_dir / relative, options.lang)  # type: ignore[arg-type]
    except OSError as exc:  # a full disk, a read-only folder: this person's PDF is missing
        log.append(f"{result.applicant.row}: 材料清单 PDF 未能写出：{os_reason(exc)}")
        return None, f"材料清单 PDF 未能写出（{os_reason(exc)}）"
    except Exception as exc:  # a PDF failure loses the PDF, not the result
        log.append(f"{result.applicant.row}: 材料清单 PDF 生成失败\n{traceback.format_exc()}")
        return None, f"材料清单 PDF 生成失败（{type(exc).__name__}）"
    return relative, None


# ---------------------------------------------------------------- worker process state

_STATE: dict[str, object] = {}
WATCH_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1


def _init_worker(options: Options, parent: int) -> None:
    # Ctrl-C is the parent's to handle: workers must not each print a KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with(parent)
    if options.scratch is not None:
        tempfile.tempdir = str(options.scratch)
    _STATE.update(options=options)


def _ready() -> None:
    """A task that only makes the pool start a worker (they are started one per task submitted)."""


def _die_with(parent: int) -> None:
    """A worker must not outlive the batch (a `kill -9` of the parent leaves idle workers of
    ~145 MB each): the kernel's parent-death signal where it applies, and a watchdog thread that
    checks the batch process every second (a forkserver worker's parent is the fork server)."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    threading.Thread(target=_watch, args=(parent,), name="parent-watchdog", daemon=True).start()


def _watch(parent: int) -> None:
    while process_alive(parent):
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def process_alive(pid: int) -> bool:
    """True while `pid` runs (a zombie, killed but not yet reaped, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


def _work(chunk: list[tuple[Item, str | None]], layouts: bytes) -> list[Outcome]:
    options = _STATE["options"]
    # The layouts come pickled with every chunk (the pool starts before the input's sheets are read);
    # unpickled once per run: the same objects keep the plans assemble caches by identity.
    if _STATE.get("layouts_blob") != layouts:
        _STATE.update(layouts=pickle.loads(layouts), layouts_blob=layouts)
    out = [process_item(item, _STATE["layouts"], options, name) for item, name in chunk]  # type: ignore[arg-type]
    if "frozen" not in _STATE:
        # After the first chunk the rulebook, the engine and the caches are built and live for the whole
        # run: moved out of the collector's generations, full collections stop scanning them again and
        # again (time in the collector on 600 mixed people: 0.14 -> 0.08 CPU-s, gen-2 part 0.07 -> 0.02).
        gc.freeze()
        _STATE["frozen"] = True
    return out


# ---------------------------------------------------------------- the parent


def pdf_names(items: list[Item]) -> list[str]:
    """Unique checklist names in input order: 工号-姓名 (or the file stem), -2, -3 for repeats."""
    used: set[str] = set()
    names = []
    for item in items:
        if isinstance(item, FilePerson):
            base = safe_file_name(Path(item.source).stem)
        else:
            label = "-".join(p for p in (item.employee_no, item.name) if p) or item.source
            base = safe_file_name(label, keep=item.employee_no)
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
    workers: Workers | None = None,
) -> Iterator[Outcome]:
    """Outcomes in input order, one per item, computed by `jobs` worker processes.

    `load` gives an item its detail rows just before it is judged (BatchInput.load). `workers`: a
    pool started while the input was read (`Workers.start`), used when it fits this run.
    """
    names: list[str | None] = list(pdf_names(items)) if options.pdf else [None] * len(items)
    work = list(zip(items, names, strict=True))
    jobs = worker_count(len(work), jobs, options)
    if jobs == 1:
        for item, name in work:
            yield process_item(load(item), layouts, options, name)
            _release(item)
        return
    pool = workers.take(options, jobs) if workers is not None else None
    pool = pool or _Pool(options, jobs, start_method or default_start_method())
    yield from pool.run(work, layouts, load)


def worker_count(n: int, jobs: int | None, options: Options) -> int:
    """How many worker processes judge `n` applicants; 1: judged in this process, without a pool."""
    if jobs is None and not options.pdf and n < SERIAL_BELOW:
        return 1  # starting worker processes would take longer than judging a few applicants
    jobs = max(1, jobs or os.cpu_count() or 1)
    return 1 if n <= 1 else jobs


class Workers:
    """The worker pool of a batch, started as soon as the reader knows how many people there are.

    Reading a big workbook takes seconds during which the workers would otherwise not exist: started
    then, the fork server's import of the judge and the workers' start happen on the core the reader
    leaves idle. (Each worker also judging throw-away applicants to build the rulebook and engine
    was tried: ~1 CPU-s more per batch, no wall gain that pairs on the shared machine could show.)
    A batch small enough to be judged in this process starts no pool. Use as a context manager: a pool not taken by `run_items`
    (the input was refused, the run interrupted) is stopped on leaving.
    """

    def __init__(self, options: Options, jobs: int | None = None, start_method: str | None = None) -> None:
        self.options, self.jobs, self.start_method = options, jobs, start_method
        self.pool: _Pool | None = None
        self.count = 0

    def start(self, n: int) -> None:
        """`n` applicants are coming: start the pool now if they will be judged in workers."""
        count = worker_count(n, self.jobs, self.options)
        if self.pool is None and count > 1:
            self.pool = _Pool(self.options, count, self.start_method or default_start_method())
            self.count = count
            self.pool.spawn()

    def take(self, options: Options, jobs: int) -> _Pool | None:
        """The started pool, if it was started for these options and as many workers; else None."""
        pool, self.pool = self.pool, None
        if pool is not None and (options != self.options or jobs != self.count):
            pool.stop()
            return None
        return pool

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.stop()
            self.pool = None


Work = list[tuple[Item, str | None]]
SOLO_DEATHS = 2  # a person whose worker dies this often when judged alone gets ERR-INTERNAL
# A pool that finishes nothing for this long has lost work (see _Pool._result); a chunk of 50 people
# takes about a second, or a few seconds on a loaded machine. Judging alone after a false alarm
# would give the same results, only later.
STALL_SECONDS = 300.0
POLL_SECONDS = 2.0


class PoolStalled(BrokenProcessPool):
    """A pool with live, idle workers that will never finish a submitted chunk."""


class WorkerDied(BrokenProcessPool):
    """A worker has exited, and the executor has not noticed yet (it would wait for it for ever)."""


class _Pool:
    """A process pool with an ordered, bounded window of chunks and recovery from dead workers.

    A worker that dies (killed, out of memory, a segfault in a native library) breaks the whole
    executor: every pending chunk fails with BrokenProcessPool, or CancelledError once the broken
    executor is replaced. Each such chunk is judged again person by person in a separate
    one-worker pool, where a death can only be that person's: after SOLO_DEATHS of them the person
    gets an ERR-INTERNAL result, and every other person still gets a real one.
    """

    def __init__(self, options: Options, jobs: int, start_method: str) -> None:
        self.options, self.jobs = options, jobs
        self.layouts = b""  # pickled, sent with every chunk (`run`)
        self.load: Callable[[Item], Item] = lambda item: item
        self.context = multiprocessing.get_context(start_method)
        if start_method == "forkserver":
            # Workers fork from the fork server with the judge already imported (~4 s each on a
            # busy machine otherwise): a replaced worker is back quickly. Only before it starts.
            self.context.set_forkserver_preload(["jifen_check.batch.runner", "jifen_check.judge"])
        self.executor = self._new_executor(jobs)
        self.solo: ProcessPoolExecutor | None = None
        self.spawning: threading.Thread | None = None
        self.progress = time.monotonic()  # when a chunk last finished

    def _new_executor(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers, mp_context=self.context, initializer=_init_worker,
                                   initargs=(self.options, os.getpid()))

    def spawn(self) -> None:
        """Starts every worker now, from a thread: the first start waits for the fork server to
        import the judge (~0.5-2 s), which the reader spends reading instead. The executor starts
        one worker per task submitted, when it is submitted."""
        self.spawning = threading.Thread(target=self._spawn, name="jifen-pool-start", daemon=True)
        self.spawning.start()

    def _spawn(self) -> None:
        with contextlib.suppress(BrokenProcessPool, RuntimeError):  # `run` finds a broken pool and restarts it
            for _ in range(self.jobs):
                self.executor.submit(_ready)

    def started(self) -> None:
        """Waits until `spawn` has started the workers."""
        if self.spawning is not None:
            self.spawning.join()
            self.spawning = None

    def stop(self) -> None:
        """Stops a pool that judged nothing: its workers are killed and reaped."""
        self.started()
        _stop(self.executor, kill=True, reap_s=5.0)

    def run(self, work: Work, layouts: dict[str, Layout], load: Callable[[Item], Item]) -> Iterator[Outcome]:
        self.started()
        self.layouts, self.load = pickle.dumps(layouts, protocol=pickle.HIGHEST_PROTOCOL), load
        chunks = _chunks(work, _chunk_size(len(work), self.jobs, self.options.pdf), self.jobs)
        pending: deque[tuple[Future[list[Outcome]] | None, Work]] = deque()
        try:
            for chunk in chunks:
                pending.append((self._submit(chunk), chunk))
                if len(pending) >= self.jobs * 3:
                    yield from self._collect(*pending.popleft())
            while pending:
                yield from self._collect(*pending.popleft())
        finally:
            if pending:  # interrupted (Ctrl-C, SIGTERM, a failed write): stop at once, workers included.
                # They write temporary files in the run's scratch folder, which the caller removes
                # next: a worker still rendering a PDF could put one there mid-removal and leave the
                # folder behind (seen under load in tests/faults). Their results are not wanted.
                for executor in (self.executor, self.solo):
                    if executor is not None:
                        _stop(executor, kill=True, reap_s=5.0)
            else:  # every result is in
                _close(self.executor)
                _close(self.solo)

    def _submit(self, chunk: Work) -> Future[list[Outcome]] | None:
        for item, _ in chunk:
            self.load(item)
        try:
            return self.executor.submit(_work, chunk, self.layouts)
        except (BrokenProcessPool, RuntimeError):
            self._restart()
            try:
                return self.executor.submit(_work, chunk, self.layouts)
            except (BrokenProcessPool, RuntimeError):
                return None  # judged one by one when its turn comes

    def _collect(self, future: Future[list[Outcome]] | None, chunk: Work) -> list[Outcome]:
        try:
            if future is None:
                raise BrokenProcessPool("not submitted")
            outcomes = self._result(future, self.executor)
        except (BrokenProcessPool, CancelledError) as exc:
            # A worker died (exceptions are caught inside it). Judge this chunk alone, person by person.
            # A pool found broken by our own checks is replaced at once, as one the executor marked.
            if isinstance(exc, PoolStalled | WorkerDied) or self._broken():
                self._restart(kill=isinstance(exc, PoolStalled))
            outcomes = [self._alone(item, name) for item, name in chunk]
        for item, _ in chunk:
            _release(item)
        return outcomes

    def _alone(self, item: Item, name: str | None) -> Outcome:
        for _ in range(SOLO_DEATHS):
            if self.solo is None:
                self.solo = self._new_executor(1)
            try:
                return self._result(self.solo.submit(_work, [(item, name)], self.layouts), self.solo)[0]
            except (BrokenProcessPool, CancelledError) as exc:
                _stop(self.solo, kill=isinstance(exc, PoolStalled))
                self.solo = None
        return dead_worker_outcome(item, self.options, name)

    def _result(self, future: Future[list[Outcome]], executor: ProcessPoolExecutor) -> list[Outcome]:
        """The chunk's outcomes, or PoolStalled when the pool has finished nothing for STALL_SECONDS.

        CPython 3.11's ProcessPoolExecutor can lose a work item after a worker is killed: its
        workers sit idle on an empty call queue, its manager thread waits for a wake-up that never
        comes, and the future stays pending for ever (seen once in tests/faults, after the pool had
        been replaced). Waiting in short polls with a deadline turns that hang into a restart.
        """
        while True:
            try:
                outcomes = future.result(timeout=POLL_SECONDS)
            except TimeoutError:
                if _dead_worker(executor):
                    raise WorkerDied("a worker died unnoticed") from None
                if time.monotonic() - self.progress > STALL_SECONDS:
                    raise PoolStalled(f"no chunk finished in {STALL_SECONDS:.0f} s") from None
                continue
            self.progress = time.monotonic()
            return outcomes

    def _broken(self) -> bool:
        return bool(getattr(self.executor, "_broken", False))

    def _restart(self, *, kill: bool = False) -> None:
        _stop(self.executor, kill=kill)
        self.executor = self._new_executor(self.jobs)
        self.progress = time.monotonic()


def _workers(executor: ProcessPoolExecutor) -> list[multiprocessing.Process]:
    """The pool's worker processes (the executor forgets them once shut down: read them before)."""
    return list((getattr(executor, "_processes", None) or {}).values())


def _dead_worker(executor: ProcessPoolExecutor) -> bool:
    """A worker of the pool has exited while the pool still counts on it."""
    return any(p.exitcode is not None for p in _workers(executor))


def _stop(executor: ProcessPoolExecutor, *, kill: bool, reap_s: float = 0.0) -> None:
    """Stops a broken pool at once; a stalled one's workers are killed (they would wait for ever).
    `reap_s`: wait up to this long for the killed workers to be gone."""
    workers = _workers(executor)
    executor.shutdown(wait=False, cancel_futures=True)
    if kill:
        for p in workers:
            p.kill()
        deadline = time.monotonic() + reap_s
        for p in workers:
            p.join(max(0.0, deadline - time.monotonic()))


def _close(executor: ProcessPoolExecutor | None, grace_s: float = 5.0) -> None:
    """Shuts a pool down once every result is in, without hanging.

    An idle worker waits for work inside the call queue's lock. If a worker is killed while it
    holds that lock, and the pool is shutting down before it notices the death, the other workers
    block on the lock forever and `shutdown(wait=True)` waits for them (CPython 3.11; seen in
    tests/faults when a kill came after the last result). Workers still alive after `grace_s` are
    terminated: nothing of theirs is awaited any more.
    """
    if executor is None:
        return
    workers = _workers(executor)
    executor.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace_s
    for p in workers:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            p.terminate()
            p.join(1.0)
            if p.is_alive():
                p.kill()
                p.join()


def dead_worker_outcome(item: Item, options: Options, name: str | None) -> Outcome:
    exc = RuntimeError("工作进程异常退出")
    result = internal_error_result(item, options, exc)
    line = json_line(result)
    pdf_error = "材料清单 PDF 未生成（判断时工作进程异常退出）" if name else None
    row = summarise(item.index, result, None, options.lang, pdf_error)  # type: ignore[arg-type]
    return Outcome(item.index, line, row, f"{item.source}: 工作进程在单独判断此人时 {SOLO_DEATHS} 次异常退出")


def _release(item: Item) -> None:
    """Drops a judged applicant's raw rows: the parent's memory shrinks as results stream out."""
    if isinstance(item, SheetPerson):
        item.details = {}


def _chunks(work: Work, size: int, jobs: int) -> Iterator[Work]:
    """The work in chunks of `size`, the last people (two chunks per worker) in chunks a fifth as
    big: at the end of the run a worker waits for the other's last chunk, up to the time of one
    chunk, with the other core idle (a chunk of 50 mixed people takes ~0.3-0.6 s)."""
    small = max(1, size // 5)
    head = max(0, len(work) - jobs * 2 * size)
    for i in range(0, head, size):
        yield work[i : min(i + size, head)]
    for i in range(head, len(work), small):
        yield work[i : i + small]


def _chunk_size(n: int, jobs: int, pdf: bool) -> int:
    # PDFs take ~0.1 s each: small chunks keep both cores busy to the end. Judging alone is
    # fast, so bigger chunks save pickling round trips.
    if pdf:
        return 1
    return max(1, min(50, n // (jobs * 8)))

