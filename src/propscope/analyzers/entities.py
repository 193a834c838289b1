"""Entity framing: the article's main actors, their merged mentions, and whom it casts as hero, villain or victim."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from propscope.analyzers.base import Analyzer
from propscope.analyzers.mentions import Cluster, actors
from propscope.schema import Analysis, Document, Entity, Offsets

MAX_CONTEXTS = 4  # mentions per entity whose sentences are pooled; the first ones frame the actor


class EntitiesAnalyzer(Analyzer):
    name = "entities"
    needs: ClassVar[tuple[str, ...]] = ("language",)
    adds: ClassVar[tuple[str, ...]] = ("entities",)

    def __init__(self, limit: int = 8) -> None:
        from propscope.models.roles import load_role_heads

        self.limit = limit
        self.heads = load_role_heads()
        self.version = self.heads.version

    def predict(self, doc: Document, analysis: Analysis) -> dict[str, Any]:
        clusters = actors(doc.text, doc.language, self.limit)
        if not clusters:
            return {"entities": []}
        predictions = self.heads.predict(self._features(doc.text, clusters))
        return {"entities": [_entity(c, p) for c, p in zip(clusters, predictions, strict=True)]}

    def _features(self, text: str, clusters: list[Cluster]) -> np.ndarray:
        spans = [[(m.start, m.end) for m in c.mentions[:MAX_CONTEXTS]] for c in clusters]
        return entity_features(text, spans, [c.name for c in clusters])


def entity_features(text: str, mentions: list[list[tuple[int, int]]], names: list[str]) -> np.ndarray:
    """One row per entity: its mentions' sentence vectors averaged, the document mean, the name's vector."""
    from propscope.models.embedder import embed_texts, shared_embedder
    from propscope.models.roles import mention_features, unit_index

    doc = shared_embedder().embed(text)  # shared with the narrative, genre and frame heads
    doc_vector = doc.vectors.mean(axis=0) if len(doc.vectors) else np.zeros(doc.dim, np.float32)
    name_vectors = embed_texts(names)
    rows = []
    for spans, name_vector in zip(mentions, name_vectors, strict=True):
        if len(doc.vectors):
            unit = doc.vectors[[unit_index(doc.units, s) for s, _ in spans]].mean(axis=0)
            unit /= np.linalg.norm(unit) + 1e-9  # training saw single unit-length sentence vectors
        else:
            unit = np.zeros(doc.dim, np.float32)
        rows.append(mention_features(unit, doc_vector, name_vector))
    return np.stack(rows)


def classify_mentions(text: str, spans: list[tuple[int, int]]) -> list[Any]:
    """Roles for given mentions (the SemEval-2025 subtask-1 setting), one prediction each."""
    from propscope.models.roles import load_role_heads

    if not spans:
        return []
    features = entity_features(text, [[s] for s in spans], [text[s:e] for s, e in spans])
    return load_role_heads().predict(features)


def _entity(cluster: Cluster, prediction: Any) -> Entity:
    return Entity(
        name=cluster.name,
        mentions=[Offsets(m.start, m.end) for m in cluster.mentions],
        role=prediction.main,
        fine_roles=list(prediction.fine),
        score=round(prediction.main_score, 4),
    )
