"""jifen-check: pre-screening for Shanghai residence-permit points (上海市居住证积分)."""

__version__ = "0.1.0"
