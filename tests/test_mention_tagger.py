"""The actor-mention tagger (Hindi, Portuguese, Bulgarian): words, decoding, loading, and how the entities analyzer
uses it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from propscope.analyzers.mentions import actors, find_mentions
from propscope.models.lexical import LexicalError, LexicalHead, save_lexical
from propscope.models.mention_tagger import (
    BEGIN,
    INSIDE,
    OUTSIDE,
    MentionTagger,
    decode,
    load_tagger,
    shipped_tagger,
    text_features,
    words,
)
from propscope_training.mention_tagger import word_labels

HINDI = "रूस ने कहा कि यूक्रेन पर हमले जारी रहेंगे। व्लादिमीर पुतिन ने पश्चिम को चेतावनी दी। रूस का कहना है कि पश्चिम युद्ध चाहता है।"


def test_words_keep_devanagari_vowel_signs_and_point_into_the_text():
    ws = words(HINDI)
    assert [w.form for w in ws[:4]] == ["रूस", "ने", "कहा", "कि"]
    assert all(HINDI[w.start : w.end].lower() == w.form for w in ws)
    assert [w.form for w in words("Vladimir PUTIN, 2024")] == ["vladimir", "putin", "2024"]


def test_features_name_the_word_its_neighbours_and_its_count():
    ws, feats = text_features(HINDI)
    first = feats[0]
    assert "w=रूस" in first and "p1=<s>" in first and "n1=ने" in first and "df=2" in first and "lead" in first


def probs(*rows: tuple[float, float, float]) -> np.ndarray:
    return np.array(rows, dtype=np.float32)


def test_decode_joins_inside_words_and_splits_at_a_new_begin():
    text = "f g h j k"
    p = probs((0.1, 0.8, 0.1), (0.2, 0.1, 0.7), (0.9, 0.05, 0.05), (0.1, 0.8, 0.1), (0.1, 0.6, 0.3))
    spans = decode(text, words(text), p, threshold=0.5)
    assert [(s, e) for s, e, _ in spans] == [(0, 3), (6, 7), (8, 9)]
    assert spans[0][2] == pytest.approx(0.9)
    assert decode(text, words(text), p, threshold=0.95) == []


def test_decode_joins_over_spaces_and_hyphens_only():
    text = "Ana Li. Bo\nCe-Do, Ed - Fa"
    p = probs(*[(0.1, 0.2, 0.7)] * 7)
    found = [text[s:e] for s, e, _ in decode(text, words(text), p, 0.5)]
    assert found == ["Ana Li", "Bo", "Ce-Do", "Ed", "Fa"]


def test_decode_bridges_a_short_lower_case_word_inside_a_name():
    text = "Lula da Silva e Lula, da Silva"
    name, connector, inside = (0.4, 0.5, 0.1), (0.99, 0.0, 0.01), (0.4, 0.2, 0.4)
    p = probs(name, connector, inside, (0.99, 0.01, 0.0), name, connector, inside)
    found = [text[s:e] for s, e, _ in decode(text, words(text), p, 0.5)]
    assert found == ["Lula da Silva", "Lula", "Silva"]  # not over the comma


def test_decode_takes_a_particle_and_a_capitalised_word_into_the_name():
    text = "Ursula von der Leyen e a Coreia do Norte e Rússia e Coreia"
    on, off = (0.4, 0.5, 0.1), (0.99, 0.005, 0.005)
    flags = [on, off, off, on, off, off, on, off, off, off, on, off, on]
    found = [text[s:e] for s, e, _ in decode(text, words(text), probs(*flags), 0.5)]
    assert found == ["Ursula von der Leyen", "Coreia do Norte", "Rússia", "Coreia"]


def test_decode_leaves_a_closing_hindi_postposition_out():
    text = "पश्चिम के देश और रूस"
    p = probs((0.1, 0.8, 0.1), (0.2, 0.1, 0.7), (0.9, 0.05, 0.05), (0.9, 0.05, 0.05), (0.1, 0.8, 0.1))
    assert [text[s:e] for s, e, _ in decode(text, words(text), p, 0.5)] == ["पश्चिम", "रूस"]


def test_decode_leaves_function_words_out_at_either_end():
    text = "dos Estados Unidos e Kiev"
    on = (0.1, 0.8, 0.1)
    inside = (0.2, 0.1, 0.7)
    p = probs(on, inside, inside, inside, (0.1, 0.8, 0.1))
    assert [text[s:e] for s, e, _ in decode(text, words(text), p, 0.5)] == ["Estados Unidos", "Kiev"]
    bulgarian = "на НАТО на"
    p = probs(on, inside, inside)
    assert [bulgarian[s:e] for s, e, _ in decode(bulgarian, words(bulgarian), p, 0.5)] == ["НАТО"]
    alone = "da e Kiev"
    p = probs(on, inside, on)
    assert [alone[s:e] for s, e, _ in decode(alone, words(alone), p, 0.5)] == ["Kiev"]  # "da e" alone is no name


def test_decode_drops_a_month_alone():
    text = "Lisboa, 12 de março. Março Silva"
    on = (0.1, 0.8, 0.1)
    p = probs(on, (0.99, 0.0, 0.01), (0.99, 0.0, 0.01), on, on, (0.2, 0.1, 0.7))
    assert [text[s:e] for s, e, _ in decode(text, words(text), p, 0.5)] == ["Lisboa", "Março Silva"]


def test_word_labels_mark_the_first_word_of_each_span():
    ws = words("Vladimir Putin met Xi Jinping today")
    labels = word_labels(ws, [(0, 14), (19, 28)])
    assert labels.tolist() == [BEGIN, INSIDE, OUTSIDE, BEGIN, INSIDE, OUTSIDE]


def tiny_tagger(folder: Path, classes: int = 3) -> None:
    """A tagger that knows three words, "रूस", "व्लादिमीर" and "पुतिन", each the start of a mention."""
    terms = ["w=रूस", "w=पुतिन", "w=व्लादिमीर"]
    weights = np.zeros((3, classes), np.float32)
    weights[0, BEGIN] = weights[1, BEGIN] = weights[2, BEGIN] = 12.0
    bias = np.zeros(classes, np.float32)
    bias[OUTSIDE] = 4.0
    head = LexicalHead(terms, np.ones(3, np.float32), weights, bias, "multiclass")
    save_lexical(head, folder / "hi.npz")
    config = {"version": "test", "languages": {"hi": {"file": "hi.npz", "threshold": 0.5}}}
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")


def test_a_tagger_finds_the_words_it_was_given(tmp_path):
    tiny_tagger(tmp_path)
    tagger = load_tagger(tmp_path, "hi")
    assert isinstance(tagger, MentionTagger) and load_tagger(tmp_path, "bg") is None
    found = [HINDI[s:e] for s, e, _ in tagger.mentions(HINDI)]
    # each known word is a B, so the full name comes out as two mentions
    assert found == ["रूस", "व्लादिमीर", "पुतिन", "रूस"]
    assert load_tagger(tmp_path / "nowhere", "hi") is None


def test_a_tagger_of_the_wrong_shape_is_refused(tmp_path):
    tiny_tagger(tmp_path, classes=2)
    with pytest.raises(LexicalError, match="three-class"):
        load_tagger(tmp_path, "hi")


def test_hindi_actors_come_from_the_shipped_tagger():
    assert shipped_tagger("hi") is not None and shipped_tagger("de") is None
    names = [HINDI[m.start : m.end] for m in find_mentions(HINDI, "hi")]
    assert "रूस" in names
    russia = [c for c in actors(HINDI, "hi") if c.name == "रूस"]
    assert len(russia) == 1 and len(russia[0].mentions) == 2  # both mentions, one actor
    assert all(0 < m.weight < 1 for m in russia[0].mentions)  # ranked by the tagger's confidence


def test_languages_without_a_tagger_keep_capitalised_runs():
    text = "Ayer el Presidente Lula habló con Vladimir Putin sobre la guerra."
    assert {m.text for m in find_mentions(text, "es")} == {"Presidente Lula", "Vladimir Putin"}
