"""What every start would parse and check again, kept on disk between runs (the rulebook: `check`'s
cold start spent ~0.19 of its ~0.75 CPU-s reading and validating it).

An entry is found only by a key made of **the full contents** of every file it was built from (and
their paths), the size, modification time and inode of every source file of this package, and the
Python and pydantic versions: a changed ruleset file, a new rule, an edited or reinstalled module or
an upgrade gives another key, so a stale entry is never read. The key is taken again after building and the entry is written only if it is
unchanged (a file edited while it was read). Anything wrong with the cache (no home directory, a
read-only disk, a damaged or foreign file) just means building as before.

The entries are pickles, so only files this user owns and nobody else can write are read; the folder
is made private. `JIFEN_CHECK_CACHE_DIR` names the folder; `JIFEN_CHECK_NO_CACHE=1` switches it off.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import pydantic
import yaml

from jifen_check import yamlio

T = TypeVar("T")
PACKAGE = Path(__file__).resolve().parent
_FORMAT = b"jifen-check diskcache 1"


def cache_dir() -> Path | None:
    """The folder of the entries, or None when switched off or there is no place for it."""
    if os.environ.get("JIFEN_CHECK_NO_CACHE"):
        return None
    named = os.environ.get("JIFEN_CHECK_CACHE_DIR")
    if named:
        return Path(named)
    base = os.environ.get("XDG_CACHE_HOME") or (os.path.join(os.path.expanduser("~"), ".cache"))
    if base.startswith("~"):  # no home directory to expand
        return None
    return Path(base) / "jifen-check"


@functools.cache
def code_fingerprint() -> bytes:
    """Every source file of the package (path, size, modification time in ns) and the versions that
    shape the objects. Stat, not contents, for the code: reading the ~80 modules cost ~13 ms a start."""
    digest = hashlib.blake2b(_FORMAT, digest_size=20)
    digest.update(f"{sys.version}|{pydantic.VERSION}|{PACKAGE}".encode())
    for path in _sources(PACKAGE):
        st = os.stat(path)
        digest.update(f"{path}|{st.st_size}|{st.st_mtime_ns}|{st.st_ino}\n".encode())
    return digest.digest()


def _sources(package: Path) -> list[str]:
    out: list[str] = []
    for folder, dirs, files in os.walk(package):
        dirs[:] = [d for d in dirs if d != "__pycache__" and not os.path.islink(os.path.join(folder, d))]
        out += (os.path.join(folder, f) for f in files if f.endswith(".py"))
    return sorted(out)


def _add_file(digest: hashlib.blake2b, path: Path, root: Path) -> None:
    data = path.read_bytes()
    name = str(path.relative_to(root)).encode()
    digest.update(len(name).to_bytes(4, "little") + name + len(data).to_bytes(8, "little"))
    digest.update(data)


def key(kind: str, root: Path, files: Iterable[Path]) -> str:
    """The key of an entry built from `files` under `root` (contents, names, the folder's path)."""
    digest = hashlib.blake2b(code_fingerprint(), digest_size=20)
    digest.update(f"{kind}|{root.resolve()}".encode())
    for path in files:
        _add_file(digest, path, root)
    return digest.hexdigest()


def folder_files(root: Path) -> list[Path]:
    """Every file under `root` (links followed), in one order."""
    out: list[Path] = []
    for folder, _dirs, files in os.walk(root, followlinks=True):
        out += (Path(folder, f) for f in files)
    return sorted(out)


def cached(kind: str, root: Path, build: Callable[[], T]) -> T:
    """`build()`'s value, read from the cache when the files under `root` and the code are the same
    as when it was written; else built, and written for the next run."""
    directory = cache_dir()
    if directory is None:
        return build()
    try:
        before = key(kind, root, folder_files(root))
    except OSError:
        return build()
    entry = directory / f"{kind}-{before}.pickle"  # `kind` names what is cached: one entry per kind
    hit = _read(entry)
    if hit is not None:
        return hit[0]  # type: ignore[no-any-return]
    value = build()
    try:
        if key(kind, root, folder_files(root)) == before:
            _write(directory, kind, entry, value, keep=4)  # a few installs or checkouts side by side
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # not cached: the next run builds again
    return value


def cached_text(kind: str, text: str, build: Callable[[], T], salt: str = "", keep: int = 64) -> T:
    """`build()`'s value for a text (a data file's contents), read from the cache when the text, the
    code and `salt` (e.g. a library's version) are the same; at most `keep` entries of a kind are kept
    (the oldest are removed)."""
    directory = cache_dir()
    if directory is None:
        return build()
    digest = hashlib.blake2b(code_fingerprint(), digest_size=20)
    digest.update(f"{kind}|{salt}|".encode() + text.encode("utf-8", "surrogatepass"))
    entry = directory / f"{kind}-{digest.hexdigest()}.pickle"
    hit = _read(entry)
    if hit is not None:
        return hit[0]  # type: ignore[no-any-return]
    value = build()
    try:
        _write(directory, kind, entry, value, keep)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass
    return value


def load_yaml_file(path: Path) -> Any:
    """A data file of the project (rulesets, reference data: trusted, never an applicant's), parsed as
    `yamlio.load` parses it, the parse kept by the file's contents: the cities table alone took ~40 ms
    of `check`'s start, most of it PyYAML resolving each plain scalar's type. Only a successful parse is
    kept, so a repeated key or a syntax error is reported every time, with its line."""
    text = path.read_text(encoding="utf-8")
    salt = f"{yaml.__version__}|{yamlio.StrictLoader.__mro__[1].__name__}"
    return cached_text("yaml", text, lambda: yamlio.load(text), salt=salt)


def _private(st: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else (a pickle runs code when read)."""
    if not hasattr(os, "getuid"):
        return True
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(entry: Path) -> tuple[object] | None:
    try:
        with entry.open("rb") as f:
            if not (_private(os.fstat(f.fileno())) and _private(entry.parent.stat())):
                return None
            if f.read(len(_FORMAT)) != _FORMAT:
                return None
            return (pickle.load(f),)  # noqa: S301 - our own private file, found by its content key
    except Exception:  # noqa: BLE001 - a missing, damaged or unreadable entry: build instead
        return None


def _write(directory: Path, kind: str, entry: Path, value: object, keep: int = 1) -> None:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not _private(directory.stat()):
        return
    data = _FORMAT + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{kind}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, entry)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    # Entries of older contents or code are never read again: keep the newest `keep` of this kind.
    others = [p for p in directory.glob(f"{kind}-*.pickle") if p != entry and p.name.count("-") == entry.name.count("-")]
    if len(others) >= keep:
        others.sort(key=lambda p: p.stat().st_mtime_ns)
        for old in others[:len(others) - keep + 1]:
            old.unlink(missing_ok=True)
