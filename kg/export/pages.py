"""What an entity page shows, drawn from saved queries: one page per IRI of the graph.

An IRI `https://w3id.org/csikg/<path>` has a page: an entity or a statement (`id/...`), a source
(`id/source/...`) or an ontology term (`def...`). Its rows come from the saved queries
`entity-description`, `entity-statements` (run for the chosen date and for today), `entity-related`
and `term-usage`, and sources are cited by `kg.query.citations`, so a page and `kg query` give the
same answer. Rendering is kg/export/page_render.py; serving kg/serve/pages.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from kg.namespaces import shorten
from kg.query.citations import Citation, citations
from kg.query.engine import Engine, Results, term_text

BASE = "https://w3id.org/csikg/"
SKIPPED = (BASE + "id/.well-known/", BASE + "graph/")  # evidence nodes, named graphs: no pages
XSD_DATE = NamedNode("http://www.w3.org/2001/XMLSchema#date")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = ("http://www.w3.org/2000/01/rdf-schema#label",
          "http://www.w3.org/2004/02/skos/core#prefLabel")
DEFINITIONS = ("http://www.w3.org/2004/02/skos/core#definition",
               "http://www.w3.org/2000/01/rdf-schema#comment",
               "http://purl.org/dc/terms/description")
IDENTIFIERS = ("https://w3id.org/csikg/def/gssCode", "https://w3id.org/csikg/def/corpusId")

ALL_IRIS = f"""
SELECT DISTINCT ?x WHERE {{
  {{ ?x ?p ?o }} UNION {{ ?s ?p ?x }}
  FILTER (isIRI(?x) && STRSTARTS(STR(?x), "{BASE}")
          && !STRSTARTS(STR(?x), "{SKIPPED[0]}") && !STRSTARTS(STR(?x), "{SKIPPED[1]}"))
}} ORDER BY ?x
"""


def local_path(iri: str) -> str | None:
    """The page path of an IRI of the graph (`id/council/doncaster`), None when it has none.

    >>> local_path("https://w3id.org/csikg/id/council/doncaster")
    'id/council/doncaster'
    >>> local_path("https://w3id.org/csikg/id/.well-known/genid/ab") is None
    True
    """
    if not iri.startswith(BASE) or iri.startswith(SKIPPED) or len(iri) == len(BASE):
        return None
    path = iri[len(BASE):]
    if not (path.startswith("id/") or path == "def" or path.startswith("def/")):
        return None
    return path


def iri_of(path: str) -> str:
    return BASE + path


def page_kind(iri: str) -> str:
    path = local_path(iri) or ""
    if path.startswith("id/source/"):
        return "source"
    return "term" if path.split("/")[0] == "def" else "entity"


@dataclass
class Link:
    iri: str
    label: str
    path: str | None  # the page path, None when the IRI has no page (outside the graph)
    note: str = ""


@dataclass
class Evidence:
    claim_kind: str
    quote: str  # the source's words for the fact ("" for an inference)
    clue: str  # an inference's words: the clue it reads
    note: str  # the curator's note on an inference
    part: str  # the part of the statement a partial quote supports
    source: Link
    citation: str
    date_clue: str  # the clue that dates an undated source


@dataclass
class Statement:
    link: Link
    type: str
    properties: list[str]
    when: str
    status: str  # as at the chosen date
    status_today: str
    known_until: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Page:
    iri: str
    path: str
    kind: str  # entity, source or term
    label: str
    date: str  # the day statuses are given for
    today: str
    types: list[Link] = field(default_factory=list)
    definition: str = ""
    identifiers: list[tuple[str, str, Link | None, str]] = field(default_factory=list)
    properties: list[tuple[str, list[Link | str]]] = field(default_factory=list)
    citation: Citation | None = None
    statements: list[Statement] = field(default_factory=list)
    related: list[tuple[Link, str, int]] = field(default_factory=list)
    usage: list[tuple[str, list[Link]]] = field(default_factory=list)
    unlisted_uses: int = 0  # uses by nodes without a page (evidence nodes)

    @property
    def queries(self) -> list[tuple[str, dict[str, str]]]:
        """The saved queries (and parameters) behind the page's rows."""
        shown = [("entity-description", {"entity": self.iri})]
        if self.kind == "term":
            return [*shown, ("term-usage", {"term": self.iri})]
        return [*shown, ("entity-statements", {"entity": self.iri, "date": self.date}),
                ("entity-related", {"entity": self.iri})]


