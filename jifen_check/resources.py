"""Where the package's own data lives: `rulesets/` (rules, dated parameters, reference data) and
`templates/` (PDF/HTML templates and styles). Every module finds them here, never next to its own file.

The data is looked up with `importlib.resources` inside the `jifen_check` package, so the same call
works in a wheel installed anywhere, in an editable install and in a checkout. In the repository the
two folders stay at the top level; `jifen_check/rulesets` and `jifen_check/templates` are links to
them, and the build copies the files through the links into the wheel and the sdist (see the
package-data comment in pyproject.toml).

Add a new data folder or file under one of the two folders and it is found and packaged with no
change here; a new top-level data folder needs a link and a package-data line.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

PACKAGE = "jifen_check"


class DataMissingError(RuntimeError):
    """The installed package lacks its data: a broken or incomplete installation."""

    def __init__(self, what: str, where: object) -> None:
        super().__init__(
            f"安装不完整：找不到 jifen-check 自带的数据 {what}（应在 {where}）。"
            f"请重新安装（pip install --force-reinstall jifen_check-*.whl，或在源码目录运行 make setup）。")


@cache
def data_dir(name: str) -> Path:
    """The real directory of a data folder of the package: "rulesets" or "templates".

    Resolved (links followed), so paths compare and nest as expected. Not checked for existence:
    a missing folder is reported by whoever needs a file from it (`require`), with a clear message.
    """
    resource = files(PACKAGE).joinpath(name)
    # Rendering needs real files (WeasyPrint base URLs, Jinja's loader): an unpacked install has them.
    if not isinstance(resource, Path):
        raise DataMissingError(name, f"{resource}（不支持以压缩包方式安装）")
    return resource.resolve()


def rulesets_dir() -> Path:
    return data_dir("rulesets")


def templates_dir() -> Path:
    return data_dir("templates")


def require(path: Path) -> Path:
    """`path` if it exists; otherwise DataMissingError naming it (an install without its data)."""
    if not path.exists():
        raise DataMissingError(path.name, path)
    return path
