"""Every cache modl keeps lives in one folder (`$MODL_CACHE_DIR` or the user cache folder), each
in a place of its own, and each can be turned off where it says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from modl_tutor import paths
from modl_tutor.answers.verdict_cache import cache_dir as verdict_dir
from modl_tutor.bank.toml_cache import cache_path as toml_path
from modl_tutor.batch.cache import default_cache_dir
from modl_tutor.grading.references import store_dir


def test_every_cache_is_a_place_of_its_own_in_modl_cache_dir(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("MODL_REFERENCE_STORE", "MODL_VERDICT_CACHE", "MODL_BANK_CACHE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("MODL_CACHE_DIR", str(tmp_path / "c"))
    places = [store_dir(), verdict_dir(), toml_path(), default_cache_dir()]
    assert all(p is not None and p.parent == tmp_path / "c" for p in places)
    assert len({p.name for p in places if p is not None}) == 4
    assert paths.cache_dir() == tmp_path / "c"


def test_without_the_variable_the_user_cache_folder_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv("MODL_CACHE_DIR", raising=False)
    assert paths.cache_dir("grades") == Path(platformdirs.user_cache_dir("modl-tutor")) / "grades"


@pytest.mark.parametrize("value", ["off", "OFF", "0", "no", "false", " off "])
def test_each_cache_can_be_turned_off(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODL_REFERENCE_STORE", value)
    monkeypatch.setenv("MODL_VERDICT_CACHE", value)
    monkeypatch.setenv("MODL_BANK_CACHE", value)
    assert store_dir() is None and verdict_dir() is None and toml_path() is None


def test_other_values_leave_it_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODL_BANK_CACHE", "on")
    assert toml_path() is not None
