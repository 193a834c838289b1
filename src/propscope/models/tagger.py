"""Multi-label token tagger on ONNX: tokenize with offsets, window with overlap, run, average, decode to char spans.

The training code (``propscope_training.techniques``) imports the windowing and decoding from here, so what was
tuned is exactly what runs. Only numpy, tokenizers and onnxruntime are used; the session is opened on first use.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from propscope.models.onnx_cpu import cpu_session

# Characters trimmed from both ends of a decoded span: gold spans rarely start or end on these.
TRIM_CHARS = " \t\r\n.,;:!?-–—()[]{}"


@dataclass(frozen=True, slots=True)
class Encoded:
    """One text as word pieces (no special tokens) with their character offsets."""

    ids: np.ndarray  # (n,) int64
    offsets: np.ndarray  # (n, 2) int64, code-point offsets into the text, end exclusive


@dataclass(slots=True)
class TaggerConfig:
    labels: list[str]
    thresholds: list[float]
    window: int = 256  # tokens per window, special tokens included
    stride: int = 192  # tokens between window starts; window - stride tokens overlap
    gap: int = 0  # merge same-label runs separated by at most this many tokens
    # hysteresis: a run reaching its label's threshold extends over neighbours down to grow x threshold (1.0: off)
    grow: float = 1.0
    # per label: a paragraph has the label when its best token reaches this; empty: from the spans that overlap it
    paragraph_thresholds: list[float] = field(default_factory=list)
    cls_id: int = 101
    sep_id: int = 102
    pad_id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> TaggerConfig:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        known = {k: data.pop(k) for k in list(data) if k in cls.__dataclass_fields__ and k != "extra"}
        return cls(**known, extra=data)

    def to_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "extra"}
        out.update(self.extra)
        return out


def encode(tokenizer: Any, text: str) -> Encoded:
    """Word pieces of ``text`` with offsets; ``tokenizer`` is a ``tokenizers.Tokenizer``."""
    enc = tokenizer.encode(text, add_special_tokens=False)
    ids = np.asarray(enc.ids, dtype=np.int64)
    offsets = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)
    return Encoded(ids, offsets)


def windows(n_tokens: int, window: int, stride: int) -> list[tuple[int, int]]:
    """Token ranges ``[start, end)`` covering ``n_tokens`` with ``window - 2`` pieces each (room for CLS/SEP);
    the last window is pulled back so it is full when the text allows."""
    size = window - 2
    if n_tokens <= size:
        return [(0, n_tokens)]
    starts = list(range(0, n_tokens - size, stride)) + [n_tokens - size]
    return [(s, s + size) for s in sorted(set(starts))]


def window_batch(pieces: list[np.ndarray], cfg: TaggerConfig) -> tuple[np.ndarray, np.ndarray]:
    """Input ids and attention mask for windows of word pieces, padded to the longest."""
    width = max(len(p) for p in pieces) + 2
    ids = np.full((len(pieces), width), cfg.pad_id, dtype=np.int64)
    mask = np.zeros((len(pieces), width), dtype=np.int64)
    for row, p in enumerate(pieces):
        ids[row, 0] = cfg.cls_id
        ids[row, 1 : len(p) + 1] = p
        ids[row, len(p) + 1] = cfg.sep_id
        mask[row, : len(p) + 2] = 1
    return ids, mask


def average_windows(n_tokens: int, spans: list[tuple[int, int]], probs: list[np.ndarray], n_labels: int) -> np.ndarray:
    """Per-token probabilities: the mean over the windows that cover each token."""
    total = np.zeros((n_tokens, n_labels), dtype=np.float32)
    count = np.zeros((n_tokens, 1), dtype=np.float32)
    for (start, end), p in zip(spans, probs, strict=True):
        total[start:end] += p
        count[start:end] += 1
    return total / np.maximum(count, 1)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``[start, end)`` runs of True in ``mask``."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) > 1)
    starts = np.concatenate(([idx[0]], idx[breaks + 1]))
    ends = np.concatenate((idx[breaks], [idx[-1]])) + 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


SENTENCE_BREAK = re.compile(r"[.!?][\"'”’»)\]]*\s|\n")


def _bridged(text: str, offsets: np.ndarray, runs: list[tuple[int, int]], gap: int) -> list[tuple[int, int]]:
    """Token runs joined across gaps of at most ``gap`` tokens, but never across a sentence break or line."""
    out: list[tuple[int, int]] = []
    for t0, t1 in runs:
        if out and t0 - out[-1][1] <= gap:
            between = text[int(offsets[out[-1][1] - 1, 1]) : int(offsets[t0, 0])]
            if not SENTENCE_BREAK.search(between):
                out[-1] = (out[-1][0], t1)
                continue
        out.append((t0, t1))
    return out


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow ``[start, end)`` to whole words, then trim whitespace and punctuation from both ends."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    while start < end and text[start] in TRIM_CHARS:
        start += 1
    while end > start and text[end - 1] in TRIM_CHARS:
        end -= 1
    return start, end


def decode(
    text: str,
    offsets: np.ndarray,
    probs: np.ndarray,
    labels: list[str],
    thresholds: list[float],
    gap: int = 0,
    grow: float = 1.0,
) -> list[tuple[str, int, int, float]]:
    """``(label, start, end, score)`` spans: runs of tokens over ``grow`` x their label's threshold that reach the
    threshold somewhere, snapped to words. The score is the highest token probability in the run.

    The model is surest in the middle of a long span (a whole clause of doubt or fear) and fades towards its ends;
    the lower bound lets a span keep those ends without letting weak runs start spans of their own."""
    found = []
    for j, label in enumerate(labels):
        p = probs[:, j]
        runs = [(a, b) for a, b in _runs(p >= thresholds[j] * grow) if p[a:b].max() >= thresholds[j]]
        for t0, t1 in _bridged(text, offsets, runs, gap):
            start, end = snap(text, int(offsets[t0, 0]), int(offsets[t1 - 1, 1]))
            if end - start >= 2:
                found.append((label, start, end, float(probs[t0:t1, j].max())))
    found.sort(key=lambda s: (s[1], s[2], s[0]))
    return found


def paragraph_scores(offsets: np.ndarray, probs: np.ndarray, paragraphs: list[tuple[int, int]]) -> np.ndarray:
    """(n_paragraphs, n_labels): the highest token probability of each label inside each ``[start, end)``."""
    out = np.zeros((len(paragraphs), probs.shape[1]), dtype=np.float32)
    for row, (start, end) in enumerate(paragraphs):
        inside = (offsets[:, 0] < end) & (offsets[:, 1] > start)
        if inside.any():
            out[row] = probs[inside].max(axis=0)
    return out


def paragraph_labels(
    offsets: np.ndarray,
    probs: np.ndarray,
    paragraphs: list[tuple[int, int]],
    labels: list[str],
    thresholds: list[float],
) -> list[list[str]]:
    """Labels of each paragraph whose best token reaches the label's paragraph threshold, in label order."""
    hits = paragraph_scores(offsets, probs, paragraphs) >= np.asarray(thresholds, dtype=np.float32)
    return [[labels[j] for j in np.flatnonzero(row)] for row in hits]


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class TokenTagger:
    """A model folder with ``model.onnx``, ``tokenizer.json`` and ``config.json``; loads on first use."""

    def __init__(
        self, folder: Path | str, threads: int = 2, batch_size: int = 16, cross_document: bool = False
    ) -> None:
        self.folder = Path(folder)
        self.threads = threads
        self.batch_size = batch_size
        # int8 dynamic quantization scales activations per batch tensor, so a window's scores shift (by up to
        # ~0.04 measured) with its batch neighbours. Batching only within a document keeps each document's
        # result independent of what it is analysed with; cross_document trades that for some speed.
        self.cross_document = cross_document
        self.config = TaggerConfig.load(self.folder / "config.json")
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
            tokenizer.no_truncation()
            tokenizer.no_padding()
            self._tokenizer = tokenizer
            self._session = cpu_session(self.folder / "model.onnx", self.threads)

    def encode(self, text: str) -> Encoded:
        self._load()
        return encode(self._tokenizer, text)

    def logits(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        self._load()
        feeds = {"input_ids": ids, "attention_mask": mask}
        return self._session.run(["logits"], feeds)[0]

    def probabilities(self, texts: list[str]) -> list[tuple[Encoded, np.ndarray]]:
        """Per text: its encoding and per-token label probabilities ``(n_tokens, n_labels)``.

        Windows are batched per text (or across texts, longest first, with ``cross_document``)."""
        cfg = self.config
        encoded = [self.encode(t) for t in texts]
        jobs = [(d, s, e) for d, enc in enumerate(encoded) for s, e in windows(len(enc.ids), cfg.window, cfg.stride)]
        if self.cross_document:
            jobs.sort(key=lambda j: j[2] - j[1], reverse=True)
            chunks = [jobs[b : b + self.batch_size] for b in range(0, len(jobs), self.batch_size)]
        else:
            chunks = []
            for d in range(len(texts)):
                mine = [j for j in jobs if j[0] == d]
                chunks.extend(mine[b : b + self.batch_size] for b in range(0, len(mine), self.batch_size))
        out: list[list[tuple[tuple[int, int], np.ndarray]]] = [[] for _ in texts]
        for chunk in chunks:
            ids, mask = window_batch([encoded[d].ids[s:e] for d, s, e in chunk], cfg)
            probs = sigmoid(self.logits(ids, mask))
            for row, (d, s, e) in enumerate(chunk):
                out[d].append(((s, e), probs[row, 1 : e - s + 1]))
        n_labels = len(cfg.labels)
        return [
            (enc, average_windows(len(enc.ids), [w for w, _ in got], [p for _, p in got], n_labels))
            for enc, got in zip(encoded, out, strict=True)
        ]

    def tag(self, texts: list[str]) -> list[list[tuple[str, int, int, float]]]:
        """Labelled character spans for each text."""
        cfg = self.config
        return [
            decode(text, enc.offsets, probs, cfg.labels, cfg.thresholds, cfg.gap, cfg.grow)
            for text, (enc, probs) in zip(texts, self.probabilities(texts), strict=True)
        ]
