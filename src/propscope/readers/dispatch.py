"""Pick a reader by file kind; turn every failure into a Problem naming the file."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from propscope.readers.base import Problem, ReaderConfig, ReadError
from propscope.readers.text import decode_text, document_from_text
from propscope.schema import Document

Reader = Callable[[bytes, str, ReaderConfig], Iterator[Document | Problem]]

SUFFIX_KINDS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
}
CORPUS_KINDS = ("jsonl", "json", "csv")
# Formats people will try that we cannot read; say so instead of calling them binary.
UNSUPPORTED = {".pdf": "PDF", ".doc": "Word", ".docx": "Word", ".odt": "OpenDocument", ".rtf": "RTF", ".epub": "EPUB"}


def _text_reader(data: bytes, name: str, config: ReaderConfig) -> Iterator[Document | Problem]:
    text, warning = decode_text(data, name)
    if warning:
        yield warning
    if not text.strip():
        raise ReadError("no text")
    yield document_from_text(text, name)


def _reader(kind: str) -> Reader:
    if kind == "html":
        from propscope.readers.html import read_html

        return read_html
    if kind in CORPUS_KINDS:
        from propscope.readers import corpus

        return {"jsonl": corpus.read_jsonl, "json": corpus.read_json, "csv": corpus.read_csv}[kind]
    return _text_reader


def sniff_kind(data: bytes) -> str:
    """Guess the format of stdin or a file without a known suffix from its first bytes."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or (head.startswith(b"<") and b"<body" in data[:65536].lower()):
        return "html"
    if head.startswith(b"{"):
        first = head.split(b"\n", 1)[0].rstrip()
        return "jsonl" if first.endswith(b"}") else "json"
    if head.startswith(b"["):
        return "json"
    return "text"


def kind_of(name: str, data: bytes | None = None) -> str:
    """The reader kind by suffix, else by content when ``data`` is given."""
    kind = SUFFIX_KINDS.get(Path(name).suffix.lower())
    if kind:
        return kind
    return sniff_kind(data) if data is not None else "text"


def size_limit(kind: str, config: ReaderConfig) -> int:
    return config.corpus_max_bytes if kind in CORPUS_KINDS else config.max_bytes


def _too_large(size: int, limit: int) -> str:
    return f"too large ({size / 2**20:.1f} MB; the limit is {limit // 2**20} MB)"


def _guarded(reader: Reader, data: bytes, name: str, config: ReaderConfig) -> Iterator[Document | Problem]:
    try:
        yield from reader(data, name, config)
    except ReadError as exc:
        yield Problem(name, str(exc), exc.line)
    except (ValueError, UnicodeError, OSError, RecursionError) as exc:
        yield Problem(name, f"cannot read: {exc}")


def read_bytes(data: bytes, name: str, config: ReaderConfig) -> Iterator[Document | Problem]:
    """Documents from the bytes of one input called ``name``."""
    kind = kind_of(name, data)
    if len(data) > size_limit(kind, config):
        yield Problem(name, _too_large(len(data), size_limit(kind, config)))
        return
    if not data.strip():
        yield Problem(name, "empty file")
        return
    yield from _guarded(_reader(kind), data, name, config)


def read_file(path: Path, config: ReaderConfig) -> Iterator[Document | Problem]:
    """Documents from one file; a regular file's size is checked before anything is read."""
    name = str(path)
    unsupported = UNSUPPORTED.get(path.suffix.lower())
    if unsupported:
        yield Problem(name, f"{unsupported} files are not supported; convert to text or HTML first")
        return
    limit = size_limit(kind_of(name), config)
    try:
        if path.is_file():
            size = path.stat().st_size
            if size > limit:
                yield Problem(name, _too_large(size, limit))
                return
            data = path.read_bytes()
        else:
            data = _read_bounded(path, limit)  # a pipe such as <(curl ...): no size to check first
    except OSError as exc:
        yield Problem(name, f"cannot read: {exc.strerror or exc}")
        return
    yield from read_bytes(data, name, config)


def _read_bounded(path: Path, limit: int) -> bytes:
    """At most one byte past ``limit``, so read_bytes can refuse the rest without reading it."""
    with open(path, "rb") as fh:
        return fh.read(limit + 1)


def read_stdin(data: bytes, config: ReaderConfig) -> Iterator[Document | Problem]:
    yield from read_bytes(data, "-", config)


def read_directory(root: Path, config: ReaderConfig) -> Iterator[Document | Problem]:
    """Every file below ``root`` in sorted order, skipping hidden files and folders.

    Files in subfolders get ids from their relative path (``2024/article1``) so same-named files stay apart.
    """

    def on_error(exc: OSError) -> None:
        problems.append(Problem(str(exc.filename or root), f"cannot read: {exc.strerror or exc}"))

    problems: list[Problem] = []
    seen = 0
    for folder, dirs, files in os.walk(root, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        yield from problems
        problems.clear()
        for name in sorted(files):
            if name.startswith("."):
                continue
            seen += 1
            path = Path(folder) / name
            for item in read_file(path, config):
                if isinstance(item, Document) and item.id == path.stem and path.parent != root:
                    item.id = path.relative_to(root).with_suffix("").as_posix()
                yield item
    yield from problems
    if not seen:
        yield Problem(str(root), "no files in this directory")
