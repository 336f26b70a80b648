"""One output folder, one run: locks, symlinks, the manifest, read-only and full disks (issue 9)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from fault_helpers import cli, result_lines, start, tmpfs, wait_for
from test_batch_helpers import staff, write_workbook

from jifen_check.batch.outdir import LOCK, MANIFEST, open_out_dir

AS_OF = "2026-11-18"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_workbook(tmp_path_factory.mktemp("in") / "staff.xlsx", staff(4))


def no_traceback(done) -> None:  # type: ignore[no-untyped-def]
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout, done.stderr


def test_a_locked_folder_refuses_a_second_run_at_once(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    held = open_out_dir(out, overwrite=False)
    try:
        assert (out / LOCK).read_text().strip() == str(os.getpid())
        done = cli("batch", book, "--out", out, "--no-pdf", "--as-of", AS_OF, "--overwrite")
        no_traceback(done)
        assert done.returncode == 9 and "正被另一次批量运行使用" in done.stderr and str(os.getpid()) in done.stderr
        assert not (out / "results.jsonl").exists()
    finally:
        held.release()
    assert not (out / LOCK).exists()
    done = cli("batch", book, "--out", out, "--no-pdf", "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_two_real_runs_into_one_folder(tmp_path: Path) -> None:
    big = write_workbook(tmp_path / "a.xlsx", staff(30, prefix="A"))
    other = write_workbook(tmp_path / "b.xlsx", staff(60, prefix="B"))
    out = tmp_path / "out"
    first = start("batch", big, "--out", out, "--as-of", AS_OF, "--jobs", "2")
    assert wait_for(lambda: (out / LOCK).exists(), 60)
    second = cli("batch", other, "--out", out, "--as-of", AS_OF, "--no-pdf", "--overwrite")
    no_traceback(second)
    assert second.returncode == 9
    assert first.wait(600) == 0, first.stderr.read() if first.stderr else ""
    lines = [json.loads(x) for x in result_lines(out)]
    assert [r["applicant"]["employee_no"] for r in lines] == [f"A{i:03d}" for i in range(1, 31)]
    assert len(list((out / "checklists").iterdir())) == 30


def test_symlinks_under_out_are_refused_and_never_followed(book: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.pdf").write_bytes(b"keep")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    out = tmp_path / "out"
    assert cli("batch", book, "--out", out, "--as-of", AS_OF).returncode == 0
    (out / "checklists").rename(tmp_path / "moved")
    (out / "checklists").symlink_to(elsewhere)
    done = cli("batch", book, "--out", out, "--as-of", AS_OF, "--overwrite")
    no_traceback(done)
    assert done.returncode == 2 and "符号链接" in done.stderr and "checklists" in done.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == ["precious.pdf"]
    (out / "checklists").unlink()
    (out / ".tmp").mkdir()
    (out / ".tmp" / "results.jsonl.part").symlink_to(victim)
    done = cli("batch", book, "--out", out, "--as-of", AS_OF, "--overwrite", "--no-pdf")
    assert done.returncode == 2 and "符号链接" in done.stderr
    assert victim.read_text() == "keep"


def test_overwrite_removes_only_what_the_manifest_lists(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli("batch", book, "--out", out, "--as-of", AS_OF).returncode == 0
    listed = {json.loads(x)["file"] for x in (out / MANIFEST).read_text(encoding="utf-8").splitlines()}
    made = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")}
    assert made <= listed and "results.jsonl" in listed and len([f for f in listed if f.endswith(".pdf")]) == 5
    (out / "notes.txt").write_text("mine")
    (out / "batch.log").write_text("not the tool's")  # a file with our name that the tool did not make
    done = cli("batch", book, "--out", out, "--as-of", AS_OF, "--overwrite")
    no_traceback(done)
    assert done.returncode == 2 and "batch.log" in done.stderr and "不是本工具生成的" in done.stderr
    assert (out / "batch.log").read_text() == "not the tool's" and (out / "notes.txt").exists()
    (out / "batch.log").unlink()
    (out / MANIFEST).write_text(json.dumps({"file": "../victim"}) + "\n" + json.dumps({"file": "results.jsonl"}) + "\n")
    (tmp_path / "victim").write_text("keep")
    done = cli("batch", book, "--out", out, "--as-of", AS_OF, "--overwrite", "--no-pdf")
    assert done.returncode == 2  # the PDFs are no longer listed, so they are not ours to remove
    assert (tmp_path / "victim").read_text() == "keep"


def test_out_under_a_file_or_on_a_read_only_disk(book: Path, tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    done = cli("batch", book, "--out", a_file / "out", "--no-pdf", "--as-of", AS_OF)
    no_traceback(done)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "文件" in done.stderr
    with tmpfs(tmp_path / "ro", "ro,size=1m") as ro:
        for target in (ro / "out", ro):
            done = cli("batch", book, "--out", target, "--no-pdf", "--as-of", AS_OF)
            no_traceback(done)
            assert done.returncode == 2 and "只读" in done.stderr, done.stderr
            assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_full_disk_leaves_nothing_that_looks_complete(tmp_path: Path) -> None:
    inp = write_workbook(tmp_path / "in.xlsx", staff(30))
    for size in ("300k", "1m", "2m"):
        with tmpfs(tmp_path / f"full-{size}", f"size={size}") as disk:
            out = disk / "out"
            done = cli("batch", inp, "--out", out, "--as-of", AS_OF, "--jobs", "2")
            no_traceback(done)
            assert done.returncode in (1, 8), (size, done.returncode, done.stderr)
            if done.returncode == 8:  # results complete, PDFs missing and listed
                assert len(result_lines(out)) == 30
                assert "材料清单 PDF 未能写出" in done.stderr
                missing = 30 - len(list((out / "checklists").glob("*.pdf")))
                assert missing > 0 and f"有 {missing} 人" in done.stderr
            else:
                assert "磁盘空间已满" in done.stderr and len(done.stderr.strip().splitlines()) == 1
                assert not (out / "results.jsonl").exists() and not (out / "summary.xlsx").exists()
            assert not (out / ".tmp").exists()
            leftovers = [p for p in out.rglob(".tmp-*")]
            assert leftovers == []


def test_scratch_files_stay_in_the_output_folder_and_are_removed(book: Path, tmp_path: Path) -> None:
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    out = tmp_path / "out"
    done = cli("batch", book, "--out", out, "--as-of", AS_OF, "--jobs", "2", env={"TMPDIR": str(system_tmp)})
    assert done.returncode == 0, done.stderr
    assert not (out / ".tmp").exists()
    # only multiprocessing's own socket folder may appear, and it is removed at exit
    assert [p.name for p in system_tmp.iterdir() if not p.name.startswith("pymp-")] == []
    stale = out / ".tmp"
    stale.mkdir()
    (stale / "rows.db").write_bytes(b"personal data from a killed run")
    time.sleep(0.01)
    done = cli("batch", book, "--out", out, "--as-of", AS_OF, "--overwrite", "--no-pdf")
    assert done.returncode == 0 and not stale.exists()
