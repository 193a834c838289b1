"""Split a text at every span boundary, so overlapping spans can be drawn as flat, nested-free segments."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Mark:
    """One highlighted stretch: a technique span, a claim, a narrative's evidence, an entity mention, a marker."""

    kind: str  # "technique" | "claim" | "evidence" | "mention" | "marker"
    key: str  # technique id, claim number, narrative label, entity name, marker kind
    start: int
    end: int
    title: str = ""  # hover text
    colour: str | None = None
    anchor: str | None = None  # id of the first segment, for links from lists

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(slots=True)
class Segment:
    start: int
    end: int
    marks: list[Mark] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # marks that begin here and want a link target

    def of_kind(self, kind: str) -> list[Mark]:
        return [m for m in self.marks if m.kind == kind]


def clip(marks: list[Mark], length: int) -> list[Mark]:
    """Marks inside ``0..length`` with positive length; bad offsets from an analyzer must not break a report."""
    kept = []
    for m in marks:
        start, end = max(0, m.start), min(length, m.end)
        if start < end:
            m.start, m.end = start, end
            kept.append(m)
    return kept


def split(length: int, marks: list[Mark]) -> list[Segment]:
    """Segments covering ``0..length`` in order; each carries the marks covering all of it.

    Marks within a segment are ordered most specific first (shortest span, then earliest start), so the
    first technique decides the colour and the others show as stacked underlines.
    """
    marks = clip(marks, length)
    bounds = sorted({0, length, *(m.start for m in marks), *(m.end for m in marks)})
    by_start: dict[int, list[Mark]] = {}
    for m in marks:
        by_start.setdefault(m.start, []).append(m)
    active: list[Mark] = []
    segments = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        starting = by_start.get(a, [])
        active = [m for m in active if m.end > a] + starting
        covering = sorted(active, key=lambda m: (m.length, m.start, m.key))
        anchors = [m.anchor for m in starting if m.anchor]
        segments.append(Segment(a, b, covering, anchors))
    return segments
