"""Between stored JSON and schema objects: the Analysis contract back to dataclasses, hashes, dates."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from propscope.schema import (
    Analysis,
    AnalyzerError,
    Claim,
    Document,
    Entity,
    Label,
    Marker,
    Narrative,
    NarrativeScore,
    Offsets,
    Paragraph,
    Quantity,
    Reliability,
    SourceInfo,
    Speaker,
    TechniqueSpan,
)

DOCUMENT_FIELDS = ("id", "text", "title", "language", "source", "outlet", "published", "author")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def text_hash(text: str) -> str:
    """The same article pasted with different spacing or line ends is the same article."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def models_key(models: dict[str, str]) -> str:
    return json.dumps(models, sort_keys=True, separators=(",", ":"))


def iso_date(value: str | None) -> str | None:
    """``YYYY-MM-DD`` from an ISO 8601 date or datetime, else None (the raw value stays in the JSON)."""
    if not value:
        return None
    m = _DATE.match(value.strip())
    if not m or not (1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31):
        return None
    return m.group(0)


def document_to_dict(doc: Document) -> dict[str, Any]:
    return {k: getattr(doc, k) for k in DOCUMENT_FIELDS}


def document_from_dict(data: dict[str, Any]) -> Document:
    return Document(**{k: data.get(k) for k in DOCUMENT_FIELDS if k in data})


def _offsets(items: list[dict[str, Any]] | None) -> list[Offsets]:
    return [Offsets(o["start"], o["end"]) for o in items or []]


def _claim(c: dict[str, Any]) -> Claim:
    speaker = Speaker(**c["speaker"]) if c.get("speaker") else None
    fields = {k: v for k, v in c.items() if k not in ("speaker", "quantities")}
    return Claim(**fields, speaker=speaker, quantities=[Quantity(**q) for q in c.get("quantities") or []])


def _entity(e: dict[str, Any]) -> Entity:
    return Entity(**{k: v for k, v in e.items() if k != "mentions"}, mentions=_offsets(e.get("mentions")))


def _narrative(n: dict[str, Any]) -> Narrative:
    return Narrative(**{k: v for k, v in n.items() if k != "evidence"}, evidence=_offsets(n.get("evidence")))


def _source(s: dict[str, Any] | None) -> SourceInfo:
    s = s or {}
    rel = Reliability(**s["reliability"]) if s.get("reliability") else None
    markers = [Marker(**m) for m in s.get("markers") or []]
    return SourceInfo(outlet=s.get("outlet"), domain=s.get("domain"), reliability=rel, markers=markers)


def analysis_from_dict(data: dict[str, Any]) -> Analysis:
    """The inverse of ``Analysis.to_dict`` (``to_dict(analysis_from_dict(d)) == d`` for a contract dict)."""
    return Analysis(
        document=document_from_dict(data["document"]),
        techniques=[TechniqueSpan(**t) for t in data.get("techniques") or []],
        paragraphs=[Paragraph(**p) for p in data.get("paragraphs") or []],
        narratives=[_narrative(n) for n in data.get("narratives") or []],
        narrative_scores=[NarrativeScore(**n) for n in data.get("narrative_scores") or []],
        entities=[_entity(e) for e in data.get("entities") or []],
        claims=[_claim(c) for c in data.get("claims") or []],
        source=_source(data.get("source")),
        genre=Label(**data["genre"]) if data.get("genre") else None,
        frames=[Label(**f) for f in data.get("frames") or []],
        errors=[AnalyzerError(**e) for e in data.get("errors") or []],
        models=dict(data.get("models") or {}),
    )
