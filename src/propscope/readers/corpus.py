"""JSONL, JSON and CSV corpora: one article per record, fields named by ``ReaderConfig``.

A bad record is one Problem naming the file and line; the other records still read.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from propscope.readers.base import Problem, ReaderConfig, ReadError
from propscope.readers.text import decode_text
from propscope.schema import Document

# Tried in order when the configured field is the default one and the record lacks it.
FALLBACKS: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article", "full_text", "maintext"),
    "title": ("title", "headline"),
    "id": ("id", "doc_id", "article_id", "uuid"),
    "published": ("published", "date", "published_at", "pubdate", "date_publish"),
    "outlet": ("outlet", "sitename", "site_name", "publisher", "domain"),
    "url": ("url", "link", "source_url"),
    "language": ("language", "lang"),
}
DEFAULTS = {f: names[0] for f, names in FALLBACKS.items()}


def _lookup(record: dict[str, Any], key: str) -> Any:
    """``a.b`` reaches into nested objects."""
    value: Any = record
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def field_value(record: dict[str, Any], kind: str, configured: str) -> Any:
    """The first non-empty value among the configured field and, if that is the default, its fallbacks."""
    names = FALLBACKS[kind] if configured == DEFAULTS[kind] else (configured,)
    for name in names:
        value = _lookup(record, name)
        if value not in (None, ""):
            return value
    return None


def _as_str(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    return str(value).strip() or None


def document_from_record(record: dict[str, Any], name: str, line: int, config: ReaderConfig) -> Document:
    """One Document, or ReadError(line) when the record has no text."""
    text = field_value(record, "text", config.text_field)
    if not isinstance(text, str) or not text.strip():
        looked = FALLBACKS["text"] if config.text_field == "text" else (config.text_field,)
        raise ReadError(f"record has no text (looked for field {', '.join(looked)})", line)
    if len(text.encode("utf-8")) > config.max_bytes:
        raise ReadError(f"record text is over the {config.max_bytes // 2**20} MB limit", line)
    stem = PurePath(name).stem if name != "-" else "stdin"
    url = _as_str(field_value(record, "url", config.url_field))
    doc = Document(
        id=_as_str(field_value(record, "id", config.id_field)) or f"{stem}:{line}",
        text=text,
        title=_as_str(field_value(record, "title", config.title_field)),
        language=_language(field_value(record, "language", config.language_field)),
        source=url if name == "-" else name,
        outlet=_as_str(field_value(record, "outlet", config.outlet_field)),
        published=_as_str(field_value(record, "published", config.date_field)),
    )
    doc.meta["line"] = line
    if url:
        doc.meta["url"] = url
    for meta_key, record_key in config.extra.items():
        value = _lookup(record, record_key)
        if value is not None:
            doc.meta[meta_key] = value
    return doc


def _language(value: Any) -> str | None:
    """Lower-case ISO code; 'en-US' -> 'en'."""
    code = _as_str(value)
    return code.lower().replace("_", "-").split("-")[0] if code else None


def _records(rows: Iterator[tuple[int, Any]], name: str, config: ReaderConfig) -> Iterator[Document | Problem]:
    for line, record in rows:
        if not isinstance(record, dict):
            yield Problem(name, f"record is {type(record).__name__}, not an object", line)
            continue
        try:
            yield document_from_record(record, name, line, config)
        except ReadError as exc:
            yield Problem(name, str(exc), exc.line)


def _decoded(data: bytes, name: str) -> tuple[str, list[Problem]]:
    text, warning = decode_text(data, name)
    return text, [warning] if warning else []


def read_jsonl(data: bytes, name: str, config: ReaderConfig) -> Iterator[Document | Problem]:
    """One JSON object per line; blank lines skipped."""
    text, problems = _decoded(data, name)
    yield from problems

    def rows() -> Iterator[tuple[int, Any]]:
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                bad.append(Problem(name, f"malformed JSON: {exc.msg} (column {exc.colno})", number))
                continue

    bad: list[Problem] = []
    for item in _records(rows(), name, config):
        yield from bad
        bad.clear()
        yield item
    yield from bad


def read_json(data: bytes, name: str, config: ReaderConfig) -> Iterator[Document | Problem]:
    """A JSON array of records, or one record; ids default to ``<stem>:<index>`` (1-based)."""
    text, problems = _decoded(data, name)
    yield from problems
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"malformed JSON: {exc.msg}", exc.lineno) from exc
    records = value if isinstance(value, list) else [value]
    yield from _records(enumerate(records, start=1), name, config)


def _delimiter(text: str, name: str) -> str:
    """Tab for .tsv; otherwise the most frequent of , ; tab in the header row (field names rarely hold them)."""
    if name.lower().endswith(".tsv"):
        return "\t"
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(data: bytes, name: str, config: ReaderConfig) -> Iterator[Document | Problem]:
    """A header row, then one article per row; ids default to ``<stem>:<line>`` of the row's first line."""
    text, problems = _decoded(data, name)
    yield from problems
    # Articles are longer than csv's default 128 KB field limit.
    csv.field_size_limit(max(csv.field_size_limit(), config.max_bytes))
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(text, name))
    if not reader.fieldnames:
        raise ReadError("no header row")

    def rows() -> Iterator[tuple[int, Any]]:
        start = reader.line_num + 1
        try:
            for row in reader:
                yield start, {k: v for k, v in row.items() if k is not None}
                start = reader.line_num + 1
        except csv.Error as exc:
            raise ReadError(f"malformed CSV: {exc}", reader.line_num) from exc

    yield from _records(rows(), name, config)
