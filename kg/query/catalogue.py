"""The catalogue of saved queries: queries/<topic>/<name>.rq with grlc-style `#+` headers.

A header is a block of `#+` comment lines at the top of the file, so the file stays valid SPARQL.
Its content is YAML, read with a YAML loader (PyYAML), so a plain value may not hold ": ":

    #+ summary: Who ran a council's children's services on a date?
    #+ description: One row per responsibility whose period covers the date,
    #+   with its basis and the quote behind it.
    #+ tags: [accountability]
    #+ columns: [kind, holderLabel, start, status, claimKind, quote, source]
    #+ params:
    #+   council:
    #+     type: iri
    #+     prefix: council
    #+     default: council:doncaster
    #+     description: the council
    #+     class: csi:LocalAuthority

A parameter may declare its allowed values: `class:` (a class or a list of classes, whose
instances in the graph are the values; with a prefix or namespace, only those inside it) or
grlc's `enumerate:` (a list of values). kg serve lists them with their labels
(kg/query/choices.py) and refuses a value outside them.

Parameters become typed RDF terms (pyoxigraph NamedNode / Literal), validated on the way in;
they reach a query as oxigraph substitutions or as a VALUES block built from those terms, never
as pasted text.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pyoxigraph import BlankNode, Literal, NamedNode

from kg.namespaces import PREFIXES, QUERIES_DIR

Term = NamedNode | Literal | BlankNode

XSD = "http://www.w3.org/2001/XMLSchema#"
PARAM_TYPES = ("iri", "date", "string", "integer")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_INTEGER = re.compile(r"^[+-]?[0-9]+\Z")


class QueryError(ValueError):
    """A request the catalogue refuses: unknown query or parameter, or an ill-typed value."""


class UnknownQueryError(QueryError):
    pass


class UnknownParamError(QueryError):
    pass


class ParamValueError(QueryError):
    pass


class HeaderError(QueryError):
    """A saved query whose `#+` header is malformed (a bug in the catalogue, not user input)."""


# --- the `#+` header: YAML in comments -----------------------------------------------------------

def parse_header(lines: Iterable[str]) -> dict[str, object]:
    """Parse `#+` header lines (marker already removed) as YAML (grlc's decorator syntax).

    >>> parse_header(["summary: Who?", "tags: [a, b]", "params:", "  x:", "    type: iri"])
    {'summary': 'Who?', 'tags': ['a', 'b'], 'params': {'x': {'type': 'iri'}}}
    >>> parse_header(["description: one", "  two"])
    {'description': 'one two'}
    """
    try:
        header = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"header line {mark.line + 1}: " if mark is not None else ""
        raise HeaderError(f"{where}not YAML: {getattr(error, 'problem', error)}") from error
    if header is None:
        return {}
    if not isinstance(header, dict):
        raise HeaderError("the header must be a YAML mapping of 'key: value' lines")
    return header


def split_header(text: str) -> tuple[list[str], str]:
    """The `#+` lines at the top of a query file (without the marker) and the whole text."""
    header = []
    for line in text.splitlines():
        if line.startswith("#+"):
            header.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() == "" and not header:
            continue
        else:
            break
    return header, text


# --- parameters ---------------------------------------------------------------------------------

def expand_iri(text: str, namespace: str | None = None) -> NamedNode:
    """An IRI from `<iri>`, a full IRI, a prefixed name (council:doncaster) or, given a
    namespace, a bare slug (doncaster). Raises ValueError on anything else.

    >>> expand_iri("doncaster", PREFIXES["council"]).value
    'https://w3id.org/csikg/id/council/doncaster'
    """
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    head, colon, tail = text.partition(":")
    if colon and head in PREFIXES and not tail.startswith("//"):
        if not tail or not _SLUG.match(tail):
            raise ValueError(f"{text!r} is not a valid prefixed name")
        return NamedNode(PREFIXES[head] + tail)
    if colon and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*$", head):
        if head.lower() not in ("http", "https", "urn"):
            raise ValueError(f"unknown prefix {head!r} (known: {', '.join(sorted(PREFIXES))})")
        return NamedNode(text)  # NamedNode validates the IRI syntax
    if namespace and _SLUG.match(text):
        return NamedNode(namespace + text)
    slug = " or a slug" if namespace else ""
    raise ValueError(f"{text!r} is not an IRI, a prefixed name{slug}")


@dataclass(frozen=True)
class Param:
    """One parameter of a saved query; its name is also the SPARQL variable it binds."""

    name: str
    type: str
    description: str = ""
    default: str | None = None
    prefix: str | None = None  # a bare slug expands with this prefix (council -> council:...)
    namespace: str | None = None  # ... or with this namespace IRI
    required: bool = False
    classes: tuple[str, ...] = ()  # allowed values: the instances of these classes (IRIs)
    enumerate: tuple[str, ...] = ()  # ... or these values (grlc's `enumerate`)

    @property
    def slug_namespace(self) -> str | None:
        return PREFIXES[self.prefix] if self.prefix else self.namespace

    def parse(self, value: object) -> Term:
        """The typed RDF term for a user's value (text, date, int or RDF term)."""
        if isinstance(value, NamedNode | Literal | BlankNode):
            return value
        text = str(value).strip() if not isinstance(value, dt.date) else value.isoformat()
        try:
            if self.type == "iri":
                return expand_iri(text, self.slug_namespace)
            if self.type == "date":
                # fromisoformat alone also takes 20160115 and 2016-W03-5; the docs promise
                # YYYY-MM-DD, in ASCII digits, and nothing else.
                if text != "today" and not _DATE.match(text):
                    raise ValueError("not in the form YYYY-MM-DD")
                day = dt.date.today() if text == "today" else dt.date.fromisoformat(text)
                return Literal(day.isoformat(), datatype=NamedNode(XSD + "date"))
            if self.type == "integer":
                if isinstance(value, bool) or not _INTEGER.match(text):
                    raise ValueError(text)
                return Literal(str(int(text)), datatype=NamedNode(XSD + "integer"))
            return Literal(text)
        except ValueError as error:
            raise ParamValueError(
                f"parameter {self.name!r} expects {self.type_text()}; got {text!r} ({error})"
            ) from None

    def type_text(self) -> str:
        return {
            "iri": "an IRI or prefixed name"
                   + (f" (or a slug in {self.slug_namespace})" if self.slug_namespace else ""),
            "date": "a date YYYY-MM-DD (or 'today')",
            "integer": "an integer",
            "string": "a string",
        }[self.type]

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "type": self.type, "description": self.description,
                "default": self.default, "prefix": self.prefix, "namespace": self.slug_namespace,
                "required": self.required, "classes": list(self.classes),
                "enumerate": list(self.enumerate)}


