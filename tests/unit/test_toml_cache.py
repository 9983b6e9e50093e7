"""The bank's parsed-TOML cache: same exercises as a fresh parse, edits re-parsed, bad files ignored."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from modl_tutor import paths
from modl_tutor.bank import toml_cache
from modl_tutor.bank.loader import load_bank


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MODL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("MODL_BANK_CACHE", raising=False)
    return tmp_path / "cache"


def _copy_bank(tmp_path: Path, topics: tuple[str, ...] = ("derivatives", "losses")) -> Path:
    root = tmp_path / "bank" / "exercises"
    for topic in topics:
        shutil.copytree(paths.exercises_dir() / topic, root / topic)
    shutil.copytree(paths.solutions_dir(), root.parent / "solutions")
    return root


def test_a_cached_load_gives_the_same_exercises_as_a_fresh_parse(cache_dir: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_bank()
    assert (cache_dir / "bank-toml.json").is_file()
    calls: list[str] = []
    real = toml_cache.tomllib.loads
    monkeypatch.setattr(toml_cache.tomllib, "loads", lambda raw: calls.append(raw) or real(raw))
    second = load_bank()
    assert calls == []  # every file came from the cache
    assert [e.id for e in second] == [e.id for e in first]
    assert [e.parts for e in second] == [e.parts for e in first]
    assert [(e.code, e.params, e.plot, e.points) for e in second] == \
        [(e.code, e.params, e.plot, e.points) for e in first]
    monkeypatch.setenv("MODL_BANK_CACHE", "off")
    assert [e.parts for e in load_bank()] == [e.parts for e in first]


def test_an_edited_exercise_is_parsed_again(cache_dir: Path, tmp_path: Path) -> None:
    root = _copy_bank(tmp_path)
    before = load_bank(root).get("derivatives/sigmoid_prime")
    toml = root / "derivatives" / "sigmoid_prime" / "exercise.toml"
    toml.write_text(toml.read_text().replace(f'title = "{before.title}"', 'title = "Edited"'))
    assert load_bank(root).get("derivatives/sigmoid_prime").title == "Edited"


def test_a_broken_exercise_still_names_its_file_with_a_warm_cache(cache_dir: Path,
                                                                  tmp_path: Path) -> None:
    root = _copy_bank(tmp_path, ("losses",))
    load_bank(root)
    toml = next(root.glob("losses/*/exercise.toml"))
    toml.write_text("kind = [unclosed\n")
    from modl_tutor.errors import BankError

    with pytest.raises(BankError, match="exercise.toml.*not valid TOML"):
        load_bank(root)


@pytest.mark.parametrize("content", [b"not json", b'{"format": 99, "entries": {}}',
                                     b'{"format": 1, "entries": []}', b"[1, 2]"])
def test_a_damaged_cache_file_is_ignored_and_replaced(cache_dir: Path, content: bytes) -> None:
    cache_dir.mkdir(parents=True)
    (cache_dir / "bank-toml.json").write_bytes(content)
    bank = load_bank()
    assert len(bank) > 100
    document = json.loads((cache_dir / "bank-toml.json").read_bytes())
    assert document["format"] == 1 and len(document["entries"]) == len(bank)


def test_a_forged_entry_only_matches_the_text_it_was_parsed_from(cache_dir: Path) -> None:
    """An entry is keyed by its text's digest: a stale or planted entry under another key is
    never used for a file whose text differs."""
    cache_dir.mkdir(parents=True)
    (cache_dir / "bank-toml.json").write_text(json.dumps(
        {"format": 1, "entries": {"0" * 40: {"kind": "code", "points": 999}}}))
    assert all(e.points != 999 for e in load_bank())


def test_dates_are_never_stored(cache_dir: Path) -> None:
    cache = toml_cache.TomlCache(cache_dir / "bank-toml.json")
    assert cache.loads("when = 2026-11-26\n")["when"].year == 2026
    cache.save()
    assert not (cache_dir / "bank-toml.json").exists()
