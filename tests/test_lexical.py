"""Word-count heads: tokenizer, tf-idf rows, file round trip, and that run-time rows are the training rows."""

from __future__ import annotations

import numpy as np
import pytest

from propscope.models.lexical import LexicalError, LexicalHead, load_lexical, save_lexical, tokens, words_of


def test_tokens_are_lowercased_words_of_two_or_more_characters():
    assert tokens("NATO's «Санкции» a 2024 x-ray") == ["nato", "санкции", "2024", "ray"]
    assert words_of("Sanctions!", "RU") == ["__lang_ru", "sanctions"]
    assert words_of("", None) == ["__lang_xx"]
    assert tokens("हमला हुआ।") == ["हमला", "हुआ"]  # vowel signs stay in the word, the danda goes
    assert tokens("Ucra\u0302nia") == ["ucrânia"]


def test_features_are_sublinear_tfidf_normalised():
    head = LexicalHead(["a1", "b2"], np.array([1.0, 2.0], np.float32), np.zeros((2, 1), np.float32), np.zeros(1))
    cols, values = head.features(["a1", "a1", "b2", "unknown"])
    raw = dict(zip(cols.tolist(), [(1 + np.log(2)) * 1.0, 2.0], strict=True))
    norm = np.sqrt(sum(v * v for v in raw.values()))
    got = dict(zip(cols.tolist(), values.tolist(), strict=True))
    assert got == pytest.approx({c: v / norm for c, v in raw.items()})
    assert head.features(["unknown"])[0].size == 0
    assert head.scores([]) == pytest.approx([0.5])


def test_round_trip_keeps_scores(tmp_path):
    rng = np.random.default_rng(0)
    head = LexicalHead(["x1", "y2", "z3"], np.ones(3, np.float32), rng.normal(size=(3, 4)), rng.normal(size=4))
    save_lexical(head, tmp_path / "h.npz")
    again = load_lexical(tmp_path / "h.npz")
    assert again.terms == head.terms and again.kind == "multilabel"
    words = ["x1", "z3", "z3"]
    assert again.scores(words) == pytest.approx(head.scores(words), abs=1e-3)


def test_missing_or_broken_file_names_the_file(tmp_path):
    with pytest.raises(LexicalError, match="nope.npz"):
        load_lexical(tmp_path / "nope.npz")
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(LexicalError, match="bad.npz"):
        load_lexical(tmp_path / "bad.npz")
    with pytest.raises(LexicalError):
        LexicalHead(["a"], np.ones(2, np.float32), np.zeros((1, 1)), np.zeros(1))


def test_run_time_rows_and_scores_are_the_training_ones():
    pytest.importorskip("sklearn")
    from propscope_training import lexical

    texts = ["war and sanctions", "sanctions hurt the west", "climate and sanctions", "war war war", "the climate"]
    rows = [words_of(t, "en") for t in texts]
    y = np.array([[1, 0], [1, 0], [0, 1], [1, 0], [0, 1]])
    head = lexical.fit_lexical(rows, y, c=4.0)
    vec = lexical.vectorizer()
    matrix = vec.fit_transform(rows).toarray()
    for r, row in enumerate(rows):
        cols, values = head.features(row)
        dense = np.zeros(len(head.terms), np.float32)
        dense[cols] = values
        order = [vec.vocabulary_[t] for t in head.terms]
        assert dense == pytest.approx(matrix[r, order], abs=1e-6)
    assert head.scores(rows[2])[1] > 0.5 > head.scores(rows[3])[1]
