"""Checks for optimization/conjugate_gradient: the CG iteration in torch is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_optimization as K

STEP_HINT = ("each iteration is an exact line search along its direction (no fixed learning "
             "rate), and each new direction is A-conjugate to the previous ones")


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
                hint="one iteration from x = 0: the first direction is the residual b itself, "
                     "with the exact step along it")
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
                hint="with b = 0 the start x = 0 is already the solution: the convergence test "
                     "must come before the first step (whose step size would be 0/0)")
    yield Check("a multiple of the identity converges in one step",
                args=(5.0 * np.eye(4), inputs.normal(rng, 4)), reference=K.conjugate_gradient,
                hint="A = c·I is solved exactly by the first step; the next step size would be "
                     "0/0, so the stopping test must catch it")
    yield Check("ill-conditioned 8×8 (κ = 10⁴)", args=(_spd(rng, 8, 1e4), inputs.normal(rng, 8)),
                kwargs={"max_iter": 30}, reference=K.conjugate_gradient, hidden=True, rtol=1e-6)
