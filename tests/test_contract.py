"""The JSON contract: what ``propscope analyze`` writes validates against schemas/analysis-1.schema.json."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from propscope import pipeline
from propscope.cli.main import main
from propscope.schema import SCHEMA_ID, Analysis, Document, TechniqueSpan

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"
# Analyzers cheap enough for a unit test; whichever of them are installed run, the rest are left out.
LIGHT = ("language", "source", "claims")

ARTICLE_A = """Ministry says new bridge will open in May

By Test Writer

The ministry said on Friday that the new bridge would open in May, about 3 months late.
"We are confident," a spokeswoman told reporters. Critics allegedly called the delay a disgrace.

Source: Test Wire
"""
ARTICLE_B = "Short note\n\nOfficials denied reports that 40 percent of the budget had been spent.\n"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    path = resources.files("propscope").joinpath("schemas", "analysis-1.schema.json")
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture
def light_pipeline(monkeypatch) -> list[str]:
    """Default analyzers = the light ones installed, so the test does not load models."""
    installed = [n for n in LIGHT if n in pipeline.available()]
    monkeypatch.setattr(pipeline, "available", lambda: installed)
    return installed


@pytest.fixture
def articles(tmp_path: Path) -> list[str]:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(ARTICLE_A, encoding="utf-8")
    b.write_text(ARTICLE_B, encoding="utf-8")
    return [str(a), str(b)]


def analyze(args: list[str], capsys) -> str:
    assert main(["analyze", "--no-progress", *args]) == 0
    return capsys.readouterr().out


def check_offsets(result: dict) -> None:
    """Every span's text equals document.text[start:end]; bare offsets lie inside the text."""
    text = result["document"]["text"]

    def inside(item: dict) -> None:
        assert 0 <= item["start"] <= item["end"] <= len(text), item

    for t in result["techniques"]:
        assert t["text"] == text[t["start"] : t["end"]]
    for c in result["claims"]:
        assert c["text"] == text[c["start"] : c["end"]]
        if c["speaker"]:
            inside(c["speaker"])  # the name may be resolved (a pronoun to a person), so only offsets are checked
    for m in result["source"]["markers"]:
        assert m["text"] == text[m["start"] : m["end"]]
    for p in result["paragraphs"]:
        inside(p)
    for n in result["narratives"]:
        for e in n["evidence"]:
            inside(e)
    for ent in result["entities"]:
        for m in ent["mentions"]:
            inside(m)


def test_one_input_gives_one_valid_object(articles, light_pipeline, validator, capsys):
    result = json.loads(analyze([articles[0], "--format", "json"], capsys))
    assert isinstance(result, dict) and result["schema"] == SCHEMA_ID
    validator.validate(result)
    check_offsets(result)
    assert result["document"]["text"] == ARTICLE_A
    assert set(result["models"]) == set(light_pipeline)


def test_several_inputs_give_a_list(articles, light_pipeline, validator, capsys):
    results = json.loads(analyze([*articles, "--format", "json"], capsys))
    assert [r["document"]["id"] for r in results] == ["a", "b"]
    for r in results:
        validator.validate(r)
        check_offsets(r)


def test_jsonl_one_object_per_line(articles, light_pipeline, validator, capsys, tmp_path):
    out = tmp_path / "out.jsonl"
    assert analyze([*articles, "--format", "jsonl", "--out", str(out)], capsys) == ""
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    for line in lines:
        validator.validate(json.loads(line))


def test_fields_of_absent_analyzers_are_present_and_empty(articles, monkeypatch, validator, capsys):
    monkeypatch.setattr(pipeline, "available", lambda: [])
    result = json.loads(analyze([articles[1]], capsys))
    validator.validate(result)
    for key in ("techniques", "paragraphs", "narratives", "entities", "claims", "frames", "errors"):
        assert result[key] == [], key
    assert result["genre"] is None and result["models"] == {}
    assert result["source"] == {"outlet": None, "domain": None, "reliability": None, "markers": []}


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples folder not present")
def test_shipped_examples_validate(light_pipeline, validator, capsys):
    results = json.loads(analyze([str(EXAMPLES)], capsys))
    assert len(results) >= 5
    for r in results:
        validator.validate(r)
        check_offsets(r)
    assert {"en", "ru"} <= {r["document"]["language"] for r in results} or "language" not in light_pipeline


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_html_and_md_formats(articles, light_pipeline, capsys, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    analyze([*articles, "--format", fmt, "-o", str(out)], capsys)
    report = out.read_text(encoding="utf-8")
    if fmt == "html":
        assert report.startswith("<!doctype html>") and report.count('<article class="ps-doc"') == 2
        assert "Ministry says new bridge will open in May" in report
    else:
        assert report.count("\n# ") + report.startswith("# ") == 2
        assert "# Ministry says new bridge will open in May" in report


def test_schema_rejects_broken_output(validator):
    doc = Document(id="x", text="abc")
    good = Analysis(document=doc, techniques=[TechniqueSpan("Doubt", 0, 2, "ab", 0.5)]).to_dict()
    validator.validate(good)
    for broken in (
        {**good, "schema": "propscope.analysis/2"},
        {**good, "techniques": [{**good["techniques"][0], "score": 1.5}]},
        {k: v for k, v in good.items() if k != "claims"},
        {**good, "extra": 1},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate(broken)


DOC = Path(__file__).resolve().parents[1] / "docs" / "json-contract.md"


@pytest.mark.skipif(not DOC.exists(), reason="docs not present")
def test_documented_example_is_valid(validator):
    block = DOC.read_text(encoding="utf-8").split("```json\n", 1)[1].split("\n```", 1)[0]
    example = json.loads(block)
    validator.validate(example)
    check_offsets(example)
    assert set(example) == set(Analysis(document=Document(id="x", text="")).to_dict())
