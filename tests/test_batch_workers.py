"""The worker pool starts while the input is read (runner.Workers): only for batches judged in
workers, and the results are the ones a pool started after reading gives."""

from __future__ import annotations

from pathlib import Path

from test_batch_helpers import AS_OF, staff, write_workbook

from jifen_check.batch import runner
from jifen_check.batch.pipeline import prepare_out_dir, run_batch
from jifen_check.batch.readers import read_input
from jifen_check.batch.runner import SERIAL_BELOW, Options, Workers


def test_a_small_batch_starts_no_pool(tmp_path: Path) -> None:
    with Workers(Options(tmp_path, AS_OF, pdf=False)) as workers:
        workers.start(SERIAL_BELOW - 1)
        assert workers.pool is None
        workers.start(1)  # one person: judged in this process whatever --jobs says
        assert workers.pool is None


def test_the_pool_started_while_reading_judges_the_batch(tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "staff.xlsx", staff(12))
    outs = []
    for name, early in (("after", False), ("early", True)):
        out = tmp_path / name
        held = prepare_out_dir(out, overwrite=False)
        options = Options(out, AS_OF, pdf=False, scratch=held.scratch)
        with Workers(options, jobs=2) as workers:
            batch = read_input(book, on_persons=workers.start if early else None)
            assert (workers.pool is not None) is early
            run_batch(batch, options, label="x", jobs=2, outdir=held, workers=workers)
            assert workers.pool is None  # taken by the run (which closed it), or never started
        held.release()
        outs.append((out / "results.jsonl").read_bytes())
    assert outs[0] == outs[1] and outs[0].count(b"\n") == 12


def test_a_pool_for_other_options_is_stopped_not_used(tmp_path: Path) -> None:
    with Workers(Options(tmp_path, AS_OF, pdf=False), jobs=2) as workers:
        workers.start(500)
        pool = workers.pool
        assert pool is not None
        pool.started()
        processes = runner._workers(pool.executor)
        assert workers.take(Options(tmp_path, AS_OF, pdf=False, show_id=True), 2) is None
        assert processes and all(not p.is_alive() for p in processes)


def test_an_unused_pool_is_stopped_on_leaving(tmp_path: Path) -> None:
    with Workers(Options(tmp_path, AS_OF, pdf=False), jobs=2) as workers:
        workers.start(500)
        pool = workers.pool
        assert pool is not None
        pool.started()
        processes = runner._workers(pool.executor)
    assert workers.pool is None
    assert processes and all(not p.is_alive() for p in processes)


def test_chunks_keep_every_person_once_in_order_and_end_small() -> None:
    for n in (0, 1, 7, 100, 450, 10_001):
        size = runner._chunk_size(n, 2, pdf=False)
        chunks = list(runner._chunks(list(range(n)), size, 2))
        assert [i for chunk in chunks for i in chunk] == list(range(n))
        assert all(0 < len(chunk) <= size for chunk in chunks)
        assert all(len(chunk) <= max(1, size // 5) for chunk in chunks[-4:])
