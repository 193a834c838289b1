"""Readers for the annotated research corpora (PTC, SemEval-2023 Task 3, SemEval-2025 Task 10, UNLP 2025).

``data_dir`` is always the data root (the folder holding ``ptc/``, ``semeval2023-task3/`` ...). Texts are read
byte-exact (no newline translation) so the upstream character offsets index ``Document.text`` directly.
Gold labels go to ``doc.spans["gold:..."]`` and ``doc.meta["gold"]``. Spans that fall outside their text are
dropped and counted in ``doc.meta["dropped_spans"]`` rather than raising: a few upstream files have such errors.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from propscope.schema import Document, Span

# Official SemEval-2023 folder codes -> ISO 639-1.
SEMEVAL2023_LANGS = {"en": "en", "fr": "fr", "ge": "de", "it": "it", "po": "pl", "ru": "ru"}
SEMEVAL2025_LANGS = ("BG", "EN", "HI", "PT", "RU")
# One upstream typo in the SemEval-2023 en train labels.
LABEL_FIXES = {"Appeal_to_Fear-Prejudi-čce": "Appeal_to_Fear-Prejudice"}


def _require(path: Path, what: str) -> Path:
    if not path.exists():
        raise FileNotFoundError(f"{what} not found: {path} (is --data pointing at the shared data folder?)")
    return path


def _read_text(path: Path) -> str:
    """The file's text exactly as stored: CRLF kept, since upstream offsets count it."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def _tsv_rows(path: Path) -> list[list[str]]:
    """Tab-separated rows without their line end; blank lines skipped."""
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            if line.strip():
                rows.append(line.split("\t"))
    return rows


def _add_spans(doc: Document, group: str, spans: list[Span]) -> list[int]:
    """Keep the spans that lie inside ``doc.text``; return the indices kept (to align parallel lists)."""
    kept = [i for i, s in enumerate(spans) if s.end <= len(doc.text)]
    dropped = len(spans) - len(kept)
    if dropped:
        doc.meta["dropped_spans"] = doc.meta.get("dropped_spans", 0) + dropped
    doc.spans[group] = [spans[i] for i in kept]
    return kept


def _span(start: str, end: str, label: str) -> Span | None:
    try:
        return Span(int(start), int(end), label=label)
    except ValueError:
        return None  # unparsable or reversed offsets: an upstream error, skipped


def _article_files(folder: Path) -> dict[str, Path]:
    """``article<ID>.txt`` files by ID, sorted by name."""
    return {p.stem.removeprefix("article"): p for p in sorted(folder.glob("article*.txt"))}


def _technique_spans(path: Path) -> dict[str, list[Span]]:
    """``id<TAB>technique<TAB>start<TAB>end`` files, grouped by article and sorted by offsets."""
    by_id: dict[str, list[Span]] = defaultdict(list)
    for row in _tsv_rows(path):
        if len(row) >= 4:
            span = _span(row[2], row[3], LABEL_FIXES.get(row[1], row[1]))
            if span:
                by_id[row[0]].append(span)
    for spans in by_id.values():
        spans.sort(key=lambda s: (s.start, s.end, s.label))
    return by_id


# --- PTC ---------------------------------------------------------------------------------------------------------


def read_ptc(data_dir: Path, split: str = "train") -> list[Document]:
    """PTC v2 articles of ``split`` (train or dev) with their technique spans in ``gold:techniques``."""
    root = _require(Path(data_dir) / "ptc", "PTC corpus")
    articles = _article_files(_require(root / f"{split}-articles", f"PTC {split} articles"))
    spans = _technique_spans(_require(root / f"{split}-task-flc-tc.labels", f"PTC {split} labels"))
    docs = []
    for doc_id, path in articles.items():
        text = _read_text(path)
        doc = Document(id=doc_id, text=text, title=_first_line(text), language="en", source=str(path))
        doc.meta.update(corpus="ptc", split=split)
        _add_spans(doc, "gold:techniques", spans.get(doc_id, []))
        docs.append(doc)
    return docs


def _first_line(text: str) -> str | None:
    first = text.split("\n", 1)[0].strip()
    return first or None


# --- SemEval-2023 Task 3 -----------------------------------------------------------------------------------------


