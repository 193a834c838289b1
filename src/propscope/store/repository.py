"""Store and query analyses. Every write is one transaction; an acknowledged save is on disk."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, distinct, func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from propscope.schema import Analysis
from propscope.store.codec import document_to_dict, iso_date, models_key, text_hash
from propscope.store.engine import DEFAULT_URL, StoreError, current_revision, make_engines, upgrade
from propscope.store.models import Article, NarrativeRow, TechniqueRow

GROUPS = ("outlet", "month", "language")
STAT_KINDS = ("techniques", "narratives")
MAX_PER_PAGE = 200


@dataclass(slots=True)
class Saved:
    id: int
    created: bool  # False: the same text was already stored under this id


@dataclass(slots=True)
class ArticleQuery:
    """Filters shared by the article list and the corpus statistics; None means no filter."""

    q: str | None = None
    outlet: str | None = None
    language: str | None = None
    technique: str | None = None
    narrative: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in self.__slots__ if getattr(self, k)}


@dataclass(slots=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class Store:
    """One database. Opening it runs the Alembic migrations."""

    def __init__(self, url: str = DEFAULT_URL, migrate: bool = True) -> None:
        self.url = url
        self.reader, self.writer = make_engines(url)
        try:
            if migrate:
                upgrade(self.writer)
        except OperationalError as exc:
            self.close()
            raise StoreError(f"cannot open database {url}: {_first_line(exc)}") from exc

    def close(self) -> None:
        self.reader.dispose()
        if self.writer is not self.reader:
            self.writer.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def revision(self) -> str | None:
        return current_revision(self.reader)

    # ---- writes ----

    def save(self, analysis: Analysis, document: dict[str, Any] | None = None) -> Saved:
        """Store one analysis unless the same text is stored already. ``document`` is the input as read
        (before analysers filled anything), kept so ``reanalyze`` starts from the same input."""
        digest = text_hash(analysis.document.text)
        existing = self.find(digest)
        if existing is not None:
            return Saved(existing, False)
        try:
            with Session(self.writer) as session, session.begin():
                found = session.scalar(select(Article.id).where(Article.text_hash == digest))
                if found is not None:
                    return Saved(found, False)
                row = _new_article(analysis, document, digest)
                session.add(row)
                session.flush()
                return Saved(row.id, True)
        except IntegrityError:
            # Another process stored the same text between our check and our insert.
            found = self.find(digest)
            if found is None:
                raise
            return Saved(found, False)

    def replace_analysis(self, article_id: int, analysis: Analysis) -> None:
        """Swap in a new analysis of a stored article (same text), with its filter rows."""
        with Session(self.writer) as session, session.begin():
            row = session.get(Article, article_id)
            if row is None:
                raise KeyError(article_id)
            session.execute(delete(TechniqueRow).where(TechniqueRow.article_id == article_id))
            session.execute(delete(NarrativeRow).where(NarrativeRow.article_id == article_id))
            _fill(row, analysis)
            row.analyzed_at = datetime.now(UTC)

    # ---- reads ----

    def find(self, digest: str) -> int | None:
        with self.reader.connect() as conn:
            return conn.scalar(select(Article.id).where(Article.text_hash == digest))

    def find_text(self, text: str) -> int | None:
        return self.find(text_hash(text))

    def get(self, article_id: int) -> dict[str, Any] | None:
        """The stored JSON contract with the article's id: ``{"id": ..., **Analysis.to_dict()}``."""
        with self.reader.connect() as conn:
            data = conn.scalar(select(Article.analysis).where(Article.id == article_id))
        return None if data is None else {"id": article_id, **data}

    def analyzed_at(self, article_id: int) -> datetime | None:
        """When the stored analysis was last written: a cheap version stamp for caches."""
        with self.reader.connect() as conn:
            return conn.scalar(select(Article.analyzed_at).where(Article.id == article_id))

    def input_document(self, article_id: int) -> dict[str, Any] | None:
        with self.reader.connect() as conn:
            return conn.scalar(select(Article.document).where(Article.id == article_id))

    def count(self) -> int:
        with self.reader.connect() as conn:
            return conn.scalar(select(func.count()).select_from(Article)) or 0

    def ids(self) -> list[int]:
        with self.reader.connect() as conn:
            return list(conn.scalars(select(Article.id).order_by(Article.id)))

    def stale(self, models: dict[str, str]) -> list[int]:
        """Articles whose stored model versions differ from ``models``."""
        with self.reader.connect() as conn:
            stmt = select(Article.id).where(Article.models_key != models_key(models)).order_by(Article.id)
            return list(conn.scalars(stmt))

    def search(self, query: ArticleQuery, page: int = 1, per_page: int = 20) -> Page:
        """Newest first, with the technique and narrative counts of each article on the page."""
        page, per_page = max(1, page), max(1, min(per_page, MAX_PER_PAGE))
        cols = (Article.id, Article.title, Article.doc_id, Article.url, Article.outlet, Article.published)
        stmt = _filtered(select(*cols, Article.language, Article.created_at), query)
        with self.reader.connect() as conn:
            total = conn.scalar(select(func.count()).select_from(stmt.subquery())) or 0
            rows = conn.execute(stmt.order_by(Article.id.desc()).limit(per_page).offset((page - 1) * per_page))
            items = [_summary(r._mapping) for r in rows]
            ids = [i["id"] for i in items]
            spans = _counts(conn, TechniqueRow, ids)
            narratives = _counts(conn, NarrativeRow, ids)
        for item in items:
            item["techniques"] = spans.get(item["id"], 0)
            item["narratives"] = narratives.get(item["id"], 0)
        return Page(items, total, page, per_page)

    def stats(self, kind: str, by: str, query: ArticleQuery | None = None) -> list[dict[str, Any]]:
        """Span (technique) or label (narrative) counts and article counts per group and label."""
        if kind not in STAT_KINDS or by not in GROUPS:
            raise ValueError(f"kind must be one of {STAT_KINDS} and by one of {GROUPS}")
        table: Any = TechniqueRow if kind == "techniques" else NarrativeRow
        label = TechniqueRow.technique if kind == "techniques" else NarrativeRow.narrative
        group = _group_column(by)
        stmt = select(group.label("group"), label.label("label"), func.count(), func.count(distinct(table.article_id)))
        stmt = _filtered(stmt.select_from(table).join(Article, Article.id == table.article_id), query or ArticleQuery())
        stmt = stmt.group_by(group, label).order_by(group, label)
        with self.reader.connect() as conn:
            return [{"group": g, "label": lab, "count": n, "articles": a} for g, lab, n, a in conn.execute(stmt)]

    def article_counts(self, by: str, query: ArticleQuery | None = None) -> dict[str | None, int]:
        if by not in GROUPS:
            raise ValueError(f"by must be one of {GROUPS}")
        group = _group_column(by)
        stmt = _filtered(select(group, func.count(Article.id)), query or ArticleQuery()).group_by(group)
        with self.reader.connect() as conn:
            return {g: n for g, n in conn.execute(stmt)}

    def facets(self) -> dict[str, list[tuple[str, int]]]:
        """Values for the filter menus, most frequent first."""
        pairs = {
            "outlet": (Article.outlet, Article.id),
            "language": (Article.language, Article.id),
            "technique": (TechniqueRow.technique, distinct(TechniqueRow.article_id)),
            "narrative": (NarrativeRow.narrative, distinct(NarrativeRow.article_id)),
        }
        out = {}
        with self.reader.connect() as conn:
            for name, (col, counted) in pairs.items():
                stmt = select(col, func.count(counted)).where(col.is_not(None)).group_by(col)
                out[name] = sorted(((v, n) for v, n in conn.execute(stmt)), key=lambda p: (-p[1], p[0]))
        return out

    def iter_documents(self, ids: list[int]) -> Iterator[tuple[int, dict[str, Any]]]:
        for article_id in ids:
            doc = self.input_document(article_id)
            if doc is not None:
                yield article_id, doc


