"""The CJK font check: a PDF rendered without Noto Sans CJK SC would be a page of empty boxes."""

from __future__ import annotations

import functools
import subprocess

FONT_FAMILY = "Noto Sans CJK SC"
DEBIAN_PACKAGE = "fonts-noto-cjk"


class FontMissingError(RuntimeError):
    """The Chinese font the PDF needs is not installed."""

    def __init__(self, detail: str = "") -> None:
        message = (
            f"未找到中文字体 {FONT_FAMILY}，无法生成 PDF（否则中文会显示为空白方框）。"
            f"请安装 Debian 软件包 {DEBIAN_PACKAGE}（sudo apt-get install {DEBIAN_PACKAGE}，或运行 make setup）。\n"
            f"The font {FONT_FAMILY!r} is not installed, so the PDF cannot be rendered "
            f"(Chinese text would come out as empty boxes). Install the Debian package {DEBIAN_PACKAGE}."
        )
        super().__init__(message + (f"\n({detail})" if detail else ""))


def _fc_list_families() -> str:
    # fontconfig is what Pango (and so WeasyPrint) resolves font names through: ask it, not the disk.
    try:
        done = subprocess.run(
            ["fc-list", f":family={FONT_FAMILY}", "family"],
            capture_output=True, text=True, timeout=30, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FontMissingError(f"fc-list failed: {exc}") from exc
    return done.stdout


@functools.cache
def ensure_cjk_font() -> None:
    """Raise FontMissingError unless fontconfig knows Noto Sans CJK SC. Checked once per process."""
    if FONT_FAMILY not in _fc_list_families():
        raise FontMissingError()
