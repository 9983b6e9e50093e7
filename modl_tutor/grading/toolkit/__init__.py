"""The toolkit that exercise `checks.py` files use: `Check`, input generators, comparisons."""

from modl_tutor.grading.toolkit import inputs, properties
from modl_tutor.grading.toolkit.check import Check, Driver, Fn
from modl_tutor.grading.toolkit.compare import (Verdict, check_dtype, check_shape, compare_outputs,
                                                exact, relative_error, ulp_distance,
                                                within_relative_error, within_ulps)
from modl_tutor.grading.toolkit.gradients import (gradient_check, numerical_gradient_check,
                                                  torch_gradient)
from modl_tutor.grading.toolkit.properties import property_check

__all__ = ["Check", "Driver", "Fn", "Verdict", "check_dtype", "check_shape", "compare_outputs", "exact",
           "gradient_check", "inputs", "numerical_gradient_check", "properties",
           "property_check", "relative_error", "torch_gradient", "ulp_distance",
           "within_relative_error", "within_ulps"]
