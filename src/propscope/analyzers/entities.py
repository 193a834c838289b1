"""Entity framing: the article's main actors, their merged mentions, and whom it casts as hero, villain or victim."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from propscope.analyzers.base import Analyzer
from propscope.analyzers.mentions import Cluster, actors
from propscope.schema import Analysis, Document, Entity, Offsets

MAX_CONTEXTS = 3  # mentions per entity whose contexts are embedded; the first ones frame the actor
# role encoders the analyzer can blend in: name -> (small model?, mentions read per actor); each one's share of the
# main-role blend is ``roles.ENCODER_SHARES``. Eight mentions of the benchmark article, one thread: 10.7 ms each in
# the small one, 19.5 in the full one.
ROLE_ENCODERS = {"small": (True, 1), "full": (False, MAX_CONTEXTS)}


class EntitiesAnalyzer(Analyzer):
    name = "entities"
    needs: ClassVar[tuple[str, ...]] = ("language",)
    adds: ClassVar[tuple[str, ...]] = ("entities",)

    def __init__(self, limit: int = 8, role_encoder: str = "small") -> None:
        """``role_encoder``: the fine-tuned encoder blended with the heads, "small" (6 layers, each actor's first
        mention), "full" (12 layers, its first three mentions) or "none" (the heads alone). 5-fold cross-validation
        on gold mentions, main-role accuracy with `roles-6` and each blend's second stage: small 0.752, none 0.699,
        full 0.777 (its fold models trained under bfloat16; model cards)."""
        from propscope.models.mention_tagger import shipped_version
        from propscope.models.role_encoder import load_role_encoder
        from propscope.models.roles import load_role_heads

        if role_encoder not in (*ROLE_ENCODERS, "none"):
            raise ValueError(f"role_encoder must be one of {', '.join(ROLE_ENCODERS)} or none, not {role_encoder!r}")
        self.limit = limit
        self.heads = load_role_heads()  # refuses heads whose stance came from other narrative heads
        small, self.encoder_mentions = ROLE_ENCODERS.get(role_encoder, (False, 0))
        self.encoder_name = role_encoder
        self.encoder = load_role_encoder(small) if role_encoder != "none" else None
        tagger = f"+{shipped_version()}" if shipped_version() else ""  # finds the actors of hi, pt, bg
        self.version = self.heads.version + tagger + (f"+{self.encoder.version}" if self.encoder else "")

    def predict(self, doc: Document, analysis: Analysis) -> dict[str, Any]:
        clusters = actors(doc.text, doc.language, self.limit)
        if not clusters:
            return {"entities": []}
        spans = [[(m.start, m.end) for m in c.mentions[:MAX_CONTEXTS]] for c in clusters]
        names = [c.written_name for c in clusters]
        features = entity_features(doc.text, spans, names, doc.language)
        encoded = None
        if self.encoder:
            encoded = encoder_scores(self.encoder, doc.text, [s[: self.encoder_mentions] for s in spans])
        words = entity_words(doc.text, spans, doc.language)
        predictions = self.heads.predict(features, words, encoded, doc.language, names, self.encoder_name)
        return {"entities": [_entity(c, p) for c, p in zip(clusters, predictions, strict=True)]}


def entity_features(
    text: str, mentions: list[list[tuple[int, int]]], names: list[str], language: str | None
) -> np.ndarray:
    """One row per entity, laid out as ``roles.FEATURES``: its mention contexts' vectors averaged, then the
    name's vectors, the language, and the article's stance with its products."""
    from propscope.models.embedder import embed_texts
    from propscope.models.roles import FEATURES, article_stance, language_columns, mention_context, with_stance

    contexts = [mention_context(text, s, e) for spans in mentions for s, e in spans]
    blocks = []
    for what, backend in FEATURES:
        if what == "stance":
            continue
        if what == "language":
            blocks.append(language_columns(language, len(names)))
            continue
        if what == "name":
            blocks.append(embed_texts(names, backend=backend))
            continue
        vectors, pooled, row = embed_texts(contexts, backend=backend), [], 0
        for spans in mentions:
            mean = vectors[row : row + len(spans)].mean(axis=0)
            pooled.append(mean / (np.linalg.norm(mean) + 1e-9))  # training saw single unit-length context vectors
            row += len(spans)
        blocks.append(np.stack(pooled))
    return with_stance(np.hstack(blocks), np.tile(article_stance(text, language), (len(names), 1)))


def encoder_scores(encoder: Any, text: str, mentions: list[list[tuple[int, int]]]) -> tuple[np.ndarray, np.ndarray]:
    """The role encoder's (main, fine) probabilities per entity, averaged over its mentions."""
    main, fine = encoder.probabilities(text, [span for spans in mentions for span in spans])
    rows = np.cumsum([0, *map(len, mentions)])
    means = [(main[a:b].mean(axis=0), fine[a:b].mean(axis=0)) for a, b in zip(rows[:-1], rows[1:], strict=True)]
    return np.stack([m for m, _ in means]), np.stack([f for _, f in means])


def entity_words(text: str, mentions: list[list[tuple[int, int]]], language: str | None) -> list[list[list[str]]]:
    """Per entity, the word-count heads' input for each of its mentions."""
    from propscope.models.roles import mention_words

    return [[mention_words(text, s, e, language) for s, e in spans] for spans in mentions]


def classify_mentions(
    text: str, spans: list[tuple[int, int]], language: str | None, role_encoder: bool = True
) -> list[Any]:
    """Roles for given mentions (the SemEval-2025 subtask-1 setting), one prediction each; by default with the
    role encoder leading the main role."""
    from propscope.models.role_encoder import load_role_encoder
    from propscope.models.roles import load_role_heads

    if not spans:
        return []
    heads = load_role_heads()
    mentions = [[s] for s in spans]
    names = [text[s:e] for s, e in spans]
    features = entity_features(text, mentions, names, language)
    encoded = encoder_scores(load_role_encoder(), text, mentions) if role_encoder else None
    return heads.predict(features, entity_words(text, mentions, language), encoded, language=language, names=names)


def _entity(cluster: Cluster, prediction: Any) -> Entity:
    return Entity(
        name=cluster.name,
        mentions=[Offsets(m.start, m.end) for m in cluster.mentions],
        role=prediction.main,
        fine_roles=list(prediction.fine),
        score=round(prediction.main_score, 4),
    )
