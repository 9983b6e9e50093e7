"""Line-by-line checking of a derivation: the first broken step, a witness and the likely slip."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from modl_tutor.answers import numbers as num
from modl_tutor.answers.equivalence import Verdict, compare, sample
from modl_tutor.answers.evaluate import GUARD_SECONDS, WORK_LIMIT, Budget, BudgetSpent, OutOfTime
from modl_tutor.answers.parser import ParseError, parse_math
from modl_tutor.answers.derivation_spec import (  # noqa: F401 - re-exported
    CREDITS,
    MAX_LINES,
    DerivationResult,
    DerivationSpec,
    LineResult,
)
from modl_tutor.answers.pair_memo import PairMemo
from modl_tutor.answers.slips import chain_factors, likely_slip

MAX_LINE = 500
"""Characters per line."""
MAX_PIECES = 6
"""Expressions chained on one line with = or <=."""

WORK = 4 * WORK_LIMIT
"""Work units one whole derivation may spend (every link shares it; once spent, the remaining
links are undecided, never wrong)."""

_RELATION = re.compile(r"(<=|>=|≤|≥|=)")
_LEQ, _GEQ, _EQ = "<=", ">=", "="


@dataclass
class _Step:
    line: int
    relation: str
    expr: Any


@dataclass
class _State:
    spec: DerivationSpec
    budget: Budget
    names: tuple[str, ...]
    subs: dict[Any, Any]
    names_real: tuple[str, ...] = ()
    pairs: PairMemo = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self.pairs = PairMemo(self.budget, self.names_real, self.spec.domains)


def split_lines(text: str | list[str] | tuple[str, ...]) -> list[str]:
    """The student's lines (a list from answers.toml, or text with one step per line)."""
    if isinstance(text, (list, tuple)):
        return [str(t) for t in text]
    return str(text).replace("\r\n", "\n").split("\n")


def _too_big(lines: list[str]) -> str | None:
    if len(lines) > MAX_LINES:
        return f"too many lines ({len(lines)}; a derivation has at most {MAX_LINES})"
    for i, line in enumerate(lines, 1):
        if len(line) > MAX_LINE:
            return f"line {i} is too long ({len(line)} characters; at most {MAX_LINE})"
    return None


def _definitions(spec: DerivationSpec) -> tuple[dict[Any, Any], tuple[str, ...]]:
    """Symbol -> fully substituted definition of every declared intermediate."""
    from modl_tutor.answers.build import symbol

    subs: dict[Any, Any] = {}
    known = list(spec.variables)
    for name, definition in spec.intermediates:
        expr = parse_math(definition, variables=known, allowed=known)
        subs[symbol(name)] = expr.xreplace(subs) if subs else expr
        known.append(name)
    return subs, tuple(known)


def _parse(st: _State, text: str) -> Any:
    expr = parse_math(text, variables=st.names, allowed=st.names)
    if isinstance(expr, tuple):
        raise ParseError("a derivation line holds one expression, not a vector", 0, text)
    return expr.xreplace(st.subs) if st.subs else expr


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _read_line(st: _State, number: int, text: str) -> tuple[list[_Step], bool] | LineResult:
    """The steps of one line and whether it starts with a label; a LineResult when the line
    is blank, a definition of an intermediate, or does not parse."""
    if not text.strip() or text.lstrip().startswith("#"):
        return LineResult(number, text, "blank")
    tokens = _RELATION.split(text)
    pieces, relations = tokens[0::2], [_EQ] + tokens[1::2]
    if len(pieces) > MAX_PIECES:
        return LineResult(number, text, "invalid", f"line {number}: at most {MAX_PIECES} "
                          "expressions per line", 0)
    offsets, at = [], 0
    for i, piece in enumerate(pieces):
        offsets.append(at)
        at += len(piece) + (len(relations[i + 1]) if i + 1 < len(relations) else 0)
    labelled = len(pieces) > 1 and _norm(pieces[0]) in {_norm(lb) for lb in st.spec.labels}
    inter = dict(st.spec.intermediates)
    definition = len(pieces) > 1 and pieces[0].strip() in inter and relations[1] == _EQ
    steps = []
    for i, piece in enumerate(pieces):
        if i == 0 and (labelled or definition):
            continue
        if i == 0 and not piece.strip() and len(pieces) > 1:
            continue        # a line that starts with "= ..." or "<= ..." continues the chain
        rel = relations[i] if i > 0 else _EQ
        if i == 1 and not pieces[0].strip():
            rel = relations[1]
        elif i == 1 and (labelled or definition):
            rel = _EQ
        rel = {"≤": _LEQ, "≥": _GEQ}.get(rel, rel)
        try:
            steps.append(_Step(number, rel, _parse(st, piece)))
        except ParseError as err:
            return LineResult(number, text, "invalid", f"line {number}: {err.message}",
                              offsets[i] + err.column)
    if definition:
        return _check_definition(st, number, text, pieces[0].strip(), steps)
    return steps, labelled


