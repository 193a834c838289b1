"""The HTML report: one self-contained page per run, or a per-document fragment for the web app.

Every value reaches the page through Jinja2 with autoescape on; colours come only from the taxonomy.
Host pages that embed ``render_document_fragment`` should include ``report_css()`` and ``report_js()`` once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from propscope.report.segments import Mark, Segment, split
from propscope.schema import Analysis, NarrativeScore, Quantity, TechniqueSpan
from propscope.taxonomy import describe
from propscope.taxonomy.techniques import BY_ID

UNKNOWN_COLOUR = "#e6e6e6"
# SemEval-2025 main roles (and their plain-word names) -> badge colour
ROLE_CLASSES = {
    "protagonist": "hero",
    "hero": "hero",
    "antagonist": "villain",
    "villain": "villain",
    "innocent": "victim",
    "victim": "victim",
}


@cache
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("propscope.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["score"] = format_score
    return env


@cache
def _asset(name: str) -> str:
    return resources.files("propscope.report").joinpath("assets", name).read_text(encoding="utf-8")


def report_css() -> str:
    """The stylesheet every report page (and a host page embedding fragments) needs."""
    return _asset("report.css")


def report_js() -> str:
    """The small script behind the technique and layer toggles; it acts on any ``.ps-doc`` on the page."""
    return _asset("report.js")


CLOSEST_NARRATIVES = 3  # shown where no narrative was kept, if they reached at least half the score they needed
CLOSE_SHARE = 0.5


def format_score(score: float | None) -> str:
    return "" if score is None else f"{score:.2f}"


def render_document_fragment(analysis: Analysis, anchor: str = "ps-doc") -> str:
    """One ``<article class="ps-doc">`` for one analysis; ``anchor`` prefixes its element ids (unique per page)."""
    return _environment().get_template("document.html").render(d=document_view(analysis, anchor))


def render_html(analyses: list[Analysis], title: str = "propscope report") -> str:
    """The whole run as one page: table of contents (when several documents), then each document."""
    docs = [document_view(a, f"ps-d{i}") for i, a in enumerate(analyses, 1)]
    page = _environment().get_template("page.html")
    totals = _legend([t for a in analyses for t in a.techniques])
    return page.render(title=title, docs=docs, totals=totals, css=report_css(), js=report_js())


# ---- view model: plain data the templates only print ----


@dataclass(slots=True)
class TextPiece:
    text: str
    classes: str = ""
    title: str = ""
    tech_ids: str = ""
    tech_colours: str = ""
    style: str = ""
    anchors: list[str] = field(default_factory=list)


def document_view(analysis: Analysis, anchor: str) -> dict[str, Any]:
    """Everything ``document.html`` prints for one analysis; element ids all start with ``anchor``."""
    doc = analysis.document
    marks = _technique_marks(analysis, anchor) + _claim_marks(analysis, anchor)
    marks += _evidence_marks(analysis, anchor) + _mention_marks(analysis, anchor) + _marker_marks(analysis, anchor)
    return {
        "anchor": anchor,
        "id": doc.id,
        "title": doc.title or doc.id,
        "meta": _meta(analysis),
        "pieces": [_piece(doc.text, s) for s in split(len(doc.text), marks)],
        "legend": _legend(analysis.techniques),
        "layers": _layers(analysis),
        "claims": _claims(analysis, anchor),
        "source": _source(analysis, anchor),
        "narratives": _narratives(analysis, anchor),
        "closest_narratives": _closest_narratives(analysis),
        "entities": _entities(analysis, anchor),
        "genre": _label(analysis.genre, "genres") if analysis.genre else None,
        "frames": [_label(f, "frames") for f in analysis.frames],
        "paragraphs": _paragraphs(analysis),
        "errors": [{"analyzer": e.analyzer, "message": e.message} for e in analysis.errors],
        "models": sorted(analysis.models.items()),
        "counts": {"techniques": len(analysis.techniques), "claims": len(analysis.claims)},
    }


def _meta(analysis: Analysis) -> list[tuple[str, str]]:
    doc = analysis.document
    fields = [
        ("outlet", analysis.source.outlet or doc.outlet),
        ("author", doc.author),
        ("published", doc.published),
        ("language", doc.language),
        ("read from", doc.source),
    ]
    return [(k, str(v)) for k, v in fields if v]


def _technique_colour(technique_id: str) -> str:
    t = BY_ID.get(technique_id)
    return t.colour if t else UNKNOWN_COLOUR


def _technique_marks(analysis: Analysis, anchor: str) -> list[Mark]:
    marks = []
    for i, t in enumerate(analysis.techniques):
        info = describe("techniques", t.technique)
        title = f"{info.name} ({format_score(t.score)})" + (f": {info.definition}" if info.definition else "")
        colour = _technique_colour(t.technique)
        marks.append(Mark("technique", t.technique, t.start, t.end, title, colour, f"{anchor}-t{i}"))
    return marks


def _claim_marks(analysis: Analysis, anchor: str) -> list[Mark]:
    marks = []
    for i, c in enumerate(analysis.claims, 1):
        who = c.speaker.name if c.speaker else "unattributed"
        flags = ", ".join(f for f, on in (("denial", c.denial), ("hedged", c.hedged)) if on)
        title = f"Claim {i}: {who}" + (f" ({c.cue})" if c.cue else "") + (f" [{flags}]" if flags else "")
        marks.append(Mark("claim", str(i), c.start, c.end, title, anchor=f"{anchor}-c{i}"))
    return marks


def _evidence_marks(analysis: Analysis, anchor: str) -> list[Mark]:
    marks = []
    for k, n in enumerate(analysis.narratives, 1):
        title = f"Narrative: {_narrative_name(n.narrative, n.subnarrative)} ({format_score(n.score)})"
        for j, e in enumerate(n.evidence, 1):
            marks.append(Mark("evidence", n.narrative, e.start, e.end, title, anchor=f"{anchor}-n{k}-e{j}"))
    return marks


def _mention_marks(analysis: Analysis, anchor: str) -> list[Mark]:
    marks = []
    for k, ent in enumerate(analysis.entities, 1):
        roles = ", ".join(describe("roles", r).name for r in ([ent.role] if ent.role else []) + ent.fine_roles)
        title = f"Actor: {ent.name}" + (f" ({roles})" if roles else "")
        for j, m in enumerate(ent.mentions, 1):
            marks.append(Mark("mention", ent.name, m.start, m.end, title, anchor=f"{anchor}-a{k}-{j}"))
    return marks


def _marker_marks(analysis: Analysis, anchor: str) -> list[Mark]:
    return [
        Mark("marker", m.kind, m.start, m.end, f"Source marker: {m.kind.replace('_', ' ')}", anchor=f"{anchor}-m{k}")
        for k, m in enumerate(analysis.source.markers, 1)
    ]


def _piece(text: str, seg: Segment) -> TextPiece:
    piece = TextPiece(text[seg.start : seg.end], anchors=seg.anchors)
    if not seg.marks:
        return piece
    techs = _unique_by_key(seg.of_kind("technique"))
    kinds = {m.kind for m in seg.marks}
    classes = ["ps-seg"] + [f"ps-{k}" for k in ("claim", "evidence", "mention", "marker") if k in kinds]
    if techs:
        classes.append("ps-tech")
        piece.tech_ids = " ".join(token(m.key) for m in techs)
        piece.tech_colours = " ".join(m.colour or UNKNOWN_COLOUR for m in techs)
        piece.style = highlight_style([m.colour or UNKNOWN_COLOUR for m in techs])
    piece.classes = " ".join(classes)
    piece.title = "\n".join(dict.fromkeys(m.title for m in seg.marks if m.title))
    return piece


def _unique_by_key(marks: list[Mark]) -> list[Mark]:
    return list({m.key: m for m in reversed(marks)}.values())[::-1]


def token(label: str) -> str:
    """A label as one space-free token, for the space-separated ``data-t`` list the toggles read."""
    return "_".join(label.split()) or "_"


def highlight_style(colours: list[str]) -> str:
    """Background from the most specific technique, stacked underlines for the others (mirrors report.js)."""
    if not colours:
        return ""
    bars = ", ".join(f"inset 0 -{3 * i}px 0 {c}" for i, c in enumerate(colours[1:], 1))
    return f"background:{colours[0]}" + (f";box-shadow:{bars}" if bars else "")


def _legend(spans: list[TechniqueSpan]) -> list[dict[str, Any]]:
    """One row per technique present, in taxonomy order, with its span count."""
    counts = Counter(t.technique for t in spans)

    def order(tid: str) -> tuple[int, str]:
        t = BY_ID.get(tid)
        return (t.number if t else 999, tid)

    rows = []
    for tid in sorted(counts, key=order):
        info = describe("techniques", tid)
        row = {"id": token(tid), "name": info.name, "group": info.group or "", "definition": info.definition}
        rows.append(row | {"count": counts[tid], "colour": _technique_colour(tid)})
    return rows


def _layers(analysis: Analysis) -> list[tuple[str, str]]:
    present = [
        ("claim", "claims (dotted underline)", analysis.claims),
        ("evidence", "narrative evidence (top line)", any(n.evidence for n in analysis.narratives)),
        ("mention", "actor mentions (bold)", any(e.mentions for e in analysis.entities)),
        ("marker", "source markers (dashed box)", analysis.source.markers),
    ]
    return [(key, label) for key, label, items in present if items]


def _claims(analysis: Analysis, anchor: str) -> list[dict[str, Any]]:
    rows = []
    for i, c in enumerate(analysis.claims, 1):
        rows.append(
            {
                "number": i,
                "anchor": f"{anchor}-c{i}",
                "text": c.text,
                "speaker": c.speaker.name if c.speaker else None,
                "cue": c.cue,
                "hedged": c.hedged,
                "denial": c.denial,
                "hedges": c.hedges,
                "quantities": [quantity_text(q) for q in c.quantities],
            }
        )
    return rows


def quantity_text(q: Quantity) -> str:
    """The quantity as written, with its parsed value when there is one: ``about 1 million (= 1e+06 shells)``."""
    if q.value is None:
        return q.text
    return f"{q.text} (= {q.value:,.12g}{' ' + q.unit if q.unit else ''})"


def _source(analysis: Analysis, anchor: str) -> dict[str, Any] | None:
    src = analysis.source
    if not (src.outlet or src.domain or src.reliability or src.markers):
        return None
    rel = src.reliability
    return {
        "outlet": src.outlet,
        "domain": src.domain,
        "reliability": {"label": rel.label, "note": rel.note, "list": rel.list_name} if rel else None,
        "markers": [
            {"kind": m.kind.replace("_", " "), "text": m.text, "anchor": f"{anchor}-m{k}"}
            for k, m in enumerate(src.markers, 1)
        ],
    }


def _narrative_name(narrative: str, subnarrative: str | None) -> str:
    name = describe("narratives", narrative).name
    return f"{name} — {describe('subnarratives', subnarrative).name}" if subnarrative else name


def _narratives(analysis: Analysis, anchor: str) -> list[dict[str, Any]]:
    text = analysis.document.text
    rows = []
    for k, n in enumerate(analysis.narratives, 1):
        sub = describe("subnarratives", n.subnarrative) if n.subnarrative else None
        rows.append(
            {
                "name": describe("narratives", n.narrative).name,
                "definition": describe("narratives", n.narrative).definition,
                "subnarrative": sub.name if sub else None,
                "sub_definition": sub.definition if sub else "",
                "score": n.score,
                "evidence": [
                    {"anchor": f"{anchor}-n{k}-e{j}", "text": " ".join(text[e.start : e.end].split())}
                    for j, e in enumerate(n.evidence, 1)
                ],
            }
        )
    return rows


def closest_narratives(analysis: Analysis) -> list[NarrativeScore]:
    """Where no narrative was kept, the few that came close (at least ``CLOSE_SHARE`` of the score they needed)."""
    if analysis.narratives:
        return []
    close = [n for n in analysis.narrative_scores if n.score >= CLOSE_SHARE * n.threshold]
    return close[:CLOSEST_NARRATIVES]


def _closest_narratives(analysis: Analysis) -> list[dict[str, Any]]:
    return [
        {
            "name": describe("narratives", n.narrative).name,
            "definition": describe("narratives", n.narrative).definition,
            "score": n.score,
            "threshold": n.threshold,
        }
        for n in closest_narratives(analysis)
    ]


def _entities(analysis: Analysis, anchor: str) -> list[dict[str, Any]]:
    text = analysis.document.text
    rows = []
    for k, ent in enumerate(analysis.entities, 1):
        role = describe("roles", ent.role) if ent.role else None
        forms = Counter(" ".join(text[m.start : m.end].split()) for m in ent.mentions)
        rows.append(
            {
                "name": ent.name,
                "role": role.name if role else None,
                "role_definition": role.definition if role else "",
                "role_class": ROLE_CLASSES.get((ent.role or "").lower(), ""),
                "fine_roles": [describe("roles", r) for r in ent.fine_roles],
                "score": ent.score,
                "mentions": len(ent.mentions),
                "forms": forms.most_common(),
                "anchor": f"{anchor}-a{k}-1" if ent.mentions else None,
            }
        )
    return rows


def _label(label: Any, kind: str) -> dict[str, Any]:
    info = describe(kind, label.label)
    return {"name": info.name, "definition": info.definition, "score": label.score}


def _paragraphs(analysis: Analysis) -> list[dict[str, Any]]:
    text = analysis.document.text
    rows = []
    for i, p in enumerate(analysis.paragraphs, 1):
        if not p.techniques:
            continue
        excerpt = " ".join(text[p.start : p.end].split())
        rows.append(
            {
                "number": i,
                "excerpt": excerpt if len(excerpt) <= 160 else excerpt[:157] + "…",
                "techniques": [
                    {"name": describe("techniques", t).name, "colour": _technique_colour(t), "id": t}
                    for t in p.techniques
                ],
            }
        )
    return rows
