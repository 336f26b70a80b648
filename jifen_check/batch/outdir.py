"""The output folder of one batch run: locked, checked for symlinks, cleaned only by its manifest.

- One folder, one run: `.jifen-check.lock` (holding the PID) is locked with flock for the whole
  run; a second run into the same folder stops at once (exit code 9).
- Nothing is followed or written through a symlink: a symlink anywhere under the folder refuses
  the run, and files are created with O_EXCL|O_NOFOLLOW (atomic.py).
- `--overwrite` deletes only what the manifest `.jifen-check-manifest` lists: every file this tool
  made in the folder, recorded *before* it is written (so a killed run's files are listed too).
  A results.jsonl or PDF that is not in the manifest is somebody else's: the run refuses rather
  than delete or replace it.
- Scratch files (the detail-row store, openpyxl's sheet streams, results.jsonl.part) live in
  `.tmp/`, removed when the run ends however it ends; a `.tmp/` left by a killed run is removed
  by the next run.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
from pathlib import Path, PurePosixPath

from jifen_check.atomic import DIR_FLAGS

LOCK = ".jifen-check.lock"
MANIFEST = ".jifen-check-manifest"
SCRATCH = ".tmp"
BOOKKEEPING = (LOCK, MANIFEST, SCRATCH)
# What a run writes into the folder (the layout lives here, beside the lock and manifest that guard it).
RESULTS = "results.jsonl"
SUMMARY_XLSX = "summary.xlsx"
SUMMARY_PDF = "summary.pdf"
LOG = "batch.log"
OUR_FILES = (RESULTS, SUMMARY_XLSX, SUMMARY_PDF, LOG)
CHECKLIST_DIR = "checklists"

EXIT_USAGE = 2
EXIT_LOCKED = 9


class OutDirError(Exception):
    """The output folder cannot be used; `code` is the exit code."""

    code = EXIT_USAGE


class OutputExists(OutDirError):
    """The output folder holds files and --overwrite was not given."""


class OutputLocked(OutDirError):
    """Another run holds the folder."""

    code = EXIT_LOCKED


def os_reason(exc: OSError) -> str:
    """A short Chinese reason for the usual I/O errors."""
    reasons = {
        errno.ENOSPC: "磁盘空间已满", errno.EDQUOT: "磁盘配额已满", errno.EROFS: "所在磁盘是只读的",
        errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
        errno.ENOENT: "路径不存在", errno.ELOOP: "路径是符号链接", errno.ENAMETOOLONG: "文件名太长",
        errno.EEXIST: "已存在同名文件",
    }
    return reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)


class OutDir:
    """An output folder held by this run (use `open_out_dir`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.scratch = path / SCRATCH
        self._lock_fd: int | None = None
        self._created = False

    # -------------------------------------------------------------- opening

    def acquire(self, overwrite: bool) -> None:
        path = self.path
        if path.exists() and not path.is_dir():
            raise OutDirError(f"--out {path} 已存在且不是文件夹")
        try:
            self._created = not path.exists()
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutDirError(f"无法创建输出文件夹 {path}：{os_reason(exc)}") from None
        self._lock()
        try:
            self._refuse_symlinks()
            self._clear_scratch()
            self._make_room(overwrite)
            self.scratch.mkdir()
        except BaseException:
            self.release()
            raise

    def _lock(self) -> None:
        while True:
            try:
                fd = os.open(self.path / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
            except OSError as exc:
                raise OutDirError(f"无法在输出文件夹 {self.path} 中写入：{os_reason(exc)}") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
                os.close(fd)
                raise OutputLocked(f"输出文件夹 {self.path} 正被另一次批量运行使用（进程 {holder}）；"
                                   "请等它结束，或换一个 --out") from None
            # The previous holder may have unlinked the file between our open and flock: then
            # we hold a lock on a file nobody else can see. Retry on the current one.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path / LOCK, follow_symlinks=False))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._lock_fd = fd

    def _refuse_symlinks(self) -> None:
        for root, dirs, files in os.walk(self.path):
            for name in dirs + files:
                full = Path(root, name)
                if full.is_symlink():
                    rel = full.relative_to(self.path)
                    raise OutDirError(f"输出文件夹中有符号链接 {rel}：为安全起见不会跟随或写入它；"
                                      "请删除该链接，或换一个 --out")

    def _clear_scratch(self) -> None:
        if self.scratch.exists():
            shutil.rmtree(self.scratch)  # a killed run's leftovers (rmtree never follows links)

    def _make_room(self, overwrite: bool) -> None:
        self._sweep_temp_files()
        contents = [p for p in self.path.iterdir() if p.name not in BOOKKEEPING]
        if not contents:
            return
        if not overwrite:
            raise OutputExists(f"输出文件夹 {self.path} 不是空的；如要覆盖上次的结果，请加 --overwrite")
        listed = self._previous_files()
        self._refuse_foreign(set(listed))  # before anything is deleted
        for rel in listed:
            target = self.path / rel
            if target.is_file() and not target.is_symlink():
                target.unlink()
        (self.path / MANIFEST).unlink(missing_ok=True)

    def _sweep_temp_files(self) -> None:
        """Temporary files of a killed run (atomic.py's `.tmp-<pid>-<random>` names)."""
        for folder in (self.path, self.path / CHECKLIST_DIR):
            if folder.is_dir():
                for p in folder.glob(".tmp-*"):
                    if p.is_file() and not p.is_symlink():
                        p.unlink()

    def _previous_files(self) -> list[str]:
        manifest = self.path / MANIFEST
        if not manifest.is_file():
            return []
        files = []
        for line in manifest.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                rel = json.loads(line).get("file", "")
            except (ValueError, AttributeError):
                continue
            if _inside(rel):
                files.append(rel)
        return files

    def _refuse_foreign(self, listed: set[str]) -> None:
        """Files this run would write but that the manifest does not list are not ours to replace."""
        foreign = [name for name in OUR_FILES if (self.path / name).exists() and name not in listed]
        checklists = self.path / CHECKLIST_DIR
        if checklists.is_dir():
            foreign += [rel for p in sorted(checklists.iterdir()) if (rel := f"{CHECKLIST_DIR}/{p.name}") not in listed]
        elif checklists.exists():
            foreign.append(CHECKLIST_DIR)
        if foreign:
            shown = "、".join(foreign[:5]) + (f" 等 {len(foreign)} 个" if len(foreign) > 5 else "")
            raise OutDirError(f"输出文件夹 {self.path} 中的 {shown} 不是本工具生成的（不在运行清单 {MANIFEST} 中），"
                              "--overwrite 不会删除或覆盖它们；请移走后重试，或换一个 --out")

    # -------------------------------------------------------------- during the run

    def record(self, rel: str) -> None:
        """Adds a file to the manifest before it is written."""
        with open(self.path / MANIFEST, "a", encoding="utf-8", opener=_nofollow_append) as fh:
            fh.write(json.dumps({"file": rel}, ensure_ascii=False) + "\n")

    def record_many(self, rels: list[str]) -> None:
        if not rels:
            return
        with open(self.path / MANIFEST, "a", encoding="utf-8", opener=_nofollow_append) as fh:
            fh.writelines(json.dumps({"file": r}, ensure_ascii=False) + "\n" for r in rels)

    def subdir(self, name: str) -> Path:
        """A folder of ours under the output folder, never a symlink."""
        path = self.path / name
        path.mkdir(exist_ok=True)
        os.close(os.open(path, DIR_FLAGS))  # ELOOP if it is a symlink
        return path

    # -------------------------------------------------------------- closing

    def release(self, *, drop_if_new: bool = False) -> None:
        """Removes the scratch folder and the lock; safe to call twice. `drop_if_new`: a folder
        this run created and left empty (refused input) is removed too."""
        if self._lock_fd is not None:  # never touch the folder of a run we did not lock
            shutil.rmtree(self.scratch, ignore_errors=True)
            try:
                os.unlink(self.path / LOCK)
            except OSError:
                pass
            os.close(self._lock_fd)
            self._lock_fd = None
            if drop_if_new and self._created:
                with contextlib.suppress(OSError):
                    self.path.rmdir()

    def __enter__(self) -> OutDir:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()

    def __del__(self) -> None:
        self.release()


def _nofollow_append(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)


def _inside(rel: object) -> bool:
    """A manifest entry names a file inside the folder: relative, no `..`."""
    if not isinstance(rel, str) or not rel or "\x00" in rel:
        return False
    p = PurePosixPath(rel)
    return not p.is_absolute() and ".." not in p.parts


def open_out_dir(path: Path, overwrite: bool) -> OutDir:
    """Locks and prepares the output folder; raises OutDirError (with its exit code)."""
    out = OutDir(path)
    try:
        out.acquire(overwrite)
    except OSError as exc:
        raise OutDirError(f"无法使用输出文件夹 {path}：{os_reason(exc)}") from None
    return out
