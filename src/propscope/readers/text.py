"""Plain text: decode bytes without shifting offsets; refuse binary data."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from propscope.readers.base import Problem, ReadError
from propscope.schema import Document

_CONTROL = set(range(0, 9)) | {11, 12} | set(range(14, 32))


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b in _CONTROL)
    return controls > max(8, len(head) // 20)


def decode_text(data: bytes, name: str) -> tuple[str, Problem | None]:
    """UTF-8 text (BOM dropped; UTF-16 with a BOM also read); invalid bytes become U+FFFD with a warning."""
    encoding = "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"  # its NUL bytes would otherwise look binary
    elif looks_binary(data):
        raise ReadError("binary file, not text")
    elif data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as exc:
        text = data.decode(encoding, errors="replace")
        bad = text.count("\ufffd")
        if bad > max(3, len(text) // 200):
            # Many bad bytes: a legacy encoding (e.g. cp1251 Russian), not a few corrupt bytes.
            guessed = guess_legacy(data)
            if guessed:
                return guessed[1], Problem(name, f"not UTF-8; read as {guessed[0]} (guessed)", fatal=False)
        message = f"invalid {encoding.upper()} at byte {exc.start}; {bad} character(s) replaced"
        return text, Problem(name, message, fatal=False)


def guess_legacy(data: bytes) -> tuple[str, str] | None:
    """(encoding, text) from charset detection, or None when it finds nothing convincing."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1024 * 1024]).best()
    if best is None or best.encoding in ("utf_8", "ascii"):
        return None
    try:
        return best.encoding, data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def guess_title(text: str) -> str | None:
    """The first line, when it is short and stands apart like a headline."""
    lines = text.lstrip().split("\n", 2)
    first = lines[0].strip()
    if first and len(first) <= 200 and (len(lines) == 1 or not lines[1].strip() or len(first) < 120):
        return first
    return None


def doc_id(name: str, text: str) -> str:
    if name in ("-", ""):
        return "sha1-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    return PurePath(name).stem


def document_from_text(text: str, name: str, **fields: object) -> Document:
    """A Document whose text is exactly ``text``; id from the file name (or a hash for stdin)."""
    doc = Document(id=doc_id(name, text), text=text, title=guess_title(text), source=None if name == "-" else name)
    for key, value in fields.items():
        setattr(doc, key, value)
    return doc
