"""``/api/docs``: the OpenAPI document as a readable page, rendered here (no Swagger UI from a CDN)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from web.deps import page_lang

router = APIRouter(include_in_schema=False)


def _ref_name(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_ref_name(s) for s in schema["anyOf"])
    return str(schema.get("type", ""))


def _operations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    ops = []
    for path, methods in doc.get("paths", {}).items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            ops.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "secured": bool(op.get("security")),
                "params": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                            "type": _ref_name(p.get("schema", {})), "description": p.get("description", "")}
                           for p in op.get("parameters", [])],
                "body": _ref_name(body) if body else "",
                "responses": [(code, r.get("description", "")) for code, r in op.get("responses", {}).items()],
            })
    return ops


@router.get("/api/docs")
def api_docs(request: Request) -> Response:
    doc = request.app.openapi()
    schemas = {name: {"fields": [(field, _ref_name(spec), field in s.get("required", []), spec.get("description", ""))
                                 for field, spec in s.get("properties", {}).items()]}
               for name, s in doc.get("components", {}).get("schemas", {}).items()
               if name not in ("HTTPValidationError", "ValidationError")}
    return request.app.state.templates.TemplateResponse(request, "api_docs.html", {
        "lang": page_lang(request), "doc": doc, "ops": _operations(doc), "schemas": schemas,
    })
