"""Grading a class never reads the parsed-TOML cache (anything may have written it); a student's
own commands do, and an edit of the bank is always seen."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from modl_tutor.bank.loader import Bank, default_bank, load_bank
from modl_tutor.bank.toml_cache import _digest
from modl_tutor.cli import main

SLOPE = "derivatives/sigmoid_prime"


def _poison(cache_dir: Path, toml_path: Path) -> None:
    """A planted entry under the digest of the real file's text, with 77 points."""
    import tomllib

    raw = toml_path.read_text(encoding="utf-8")
    data = tomllib.loads(raw)
    data["points"] = 77
    cache_dir.mkdir(parents=True, exist_ok=True)
    (cache_dir / "bank-toml.json").write_text(json.dumps({"format": 1,
                                                          "entries": {_digest(raw): data}}))


def test_modl_grade_ignores_a_planted_bank_cache(math_env: Bank, math_bank_root: Path,
                                                 ws: Path, tmp_path: Path) -> None:
    _poison(tmp_path / "cache", math_bank_root / "exercises" / SLOPE / "exercise.toml")
    default_bank.cache_clear()
    assert load_bank(math_bank_root / "exercises").get(SLOPE).points == 77  # the cache is read
    assert load_bank(math_bank_root / "exercises", cached=False).get(SLOPE).points != 77
    default_bank.cache_clear()
    result = CliRunner().invoke(main, ["grade", str(ws), "--format", "json", "--no-cache",
                                       "--allow-weak-sandbox"])
    assert result.exit_code in (0, 1), result.output
    rows = json.loads(result.output)
    submission = rows[0] if isinstance(rows, list) else rows["submissions"][0]
    exercises = submission["exercises"]
    # every points figure, not a substring of the text (a temporary folder's name may hold 77)
    scores = [submission["max_score"], *(e["max_score"] for e in exercises),
              *(c["max_score"] for e in exercises for c in e["checks"])]
    assert 77 not in scores
    assert submission["max_score"] == sum(math_env.get(e["id"]).points for e in exercises)
    slope = next(e for e in exercises if e["id"] == SLOPE)
    assert slope["max_score"] == math_env.get(SLOPE).points
