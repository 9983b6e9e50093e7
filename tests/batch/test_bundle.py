"""`modl gradescope-bundle`: the zip's layout, setup.sh's syntax, and run_autograder on a fake root."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from modl_tutor.batch.bundle import BundleError, build_bundle
from modl_tutor.cli import main
from tests.batch.helpers import ABS_DOUBLE, write_submission
from tests.reports.test_gradescope import assert_gradescope_shape

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bundle(bank_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "autograder.zip"
    info = build_bundle(out, source=REPO, bank=bank_root)
    assert info.exercises == ["derivatives/scaled", "derivatives/slope", "losses/double"]
    return out


def test_layout_and_permissions(bundle: Path) -> None:
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in archive.infolist()}
        manifest = json.loads(archive.read("bundle.json"))
        setup = archive.read("setup.sh").decode()
    assert modes["setup.sh"] == 0o755 and modes["run_autograder"] == 0o755
    assert "modl/src/pyproject.toml" in names
    assert {"modl/src/modl_tutor/cli.py", "modl/src/modl_tutor/cli/__init__.py"} & set(names)
    assert "bank/exercises/losses/double/checks.py" in names
    assert "bank/solutions/derivatives/slope.md" in names
    assert not [n for n in names if "/solutions/" in n and n.endswith(".py")], \
        "reference solutions must not ship"
    assert not [n for n in names if "__pycache__" in n or n.startswith("modl/src/tests")]
    assert len(names) == len(set(names))
    assert manifest["exercises"][-1] == "losses/double"
    assert "torch==$TORCH_VERSION" in setup and "@TORCH_VERSION@" not in setup
    assert 'TORCH_VERSION="2.' in setup


def test_scripts_are_valid_bash(bundle: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(tmp_path)
    for script in ("setup.sh", "run_autograder"):
        check = subprocess.run(["bash", "-n", str(tmp_path / script)], capture_output=True,
                               text=True)
        assert check.returncode == 0, check.stderr


def _autograder_root(bundle: Path, tmp_path: Path) -> Path:
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    os.chmod(root / "run_autograder", 0o755)
    return root


def _run(root: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "MODL_BANK"}
    environment.update({"MODL_AUTOGRADER_ROOT": str(root), "MODL_PYTHON": sys.executable,
                        "MODL_CACHE_DIR": str(root / "cache"), **env})
    return subprocess.run([str(root / "run_autograder")], capture_output=True, text=True,
                          env=environment, cwd=root, timeout=300)


@pytest.mark.slow
@pytest.mark.parametrize("nested", [False, True])
def test_run_autograder_writes_results(bundle: Path, tmp_path: Path, nested: bool) -> None:
    root = _autograder_root(bundle, tmp_path)
    where = root / "submission" / "my-workspace" if nested else root / "submission"
    write_submission(where, student="mallory", code=ABS_DOUBLE,
                     answers='[derivatives]\nslope = "10"\n')
    # Gradescope names the submitter; the modl.toml's own claim does not decide who it is.
    (root / "submission_metadata.json").write_text(json.dumps(
        {"users": [{"email": "alice@example.edu", "name": "Alice", "sid": "alice"}]}))
    run = _run(root)
    assert run.returncode == 0, run.stderr
    data = json.loads((root / "results" / "results.json").read_text())
    assert_gradescope_shape(data)
    assert data["extra_data"]["student"] == "alice"
    by_name = {t["name"]: t for t in data["tests"]}
    assert by_name["derivatives/slope"]["status"] == "passed"
    assert by_name["losses/double: doubles negatives"]["visibility"] == "after_due_date"
    assert by_name["losses/double: doubles negatives"]["status"] == "failed"
    assert data["score"] == pytest.approx(3.0)  # slope 1 + 2 of 3 points of double
    assert not (root / "cache").exists()  # the autograder never caches


def test_run_autograder_always_leaves_a_results_file(bundle: Path, tmp_path: Path) -> None:
    root = _autograder_root(bundle, tmp_path)
    (root / "submission").mkdir()
    run = _run(root, MODL_PYTHON="false")
    assert run.returncode == 0
    data = json.loads((root / "results" / "results.json").read_text())
    assert data["score"] == 0 and "could not run" in data["output"]


def test_bad_arguments_are_one_line_errors(tmp_path: Path, bank_root: Path, runner_cli) -> None:
    with pytest.raises(BundleError, match="not a modl-tutor source folder"):
        build_bundle(tmp_path / "a.zip", source=tmp_path, bank=bank_root)
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(BundleError, match="expected a wheel"):
        build_bundle(tmp_path / "a.zip", source=tmp_path / "notes.txt", bank=bank_root)
    with pytest.raises(BundleError, match="no exercises/"):
        build_bundle(tmp_path / "a.zip", source=REPO, bank=tmp_path)
    with pytest.raises(BundleError, match="is a folder"):
        build_bundle(tmp_path, source=REPO, bank=bank_root)
    result = runner_cli.invoke(main, ["gradescope-bundle", str(tmp_path / "b.zip"),
                                      "--source", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "not found" in result.output
    assert "Traceback" not in result.output


def test_a_wheel_is_bundled_as_is(tmp_path: Path, bank_root: Path) -> None:
    wheel = tmp_path / "modl_tutor-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"PK fake wheel")
    out = tmp_path / "w.zip"
    info = build_bundle(out, source=wheel, bank=bank_root)
    assert "package" in info.source
    with zipfile.ZipFile(out) as archive:
        assert archive.read(f"modl/{wheel.name}") == b"PK fake wheel"
        assert not [n for n in archive.namelist() if n.startswith("modl/src/")]
    assert stat.S_ISREG(out.stat().st_mode)


@pytest.mark.parametrize(("layout", "found", "metadata"), [
    (("hw3/alice",), "found the workspace 2 folders down (hw3/alice/)", False),
    (("alice", "bob"), "found 2 workspaces side by side (alice/, bob/)", True),
])  # each layout once, each way of naming the student once (one autograder run per case)
def test_run_autograder_explains_a_wrong_upload_layout(bundle: Path, tmp_path: Path,
                                                       layout: tuple[str, ...], found: str,
                                                       metadata: bool) -> None:
    root = _autograder_root(bundle, tmp_path)
    for folder in layout:
        write_submission(root / "submission" / folder, student="alice",
                         answers='[derivatives]\nslope = "10"\n')
    if metadata:
        (root / "submission_metadata.json").write_text(json.dumps(
            {"users": [{"email": "a@x.org", "id": 1, "name": "Alice", "sid": "S-42"}]}))
    run = _run(root)
    assert run.returncode == 0, run.stderr
    data = json.loads((root / "results" / "results.json").read_text())
    assert_gradescope_shape(data)
    assert data["score"] == 0 and found in data["output"]
    assert "expected the workspace's files" in data["output"]
    assert sum(t["max_score"] for t in data["tests"]) == 6  # the whole bank, all failed
    assert data["extra_data"]["student"] == ("S-42" if metadata else "submission")


@pytest.mark.slow
def test_run_autograder_names_the_student_from_gradescope_metadata(bundle: Path,
                                                                   tmp_path: Path) -> None:
    root = _autograder_root(bundle, tmp_path)
    (root / "submission").mkdir()
    (root / "submission" / "answers.toml").write_text('[derivatives]\nslope = "10"\n')
    (root / "submission_metadata.json").write_text(json.dumps(
        {"users": [{"email": "d@x.org", "id": 9, "name": "Dora", "sid": "S-7"}]}))
    run = _run(root)
    assert run.returncode == 0, run.stderr
    data = json.loads((root / "results" / "results.json").read_text())
    assert_gradescope_shape(data)
    assert data["extra_data"]["student"] == "S-7"  # no modl.toml: the metadata's SID
    assert data["score"] == 1
