"""Checks for derivatives/autodiff_value: small graphs built with the student's Value class,
compared with torch.autograd on the same operations (the graph is built in the sandbox by
the public drivers.py beside this file)."""

from __future__ import annotations

from functools import partial
from typing import Any

from modl_tutor.grading.toolkit import Check, Driver
from modl_tutor.kernels import bank_derivatives as K

ACCUMULATE = "a Value used several times must receive the sum of all its gradients: use " \
             "+= in every _backward, never ="
ORDER = "call _backward in reverse topological order (each node after every node that uses " \
        "it), so that a node's gradient is complete before it is passed on"


def _graph(name: str, inputs: dict[str, float], ops: list[tuple[Any, ...]], output: str,
           **options: Any) -> Check:
    return Check(name, run=Driver("graph", inputs=inputs, ops=[list(op) for op in ops],
                                  output=output),
                 reference=partial(K.run_graph_torch, inputs, ops, output), **options)


def _long_chain(steps: int) -> list[tuple[Any, ...]]:
    ops: list[tuple[Any, ...]] = []
    prev = "x"
    for i in range(steps):
        ops.append(("mul", f"m{i}", prev, "w"))
        ops.append(("tanh", f"t{i}", f"m{i}"))
        ops.append(("addc", f"s{i}", f"t{i}", 0.5))
        prev = f"s{i}"
    return ops


def checks(rng: Any):  # type: ignore[no-untyped-def]
    yield _graph("L = a·b + c (and an unused input keeps grad 0)",
                 {"a": 2.0, "b": -3.0, "c": 10.0, "unused": 4.0},
                 [("mul", "ab", "a", "b"), ("add", "L", "ab", "c")], "L",
                 hint="for c = a·b: a.grad += b.data·c.grad and b.grad += a.data·c.grad")
    yield _graph("a neuron: tanh(x1·w1 + x2·w2 + b) with x2 = 0",
                 {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.7},
                 [("mul", "p1", "x1", "w1"), ("mul", "p2", "x2", "w2"), ("add", "s", "p1", "p2"),
                  ("add", "n", "s", "b"), ("tanh", "o", "n")], "o", points=2,
                 hint="tanh's local derivative is 1 − tanh(n)²: keep the forward value in the "
                      "closure")
    yield _graph("a Value used three times: a·a + a", {"a": 3.0},
                 [("mul", "sq", "a", "a"), ("add", "out", "sq", "a")], "out", points=2,
                 hint=ACCUMULATE)
    yield _graph("the same operand on both sides: a + a", {"a": -1.5},
                 [("add", "out", "a", "a")], "out", hint=ACCUMULATE)
    yield _graph("plain numbers on either side: (3·x + 1)·2 + 0.5", {"x": 0.8},
                 [("rmulc", "u", "x", 3.0), ("addc", "v", "u", 1.0), ("mulc", "w", "v", 2.0),
                  ("raddc", "out", "w", 0.5)], "out",
                 hint="wrap a plain number in a Value (other = other if isinstance(other, Value) "
                      "else Value(other)) and define __radd__ and __rmul__ for 2 + v and 2 * v")
    yield _graph("exp: y·exp(x·y)", {"x": 0.5, "y": -1.2},
                 [("mul", "xy", "x", "y"), ("exp", "e", "xy"), ("mul", "out", "y", "e")], "out",
                 hint="exp's local derivative is exp(x) itself")
    yield _graph("a shared node feeding two branches: tanh(u)·exp(u) + u, u = x·y",
                 {"x": 0.7, "y": -0.4},
                 [("mul", "u", "x", "y"), ("tanh", "p", "u"), ("exp", "q", "u"),
                  ("mul", "pq", "p", "q"), ("add", "out", "pq", "u")], "out", points=2,
                 hint=ORDER)
    yield _graph("a chain of 1200 operations", {"x": 0.3, "w": 0.9}, _long_chain(400), "s399",
                 hidden=True,
                 hint="a recursive topological sort can exceed Python's recursion limit on long "
                      "graphs; an explicit stack avoids it")
    yield _graph("the output itself: x.backward() gives x.grad = 1", {"x": 4.2}, [], "x",
                 hidden=True, hint="backward() starts by setting self.grad = 1.0")