# --- saved queries ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SavedQuery:
    name: str
    topic: str
    path: Path
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = field(default_factory=tuple)
    columns: tuple[str, ...] = ()  # what a table shows by default (empty: every variable)

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise UnknownParamError(
            f"query {self.name!r} has no parameter {name!r} (parameters: {known})")

    def bindings(self, values: Mapping[str, object] | None = None) -> dict[str, Term]:
        """Typed terms for the given values plus defaults; unknown names and bad values refused.

        A parameter not given (or None) takes its default. One given as "" stays unbound,
        which the queries read as "all" (or "none", as they say), unless it is required.
        """
        values = dict(values or {})
        for name in values:
            self.param(name)
        bound: dict[str, Term] = {}
        for param in self.params:
            value = values.get(param.name)
            if value is None:
                value = param.default
            if value is None or (isinstance(value, str) and not value.strip()):
                if param.required:
                    raise ParamValueError(f"query {self.name!r} needs parameter {param.name!r}: "
                                          f"{param.type_text()}")
                continue
            bound[param.name] = param.parse(value)
        return bound

    @property
    def set_columns(self) -> dict[str, str]:
        """Columns made by GROUP_CONCAT(DISTINCT ...), with their separators: sets whose order
        SPARQL leaves to the engine, sorted after the query runs so every engine agrees."""
        return set_columns(self.text)

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "topic": self.topic, "summary": self.summary,
                "description": self.description, "tags": list(self.tags),
                "params": [p.as_dict() for p in self.params], "columns": list(self.columns)}


