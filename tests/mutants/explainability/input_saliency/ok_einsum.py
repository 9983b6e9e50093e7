"""The Jacobian contraction written with einsum."""
import numpy as np


def saliency(X, W1, b1, W2, b2, target, method="gradient"):
    fires = np.heaviside(X @ W1 + b1, 0.0).astype(X.dtype)
    grad = np.einsum("dh,nh,hn->nd", W1, fires, W2[:, target])
    return {"gradient": grad, "gradient_x_input": grad * X}[method]
