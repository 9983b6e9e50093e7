"""The reference store: exact round trips, never pickle, content-addressed keys, the judge
uses stored references, and `modl verify`'s fresh requests bypass the store."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pytest

from modl_tutor.grading import references as R
from modl_tutor.grading.toolkit.check import Check


@pytest.fixture()
def store_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MODL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("MODL_REFERENCE_STORE", raising=False)
    return tmp_path / "cache" / "references"


VALUES = [
    np.arange(6, dtype=np.float32).reshape(2, 3),
    np.float64(0.1) + np.float64(0.2),
    np.float32(1.5),
    np.array(3.0),
    (np.ones(2), 1.25, -3),
    [True, None, "x"],
    {"W1": np.eye(2), "b1": np.zeros(2, dtype=np.float16)},
    float("nan"),
    float("-inf"),
    np.array([np.nan, np.inf, -0.0]),
    np.array([1 + 2j]),
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_round_trip_keeps_types_dtypes_and_every_bit(value):
    back = R.decode(R.encode(value))
    assert type(back) is type(value)
    pairs = [(value, back)]
    while pairs:
        a, b = pairs.pop()
        assert type(a) is type(b)
        if isinstance(a, (np.ndarray, np.generic)):
            assert a.dtype == b.dtype and np.shape(a) == np.shape(b)
            assert np.asarray(a).tobytes() == np.asarray(b).tobytes()
        elif isinstance(a, (tuple, list)):
            pairs += list(zip(a, b))
        elif isinstance(a, dict):
            assert list(a) == list(b)
            pairs += [(a[k], b[k]) for k in a]
        elif isinstance(a, float) and math.isnan(a):
            assert math.isnan(b)
        else:
            assert a == b


@pytest.mark.parametrize("value", [np.array([object()], dtype=object), {1: 2.0}, object(),
                                   [lambda: 0]])
def test_values_the_store_cannot_keep_are_not_written(value, store_root):
    store = R.ReferenceStore(store_root, "k")
    assert store.save(0, "c", value) is False
    assert not store_root.exists() or not any(store_root.rglob("*.npz"))


def test_a_pickled_file_is_never_unpickled(tmp_path):
    buffer = io.BytesIO()
    np.savez(buffer, __tree__=np.array('{"a": "a0"}'), a0=np.array([{"x": 1}], dtype=object))
    with pytest.raises(ValueError):
        R.decode(buffer.getvalue())


def _checks(calls: list[str]) -> list[Check]:
    def kernel(x):  # type: ignore[no-untyped-def]
        calls.append("computed")
        return np.asarray(x) * 2.0

    def broken(x):  # type: ignore[no-untyped-def]
        raise RuntimeError("kernel bug")

    return [Check("a", args=(np.arange(3.0),), reference=kernel),
            Check("literal", args=(1,), expected=5.0),
            Check("b", args=(np.ones(2),), reference=kernel),
            Check("broken", args=(1,), reference=broken)]


def test_resolve_computes_once_then_loads(store_root):
    calls: list[str] = []
    store = R.ReferenceStore(store_root, "key")
    first = R.resolve(_checks(calls), store)
    assert sorted(first) == [0, 2] and len(calls) == 2  # literal and broken left to the judge
    again = R.resolve(_checks(calls), R.ReferenceStore(store_root, "key"))
    assert len(calls) == 2  # nothing recomputed
    assert np.array_equal(again[0], [0.0, 2.0, 4.0]) and again[0].dtype == np.float64
    assert len(list(store_root.rglob("*.npz"))) == 2
    assert (store_root.stat().st_mode & 0o077) == 0  # private: hidden checks' outputs


@pytest.mark.parametrize("damage", ["garbage", "truncated", "bad tree", "flipped bit", "empty"])
def test_a_damaged_file_is_recomputed_and_rewritten(store_root, damage):
    calls: list[str] = []
    store = R.ReferenceStore(store_root, "key")
    R.resolve(_checks(calls), store)
    path = store.path(0, "a")
    if damage == "garbage":
        path.write_bytes(b"not an npz")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:-40])
    elif damage == "flipped bit":  # what a crash before the data reached the disk can leave
        data = bytearray(path.read_bytes())
        at = data.find((np.arange(3.0) * 2.0).tobytes())
        assert at > 0
        data[at + 9] ^= 0x01  # inside the stored array's bytes: a still-valid zip
        path.write_bytes(bytes(data))
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        buffer = io.BytesIO()
        np.savez(buffer, __tree__=np.array('{"d": [1, 2, 3]}'))
        path.write_bytes(buffer.getvalue())
    values = R.resolve(_checks(calls), store)
    assert len(calls) == 3 and np.array_equal(values[0], [0.0, 2.0, 4.0])
    assert store.load(0, "a")[0] is True


def test_store_off_computes_everything(monkeypatch, store_root):
    monkeypatch.setenv("MODL_REFERENCE_STORE", "off")
    assert R.store_dir() is None
    assert R.ReferenceStore.for_exercise(Path(__file__), "x", "") is None


def test_key_follows_the_exercise_files_id_and_seed(tmp_path):
    folder = tmp_path / "ex"
    folder.mkdir()
    checks = folder / "checks.py"
    checks.write_text("A = 1\n")
    base = R.exercise_key(checks, "t/ex", "")
    assert R.exercise_key(checks, "t/ex", "") == base
    assert R.exercise_key(checks, "t/ex", "student1") != base
    assert R.exercise_key(checks, "t/other", "") != base
    (folder / "drivers.py").write_text("B = 2\n")
    with_drivers = R.exercise_key(checks, "t/ex", "")
    assert with_drivers != base
    checks.write_text("A = 2\n")
    assert R.exercise_key(checks, "t/ex", "") not in (base, with_drivers)


@pytest.fixture(scope="module")
def softmax():  # type: ignore[no-untyped-def]
    from modl_tutor.bank.loader import load_bank

    bank = load_bank(strict=False)
    return bank, bank.get("losses/softmax")


@pytest.mark.usefixtures("judge_in_process")
def test_the_judge_uses_stored_references_and_fresh_requests_bypass_them(softmax, store_root,
                                                                           tmp_path):
    """A poisoned stored reference fails the reference solution's first check: proof the
    judge reads the store; a fresh request (what `modl verify` sends) recomputes and passes."""
    from modl_tutor.batch.verify import _fresh
    from modl_tutor.grading.client import code_request
    from modl_tutor.grading.code_grade import build_checks, grade_code

    bank, exercise = softmax
    target = tmp_path / "ws" / exercise.workspace_file
    target.parent.mkdir(parents=True)
    target.write_text((bank.solutions_root / f"{exercise.id}.py").read_text())
    request = code_request(exercise, str(target))
    first = grade_code(request)
    assert first["score"] == first["max_score"]
    stored = list(store_root.rglob("*.npz"))
    checks = build_checks(Path(request["checks_path"]), exercise.id, "")
    assert len(stored) == sum(c.reference is not None for c in checks)
    store = R.ReferenceStore.for_exercise(Path(request["checks_path"]), exercise.id, "")
    assert store is not None
    assert store.save(0, checks[0].name, np.full(4, 0.25))  # wrong on purpose
    poisoned = grade_code(request)
    assert [c["passed"] for c in poisoned["checks"]][0] is False
    fresh = grade_code(_fresh(request))
    assert fresh["score"] == fresh["max_score"]