def _param_from(query: str, name: str, spec: object) -> Param:
    if not isinstance(spec, dict):
        raise HeaderError(f"{query}: parameter {name!r} needs a mapping of type, default...")
    unknown = set(spec) - {"type", "description", "default", "prefix", "namespace", "required",
                           "class", "enumerate"}
    if unknown:
        raise HeaderError(f"{query}: parameter {name!r} has unknown keys {sorted(unknown)}")
    kind = str(spec.get("type", "string"))
    if kind not in PARAM_TYPES:
        raise HeaderError(f"{query}: parameter {name!r} has unknown type {kind!r}")
    prefix = spec.get("prefix")
    if prefix is not None and prefix not in PREFIXES:
        raise HeaderError(f"{query}: parameter {name!r} has unknown prefix {prefix!r}")
    default = spec.get("default")
    namespace = spec.get("namespace")
    if namespace is not None:
        NamedNode(str(namespace))  # a bad namespace is a catalogue bug: fail at load time
    param = Param(name=name, type=kind, description=str(spec.get("description", "")),
                  default=None if default in (None, "") else str(default),
                  prefix=str(prefix) if prefix else None,
                  namespace=str(namespace) if namespace else None,
                  required=spec.get("required") is True,
                  classes=_classes(query, name, spec.get("class")),
                  enumerate=_enumerate(query, name, spec.get("enumerate")))
    for value in param.enumerate:
        param.parse(value)  # a bad allowed value is a catalogue bug: fail at load time
    if param.default is not None and param.default != "today":
        param.parse(param.default)  # a bad default is a catalogue bug: fail at load time
    return param


def _classes(query: str, name: str, given: object) -> tuple[str, ...]:
    """`class: csi:X` or `class: [csi:X, csi:Y]` as full IRIs."""
    if given is None:
        return ()
    names = given if isinstance(given, list) else [given]
    try:
        return tuple(expand_iri(str(item)).value for item in names)
    except ValueError as error:
        raise HeaderError(f"{query}: parameter {name!r} has a bad class: {error}") from None


def _enumerate(query: str, name: str, given: object) -> tuple[str, ...]:
    if given is None:
        return ()
    if not isinstance(given, list) or not given:
        raise HeaderError(f"{query}: parameter {name!r}: enumerate must be a list of values")
    return tuple(str(item) for item in given)


def load_query(path: Path, topic: str | None = None) -> SavedQuery:
    """Read one .rq file and its header; raise HeaderError if the header is incomplete."""
    text = path.read_text(encoding="utf-8")
    header_lines, _ = split_header(text)
    header = parse_header(header_lines)
    name = path.stem
    if not _NAME.match(name):
        raise HeaderError(f"{path}: query names are lower-case words joined by hyphens")
    summary = header.get("summary")
    if not isinstance(summary, str) or not summary:
        raise HeaderError(f"{path}: the header needs a '#+ summary:' line")
    raw_params = header.get("params") or {}
    if not isinstance(raw_params, dict):
        raise HeaderError(f"{path}: '#+ params:' must be a mapping of name to spec")
    params = []
    for pname, spec in raw_params.items():
        if not _VAR.match(pname):
            raise HeaderError(f"{path}: parameter name {pname!r} is not a SPARQL variable name")
        if not re.search(rf"[?$]{pname}\b", text):
            raise HeaderError(f"{path}: parameter {pname!r} is not used as ?{pname} in the query")
        params.append(_param_from(name, pname, spec))
    tags = header.get("tags") or []
    columns = _columns(path, text, header.get("columns"))
    return SavedQuery(
        name=name, topic=topic or path.parent.name, path=path, text=text, summary=summary,
        description=str(header.get("description", "")),
        tags=tuple(tags if isinstance(tags, list) else [str(tags)]), params=tuple(params),
        columns=columns,
    )


def _columns(path: Path, text: str, given: object) -> tuple[str, ...]:
    """The `#+ columns: [a, b]` list: variables of the query a table shows by default."""
    if given is None:
        return ()  # optional: a header without it shows every variable
    if not isinstance(given, list) or not all(isinstance(c, str) for c in given):
        raise HeaderError(f"{path}: '#+ columns:' must be a list of variable names")
    for column in given:
        if not _VAR.match(column) or not re.search(rf"[?$]{column}\b", text):
            raise HeaderError(f"{path}: column {column!r} is not a variable of the query")
    return tuple(given)


