"""Documents, spans and analysis results.

Every offset is a 0-based code-point index into ``Document.text``, end exclusive.
This module does no I/O; ``Analysis.to_dict`` is the JSON contract (docs/json-contract.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_ID = "propscope.analysis/1"


@dataclass(slots=True)
class Span:
    """A labelled stretch of ``Document.text``: ``text[start:end]``."""

    start: int
    end: int
    label: str = ""
    score: float | None = None

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span offsets {self.start}..{self.end}")


@dataclass(slots=True)
class Document:
    """One article. ``spans`` holds named groups, e.g. ``gold:techniques``."""

    id: str
    text: str
    title: str | None = None
    language: str | None = None
    source: str | None = None  # path or URL it was read from
    outlet: str | None = None
    published: str | None = None  # ISO 8601 date
    author: str | None = None
    spans: dict[str, list[Span]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def span_text(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def check_span(self, span: Span) -> None:
        if span.end > len(self.text):
            raise ValueError(f"{self.id}: span {span.start}..{span.end} past end {len(self.text)}")


@dataclass(slots=True)
class Offsets:
    start: int
    end: int


@dataclass(slots=True)
class TechniqueSpan:
    technique: str
    start: int
    end: int
    text: str
    score: float


@dataclass(slots=True)
class Paragraph:
    start: int
    end: int
    techniques: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Narrative:
    narrative: str
    subnarrative: str | None
    score: float
    evidence: list[Offsets] = field(default_factory=list)


@dataclass(slots=True)
class NarrativeScore:
    """How strongly an article carries one narrative, kept or not: ``threshold`` is the score it needed here (the
    language's threshold, or a share of the best narrative's score when that is higher)."""

    narrative: str
    score: float
    threshold: float


@dataclass(slots=True)
class Entity:
    name: str
    mentions: list[Offsets]
    role: str | None = None
    fine_roles: list[str] = field(default_factory=list)
    score: float | None = None


@dataclass(slots=True)
class Speaker:
    name: str
    start: int
    end: int


@dataclass(slots=True)
class Quantity:
    text: str
    value: float | None
    unit: str | None


@dataclass(slots=True)
class Claim:
    start: int
    end: int
    text: str
    speaker: Speaker | None
    cue: str | None
    hedged: bool = False
    denial: bool = False
    quantities: list[Quantity] = field(default_factory=list)
    hedges: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Marker:
    kind: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Reliability:
    label: str
    note: str | None = None
    list_name: str | None = None


@dataclass(slots=True)
class SourceInfo:
    outlet: str | None = None
    domain: str | None = None
    reliability: Reliability | None = None
    markers: list[Marker] = field(default_factory=list)


@dataclass(slots=True)
class Label:
    """A document-level label with its score (genre, frame)."""

    label: str
    score: float


@dataclass(slots=True)
class AnalyzerError:
    analyzer: str
    message: str


# Fields of Analysis that analyzers may add; the pipeline checks declarations against these.
RESULT_FIELDS = (
    "language",
    "techniques",
    "paragraphs",
    "narratives",
    "narrative_scores",
    "entities",
    "claims",
    "source",
    "genre",
    "frames",
)


@dataclass(slots=True)
class Analysis:
    """What the pipeline found in one document."""

    document: Document
    techniques: list[TechniqueSpan] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    narratives: list[Narrative] = field(default_factory=list)
    narrative_scores: list[NarrativeScore] = field(default_factory=list)  # the best few, kept or not
    entities: list[Entity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    source: SourceInfo = field(default_factory=SourceInfo)
    genre: Label | None = None
    frames: list[Label] = field(default_factory=list)
    errors: list[AnalyzerError] = field(default_factory=list)
    models: dict[str, str] = field(default_factory=dict)  # analyzer name -> model version

    @property
    def language(self) -> str | None:
        return self.document.language

    @language.setter
    def language(self, value: str | None) -> None:
        self.document.language = value

    def to_dict(self) -> dict[str, Any]:
        doc = self.document
        return {
            "schema": SCHEMA_ID,
            "document": {
                "id": doc.id,
                "title": doc.title,
                "text": doc.text,
                "language": doc.language,
                "source": doc.source,
                "outlet": doc.outlet,
                "published": doc.published,
            },
            "techniques": [asdict(t) for t in self.techniques],
            "paragraphs": [asdict(p) for p in self.paragraphs],
            "narratives": [asdict(n) for n in self.narratives],
            "narrative_scores": [asdict(n) for n in self.narrative_scores],
            "entities": [asdict(e) for e in self.entities],
            "claims": [asdict(c) for c in self.claims],
            "source": asdict(self.source),
            "genre": asdict(self.genre) if self.genre else None,
            "frames": [asdict(f) for f in self.frames],
            "errors": [asdict(e) for e in self.errors],
            "models": dict(self.models),
        }