def _check_definition(st: _State, number: int, text: str, name: str,
                      steps: list[_Step]) -> LineResult:
    from modl_tutor.answers.build import symbol

    target = st.subs[symbol(name)]
    for step in steps:
        verdict, witness = compare(step.expr, target, variables=st.names_real,
                                   domains=st.spec.domains, budget=st.budget)
        if verdict is Verdict.TIMEOUT:
            raise OutOfTime
        if verdict is Verdict.NOT_EQUIVALENT:
            where = witness.describe(f"line {number}", f"the exercise's {name}") \
                if witness is not None else "they differ"
            return LineResult(number, text, "broken", f"line {number} defines {name} "
                              f"differently from the exercise: {where}.")
        if verdict is Verdict.UNDECIDED:
            return LineResult(number, text, "undecided", f"line {number}: cannot decide "
                              f"whether this is the exercise's {name}")
    return LineResult(number, text, "definition")


def _link(st: _State, prev: _Step | Any, cur: _Step, prev_name: str) -> tuple[str, str]:
    """("ok" | "broken" | "undecided", message) for the step from `prev` to `cur`."""
    a = prev.expr if isinstance(prev, _Step) else prev
    if cur.relation in (_LEQ, _GEQ):
        return _inequality(st, a, cur, prev_name)
    if _proven_step(st, a, cur.expr):
        return "ok", ""
    verdict, witness = st.pairs.compare(cur.expr, a)
    if verdict is Verdict.TIMEOUT:
        raise OutOfTime
    if verdict is Verdict.EQUIVALENT:
        return "ok", ""
    if verdict is Verdict.NOT_EQUIVALENT and witness is not None \
            and (witness.a is None) != (witness.b is None):
        agree = _agree_where_defined(st, cur.expr, a)
        if agree is None:
            return "ok", ""     # a removable singularity (x^2 - 1)/(x - 1) = x + 1 is a valid step
        witness = agree if agree.point else witness   # else: undefined (almost) everywhere
    if verdict is Verdict.UNDECIDED:
        return "undecided", (f"line {cur.line}: the grader cannot decide whether it equals "
                             f"{prev_name} (it is not marked wrong)")
    name = f"line {cur.line}"
    where = witness.describe(name, prev_name) if witness is not None else ""
    chain = chain_factors(st.spec.intermediates, st.subs)
    slip = likely_slip(cur.expr, a, names=st.names_real, domains=st.spec.domains,
                       budget=st.budget, this=name, other=prev_name, chain=chain)
    text = f"{name} does not follow from {prev_name}"
    text += f": {where}." if where else "."
    if slip.startswith("not equivalent"):
        return "broken", text
    return "broken", f"{text} Likely slip: {slip}"


def _proven_step(st: _State, a: Any, b: Any) -> bool:
    """A step proven exactly (`identity.proven`: equal wherever both are defined, each defined
    almost everywhere) is valid: the numbers could only agree, or show a removable hole."""
    from modl_tutor.answers.domains import domains_of
    from modl_tutor.answers.identity import proven

    if any(d.discrete for d in domains_of(st.spec.domains, st.names_real)):
        return False  # a hole there may be most of the domain
    try:
        st.budget.spend(st.budget.size(a) + st.budget.size(b))
    except BudgetSpent:
        return False  # the comparison says so (undecided)
    return proven(a, b, st.names_real, defined=True)


def _agree_where_defined(st: _State, a: Any, b: Any) -> Any:
    """None when `a` and `b` agree wherever both are defined (at least 3 sampled points),
    else a `Witness` where they differ."""
    from modl_tutor.answers.equivalence import Witness

    points = sample(a, b, st.names_real, 12, st.budget, st.spec.domains)
    for p, va, vb in points:
        if abs(va - vb) > 1e-9 * max(abs(va), abs(vb), 1e-300):
            return Witness(dict(zip(st.names_real, p)), va, vb)
    return None if len(points) >= 3 else Witness({}, None, None)


