"""Stacked bar charts as plain shapes for an inline SVG template: no JavaScript, no CDN.

Bars show counts per article of the group (spans per article for techniques, labels per article for
narratives), so outlets with many stored articles do not dwarf the others; raw counts are in each tooltip.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from propscope.taxonomy import describe

PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#d37295",
)  # fmt: skip
OTHER_COLOUR = "#cccccc"
UNKNOWN = "(unknown)"


@dataclass(slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    title: str


@dataclass(slots=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"


@dataclass(slots=True)
class Chart:
    width: int
    height: int
    rects: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (name, colour)
    empty: bool = False


def colour_for(kind: str, label: str, rank: int) -> str:
    colour = describe(kind, label).colour if kind == "techniques" else None
    return colour or PALETTE[rank % len(PALETTE)]


def _top_labels(rows: list[dict[str, Any]], limit: int) -> list[str]:
    totals: dict[str, int] = defaultdict(int)
    for r in rows:
        totals[r["label"]] += r["count"]
    return sorted(totals, key=lambda k: (-totals[k], k))[:limit]


def _table(rows: list[dict[str, Any]], keep: set[str]) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """group -> label -> count (labels outside ``keep`` merged into 'other'), and group -> articles."""
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    articles: dict[str, int] = {}
    for r in rows:
        group = r["group"] or UNKNOWN
        label = r["label"] if r["label"] in keep else "other"
        table[group][label] += r["count"]
        articles[group] = r["group_articles"]
    return table, articles


def stacked_chart(rows: list[dict[str, Any]], kind: str, by: str, max_labels: int = 10, max_groups: int = 25) -> Chart:
    """Horizontal bars per outlet or language; vertical bars per month, in date order."""
    if not rows:
        return Chart(width=600, height=40, empty=True)
    labels = _top_labels(rows, max_labels)
    table, articles = _table(rows, set(labels))
    order = labels + (["other"] if any("other" in t for t in table.values()) else [])
    style = {lab: (describe(kind, lab).name, colour_for(kind, lab, i)) for i, lab in enumerate(labels)}
    style["other"] = ("other", OTHER_COLOUR)
    if by == "month":
        groups = sorted(table)[-max_groups:]
    else:
        groups = sorted(table, key=lambda g: (-articles[g], g))[:max_groups]
    stacks = [(g, articles[g], list(_segments(g, table[g], articles[g], order, style))) for g in groups]
    chart = _vertical(stacks) if by == "month" else _horizontal(stacks)
    chart.legend = [style[lab] for lab in order]
    return chart


Segment = tuple[float, str, str]  # (value per article, colour, tooltip)
Stack = tuple[str, int, list[Segment]]  # (group, articles, segments)


def _segments(
    group: str, counts: dict[str, int], n: int, order: list[str], style: dict[str, tuple[str, str]]
) -> list[Segment]:
    out = []
    for label in order:
        if counts.get(label):
            name, colour = style[label]
            out.append((counts[label] / max(n, 1), colour, f"{name}: {counts[label]} in {n} article(s) of {group}"))
    return out


def _top(stacks: list[Stack]) -> float:
    return max(sum(v for v, _, _ in segs) for _, _, segs in stacks) or 1.0


def _horizontal(stacks: list[Stack]) -> Chart:
    left, bar_w, row_h = 190, 520, 24
    top = _top(stacks)
    chart = Chart(width=left + bar_w + 60, height=row_h * len(stacks) + 30)
    for i, (group, n, segments) in enumerate(stacks):
        y = 10 + i * row_h
        chart.texts.append(Text(left - 8, y + 15, f"{_short(group)} ({n})", "end"))
        x = float(left)
        for value, colour, title in segments:
            w = bar_w * value / top
            chart.rects.append(Rect(round(x, 1), y + 2, round(w, 1), row_h - 6, colour, title))
            x += w
        chart.texts.append(Text(round(x + 4, 1), y + 15, f"{sum(v for v, _, _ in segments):.2f}"))
    chart.texts.append(Text(left, chart.height - 4, "per article; the number of articles is in brackets"))
    return chart


def _vertical(stacks: list[Stack]) -> Chart:
    head, height, bar_w, gap = 28, 220, 46, 12
    top = _top(stacks)
    chart = Chart(width=60 + len(stacks) * (bar_w + gap), height=head + height + 40)
    base = head + height
    chart.texts.append(Text(4, 14, f"{top:.2f} per article at the tallest bar"))
    for i, (group, n, segments) in enumerate(stacks):
        x = 50 + i * (bar_w + gap)
        y = float(base)
        for value, colour, title in segments:
            h = height * value / top
            y -= h
            chart.rects.append(Rect(x, round(y, 1), bar_w, round(h, 1), colour, title))
        chart.texts.append(Text(x + bar_w / 2, base + 14, _short(group, 8), "middle"))
        chart.texts.append(Text(x + bar_w / 2, base + 28, f"n={n}", "middle"))
    return chart


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
