"""Render analyses as json, jsonl, html or md."""

from __future__ import annotations

import json

from propscope.schema import Analysis


def render(analyses: list[Analysis], fmt: str) -> str:
    """One string for the whole run: a JSON object (one input) or list, JSON lines, a page, or Markdown."""
    if fmt == "json":
        dicts = [a.to_dict() for a in analyses]
        return json.dumps(dicts[0] if len(dicts) == 1 else dicts, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(a.to_dict(), ensure_ascii=False) + "\n" for a in analyses)
    if fmt == "html":
        from propscope.report.html import render_html

        return render_html(analyses)
    if fmt == "md":
        from propscope.report.markdown import render_markdown

        return render_markdown(analyses)
    raise ValueError(f"unknown format {fmt!r}")
