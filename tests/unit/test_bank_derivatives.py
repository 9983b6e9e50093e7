"""The derivatives topic: its torch reference kernels and what its checks tell apart."""

from __future__ import annotations

import math
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from modl_tutor.bank.loader import load_exercise
from modl_tutor.grading.code_grade import build_checks
from modl_tutor.grading.toolkit import Check, compare_outputs
from modl_tutor.kernels import bank_derivatives as K

REPO = Path(__file__).resolve().parents[2]
EXERCISES = REPO / "exercises" / "derivatives"
SOLUTIONS = REPO / "solutions" / "derivatives"


def _module(path: Path, source: str | None = None) -> ModuleType:
    """Import a solution file (or `source`) as a module, in-process."""
    module = ModuleType(path.stem)
    text = source if source is not None else path.read_text("utf-8")
    exec(compile(text, str(path), "exec"), module.__dict__)  # noqa: S102 - bank code, trusted
    return module


def _passes(check: Check, module: ModuleType, function: str) -> bool:
    """Run one check on `module` in-process (no sandbox) and judge it as the grader does."""
    if check.run is not None:
        got = check.run(module)
    else:
        got = getattr(module, check.function or function)(*check.args, **check.kwargs)
    verdict = (check.compare or compare_outputs)(got, check.expected_value(), check)
    if verdict.passed and check.validate is not None:
        return check.validate(got, check) is None
    return verdict.passed


def _checks(slug: str, seed: str = "") -> list[Check]:
    return build_checks(EXERCISES / slug / "checks.py", f"derivatives/{slug}", seed)


# -- kernels -----------------------------------------------------------------------------------
def test_softmax_jacobian_is_diag_p_minus_outer() -> None:
    z = np.array([5.0, 2.0, -1.0, 3.0])
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    np.testing.assert_allclose(K.softmax_jacobian(z), np.diag(p) - np.outer(p, p), atol=1e-15)
    batch = K.softmax_jacobian(np.stack([z, -z]).astype(np.float32))
    assert batch.shape == (2, 4, 4) and batch.dtype == np.float32


def test_relative_error_edge_cases() -> None:
    assert K.relative_error(np.array([0.0, 2.0]), np.array([0.0, 1.0])) == 0.5
    assert K.relative_error(np.array([1e-30]), np.array([2e-30])) == 0.5
    assert K.relative_error(np.zeros(0), np.zeros(0)) == 0.0
    assert math.isnan(K.relative_error(np.array([1.0, np.nan]), np.array([1.0, 1.0])))


def test_activation_grads_follow_torch_conventions() -> None:
    x = np.array([-1000.0, -1.0, 0.0, 2.0, 1000.0])
    np.testing.assert_array_equal(K.relu_grad(x), [0.0, 0.0, 0.0, 1.0, 1.0])
    s = 1 / (1 + np.exp(-x[1:4]))
    np.testing.assert_allclose(K.sigmoid_grad(x)[1:4], s * (1 - s))
    assert K.sigmoid_grad(x)[0] == 0.0 and K.tanh_grad(x.astype(np.float32)).dtype == np.float32
    assert K.gelu_tanh_grad(np.array([0.0]))[0] == pytest.approx(0.5)


def test_graph_reference_accumulates_and_rejects_unknown_ops() -> None:
    result = K.run_graph_torch({"a": 3.0, "z": 1.0}, [("mul", "sq", "a", "a"),
                                                      ("add", "out", "sq", "a")], "out")
    assert result == {"data": 12.0, "grads": {"a": 7.0, "z": 0.0}}
    with pytest.raises(ValueError, match="unknown graph op"):
        K.run_graph_torch({"a": 1.0}, [("pow", "b", "a")], "b")


# -- what the checks tell apart ---------------------------------------------------------------
def test_every_reference_solution_passes_every_check_in_process() -> None:
    for checks_file in sorted(EXERCISES.glob("*/checks.py")):
        slug = checks_file.parent.name
        module = _module(SOLUTIONS / f"{slug}.py")
        code = load_exercise(checks_file.parent).code
        assert code is not None
        function = code.function
        for seed in ("", "student-7"):
            for check in _checks(slug, seed):
                assert _passes(check, module, function), f"{slug}: {check.name} (seed {seed!r})"


FORWARD = '''
import numpy as np
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    f0 = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        grad[i] = (f(x) - f0) / h
        x[i] = old
    return grad
'''

NOT_RESTORED = '''
import numpy as np
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += h
        fp = f(x)
        x[i] -= 2 * h
        fm = f(x)
        x[i] += h
        grad[i] = (fp - fm) / (2 * h)
    return grad
'''


@pytest.mark.parametrize("seed", ["", "alice", "bob"])
def test_forward_difference_fails_only_the_accuracy_and_step_checks(seed: str) -> None:
    module = _module(Path("forward.py"), FORWARD)
    failed = {c.name for c in _checks("numerical_gradient", seed)
              if not _passes(c, module, "numerical_gradient")}
    assert failed == {"accuracy: f(x) = sum(exp(2x)) to a relative 1e-7",
                      "uses the given step h = 0.1"}


def test_perturbing_x_in_place_is_reported_with_the_changed_entry() -> None:
    module = _module(Path("inplace.py"), NOT_RESTORED)
    check = next(c for c in _checks("numerical_gradient") if c.name.startswith("x is left"))
    assert check.run is not None and check.compare is not None
    verdict = check.compare(check.run(module), check.expected_value(), check)
    assert not verdict.passed and "x was modified: x[0] was 0.1" in verdict.message


def test_bugs_in_the_value_class_are_caught() -> None:
    source = (SOLUTIONS / "autodiff_value.py").read_text("utf-8")
    overwrite = _module(Path("assign.py"), source.replace(".grad +=", ".grad ="))
    names = {c.name for c in _checks("autodiff_value") if not _passes(c, overwrite, "Value")}
    assert "a Value used three times: a·a + a" in names
    assert "the same operand on both sides: a + a" in names


def test_sign_flipped_softmax_jacobian_fails_the_large_logit_check() -> None:
    source = (SOLUTIONS / "softmax_jacobian.py").read_text("utf-8")
    flipped = _module(Path("flip.py"), source.replace("return column * np.eye(n, dtype=z.dtype) "
                                                      "- column * row",
                                                      "return column * row - column * "
                                                      "np.eye(n, dtype=z.dtype)"))
    check = next(c for c in _checks("softmax_jacobian") if c.name.startswith("large logits"))
    assert not _passes(check, flipped, "softmax_jacobian")


def test_naive_sigmoid_grad_and_boolean_relu_grad_fail() -> None:
    naive: dict[str, Any] = {}
    exec("import numpy as np\n"  # noqa: S102
         "def sigmoid_grad(x):\n    e = np.exp(-x)\n    return e / (1 + e) ** 2\n"
         "def relu_grad(x):\n    return x > 0\n", naive)
    module = ModuleType("naive")
    module.__dict__.update(naive)
    by_name = {c.name: c for c in _checks("activation_grads")}
    with np.errstate(all="ignore"):
        assert not _passes(by_name["sigmoid_grad: large |x| up to 1000 (float64)"], module, "")
    assert not _passes(by_name["relu_grad: vector"], module, "")
    exact = _module(SOLUTIONS / "activation_grads.py")
    assert _passes(by_name["relu_grad: vector"], exact, "")
