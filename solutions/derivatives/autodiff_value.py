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
        # BEGIN SOLUTION
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out
        # END SOLUTION

    def __mul__(self, other):
        """self * other (other may be a plain number)."""
        # BEGIN SOLUTION
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out
        # END SOLUTION

    def __radd__(self, other):  # 2 + v
        return self + other

    def __rmul__(self, other):  # 2 * v
        return self * other

    def tanh(self):
        """tanh(self); its local derivative is 1 − tanh²."""
        # BEGIN SOLUTION
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t * t) * out.grad

        out._backward = _backward
        return out
        # END SOLUTION

    def exp(self):
        """exp(self); its local derivative is exp itself."""
        # BEGIN SOLUTION
        e = math.exp(self.data)
        out = Value(e, (self,), "exp")

        def _backward():
            self.grad += e * out.grad

        out._backward = _backward
        return out
        # END SOLUTION

    def backward(self):
        """Set self.grad = 1 and propagate gradients to every Value this one depends on."""
        # TODO: order the graph topologically (every node after all the nodes it was built
        # from), then call each node's _backward in reverse order.
        # BEGIN SOLUTION
        order, seen = [], set()
        stack = [(self, False)]
        while stack:  # iterative depth-first search: no recursion limit on long chains
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in node._prev if id(child) not in seen)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()
        # END SOLUTION
