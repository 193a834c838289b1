"""The JSON API under /api; the pages' ``.json`` twins call the same functions."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, field_validator

from propscope.store import ArticleQuery, Page, Store
from propscope.store.codec import iso_date
from propscope.taxonomy import describe
from propscope.web.services import NewArticle

router = APIRouter(prefix="/api", tags=["api"])

DATE = r"^\d{4}-\d{2}-\d{2}$"
Kind = Literal["techniques", "narratives"]
By = Literal["outlet", "month", "language"]


class ArticleIn(BaseModel):
    """An article to analyse. Only ``text`` is required."""

    text: str = Field(min_length=1, description="the article text; offsets in the result index into it")
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=4000)
    outlet: str | None = Field(None, max_length=256)
    published: str | None = Field(None, max_length=64, description="ISO 8601 date, e.g. 2024-03-01")

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is empty")
        return value

    @field_validator("published")
    @classmethod
    def _iso(cls, value: str | None) -> str | None:
        if value and iso_date(value) is None:
            raise ValueError("must be an ISO 8601 date such as 2024-03-01")
        return value or None


def article_query(
    q: Annotated[str | None, Query(max_length=200, description="words in the title or text")] = None,
    outlet: str | None = None,
    language: str | None = None,
    technique: Annotated[str | None, Query(description="technique id, e.g. Loaded_Language")] = None,
    narrative: str | None = None,
    date_from: Annotated[str | None, Query(pattern=DATE, description="YYYY-MM-DD, inclusive")] = None,
    date_to: Annotated[str | None, Query(pattern=DATE, description="YYYY-MM-DD, inclusive")] = None,
) -> ArticleQuery:
    """Empty form fields mean no filter."""
    return ArticleQuery(
        q=(q or "").strip() or None,
        outlet=outlet or None,
        language=language or None,
        technique=technique or None,
        narrative=narrative or None,
        date_from=date_from or None,
        date_to=date_to or None,
    )


Filters = Annotated[ArticleQuery, Depends(article_query)]
PageNo = Annotated[int, Query(ge=1, le=1_000_000)]
PerPage = Annotated[int, Query(ge=1, le=200)]
Format = Annotated[Literal["json", "csv"], Query(alias="format")]


def store_of(request: Request) -> Store:
    return request.app.state.store


def article_or_404(store: Store, article_id: int) -> dict[str, Any]:
    data = store.get(article_id)
    if data is None:
        raise HTTPException(404, f"no article {article_id}")
    return data


def page_json(page: Page) -> dict[str, Any]:
    return {"items": page.items, "total": page.total, "page": page.page, "per_page": page.per_page, "pages": page.pages}


def stats_rows(store: Store, kind: str, by: str, query: ArticleQuery) -> list[dict[str, Any]]:
    """Counts per group and label, with the label's display name and the group's article count."""
    totals = store.article_counts(by, query)
    taxonomy = "techniques" if kind == "techniques" else "narratives"
    return [
        row | {"name": describe(taxonomy, row["label"]).name, "group_articles": totals.get(row["group"], 0)}
        for row in store.stats(kind, by, query)
    ]


def csv_response(rows: list[dict[str, Any]], filename: str) -> Response:
    out = io.StringIO()
    columns = ["group", "label", "name", "count", "articles", "group_articles"]
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    headers = {"content-disposition": f'attachment; filename="{filename}"'}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


@router.post("/articles", status_code=201, summary="Analyse and store an article")
def post_article(article: ArticleIn, request: Request) -> JSONResponse:
    """201 with ``{id, ...analysis}``; 200 with the stored analysis when the same text is stored already."""
    saved = request.app.state.analyst.add(NewArticle(**article.model_dump()))
    data = article_or_404(store_of(request), saved.id)
    headers = {"location": f"/api/articles/{saved.id}"}
    return JSONResponse(data, status_code=201 if saved.created else 200, headers=headers)


@router.get("/articles", summary="Search and filter stored articles")
def list_articles(request: Request, query: Filters, page: PageNo = 1, per_page: PerPage = 20) -> dict[str, Any]:
    return page_json(store_of(request).search(query, page, per_page))


@router.get("/articles/{article_id}", summary="One stored analysis (the JSON contract, with its id)")
def get_article(article_id: int, request: Request) -> dict[str, Any]:
    return article_or_404(store_of(request), article_id)


@router.get("/stats/{kind}", summary="Technique or narrative counts by outlet, month or language")
def get_stats(request: Request, kind: Kind, query: Filters, by: By = "outlet", fmt: Format = "json") -> Any:
    rows = stats_rows(store_of(request), kind, by, query)
    if fmt == "csv":
        return csv_response(rows, f"{kind}-by-{by}.csv")
    return {"kind": kind, "by": by, "filters": query.as_dict(), "rows": rows}


@router.get("/facets", summary="Values present for each filter, with article counts")
def get_facets(request: Request) -> dict[str, list[dict[str, Any]]]:
    return {k: [{"value": v, "articles": n} for v, n in pairs] for k, pairs in store_of(request).facets().items()}
