"""`modl -w DIR <command>` and `<command> --workspace DIR` use DIR for every subcommand; the
fallback to the default workspace is said on stderr with its full path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modl_tutor.cli import main
from modl_tutor.progress.store import ProgressStore

from ..service.conftest import math_bank_root, math_env  # noqa: F401 - shared fixtures

SIGMOID = "derivatives/sigmoid_prime"
RIGHT = "sigmoid(x)*(1-sigmoid(x))"


def hints(root: Path) -> int:
    return ProgressStore.for_workspace(root).get(SIGMOID).hints_shown


def answers(root: Path) -> str:
    return (root / "answers.toml").read_text(encoding="utf-8")


@pytest.fixture()
def two(math_env, tmp_path):  # type: ignore[no-untyped-def]  # noqa: F811
    """Two workspaces: DIR (chosen with -w) and the default one (must stay untouched)."""
    from modl_tutor.workspace.workspace import init_workspace

    chosen = tmp_path / "chosen"
    init_workspace(chosen, math_env, student="chosen")
    default = tmp_path / "default-ws"
    init_workspace(default, math_env, student="default")
    return chosen, default


def _spy(monkeypatch, target: str, seen: list):  # type: ignore[no-untyped-def]
    def fake(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append((args, kwargs))
        return True

    monkeypatch.setattr(target, fake)


# (subcommand args, check(chosen, default, result, seen)) for every subcommand of `modl`
CASES = {
    "app": ([], lambda c, d, r, seen: Path(seen[0][0][0]).resolve() == c.resolve()),
    "init": (["init"], lambda c, d, r, seen: "already a workspace" in r.output
             and str(c) in r.output),
    "list": (["list", "--json"], lambda c, d, r, seen: {
        row["id"]: row["status"] for row in json.loads(r.stdout)}[SIGMOID] == "done"),
    "show": (["show", SIGMOID], lambda c, d, r, seen: "sigmoid" in r.stdout.lower()),
    "answer": (["answer", SIGMOID, "sigmoid(x)"],
               lambda c, d, r, seen: 'sigmoid_prime = "sigmoid(x)"' in answers(c)
               and 'sigmoid_prime = "sigmoid(x)"' not in answers(d)),
    "check": (["check", SIGMOID, "--json"], lambda c, d, r, seen: r.exit_code == 0),
    "hint": (["hint", SIGMOID], lambda c, d, r, seen: hints(c) == 1 and hints(d) == 0),
    "watch": (["watch"], lambda c, d, r, seen: seen[0][1]["tutor"].workspace.root == c),
    "serve": (["serve"], lambda c, d, r, seen: str(c.resolve()) in seen[0][0][0]),
    "grade": (["grade", "--format", "json", "--no-cache"],
              lambda c, d, r, seen: json.loads(r.stdout)["submissions"][0]["submission"]
              == str(c)),
    "verify": (["verify", "--topic", "derivatives"], lambda c, d, r, seen: r.exit_code == 0),
    "equiv": (["equiv", "x", "x"], lambda c, d, r, seen: r.exit_code == 0),
    "build-starters": (["build-starters", "--check"], lambda c, d, r, seen: r.exit_code == 0),
    "gradescope-bundle": (["gradescope-bundle", "out.zip"],
                          lambda c, d, r, seen: r.exit_code == 0),
}


def test_every_subcommand_accepts_the_group_option(runner, two):
    """Commands added later are at least accepted after `-w DIR` (give them a CASE too)."""
    assert set(CASES) - {"app"} <= set(main.commands)
    for name in sorted(main.commands):
        result = runner.invoke(main, ["-w", str(two[0]), name, "--help"])
        assert result.exit_code == 0, (name, result.output)


@pytest.mark.parametrize("where", ["group", "command"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_workspace_option_on_every_subcommand(name, where, two, runner, monkeypatch):
    chosen, default = two
    from modl_tutor.tutor import Tutor

    Tutor.open(chosen).submit(Tutor.open(chosen).exercise(SIGMOID), {"answer": RIGHT})
    seen: list = []
    _spy(monkeypatch, "modl_tutor.tui.app.run_app", seen)
    _spy(monkeypatch, "modl_tutor.watch.run_watch", seen)
    _spy(monkeypatch, "modl_tutor.batch.verify.run_verify", seen)
    monkeypatch.setattr("textual_serve.server.Server",
                        lambda command, **kw: seen.append(((command,), kw)) or
                        type("S", (), {"serve": lambda self: None})())
    monkeypatch.setattr("modl_tutor.batch.bundle.build_bundle",
                        lambda *a, **k: type("I", (), {"path": "out.zip", "files": 1,
                                                       "source": "x", "exercises": ()})())
    args, ok = CASES[name]
    if where == "group":
        argv = ["-w", str(chosen), *args]
    elif not args or name not in {"init", "list", "show", "answer", "check", "hint", "watch",
                                  "serve"}:
        pytest.skip(f"`{name}` has no --workspace of its own (the group's -w applies)")
    else:
        argv = [*args, "--workspace", str(chosen)]
    result = runner.invoke(main, argv)
    assert result.exit_code in (0, 1, 2), result.output
    assert "default workspace" not in result.output
    assert ok(chosen, default, result, seen), result.output


def test_falling_back_to_the_default_workspace_says_which(two, runner, tmp_path):
    chosen, default = two
    result = runner.invoke(main, ["hint", SIGMOID])  # the cwd is not a workspace
    assert result.exit_code == 0
    assert f"using your default workspace {default.absolute()}" in result.stderr
    assert hints(default) == 1 and hints(chosen) == 0


def test_creating_the_default_workspace_says_where(math_env, runner, tmp_path):  # noqa: F811
    result = runner.invoke(main, ["list"])
    assert result.exit_code == 0
    assert f"created your default workspace in {(tmp_path / 'default-ws').absolute()}" \
        in result.stderr


def test_a_missing_workspace_names_its_full_path(math_env, runner, tmp_path):  # noqa: F811
    result = runner.invoke(main, ["-w", "nope", "list"])
    assert result.exit_code == 2
    assert f"{(tmp_path / 'nope').absolute()}: workspace folder not found" in result.output