def _inequality(st: _State, a: Any, cur: _Step, prev_name: str) -> tuple[str, str]:
    points = sample(a, cur.expr, st.names_real, 24, st.budget, st.spec.domains)
    if len(points) < 3:
        return "undecided", f"line {cur.line}: the grader cannot check this inequality"
    sign = "≤" if cur.relation == _LEQ else "≥"
    for p, va, vb in points:
        lo, hi = (va, vb) if cur.relation == _LEQ else (vb, va)
        if lo > hi + 1e-9 * max(abs(lo), abs(hi)) + 1e-300:
            where = ", ".join(f"{k} = {num.fmt(v, 4)}" for k, v in zip(st.names_real, p))
            return "broken", (f"line {cur.line} does not follow from {prev_name}: "
                              f"{prev_name} {sign} line {cur.line} fails at {where} "
                              f"({num.fmt(va, 6)} vs {num.fmt(vb, 6)}).")
    return "ok", ""


def check_derivation(spec: DerivationSpec, text: str | list[str] | tuple[str, ...], *,
                     timeout: float = GUARD_SECONDS, budget: Budget | None = None,
                     ) -> DerivationResult:
    """Check a derivation line by line; never raises for any student text."""
    from modl_tutor.answers.check import TIMEOUT_MESSAGE

    points = spec.points
    lines = split_lines(text)
    problem = _too_big(lines)
    if problem is not None:
        return DerivationResult((), "invalid", 0.0, points, f"Not checked: {problem}.")
    budget = budget if budget is not None else Budget.guarded(timeout, limit=WORK)
    try:
        return _check(spec, lines, budget)
    except OutOfTime:
        return DerivationResult((), "timeout", 0.0, points, TIMEOUT_MESSAGE, work=budget.used)


def _check(spec: DerivationSpec, lines: list[str], budget: Budget) -> DerivationResult:
    subs, names = _definitions(spec)
    st = _State(spec, budget, names, subs, tuple(spec.variables))
    steps: list[_Step] = []
    labelled_last = False
    results: dict[int, LineResult] = {}
    for number, line in enumerate(lines, 1):
        read = _read_line(st, number, line)
        if isinstance(read, LineResult):
            results[number] = read
            if read.status == "invalid":
                return _finish(spec, lines, results, steps, budget, invalid=read)
            continue
        found, labelled = read
        steps.extend(found)
        labelled_last = labelled
    if not steps:
        return DerivationResult(tuple(results.values()), "missing", 0.0, spec.points,
                                "No derivation given (write one step per line).")
    expected = _parse(st, spec.expected)
    anchor: Any = None
    if spec.start:
        anchor, anchor_name = _parse(st, spec.start), "the starting expression"
    elif all(s.relation == _EQ for s in steps):
        anchor, anchor_name = expected, "the quantity asked for"
    verdicts: dict[int, tuple[str, str]] = {}
    if anchor is not None:
        status, message = _link(st, anchor, _Step(steps[0].line, _EQ, steps[0].expr),
                                anchor_name)
        if status != "ok":
            verdicts[steps[0].line] = (status, message)
    for prev, cur in zip(steps, steps[1:]):
        if cur.line in verdicts:
            continue
        prev_name = f"line {prev.line}" if prev.line != cur.line else "the expression before"
        status, message = _link(st, prev, cur, prev_name)
        if status != "ok":
            verdicts[cur.line] = (status, message)
    final, final_message = _final(st, steps[-1], expected)
    for number in sorted({s.line for s in steps}):
        status, message = verdicts.get(number, ("ok", ""))
        results[number] = LineResult(number, lines[number - 1], status, message)
    return _finish(spec, lines, results, steps, budget, final=final,
                   final_message=final_message, labelled_last=labelled_last)


