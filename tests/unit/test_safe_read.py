"""Reading a submission's files: never through a link, only regular files, never over a cap."""

from __future__ import annotations

import os

import pytest

from modl_tutor.workspace.safe_read import SubmissionFileError, read_submission_file


@pytest.fixture()
def ws(tmp_path):  # type: ignore[no-untyped-def]
    root = tmp_path / "ws"
    (root / "losses").mkdir(parents=True)
    (root / "losses" / "softmax.py").write_text("x = 1\n")
    return root


def test_a_regular_file_is_read(ws):
    assert read_submission_file(ws, "losses/softmax.py", 100) == b"x = 1\n"


@pytest.mark.parametrize("make,message", [
    (lambda ws, t: ((t / "other.py").write_text("secret"),
                    os.symlink(t / "other.py", ws / "losses" / "cross_entropy.py")),
     "symbolic link"),
    (lambda ws, t: os.mkfifo(ws / "losses" / "cross_entropy.py"), "not a regular file"),
    (lambda ws, t: (ws / "losses" / "cross_entropy.py").mkdir(), "is a folder"),
    (lambda ws, t: (ws / "losses" / "cross_entropy.py").write_text("y" * 101), "too large"),
    (lambda ws, t: None, "missing"),
])
def test_refusals_name_the_file_and_the_reason(ws, tmp_path, make, message):
    make(ws, tmp_path)
    with pytest.raises(SubmissionFileError) as caught:
        read_submission_file(ws, "losses/cross_entropy.py", 100)
    assert message in str(caught.value) and "losses/cross_entropy.py" in str(caught.value)


def test_a_linked_folder_is_refused(ws, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "softmax.py").write_text("secret")
    os.symlink(elsewhere, ws / "precision")
    with pytest.raises(SubmissionFileError, match="folder 'precision' is a symbolic link"):
        read_submission_file(ws, "precision/softmax.py", 100)


@pytest.mark.parametrize("bad", ["../x.py", "", "losses/../../x"])
def test_paths_never_leave_the_submission(ws, bad):
    with pytest.raises(SubmissionFileError):
        read_submission_file(ws, bad, 100)


def test_the_path_based_fallback_refuses_the_same(ws, tmp_path, monkeypatch):
    """Where the OS has no dir_fd (Windows), each component is checked by path."""
    monkeypatch.setattr(os, "supports_dir_fd", set())
    assert read_submission_file(ws, "losses/softmax.py", 100) == b"x = 1\n"
    (tmp_path / "other.py").write_text("secret")
    os.symlink(tmp_path / "other.py", ws / "losses" / "linked.py")
    with pytest.raises(SubmissionFileError, match="symbolic link"):
        read_submission_file(ws, "losses/linked.py", 100)
    os.mkfifo(ws / "losses" / "pipe.py")
    with pytest.raises(SubmissionFileError, match="not a regular file"):
        read_submission_file(ws, "losses/pipe.py", 100)
    with pytest.raises(SubmissionFileError, match="too large"):
        read_submission_file(ws, "losses/softmax.py", 3)


def test_recording_an_answer_never_reads_through_a_linked_answers_file(tmp_path):
    from modl_tutor.bank.loader import load_bank
    from modl_tutor.errors import WorkspaceError
    from modl_tutor.workspace.workspace import Workspace, init_workspace

    bank = load_bank(strict=False)
    root = tmp_path / "ws"
    init_workspace(root, bank, student="tester")
    secret = tmp_path / "secret.toml"
    secret.write_text('[x]\ny = "TOP SECRET"\n')
    (root / "answers.toml").unlink()
    os.symlink(secret, root / "answers.toml")
    with pytest.raises(WorkspaceError, match="symbolic link"):
        Workspace(root).record_answer(bank.get("derivatives/tanh_prime"), "1 - tanh(x)^2")
    assert secret.read_text() == '[x]\ny = "TOP SECRET"\n'
