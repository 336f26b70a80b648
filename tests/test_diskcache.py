"""The disk cache (the shipped rulebook, parsed data files): read only for the same files and code, never stale."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from jifen_check import diskcache, rulebook, yamlio


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("JIFEN_CHECK_CACHE_DIR", str(folder))
    monkeypatch.delenv("JIFEN_CHECK_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def ruleset(tmp_path: Path) -> Path:
    dst = tmp_path / "rs"
    shutil.copytree(rulebook.RULESETS_DIR / rulebook.DEFAULT_RULESET, dst)
    return dst


def _build_counting(root: Path, builds: list[int]) -> rulebook.Rulebook:
    def build() -> rulebook.Rulebook:
        builds.append(1)
        return rulebook.Rulebook(root)

    return diskcache.cached("rulebook-test", root, build)


def test_second_load_reads_the_cache_and_equals_a_fresh_build(cache: Path, ruleset: Path) -> None:
    builds: list[int] = []
    first = _build_counting(ruleset, builds)
    second = _build_counting(ruleset, builds)
    assert builds == [1]
    assert len(list(cache.glob("rulebook-test-*.pickle"))) == 1
    assert second is not first
    fresh = rulebook.Rulebook(ruleset)
    for book in (first, second):
        assert book.rules == fresh.rules and list(book.rules) == list(fresh.rules)
        assert book.header == fresh.header and book.root == fresh.root
        assert {n: vars(p) for n, p in book.parameters.items()} == {n: vars(p) for n, p in fresh.parameters.items()}


def test_a_changed_ruleset_file_is_built_again(cache: Path, ruleset: Path) -> None:
    builds: list[int] = []
    before = _build_counting(ruleset, builds)
    path = ruleset / "ruleset.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: 改", 1), encoding="utf-8")
    after = _build_counting(ruleset, builds)
    assert builds == [1, 1]
    assert after.header.title == "改" + before.header.title
    for i in range(5):  # older entries are removed: at most 4 are kept (installs side by side)
        path.write_text(path.read_text(encoding="utf-8") + f"# {i}\n", encoding="utf-8")
        _build_counting(ruleset, builds)
    assert len(list(cache.glob("rulebook-test-*.pickle"))) == 4


def test_a_new_file_in_the_ruleset_is_built_again(cache: Path, ruleset: Path) -> None:
    builds: list[int] = []
    _build_counting(ruleset, builds)
    (ruleset / "notes.txt").write_text("x", encoding="utf-8")
    _build_counting(ruleset, builds)
    assert builds == [1, 1]


def test_other_code_is_built_again(cache: Path, ruleset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builds: list[int] = []
    _build_counting(ruleset, builds)
    monkeypatch.setattr(diskcache, "code_fingerprint", lambda: b"another version of the code")
    _build_counting(ruleset, builds)
    assert builds == [1, 1]


def test_code_fingerprint_follows_the_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(diskcache, "PACKAGE", package)
    diskcache.code_fingerprint.cache_clear()
    try:
        first = diskcache.code_fingerprint()
        diskcache.code_fingerprint.cache_clear()
        (package / "a.py").write_text("x = 22\n", encoding="utf-8")
        second = diskcache.code_fingerprint()
    finally:
        diskcache.code_fingerprint.cache_clear()
    assert first != second


def test_a_damaged_entry_is_built_again(cache: Path, ruleset: Path) -> None:
    builds: list[int] = []
    _build_counting(ruleset, builds)
    (entry,) = cache.glob("rulebook-test-*.pickle")
    entry.write_bytes(entry.read_bytes()[:100])
    book = _build_counting(ruleset, builds)
    assert builds == [1, 1] and book.id == rulebook.DEFAULT_RULESET


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_an_entry_others_can_write_is_not_read(cache: Path, ruleset: Path) -> None:
    builds: list[int] = []
    _build_counting(ruleset, builds)
    (entry,) = cache.glob("rulebook-test-*.pickle")
    entry.chmod(0o666)
    _build_counting(ruleset, builds)
    assert builds == [1, 1]


def test_switched_off(cache: Path, ruleset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIFEN_CHECK_NO_CACHE", "1")
    builds: list[int] = []
    _build_counting(ruleset, builds)
    _build_counting(ruleset, builds)
    assert builds == [1, 1] and not cache.exists()


def test_a_file_changed_while_building_is_not_cached(cache: Path, ruleset: Path) -> None:
    def build() -> rulebook.Rulebook:
        book = rulebook.Rulebook(ruleset)
        (ruleset / "ruleset.yaml").write_text((ruleset / "ruleset.yaml").read_text(encoding="utf-8") + "\n",
                                              encoding="utf-8")
        return book

    diskcache.cached("rulebook-test", ruleset, build)
    assert not list(cache.glob("rulebook-test-*.pickle"))


def test_a_broken_ruleset_still_fails_every_time(cache: Path, ruleset: Path) -> None:
    (ruleset / "ruleset.yaml").write_text("id: [\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(rulebook.RulesetError):
            diskcache.cached("rulebook-test", ruleset, lambda: rulebook.Rulebook(ruleset))
    assert not list(cache.glob("rulebook-test-*.pickle"))


def test_shipped_ruleset_goes_through_the_cache(cache: Path) -> None:
    rulebook.load.cache_clear()
    try:
        book = rulebook.load(rulebook.DEFAULT_RULESET)
    finally:
        rulebook.load.cache_clear()
    assert book.id == rulebook.DEFAULT_RULESET
    assert len(list(cache.glob(f"rulebook-{rulebook.DEFAULT_RULESET}-*.pickle"))) == 1


def test_a_data_file_parse_is_cached_by_its_contents(cache: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "data.yaml"
    path.write_text("a: 1\nb: [2, 2026-01-01]\n", encoding="utf-8")
    first = diskcache.load_yaml_file(path)
    assert first == yamlio.load(path.read_text(encoding="utf-8"))

    def no_parse(*_: object, **__: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(diskcache.yamlio, "load", no_parse)
    assert diskcache.load_yaml_file(path) == first
    path.write_text("a: 2\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="parsed again"):
        diskcache.load_yaml_file(path)


def test_a_repeated_key_in_a_data_file_is_refused_every_time(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "dupe.yaml"
    path.write_text("a: 1\nb: 2\na: 3\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(yaml.YAMLError) as err:
            diskcache.load_yaml_file(path)
        assert "第 3 行" in yamlio.describe(err.value)
    assert not list(cache.glob("yaml-*.pickle"))


def test_old_data_entries_are_removed(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "data.yaml"
    for i in range(5):
        path.write_text(f"a: {i}\n", encoding="utf-8")
        diskcache.cached_text("yaml-test", path.read_text(encoding="utf-8"), lambda i=i: i, keep=3)
    assert len(list(cache.glob("yaml-test-*.pickle"))) == 3
