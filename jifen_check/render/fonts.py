"""Checks for the system parts a PDF needs, each failing with a Chinese message and the command that
installs it on Debian/Ubuntu (the same commands are in README「安装」):

- Pango (with PangoFT2): WeasyPrint's text layout. Without it WeasyPrint cannot even be imported, and
  its own error is a page of English; so it is checked before WeasyPrint is imported.
- Noto Sans CJK SC: without it a PDF would be a page of empty boxes.
- libharfbuzz-subset: font subsetting. Without it WeasyPrint still works but embeds the whole CJK
  font, about 20 s per PDF instead of well under 1 s: a warning, not an error.
"""

from __future__ import annotations

import ctypes
import functools
import subprocess
import sys

FONT_FAMILY = "Noto Sans CJK SC"
DEBIAN_PACKAGE = "fonts-noto-cjk"
PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"
HARFBUZZ_SUBSET_PACKAGE = "libharfbuzz-subset0"
ALL_PACKAGES = f"{PANGO_PACKAGES} {DEBIAN_PACKAGE} {HARFBUZZ_SUBSET_PACKAGE}"

# The names WeasyPrint itself tries (weasyprint/text/ffi.py), Linux first.
_PANGO_NAMES = ("libpango-1.0.so.0", "libpango-1.0-0", "libpango-1.0.dylib", "libpango-1.0-0.dll")
_PANGOFT2_NAMES = ("libpangoft2-1.0.so.0", "libpangoft2-1.0-0", "libpangoft2-1.0.dylib",
                   "libpangoft2-1.0-0.dll")
_HB_SUBSET_NAMES = ("libharfbuzz-subset.so.0", "libharfbuzz-subset-0", "libharfbuzz-subset.0.dylib",
                    "libharfbuzz-subset-0.dll")


def apt_command(packages: str) -> str:
    return f"sudo apt-get install {packages}"


class SystemPartMissingError(RuntimeError):
    """A system library or font the PDF needs is not installed. The message says how to install it."""

    def __init__(self, what: str, why: str, packages: str, detail: str = "") -> None:
        message = (f"缺少系统组件：{what}，{why}。\n"
                   f"Debian/Ubuntu 上请运行：{apt_command(packages)}\n"
                   f"（一次装齐 PDF 所需的全部组件：{apt_command(ALL_PACKAGES)}；在源码目录中 make setup 会自动安装）")
        super().__init__(message + (f"\n（详情：{detail}）" if detail else ""))


class FontMissingError(SystemPartMissingError):
    """The Chinese font the PDF needs is not installed."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(f"未找到中文字体 {FONT_FAMILY}", "无法生成 PDF（否则中文会显示为空白方框）",
                         DEBIAN_PACKAGE, detail)


def _loads(names: tuple[str, ...]) -> bool:
    for name in names:
        try:
            ctypes.CDLL(name)
        except OSError:
            continue
        return True
    return False


@functools.cache
def ensure_pango() -> None:
    """Raise SystemPartMissingError unless Pango and PangoFT2 load. Call before importing WeasyPrint."""
    missing = [lib for lib, names in (("Pango", _PANGO_NAMES), ("PangoFT2", _PANGOFT2_NAMES))
               if not _loads(names)]
    if missing:
        raise SystemPartMissingError(f"排版库 {'、'.join(missing)}（Pango）", "无法生成 PDF", PANGO_PACKAGES)


def harfbuzz_subset_missing_message() -> str | None:
    """The warning to show when libharfbuzz-subset is absent, or None when it is installed."""
    if _loads(_HB_SUBSET_NAMES):
        return None
    return (f"提示：未安装字体子集库 libharfbuzz-subset，PDF 仍然正确，但每份约需 20 秒（正常不到 1 秒）。"
            f"Debian/Ubuntu 上请运行：{apt_command(HARFBUZZ_SUBSET_PACKAGE)}")


@functools.cache
def warn_if_harfbuzz_subset_missing() -> None:
    """Print the libharfbuzz-subset warning on stderr, once per process."""
    message = harfbuzz_subset_missing_message()
    if message:
        print(message, file=sys.stderr)


def _fc_list_families() -> str:
    # fontconfig is what Pango (and so WeasyPrint) resolves font names through: ask it, not the disk.
    try:
        done = subprocess.run(
            ["fc-list", f":family={FONT_FAMILY}", "family"],
            capture_output=True, text=True, timeout=30, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FontMissingError(f"fc-list 无法运行：{exc}") from exc
    return done.stdout


@functools.cache
def ensure_cjk_font() -> None:
    """Raise FontMissingError unless fontconfig knows Noto Sans CJK SC. Checked once per process."""
    if FONT_FAMILY not in _fc_list_families():
        raise FontMissingError()


def ensure_pdf_ready() -> None:
    """Every system part a PDF needs, checked up front (e.g. before a batch starts its workers)."""
    ensure_pango()
    ensure_cjk_font()
    warn_if_harfbuzz_subset_missing()
