"""Installed like any Python tool: build the sdist and the wheel, install the wheel into a fresh venv,
and run every command from a folder outside the repository (issue 14).

Speed: the build runs without isolation (setuptools and build are dev dependencies of .venv) and the
temporary venv gets jifen-check's dependencies by a .pth line pointing at .venv's site-packages
instead of downloading them again. That is sound for this test: the wheel is installed into the
temporary venv's own site-packages, which comes first on sys.path, and .pth files inside .venv (such as
the editable install's finder) are not run for a directory added that way. The test checks that the
code and the data it runs from are the wheel's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from jifen_check import __version__
from tests.conftest import ROOT, run_cli

SAMPLE = ROOT / "samples" / "01-bachelor-degree.yaml"
DATA_PREFIXES = ("jifen_check/rulesets/shanghai-2023/ruleset.yaml", "jifen_check/rulesets/reference/holidays.yaml",
                 "jifen_check/rulesets/reference/cities.yaml", "jifen_check/rulesets/shanghai-2023/documents.yaml",
                 "jifen_check/templates/checklist.html.j2", "jifen_check/templates/base.css",
                 "jifen_check/rulesets/shanghai-2023/routes/actions.yaml",
                 "jifen_check/rulesets/shanghai-2023/routes/route_parameters.yaml",
                 "jifen_check/rulesets/shanghai-2023/labels.yaml")
WEB_FILES = ("jifen_check/web/templates/index.html.j2", "jifen_check/web/static/app.js",
             "jifen_check/web/static/style.css")


def _run(cmd: list[str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=timeout, env=env)


def _ok(p: subprocess.CompletedProcess[bytes], *codes: int) -> str:
    assert p.returncode in (codes or (0,)), p.stderr.decode() + p.stdout.decode()
    assert b"Traceback" not in p.stderr, p.stderr.decode()
    return p.stdout.decode()


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m build`: the sdist, then the wheel built from the sdist (as pip and pipx would)."""
    out = tmp_path_factory.mktemp("dist")
    _ok(_run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)], cwd=out))
    return out


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding only the wheel; returns its jifen-check script."""
    venv = tmp_path_factory.mktemp("venv") / "v"
    _ok(_run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=venv.parent))
    python = venv / "bin" / "python"
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=venv)
    site = Path(_ok(purelib).strip())
    (site / "zz_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    wheel = next(dist.glob("jifen_check-*.whl"))
    _ok(_run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index",
              str(wheel)], cwd=venv.parent))
    return venv / "bin" / "jifen-check"


def test_wheel_and_sdist_carry_the_data(dist: Path) -> None:
    names = zipfile.ZipFile(next(dist.glob("jifen_check-*.whl"))).namelist()
    for wanted in DATA_PREFIXES:
        assert wanted in names
    # Every data file of the repository is in the wheel, whatever its kind.
    for folder in ("rulesets", "templates"):
        for f in (ROOT / folder).rglob("*"):
            if f.is_file():
                assert f"jifen_check/{f.relative_to(ROOT).as_posix()}" in names
    for f in (ROOT / "jifen_check" / "web").rglob("*"):  # the web app's templates and static files
        if f.is_file() and "__pycache__" not in f.parts:
            assert f"jifen_check/web/{f.relative_to(ROOT / 'jifen_check' / 'web').as_posix()}" in names
    for wanted in WEB_FILES:
        assert wanted in names
    with tarfile.open(next(dist.glob("jifen_check-*.tar.gz"))) as sdist:
        members = {m.split("/", 1)[1] for m in sdist.getnames() if "/" in m}
    for wanted in DATA_PREFIXES:
        assert wanted in members


def test_code_and_data_come_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    python = installed.parent / "python"
    where = _ok(_run([str(python), "-c", "import jifen_check, jifen_check.resources as r; "
                      "print(jifen_check.__file__); print(r.rulesets_dir()); print(r.templates_dir())"],
                     cwd=tmp_path)).split()
    venv = installed.parent.parent.resolve()
    assert all(Path(p).resolve().is_relative_to(venv) for p in where), where


def test_check_json_is_the_same_as_the_editable_install(installed: Path, tmp_path: Path) -> None:
    here = tmp_path / "elsewhere"
    here.mkdir()
    sample = here / "申请人.yaml"
    sample.write_bytes(SAMPLE.read_bytes())
    from_wheel = _ok(_run([str(installed), "check", sample.name, "--format", "json"], cwd=here))
    editable = run_cli("check", str(sample), "--format", "json")
    assert editable.returncode == 0
    assert json.loads(from_wheel) == json.loads(editable.stdout)
    assert json.loads(from_wheel)["ruleset"]["tool_version"] == __version__


def test_every_command_works_from_another_folder(installed: Path, tmp_path: Path) -> None:
    sample = tmp_path / "a.yaml"
    sample.write_bytes(SAMPLE.read_bytes())
    version = _ok(_run([str(installed), "--version"], cwd=tmp_path))
    assert f"jifen-check {__version__}" in version and "规则集 shanghai-2023" in version
    assert "施行期 2023-01-01 至 2027-12-31" in version and "参数截至" in version

    _ok(_run([str(installed), "checklist", "a.yaml", "-o", "a.pdf"], cwd=tmp_path))
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "a.pdf").pages)
    assert "申请材料清单" in text and f"jifen-check {__version__}" in text
    # the footer's version line (the footer may wrap it: line breaks are compared as spaces)
    assert "施行期 2023-01-01 至 2027-12-31" in " ".join(text.split())

    assert "PTS-EDU" in _ok(_run([str(installed), "explain", "a.yaml", "PTS-EDU"], cwd=tmp_path))
    assert "PRE-PERMIT-VALID" in _ok(_run([str(installed), "rules"], cwd=tmp_path))
    assert json.loads(_ok(_run([str(installed), "schema"], cwd=tmp_path)))
    _ok(_run([str(installed), "template", "t.xlsx"], cwd=tmp_path))
    assert (tmp_path / "t.xlsx").stat().st_size > 0

    folder = tmp_path / "staff"
    folder.mkdir()
    (folder / "a.yaml").write_bytes(SAMPLE.read_bytes())
    (folder / "b.yaml").write_bytes((ROOT / "samples" / "07-fails-6-of-12.yaml").read_bytes())
    _ok(_run([str(installed), "batch", "staff", "--out", "out", "--no-pdf"], cwd=tmp_path), 0, 3, 4, 5)
    results = (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(results) == 2


def test_serve_works_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    """The web app's templates and static files come with the wheel: / and /api/check answer."""
    import signal
    import urllib.request

    proc = subprocess.Popen([str(installed), "serve", "--port", "0", "--workers", "1"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().decode().strip()  # http://127.0.0.1:PORT/?token=…
        assert url.startswith("http://127.0.0.1:"), url
        base, token = url.split("/?token=")
        auth = {"Authorization": f"Bearer {token}"}
        page = _get(urllib.request.Request(f"{base}/", headers=auth), timeout=120)
        assert "居住证积分" in page
        request = urllib.request.Request(f"{base}/api/check", data=json.dumps(
            __import__("yaml").safe_load(SAMPLE.read_text(encoding="utf-8")), default=str).encode(),
            headers={**auth, "Content-Type": "application/json"})
        result = json.loads(_get(request, timeout=120))
        assert result["ruleset"]["tool_version"] == __version__ and result["verdict"]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)


def _get(request: object, timeout: int) -> str:
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # type: ignore[arg-type]
                return response.read().decode()
        except urllib.error.HTTPError:
            raise
        except (urllib.error.URLError, ConnectionError):  # not listening yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
