"""Index notation, straight from Y_nh = Σ_d X_nd W_dh + b_h."""
import numpy as np


def linear_backward(X, W, b, dY):
    return {"dX": np.einsum("nh,dh->nd", dY, W), "dW": np.einsum("nd,nh->dh", X, dY),
            "db": np.einsum("nh->h", dY)}