def _final(st: _State, last: _Step, expected: Any) -> tuple[str, str]:
    verdict, witness = st.pairs.compare(last.expr, expected)  # often the first link's pair
    if verdict is Verdict.TIMEOUT:
        raise OutOfTime
    if verdict is Verdict.EQUIVALENT:
        return "ok", ""
    if verdict is Verdict.UNDECIDED:
        return "undecided", "The grader cannot decide whether the last line is the answer."
    known = _known_mistake(st, last.expr)
    if known:
        return "wrong", f"The last line is not the answer: {known}"
    from modl_tutor.answers.mistakes import diagnose_expression

    why = diagnose_expression(last.expr, expected, variables=st.names_real, witness=witness,
                              budget=st.budget, domains=st.spec.domains)
    return "wrong", f"The last line (line {last.line}) is not the answer: {why}"


def _known_mistake(st: _State, expr: Any) -> str | None:
    """The message of the first declared mistake the last line equals (intermediates allowed)."""
    for mistake in st.spec.mistakes:
        try:
            target = _parse(st, mistake.expected)
        except ParseError:
            continue
        verdict = compare(expr, target, variables=st.names_real, domains=st.spec.domains,
                          budget=st.budget)[0]
        if verdict is Verdict.TIMEOUT:
            raise OutOfTime
        if verdict is Verdict.EQUIVALENT:
            return str(mistake.message)
    return None


def _finish(spec: DerivationSpec, lines: list[str], results: dict[int, LineResult],
            steps: list[_Step], budget: Budget, *, invalid: LineResult | None = None,
            final: str = "wrong", final_message: str = "",
            labelled_last: bool = False) -> DerivationResult:
    ordered = tuple(results[n] for n in sorted(results))
    if invalid is not None:
        return DerivationResult(ordered, "invalid", 0.0, spec.points, invalid.message,
                                first_broken=invalid.number, work=budget.used)
    broken, unsure = ([r for r in ordered if r.status == s] for s in ("broken", "undecided"))
    first = broken[0] if broken else None
    one_line = len({s.line for s in steps}) == 1 and len(steps) == 1
    steps_ok = not broken and not unsure and len(steps) >= 2
    if spec.equation and not labelled_last and final == "ok":
        steps_ok = False
        final_message = (f"Write the last line as an equation: {spec.labels[0]} = ..."
                         if spec.labels else "Write the last line as an equation.")
    final_ok, points = final == "ok", spec.points
    if spec.credit == "final":
        score = points if final_ok else 0.0
    elif spec.credit == "steps":
        score = points if final_ok and steps_ok else 0.0
    else:
        share = points * spec.final_weight
        score = (share if final_ok else 0.0) + (points - share if steps_ok else 0.0)
    if one_line and final_ok and spec.allow_final_only and not broken \
            and (labelled_last or not spec.equation):
        score = points
    messages = []
    if first is not None:
        messages.append(first.message)
    elif unsure:
        messages.append(unsure[0].message)
    if final_message and (first is None or final != "wrong"):
        messages.append(final_message)
    if one_line and final_ok and score < points:
        messages.append("The final answer is right; show the steps, one per line, "
                        "for full marks.")
    if score >= points - 1e-9:
        status = "correct"
        messages = ["Correct: every step follows and the last line is the answer."
                    if not one_line else "Correct."]
    elif unsure and first is None and final != "wrong":
        status = "undecided"
    else:
        status = "wrong"
    return DerivationResult(ordered, status, score, points, "\n".join(messages),
                            first_broken=first.number if first else None,
                            final_correct=final_ok, steps_valid=steps_ok, work=budget.used)


def check_part_derivation(part: Any, text: str | None, *, exercise_id: str = "",
                          timeout: float = GUARD_SECONDS) -> Any:
    """The `PartOutcome` of a derivation part (what `grading.core` returns for every part)."""
    import logging

    from modl_tutor.answers.check import PartOutcome

    points = float(part.points)
    if text is None or not str(text).strip():
        return PartOutcome(part.name, "missing", 0.0, points, "No answer given.")
    try:
        result = check_derivation(DerivationSpec.of(part), text, timeout=timeout)
    except Exception as err:  # noqa: BLE001 - a grader bug must not become a wrong mark
        logging.getLogger("modl").error("grading %s part %s failed", exercise_id, part.name,
                                        exc_info=True)
        return PartOutcome(part.name, "undecided", 0.0, points, "The grader could not check "
                           f"this derivation ({type(err).__name__}); it is not marked wrong.")
    column = next((r.column for r in result.lines if r.status == "invalid"), None)
    return PartOutcome(part.name, result.status, result.score, points, result.message,
                       result.preview(), column, result.work, result.lines)
