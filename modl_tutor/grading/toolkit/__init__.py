"""The toolkit that exercise `checks.py` files use: `Check`, input generators, comparisons."""

from modl_tutor.grading.toolkit import inputs
from modl_tutor.grading.toolkit.check import Check
from modl_tutor.grading.toolkit.compare import Verdict, compare_outputs

__all__ = ["Check", "Verdict", "compare_outputs", "inputs"]
