"""Judging for the web server, in worker processes.

durable-rules is not thread-safe, and an ASGI server runs sync code in a thread pool: the server
process therefore never calls the engine. Every judgement and every PDF is made in a worker
process (one engine each, created lazily by judge.engine_for_process), started with `forkserver`
like the batch runner's pool (jifen_check/batch/runner.py), so no server thread's lock is copied.
The async endpoints await the pool; requests beyond the worker count queue in the executor.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import tempfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from jifen_check.batch.runner import default_start_method
from jifen_check.rulebook import DEFAULT_RULESET

# ---------------------------------------------------------------- worker side (never in the server)


def _init_worker(tmp_dir: str | None) -> None:
    # Ctrl-C on the server is the server's to handle: workers must not each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if tmp_dir:  # scratch files (a PDF before it is sent) stay inside the server's own folder
        tempfile.tempdir = tmp_dir


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _judge(doc: Any, as_of: str | None, show_id: bool, source: str | None, ruleset: str) -> Any:
    from jifen_check.judge import judge_full
    from jifen_check.validate import Problem

    problems = None if isinstance(doc, dict) else [
        Problem("DATA-FORMAT", "(root)", "请求体应为一个申请人（JSON 对象）")]
    return judge_full(doc, as_of=_day(as_of), source=source, show_id=show_id, problems=problems,
                      with_routes=True, ruleset_id=ruleset)  # routes to 120 (issue 10): only when asked


def check_in_worker(doc: Any, as_of: str | None = None, show_id: bool = False,
                    source: str | None = None, ruleset: str = DEFAULT_RULESET) -> tuple[str, bool]:
    """(result@1 as JSON text, whether the document fitted the applicant format).

    Text pickles faster than a model tree. A document that does not fit the format is a 422 for
    the API; one that fits but holds invalid values (a bad ID checksum) is a 200 `invalid_input`.
    """
    judgement = _judge(doc, as_of, show_id, source, ruleset)
    return json.dumps(judgement.result.to_json_dict(), ensure_ascii=False), judgement.applicant is not None


def checklist_in_worker(doc: Any, as_of: str | None = None, show_id: bool = False,
                        source: str | None = None, ruleset: str = DEFAULT_RULESET) -> tuple[str, bool, bytes]:
    """(result JSON, fitted the format, PDF bytes): the same renderer as `jifen-check checklist`."""
    from jifen_check.render.pdf import render_checklist_pdf

    judgement = _judge(doc, as_of, show_id, source, ruleset)
    result = judgement.result
    text = json.dumps(result.to_json_dict(), ensure_ascii=False)
    if judgement.applicant is None:
        return text, False, b""
    with tempfile.TemporaryDirectory(prefix="jifen-web-pdf-") as tmp:
        out = Path(tmp) / "checklist.pdf"
        render_checklist_pdf(result, out)
        return text, True, out.read_bytes()


def _warm(ruleset: str) -> int:
    from jifen_check.judge import engine_for_process

    engine_for_process(ruleset)
    return os.getpid()


# ---------------------------------------------------------------- server side


class JudgePool:
    """A small process pool; a worker that dies is replaced by restarting the pool."""

    def __init__(self, workers: int | None = None, tmp_dir: Path | None = None,
                 ruleset: str = DEFAULT_RULESET) -> None:
        self.workers = max(1, workers or min(2, os.cpu_count() or 1))
        self.ruleset = ruleset  # the server's ruleset (serve --ruleset), passed with every call
        self.tmp_dir = str(tmp_dir) if tmp_dir else None
        self._executor: ProcessPoolExecutor | None = None

    def _new(self) -> ProcessPoolExecutor:
        import multiprocessing

        ctx = multiprocessing.get_context(default_start_method())
        return ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init_worker, initargs=(self.tmp_dir,))

    @property
    def executor(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = self._new()
        return self._executor

    def warm(self) -> None:
        """Starts every worker and builds its engine, so the first request is not slow."""
        list(self.executor.map(_warm, [self.ruleset] * (self.workers * 2)))

    async def call(self, fn: Any, *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.executor, fn, *args)
        except BrokenProcessPool:
            self.restart()
            return await loop.run_in_executor(self.executor, fn, *args)

    def restart(self) -> None:
        old, self._executor = self._executor, None
        if old is not None:
            old.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
