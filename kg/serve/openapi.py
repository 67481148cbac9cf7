"""The OpenAPI 3.1 description of the saved-query REST API, made from the catalogue itself, so
every saved query's parameters appear with their types (served at /openapi.json, offline)."""

from __future__ import annotations

from typing import Any

from kg.namespaces import PREFIXES
from kg.query.catalogue import Catalogue, Param

_CHOICE = {"type": "object", "required": ["value", "iri", "label"], "properties": {
    "value": {"type": "string"}, "iri": {"type": "string"}, "label": {"type": "string"}}}
# A refused parameter value names the parameter and the nearest values the graph knows.
_ERROR = {"type": "object", "required": ["error", "status"],
          "properties": {"error": {"type": "string"}, "status": {"type": "integer"},
                         "param": {"type": "string"},
                         "suggestions": {"type": "array", "items": _CHOICE}}}
_TERM = {"type": "object", "required": ["type", "value"],
         "properties": {"type": {"enum": ["uri", "literal", "bnode", "triple"]},
                        "value": {}, "datatype": {"type": "string"},
                        "xml:lang": {"type": "string"}}}
_ROW = {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Term"}}
_RESULTS = {
    "type": "object", "required": ["head", "results", "query", "params", "labels", "truncated"],
    "properties": {
        "head": {"type": "object", "required": ["vars"],
                 "properties": {"vars": {"type": "array", "items": {"type": "string"}}}},
        "results": {"type": "object", "required": ["bindings"], "properties": {"bindings": {
            "type": "array", "items": _ROW}}},
        "query": {"type": "string"},
        "params": {"type": "object", "additionalProperties": {"type": "string"}},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "truncated": {"type": "boolean"},
    },
}
_PARAM = {"type": "object", "required": ["name", "type"], "properties": {
    "name": {"type": "string"}, "type": {"enum": ["iri", "date", "string", "integer"]},
    "description": {"type": "string"}, "default": {"type": ["string", "null"]},
    "prefix": {"type": ["string", "null"]}, "namespace": {"type": ["string", "null"]},
    "required": {"type": "boolean"},
    "classes": {"type": "array", "items": {"type": "string"}},
    "enumerate": {"type": "array", "items": {"type": "string"}},
    # /api/queries/NAME only: the allowed values with their labels (null: any value)
    "values": {"anyOf": [{"type": "array", "items": _CHOICE}, {"type": "null"}]}}}
_QUERY = {"type": "object", "required": ["name", "topic", "summary", "params"], "properties": {
    "name": {"type": "string"}, "topic": {"type": "string"}, "summary": {"type": "string"},
    "description": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}},
    "params": {"type": "array", "items": {"$ref": "#/components/schemas/Param"}},
    "columns": {"type": "array", "items": {"type": "string"}},
    "text": {"type": "string"}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


_BUSY = {"429": _error("Too many queries from this client at once (see Retry-After)"),
         "503": _error("Every worker is busy, or the query ran past the timeout")}


def _schema(param: Param) -> dict[str, Any]:
    # An empty value leaves an optional parameter unbound (the query reads it as "all").
    empty = [] if param.required else [{"const": ""}]
    if param.type == "integer":
        return {"anyOf": [{"type": "string", "pattern": r"^\s*[+-]?\d+\s*$"}, *empty]}
    if param.type == "date":
        return {"anyOf": [{"type": "string", "format": "date"}, {"const": "today"}, *empty]}
    if param.type == "iri":
        return {"anyOf": [{"type": "string", "pattern": _iri_pattern(param)}, *empty]}
    return {"type": "string"}


_SLUG = r"[A-Za-z0-9][A-Za-z0-9._-]*"


def _iri_pattern(param: Param) -> str:
    """The forms expand_iri accepts: <iri> or an http(s) IRI, prefix:slug, or a bare slug when
    the parameter has a namespace."""
    prefixes = "|".join(sorted(PREFIXES, key=len, reverse=True))
    forms = [r"https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(/[A-Za-z0-9._~-]*)*",
             f"({prefixes}):{_SLUG}"]
    if param.slug_namespace:
        forms.append(_SLUG)
    either = "|".join(forms)
    return rf"^\s*(<({either})>|({either}))\s*$"


def _run_operation(query: Any) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {"name": p.name, "in": "query", "required": False, "description":
         f"{p.description} ({p.type_text()})".strip() + (f"; default {p.default}"
                                                         if p.default else ""),
         "schema": _schema(p)} for p in query.params]
    parameters.append({"name": "format", "in": "query", "required": False,
                       "schema": {"enum": ["", "json", "csv", "tsv", "xml"]}})
    parameters.append({"name": "excel", "in": "query", "required": False,
                       "description": "1: start a CSV with a UTF-8 byte order mark, for Excel",
                       "schema": {"enum": ["", "0", "1", "true", "false"]}})
    return {
        "operationId": f"run-{query.name}",
        "summary": query.summary,
        "tags": list(query.tags) or [query.topic],
        "parameters": parameters,
        "responses": {
            "200": {"description": "The rows, their IRIs' labels and the bound parameters",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Rows"}},
                        "text/csv": {"schema": {"type": "string"}},
                        "text/tab-separated-values": {"schema": {"type": "string"}},
                        "application/sparql-results+xml": {"schema": {"type": "string"}}}},
            "400": _error("A parameter is unknown, given twice or ill-typed, or names "
                          "nothing the graph knows (or nothing of its allowed values)"),
            "406": _error("No acceptable format"),
            **_BUSY,
        },
    }


def openapi_document(catalogue: Catalogue) -> dict[str, Any]:
    names = [q.name for q in catalogue]
    paths: dict[str, Any] = {
        "/api/queries": {"get": {
            "operationId": "list-queries", "summary": "The saved queries and their parameters",
            "responses": {"200": {"description": "The catalogue", "content": {
                "application/json": {"schema": {
                    "type": "object", "required": ["queries", "prefixes"], "properties": {
                        "queries": {"type": "array",
                                    "items": {"$ref": "#/components/schemas/Query"}},
                        "prefixes": {"type": "object",
                                     "additionalProperties": {"type": "string"}}}}}}}}}},
        "/api/queries/{name}": {"get": {
            "operationId": "get-query",
            "summary": "One saved query, with its SPARQL text and its parameters' allowed "
                       "values with their labels",
            "parameters": [{"name": "name", "in": "path", "required": True,
                            "schema": {"type": "string", "enum": names}}],
            "responses": {"200": {"description": "The query", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Query"}}}},
                "404": _error("No saved query of that name"), **_BUSY}}},
    }
    for query in catalogue:
        paths[f"/api/queries/{query.name}/run"] = {"get": _run_operation(query)}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Children's Services Interventions Knowledge Graph: saved queries",
                 "version": "1",
                 "description": "Read-only. Run a saved query with typed parameters; the "
                                "SPARQL 1.1 Protocol endpoint is at /sparql."},
        "paths": paths,
        "components": {"schemas": {"Error": _ERROR, "Term": _TERM, "Rows": _RESULTS,
                                   "Param": _PARAM, "Query": _QUERY}},
    }
