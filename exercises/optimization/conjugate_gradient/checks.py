"""Checks for optimization/conjugate_gradient: the CG iteration in torch is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_optimization as K

STEP_HINT = ("each iteration is an exact line search along p: α = (r·r)/(p·Ap), not a fixed "
             "learning rate; and the next direction is p = r + β p with β = (r_new·r_new)/(r·r)")


def _spd(rng, n, cond=10.0):
    """A random symmetric positive definite matrix with condition number `cond`."""
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    eigenvalues = np.geomspace(1.0, cond, n)
    return (q * eigenvalues) @ q.T


def checks(rng):
    A2 = np.array([[4.0, 1.0], [1.0, 3.0]])
    yield Check("2×2 system: exact after 2 iterations", args=(A2, np.array([1.0, 2.0])),
                reference=K.conjugate_gradient, hint=STEP_HINT)
    A3 = _spd(rng, 3)
    yield Check("max_iter = 1 is one exact line search along r = b",
                args=(A3, inputs.normal(rng, 3)), kwargs={"max_iter": 1},
                reference=K.conjugate_gradient, points=2,
                hint="after one iteration x = α b with α = (b·b)/(b·Ab)")
    A6 = _spd(rng, 6, 100.0)
    yield Check("max_iter = 3 on a 6×6 system (conjugate directions)",
                args=(A6, inputs.normal(rng, 6)), kwargs={"max_iter": 3},
                reference=K.conjugate_gradient, points=2, hint=STEP_HINT)
    A20 = _spd(rng, 20, 50.0)
    yield Check("20×20 system solved to tolerance (max_iter = 100)",
                args=(A20, inputs.normal(rng, 20)), kwargs={"max_iter": 100},
                reference=K.conjugate_gradient, hint=STEP_HINT)
    yield Check("b = 0 gives x = 0 (no division by zero)", args=(A3, np.zeros(3)),
                reference=K.conjugate_gradient,
                hint="test ‖r‖ ≤ tol·‖b‖ before the first iteration: with b = 0 there is nothing "
                     "to do")
    yield Check("a multiple of the identity converges in one step",
                args=(5.0 * np.eye(4), inputs.normal(rng, 4)), reference=K.conjugate_gradient,
                hint="once ‖r‖ is below tol·‖b‖, stop before computing α = 0/0")
    yield Check("ill-conditioned 8×8 (κ = 10⁴)", args=(_spd(rng, 8, 1e4), inputs.normal(rng, 8)),
                kwargs={"max_iter": 30}, reference=K.conjugate_gradient, hidden=True, rtol=1e-6)