def _first_line(exc: Exception) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


def _new_article(analysis: Analysis, document: dict[str, Any] | None, digest: str) -> Article:
    now = datetime.now(UTC)
    doc = analysis.document
    row = Article(
        text_hash=digest,
        doc_id=doc.id,
        text=doc.text,
        url=doc.source if doc.source and "://" in doc.source else None,
        document=document if document is not None else document_to_dict(doc),
        created_at=now,
        analyzed_at=now,
    )
    _fill(row, analysis)
    return row


def _fill(row: Article, analysis: Analysis) -> None:
    """Everything derived from the analysis: JSON, model versions, filter columns and rows."""
    doc = analysis.document
    row.analysis = analysis.to_dict()
    row.models = dict(analysis.models)
    row.models_key = models_key(analysis.models)
    row.title = doc.title
    row.outlet = (analysis.source.outlet or doc.outlet or None) if analysis.source else doc.outlet
    row.published = iso_date(doc.published)
    row.language = doc.language
    row.techniques = [
        TechniqueRow(technique=t.technique, start=t.start, end=t.end, score=t.score) for t in analysis.techniques
    ]
    row.narratives = [
        NarrativeRow(narrative=n.narrative, subnarrative=n.subnarrative, score=n.score) for n in analysis.narratives
    ]


def _group_column(by: str) -> ColumnElement[Any]:
    if by == "month":
        return func.substr(Article.published, 1, 7)
    return Article.outlet if by == "outlet" else Article.language


def _filtered(stmt: Select[Any], query: ArticleQuery) -> Select[Any]:
    conditions = []
    if query.q:
        title, text = (c.icontains(query.q, autoescape=True) for c in (Article.title, Article.text))
        conditions.append(title | text)
    if query.outlet:
        conditions.append(Article.outlet == query.outlet)
    if query.language:
        conditions.append(Article.language == query.language)
    if query.date_from:
        conditions.append(Article.published >= query.date_from)
    if query.date_to:
        conditions.append(Article.published <= query.date_to)
    if query.technique:
        having = select(TechniqueRow.article_id).where(TechniqueRow.technique == query.technique)
        conditions.append(Article.id.in_(having))
    if query.narrative:
        having = select(NarrativeRow.article_id).where(NarrativeRow.narrative == query.narrative)
        conditions.append(Article.id.in_(having))
    return stmt.where(*conditions) if conditions else stmt


def _summary(row: Any) -> dict[str, Any]:
    item = dict(row)
    created = item.pop("created_at")
    item["created_at"] = created.isoformat() if created else None
    return item


def _counts(conn: Any, table: Any, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    stmt = select(table.article_id, func.count()).where(table.article_id.in_(ids)).group_by(table.article_id)
    return {a: n for a, n in conn.execute(stmt)}
