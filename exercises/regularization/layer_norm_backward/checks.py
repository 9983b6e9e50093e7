"""Checks for regularization/layer_norm_backward: autograd of F.layer_norm is the reference."""

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_regularization as K

ROW_HINT = ("μ and σ² of a row depend on every x of that row: with dx̂ = dout·γ, "
            "dx = (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂))/σ, the means over the last axis")


def _case(rng, N, D, loc=0.0, scale=1.0):
    x = loc + inputs.normal(rng, (N, D), scale)
    return x, 1.0 + inputs.normal(rng, D, 0.3), inputs.normal(rng, (N, D))


def checks(rng):
    yield Check("batch N=6, D=5", args=_case(rng, 6, 5), reference=K.layer_norm_backward,
                points=3, hint=ROW_HINT)
    yield Check("N = 7, D = 3: gamma's gradient sums over the batch", args=_case(rng, 7, 3),
                reference=K.layer_norm_backward,
                hint="dgamma = Σ_n dout·x̂ and dbeta = Σ_n dout: sums over axis 0, shape (D,); "
                     "the sums inside dx run over axis −1")
    yield Check("a single example (N = 1)", args=_case(rng, 1, 4),
                reference=K.layer_norm_backward,
                hint="with one row, dgamma and dbeta still have shape (D,), not (1, D)")
    yield Check("eps = 0.1 is passed in", args=_case(rng, 4, 3, scale=0.2), kwargs={"eps": 0.1},
                reference=K.layer_norm_backward, hint="use the `eps` argument: σ = sqrt(σ² + eps)")
    x, gamma, dout = _case(rng, 3, 4)
    x[2] = -1.5
    yield Check("a constant row (variance 0)", args=(x, gamma, dout),
                reference=K.layer_norm_backward,
                hint="σ² = 0 is fine when eps sits inside the square root: σ = sqrt(eps)")
    yield Check("rows with mean 1000", args=_case(rng, 5, 6, loc=1000.0),
                reference=K.layer_norm_backward,
                hint="compute σ² as mean((x − μ)²); mean(x²) − μ² cancels for a large mean")
    yield Check("larger batch N=32, D=16", args=_case(rng, 32, 16, loc=-3.0, scale=4.0),
                reference=K.layer_norm_backward, hidden=True, hint=ROW_HINT)
