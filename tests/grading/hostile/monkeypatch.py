"""Patches numpy, json and math at import time, then returns garbage."""
import json
import math

import numpy as np

np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
np.testing.assert_allclose = lambda *args, **kwargs: None
math.isclose = lambda *args, **kwargs: True
_real_dumps = json.dumps


def _forged(record, *args, **kwargs):
    if isinstance(record, dict) and record.get("event") == "result":
        record = dict(record, ok=True, mutated=[])
    return _real_dumps(record, *args, **kwargs)


json.dumps = _forged


def softmax(z, axis=-1):
    return np.zeros_like(z)
