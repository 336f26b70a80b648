"""Batch runs for the web server: upload → checked input → a child process running the batch.

Each run lives in its own folder under the server's temporary root (input, outputs, status), and
its files are deleted as soon as every file the run offers has been downloaded in full, and the
whole run when the user deletes it, after MAX_AGE_S, or when the server stops. (The table of people
stays in the server's memory until then, so the page can still filter it.)
The batch itself runs in a child process (which starts the batch runner's worker pool): the
server process never calls the engine. Progress comes back through shared counters.

Zip uploads are checked before anything is extracted: no absolute paths, no `..`, no links, a cap on
the number of entries, on the total uncompressed size and on the compression ratio (a zip bomb),
and every entry is read with a hard cap whatever its header says.
"""

from __future__ import annotations

import json
import multiprocessing
import secrets
import shutil
import stat
import threading
import time
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from jifen_check.batch.runner import default_start_method

MAX_ENTRIES = 5000
MAX_UNZIPPED = 500 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed for an entry larger than 1 MB
MAX_AGE_S = 4 * 3600
APPLICANT_SUFFIXES = (".yaml", ".yml", ".json")
DOWNLOADS = {
    "summary.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "summary.pdf": "application/pdf",
    "results.jsonl": "application/x-ndjson",
    "checklists.zip": "application/zip",
}


class UploadRefused(Exception):
    """The upload cannot be used; the message says why in Chinese."""


# ---------------------------------------------------------------- zip checks


def _entry_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:  # no UTF-8 flag: Chinese Windows writes GBK names
        try:
            name = name.encode("cp437").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


