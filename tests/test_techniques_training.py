"""Model selection for the techniques tagger: the scores it tunes on and the threshold search (no torch needed)."""

import numpy as np
import pytest

from propscope.models.tagger import Encoded
from propscope.schema import Document, Span
from propscope_training import span_scores as sc
from propscope_training.technique_tuning import Evaluator, ParagraphScores, tune, tune_paragraphs
from propscope_training.techniques import folds_of, label_set, main


def test_si_f1_gives_partial_credit_and_merges_overlaps():
    gold = [[("A", 0, 10), ("B", 5, 10)]]  # merged into one gold span 0..10
    pred = [[("X", 0, 5)]]
    m = sc.si_f1(pred, gold)
    assert m["precision"] == pytest.approx(1.0)
    assert m["recall"] == pytest.approx(0.5)
    assert m["f1"] == pytest.approx(2 / 3)
    assert sc.si_f1([[]], gold)["f1"] == 0.0


def test_paragraph_f1_counts_labels_of_overlapping_spans():
    paras = [(0, 10), (11, 20)]
    pred = sc.paragraph_labels(paras, [("A", 8, 12), ("B", 15, 16)])
    assert pred == [{"A"}, {"A", "B"}]
    m = sc.paragraph_f1(pred, [{"A"}, {"B"}])
    assert (m["precision"], m["recall"]) == (pytest.approx(2 / 3), 1.0)


def test_flagged_share():
    assert sc.flagged_share(100, [("A", 0, 30), ("B", 20, 40)]) == pytest.approx(0.4)


def _doc(i: int) -> tuple[Document, Encoded, np.ndarray]:
    """Ten 'words' of 3 characters; words 2-3 are gold A. Probabilities are high there and 0.4 elsewhere,
    so a threshold above 0.4 and at most the gold score is right."""
    text = " ".join(f"w{j:02d}" for j in range(10))
    offsets = np.array([[4 * j, 4 * j + 3] for j in range(10)])
    doc = Document(id=str(i), text=text, language="en", spans={"gold:techniques": [Span(8, 15, "A")]})
    doc.meta["gold"] = {"paragraphs": [{"line": 1, "start": 0, "end": len(text), "techniques": ["A"]}]}
    probs = np.full((10, 1), 0.4, dtype=np.float32)
    probs[2:4, 0] = 0.7
    return doc, Encoded(np.arange(10), offsets), probs


def test_threshold_search_finds_the_separating_threshold():
    docs, encs, probs = zip(*[_doc(i) for i in range(4)], strict=True)
    ev = Evaluator(list(docs), list(encs), list(probs), ["A"], gap=0)
    (thr,) = tune(ev)
    assert 0.4 < thr <= 0.7
    m = ev.score([thr])
    assert m["si_f1"] == pytest.approx(1.0) and m["para_micro_f1"] == pytest.approx(1.0)
    assert ev.score([0.3])["si_f1"] < 1.0


def test_grow_lets_tuning_recover_the_weaker_edges_of_a_span():
    """Gold A is words 2-4; the model is sure of word 3 only (0.8), less of its neighbours (0.55), and just as
    unsure of word 7, which is not gold: one threshold cannot keep the edges without word 7."""
    docs, encs, probs = [], [], []
    for i in range(4):
        doc, enc, p = _doc(i)
        doc.spans["gold:techniques"] = [Span(8, 19, "A")]
        p[:, 0] = 0.2
        p[2:5, 0] = [0.55, 0.8, 0.55]
        p[7, 0] = 0.55
        docs.append(doc), encs.append(enc), probs.append(p)
    plain = Evaluator(docs, encs, probs, ["A"], gap=0)
    grown = Evaluator(docs, encs, probs, ["A"], gap=0, grow=0.6)
    assert grown.score(tune(grown))["si_f1"] == pytest.approx(1.0)
    assert max(plain.score([t])["si_f1"] for t in (0.5, 0.6, 0.8)) < 0.9


def test_paragraph_thresholds_separate_gold_paragraphs_from_the_rest():
    """Two one-line articles: gold A where the best token is 0.7, none where it is 0.45."""
    docs, encs, probs = [], [], []
    for i, (best, label) in enumerate([(0.7, ["A"]), (0.45, [])] * 3):
        doc, enc, p = _doc(i)
        p[2:4, 0] = best
        doc.meta["gold"]["paragraphs"][0]["techniques"] = label
        docs.append(doc), encs.append(enc), probs.append(p)
    ps = ParagraphScores(docs, encs, probs, ["A"])
    (thr,) = tune_paragraphs(ps)
    assert 0.45 < thr <= 0.7
    assert ps.score([thr])["para_micro_f1"] == pytest.approx(1.0)
    assert ps.score([0.4])["para_precision"] == pytest.approx(0.5)


def test_gold_labels_the_model_lacks_count_as_missed():
    doc, enc, p = _doc(0)
    doc.meta["gold"]["paragraphs"][0]["techniques"] = ["A", "Z"]
    m = ParagraphScores([doc], [enc], [p], ["A"]).score([0.5])
    assert (m["para_precision"], m["para_recall"]) == (1.0, 0.5)


def test_folds_are_by_article_and_balanced():
    docs = [Document(id=str(i), text="x") for i in range(10)]
    fold = folds_of(docs, 5, seed=1)
    assert sorted(np.bincount(fold).tolist()) == [2, 2, 2, 2, 2]
    assert (fold == folds_of(docs, 5, seed=1)).all()


def test_label_set_follows_taxonomy_order():
    doc = Document(
        id="1", text="x" * 20, spans={"gold:techniques": [Span(0, 2, "Loaded_Language"), Span(3, 5, "Doubt")]}
    )
    assert label_set([doc]) == ["Doubt", "Loaded_Language"]


def test_missing_data_folder_is_one_clear_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--data", str(tmp_path / "nope"), "--out", str(tmp_path / "out"), "--stages", "tune"])
    assert "semeval2023-task3/en not found" in str(exc.value)
