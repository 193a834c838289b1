"""The FastAPI application: ``create_app(store)`` wires the store, the analyst, pages and API together."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from propscope import __version__
from propscope.pipeline import Pipeline
from propscope.store import Store
from propscope.web.limits import BodyLimit
from propscope.web.services import AnalysisUnavailable, Analyst

DEFAULT_MAX_BODY = 10 * 1024 * 1024


def create_app(
    store: Store | str,
    analyzers: list[str] | None = None,
    options: dict[str, dict[str, Any]] | None = None,
    pipeline: Pipeline | None = None,
    max_body: int = DEFAULT_MAX_BODY,
) -> FastAPI:
    """The app over ``store`` (a Store or its URL). New articles go through ``pipeline`` when given,
    else through a pipeline of ``analyzers`` (default: every installed one) built on first use."""
    from propscope.web import api, apidocs, pages

    if isinstance(store, str):
        store = Store(store)
    app = FastAPI(
        title="propscope",
        version=__version__,
        description="Persuasion techniques, narratives, actors, claims and sources in news articles.",
        docs_url=None,  # FastAPI's own pages load Swagger UI from a CDN; /docs is served offline instead
        redoc_url=None,
    )
    app.state.store = store
    app.state.analyst = Analyst(store, analyzers, options, pipeline)
    app.state.max_body = max_body
    app.state.page_cache = pages.PageCache()
    app.add_middleware(BodyLimit, max_body=max_body)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, pages.http_error)
    app.add_exception_handler(AnalysisUnavailable, _unavailable)
    app.include_router(api.router)
    app.include_router(apidocs.router)
    app.include_router(pages.router)
    return app


async def _unavailable(request: Request, exc: Exception) -> Response:
    """503: stored articles can still be read; only new analyses are impossible."""
    from propscope.web.pages import http_error

    return await http_error(request, HTTPException(503, str(exc).splitlines()[0]))


async def _validation_error(request: Request, exc: Exception) -> Response:
    """422 with a one-line message first, the details after."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    return JSONResponse(
        {"detail": validation_message(errors), "errors": _plain(errors)},
        status_code=422,
    )


def validation_message(errors: Any) -> str:
    parts = []
    for err in list(errors)[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        if err.get("type") == "json_invalid":
            parts.append(f"invalid JSON: {err.get('ctx', {}).get('error', err.get('msg'))}")
        else:
            parts.append(f"{where}: {err.get('msg')}")
    return "; ".join(parts) or "invalid request"


def _plain(errors: Any) -> list[dict[str, Any]]:
    """Errors as JSON-safe dicts (pydantic may put exceptions in ``ctx``)."""
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg")), "type": e.get("type")} for e in errors]
