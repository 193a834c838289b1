"""Framing of an article (the 14 frames of SemEval-2023 Task 3 subtask 2), from one-vs-rest heads on pooled
sentence embeddings blended with word-count heads, with thresholds tuned by cross-validation."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from propscope.analyzers.base import Analyzer
from propscope.models.embedder import shared_embedder
from propscope.models.heads import load_blended
from propscope.schema import Analysis, Document, Label


class FramesAnalyzer(Analyzer):
    name = "frames"
    adds: ClassVar[tuple[str, ...]] = ("frames",)

    def __init__(self, model_dir: str | None = None) -> None:
        self.head = load_blended("frames", model_dir)
        info = self.head.info  # a MissingHead's info is empty
        self.backend = str(info.get("backend", "use"))
        self.version = str(info.get("version", "frames"))

    def predict(self, doc: Document, analysis: Analysis) -> dict[str, Any]:
        return self.predict_batch([doc], [analysis])[0]

    def predict_batch(self, docs: list[Document], analyses: list[Analysis]) -> list[dict[str, Any]]:
        embeddings = shared_embedder(self.backend).embed_many([d.text for d in docs])
        out = []
        for doc, emb in zip(docs, embeddings, strict=True):
            scores = self.head.scores(emb, doc.text, doc.language)
            active = self.head.active(scores)
            on = [i for i in np.argsort(-scores) if active[i]]
            out.append({"frames": [Label(self.head.labels[i], round(float(scores[i]), 4)) for i in on]})
        return out
