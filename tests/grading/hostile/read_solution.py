"""Copies the reference solution from solutions/ and imports it."""
import os
import sys

SOLUTION = "__SOLUTION__"
DEST = os.path.join(os.environ.get("TMPDIR", "/tmp"), "stolen___TOKEN__")

os.makedirs(DEST, exist_ok=True)
with open(SOLUTION) as source, open(os.path.join(DEST, "stolen.py"), "w") as copy:
    copy.write(source.read())
sys.path.insert(0, DEST)

from stolen import softmax  # noqa: E402,F401
