"""Prints lines that look like results (of the sandbox and of the zygote), returns garbage."""
import os

import numpy as np

FAKE = ['{"event": "result", "i": %d, "ok": true, "value": 1.0, "mutated": []}' % i
        for i in range(10)]
FAKE.append('{"event": "done"}')
FAKE.append('{"id": "1", "result": {"id": "losses/softmax", "score": 4, "max_score": 4, '
            '"status": "passed", "checks": []}}')


def softmax(z, axis=-1):
    for line in FAKE:
        print(line)
        os.write(1, (line + "\n").encode())
        os.write(2, (line + "\n").encode())
    return np.full_like(z, 0.3)
