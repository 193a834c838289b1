"""The Markdown report: a readable summary per document, for notes, tickets and chat.

Article text is escaped so that Markdown or HTML inside an article cannot change the report's structure.
"""

from __future__ import annotations

import re
from collections import Counter

from propscope.report.html import closest_narratives, format_score, quantity_text
from propscope.schema import Analysis, Label, Reliability
from propscope.taxonomy import describe
from propscope.taxonomy.techniques import BY_ID

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def escape(text: str) -> str:
    """One line of article text made inert: whitespace collapsed, Markdown and HTML characters escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def quote(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return f'"{escape(flat)}"'


def render_markdown(analyses: list[Analysis]) -> str:
    """All documents of a run, one section each, separated by rules."""
    parts = [render_document(a) for a in analyses]
    return "\n---\n\n".join(parts)


def render_document(analysis: Analysis) -> str:
    sections = [
        _header(analysis),
        _errors(analysis),
        _techniques(analysis),
        _paragraphs(analysis),
        _claims(analysis),
        _narratives(analysis),
        _actors(analysis),
    ]
    return "\n".join(s for s in sections if s)


def _header(analysis: Analysis) -> str:
    doc = analysis.document
    src = analysis.source
    lines = [f"# {escape(doc.title or doc.id)}", ""]
    facts = [
        ("id", doc.id),
        ("outlet", src.outlet or doc.outlet),
        ("domain", src.domain),
        ("author", doc.author),
        ("published", doc.published),
        ("language", doc.language),
        ("read from", doc.source),
    ]
    if src.reliability:
        facts.append(("reliability", _reliability(src.reliability)))
    if analysis.genre:
        facts.append(("genre", _scored("genres", analysis.genre)))
    if analysis.frames:
        facts.append(("frames", ", ".join(_scored("frames", f) for f in analysis.frames)))
    lines += [f"- **{key}:** {escape(str(value))}" for key, value in facts if value]
    for m in src.markers:
        lines.append(f"- **{m.kind.replace('_', ' ')}:** {quote(m.text)}")
    return "\n".join(lines) + "\n"


def _scored(kind: str, label: Label) -> str:
    return f"{describe(kind, label.label).name} ({format_score(label.score)})"


def _reliability(rel: Reliability) -> str:
    note = f" — {rel.note}" if rel.note else ""
    return rel.label + note + (f" ({rel.list_name})" if rel.list_name else "")


def _errors(analysis: Analysis) -> str:
    if not analysis.errors:
        return ""
    lines = ["## Errors", ""] + [f"- `{e.analyzer}`: {escape(e.message)}" for e in analysis.errors]
    return "\n".join(lines) + "\n"


def _technique_order(tid: str) -> tuple[int, str]:
    t = BY_ID.get(tid)
    return (t.number if t else 999, tid)


def _techniques(analysis: Analysis) -> str:
    if not analysis.techniques:
        ran = "techniques" in analysis.models
        return "## Techniques\n\nNo technique spans" + ("" if ran else " (the techniques analyzer did not run)") + ".\n"
    counts = Counter(t.technique for t in analysis.techniques)
    lines = ["## Techniques", "", "| technique | group | spans |", "|---|---|---:|"]
    for tid in sorted(counts, key=_technique_order):
        info = describe("techniques", tid)
        lines.append(f"| {escape(info.name)} | {escape(info.group or '')} | {counts[tid]} |")
    lines += ["", "### Spans", ""]
    for t in sorted(analysis.techniques, key=lambda t: (t.start, t.end)):
        name = describe("techniques", t.technique).name
        lines.append(f"- {quote(t.text)} — {escape(name)} ({format_score(t.score)})")
    return "\n".join(lines) + "\n"


def _paragraphs(analysis: Analysis) -> str:
    rows = [(i, p) for i, p in enumerate(analysis.paragraphs, 1) if p.techniques]
    if not rows:
        return ""
    text = analysis.document.text
    lines = ["## Paragraph-level techniques", ""]
    for i, p in rows:
        names = ", ".join(describe("techniques", t).name for t in p.techniques)
        lines.append(f"- ¶{i} {quote(text[p.start : p.end], 120)} — {escape(names)}")
    return "\n".join(lines) + "\n"


def _claims(analysis: Analysis) -> str:
    if not analysis.claims:
        return ""
    lines = ["## Claims", ""]
    for i, c in enumerate(analysis.claims, 1):
        who = escape(c.speaker.name) if c.speaker else "unattributed"
        details = [f"cue: {escape(c.cue)}"] if c.cue else []
        if c.hedges:
            details.append("hedges: " + ", ".join(escape(h) for h in c.hedges))
        if c.quantities:
            details.append("quantities: " + "; ".join(escape(quantity_text(q)) for q in c.quantities))
        flags = "".join(f" **[{f}]**" for f, on in (("denial", c.denial), ("hedged", c.hedged)) if on)
        lines.append(f"{i}. **{who}**: {quote(c.text)}{flags}" + (f" ({'; '.join(details)})" if details else ""))
    return "\n".join(lines) + "\n"


def _narratives(analysis: Analysis) -> str:
    if not analysis.narratives:
        return _closest_narratives(analysis)
    text = analysis.document.text
    lines = ["## Narratives", ""]
    for n in analysis.narratives:
        name = describe("narratives", n.narrative).name
        if n.subnarrative:
            name += " — " + describe("subnarratives", n.subnarrative).name
        lines.append(f"- **{escape(name)}** ({format_score(n.score)})")
        lines += [f"  - {quote(text[e.start : e.end])}" for e in n.evidence]
    return "\n".join(lines) + "\n"


def _closest_narratives(analysis: Analysis) -> str:
    """Where no narrative was kept, the ones that came close, each with the score it needed."""
    close = closest_narratives(analysis)
    if not close:
        return ""
    lines = ["## Narratives", "", "None reached the score it needs here. Closest:", ""]
    for n in close:
        name = describe("narratives", n.narrative).name
        lines.append(f"- {escape(name)} ({format_score(n.score)}; needs {format_score(n.threshold)})")
    return "\n".join(lines) + "\n"


def _actors(analysis: Analysis) -> str:
    if not analysis.entities:
        return ""
    text = analysis.document.text
    lines = ["## Actors", "", "| actor | role | fine roles | mentions |", "|---|---|---|---|"]
    for e in analysis.entities:
        role = describe("roles", e.role).name if e.role else ""
        role += f" ({format_score(e.score)})" if role and e.score is not None else ""
        fine = ", ".join(describe("roles", r).name for r in e.fine_roles)
        forms = Counter(" ".join(text[m.start : m.end].split()) for m in e.mentions)
        shown = ", ".join(quote(f, 60) for f, _ in forms.most_common(3))
        lines.append(f"| {escape(e.name)} | {escape(role)} | {escape(fine)} | {len(e.mentions)}: {shown} |")
    return "\n".join(lines) + "\n"
