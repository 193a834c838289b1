"""Word-count heads: logistic regressions over a tf-idf bag of words, in numpy.

They sit next to the heads on sentence embeddings and see what those average away: the exact words. Narratives
are told apart by their vocabulary (among the heaviest words: "nato", "kiev", "zelensky", "hoax", "co2"), and in
cross-validation a blend of the two kinds of score beat either alone. The training code gives scikit-learn's
``TfidfVectorizer`` the lists that ``words_of`` makes, so the run-time features are the training features by
construction.

A head is ``NAME.npz``: ``terms`` (V,), ``idf`` (V,), ``weights`` (V, k), ``bias`` (k,), ``kind``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

# word characters, and the Devanagari vowel signs and marks that ``\w`` leaves out (they would cut Hindi words apart)
WORD_CHAR = r"[\w\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963]"
_WORD = re.compile(WORD_CHAR + "{2,}")


def tokens(text: str) -> list[str]:
    """Lower-cased runs of two or more word characters (NFC first, so an accent typed apart joins its letter)."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def words_of(text: str, language: str | None) -> list[str]:
    """What a head reads: a pseudo-word naming the language (so each language keeps its own label priors), then
    the text's words."""
    return [f"__lang_{(language or 'xx').lower()}", *tokens(text)]


class LexicalError(ValueError):
    """A word-count head file that is missing or does not fit together."""


@dataclass(slots=True)
class LexicalHead:
    terms: list[str]
    idf: np.ndarray  # (V,)
    weights: np.ndarray  # (V, k)
    bias: np.ndarray  # (k,)
    kind: str = "multilabel"  # sigmoid per label; "multiclass": softmax
    _index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        v, k = len(self.terms), len(self.bias)
        if self.idf.shape != (v,) or self.weights.shape != (v, k):
            raise LexicalError(f"word-count head shapes {self.idf.shape}/{self.weights.shape} do not fit {v} terms")
        self._index = {t: i for i, t in enumerate(self.terms)}

    def features(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and values of the l2-normalised sublinear tf-idf row (scikit-learn's
        ``TfidfVectorizer(sublinear_tf=True)``), dropping words outside the vocabulary."""
        counts = Counter(self._index[w] for w in words if w in self._index)
        if not counts:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        cols = np.fromiter(counts.keys(), np.int64, len(counts))
        tf = np.fromiter(counts.values(), np.float64, len(counts))
        values = (1.0 + np.log(tf)) * self.idf[cols]
        return cols, (values / np.linalg.norm(values)).astype(np.float32)

    def scores(self, words: list[str]) -> np.ndarray:
        """Label scores in [0, 1] for one bag of words."""
        cols, values = self.features(words)
        z = values @ self.weights[cols].astype(np.float32) + self.bias
        if self.kind == "multiclass":
            e = np.exp(z - z.max())
            return e / e.sum()
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def score_rows(self, rows: list[list[str]]) -> np.ndarray:
        """(len(rows), k): ``scores`` of each bag of words."""
        return np.stack([self.scores(words) for words in rows])


def save_lexical(head: LexicalHead, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        terms=np.array(head.terms),
        idf=head.idf.astype(np.float32),
        weights=head.weights.astype(np.float16),  # halves the file; scores move by < 1e-3
        bias=head.bias.astype(np.float32),
        kind=np.array(head.kind),
    )


def load_lexical(path: Path) -> LexicalHead:
    if not path.exists():
        raise LexicalError(f"word-count head not found: {path}")
    try:
        with np.load(path) as z:
            return LexicalHead([str(t) for t in z["terms"]], z["idf"], z["weights"], z["bias"], str(z["kind"]))
    except (OSError, ValueError, KeyError) as exc:
        raise LexicalError(f"{path}: unreadable word-count head ({exc})") from exc


def blend(embedding_scores: np.ndarray, word_scores: np.ndarray, weight: float) -> np.ndarray:
    """The score the thresholds were tuned on: ``weight`` of the word-count head's, the rest the other head's."""
    return (1.0 - weight) * embedding_scores + weight * word_scores
