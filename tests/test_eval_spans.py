"""Technique metrics on hand-computed cases (arithmetic in the comments)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from propscope import pipeline
from propscope.analyzers.base import Analyzer
from propscope.eval import techniques
from propscope.eval.spans import (
    labelled_span_scores,
    merge_overlapping,
    paragraph_scores,
    si_scores,
    spans_to_paragraphs,
    tc_scores,
    technique_span_scores,
)
from propscope.schema import TechniqueSpan


def close(a: float, b: float) -> bool:
    return a == pytest.approx(b, abs=1e-12)


# --- SI ----------------------------------------------------------------------------------------------------------


def test_merge_joins_overlaps_but_not_touching_spans() -> None:
    assert merge_overlapping([(4, 10), (0, 6), (12, 15), (15, 18), (20, 20)]) == [(0, 10), (12, 15), (15, 18)]
    assert merge_overlapping([(0, 10), (2, 3), (9, 12)]) == [(0, 12)]


def test_si_half_overlap() -> None:
    # gold 0-10, pred 5-15: |s∩t| = 5; P = 5/10, R = 5/10, F1 = 0.5
    s = si_scores([("a", 0, 10)], [("a", 5, 15)])
    assert (s.precision, s.recall, s.f1, s.predicted, s.gold) == (0.5, 0.5, 0.5, 1, 1)


def test_si_two_spans_partial_credit() -> None:
    # pred 0-5 vs gold 0-10: 5 chars -> P term 5/5 = 1, R term 5/10 = 0.5
    # pred 25-40 vs gold 20-30: 5 chars -> P term 5/15 = 1/3, R term 5/10 = 0.5
    # P = (1 + 1/3) / 2 = 2/3; R = (0.5 + 0.5) / 2 = 1/2; F1 = 2 * (2/3 * 1/2) / (2/3 + 1/2) = 4/7
    s = si_scores([("a", 0, 10), ("a", 20, 30)], [("a", 0, 5), ("a", 25, 40)])
    assert close(s.precision, 2 / 3) and close(s.recall, 0.5) and close(s.f1, 4 / 7)


def test_si_merges_overlapping_predictions_and_gold() -> None:
    # pred 0-6 and 4-10 merge to 0-10; gold 0-10 and 3-5 merge to 0-10: one span each, identical -> 1
    s = si_scores([("a", 0, 10), ("a", 3, 5)], [("a", 0, 6), ("a", 4, 10)])
    assert (s.f1, s.predicted, s.gold) == (1.0, 1, 1)


def test_si_touching_predictions_stay_two_spans() -> None:
    # pred 0-5 and 5-10 share no character: two spans. P = (5/5 + 5/5) / 2 = 1; R = (5/10 + 5/10) / 1 = 1
    s = si_scores([("a", 0, 10)], [("a", 0, 5), ("a", 5, 10)])
    assert (s.precision, s.recall, s.predicted) == (1.0, 1.0, 2)


def test_si_gold_document_without_predictions_counts_in_recall() -> None:
    # doc a: exact match (P term 1, R term 1); doc b: gold 0-4 never predicted
    # P = 1/1 = 1; R = 1/2; F1 = 2 * 0.5 / 1.5 = 2/3
    s = si_scores([("a", 0, 10), ("b", 0, 4)], [("a", 0, 10)])
    assert close(s.precision, 1.0) and close(s.recall, 0.5) and close(s.f1, 2 / 3)


def test_si_prediction_in_document_without_gold_costs_precision() -> None:
    # doc c has no gold: its span earns nothing. P = 1/2, R = 1/1, F1 = 2/3
    s = si_scores([("a", 0, 10)], [("a", 0, 10), ("c", 0, 3)])
    assert close(s.precision, 0.5) and close(s.recall, 1.0) and close(s.f1, 2 / 3)


def test_si_empty_cases() -> None:
    # official scorer: nothing predicted and nothing gold -> F1 = 1; only one side empty -> 0
    assert si_scores([], []).f1 == 1.0
    assert si_scores([("a", 0, 4)], []).f1 == 0.0
    assert si_scores([], [("a", 0, 4)]).f1 == 0.0


def test_si_ignores_labels() -> None:
    s = si_scores([("a", 0, 10, "Doubt")], [("a", 0, 10, "Slogans")])
    assert s.f1 == 1.0


def _reference_si(gold: list[tuple], pred: list[tuple]) -> tuple[float, float]:
    """The official definition done the slow way: spans as sets of character positions, merged by union."""

    def merged(spans: list[tuple]) -> dict[str, list[set[int]]]:
        out: dict[str, list[set[int]]] = {}
        for doc, start, end in spans:
            current = set(range(start, end))
            groups = out.setdefault(doc, [])
            for g in [g for g in groups if g & current]:
                groups.remove(g)
                current |= g
            groups.append(current)
        return out

    g, p = merged(gold), merged(pred)
    n_p, n_g = sum(map(len, p.values())), sum(map(len, g.values()))
    ps = sum(len(s & t) / len(s) for d in p for s in p[d] for t in g.get(d, []))
    rs = sum(len(s & t) / len(t) for d in p for s in p[d] for t in g.get(d, []))
    return ps / n_p if n_p else 0.0, rs / n_g if n_g else 0.0


def test_si_matches_set_based_definition_on_random_spans() -> None:
    rng = random.Random(7)

    def spans(n: int) -> list[tuple]:
        out = []
        for _ in range(n):
            start = rng.randrange(0, 200)
            out.append((rng.choice("xyz"), start, start + rng.randrange(1, 30)))
        return out

    for _ in range(50):
        gold, pred = spans(rng.randrange(0, 12)), spans(rng.randrange(1, 12))
        s = si_scores(gold, pred)
        p, r = _reference_si(gold, pred)
        assert close(s.precision, p) and close(s.recall, r)


# --- per technique -----------------------------------------------------------------------------------------------


def test_technique_span_scores_restrict_to_one_label() -> None:
    gold = [("a", 0, 10, "X"), ("a", 20, 30, "Y")]
    pred = [("a", 0, 10, "Y"), ("a", 20, 30, "Y")]
    per = technique_span_scores(gold, pred, labels=["X", "Y", "Z"])
    # X: gold 1, predicted 0 -> P = R = F1 = 0
    assert (per["X"].precision, per["X"].recall, per["X"].f1, per["X"].gold) == (0.0, 0.0, 0.0, 1)
    # Y: pred 0-10 overlaps no Y gold (0), pred 20-30 matches (1): P = 1/2, R = 1/1, F1 = 2/3
    assert close(per["Y"].precision, 0.5) and close(per["Y"].recall, 1.0) and close(per["Y"].f1, 2 / 3)
    # Z: absent on both sides -> F1 = 1 (official convention)
    assert per["Z"].f1 == 1.0
    # pooled over labels: P = (0 + 1) / 2, R = (0 + 1) / 2, F1 = 0.5; label-free SI would be perfect
    pooled = labelled_span_scores(gold, pred)
    assert (pooled.precision, pooled.recall, pooled.f1) == (0.5, 0.5, 0.5)
    assert si_scores(gold, pred).f1 == 1.0


def test_technique_span_scores_merge_within_label_only() -> None:
    # X 0-6 and X 4-10 merge to 0-10 (one span); the Y span 5-8 overlaps but belongs to another label
    per = technique_span_scores([("a", 0, 10, "X"), ("a", 5, 8, "Y")], [("a", 0, 6, "X"), ("a", 4, 10, "X")])
    assert (per["X"].f1, per["X"].predicted) == (1.0, 1)
    assert per["Y"].recall == 0.0


# --- TC ----------------------------------------------------------------------------------------------------------


def test_tc_micro_f1_and_per_label() -> None:
    gold = [("a", 0, 10, "X"), ("a", 20, 30, "Y"), ("a", 20, 30, "Z"), ("b", 0, 5, "X")]
    pred = [("b", 0, 5, "Y"), ("a", 20, 30, "W"), ("a", 20, 30, "Z"), ("a", 0, 10, "X")]
    micro, per = tc_scores(gold, pred)
    # right: a 0-10 X, and Z at a 20-30 (labels on one span are matched in any order) -> 2 of 4
    assert (micro.precision, micro.recall, micro.f1) == (0.5, 0.5, 0.5)
    # X: tp 1, predicted 1, gold 2 -> P 1, R 1/2, F1 = 2 * 1 / (2 + 0 + 1) = 2/3; Y: tp 0 -> 0
    assert close(per["X"].f1, 2 / 3) and per["Y"].f1 == 0.0 and per["Z"].f1 == 1.0


def test_tc_needs_the_gold_spans() -> None:
    with pytest.raises(ValueError, match="one prediction per gold span"):
        tc_scores([("a", 0, 10, "X")], [("a", 0, 11, "X")])


# --- paragraphs --------------------------------------------------------------------------------------------------


GOLD = {("a", 1): ["A", "B"], ("a", 3): [], ("b", 1): ["C"]}
PRED = {("a", 1): ["A"], ("a", 3): ["B"], ("b", 1): ["C"]}


def test_paragraph_micro_and_macro() -> None:
    s = paragraph_scores(GOLD, PRED)
    # tp: A@a1, C@b1 = 2; fp: B@a3 = 1; fn: B@a1 = 1 -> P = 2/3, R = 2/3, F1 = 4 / (4 + 1 + 1) = 2/3
    assert close(s.micro.precision, 2 / 3) and close(s.micro.recall, 2 / 3) and close(s.micro.f1, 2 / 3)
    # per label F1: A 1, B 0 (tp 0, fp 1, fn 1), C 1 -> macro over {A, B, C} = 2/3
    assert (s.per_label["A"].f1, s.per_label["B"].f1, s.per_label["C"].f1) == (1.0, 0.0, 1.0)
    assert close(s.macro_f1, 2 / 3)


def test_paragraph_macro_over_official_label_set() -> None:
    # D never occurs: F1 = 1 by zero_division=1, as the official scorer -> macro = (1 + 0 + 1 + 1) / 4
    s = paragraph_scores(GOLD, PRED, labels=["A", "B", "C", "D"])
    assert close(s.macro_f1, 0.75) and s.per_label["D"].f1 == 1.0


def test_paragraph_missing_prediction_is_empty() -> None:
    # only b1 predicted: tp 1 (C), fn 2 (A, B), fp 0 -> P = 1, R = 1/3, F1 = 2 / (2 + 0 + 2) = 0.5
    s = paragraph_scores(GOLD, {("b", 1): ["C"]})
    assert (s.micro.precision, s.micro.f1) == (1.0, 0.5) and close(s.micro.recall, 1 / 3)


def test_paragraph_rejects_unknown_paragraphs_and_labels() -> None:
    with pytest.raises(ValueError, match="not in gold"):
        paragraph_scores(GOLD, {("a", 2): ["A"]})
    with pytest.raises(ValueError, match="outside the label set"):
        paragraph_scores(GOLD, {("a", 1): ["Q"]}, labels=["A", "B", "C"])


def test_paragraph_nothing_anywhere_scores_one() -> None:
    s = paragraph_scores({("a", 1): []}, {("a", 1): []})
    assert (s.micro.f1, s.macro_f1) == (1.0, 1.0)


def test_spans_to_paragraphs() -> None:
    # text "ab\n\ncd ef\ngh": paragraphs 0-2, 4-9, 10-12
    paragraphs = [(0, 2), (4, 9), (10, 12)]
    spans = [(1, 5, "X"), (9, 10, "Y"), (8, 11, "Z"), (5, 6, "X")]
    # X 1-5 touches paragraphs 1 and 2; Y 9-10 is the newline only; Z 8-11 spans paragraphs 2 and 3
    assert spans_to_paragraphs(spans, paragraphs) == [["X"], ["X", "Z"], ["Z"]]


# --- propscope eval techniques -----------------------------------------------------------------------------------

# "The traitors won" 0-16, blank line, "everyone knows this" 18-37, "Calm line here" 38-52
TEXT_201 = "The traitors won\n\neveryone knows this\nCalm line here\n"


class Keywords(Analyzer):
    name = "techniques"
    adds = ("techniques",)

    def predict(self, doc, analysis):
        found = []
        for phrase, technique in (("traitors", "Name_Calling-Labeling"), ("everyone knows", "Appeal_to_Popularity")):
            start = doc.text.find(phrase)
            if start >= 0:
                found.append(TechniqueSpan(technique, start, start + len(phrase), phrase, 1.0))
        return {"techniques": found}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "data" / "semeval2023-task3" / "en"
    _write(root / "train-articles-subtask-3" / "article201.txt", TEXT_201)
    _write(root / "train-articles-subtask-3" / "article202.txt", "Nothing\n")
    _write(root / "train-labels-subtask-3.txt", "201\t1\tName_Calling-Labeling\n201\t3\t\n201\t4\tDoubt\n202\t1\t\n")
    _write(root / "train-labels-subtask-3-spans.txt", "201\tName_Calling-Labeling\t4\t12\n201\tDoubt\t38\t42\n")
    monkeypatch.setattr(pipeline, "load_analyzer", lambda name, options=None: Keywords())
    return tmp_path / "data"


def test_eval_techniques_report(data: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "report.json"
    assert techniques.main(["--data", str(data), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "not test numbers" in printed and "Appeal_to_Popularity" in printed
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["documents"] == 2
    # SI: predicted 4-12 (exact hit) and 18-32 (no gold); gold 4-12 (hit) and 38-42 (missed)
    # P = (1 + 0) / 2, R = (1 + 0) / 2, F1 = 0.5
    assert (report["si"]["precision"], report["si"]["recall"], report["si"]["f1"]) == (0.5, 0.5, 0.5)
    # with labels: the hit is also the right technique -> same 0.5 / 0.5
    assert report["labelled_spans"]["f1"] == 0.5
    par = report["paragraphs"]
    # paragraphs from spans: line 1 {Name_Calling} = gold; line 3 {Appeal_to_Popularity} vs {}; line 4 {} vs {Doubt}
    # tp 1, fp 1, fn 1 -> micro P = R = F1 = 0.5
    assert par["source"] == "spans" and par["paragraphs"] == 4
    assert (par["micro"]["precision"], par["micro"]["recall"], par["micro"]["f1"]) == (0.5, 0.5, 0.5)
    # official macro over 23 techniques: Name_Calling 1, Appeal_to_Popularity 0, Doubt 0, 20 absent ones 1 each
    assert close(par["macro_f1"], 21 / 23)
    # over the 2 labels in gold: (1 + 0) / 2
    assert par["macro_f1_gold_labels"] == 0.5 and par["gold_labels"] == 2
    assert report["spans_by_technique"]["Doubt"]["recall"] == 0.0


def test_eval_techniques_ids_restrict(data: Path, tmp_path: Path, capsys) -> None:
    ids = tmp_path / "fold.txt"
    ids.write_text("# held-out fold\narticle202.txt\n", encoding="utf-8")
    out = tmp_path / "report.json"
    assert techniques.main(["--data", str(data), "--ids", str(ids), "--json", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    # article 202 alone: no gold spans and none predicted -> SI F1 = 1 by the official convention
    assert report["documents"] == 1 and report["si"]["f1"] == 1.0 and report["paragraphs"]["paragraphs"] == 1


def test_eval_techniques_folds(data: Path, tmp_path: Path, capsys) -> None:
    folds = tmp_path / "folds.tsv"
    folds.write_text("201\t0\n202\t1\n", encoding="utf-8")
    out = tmp_path / "report.json"
    assert techniques.main(["--data", str(data), "--folds", str(folds), "--json", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["folds"]["0"]["si_f1"] == 0.5 and report["folds"]["1"]["documents"] == 1


def test_eval_techniques_bad_inputs_are_one_line(data: Path, tmp_path: Path, capsys) -> None:
    assert techniques.main(["--data", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "missing" in err[0] and "not found" in err[0]
    ids = tmp_path / "ids.txt"
    ids.write_text("999\n", encoding="utf-8")
    assert techniques.main(["--data", str(data), "--ids", str(ids)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(ids) in err[0] and "999" in err[0]
