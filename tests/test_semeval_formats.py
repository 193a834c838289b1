"""SemEval submission files (SI and subtask 3) on self-written articles with a keyword analyzer."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscope import pipeline
from propscope.analyzers.base import Analyzer
from propscope.eval.spans import si_scores
from propscope.schema import Paragraph, TechniqueSpan
from propscope.semeval import si, st3

# (phrase, technique): "the traitors" and "traitors" overlap, so the SI writer must merge them.
KEYWORDS = (
    ("the traitors", "Loaded_Language"),
    ("traitors", "Name_Calling-Labeling"),
    ("everyone knows", "Appeal_to_Popularity"),
    ("very, very", "Repetition"),
)

ARTICLES = {
    "article101.txt": "Headline about the traitors\n\nEveryone is calm.\nBut everyone knows the traitors lied.\n",
    "article102.txt": "A quiet day\n\nNothing happened here.\n   \nIt was very, very quiet.",
    "article103.txt": "No techniques at all\r\n\r\nJust a line.\r\n",
}


class Keywords(Analyzer):
    """Marks every occurrence of the KEYWORDS phrases."""

    name = "techniques"
    adds = ("techniques",)

    def predict(self, doc, analysis):
        found = []
        lower = doc.text.lower()
        for phrase, technique in KEYWORDS:
            start = lower.find(phrase)
            while start >= 0:
                end = start + len(phrase)
                found.append(TechniqueSpan(technique, start, end, doc.text[start:end], 0.9))
                start = lower.find(phrase, end)
        return {"techniques": found}


class KeywordParagraphs(Keywords):
    """Also returns paragraphs, one per line, with an extra label outside the 23 techniques on line 1."""

    adds = ("techniques", "paragraphs")

    def predict(self, doc, analysis):
        spans = super().predict(doc, analysis)["techniques"]
        paragraphs, start = [], 0
        for line in doc.text.split("\n"):
            names = sorted({t.technique for t in spans if t.start < start + len(line) and t.end > start})
            paragraphs.append(Paragraph(start, start + len(line), names + (["Made_Up"] if start == 0 else [])))
            start += len(line) + 1
        return {"techniques": spans, "paragraphs": paragraphs}


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        with open(folder / name, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    (folder / "README.txt").write_text("not an article\n", encoding="utf-8")
    return folder


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> type[Analyzer]:
    chosen: dict[str, type[Analyzer]] = {"cls": Keywords}
    monkeypatch.setattr(pipeline, "load_analyzer", lambda name, options=None: chosen["cls"]())
    return chosen


def keyword_spans(doc_id: str, text: str) -> list[tuple[str, int, int]]:
    from propscope.schema import Analysis, Document

    doc = Document(id=doc_id, text=text)
    return [(doc_id, t.start, t.end) for t in Keywords().predict(doc, Analysis(doc))["techniques"]]


# --- SI ----------------------------------------------------------------------------------------------------------


def test_si_file_shape_and_rescore(articles: Path, tmp_path: Path, fake, capsys) -> None:
    out = tmp_path / "si.tsv"
    assert si.main([str(articles), "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines]
    assert all(len(r) == 3 and all(f.isdigit() for f in r) for r in rows)
    assert {r[0] for r in rows} == {"101", "102"}  # 103 has no spans, README.txt is not an article
    # "Headline about the traitors": "the traitors" 15-27 and "traitors" 19-27 merge into one span
    assert ["101", "15", "27"] in rows
    # line 4: "everyone knows" and the merged "the traitors" are apart (a space between): 3 spans in all
    assert sum(r[0] == "101" for r in rows) == 3
    gold = [s for name, text in ARTICLES.items() for s in keyword_spans(name[7:10], text)]
    submitted, errors = si.parse_si(out)
    assert errors == []
    assert si_scores(gold, submitted).f1 == 1.0
    assert si.check_si(out, si.article_texts(articles)) == []
    assert "SI format ok" in capsys.readouterr().out


def test_si_offsets_count_a_bom(tmp_path: Path, fake) -> None:
    folder = tmp_path / "bom"
    folder.mkdir()
    (folder / "article7.txt").write_bytes(b"\xef\xbb\xbfthe traitors")
    out = tmp_path / "si.tsv"
    assert si.main([str(folder), "-o", str(out)]) == 0
    # the official tools read the BOM as character 0, so "the traitors" is 1-13
    assert out.read_text(encoding="utf-8") == "7\t1\t13\n"


def test_si_check_finds_errors(articles: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("101\t5\t3\nabc\t1\t2\n101\t0\t10\n101\t5\t12\n999\t0\t1\n102\t0\t9999\n", encoding="utf-8")
    errors = si.check_si(bad, si.article_texts(articles))
    text = "\n".join(errors)
    assert f"{bad}:1: end 3 must be greater than start 5" in text
    assert f"{bad}:2: expected" in text
    assert "article 101 has overlapping spans" in text
    assert "article 999 is not among the articles" in text
    assert "article 102 has a span past its end" in text
    assert si.main([str(articles), "--check", str(bad)]) == 1


def test_si_missing_folder_is_one_line(tmp_path: Path, capsys) -> None:
    assert si.main([str(tmp_path / "nowhere"), "-o", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nowhere" in err[0] and "Traceback" not in err[0]


# --- subtask 3 ---------------------------------------------------------------------------------------------------


def read_rows(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]


def test_st3_every_line_of_every_article(articles: Path, tmp_path: Path, fake) -> None:
    out = tmp_path / "st3.tsv"
    assert st3.main([str(articles), "-o", str(out)]) == 0
    rows = read_rows(out)
    assert all(len(r) == 3 and r[0].isdigit() and r[1].isdigit() for r in rows)
    for name, text in ARTICLES.items():
        doc_id = name[7:10]
        non_blank = [i for i, line in enumerate(text.split("\n"), 1) if line.strip()]
        assert [int(r[1]) for r in rows if r[0] == doc_id] == non_blank
    labels = {(r[0], int(r[1])): r[2] for r in rows}
    assert labels[("101", 1)] == "Loaded_Language,Name_Calling-Labeling"
    assert labels[("101", 3)] == ""  # an empty technique list is a valid row
    assert labels[("101", 4)] == "Appeal_to_Popularity,Loaded_Language,Name_Calling-Labeling"
    assert labels[("102", 5)] == "Repetition"
    assert st3.check_st3(out, si.article_texts(articles)) == []


def test_st3_uses_the_analyzers_paragraphs_and_drops_unknown_labels(articles: Path, tmp_path: Path, fake, capsys):
    fake["cls"] = KeywordParagraphs
    out = tmp_path / "st3.tsv"
    assert st3.main([str(articles), "-o", str(out)]) == 0
    assert "dropped labels outside the 23 techniques: Made_Up" in capsys.readouterr().err
    labels = {(r[0], int(r[1])): r[2] for r in read_rows(out)}
    assert labels[("101", 1)] == "Loaded_Language,Name_Calling-Labeling"
    assert st3.check_st3(out, si.article_texts(articles)) == []


def test_st3_template_rows(articles: Path, tmp_path: Path, fake) -> None:
    template = tmp_path / "t.template"
    template.write_text("101\t4\tBut everyone knows the traitors lied.\n102\t3\tNothing happened here.\n", "utf-8")
    out = tmp_path / "st3.tsv"
    assert st3.main([str(articles), "-o", str(out), "--template", str(template)]) == 0
    assert [r[:2] for r in read_rows(out)] == [["101", "4"], ["102", "3"]]
    assert st3.check_st3(out, si.article_texts(articles), st3.read_template(template)) == []


def test_st3_check_finds_errors(articles: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("101\t1\tLoaded_Language,Made_Up\n101\t1\t\n101\t0\tDoubt\nx\t2\t\n", encoding="utf-8")
    text = "\n".join(st3.check_st3(bad, si.article_texts(articles)))
    assert f"{bad}:1: unknown technique(s) 'Made_Up'" in text
    assert f"{bad}:2: article 101 line 1 given twice" in text
    assert f"{bad}:3: expected" in text and f"{bad}:4: expected" in text
    assert "article 101: lines missing [3, 4]" in text
    assert "article 103: lines missing [1, 3]" in text
    assert st3.main([str(articles), "--check", str(bad)]) == 1


def test_st3_needs_an_output(articles: Path, capsys) -> None:
    assert st3.main([str(articles)]) == 2
    assert "give -o FILE" in capsys.readouterr().err