def _semeval2023_folder(lang: str) -> str:
    """Accept the official code (ge, po) or the ISO one (de, pl)."""
    code = lang.lower()
    iso_to_official = {iso: official for official, iso in SEMEVAL2023_LANGS.items()}
    code = iso_to_official.get(code, code)
    if code not in SEMEVAL2023_LANGS:
        raise ValueError(f"unknown SemEval-2023 language {lang!r}; known: {', '.join(SEMEVAL2023_LANGS)}")
    return code


def _labels_by_id(path: Path) -> dict[str, str]:
    """``id<TAB>value`` files (subtasks 1 and 2); missing file -> no labels."""
    if not path.exists():
        return {}
    return {row[0]: (row[1] if len(row) > 1 else "") for row in _tsv_rows(path)}


def _paragraph_labels(path: Path) -> dict[str, dict[int, list[str]]]:
    """Subtask 3 ``id<TAB>line<TAB>tech,tech`` -> {id: {line: [techniques]}}."""
    by_id: dict[str, dict[int, list[str]]] = defaultdict(dict)
    with open(path, encoding="utf-8", newline="") as fh:
        for raw in fh:
            row = raw.rstrip("\r\n").split("\t")
            if len(row) < 2 or not row[1].strip().isdigit():
                continue
            techniques = [LABEL_FIXES.get(t, t) for t in (row[2].split(",") if len(row) > 2 else []) if t]
            by_id[row[0]][int(row[1])] = techniques
    return by_id


def line_paragraphs(text: str, labels: dict[int, list[str]]) -> list[dict[str, Any]]:
    """Every non-blank line of ``text`` (the lines the official .labels/.template files list), 1-based,
    with its offsets (newline excluded) and its techniques."""
    paragraphs = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        body = line.rstrip("\r")
        if body.strip():
            paragraphs.append(
                {"line": number, "start": start, "end": start + len(body), "techniques": labels.get(number, [])}
            )
        start += len(line) + 1
    return paragraphs


def read_semeval2023(data_dir: Path, lang: str, split: str = "train") -> list[Document]:
    """SemEval-2023 Task 3 subtask-3 articles with genre, frames, paragraph techniques and (English) spans."""
    code = _semeval2023_folder(lang)
    root = _require(Path(data_dir) / "semeval2023-task3" / code, f"SemEval-2023 {code} data")
    articles = _article_files(_require(root / f"{split}-articles-subtask-3", f"SemEval-2023 {code} {split} articles"))
    paragraphs = _paragraph_labels(_require(root / f"{split}-labels-subtask-3.txt", f"SemEval-2023 {code} labels"))
    genres = _labels_by_id(root / f"{split}-labels-subtask-1.txt")
    frames = _labels_by_id(root / f"{split}-labels-subtask-2.txt")
    # Non-English span offsets do not line up with the texts upstream (SOURCE.md), so only English gets spans.
    spans = {}
    if code == "en":
        spans = _technique_spans(_require(root / f"{split}-labels-subtask-3-spans.txt", "SemEval-2023 en spans"))
    docs = []
    for doc_id, path in articles.items():
        text = _read_text(path)
        doc = Document(id=doc_id, text=text, title=_first_line(text), language=SEMEVAL2023_LANGS[code])
        doc.source = str(path)
        doc.meta.update(corpus="semeval2023-task3", split=split)
        doc.meta["gold"] = {
            "genre": genres.get(doc_id) or None,
            "frames": [f for f in frames.get(doc_id, "").split(",") if f],
            "paragraphs": line_paragraphs(text, paragraphs.get(doc_id, {})),
        }
        if code == "en":
            _add_spans(doc, "gold:techniques", spans.get(doc_id, []))
        docs.append(doc)
    return docs


# --- SemEval-2025 Task 10 ----------------------------------------------------------------------------------------


def _entity_rows(path: Path) -> dict[str, list[tuple[Span, list[str]]]]:
    """Subtask 1: ``doc<TAB>mention<TAB>start<TAB>end<TAB>main<TAB>fine...``; ``end`` is inclusive upstream."""
    by_doc: dict[str, list[tuple[Span, list[str]]]] = defaultdict(list)
    for row in _tsv_rows(path):
        if len(row) < 5 or not row[3].strip().lstrip("-").isdigit():
            continue
        span = _span(row[2], str(int(row[3]) + 1), row[4].strip())
        if span:
            by_doc[row[0]].append((span, [f.strip() for f in row[5:] if f.strip()]))
    for rows in by_doc.values():
        rows.sort(key=lambda r: (r[0].start, r[0].end))
    return by_doc


