"""torch is paid only when a reference is missing: kernels and checks.py import without it, the
judge grades from a warm reference store without importing it (even a wrong submission's
known-mistake feedback), a missing reference is computed once and stored by the judge's
reference process (the judge server stays torch-free), a fresh computation
(`modl verify`) replaces a stored value that differs, and the store's key follows the code the
references depend on (not the sandbox's)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from modl_tutor.grading import references as R
from modl_tutor.grading.code_grade import build_checks, prepare
from tests.processes import alive

REPO = Path(__file__).resolve().parents[2]
MUTANTS = REPO / "tests" / "mutants"


@pytest.fixture()
def poisoned(tmp_path: Path) -> Path:
    """A folder holding a `torch` package that refuses to be imported."""
    package = tmp_path / "poison" / "torch"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("raise ImportError('torch was imported')\n")
    return package.parent


@pytest.fixture()
def store_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MODL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("MODL_REFERENCE_STORE", raising=False)
    return tmp_path / "cache" / "references"


def _python(code: str, poison: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(poison), str(REPO)]))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=str(REPO), timeout=120)


def test_kernels_and_every_checks_py_build_without_torch(poisoned):
    """`import modl_tutor.kernels.losses` (and every kernels module) and building every
    exercise's checks load no torch: a poisoned torch on the path would raise."""
    code = """
import importlib, pkgutil, sys
from pathlib import Path
import modl_tutor.kernels as kernels
from modl_tutor.bank.loader import load_bank
from modl_tutor.grading.code_grade import build_checks
import modl_tutor.kernels.losses
for info in pkgutil.iter_modules(kernels.__path__):
    importlib.import_module("modl_tutor.kernels." + info.name)
built = 0
for exercise in load_bank(strict=False):
    if exercise.is_code:
        built += len(build_checks(Path(exercise.checks_path), exercise.id, "s1"))
print(built, "torch" in sys.modules)
"""
    done = _python(code, poisoned)
    assert done.returncode == 0, done.stderr[-2000:]
    count, loaded = done.stdout.split()
    assert int(count) > 100 and loaded == "False"


def test_the_poison_is_real(poisoned):
    """The fixture really refuses torch (else the tests above prove nothing)."""
    done = _python("import modl_tutor.kernels.losses as K, numpy as np; K.softmax(np.ones(2))",
                   poisoned)
    assert done.returncode != 0 and "torch was imported" in done.stderr


@pytest.fixture(scope="module")
def softmax():  # type: ignore[no-untyped-def]
    from modl_tutor.bank.loader import load_bank

    bank = load_bank(strict=False)
    return bank, bank.get("losses/softmax")


def _submission(tmp_path: Path, exercise: Any, source: str, name: str) -> Path:
    target = tmp_path / name / exercise.workspace_file
    target.parent.mkdir(parents=True)
    target.write_text(source)
    return target


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_cold_judge_computes_and_stores_then_a_warm_one_never_imports_torch(
        softmax, store_root, poisoned, tmp_path, monkeypatch):
    from modl_tutor.grading.client import CodeGrader, code_request

    bank, exercise = softmax
    good = _submission(tmp_path, exercise, (bank.solutions_root / f"{exercise.id}.py")
                       .read_text(), "good")
    wrong = _submission(tmp_path, exercise, (MUTANTS / exercise.id / "bad_whole_array.py")
                        .read_text(), "wrong")
    with CodeGrader(jobs=1) as cold:
        first = cold.grade(code_request(exercise, str(good)))
        synced = cold.sync()
        # the store was empty: computed with torch by the reference process, not the judge
        assert synced["torch"] is synced["workers_torch"] is False
        assert synced["references_pid"] is not None
    assert first["score"] == first["max_score"] > 0
    stored = sorted(store_root.rglob("*.npz"))
    assert stored  # and kept for the next run
    assert not alive(synced["references_pid"])  # gone with the grader

    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(poisoned), *filter(None, [os.environ.get("PYTHONPATH")])]))
    with CodeGrader(jobs=1) as warm:
        again = warm.grade(code_request(exercise, str(good)))
        failed = warm.grade(code_request(exercise, str(wrong)))
        synced = warm.sync()
        assert synced["torch"] is synced["workers_torch"] is False
    assert again["score"] == again["max_score"] and again["status"] == "passed"
    assert failed["status"] == "failed" and 0 < failed["score"] < failed["max_score"]
    assert "torch was imported" not in str(failed)
    assert sorted(store_root.rglob("*.npz")) == stored  # nothing recomputed


