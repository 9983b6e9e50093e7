"""Plain-data wire format between processes: JSON, arrays as dtype + shape + bytes, never pickle."""

from __future__ import annotations

import base64
import json
import math
from typing import Any

MAX_DEPTH = 20
MAX_ITEMS = 100_000
MAX_ARRAY_BYTES = 64 * 1024 * 1024
MAX_STRING = 10_000

_ALLOWED_KINDS = set("biuf")  # bool, int, uint, float (complex and objects are refused)


class WireError(ValueError):
    """A value that cannot cross the process boundary as plain data."""


def encode(value: Any, _depth: int = 0) -> Any:
    """Turn a result into JSON-safe plain data; raises `WireError` for anything else."""
    import numpy as np

    if _depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
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

    contiguous = np.ascontiguousarray(array)
    return {"dtype": contiguous.dtype.str, "shape": list(array.shape),
            "data": base64.b64encode(contiguous.tobytes()).decode("ascii")}


def decode(value: Any, _depth: int = 0) -> Any:
    """Rebuild plain Python/NumPy values from `encode`'s output, validating every field."""
    if _depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
    if isinstance(value, list):
        return [decode(v, _depth + 1) for v in value]
    if not isinstance(value, dict):
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        raise WireError(f"unexpected {type(value).__name__}")
    if "__float__" in value:
        text = value["__float__"]
        if text not in ("nan", "inf", "-inf") and not _is_number(text):
            raise WireError("bad float")
        return float(text)
    if "__ndarray__" in value:
        return _decode_array(value["__ndarray__"])
    if "__scalar__" in value:
        return _decode_array(value["__scalar__"])[()]
    if "__tuple__" in value:
        items = value["__tuple__"]
        if not isinstance(items, list):
            raise WireError("bad tuple")
        return tuple(decode(v, _depth + 1) for v in items)
    return {str(k): decode(v, _depth + 1) for k, v in value.items()}


def _is_number(text: Any) -> bool:
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


def _decode_array(spec: Any) -> Any:
    import numpy as np

    if not isinstance(spec, dict) or set(spec) != {"dtype", "shape", "data"}:
        raise WireError("bad array")
    dtype = np.dtype(str(spec["dtype"]))
    if dtype.kind not in _ALLOWED_KINDS:
        raise WireError(f"array dtype {dtype} refused")
    shape = spec["shape"]
    if not isinstance(shape, list) or not all(isinstance(n, int) and n >= 0 for n in shape):
        raise WireError("bad array shape")
    raw = base64.b64decode(str(spec["data"]), validate=True)
    count = math.prod(shape)
    if len(raw) != count * dtype.itemsize:
        raise WireError("array bytes do not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def dumps(value: Any) -> str:
    """One JSON line (no NaN literals: non-finite floats are encoded explicitly)."""
    return json.dumps(encode(value), allow_nan=False, separators=(",", ":"))


def loads(line: str | bytes) -> Any:
    """Parse one JSON line written by `dumps`."""
    return decode(json.loads(line))