def check_zip(zf: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, str]]:
    """The entries to extract as (info, flat file name); raises UploadRefused for an unsafe zip."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UploadRefused(f"压缩包中的文件太多（{len(infos)} 个，上限 {MAX_ENTRIES}）")
    total, wanted, names = 0, [], set()
    for info in infos:
        name = _entry_name(info)
        path = PurePosixPath(name.replace("\\", "/"))
        if name.startswith(("/", "\\")) or ".." in path.parts or (path.parts and ":" in path.parts[0]):
            raise UploadRefused(f"压缩包含不安全的路径 {name!r}（绝对路径或 ../），已拒绝，未解压任何文件")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UploadRefused(f"压缩包含符号链接 {name!r}，已拒绝，未解压任何文件")
        total += info.file_size
        if total > MAX_UNZIPPED:
            raise UploadRefused(f"压缩包解压后超过 {MAX_UNZIPPED // (1024 * 1024)} MB，已拒绝（疑似压缩炸弹）")
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise UploadRefused(f"压缩包中 {name!r} 的压缩比异常（疑似压缩炸弹），已拒绝")
        if info.is_dir() or path.name.startswith(".") or "__MACOSX" in path.parts:
            continue
        if path.name.casefold() in names:
            raise UploadRefused(f"压缩包中有同名文件 {path.name!r}（在不同文件夹中），请只放一份")
        names.add(path.name.casefold())
        wanted.append((info, path.name))
    if not wanted:
        raise UploadRefused("压缩包是空的")
    return wanted


def extract_zip(archive: Path, folder: Path) -> None:
    """Checked extraction into `folder`, flat; every entry read with a cap."""
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise UploadRefused("上传的文件不是有效的 zip 压缩包") from None
    with zf:
        entries = check_zip(zf)
        folder.mkdir()
        for info, name in entries:
            _copy_capped(zf, info, folder / name)


def _copy_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> None:
    cap = info.file_size  # the header's size: an entry that inflates past it is lying
    written = 0
    with zf.open(info) as src, target.open("xb") as dst:
        while chunk := src.read(1 << 16):
            written += len(chunk)
            if written > cap or written > MAX_UNZIPPED:
                raise UploadRefused(f"压缩包中 {info.filename!r} 解压后比声明的大（疑似压缩炸弹），已拒绝")
            dst.write(chunk)


def batch_input(upload: Path, filename: str, run_dir: Path) -> Path:
    """The path the batch reader takes, from the uploaded file."""
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        if not zipfile.is_zipfile(upload):
            raise UploadRefused(f"{filename} 不是有效的 .xlsx 工作簿")
        target = run_dir / f"input{suffix}"
        upload.rename(target)
        return target
    if suffix == ".zip":
        folder = run_dir / "input"
        extract_zip(upload, folder)
        upload.unlink()
        return folder
    if suffix in APPLICANT_SUFFIXES:
        folder = run_dir / "input"
        folder.mkdir()
        upload.rename(folder / Path(filename).name)
        return folder
    raise UploadRefused(f"不支持的文件 {filename}：请上传 .xlsx 工作簿、CSV 文件的 zip 包，或申请人 YAML/JSON 文件的 zip 包")


# ---------------------------------------------------------------- the child process


def _child(input_path: str, out_dir: str, as_of: str | None, show_id: bool, pdf: bool,
           done: Any, total: Any, status_path: str, ruleset: str) -> None:
    """Runs one batch; writes status.json (counts, rows, notices, or the error)."""
    import datetime as dt
    import tempfile

    from jifen_check.batch.pipeline import run_batch
    from jifen_check.batch.readers import read_input
    from jifen_check.batch.runner import Options
    from jifen_check.batch.tables import InputError

    scratch = Path(status_path).parent / "tmp"
    scratch.mkdir(exist_ok=True)
    tempfile.tempdir = str(scratch)  # the reader's detail store stays inside this run's folder
    rows: list[dict[str, Any]] = []

    def on_result(outcome: Any) -> None:
        r = outcome.row
        rows.append({"index": r.index, "source": r.source, "employee_no": r.employee_no, "name": r.name,
                     "id_number": r.id_number, "verdict": r.verdict, "total": r.total,
                     "problem": r.main_problem, "earliest": r.earliest_eligible, "pdf": r.pdf})
        with done.get_lock():
            done.value += 1

    status: dict[str, Any]
    try:
        batch = read_input(Path(input_path))
        total.value = len(batch.items)
        options = Options(Path(out_dir), dt.date.fromisoformat(as_of) if as_of else None, show_id, pdf,
                          ruleset=ruleset)
        report = run_batch(batch, options, label=Path(input_path).name, on_result=on_result)
        status = {"state": "done", "counts": dict(report.tally.counts), "total": report.tally.total,
                  "rows": rows, "files": report.files, "logged": report.logged,
                  "notices": [{"where": n.where, "message": n.message} for n in report.notices[:200]]}
    except InputError as exc:
        status = {"state": "failed", "error": str(exc)}
    except Exception as exc:  # the user gets a sentence; the details stay out of the server log
        status = {"state": "failed", "error": f"批量运行失败：{type(exc).__name__}",
                  "trace": traceback.format_exc(limit=3)}
    tmp = Path(status_path + ".part")
    tmp.write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
    tmp.replace(status_path)


# ---------------------------------------------------------------- the server's bookkeeping


@dataclass
class BatchRun:
    id: str
    folder: Path
    filename: str
    show_id: bool
    started: float = field(default_factory=time.time)
    process: Any = None
    done: Any = None
    total: Any = None
    status: dict[str, Any] | None = None
    downloaded: set[str] = field(default_factory=set)
    files_deleted: bool = False

    @property
    def out_dir(self) -> Path:
        return self.folder / "out"

    def poll(self) -> dict[str, Any]:
        if self.status is None:
            path = self.folder / "status.json"
            if path.exists():
                self.status = json.loads(path.read_text(encoding="utf-8"))
                self.status.pop("trace", None)
            elif self.process is not None and not self.process.is_alive():
                self.status = {"state": "failed", "error": "批量运行的进程意外退出"}
        state = self.status or {"state": "running"}
        return {"id": self.id, "filename": self.filename, "files_deleted": self.files_deleted,
                **{k: v for k, v in state.items() if k != "rows"},
                "done": self.done.value if self.done is not None else 0,
                "expected": self.total.value if self.total is not None else 0}


class BatchRuns:
    def __init__(self, root: Path, ruleset: str) -> None:
        self.root, self.ruleset = root, ruleset
        self.runs: dict[str, BatchRun] = {}
        self.lock = threading.Lock()
        self.ctx = multiprocessing.get_context(default_start_method())

    def new_folder(self) -> tuple[str, Path]:
        self.sweep()
        run_id = secrets.token_hex(8)
        folder = self.root / f"batch-{run_id}"
        folder.mkdir(mode=0o700)
        return run_id, folder

    def start(self, run_id: str, folder: Path, upload: Path, filename: str, *, as_of: str | None,
              show_id: bool, pdf: bool) -> BatchRun:
        try:
            source = batch_input(upload, filename, folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        run = BatchRun(run_id, folder, filename, show_id)
        run.out_dir.mkdir()
        run.done, run.total = self.ctx.Value("i", 0), self.ctx.Value("i", 0)
        run.process = self.ctx.Process(
            target=_child, name="jifen-web-batch",
            args=(str(source), str(run.out_dir), as_of, show_id, pdf, run.done, run.total,
                  str(folder / "status.json"), self.ruleset))
        run.process.start()
        with self.lock:
            self.runs[run_id] = run
        return run

    def get(self, run_id: str) -> BatchRun | None:
        with self.lock:
            return self.runs.get(run_id)

    def rows(self, run: BatchRun) -> list[dict[str, Any]]:
        run.poll()
        return list((run.status or {}).get("rows", []))

    def offered(self, run: BatchRun) -> set[str]:
        """The downloads this run offers (the PDFs only when the batch made them)."""
        made = set((run.status or {}).get("files", []))
        return {"summary.xlsx", "results.jsonl"} | ({"summary.pdf", "checklists.zip"} if "summary.pdf" in made else set())

    def mark_downloaded(self, run: BatchRun, name: str) -> None:
        """Called once a download has been sent in full: when every offered file has been, the files go."""
        run.downloaded.add(name)
        if run.downloaded >= self.offered(run) and not run.files_deleted:
            run.files_deleted = True
            shutil.rmtree(run.folder, ignore_errors=True)

    def file(self, run: BatchRun, name: str) -> Path | None:
        if name not in DOWNLOADS or run.files_deleted or (run.poll().get("state") != "done"):
            return None
        if name == "checklists.zip":
            return self._zip_checklists(run)
        path = run.out_dir / name
        return path if path.is_file() else None

    def _zip_checklists(self, run: BatchRun) -> Path | None:
        source = run.out_dir / "checklists"
        target = run.folder / "checklists.zip"
        if not source.is_dir():
            return None
        if not target.exists():
            part = target.with_suffix(".part")
            with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf:
                for pdf in sorted(source.glob("*.pdf")):
                    zf.write(pdf, pdf.name)
            part.replace(target)
        return target

    def delete(self, run_id: str) -> bool:
        with self.lock:
            run = self.runs.pop(run_id, None)
        if run is None:
            return False
        if run.process is not None and run.process.is_alive():
            run.process.terminate()
            run.process.join(5)
        shutil.rmtree(run.folder, ignore_errors=True)
        return True

    def sweep(self) -> None:
        """Deletes runs older than MAX_AGE_S."""
        now = time.time()
        for run_id in [r.id for r in list(self.runs.values()) if now - r.started > MAX_AGE_S]:
            self.delete(run_id)

    def close(self) -> None:
        for run_id in list(self.runs):
            self.delete(run_id)
