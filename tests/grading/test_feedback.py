"""Feedback that teaches: grade_code on losses/softmax with typical student mistakes."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from modl_tutor.bank.loader import load_bank
from modl_tutor.grading.client import code_request
from modl_tutor.grading.code_grade import grade_code
from modl_tutor.result import ExerciseResult

pytestmark = pytest.mark.usefixtures("judge_in_process")

STARTER_LINE = '    raise NotImplementedError("softmax is not written yet")\n'


@pytest.fixture(scope="module")
def exercise():  # type: ignore[no-untyped-def]
    bank = load_bank(strict=False)
    if "losses/softmax" not in {e.id for e in bank}:
        pytest.skip("losses/softmax is not in the bank")
    return bank.get("losses/softmax")


def grade(exercise, tmp_path: Path, source: str | None) -> ExerciseResult:  # type: ignore[no-untyped-def]
    path = tmp_path / "ws" / "losses" / "softmax.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    if source is not None:
        path.write_text(source, encoding="utf-8")
    return ExerciseResult.from_dict({**grade_code(code_request(exercise, str(path))),
                                     "id": exercise.id})


def by_name(result: ExerciseResult) -> dict[str, str]:
    return {c.name: c.message for c in result.checks}


def body(*lines: str) -> str:
    return "import numpy as np\n\n\ndef softmax(z, axis=-1):\n" + "".join(
        f"    {line}\n" for line in lines)


def test_untouched_starter_is_reported_once(exercise, tmp_path):
    result = grade(exercise, tmp_path, exercise.starter_path.read_text(encoding="utf-8"))
    assert result.score == 0 and result.status == "failed"
    assert result.message.startswith("not written yet: replace the `raise NotImplementedError` "
                                     "in losses/softmax.py (line ")
    assert all(c.message == "not written yet" for c in result.checks)


def test_missing_function_is_reported_once(exercise, tmp_path):
    result = grade(exercise, tmp_path, "def soft_max(z, axis=-1):\n    return z\n")
    assert "does not define a function `softmax`" in result.message
    assert all(c.message == "function missing" for c in result.checks)


def test_no_max_subtraction_fails_only_the_large_logits(exercise, tmp_path):
    result = grade(exercise, tmp_path, body("e = np.exp(z)",
                                            "return e / e.sum(axis=axis, keepdims=True)"))
    failing = {n: m for n, m in by_name(result).items() if m}
    assert 0 < result.score < result.max_score
    message = failing["large logits (|z| up to 1e4)"]
    assert "got nan" in message and "subtract the max" in message
    assert "hint: exp(1e4) overflows to inf" in message


def test_float64_output_for_float32_input(exercise, tmp_path):
    result = grade(exercise, tmp_path, body(
        "z = np.asarray(z, dtype=np.float64)",
        "e = np.exp(z - z.max(axis=axis, keepdims=True))",
        "return e / e.sum(axis=axis, keepdims=True)"))
    message = by_name(result)["float32 keeps its dtype"]
    assert "expected dtype float32, got float64" in message


def test_ignoring_axis_is_diagnosed(exercise, tmp_path):
    result = grade(exercise, tmp_path, body(
        "e = np.exp(z - z.max(axis=-1, keepdims=True))",
        "return e / e.sum(axis=-1, keepdims=True)"))
    message = by_name(result)["batch (4, 3), axis=0"]
    assert "normalised over the wrong axis" in message
    assert "input: array(4, 3) float64, axis=0" in message


def test_in_place_modification_is_named(exercise, tmp_path):
    result = grade(exercise, tmp_path, body(
        "z -= z.max(axis=axis, keepdims=True)",
        "np.exp(z, out=z)",
        "z /= z.sum(axis=axis, keepdims=True)",
        "return z"))
    message = by_name(result)["vector of 4 logits"]
    assert "modified its input in place: `z` (at index (0,): 5 became 0.842034)" in message


def test_small_inputs_are_shown_with_expected_and_got(exercise, tmp_path):
    result = grade(exercise, tmp_path, body("return np.exp(z) / 2"))
    message = by_name(result)["vector of 4 logits"]
    assert "expected [0.842034" in message and "got [" in message
    assert "input: [ 5.,  2., -1.,  3.]" in message


def test_a_list_is_not_an_array(exercise, tmp_path):
    result = grade(exercise, tmp_path, body(
        "e = np.exp(z - z.max(axis=axis, keepdims=True))",
        "return (e / e.sum(axis=axis, keepdims=True)).tolist()"))
    message = by_name(result)["vector of 4 logits"]
    assert "got a list — return a NumPy array" in message


def test_reference_solution_earns_full_marks(exercise, tmp_path):
    solution = Path(load_bank(strict=False).solutions_root) / "losses" / "softmax.py"
    result = grade(exercise, tmp_path, solution.read_text(encoding="utf-8"))
    assert result.full_marks and result.status == "passed"


def test_static_refusal_names_the_line(exercise, tmp_path):
    result = grade(exercise, tmp_path, "from scipy.special import softmax\n")
    assert result.status == "failed" and result.score == 0
    assert result.message.startswith("line 1: `from scipy.special import …` is not allowed")


def test_syntax_error_and_missing_file(exercise, tmp_path):
    broken = grade(exercise, tmp_path, "def softmax(z:\n")
    assert broken.status == "error" and "SyntaxError at line 1" in broken.message
    missing = grade(exercise, tmp_path / "empty", None)
    assert missing.status == "missing" and "losses/softmax.py is missing" in missing.message


def test_exception_in_one_check_keeps_the_others(exercise, tmp_path):
    result = grade(exercise, tmp_path, body(
        "if z.ndim == 3:",
        "    raise ValueError('3-D not supported')",
        "e = np.exp(z - z.max(axis=axis, keepdims=True))",
        "return e / e.sum(axis=axis, keepdims=True)"))
    failed = [c for c in result.checks if not c.passed]
    assert len(failed) == 1 and "ValueError: 3-D not supported (line 6:" in failed[0].message
    assert result.message == ""


def test_no_common_factor_is_claimed_when_it_does_not_explain_every_entry():
    import numpy as np

    from modl_tutor.grading.toolkit.compare import compare_outputs

    expected = np.array([0.0, 1.0, 2.0, 0.0])
    message = compare_outputs(np.array([0.0, 1.0, 2.0, 1.0]), expected).message
    assert "factor" not in message and "constant" not in message
    close = compare_outputs(np.array([1.0, 2.0, 3.0]) * (1 + 1e-6), np.array([1.0, 2.0, 3.0]))
    assert "factor 1 " not in close.message and "precision problem" in close.message


# -- in-process: what `judge` tells the student, whatever runs the student's code -------------
@functools.cache
def _exercise_and_checks(exercise_id: str):  # type: ignore[no-untyped-def]
    """The exercise and its checks, built once, references computed once (tests/inprocess.py)."""
    from modl_tutor.grading.code_grade import build_checks
    from tests.inprocess import memoised

    exercise = load_bank(strict=False).get(exercise_id)
    return exercise, memoised(build_checks(Path(exercise.checks_path), exercise_id))


def judged(exercise_id: str, source: str) -> dict[str, str]:
    """Failed check name -> message, from `judge` on records made by running `source` here."""
    import numpy as np

    from modl_tutor.grading import wire
    from modl_tutor.grading.feedback import judge
    from modl_tutor.grading.protocol import SandboxRun
    from tests.inprocess import copied, module_from_source

    exercise, checks = _exercise_and_checks(exercise_id)
    module = module_from_source("submission", source)
    records = {}
    for index, check in enumerate(checks):
        try:
            with np.errstate(all="ignore"):
                got = getattr(module, exercise.code.function)(*copied(check.args),
                                                              **copied(check.kwargs))
            records[index] = {"ok": True, "value": wire.encode(got)}
        except Exception as err:  # noqa: BLE001 - reported as the child would
            records[index] = {"ok": False, "kind": "exception", "error": f"{err!r}"}
    run = SandboxRun(records=records, finished=True, imported=True)
    results = [judge(i, check, run, 10.0) for i, check in enumerate(checks)]
    return {r.name: r.message for r in results if not r.passed}


LINEAR = "import numpy as np\n\n\ndef linear_backward(X, W, b, dY):\n    return {}\n"


def test_linear_backward_first_failure_does_not_print_the_solution():
    failed = judged("backprop/linear_backward",
                    LINEAR.format('{"dX": dY @ W.T, "dW": dY.T @ X, "db": dY.sum(axis=0)}'))
    first = failed["batch N=4, D=3, H=5"]
    assert first.startswith("output['dW']: expected shape (3, 5), got (5, 3)")
    assert "(right: dX, db; wrong: dW)" in first
    for formula in ("dY·Wᵀ", "Xᵀ·dY", "dW =", "dX =", "db =", "summed over"):
        assert formula not in first, formula


def test_linear_backward_single_example_hint_is_about_what_was_found():
    failed = judged("backprop/linear_backward", LINEAR.format(
        '{"dX": np.squeeze(dY @ W.T), "dW": X.T @ dY, "db": dY.sum(axis=0)}'))
    assert set(failed) == {"a single example (N = 1)"}
    message = failed["a single example (N = 1)"]
    assert message.startswith("output['dX']: expected shape (1, 3), got (3,)")
    hint = message.partition("\nhint: ")[2]
    assert "db" not in hint and "axis 0" not in hint
    assert "an axis of length 1 is missing" in message  # the shape report names the slip


def test_linear_backward_square_transpose_is_named():
    failed = judged("backprop/linear_backward", LINEAR.format(
        '{"dX": dY @ W if W.shape[0] == W.shape[1] else dY @ W.T, "dW": X.T @ dY, '
        '"db": dY.sum(axis=0)}'))
    message = failed["square weights (D = H = 4): a transpose is not caught by the shape"]
    assert "likely cause: dX came out as dY·W" in message and "(right: dW, db" in message


def test_relu_backward_without_dout_gets_the_cause_not_the_zero_slope_rule():
    failed = judged("backprop/relu_backward", "import numpy as np\n\n\n"
                    "def relu_backward(x, dout):\n    return (x > 0).astype(x.dtype)\n")
    message = failed["x exactly 0 gets slope 0"]
    assert "likely cause: your output is the local slope alone" in message
    assert "1/11" not in message and "x >= 0" not in message


def test_check_hints_state_causes_not_formulas():
    """No check hint of a code exercise spells out a formula the exercise asks for."""
    import re

    from modl_tutor.grading.code_grade import build_checks

    formula = re.compile(r"\b(d[A-Za-z0-9]+|dx̂|m̂|v̂|lo|k|q|s|v|p|α|β|x)\s*=\s*[^=\s0-9−-]")
    topics = ("derivatives", "backprop", "losses", "precision", "optimization")
    offenders = []
    for exercise in load_bank(strict=False):
        if not exercise.is_code or exercise.topic not in topics or exercise.id in (
                "derivatives/numerical_gradient",
                "derivatives/autodiff_value"):
            continue
        for check in build_checks(Path(exercise.checks_path), exercise.id):
            if check.hint and formula.search(check.hint):
                offenders.append(f"{exercise.id} [{check.name}]: {check.hint}")
    assert not offenders, "\n".join(offenders)


def test_the_symptom_and_its_input_come_before_the_cause_and_the_hint():
    failed = judged("losses/softmax", body("e = np.exp(z - z.max())", "return e / e.sum()"))
    message = failed["equal logits give a uniform distribution"]
    lines = message.splitlines()
    order = [next(i for i, line in enumerate(lines) if line.startswith(prefix))
             for prefix in ("output:", "input:", "likely cause:")]
    assert order == sorted(order)
    assert "sum to 1 over the whole array" in message and "1/2" not in message


@pytest.mark.parametrize("kind", ["absent", "folder", "symlink", "not utf-8", "too large"])
def test_an_unread_file_is_answered_by_the_client_as_the_judge_would(exercise, tmp_path, kind):
    """No job is sent (and no server started) for a file `code_request` could not read; the
    result is the judge's own, field for field."""
    from modl_tutor.grading.client import CodeGrader
    from modl_tutor.workspace.safe_read import CODE_LIMIT

    path = tmp_path / "ws" / "losses" / "softmax.py"
    path.parent.mkdir(parents=True)
    if kind == "folder":
        path.mkdir()
    elif kind == "symlink":
        (tmp_path / "elsewhere.py").write_text("def softmax(z, axis=-1):\n    return z\n")
        path.symlink_to(tmp_path / "elsewhere.py")
    elif kind == "not utf-8":
        path.write_bytes(b"def softmax(z):\n    return '\xff'\n")
    elif kind == "too large":
        path.write_text("#" * (CODE_LIMIT + 1))
    request = code_request(exercise, str(path))
    assert request["source"] is None
    grader = CodeGrader(jobs=1)
    try:
        answered = grader.submit(request).get(timeout=0)
        assert grader._proc is None  # nothing was started for it
    finally:
        grader.close()
    judged = grade_code(request)
    assert {**answered, "duration": 0} == {**judged, "duration": 0}
    assert answered["status"] == ("missing" if kind == "absent" else "error")
    assert answered["score"] == 0 and answered["message"]