class Catalogue:
    """Every saved query under a folder, by name (names are unique across topics)."""

    def __init__(self, queries: Iterable[SavedQuery]) -> None:
        self.queries: dict[str, SavedQuery] = {}
        for query in queries:
            if query.name in self.queries:
                raise HeaderError(f"two saved queries are called {query.name!r}")
            self.queries[query.name] = query

    @classmethod
    def load(cls, folder: Path = QUERIES_DIR) -> Catalogue:
        return cls(load_query(path) for path in sorted(folder.glob("*/*.rq")))

    def __iter__(self) -> Iterator[SavedQuery]:
        return iter(sorted(self.queries.values(), key=lambda q: (q.topic, q.name)))

    def __len__(self) -> int:
        return len(self.queries)

    def get(self, name: str) -> SavedQuery:
        if name in self.queries:
            return self.queries[name]
        close = difflib.get_close_matches(name, list(self.queries), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownQueryError(
            f"no saved query called {name!r}{hint} (`kg query --list` lists them)")


_catalogue: Catalogue | None = None


def catalogue() -> Catalogue:
    """The project's catalogue, loaded once per process."""
    global _catalogue
    if _catalogue is None:
        _catalogue = Catalogue.load()
    return _catalogue


# --- query text: masking, read-only check, VALUES injection -------------------------------------

_SET_COLUMN = re.compile(
    r'GROUP_CONCAT\s*\(\s*DISTINCT\b[^;()]*;\s*separator\s*=\s*"([^"\\]+)"\s*\)\s*AS\s*[?$](\w+)',
    re.IGNORECASE,
)


def set_columns(text: str) -> dict[str, str]:
    """GROUP_CONCAT(DISTINCT ...; separator="s") AS ?var columns of a query, var -> separator.

    >>> set_columns('SELECT (GROUP_CONCAT(DISTINCT ?id; separator=" ") AS ?ids) WHERE {}')
    {'ids': ' '}
    """
    return {var: sep for sep, var in _SET_COLUMN.findall(text)}


_OPAQUE = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\''           # long strings
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''  # short strings
    r'|<[^<>"{}|^`\\\x00-\x20]*>'                   # IRIs
    r'|#[^\n]*'                                     # comments
)


def mask(text: str) -> str:
    """The query with strings, IRIs and comments blanked out (same length), for keyword scans."""
    return _OPAQUE.sub(lambda m: " " * len(m.group(0)), text)


def read_only_violation(text: str) -> str | None:
    """The update or federation operation in a query (parsed, not scanned), or None when it is a
    plain query; a text that does not parse is a QueryError.

    >>> read_only_violation("SELECT * WHERE { ?s <http://x/LOAD> ?o } # DROP")
    >>> read_only_violation("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }")
    'SERVICE'
    """
    from kg.query.readonly import UnreadableQueryError, violation

    try:
        return violation(text)
    except UnreadableQueryError as error:
        raise QueryError(f"SPARQL syntax error (the read-only check cannot parse it): {error}"
                         ) from None


def with_values(text: str, bindings: Mapping[str, Term]) -> str:
    """The query with a VALUES block of the bound terms opening its outermost WHERE group.

    Opening the group (not trailing the query) keeps the bindings visible to the group's FILTERs,
    as oxigraph's substitutions are. The block is written from the terms' N-Triples form, which
    escapes every value.

    >>> with_values("SELECT ?x WHERE { ?x ?p ?o }", {"o": Literal("a")})
    'SELECT ?x WHERE { VALUES (?o) { ("a") } ?x ?p ?o }'
    """
    if not bindings:
        return text
    masked = mask(text)
    found = re.search(r"\bWHERE\s*\{", masked, re.IGNORECASE) or re.search(r"\{", masked)
    if not found:
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    for name in bindings:
        if not _VAR.match(name):
            raise QueryError(f"{name!r} is not a SPARQL variable name")
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    return f"{text[:found.end()]} VALUES ({names}) {{ ({terms}) }}{text[found.end():]}"
