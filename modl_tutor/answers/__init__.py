"""Math-answer engine: safe parser, equivalence, tolerances, choices and feedback (lazy sympy)."""
