"""The Gradescope layout with the autograder root outside /tmp (as on Gradescope: /autograder):
a hostile submission cannot read the bundled bank or the installed grader, and earns nothing."""

from __future__ import annotations

import json
import shutil
import sys
import uuid
from pathlib import Path

import pytest

from tests.batch.helpers import write_submission
from tests.batch.test_bundle import _autograder_root, _run
from tests.batch.test_bundle import bundle  # noqa: F401 - the module-scoped fixture

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux sandbox")]

STEAL = '''
import os
found = []
for place in (ROOTS):
    for folder, _, files in os.walk(place):
        found.extend(os.path.join(folder, f) for f in files)
print("SEEN", len(found), [f for f in found if f.endswith(("checks.py", "exercise.toml"))][:3])
def double(x):
    return x
'''


@pytest.fixture()
def outside_tmp() -> Path:
    place = Path.home() / ".cache" / f"modl-test-{uuid.uuid4().hex[:8]}"
    place.mkdir(parents=True)
    yield place
    shutil.rmtree(place, ignore_errors=True)


def test_a_submission_cannot_see_the_bundle(bundle: Path, outside_tmp: Path) -> None:
    from modl_tutor import paths

    root = _autograder_root(bundle, outside_tmp)
    assert not str(root).startswith("/tmp")
    roots = ", ".join(repr(str(p)) for p in (root, root / "source" / "bank",
                                             Path(paths.__file__).parent))
    write_submission(root / "submission", student="mallory", code=STEAL.replace("ROOTS", roots))
    (root / "submission_metadata.json").write_text(json.dumps({"users": [{"sid": "mallory"}]}))
    run = _run(root)
    assert run.returncode == 0, run.stderr
    data = json.loads((root / "results" / "results.json").read_text())
    text = json.dumps(data)
    assert "checks.py" not in text and "exercise.toml" not in text
    double = [t for t in data["tests"] if t["name"].startswith("losses/double")]
    assert double and sum(t["score"] for t in double) < sum(t["max_score"] for t in double)
    assert "SEEN 0 []" in text  # it ran, and nothing of the bundle or the grader was visible
