"""`modl doctor`: what it finds, and the fix it names for anything missing."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from modl_tutor.cli import doctor as doctor_module
from modl_tutor.cli import main


def test_doctor_reports_the_machine_and_is_ready(runner: CliRunner) -> None:
    result = runner.invoke(main, ["doctor"])
    assert result.exit_code == 0, result.output
    for label in ("python", "numpy", "torch", "sandbox", "workspace", "bank", "cache"):
        assert any(line.startswith(label) for line in result.output.splitlines()), label
    assert "limits: cpu-time" in result.output
    assert result.output.rstrip().endswith("✓ ready")


def test_missing_torch_names_the_cpu_pin(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    real = doctor_module._version
    monkeypatch.setattr(doctor_module, "_version",
                        lambda name: None if name == "torch" else real(name))
    result = runner.invoke(main, ["doctor"])
    assert result.exit_code == 1
    assert "torch    MISSING" in result.output
    assert "fix: pip install torch==2.13.0" in result.output


def test_a_sandbox_that_cannot_start_is_reported_not_raised(runner: CliRunner,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from modl_tutor.grading import client

    def broken() -> dict:  # type: ignore[type-arg]
        raise OSError("no namespaces today")

    monkeypatch.setattr(client, "probe_capabilities", broken)
    result = runner.invoke(main, ["doctor"])
    assert result.exit_code == 1
    assert "the sandbox could not start (OSError: no namespaces today)" in result.output
    assert "Traceback" not in result.output
