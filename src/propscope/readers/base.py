"""Dispatch inputs to readers; report bad input as Problems, never tracebacks."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from propscope.schema import Document

MAX_BYTES = 20 * 1024 * 1024  # an article is never this large; refuse rather than stall
CORPUS_MAX_BYTES = 512 * 1024 * 1024  # JSONL/CSV corpora hold many articles; each record still obeys MAX_BYTES


@dataclass(slots=True)
class Problem:
    """Bad input: one line naming the file (and line). ``fatal`` means no document came of it."""

    path: str
    message: str
    line: int | None = None
    fatal: bool = True

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        kind = "error" if self.fatal else "warning"
        return f"{kind}: {where}: {self.message}"


@dataclass(slots=True)
class ReaderConfig:
    """Which record fields hold what, for JSONL and CSV corpora."""

    text_field: str = "text"
    title_field: str = "title"
    id_field: str = "id"
    date_field: str = "published"
    outlet_field: str = "outlet"
    url_field: str = "url"
    language_field: str = "language"
    max_bytes: int = MAX_BYTES
    corpus_max_bytes: int = CORPUS_MAX_BYTES
    extra: dict[str, str] = field(default_factory=dict)  # doc.meta key -> record field, copied as is


class ReadError(Exception):
    """Raised inside a reader; turned into a Problem for that file."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def read_inputs(paths: list[str], config: ReaderConfig | None = None) -> Iterator[Document | Problem]:
    """Documents from files, directories (recursively) and ``-`` (stdin), with Problems in between."""
    from propscope.readers import dispatch

    config = config or ReaderConfig()
    for raw in paths:
        if raw == "-":
            # Read one byte past the limit so an endless stream is refused instead of filling memory.
            yield from dispatch.read_stdin(sys.stdin.buffer.read(config.corpus_max_bytes + 1), config)
            continue
        path = Path(raw)
        if path.is_dir():
            yield from dispatch.read_directory(path, config)
        elif path.exists():
            yield from dispatch.read_file(path, config)
        else:
            yield Problem(raw, "no such file or directory")
