"""/docs: a readable API reference built from the OpenAPI document, with nothing loaded from a CDN."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

METHODS = ("get", "post", "put", "patch", "delete")


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(repr(v) for v in schema["enum"])
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))}"
    return schema.get("type", "any")


def _parameters(op: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for p in op.get("parameters", []):
        schema = p.get("schema", {})
        rows.append(
            {
                "name": p["name"],
                "where": p["in"],
                "type": _type(schema),
                "required": p.get("required", False),
                "default": schema.get("default"),
                "description": p.get("description") or schema.get("description") or "",
            }
        )
    return rows


def _body(op: dict[str, Any]) -> str | None:
    content = op.get("requestBody", {}).get("content", {})
    for media, spec in content.items():
        return f"{media}: {_type(spec.get('schema', {}))}"
    return None


def endpoints(spec: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op:
                rows.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": op.get("summary", ""),
                        "description": op.get("description", ""),
                        "parameters": _parameters(op),
                        "body": _body(op),
                        "responses": sorted(op.get("responses", {}).items()),
                    }
                )
    return rows


def models(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        required = set(schema.get("required", []))
        fields = [
            {"name": f, "type": _type(s), "required": f in required, "description": s.get("description", "")}
            for f, s in schema.get("properties", {}).items()
        ]
        out.append({"name": name, "description": schema.get("description", ""), "fields": fields})
    return out


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    from propscope.web.pages import render

    spec = request.app.openapi()
    return render(request, "apidocs.html", spec=spec, endpoints=endpoints(spec), models=models(spec))
