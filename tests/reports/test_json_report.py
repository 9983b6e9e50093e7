"""`--format json`: CANONICAL.md's schema, validated with a JSON Schema, hidden checks kept."""

from __future__ import annotations

import json

import jsonschema
import pytest

from modl_tutor.reports.json_report import json_report, json_schema


def validator() -> jsonschema.Draft202012Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_report_validates_and_keeps_every_field(results) -> None:
    data = json.loads(json_report(results))
    validator().validate(data)
    alice, bob, carol = data["submissions"]
    assert (alice["submission"], alice["score"], alice["max_score"]) == ("subs/alice", 4, 5)
    assert [e["id"] for e in alice["exercises"]] == ["derivatives/power_rule_slope",
                                                    "losses/softmax"]
    hidden = alice["exercises"][1]["checks"][2]
    assert hidden["hidden"] is True and "max abs error" in hidden["message"]
    assert set(hidden) >= {"name", "passed", "score", "max_score", "message"}
    assert bob["exercises"][0]["status"] == "missing"
    assert bob["exercises"][1]["status"] == "error"
    assert carol["error"].endswith("not valid TOML") and carol["score"] == 0


def test_the_text_is_the_data_indented_down_to_one_line_per_exercise(results) -> None:
    from modl_tutor.reports.json_report import json_data

    text = json_report(results)
    assert json.loads(text) == json.loads(json.dumps(json_data(results)))
    lines = text.splitlines()
    rows = [json.loads(line.strip().rstrip(",")) for line in lines
            if line.startswith(" " * 8 + "{")]
    expected = [e["id"] for s in json.loads(text)["submissions"] for e in s["exercises"]]
    assert [row["id"] for row in rows] == expected  # each exercise whole on its own line
    assert lines[0] == "{" and lines[1] == '  "submissions": [' and lines[-1] == "}"


def test_control_characters_survive_as_valid_json(results) -> None:
    text = json_report(results)
    data = json.loads(text)
    assert "\x00" in data["submissions"][1]["exercises"][1]["message"]


@pytest.mark.parametrize("breakage", [
    lambda d: d["submissions"][0]["exercises"][0].update(status="great"),
    lambda d: d["submissions"][0]["exercises"][0]["checks"][0].pop("passed"),
    lambda d: d["submissions"][0].update(score="4"),
    lambda d: d["submissions"][0]["exercises"][0].update(id="no-slash"),
    lambda d: d.update(extra=1),
])
def test_schema_rejects_malformed_reports(results, breakage) -> None:
    data = json.loads(json_report(results))
    breakage(data)
    with pytest.raises(jsonschema.ValidationError):
        validator().validate(data)
