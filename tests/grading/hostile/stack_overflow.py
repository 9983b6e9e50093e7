"""Lifts the recursion limit and overflows the C stack (a segfault) in a C-level recursion."""
import json
import sys

sys.setrecursionlimit(10 ** 8)


def softmax(z, axis=-1):
    nested = []
    for _ in range(1_000_000):
        nested = [nested]
    return json.dumps(nested)
