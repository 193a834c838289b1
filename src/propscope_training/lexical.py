"""Training for the word-count heads (``propscope.models.lexical``): tf-idf rows from the run-time tokenizer,
one-vs-rest (or multinomial) logistic regressions, out-of-fold scores on the same folds as the embedding heads."""

from __future__ import annotations

import numpy as np

from propscope.models.lexical import LexicalHead
from propscope_training import doclabels as dl

MAX_TERMS = 20_000  # narratives, nested CV coarse F1 at C 16: 20k terms (share 0.6) .573, 40k (share 0.7) .573


def vectorizer(max_terms: int = MAX_TERMS):
    from sklearn.feature_extraction.text import TfidfVectorizer

    # words come already split (``propscope.models.lexical.words_of``), so the run-time tokenizer is the training one
    return TfidfVectorizer(
        analyzer=_given, sublinear_tf=True, min_df=2, max_df=0.5, max_features=max_terms, dtype=np.float32
    )


def _given(words: list[str]) -> list[str]:
    return words


def fit_lexical(
    rows: list[list[str]],
    y: np.ndarray,
    c: float,
    classes: int = 0,
    balanced: bool = False,
    max_terms: int = MAX_TERMS,
) -> LexicalHead:
    """A head on ``rows`` (word lists): multilabel (classes balanced) for ``y`` (n, k) of 0/1; with ``classes``, a
    softmax over that many classes for ``y`` (n,) of class indices, ``balanced`` or not."""
    vec = vectorizer(max_terms)
    x = vec.fit_transform(rows)
    terms = [""] * len(vec.vocabulary_)
    for term, i in vec.vocabulary_.items():
        terms[i] = term
    w, b = _fit_softmax(x, y, c, classes, balanced) if classes else dl.fit_ovr(x, y, c)
    return LexicalHead(terms, vec.idf_.astype(np.float32), w, b, "multiclass" if classes else "multilabel")


def _fit_softmax(x, y: np.ndarray, c: float, k: int, balanced: bool) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, class_weight="balanced" if balanced else None, max_iter=3000).fit(x, y)
    w = np.zeros((x.shape[1], k), dtype=np.float32)
    b = np.full(k, -30.0, dtype=np.float32)  # a class never seen in training is never predicted
    w[:, model.classes_] = model.coef_.T
    b[model.classes_] = model.intercept_
    return w, b


def oof_lexical(rows: list[list[str]], y: np.ndarray, c: float) -> np.ndarray:
    """Out-of-fold multilabel scores on ``dl.folds``: the vocabulary too is fitted without the held-out fold."""
    scores = np.zeros(y.shape, dtype=np.float32)
    for test in dl.folds(len(rows)):
        train = np.setdiff1d(np.arange(len(rows)), test)
        head = fit_lexical([rows[i] for i in train], y[train], c)
        scores[test] = head.score_rows([rows[i] for i in test])
    return scores
