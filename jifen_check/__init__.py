"""jifen-check: pre-screening for Shanghai residence-permit points (上海市居住证积分)."""

# The one place the version is written: pyproject.toml reads it at build time, results and PDFs
# carry it (`ruleset.tool_version`), `jifen-check --version` prints it.
__version__ = "0.1.0"
