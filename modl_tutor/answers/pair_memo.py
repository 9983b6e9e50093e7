"""Comparisons remembered within one derivation: the same pair is not compared twice, and the
work it cost is charged again, so the budget (and every verdict that depends on it) is as if
it had been."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from modl_tutor.answers.equivalence import Verdict, compare
from modl_tutor.answers.evaluate import Budget


@dataclass
class PairMemo:
    """`compare` over one budget, remembering each decided pair with the work it spent."""

    budget: Budget
    names: tuple[str, ...]
    domains: Any
    seen: dict[tuple[Any, Any], tuple[Verdict, Any, int, int, int]] = field(
        default_factory=dict)

    def compare(self, a: Any, b: Any) -> tuple[Verdict, Any]:
        budget = self.budget
        hit = self.seen.get((a, b))
        if hit is not None:
            verdict, witness, used, points, dps = hit
            if budget.used + used <= budget.limit:  # else: spent midway, as it would be
                budget.spend(used)
                budget.points += points
                budget.max_dps = max(budget.max_dps, dps)
                return verdict, witness
        used, points = budget.used, budget.points
        verdict, witness = compare(a, b, variables=self.names, domains=self.domains,
                                   budget=budget)
        if verdict is not Verdict.TIMEOUT and budget.used <= budget.limit:
            self.seen[(a, b)] = (verdict, witness, budget.used - used,
                                 budget.points - points, budget.max_dps)
        return verdict, witness
