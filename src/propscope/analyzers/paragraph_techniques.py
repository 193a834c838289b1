"""Persuasion techniques per paragraph for non-English text (SemEval-2023 Task 3 subtask 3 setting).

The English technique analyzer tags character spans; for other languages only paragraph-level gold exists, so this
analyzer labels each paragraph (a non-blank line) with one-vs-rest heads over the 23 techniques. It reads the
document's shared sentence embeddings: features are the paragraph's mean and max unit vectors and the document mean;
a word-count head on the paragraph's words is blended in.
English documents (and documents of unknown language) are left to the English analyzer: nothing is returned.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from propscope.analyzers.base import Analyzer
from propscope.models.embedder import DocEmbedding, pool, shared_embedder
from propscope.models.heads import load_blended
from propscope.schema import Analysis, Document, Paragraph


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line, line end (and a CR before it) excluded."""
    spans, start = [], 0
    for line in text.split("\n"):
        body = line.rstrip("\r")
        if body.strip():
            spans.append((start, start + len(body)))
        start += len(line) + 1
    return spans


def paragraph_features(emb: DocEmbedding, spans: list[tuple[int, int]]) -> np.ndarray:
    """(len(spans), 3 * dim): paragraph mean, paragraph max, document mean."""
    dim = emb.dim
    doc_mean = emb.pooled()[:dim]
    rows = [np.concatenate([pool(emb.vectors[emb.rows_within(s, e)], dim), doc_mean]) for s, e in spans]
    return np.stack(rows).astype(np.float32) if rows else np.zeros((0, 3 * dim), dtype=np.float32)


class ParagraphTechniquesAnalyzer(Analyzer):
    name = "paragraph_techniques"
    adds: ClassVar[tuple[str, ...]] = ("paragraphs",)

    def __init__(self, model_dir: str | None = None) -> None:
        self.head = load_blended("paragraph_techniques", model_dir)
        info = self.head.info  # a MissingHead's info is empty
        self.backend = str(info.get("backend", "use"))
        self.version = str(info.get("version", "paragraph-techniques"))

    def predict(self, doc: Document, analysis: Analysis) -> dict[str, Any]:
        return self.predict_batch([doc], [analysis])[0]

    def predict_batch(self, docs: list[Document], analyses: list[Analysis]) -> list[dict[str, Any]]:
        wanted = [i for i, d in enumerate(docs) if d.language and d.language != "en"]
        embeddings = shared_embedder(self.backend).embed_many([docs[i].text for i in wanted])
        out: list[dict[str, Any]] = [{} for _ in docs]
        for i, emb in zip(wanted, embeddings, strict=True):
            out[i] = {"paragraphs": self.paragraphs(docs[i].text, emb, docs[i].language)}
        return out

    def paragraphs(self, text: str, emb: DocEmbedding, language: str | None = None) -> list[Paragraph]:
        spans = line_spans(text)
        if not spans:
            return []
        scores = self.head.head.scores(paragraph_features(emb, spans))
        scores = self.head.with_words(scores, [text[s:e] for s, e in spans], language)
        active = self.head.active(scores)
        out = []
        for (start, end), row, on in zip(spans, scores, active, strict=True):
            labels = [self.head.labels[j] for j in np.argsort(-row) if on[j]]
            out.append(Paragraph(start, end, labels))
        return out
