"""Narratives: taxonomy, decoding, evidence, samples-F1 and the SemEval writer, on hand-made fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from propscope.analyzers.narratives import (
    Decision,
    NarrativesAnalyzer,
    decode,
    evidence,
    needed_scores,
    ranked,
    semeval_labels,
)
from propscope.eval.narratives import sample_f1, samples_f1
from propscope.models.embedder import DocEmbedding
from propscope.models.heads import BlendedHead, Head, save_head
from propscope.models.lexical import LexicalHead, save_lexical
from propscope.schema import Analysis, Document
from propscope.semeval import narratives as semeval_narratives
from propscope.taxonomy import describe
from propscope.taxonomy.narratives import (
    narrative_labels,
    parent_of,
    split_subnarrative,
    subnarrative_labels,
)
from test_doclabels import KEYWORDS, fake_backend  # noqa: F401 - the fixture is used by name

UA = "URW: Discrediting Ukraine"
UA_MIL = "URW: Discrediting Ukraine: Discrediting Ukrainian military"
UA_OTHER = "URW: Discrediting Ukraine: Other"
FEAR = "URW: Amplifying war-related fears"
CC_FEAR = "CC: Amplifying Climate Fears"


def head(labels: list[str], threshold: float = 0.5) -> Head:
    k = len(labels)
    return Head(labels, np.zeros((1, k), np.float32), np.zeros(k, np.float32), thresholds=np.full(k, threshold))


# --- taxonomy ----------------------------------------------------------------------------------------------------


def test_taxonomy_sizes_and_label_forms():
    narratives = narrative_labels()
    assert len([n for n in narratives if n.startswith("URW: ")]) == 11
    assert len([n for n in narratives if n.startswith("CC: ")]) == 10
    subs = subnarrative_labels()
    assert UA_MIL in subs and UA_OTHER in subs
    assert all(parent_of(s) in narratives for s in subs)
    assert split_subnarrative(UA_MIL) == (UA, "Discrediting Ukrainian military")


def test_every_narrative_has_a_definition():
    for label in narrative_labels():
        info = describe("narratives", label)
        assert info.definition and info.name == label.split(": ", 1)[1]
    assert describe("subnarratives", UA_MIL).name == "Discrediting Ukrainian military"
    assert describe("narratives", "URW: Not a narrative").definition == ""


# --- decoding ----------------------------------------------------------------------------------------------------


def test_decode_keeps_subnarratives_under_active_parents():
    narr = head([UA, FEAR, CC_FEAR])
    sub = head([UA_MIL, UA_OTHER, "URW: Amplifying war-related fears: By continuing the war we risk WWIII"])
    decisions = decode(narr, np.array([0.9, 0.2, 0.1]), sub, np.array([0.8, 0.9, 0.95]))
    # the WWIII subnarrative scores high but its narrative is off; "Other" subnarratives are never named
    assert decisions == [Decision(UA, UA_MIL, pytest.approx(0.8))]


def test_decode_without_children_gives_a_bare_narrative():
    decisions = decode(head([UA, FEAR]), np.array([0.6, 0.7]), head([UA_MIL]), np.array([0.1]))
    assert [(d.narrative, d.subnarrative) for d in decisions] == [(FEAR, None), (UA, None)]


def test_single_domain_drops_the_weaker_domain():
    narr = head([UA, CC_FEAR])
    scores = np.array([0.9, 0.6])
    assert [d.narrative for d in decode(narr, scores, head([UA_MIL]), np.zeros(1))] == [UA]
    both = decode(narr, scores, head([UA_MIL]), np.zeros(1), single_domain=False)
    assert [d.narrative for d in both] == [UA, CC_FEAR]


def test_explicit_thresholds_override_the_heads():
    narr, sub = head([UA]), head([UA_MIL])
    assert decode(narr, np.array([0.4]), sub, np.array([0.9])) == []
    decisions = decode(narr, np.array([0.4]), sub, np.array([0.9]), thresholds=(0.3, 0.95))
    assert [(d.narrative, d.subnarrative) for d in decisions] == [(UA, None)]


def test_needed_scores_take_the_relative_floor_where_it_is_higher():
    scores = np.array([0.8, 0.3, 0.1])
    assert needed_scores(scores, np.array([0.2, 0.2, 0.5]), relative=0.5) == pytest.approx([0.4, 0.4, 0.5])
    assert needed_scores(scores, 0.25) == pytest.approx([0.25, 0.25, 0.25])


def test_ranked_lists_the_best_first_with_what_each_needed():
    out = ranked([UA, FEAR, CC_FEAR], np.array([0.2, 0.7, 0.35]), np.array([0.4, 0.5, 0.6]), k=2)
    assert [(n.narrative, n.score, n.threshold) for n in out] == [(FEAR, 0.7, 0.5), (CC_FEAR, 0.35, 0.6)]


def test_analyzer_scores_narratives_it_does_not_keep(tmp_path, fake_backend):  # noqa: F811
    keyword_heads(tmp_path, by_language={"ru": [0.99, 0.99]})
    text = "War and money. Money and war."
    ru, bg = Document("ru", text, language="ru"), Document("bg", text, language="bg")
    out = NarrativesAnalyzer(str(tmp_path)).predict_batch([ru, bg], [Analysis(ru), Analysis(bg)])
    (ru_best, ru_next), (bg_best, _) = out[0]["narrative_scores"], out[1]["narrative_scores"]
    assert out[0]["narratives"] == [] and ru_best.narrative == UA and ru_best.threshold == 0.99
    assert ru_best.score == bg_best.score > 0.5 > ru_next.score and bg_best.threshold == 0.5
    assert [n.narrative for n in out[1]["narratives"]] == [UA]


def test_analyzer_uses_thresholds_of_the_documents_language(tmp_path, fake_backend):  # noqa: F811
    keyword_heads(tmp_path, by_language={"ru": [0.99, 0.99]})
    analyzer = NarrativesAnalyzer(str(tmp_path))
    text = "War and money. Money and war."
    ru, bg = Document("ru", text, language="ru"), Document("bg", text, language="bg")
    out = analyzer.predict_batch([ru, bg], [Analysis(ru), Analysis(bg)])
    assert out[0]["narratives"] == [] and [n.narrative for n in out[1]["narratives"]] == [UA]


def test_semeval_language_from_file_name():
    assert semeval_narratives.language_of("EN_UA_300009.txt") == "en"
    assert semeval_narratives.language_of("RU-URW-1001.txt") == "ru"
    assert semeval_narratives.language_of("article1.txt") is None


def test_semeval_labels_use_other():
    assert semeval_labels([]) == (["Other"], ["Other"])
    labels = semeval_labels([Decision(UA, UA_MIL, 0.8), Decision(FEAR, None, 0.6)])
    assert labels == ([UA, FEAR], [UA_MIL, "URW: Amplifying war-related fears: Other"])


def test_evidence_is_the_top_units_in_text_order():
    emb = DocEmbedding([(0, 5), (6, 10), (11, 20)], np.array([[0.1, 0], [0.9, 0], [0.5, 0]], np.float32))
    w = np.array([[1.0], [0.0], [1.0], [0.0]], np.float32)
    h = BlendedHead(Head(["x"], w, np.zeros(1, np.float32)))
    spans = evidence(h.unit_scores(emb, "", None), 0, emb, k=2)
    assert [(s.start, s.end) for s in spans] == [(6, 10), (11, 20)]
    # a credit line (here the best unit) is passed over while other units are left, and used when none is
    scores = h.unit_scores(emb, "", None)
    assert [(s.start, s.end) for s in evidence(scores, 0, emb, k=2, skip=[(7, 9)])] == [(0, 5), (11, 20)]
    assert [(s.start, s.end) for s in evidence(scores, 0, emb, k=1, skip=[(0, 20)])] == [(6, 10)]
    empty = DocEmbedding([], np.zeros((0, 2), np.float32))
    assert evidence(np.zeros((0, 1)), 0, empty) == []


def sanctions_words() -> LexicalHead:
    """A word-count head for [UA, CC_FEAR] that knows one word: "sanctions" raises UA."""
    return LexicalHead(["sanctions"], np.ones(1, np.float32), np.array([[12.0, 0.0]], np.float32), np.full(2, -6.0))


def test_word_scores_blend_into_the_score_and_the_evidence():
    emb = DocEmbedding([(0, 11), (12, 26)], np.zeros((2, 2), np.float32))
    text = "Calm today. New sanctions."
    h = BlendedHead(Head([UA, CC_FEAR], np.zeros((4, 2), np.float32), np.zeros(2, np.float32)), sanctions_words(), 0.6)
    # embedding head: 0.5 for both; word head: sigmoid(12 * 1 - 6) for UA, sigmoid(-6) for CC_FEAR
    expected_ua = 0.4 * 0.5 + 0.6 / (1 + np.exp(-6.0))
    assert h.scores(emb, text, "en") == pytest.approx([expected_ua, 0.4 * 0.5 + 0.6 / (1 + np.exp(6.0))], abs=1e-6)
    spans = evidence(h.unit_scores(emb, text, "en"), 0, emb, k=1)
    assert [text[o.start : o.end] for o in spans] == ["New sanctions."]


def test_analyzer_reads_the_word_heads_named_by_the_embedding_heads(tmp_path, fake_backend):  # noqa: F811
    keyword_heads(tmp_path)
    text = "Nothing of the kind. New sanctions."
    doc = Document("d", text)
    assert NarrativesAnalyzer(str(tmp_path)).predict(doc, Analysis(doc))["narratives"] == []
    save_lexical(sanctions_words(), tmp_path / "narratives-words.npz")
    meta = tmp_path / "narratives.json"
    info = json.loads(meta.read_text(encoding="utf-8"))
    meta.write_text(json.dumps({**info, "words": {"file": "narratives-words.npz", "weight": 0.6}}), encoding="utf-8")
    narratives = NarrativesAnalyzer(str(tmp_path)).predict(doc, Analysis(doc))["narratives"]
    assert [n.narrative for n in narratives] == [UA]
    assert [text[o.start : o.end] for o in narratives[0].evidence][-1] == "New sanctions."
    (tmp_path / "narratives-words.npz").unlink()
    with pytest.raises(ValueError, match="narratives-words.npz"):
        NarrativesAnalyzer(str(tmp_path)).predict(doc, Analysis(doc))


# --- samples-F1, checked by hand ---------------------------------------------------------------------------------


def test_samples_f1_by_hand():
    gold = [["A", "B"], ["Other"], ["C"]]
    pred = [["A"], ["Other"], ["D", "E"]]
    # doc1: 2*1/(2+1) = 2/3; doc2: 1; doc3: 0
    assert samples_f1(gold, pred) == pytest.approx((2 / 3 + 1 + 0) / 3)
    assert sample_f1([], []) == 1.0
    with pytest.raises(ValueError):
        samples_f1([["A"]], [])


# --- analyzer and SemEval writer on keyword heads -------------------------------------------------------------


def keyword_heads(folder: Path, by_language: dict | None = None) -> None:
    """narrative UA fires on "war", its military subnarrative on "money" (a stand-in for real features)."""
    d = len(KEYWORDS)
    for name, labels, column in (("narratives", [UA, CC_FEAR], [0, 1]), ("subnarratives", [UA_MIL], [3])):
        w = np.zeros((2 * d, len(labels)), np.float32)
        for j, c in enumerate(column):
            w[c, j] = w[d + c, j] = 6.0
        info = {"backend": "fake", "threshold": 0.5, "version": "test-1", "thresholds_by_language": by_language or {}}
        save_head(Head(labels, w, np.full(len(labels), -6.5, np.float32), info=info), folder, name)


def test_analyzer_gives_narratives_with_evidence(tmp_path, fake_backend):  # noqa: F811
    keyword_heads(tmp_path)
    text = "Nothing here.\nThe war goes on. War and money again. Money and war."
    doc = Document("d", text)
    narratives = NarrativesAnalyzer(str(tmp_path)).predict(doc, Analysis(doc))["narratives"]
    assert [(n.narrative, n.subnarrative) for n in narratives] == [(UA, "Discrediting Ukrainian military")]
    quotes = [text[o.start : o.end] for o in narratives[0].evidence]
    assert len(quotes) == 2 and "War and money again." in quotes and "Nothing here." not in quotes


def test_a_channel_call_is_never_evidence(tmp_path, fake_backend):  # noqa: F811
    keyword_heads(tmp_path)
    text = "The war goes on. War and money again.\n\nFollow our Telegram channel for the truth about the war: t.me/war"
    doc = Document("d", text)
    (found,) = NarrativesAnalyzer(str(tmp_path)).predict(doc, Analysis(doc))["narratives"]
    quotes = [text[o.start : o.end] for o in found.evidence]
    assert quotes == ["The war goes on.", "War and money again."]


def test_semeval_writer_writes_one_row_per_file(tmp_path, fake_backend):  # noqa: F811
    models = tmp_path / "models"
    keyword_heads(models)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "EN_1.txt").write_text("War and money. Money and war.", encoding="utf-8")
    (docs / "EN_2.txt").write_text("A quiet day.", encoding="utf-8")
    out = tmp_path / "pred.txt"
    assert semeval_narratives.main([str(docs), "-o", str(out), "--model-dir", str(models)]) == 0
    assert out.read_text(encoding="utf-8").splitlines() == [f"EN_1.txt\t{UA}\t{UA_MIL}", "EN_2.txt\tOther\tOther"]


def test_semeval_writer_bad_input_is_one_line(tmp_path, capsys):
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00bad")
    assert semeval_narratives.main([str(tmp_path), "-o", str(tmp_path / "o.txt")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.txt" in err[0]
    assert semeval_narratives.main([str(tmp_path / "missing"), "-o", str(tmp_path / "o.txt")]) == 2


def test_eval_without_data_is_one_line(tmp_path, capsys):
    from propscope.eval import narratives

    assert narratives.main(["--data", str(tmp_path / "none")]) == 2
    assert "data folder not found" in capsys.readouterr().err


@pytest.mark.parametrize("task", ["narratives", "genre", "frames", "paragraph_techniques"])
def test_training_without_data_is_one_line(tmp_path, task):
    module = pytest.importorskip(f"propscope_training.{task}")
    with pytest.raises(SystemExit) as exit_info:
        module.main(["--data", str(tmp_path / "none"), "--no-export"])
    assert "data folder not found" in str(exit_info.value.code) and "\n" not in str(exit_info.value.code)


def test_shipped_model_labels_are_in_the_taxonomy():
    analyzer = NarrativesAnalyzer()
    assert set(analyzer.narr.labels) <= set(narrative_labels())
    assert set(analyzer.sub.labels) <= set(subnarrative_labels())
