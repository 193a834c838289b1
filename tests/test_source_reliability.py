"""Reliability lists: parsing, subdomain lookup, and one-line errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscope.analyzers.reliability import load_reliability, normalize_domain, parse_reliability
from propscope.analyzers.source import SourceAnalyzer
from propscope.pipeline import build
from propscope.schema import Analysis, Document

LIST = """# test list
domain,label,note
example.com,unreliable,"state-funded, repeats claims"
https://www.wire.example.org/,reliable
news.other.example,mixed,
"""


@pytest.fixture()
def list_file(tmp_path: Path) -> Path:
    path = tmp_path / "my-list.csv"
    path.write_text(LIST, encoding="utf-8")
    return path


def test_exact_match_with_note(list_file):
    found = load_reliability(list_file).lookup("example.com")
    assert (found.label, found.note, found.list_name) == ("unreliable", "state-funded, repeats claims", "my-list.csv")


def test_subdomain_matches_parent(list_file):
    rel = load_reliability(list_file)
    assert rel.lookup("de.example.com").label == "unreliable"
    assert rel.lookup("www.a.b.example.com").label == "unreliable"
    assert rel.lookup("wire.example.org").label == "reliable"


def test_parent_does_not_match_a_listed_subdomain(list_file):
    rel = load_reliability(list_file)
    assert rel.lookup("other.example") is None
    assert rel.lookup("news.other.example").note is None


def test_missing_and_lookalike_domains(list_file):
    rel = load_reliability(list_file)
    assert rel.lookup("notexample.com") is None
    assert rel.lookup("example.com.evil.test") is None
    assert rel.lookup("com") is None
    assert rel.lookup(None) is None


def test_header_and_comments_are_optional():
    rel = parse_reliability("a.example,low\n\n  # note\nb.example,high\n", "l.csv")
    assert len(rel) == 2


@pytest.mark.parametrize(
    ("content", "line", "why"),
    [
        ("a.example,low\nb.example\n", 2, "found one field"),
        ("domain,label\na.example,low,note,extra\n", 2, "4 fields"),
        ("# c\nnot a domain,low\n", 2, "is not a domain"),
        ("a.example,\n", 1, "no label"),
        ("example.com/path/page,low\n", 1, "has a path"),
        ("a.example,low\nA.example,high\n", 2, "another label (first at line 1)"),
    ],
)
def test_malformed_row_names_file_and_line(tmp_path, content, line, why):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load_reliability(path)
    message = str(err.value)
    assert message.startswith(f"{path}:{line}: ")
    assert why in message
    assert "\n" not in message


def test_missing_and_binary_files_are_one_line_errors(tmp_path):
    with pytest.raises(ValueError, match="cannot read reliability list"):
        load_reliability(tmp_path / "nope.csv")
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(ValueError, match="bin.csv"):
        load_reliability(binary)


def test_repeated_identical_rows_are_fine():
    assert len(parse_reliability("a.example,low\na.example,low\n", "l.csv")) == 1


@pytest.mark.parametrize(
    ("raw", "domain"),
    [
        ("https://WWW.Example.com:443/", "example.com"),
        ("example.com.", "example.com"),
        ("президент.рф", "президент.рф"),
    ],
)
def test_normalize_domain(raw, domain):
    assert normalize_domain(raw) == domain


def test_analyzer_labels_document_by_its_url(list_file):
    analyzer = SourceAnalyzer(reliability_path=str(list_file))
    doc = Document(id="d", text="Some text.", source="https://de.example.com/news/1")
    info = analyzer.predict(doc, Analysis(document=doc))["source"]
    assert info.reliability.label == "unreliable"
    assert info.reliability.list_name == "my-list.csv"


def test_bad_list_fails_at_construction_through_pipeline(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a.example\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.csv:1: "):
        build(["source"], {"source": {"reliability_path": str(path)}})


def test_example_list_in_repo_loads():
    path = Path(__file__).resolve().parent.parent / "examples" / "reliability.csv"
    rel = load_reliability(path)
    assert rel.lookup("www.mirror.truth-unbound.test").note == "mirror site"
