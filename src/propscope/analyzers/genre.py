"""Genre of an article (opinion, reporting, satire: SemEval-2023 Task 3 subtask 1), from a softmax head on pooled
sentence embeddings blended with a word-count head."""

from __future__ import annotations

from typing import Any, ClassVar

from propscope.analyzers.base import Analyzer
from propscope.models.embedder import shared_embedder
from propscope.models.heads import load_blended
from propscope.schema import Analysis, Document, Label


class GenreAnalyzer(Analyzer):
    name = "genre"
    adds: ClassVar[tuple[str, ...]] = ("genre",)

    def __init__(self, model_dir: str | None = None) -> None:
        self.head = load_blended("genre", model_dir)
        info = self.head.info  # a MissingHead's info is empty
        self.backend = str(info.get("backend", "use"))
        self.version = str(info.get("version", "genre"))

    def predict(self, doc: Document, analysis: Analysis) -> dict[str, Any]:
        return self.predict_batch([doc], [analysis])[0]

    def predict_batch(self, docs: list[Document], analyses: list[Analysis]) -> list[dict[str, Any]]:
        embeddings = shared_embedder(self.backend).embed_many([d.text for d in docs])
        out = []
        for doc, emb in zip(docs, embeddings, strict=True):
            scores = self.head.scores(emb, doc.text, doc.language)
            best = int(scores.argmax())
            out.append({"genre": Label(self.head.labels[best], round(float(scores[best]), 4))})
        return out
