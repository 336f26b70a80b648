"""Atomic output: write to a fresh temporary name in the same folder, then os.replace.

An interrupted run (Ctrl-C, a crash, a full disk) leaves either the old file or the new one, never
half of one. The temporary file is created with O_CREAT|O_EXCL|O_NOFOLLOW, so it is never an
existing file or a symlink planted under that name, and the folder is opened without following a
symlink in its last component: nothing is ever written through a symlink. os.replace swaps a
directory entry and never follows a symlink at the destination either.

Temporary names are short (`.tmp-<random><suffix>`): a file name near the file system's 255-byte
limit must not fail because its temporary name is longer. They keep the real suffix (weasyprint
and openpyxl look at it).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def temp_name(path: Path) -> Path:
    return path.with_name(f".tmp-{os.getpid()}-{secrets.token_hex(4)}{path.suffix}")


def open_dir(path: Path) -> int:
    """A descriptor of folder `path`; refuses (ELOOP/ENOTDIR) when its last component is a symlink."""
    return os.open(path, DIR_FLAGS)


def create_new(path: Path, mode: int = 0o666, *, dir_fd: int | None = None) -> int:
    """A descriptor of a new file (never an existing one, never through a symlink)."""
    return os.open(path if dir_fd is None else path.name, NEW_FILE, mode, dir_fd=dir_fd)


@contextmanager
def _replacing(path: Path) -> Iterator[tuple[Path, int]]:
    """A new temporary file beside `path`, as its name and an open descriptor; renamed over `path`
    only if the block succeeds, removed otherwise. The folder is held by a descriptor opened without
    following a symlink, so the file created and the rename both happen in that very folder."""
    dir_fd = open_dir(path.parent)
    tmp = temp_name(path)
    try:
        fd = create_new(tmp, dir_fd=dir_fd)
        try:
            yield tmp, fd
            os.replace(tmp.name, path.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        finally:
            _unlink_quietly(tmp.name, dir_fd)
    finally:
        os.close(dir_fd)


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """Yields a new temporary file opened for writing; renames it over `path` if the block succeeds."""
    with _replacing(path) as (_, fd), os.fdopen(fd, "wb") as fh:  # closed before the rename
        yield fh


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yields a temporary path (already created, empty) for writers that want a name; renamed over
    `path` only if the block succeeds."""
    with _replacing(path) as (tmp, fd):
        os.close(fd)
        yield tmp


def _unlink_quietly(name: str, dir_fd: int) -> None:
    try:
        os.unlink(name, dir_fd=dir_fd)
    except FileNotFoundError:
        pass


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Like write_text_atomic; the file gets the usual umask permissions (mkstemp would give 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path) as fh:
        fh.write(data)
