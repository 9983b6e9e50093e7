"""Does not parse."""
import numpy as np


def softmax(z, axis=-1:
    return np.exp(z)
