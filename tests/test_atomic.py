"""atomic.atomic_file and atomic.atomic_path: the new file or the old one, never half, never
through a symlink (the two share one skeleton, `_replacing`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jifen_check.atomic import atomic_file, atomic_path


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".tmp-"))


def test_file_replaces_the_old_one_only_when_the_block_succeeds(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_file(target) as fh:
        fh.write(b"half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "old" and _leftovers(tmp_path) == []
    with atomic_file(target) as fh:
        fh.write(b"new")
    assert target.read_text() == "new" and _leftovers(tmp_path) == []


def test_path_replaces_the_old_one_only_when_the_block_succeeds(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        assert tmp.exists() and tmp.suffix == ".pdf" and tmp.parent == tmp_path
        tmp.write_text("half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "old" and _leftovers(tmp_path) == []
    with atomic_path(target) as tmp:
        tmp.write_text("new")
    assert target.read_text() == "new" and _leftovers(tmp_path) == []


@pytest.mark.parametrize("writer", [atomic_file, atomic_path])
def test_never_writes_through_a_symlinked_folder(tmp_path: Path, writer: object) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "out"
    link.symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OSError), writer(link / "x.txt"):  # type: ignore[operator]
        pass
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("writer", [atomic_file, atomic_path])
def test_a_symlink_at_the_target_is_replaced_not_followed(tmp_path: Path, writer: object) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    target = tmp_path / "out.txt"
    target.symlink_to(victim)
    with writer(target) as handle:  # type: ignore[operator]
        if isinstance(handle, Path):
            handle.write_text("new")
        else:
            handle.write(b"new")
    assert victim.read_text() == "keep"
    assert not target.is_symlink() and target.read_text() == "new"
    assert os.stat(target).st_nlink == 1
