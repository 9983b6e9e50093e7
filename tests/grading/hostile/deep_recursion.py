"""Recurses without end (RecursionError)."""


def _down(n):
    return _down(n + 1) + 1


def softmax(z, axis=-1):
    return _down(0)