def _vae_kl():  # type: ignore[no-untyped-def]
    from modl_tutor.bank.loader import load_bank

    exercise = load_bank(strict=False).get("generative/vae_kl")
    return Path(exercise.checks_path), exercise.id


def test_missing_references_and_known_mistakes_are_computed_once_and_stored(store_root):
    path, exercise_id = _vae_kl()
    prepared = prepare(path, exercise_id, "s2")
    checks, values = prepared.checks, prepared.values
    assert prepared.missing() == []
    with_reference = [i for i, c in enumerate(checks) if c.reference is not None]
    assert sorted(values) == with_reference
    assert any(c.mistakes for c in checks)
    written = len(list(store_root.rglob("*.npz")))
    assert written == len(with_reference) + sum(bool(c.mistakes) for c in checks)

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("computed again instead of loaded from the store")

    again = R.ReferenceStore.for_exercise(path, exercise_id, "s2")
    assert again is not None
    fresh_checks = build_checks(path, exercise_id, "s2")
    for check in fresh_checks:
        check.reference = refuse if check.reference is not None else None
        check.mistakes = {message: refuse for message in check.mistakes}
    loaded = R.resolve(fresh_checks, again)
    assert sorted(loaded) == with_reference
    for index in with_reference:
        assert R.same_value(loaded[index], values[index])
    for old, new in zip(checks, fresh_checks):
        if old.mistakes:
            assert new.known_mistake_values is not None
            assert [m for m, _ in new.mistake_values()] == [m for m, _ in old.mistake_values()]
    assert len(list(store_root.rglob("*.npz"))) == written


def test_a_fresh_computation_replaces_a_poisoned_entry_and_says_so(store_root):
    path, exercise_id = _vae_kl()
    prepared = prepare(path, exercise_id, "")
    checks, values = prepared.checks, prepared.values
    store = R.ReferenceStore.for_exercise(path, exercise_id, "")
    assert store is not None
    index = min(values)
    assert store.save(index, checks[index].name, np.float64(123.0))  # wrong on purpose
    poisoned_values = prepare(path, exercise_id, "").values
    assert float(poisoned_values[index]) == 123.0  # the judge trusts the store...
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("modl")  # its own handler: other tests may stop propagation
    logger.addHandler(handler)
    try:
        fresh = prepare(path, exercise_id, "", fresh=True).values  # ...`modl verify` does not
    finally:
        logger.removeHandler(handler)
    assert R.same_value(fresh[index], values[index])
    assert any("differed from a fresh computation" in r.getMessage() for r in records)
    repaired = prepare(path, exercise_id, "").values
    assert R.same_value(repaired[index], values[index])  # the store is right again


def test_same_value_is_bit_exact():
    assert R.same_value((np.arange(3.0), {"a": 1.5}), (np.arange(3.0), {"a": 1.5}))
    assert not R.same_value(np.arange(3.0), np.arange(3.0).astype(np.float32))
    assert not R.same_value(np.float64(0.1), np.float64(0.1) + 1e-17 * 2)
    assert not R.same_value(np.array([0.0]), np.array([-0.0]))
    assert not R.same_value((1.0, 2.0), [1.0, 2.0])


def test_the_key_follows_kernels_and_toolkit_not_the_sandbox(tmp_path, monkeypatch):
    package = tmp_path / "modl_tutor"
    for sub, _pattern in R.REFERENCE_CODE:
        (package / sub).mkdir(parents=True, exist_ok=True)
    (package / "grading" / "sandbox").mkdir()
    files = {"kernels/losses.py": "A = 1\n", "grading/toolkit/inputs.py": "B = 1\n",
             "grading/references.py": "C = 1\n", "grading/code_grade.py": "D = 1\n",
             "grading/sandbox/runner.py": "E = 1\n", "grading/client.py": "F = 1\n"}
    for name, text in files.items():
        (package / name).write_text(text)
    monkeypatch.setattr(R, "_PACKAGE", package)

    def digest() -> str:
        monkeypatch.setattr(R, "_CODE_DIGEST", None)
        return R.code_digest()

    base = digest()
    for name in ("grading/sandbox/runner.py", "grading/client.py"):
        (package / name).write_text("changed = True\n")
        assert digest() == base, name  # the sandbox or client changing keeps the store
    seen = {base}
    for name in ("kernels/losses.py", "grading/toolkit/inputs.py", "grading/references.py",
                 "grading/code_grade.py"):
        (package / name).write_text(f"changed = {name!r}\n")
        assert digest() not in seen, name  # a reference could change: a new key
        seen.add(digest())


