"""Outlet reliability lists: a user's CSV of ``domain,label[,note]``, looked up by domain.

The format is documented in docs/reliability.md. A malformed row raises ValueError naming
the file and line: a list that silently loses rows would leave outlets unlabelled unnoticed.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from propscope.schema import Reliability

# A host name: labels of letters/digits/hyphens (any script, for .рф), at least one dot.
_DOMAIN = re.compile(r"^(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_][\w-]*$")


def normalize_domain(value: str) -> str | None:
    """``https://WWW.Example.com:443/`` -> ``example.com``; None when ``value`` names no host.

    A path after the host is dropped, so callers that must refuse paths check for them first.
    """
    value = value.strip().lower()
    if not value:
        return None
    host = urlsplit(value if "//" in value else "//" + value).hostname or ""
    host = host.rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host if _DOMAIN.match(host) else None


def _has_path(value: str) -> bool:
    value = value.strip()
    path = urlsplit(value if "//" in value else "//" + value).path
    return path not in ("", "/")


@dataclass
class ReliabilityList:
    """Labels by domain; ``lookup`` also matches subdomains (news.example.com -> example.com)."""

    name: str
    labels: dict[str, Reliability] = field(default_factory=dict)

    def lookup(self, domain: str | None) -> Reliability | None:
        host = normalize_domain(domain) if domain else None
        if not host:
            return None
        parts = host.split(".")
        # Try the host, then each parent; stop before the bare top-level domain.
        for i in range(len(parts) - 1):
            found = self.labels.get(".".join(parts[i:]))
            if found is not None:
                return found
        return None

    def __len__(self) -> int:
        return len(self.labels)


def _parse_row(row: list[str]) -> tuple[str, str, str | None]:
    """(domain, label, note) from one row, or ValueError saying what is wrong with it."""
    cells = [c.strip() for c in row]
    if len(cells) < 2:
        raise ValueError("expected domain,label[,note]; found one field")
    if len(cells) > 3:
        raise ValueError(f"expected domain,label[,note]; found {len(cells)} fields (quote a note that has commas)")
    raw_domain, label = cells[0], cells[1]
    note = cells[2] if len(cells) == 3 and cells[2] else None
    domain = normalize_domain(raw_domain)
    if domain is None:
        raise ValueError(f"{raw_domain!r} is not a domain")
    if _has_path(raw_domain):
        raise ValueError(f"{raw_domain!r} has a path; list whole domains only")
    if not label:
        raise ValueError(f"no label for {domain}")
    return domain, label, note


def _is_header(row: list[str]) -> bool:
    return bool(row) and row[0].strip().lower() == "domain"


def parse_reliability(text: str, name: str) -> ReliabilityList:
    """A ReliabilityList from CSV text; ``name`` is used in messages and as ``list_name``."""
    result = ReliabilityList(name=Path(name).name)
    first_line: dict[str, int] = {}
    # Blank out comments (rather than drop them) so csv line numbers stay true to the file.
    lines = ["" if line.lstrip().startswith("#") else line for line in text.splitlines()]
    reader = csv.reader(lines)
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise ValueError(f"{name}:{reader.line_num}: bad reliability row: {exc}") from None
    for number, row in rows:
        if not "".join(row).strip():
            continue
        if not first_line and _is_header(row):
            continue
        try:
            domain, label, note = _parse_row(row)
        except ValueError as exc:
            raise ValueError(f"{name}:{number}: bad reliability row: {exc}") from None
        known = result.labels.get(domain)
        if known is not None and (known.label, known.note) != (label, note):
            where = first_line[domain]
            raise ValueError(f"{name}:{number}: {domain} is listed again with another label (first at line {where})")
        first_line.setdefault(domain, number)
        result.labels[domain] = Reliability(label=label, note=note, list_name=result.name)
    return result


def load_reliability(path: str | Path) -> ReliabilityList:
    """Read a reliability CSV; every failure is a ValueError with one line naming the file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read reliability list: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: reliability list is not UTF-8 text (byte {exc.start})") from None
    if "\x00" in text:
        raise ValueError(f"{path}: reliability list is a binary file, not CSV")
    return parse_reliability(text, str(path))
