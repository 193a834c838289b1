"""Pick a reader by file kind; turn every failure into a Problem naming the file."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from propscope.readers.base import Problem, ReaderConfig, ReadError
from propscope.readers.text import decode_text, document_from_text
from propscope.schema import Document

Reader = Callable[[bytes, str, ReaderConfig], Iterator[Document | Problem]]


def _text_reader(data: bytes, name: str, config: ReaderConfig) -> Iterator[Document | Problem]:
    text, warning = decode_text(data, name)
    if warning:
        yield warning
    yield document_from_text(text, name)


def _reader_for(name: str) -> Reader:
    suffix = Path(name).suffix.lower()
    if suffix in (".html", ".htm", ".xhtml"):
        from propscope.readers.html import read_html

        return read_html
    if suffix in (".jsonl", ".ndjson"):
        from propscope.readers.corpus import read_jsonl

        return read_jsonl
    if suffix == ".csv":
        from propscope.readers.corpus import read_csv

        return read_csv
    return _text_reader


def _guarded(reader: Reader, data: bytes, name: str, config: ReaderConfig) -> Iterator[Document | Problem]:
    try:
        yield from reader(data, name, config)
    except ReadError as exc:
        yield Problem(name, str(exc), exc.line)
    except (ValueError, UnicodeError, OSError) as exc:
        yield Problem(name, f"cannot read: {exc}")


def read_bytes(data: bytes, name: str, config: ReaderConfig) -> Iterator[Document | Problem]:
    """Documents from the bytes of one input called ``name``."""
    if not data.strip():
        yield Problem(name, "empty file")
        return
    if len(data) > config.max_bytes:
        limit = config.max_bytes // (1024 * 1024)
        yield Problem(name, f"too large ({len(data) / 2**20:.1f} MB; the limit is {limit} MB)")
        return
    yield from _guarded(_reader_for(name), data, name, config)


def read_file(path: Path, config: ReaderConfig) -> Iterator[Document | Problem]:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > config.max_bytes:
            limit = config.max_bytes // (1024 * 1024)
            yield Problem(name, f"too large ({size / 2**20:.1f} MB; the limit is {limit} MB)")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Problem(name, f"cannot read: {exc.strerror or exc}")
        return
    yield from read_bytes(data, name, config)


def read_stdin(data: bytes, config: ReaderConfig) -> Iterator[Document | Problem]:
    yield from read_bytes(data, "-", config)


def read_directory(root: Path, config: ReaderConfig) -> Iterator[Document | Problem]:
    """Every file below ``root`` in sorted order, skipping hidden files and folders."""

    def on_error(exc: OSError) -> None:
        problems.append(Problem(str(exc.filename or root), f"cannot read: {exc.strerror or exc}"))

    problems: list[Problem] = []
    for folder, dirs, files in os.walk(root, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        yield from problems
        problems.clear()
        for name in sorted(files):
            if not name.startswith("."):
                yield from read_file(Path(folder) / name, config)
    yield from problems
