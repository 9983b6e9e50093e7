"""A pair compared twice in one derivation (a one-line answer: first link and final answer) is
decided once, with its work charged again: verdicts and work equal those of comparing twice,
also when the budget runs out in between."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from modl_tutor.answers import pair_memo
from modl_tutor.answers.derivation import DerivationSpec, check_derivation
from modl_tutor.answers.equivalence import compare
from modl_tutor.answers.evaluate import Budget

EXERCISES = ("derivatives/sigmoid_prime_steps", "losses/mse_gradient_steps",
             "backprop/two_layer_chain_steps")


def _without_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    def plain(self, a, b):  # type: ignore[no-untyped-def]
        return compare(a, b, variables=self.names, domains=self.domains, budget=self.budget)

    monkeypatch.setattr(pair_memo.PairMemo, "compare", plain)


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_a_one_line_answer_is_decided_once_with_the_same_work(bank, monkeypatch, exercise_id):
    part = bank.get(exercise_id).parts[0]
    spec = DerivationSpec.of(part)
    answers = [[part.expected], [f"2*({part.expected})"]]
    remembered = [asdict(check_derivation(spec, a, timeout=1e9)) for a in answers]
    work = [r["work"] for r in remembered]
    limits = sorted({max(1, int(w * f)) for w in work for f in (0.55, 1.0)})
    tight = [asdict(check_derivation(spec, a, budget=Budget(limit=n)))
             for a in answers for n in limits]
    _without_memo(monkeypatch)
    assert [asdict(check_derivation(spec, a, timeout=1e9)) for a in answers] == remembered
    assert [asdict(check_derivation(spec, a, budget=Budget(limit=n)))
            for a in answers for n in limits] == tight