def test_the_server_has_its_reference_process_compute_each_exercise_and_seed_once(
        store_root, monkeypatch):
    """A miss is computed and stored by the reference process (once per exercise and seed),
    then loaded here: the server itself computes nothing, and its workers find everything."""
    from modl_tutor.grading import code_grade, zygote

    monkeypatch.setattr(zygote, "_ASKED", {})
    monkeypatch.setattr(zygote, "_REFERENCES", None)
    monkeypatch.setattr(code_grade, "HANDOFF", None)
    computed: list[str] = []
    monkeypatch.setattr(R, "_compute", lambda check: computed.append(check.name))
    path, exercise_id = _vae_kl()

    def request(seed: str, source: str | None = "def f(): pass\n") -> dict[str, Any]:
        return {"checks_path": str(path), "exercise_id": exercise_id, "seed": seed,
                "source": source}

    try:
        zygote._prepare(request("a", None))  # a missing file: nothing to grade or compute
        assert code_grade.HANDOFF is None and zygote._REFERENCES is None
        zygote._prepare(request("a"))
        assert code_grade.HANDOFF is not None and code_grade.HANDOFF[1].missing() == []
        stored = len(list(store_root.rglob("*.npz")))
        assert stored > 0 and zygote._REFERENCES.requests == 1

        zygote._prepare(request("a"))  # the same student again: nothing asked
        zygote._prepare(request("b"))  # another seed: asked once
        assert code_grade.HANDOFF[1].missing() == []
        assert zygote._REFERENCES.requests == 2
        assert len(list(store_root.rglob("*.npz"))) == 2 * stored
        assert code_grade._prepared(request("b")).complete().missing() == []  # the worker
        assert computed == [] and len(zygote._ASKED) == 2  # nothing computed here
        proc = zygote._REFERENCES.proc
        assert proc is not None and proc.stdin is not None
        proc.stdin.close()  # the server is gone: its reference process ends too
        assert proc.wait(timeout=60) == 0
    finally:
        zygote._stop_references()


@pytest.mark.parametrize("capabilities, trusted", [
    ({"mode": "namespaces", "filesystem": True, "privileges_dropped": True}, True),
    ({"mode": "limits", "filesystem": False, "privileges_dropped": True}, True),  # as root
    ({"mode": "limits", "filesystem": False, "privileges_dropped": False}, False),
    ({"mode": "spawn", "filesystem": False, "privileges_dropped": False}, False),
    ({}, False)])
def test_the_store_is_used_only_where_graded_code_cannot_write_it(capabilities, trusted):
    from modl_tutor.grading.client import store_trusted

    assert store_trusted(capabilities) is trusted


def test_an_untrusted_store_is_neither_read_nor_written(store_root, monkeypatch):
    """A limits-only sandbox as this user: a submission could have planted a wrong reference
    (for a later exercise), so the judge computes every reference and stores none."""
    from modl_tutor.grading import code_grade, zygote

    monkeypatch.setattr(zygote, "_ASKED", {})
    monkeypatch.setattr(zygote, "_REFERENCES", None)
    monkeypatch.setattr(code_grade, "HANDOFF", None)
    path, exercise_id = _vae_kl()
    trusted = prepare(path, exercise_id, "")
    store = R.ReferenceStore.for_exercise(path, exercise_id, "")
    assert store is not None
    index = min(trusted.values)
    assert store.save(index, trusted.checks[index].name, np.float64(123.0))  # planted
    request = {"checks_path": str(path), "exercise_id": exercise_id, "seed": "",
               "source": "x = 1\n", "reference_store": False}
    zygote._prepare(request)
    assert code_grade.HANDOFF is not None
    handed = code_grade.HANDOFF[1]
    assert handed.store is None and index not in handed.values  # nothing read
    worker = code_grade._prepared(request).complete()  # computed by the worker, not planted
    assert R.same_value(worker.values[index], trusted.values[index])
    assert float(store.load(index, trusted.checks[index].name)[1]) == 123.0  # untouched
    assert zygote._REFERENCES is None  # computed here: no reference process for it
