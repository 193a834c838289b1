"""Small classification heads on pooled sentence embeddings, in numpy.

A head is two files in one folder: ``NAME.npz`` (``weights`` (d, k), ``bias`` (k,), optional per-label
``thresholds`` (k,)) and ``NAME.json`` (labels, kind, embedding backend, global threshold, version, metrics).
``kind`` is ``multilabel`` (independent sigmoids, a label is on when its score reaches its threshold) or
``multiclass`` (softmax, the top label wins). When ``info["words"]`` names a word-count head
(``propscope.models.lexical``) in the same folder, ``load_blended`` pairs the two and the score is their blend.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from propscope.models.lexical import LexicalError, LexicalHead, blend, load_lexical, words_of

if TYPE_CHECKING:
    from propscope.models.embedder import DocEmbedding

HEADS_DIR = Path(__file__).with_name("doclabels")


class HeadError(ValueError):
    """A head file that is missing or does not fit its description."""


@dataclass(slots=True)
class Head:
    labels: list[str]
    weights: np.ndarray  # (d, k)
    bias: np.ndarray  # (k,)
    kind: str = "multilabel"
    thresholds: np.ndarray | None = None  # (k,), multilabel only
    info: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        k = len(self.labels)
        if self.weights.ndim != 2 or self.weights.shape[1] != k or self.bias.shape != (k,):
            raise HeadError(f"head shapes {self.weights.shape}/{self.bias.shape} do not match {k} labels")
        if self.kind not in ("multilabel", "multiclass"):
            raise HeadError(f"unknown head kind {self.kind!r}")
        if self.thresholds is None:
            self.thresholds = np.full(k, float(self.info.get("threshold", 0.5)), dtype=np.float32)

    @property
    def dim(self) -> int:
        return int(self.weights.shape[0])

    def scores(self, features: np.ndarray) -> np.ndarray:
        """Label scores in [0, 1] for one feature vector (k,) or a matrix of them (n, k)."""
        if features.shape[-1] != self.dim:
            raise HeadError(f"features have {features.shape[-1]} dims, the head expects {self.dim}")
        z = features @ self.weights + self.bias
        if self.kind == "multiclass":
            z = z - z.max(axis=-1, keepdims=True)
            e = np.exp(z)
            return e / e.sum(axis=-1, keepdims=True)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def active(self, scores: np.ndarray) -> np.ndarray:
        """Boolean mask of the labels that are on, for scores of one or many rows."""
        if self.kind == "multiclass":
            return scores == scores.max(axis=-1, keepdims=True)
        return scores >= self.thresholds


def one_hot(value: str | None, choices: list[str] | tuple[str, ...], rows: int = 1) -> np.ndarray:
    """(rows, len(choices)) indicator of ``value`` among ``choices``; all zeros for any other value."""
    out = np.zeros((rows, len(choices)), dtype=np.float32)
    if value in choices:
        out[:, list(choices).index(value)] = 1.0
    return out


def with_language(head: Head, features: np.ndarray, language: str | None) -> np.ndarray:
    """``features`` plus the language columns the head was trained with (its ``info["languages"]``), if any."""
    languages = head.info.get("languages")
    if not languages:
        return features
    return np.concatenate([features, one_hot((language or "").lower(), languages)[0]])


def save_head(head: Head, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(
        folder / f"{name}.npz",
        weights=head.weights.astype(np.float32),
        bias=head.bias.astype(np.float32),
        thresholds=np.asarray(head.thresholds, dtype=np.float32),
    )
    meta = {**head.info, "labels": head.labels, "kind": head.kind}
    (folder / f"{name}.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def load_head(name: str, folder: str | Path | None = None) -> Head:
    folder = Path(folder) if folder else HEADS_DIR
    npz, meta_path = folder / f"{name}.npz", folder / f"{name}.json"
    if not npz.exists() or not meta_path.exists():
        raise HeadError(f"model files for {name!r} not found in {folder} (train them: propscope train {name})")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        with np.load(npz) as z:
            arrays = {k: z[k] for k in z.files}
        labels, kind = meta.pop("labels"), meta.pop("kind", "multilabel")
        return Head(labels, arrays["weights"], arrays["bias"], kind, arrays.get("thresholds"), meta)
    except (OSError, ValueError, KeyError) as exc:
        raise HeadError(f"{npz}: unreadable head ({exc})") from exc


class MissingHead:
    """Stands in for a head whose files are missing, so a pipeline still builds: using it raises the load error,
    which the pipeline reports per document for that analyzer alone."""

    def __init__(self, error: HeadError) -> None:
        self.error = error
        self.info: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        raise self.error


def load_head_or_missing(name: str, folder: str | Path | None = None) -> Head | MissingHead:
    try:
        return load_head(name, folder)
    except HeadError as exc:
        return MissingHead(exc)


@dataclass(slots=True)
class BlendedHead:
    """An embedding head and, when training made one, its word-count head: the score is their blend."""

    head: Head
    words: LexicalHead | None = None
    weight: float = 0.0  # the word-count head's share

    @property
    def labels(self) -> list[str]:
        return self.head.labels

    @property
    def info(self) -> dict[str, Any]:
        return self.head.info

    def active(self, scores: np.ndarray) -> np.ndarray:
        return self.head.active(scores)

    def scores(self, emb: DocEmbedding, text: str, language: str | None) -> np.ndarray:
        """The document's label scores."""
        return self.with_words(
            self.head.scores(with_language(self.head, emb.pooled(), language))[None], [text], language
        )[0]

    def unit_scores(self, emb: DocEmbedding, text: str, language: str | None) -> np.ndarray:
        """(units, labels): each unit scored alone, as a one-unit document (it pools to [v, v])."""
        columns = with_language(self.head, np.zeros(0, np.float32), language)  # the language columns alone
        alone = np.hstack([emb.vectors, emb.vectors, np.broadcast_to(columns, (len(emb.vectors), len(columns)))])
        return self.with_words(self.head.scores(alone), [text[s:e] for s, e in emb.units], language)

    def with_words(self, scores: np.ndarray, texts: list[str], language: str | None) -> np.ndarray:
        """Embedding-head ``scores`` (one row per text) blended with the word-count head's scores of ``texts``."""
        if self.words is None or not texts:
            return scores
        return blend(scores, self.words.score_rows([words_of(t, language) for t in texts]), self.weight)


def load_blended(name: str, model_dir: str | Path | None = None) -> BlendedHead | MissingHead:
    """The head ``name`` with the word-count head its info names; a ``MissingHead`` when either file is unusable."""
    head = load_head_or_missing(name, model_dir)
    if isinstance(head, MissingHead):
        return head
    found = head.info.get("words")
    if not found:
        return BlendedHead(head)
    try:
        words = load_lexical((Path(model_dir) if model_dir else HEADS_DIR) / found["file"])
    except LexicalError as exc:
        return MissingHead(HeadError(str(exc)))
    if len(words.bias) != len(head.labels):
        return MissingHead(HeadError(f"{found['file']}: {len(words.bias)} labels, {name} has {len(head.labels)}"))
    return BlendedHead(head, words, float(found["weight"]))
