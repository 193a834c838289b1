"""Entity framing: the article's main actors, their merged mentions, and whom it casts as hero, villain or victim."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from propscope.analyzers.base import Analyzer
from propscope.analyzers.mentions import Cluster, actors
from propscope.schema import Analysis, Document, Entity, Offsets

MAX_CONTEXTS = 4  # mentions per entity whose contexts are embedded; more adds time, not accuracy


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
        from propscope.models.embedder import embed_texts
        from propscope.models.roles import mention_context

        contexts, owners = [], []
        for i, cluster in enumerate(clusters):
            for m in cluster.mentions[:MAX_CONTEXTS]:
                contexts.append(mention_context(text, m.start, m.end))
                owners.append(i)
        vectors = embed_texts(contexts + [c.name for c in clusters])
        ctx, names = vectors[: len(contexts)], vectors[len(contexts) :]
        owner = np.array(owners)
        pooled = np.stack([ctx[owner == i].mean(axis=0) for i in range(len(clusters))])
        # training saw one unit-length context vector per mention; keep the pooled one on that scale
        pooled /= np.linalg.norm(pooled, axis=1, keepdims=True) + 1e-9
        return np.hstack([pooled, names])


def classify_mentions(text: str, spans: list[tuple[int, int]]) -> list[Any]:
    """Roles for given mentions (the SemEval-2025 subtask-1 setting), one prediction each."""
    from propscope.models.embedder import embed_texts
    from propscope.models.roles import load_role_heads, mention_context

    if not spans:
        return []
    contexts = [mention_context(text, s, e) for s, e in spans]
    vectors = embed_texts(contexts + [text[s:e] for s, e in spans])
    return load_role_heads().predict(np.hstack([vectors[: len(spans)], vectors[len(spans) :]]))


def _entity(cluster: Cluster, prediction: Any) -> Entity:
    return Entity(
        name=cluster.name,
        mentions=[Offsets(m.start, m.end) for m in cluster.mentions],
        role=prediction.main,
        fine_roles=list(prediction.fine),
        score=round(prediction.main_score, 4),
    )
