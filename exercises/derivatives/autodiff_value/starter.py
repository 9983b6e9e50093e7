"""derivatives/autodiff_value — a scalar `Value` with reverse-mode automatic differentiation."""

import math


class Value:
    """A scalar that remembers how it was computed, so that `backward()` can fill in `.grad`."""

    def __init__(self, data, _children=(), _op=""):
        self.data = float(data)
        self.grad = 0.0  # d(output)/d(self), filled in by backward()
        self._backward = lambda: None  # pushes self.grad to the children's .grad
        self._prev = tuple(_children)
        self._op = _op

    def __repr__(self):
        return f"Value(data={self.data!r}, grad={self.grad!r})"

    def __add__(self, other):
        """self + other (other may be a plain number)."""
        raise NotImplementedError("__add__ is not written yet")

    def __mul__(self, other):
        """self * other (other may be a plain number)."""
        raise NotImplementedError("__mul__ is not written yet")

    def __radd__(self, other):  # 2 + v
        return self + other

    def __rmul__(self, other):  # 2 * v
        return self * other

    def tanh(self):
        """tanh(self); its local derivative is 1 − tanh²."""
        raise NotImplementedError("tanh is not written yet")

    def exp(self):
        """exp(self); its local derivative is exp itself."""
        raise NotImplementedError("exp is not written yet")

    def backward(self):
        """Set self.grad = 1 and propagate gradients to every Value this one depends on."""
        # TODO: order the graph topologically (every node after all the nodes it was built
        # from), then call each node's _backward in reverse order.
        raise NotImplementedError("backward is not written yet")
