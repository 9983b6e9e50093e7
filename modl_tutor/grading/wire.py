"""Plain-data wire format between processes: JSON, arrays as dtype + shape + bytes, never pickle."""

from __future__ import annotations

import base64
import json
import math
from typing import Any

MAX_DEPTH = 20
MAX_ITEMS = 100_000
MAX_ARRAY_BYTES = 16 * 1024 * 1024
MAX_STRING = 10_000
MAX_RANK = 8
MAX_ELEMENTS = 4 * 1024 * 1024
MAX_NODES = 200_000
"""Bounds on everything decoded: a forged record cannot make the judge do unbounded work."""

_ALLOWED_KINDS = set("biuf")  # bool, int, uint, float (complex and objects are refused)
_DTYPE_NAMES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                "uint64", "float16", "float32", "float64")
_DTYPES: dict[str, str] = {}
"""dtype.str -> name, for exactly the plain numeric dtypes (filled on first use)."""


class FnRef:
    """An argument that names a public driver function of the exercise (plain data on the
    wire: the child builds it from the exercise's drivers.py, never from the judge's memory)."""

    def __init__(self, name: str, **params: Any) -> None:
        self.name = str(name)
        self.params = dict(params)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


class WireError(ValueError):
    """A value that cannot cross the process boundary as plain data."""


def encode(value: Any, _depth: int = 0) -> Any:
    """Turn a result into JSON-safe plain data; raises `WireError` for anything else."""
    import numpy as np

    if _depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
    if isinstance(value, FnRef):
        return {"__fn__": value.name, "params": encode(value.params, _depth + 1)}
    if value is None or isinstance(value, (bool, str)):
        if isinstance(value, str) and len(value) > MAX_STRING:
            value = value[:MAX_STRING]
        return value
    if isinstance(value, int):
        if abs(value) > 2**63:
            return {"__float__": repr(float(value))}
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"__float__": repr(float(value))}
    if isinstance(value, np.generic):
        if value.dtype.kind not in _ALLOWED_KINDS:
            raise WireError(f"numpy scalar of dtype {value.dtype} is not plain data")
        return {"__scalar__": _encode_array(np.asarray(value))}
    if isinstance(value, np.ndarray):
        return {"__ndarray__": _encode_array(value)}
    if isinstance(value, (list, tuple)):
        if len(value) > MAX_ITEMS:
            raise WireError("list too long")
        items = [encode(v, _depth + 1) for v in value]
        return {"__tuple__": items} if isinstance(value, tuple) else items
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            raise WireError("dict too large")
        out = {}
        for key, item in value.items():
            if not isinstance(key, str) or key.startswith("__"):
                raise WireError(f"dict keys must be plain strings, got {key!r:.40}")
            out[key] = encode(item, _depth + 1)
        return out
    raise WireError(f"a {type(value).__name__} is not plain data "
                    "(return numbers, NumPy arrays, tuples, lists or dicts)")


def _encode_array(array: Any) -> dict[str, Any]:
    if type(array).__module__ != "numpy" or array.dtype.kind not in _ALLOWED_KINDS:
        raise WireError(f"array of dtype {array.dtype} is not plain data")
    if array.nbytes > MAX_ARRAY_BYTES:
        raise WireError(f"array of {array.nbytes} bytes is too large")
    import numpy as np

    contiguous = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("="))
    return {"dtype": contiguous.dtype.str, "shape": list(array.shape),
            "data": base64.b64encode(contiguous.tobytes()).decode("ascii")}


def decode(value: Any, _depth: int = 0, _budget: list[int] | None = None) -> Any:
    """Rebuild plain Python/NumPy values from `encode`'s output, validating every field.

    Bounded: depth, nodes, string and list lengths, array rank, elements and bytes, and only
    plain numeric dtypes (never a structured or object dtype, whatever the sender wrote).
    """
    budget = [MAX_NODES] if _budget is None else _budget
    budget[0] -= 1
    if budget[0] < 0:
        raise WireError("value has too many parts")
    if _depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
    if isinstance(value, list):
        if len(value) > MAX_ITEMS:
            raise WireError("list too long")
        return [decode(v, _depth + 1, budget) for v in value]
    if not isinstance(value, dict):
        if isinstance(value, str):
            return value[:MAX_STRING]
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**64:
            raise WireError("integer too large")
        if value is None or isinstance(value, (bool, int, float)):
            return value
        raise WireError(f"unexpected {type(value).__name__}")
    if len(value) > MAX_ITEMS:
        raise WireError("dict too large")
    if "__float__" in value:
        text = value["__float__"]
        if not isinstance(text, str) or len(text) > 40 or \
                (text not in ("nan", "inf", "-inf") and not _is_number(text)):
            raise WireError("bad float")
        return float(text)
    if "__ndarray__" in value:
        return _decode_array(value["__ndarray__"])
    if "__scalar__" in value:
        array = _decode_array(value["__scalar__"])
        if array.ndim != 0:
            raise WireError("bad scalar")
        return array[()]
    if "__tuple__" in value:
        items = value["__tuple__"]
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise WireError("bad tuple")
        return tuple(decode(v, _depth + 1, budget) for v in items)
    if set(value) == {"__fn__", "params"}:
        params = decode(value["params"], _depth + 1, budget)
        if not isinstance(value["__fn__"], str) or not isinstance(params, dict):
            raise WireError("bad function reference")
        return FnRef(value["__fn__"], **params)
    out = {}
    for key, item in value.items():
        if len(key) > 200:
            raise WireError("dict key too long")
        out[key] = decode(item, _depth + 1, budget)
    return out


def _is_number(text: Any) -> bool:
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


def plain_dtypes() -> dict[str, str]:
    """The table of dtype strings an array may have, built once per process (the student
    runner builds it before it forks: its children do not)."""
    import numpy as np

    if not _DTYPES:
        for name in _DTYPE_NAMES:
            for order in ("=", "<", ">"):
                dtype = np.dtype(name).newbyteorder(order)
                _DTYPES[dtype.str] = dtype.str
    return _DTYPES


def _plain_dtype(text: Any) -> Any:
    import numpy as np

    if not isinstance(text, str) or text not in plain_dtypes():  # before np.dtype() sees it
        raise WireError(f"array dtype {str(text)[:20]!r} refused")
    return np.dtype(text)


def _decode_array(spec: Any) -> Any:
    import numpy as np

    if not isinstance(spec, dict) or set(spec) != {"dtype", "shape", "data"}:
        raise WireError("bad array")
    dtype = _plain_dtype(spec["dtype"])
    shape = spec["shape"]
    if not isinstance(shape, list) or len(shape) > MAX_RANK or \
            not all(type(n) is int and 0 <= n <= MAX_ELEMENTS for n in shape):
        raise WireError("bad array shape")
    count = math.prod(shape)
    if count > MAX_ELEMENTS or count * dtype.itemsize > MAX_ARRAY_BYTES:
        raise WireError("array too large")
    data = spec["data"]
    if not isinstance(data, str) or len(data) > 4 * (MAX_ARRAY_BYTES // 3 + 2):
        raise WireError("bad array data")
    raw = base64.b64decode(data, validate=True)
    if len(raw) != count * dtype.itemsize:
        raise WireError("array bytes do not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="))


def dumps(value: Any) -> str:
    """One JSON line (no NaN literals: non-finite floats are encoded explicitly)."""
    return json.dumps(encode(value), allow_nan=False, separators=(",", ":"))


def loads(line: str | bytes) -> Any:
    """Parse one JSON line written by `dumps`."""
    return decode(json.loads(line))