def _narrative_rows(path: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Subtask 2: ``doc<TAB>narr;narr<TAB>sub;sub``, kept as written (duplicates included)."""
    out = {}
    for row in _tsv_rows(path):
        narratives = [n.strip() for n in row[1].split(";") if n.strip()] if len(row) > 1 else []
        subnarratives = [n.strip() for n in row[2].split(";") if n.strip()] if len(row) > 2 else []
        out[row[0]] = (narratives, subnarratives)
    return out


def _explanations(path: Path) -> dict[str, dict[str, str]]:
    """Subtask 3: ``doc<TAB>dominant narrative<TAB>dominant subnarrative<TAB>explanation``."""
    if not path.exists():
        return {}
    return {
        row[0]: {"dominant_narrative": row[1], "dominant_subnarrative": row[2], "explanation": row[3]}
        for row in _tsv_rows(path)
        if len(row) >= 4
    }


def _semeval2025_documents(root: Path) -> list[Path]:
    """``raw-documents/*`` (train), else the union of ``subtask-N-documents/*`` (the official dev layout)."""
    folders = [root / "raw-documents"]
    if not folders[0].is_dir():
        folders = sorted(root.glob("subtask-*-documents"))
    by_name: dict[str, Path] = {}
    for folder in folders:
        for path in folder.iterdir():
            if path.is_file() and not path.name.startswith("."):
                by_name.setdefault(path.name, path)
    if not by_name:
        raise FileNotFoundError(f"SemEval-2025 documents not found: {root / 'raw-documents'}")
    return [by_name[n] for n in sorted(by_name)]


def read_semeval2025(data_dir: Path, lang: str, split: str = "train") -> list[Document]:
    """SemEval-2025 Task 10 documents with entity roles (``gold:entities``) and narratives."""
    code = lang.upper()
    if code not in SEMEVAL2025_LANGS:
        raise ValueError(f"unknown SemEval-2025 language {lang!r}; known: {', '.join(SEMEVAL2025_LANGS)}")
    root = _require(Path(data_dir) / "semeval2025-task10" / split / code, f"SemEval-2025 {split} {code} data")
    entities = _entity_rows(_require(root / "subtask-1-annotations.txt", "SemEval-2025 subtask-1 annotations"))
    narratives = _narrative_rows(_require(root / "subtask-2-annotations.txt", "SemEval-2025 subtask-2 annotations"))
    explanations = _explanations(root / "subtask-3-annotations.txt")
    docs = []
    for path in _semeval2025_documents(root):
        text = _read_text(path)
        doc = Document(id=path.name, text=text, title=_first_line(text), language=code.lower(), source=str(path))
        doc.meta.update(corpus="semeval2025-task10", split=split)
        rows = entities.get(path.name, [])
        kept = _add_spans(doc, "gold:entities", [span for span, _ in rows])
        narr, sub = narratives.get(path.name, ([], []))
        doc.meta["gold"] = {
            "entity_fine_roles": [rows[i][1] for i in kept],
            "narratives": narr,
            "subnarratives": sub,
            **explanations.get(path.name, {}),
        }
        docs.append(doc)
    return docs


# --- UNLP 2025 ---------------------------------------------------------------------------------------------------


def read_unlp2025(data_dir: Path) -> list[Document]:
    """UNLP 2025 Telegram posts (uk, ru) with trigger spans and post-level techniques."""
    path = _require(Path(data_dir) / "unlp2025-manipulation" / "train.parquet", "UNLP 2025 data")
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ImportError("reading UNLP 2025 needs pyarrow: pip install pyarrow") from exc
    docs = []
    for row in pq.read_table(path).to_pylist():
        text = row["content"] or ""
        doc = Document(id=str(row["id"]), text=text, language=row.get("lang") or None, source=str(path))
        doc.meta.update(corpus="unlp2025-manipulation", split="train")
        triggers = [s for s in (_span(str(a), str(b), "trigger") for a, b in row.get("trigger_words") or []) if s]
        _add_spans(doc, "gold:triggers", sorted(triggers, key=lambda s: (s.start, s.end)))
        doc.meta["gold"] = {"techniques": list(row.get("techniques") or []), "manipulative": bool(row["manipulative"])}
        docs.append(doc)
    return docs


__all__ = ["line_paragraphs", "read_ptc", "read_semeval2023", "read_semeval2025", "read_unlp2025"]