class Pages:
    """Builds pages from one engine; keeps what every page shares (citations, the IRI list)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.citations = citations(engine)
        self._iris: list[str] | None = None
        self._labels: dict[str, str] | None = None
        self._known: frozenset[str] | None = None

    @property
    def iris(self) -> list[str]:
        """Every IRI of the graph that has a page, sorted."""
        if self._iris is None:
            found = [term_text(row[0]) for row in self.engine.sparql(ALL_IRIS).rows]
            self._iris = [iri for iri in found if local_path(iri)]
        return self._iris

    @property
    def known(self) -> frozenset[str]:
        if self._known is None:
            self._known = frozenset(self.iris)
        return self._known

    @property
    def labels(self) -> dict[str, str]:
        if self._labels is None:
            self._labels = self.engine.labels(self.iris)
        return self._labels

    def link(self, iri: str, label: str = "") -> Link:
        return Link(iri, label or self.labels.get(iri) or shorten(iri), local_path(iri))

    def closest(self, given: str, limit: int = 5) -> list[Link]:
        """The pages whose label or path is nearest to given (for a page not found)."""
        from rapidfuzz import fuzz, process, utils

        names: dict[str, str] = {}
        for iri in self.iris:
            path = local_path(iri) or ""
            names[iri] = f"{self.labels.get(iri, '')} {path.rsplit('/', 1)[-1]}"
        wanted = given.rsplit("/", 1)[-1].replace("-", " ")
        found = process.extract(wanted, names, scorer=fuzz.WRatio, limit=limit,
                                processor=utils.default_process)
        return [self.link(iri) for _, _, iri in found]

    def page(self, iri: str, date: dt.date, today: dt.date) -> Page | None:
        """The page of iri with statuses as at date (and today); None when the graph has no
        such IRI."""
        path = local_path(iri)
        if path is None or iri not in self.known:
            return None
        page = Page(iri=iri, path=path, kind=page_kind(iri), label=self.labels.get(iri, ""),
                    date=date.isoformat(), today=today.isoformat())
        self._describe(page)
        page.label = page.label or shorten(iri)
        if page.kind == "term":
            self._usage(page)
            return page
        page.citation = self.citations.get(iri)
        now = self.statement_rows(iri, today)
        statuses = {term_text(row["statement"]): term_text(row["status"]) for row in now}
        rows = now if date == today else self.statement_rows(iri, date)
        page.statements = self._statements(rows, statuses)
        for row in self.engine.run("entity-related", entity=NamedNode(iri)):
            related = term_text(row["related"])
            page.related.append((self.link(related, term_text(row["relatedLabel"])),
                                 term_text(row["type"]), int(term_text(row["statements"]))))
        return page

    def statement_rows(self, iri: str, date: dt.date) -> Results:
        return self.engine.run("entity-statements", entity=NamedNode(iri),
                               date=Literal(date.isoformat(), datatype=XSD_DATE))

    def _describe(self, page: Page) -> None:
        values: dict[str, tuple[str, list[Link | str]]] = {}
        for row in self.engine.run("entity-description", entity=NamedNode(page.iri)):
            prop = term_text(row["property"])
            value = row["value"]
            text = term_text(value)
            if prop == RDF_TYPE:
                if text not in {t.iri for t in page.types}:
                    page.types.append(self.link(text, term_text(row["valueLabel"])))
            elif prop in LABELS and not page.label:
                page.label = text
            elif prop in DEFINITIONS and not page.definition:
                page.definition = text
            elif prop in IDENTIFIERS:
                source = term_text(row["source"])
                cited = self.citations.get(source)
                page.identifiers.append((term_text(row["propertyLabel"]) or shorten(prop), text,
                                         self.link(source) if source else None,
                                         cited.text if cited else ""))
            elif prop not in LABELS:
                name = term_text(row["propertyLabel"]) or shorten(prop)
                shown: Link | str = (self.link(text, term_text(row["valueLabel"]))
                                     if isinstance(value, NamedNode) else text)
                entry = values.setdefault(prop, (name, []))
                if shown not in entry[1]:
                    entry[1].append(shown)
        page.properties = [values[prop] for prop in sorted(values)]

    def _statements(self, rows: Results, statuses: dict[str, str]) -> list[Statement]:
        found: dict[str, Statement] = {}
        for row in rows:
            iri = term_text(row["statement"])
            item = found.get(iri)
            if item is None:
                item = found[iri] = Statement(
                    link=self.link(iri, term_text(row["label"])), type=term_text(row["type"]),
                    properties=[], when=term_text(row["when"]), status=term_text(row["status"]),
                    status_today=statuses.get(iri, ""),
                    known_until=term_text(row["knownUntil"]))
            prop = term_text(row["property"])
            if prop not in item.properties:
                item.properties.append(prop)
            source = term_text(row["source"])
            cited = self.citations.get(source)
            evidence = Evidence(
                claim_kind=term_text(row["claimKind"]), quote=term_text(row["quote"]),
                clue=term_text(row["clue"]), note=term_text(row["note"]),
                part=term_text(row["part"]), source=self.link(source),
                citation=cited.text if cited else shorten(source),
                date_clue=term_text(row["dateClue"]))
            if evidence not in item.evidence:  # one row per naming property repeats it
                item.evidence.append(evidence)
        return list(found.values())

    def _usage(self, page: Page) -> None:
        roles: dict[str, list[Link]] = {}
        for row in self.engine.run("term-usage", term=NamedNode(page.iri)):
            user = term_text(row["user"])
            if local_path(user) is None and user.startswith(BASE):
                page.unlisted_uses += 1
                continue
            roles.setdefault(term_text(row["role"]), []).append(
                self.link(user, term_text(row["userLabel"])))
        page.usage = sorted(roles.items())
