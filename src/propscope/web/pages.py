"""HTML pages (Jinja2, autoescaped) and their ``.json`` twins."""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import cache
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from propscope.store import ArticleQuery
from propscope.store.codec import analysis_from_dict
from propscope.web.api import (
    ArticleIn,
    Filters,
    PageNo,
    PerPage,
    article_or_404,
    page_json,
    stats_rows,
    store_of,
)
from propscope.web.charts import stacked_chart
from propscope.web.services import NewArticle

router = APIRouter(include_in_schema=False)
FormField = Annotated[str, Form()]

CHARTS = (("techniques", "outlet"), ("techniques", "month"), ("narratives", "outlet"), ("narratives", "month"))
ASSETS = {
    "site.css": "text/css",
    "report.css": "text/css",
    "report.js": "text/javascript",
}


@cache
def templates() -> Jinja2Templates:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("propscope.web", "templates"), autoescape=select_autoescape(default=True))
    env.globals["safe_href"] = safe_href
    return Jinja2Templates(env=env)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates().TemplateResponse(request, name, context, status_code=status)


def safe_href(url: str | None) -> str | None:
    """Only http(s) links: a stored ``javascript:`` URL must never become clickable."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


@cache
def asset(name: str) -> str:
    if name.startswith("report."):
        from propscope.report.html import report_css, report_js

        return report_css() if name.endswith(".css") else report_js()
    return resources.files("propscope.web").joinpath("static", name).read_text(encoding="utf-8")


@router.get("/static/{name}")
def static(name: str) -> Response:
    if name not in ASSETS:
        raise HTTPException(404, f"no static file {name}")
    return Response(asset(name), media_type=ASSETS[name], headers={"cache-control": "public, max-age=3600"})


async def http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    detail = getattr(exc, "detail", "error")
    path = request.url.path
    browser = request.method == "GET" or "text/html" in request.headers.get("accept", "")
    if path.startswith("/api/") or path.endswith(".json") or not browser:
        return JSONResponse({"detail": detail}, status_code=status, headers=getattr(exc, "headers", None))
    return render(request, "error.html", status=status, status_code=status, detail=detail)


# ---- analyse ----


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    store = store_of(request)
    recent = store.search(ArticleQuery(), 1, 10)
    return render(request, "home.html", recent=recent, form={}, error=None, max_body=request.app.state.max_body)


@router.post("/articles", response_class=HTMLResponse)
def post_form(
    request: Request,
    text: FormField = "",
    title: FormField = "",
    url: FormField = "",
    outlet: FormField = "",
    published: FormField = "",
) -> Response:
    form = {"text": text, "title": title, "url": url, "outlet": outlet, "published": published}
    try:
        article = ArticleIn(**{k: v.strip() or None for k, v in form.items() if k != "text"}, text=text)
    except ValidationError as exc:
        message = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        recent = store_of(request).search(ArticleQuery(), 1, 10)
        max_body = request.app.state.max_body
        return render(request, "home.html", 422, recent=recent, form=form, error=message, max_body=max_body)
    saved = request.app.state.analyst.add(NewArticle(**article.model_dump()))
    return RedirectResponse(f"/articles/{saved.id}", status_code=303)


@router.post("/upload", response_class=HTMLResponse)
async def upload(request: Request, file: Annotated[UploadFile, File()]) -> Response:
    from starlette.concurrency import run_in_threadpool

    data = await file.read()
    result = await run_in_threadpool(request.app.state.analyst.upload, data, file.filename or "upload.txt")
    if len(result.saved) == 1 and not any(p.fatal for p in result.problems):
        return RedirectResponse(f"/articles/{result.saved[0].id}", status_code=303)
    status = 200 if result.saved else 422
    return render(request, "upload.html", status, filename=file.filename, result=result)


# ---- browse ----


def _page_url(request: Request, page: int) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page" and v]
    return "/articles?" + urlencode([*params, ("page", str(page))])


@router.get("/articles", response_class=HTMLResponse)
def articles(request: Request, query: Filters, page: PageNo = 1, per_page: PerPage = 20) -> HTMLResponse:
    store = store_of(request)
    result = store.search(query, page, per_page)
    json_url = "/articles.json" + (f"?{request.url.query}" if request.url.query else "")
    return render(
        request,
        "articles.html",
        result=result,
        query=query,
        facets=store.facets(),
        page_url=lambda n: _page_url(request, n),
        json_url=json_url,
    )


@router.get("/articles.json")
def articles_json(request: Request, query: Filters, page: PageNo = 1, per_page: PerPage = 20) -> dict[str, Any]:
    return page_json(store_of(request).search(query, page, per_page))


@router.get("/articles/{article_id:int}.json")
def article_json(request: Request, article_id: int) -> dict[str, Any]:
    return article_or_404(store_of(request), article_id)


@router.get("/articles/{article_id:int}", response_class=HTMLResponse)
async def article(request: Request, article_id: int) -> HTMLResponse:
    """Async on purpose: a cached page costs one primary-key read, less than the hop to a worker thread
    (benchmarks/web_latency.py). The cache is checked against the stored analysis time, so a page
    re-analysed by another process is rendered afresh."""
    store = store_of(request)
    stamp = store.analyzed_at(article_id)
    if stamp is None:
        raise HTTPException(404, f"no article {article_id}")
    cache: PageCache = request.app.state.page_cache
    html = cache.get(article_id, stamp)
    if html is None:
        html = _render_article(request, article_or_404(store, article_id), article_id)
        cache.put(article_id, stamp, html)
    return HTMLResponse(html)


def _render_article(request: Request, data: dict[str, Any], article_id: int) -> str:
    from propscope.report.html import render_document_fragment

    fragment = render_document_fragment(analysis_from_dict(data), anchor=f"ps-a{article_id}")
    template = templates().get_template("article.html")
    return template.render(request=request, id=article_id, data=data, fragment=fragment)


class PageCache:
    """Rendered article pages, least recently used dropped first; safe across worker threads."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._pages: OrderedDict[int, tuple[Any, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: int, stamp: Any) -> str | None:
        with self._lock:
            hit = self._pages.get(key)
            if hit is None or hit[0] != stamp:
                return None
            self._pages.move_to_end(key)
            return hit[1]

    def put(self, key: int, stamp: Any, html: str) -> None:
        with self._lock:
            self._pages[key] = (stamp, html)
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)


# ---- compare ----


def _corpus_data(request: Request, query: ArticleQuery) -> dict[str, Any]:
    store = store_of(request)
    return {f"{kind}_by_{by}": stats_rows(store, kind, by, query) for kind, by in CHARTS}


@router.get("/corpus", response_class=HTMLResponse)
def corpus(request: Request, query: Filters) -> HTMLResponse:
    data = _corpus_data(request, query)
    filters = urlencode(query.as_dict())
    charts = [
        {
            "title": f"{kind.capitalize()} by {by}",
            "chart": stacked_chart(data[f"{kind}_by_{by}"], kind, by),
            "json": f"/api/stats/{kind}?" + urlencode({**query.as_dict(), "by": by}),
            "csv": f"/api/stats/{kind}?" + urlencode({**query.as_dict(), "by": by, "format": "csv"}),
        }
        for kind, by in CHARTS
    ]
    store = store_of(request)
    json_url = "/corpus.json" + (f"?{filters}" if filters else "")
    facets, total = store.facets(), store.count()
    return render(request, "corpus.html", charts=charts, query=query, facets=facets, total=total, json_url=json_url)


@router.get("/corpus.json")
def corpus_json(request: Request, query: Filters) -> dict[str, Any]:
    return {"filters": query.as_dict(), **_corpus_data(request, query)}
