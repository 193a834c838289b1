"""Framing of an article (the 14 frames of SemEval-2023 Task 3 subtask 2), from one-vs-rest heads on pooled
sentence embeddings with thresholds tuned by cross-validation."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from propscope.analyzers.base import Analyzer
from propscope.models.embedder import shared_embedder
from propscope.models.heads import load_head_or_missing
from propscope.schema import Analysis, Document, Label


class FramesAnalyzer(Analyzer):
    name = "frames"
    adds: ClassVar[tuple[str, ...]] = ("frames",)

    def __init__(self, model_dir: str | None = None) -> None:
        self.head = load_head_or_missing("frames", model_dir)
        self.backend = str(self.head.info.get("backend", "use"))
        self.version = str(self.head.info.get("version", "frames"))

    def predict(self, doc: Document, analysis: Analysis) -> dict[str, Any]:
        return self.predict_batch([doc], [analysis])[0]

    def predict_batch(self, docs: list[Document], analyses: list[Analysis]) -> list[dict[str, Any]]:
        embeddings = shared_embedder(self.backend).embed_many([d.text for d in docs])
        out = []
        for emb in embeddings:
            scores = self.head.scores(emb.pooled())
            on = [i for i in np.argsort(-scores) if self.head.active(scores)[i]]
            out.append({"frames": [Label(self.head.labels[i], round(float(scores[i]), 4)) for i in on]})
        return out
