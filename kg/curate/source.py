"""`kg source add`: a new text into the corpus, its registry entry, and an empty data file.

What the entry records is what the text states: the author and the date only where the text
states them (each with the byline or dateline quoted as evidence), never a date from elsewhere.
The text's SHA-256 is recorded (csi:sha256) so `kg validate` notices a text changed afterwards.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS, XSD

from kg.build.formatting import canonical_text, header_of
from kg.build.loading import REGISTRY, parse_turtle, read_text
from kg.build.quotes import fold
from kg.curate.ids import make_id, next_number, sha256
from kg.errors import BadInputError
from kg.namespaces import CLAIM, CSI, ID, OA, SCHEMA, corpus_dir, prefix_block

SRC = Namespace(str(ID) + "source/")
PERSON = Namespace(str(ID) + "person/")
BODY = Namespace(str(ID) + "organisation/")

DATA_PREFIXES = prefix_block([
    "body", "claim", "concern", "council", "csi", "doc", "initiative", "judgement", "kind",
    "oa", "org", "person", "policy", "post", "rdfs", "resp", "schema", "service", "src",
    "st", "stance", "xsd",
])


class SourceError(BadInputError):
    """A source that cannot be added: a duplicate, a date or author the text does not state."""


@dataclass
class Added:
    source_id: str
    text_path: Path
    data_path: Path
    notes: list[str] = field(default_factory=list)


def slug(text: str) -> str:
    """
    >>> slug("Sandwell Children's Trust")
    'sandwell-childrens-trust'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "").replace("’", "")).strip("-")


def date_spellings(day: dt.date) -> list[str]:
    """The ways an English article writes a date, most specific first.

    >>> date_spellings(dt.date(2018, 1, 9))[:3]
    ['9 January 2018', '09 January 2018', 'January 9, 2018']
    """
    month = day.strftime("%B")
    return [
        f"{day.day} {month} {day.year}",
        f"{day.day:02d} {month} {day.year}",
        f"{month} {day.day}, {day.year}",
        f"{day.day} {month[:3]} {day.year}",
        day.isoformat(),
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}/{day.month}/{day.year}",
    ]


def _line_with(text: str, words: str) -> str | None:
    """The folded line of text holding words, if short enough to be a byline; else words."""
    for line in text.splitlines():
        if fold(words) in fold(line):
            folded = fold(line)
            return folded if len(folded) <= 120 else fold(words)
    return fold(words) if fold(words) in fold(text) else None


def _evidence(graph: Graph, source: URIRef, quote: str, kind: str, note: str = "") -> BNode:
    evidence, selector = BNode(), BNode()
    graph.add((evidence, RDF.type, CSI.Evidence))
    graph.add((evidence, OA.hasSelector, selector))
    graph.add((selector, RDF.type, OA.TextQuoteSelector))
    graph.add((selector, OA.exact, Literal(quote)))
    graph.add((evidence, OA.hasSource, source))
    graph.add((evidence, CSI.claimKind, CLAIM[kind]))
    if note:
        graph.add((evidence, CSI.inferenceNote, Literal(note, lang="en")))
    graph.add((source, CSI.evidence, evidence))
    return evidence


def _find_entity(registry: Graph, name: str, kinds: tuple[URIRef, ...]) -> URIRef | None:
    wanted = name.casefold().strip()
    for prop in (RDFS.label, SKOS.altLabel, FOAF.name):
        for node, label in registry.subject_objects(prop):
            if str(label).casefold().strip() == wanted and isinstance(node, URIRef):
                if any((node, RDF.type, kind) in registry for kind in kinds):
                    return node
    return None


def _check_duplicates(data: bytes, url: str, corpus: Path, registry: Graph) -> None:
    digest = sha256(data)
    for path in sorted(corpus.glob("*.txt")):
        if sha256(path.read_bytes()) == digest:
            raise SourceError(
                f"this text is already in the corpus as {path.name} (same SHA-256); "
                "nothing added"
            )
    for node in registry.subjects(SCHEMA.url, URIRef(url)):
        raise SourceError(f"a source with this URL is already registered: <{node}>; nothing added")
    for node in registry.subjects(SCHEMA.url, Literal(url)):
        raise SourceError(f"a source with this URL is already registered: <{node}>; nothing added")


def add_source(
    file: Path,
    *,
    url: str,
    title: str,
    publisher: str,
    author: str | None = None,
    date: str | None = None,
    corpus: Path | None = None,
    data_dir: Path,
) -> Added:
    """Copy file into the corpus under its id, register it, and write its empty data file."""
    corpus = corpus_dir(corpus)
    if not corpus.is_dir():
        raise SourceError(f"corpus folder {corpus} not found; give --corpus DIR or set KG_CORPUS")
    text = read_text(file, limit=None)  # refuses a text that is not UTF-8, naming the line
    data = text.encode("utf-8")
    registry_path = data_dir / REGISTRY
    registry = parse_turtle(registry_path)
    _check_duplicates(data, url, corpus, registry)
    if fold(title) not in fold(text):
        raise SourceError(f'the title "{title}" is not in the text; give it as the text spells it')

    source_id = make_id(next_number(corpus), data)
    source = SRC[source_id]
    new = Graph()
    notes: list[str] = []
    new.add((source, RDF.type, SCHEMA.NewsArticle))
    new.add((source, RDF.type, CSI.Source))
    new.add((source, RDFS.label, Literal(title, lang="en")))
    new.add((source, DCTERMS.title, Literal(title, lang="en")))
    new.add((source, CSI.corpusId, Literal(source_id)))
    new.add((source, CSI.sha256, Literal(sha256(data))))
    new.add((source, SCHEMA.url, URIRef(url)))

    if author:
        byline = _line_with(text, author)
        if byline is None:
            raise SourceError(
                f'the text does not name the author "{author}"; leave out --author '
                "(an author the text does not state stays unknown)"
            )
        person = _find_entity(registry, author, (FOAF.Person,))
        if person is None:
            person = PERSON[slug(author)]
            new.add((person, RDF.type, FOAF.Person))
            new.add((person, RDFS.label, Literal(author, lang="en")))
            new.add((person, FOAF.name, Literal(author)))
        new.add((source, DCTERMS.creator, person))
        _evidence(new, source, byline, "reported-fact")

    if date:
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise SourceError(f"--date {date}: not a date in the form YYYY-MM-DD") from None
        spelled = next((s for s in date_spellings(day) if fold(s) in fold(text)), None)
        if spelled is None:
            raise SourceError(
                f"the text does not state the date {date} (looked for "
                f"{', '.join(repr(s) for s in date_spellings(day)[:3])}...); leave out --date and, "
                "if the text bounds it, record a csi:DateInference (docs/curating.md)"
            )
        new.add((source, DCTERMS.date, Literal(day.isoformat(), datatype=XSD.date)))
        quoted = {str(o) for o in new.objects(None, OA.exact)}
        if not any(spelled in q for q in quoted):
            _evidence(new, source, _line_with(text, spelled) or spelled, "reported-fact")

    body = _find_entity(registry, publisher, (CSI.Publisher,))
    if fold(publisher) in fold(text) or body is not None and any(
        fold(str(alt)) in fold(text) for alt in registry.objects(body, SKOS.altLabel)
    ):
        if body is None:
            body = BODY[slug(publisher)]
            new.add((body, RDF.type, CSI.Publisher))
            new.add((body, RDFS.label, Literal(publisher, lang="en")))
        named = next(
            n
            for n in [publisher, *(str(a) for a in registry.objects(body, SKOS.altLabel))]
            if fold(n) in fold(text)
        )
        new.add((source, DCTERMS.publisher, body))
        _evidence(
            new, source, fold(named), "inference",
            f"The text names {named}; the curator took it to be the publisher (kg source add "
            f"--publisher, from the page at {url}).",
        )
    else:
        notes.append(
            f'publisher "{publisher}" is not named in the text: not recorded (the URL is)'
        )

    text_path = corpus / f"{source_id}.txt"
    data_path = data_dir / f"{source_id}.ttl"
    for existing in (text_path, data_path):
        if existing.exists():
            raise SourceError(f"{existing} already exists; nothing added")
    text_path.write_bytes(data)
    merged = Graph()
    for prefix, namespace in registry.namespaces():
        merged.bind(prefix, namespace)
    merged += registry
    merged += new
    registry_path.write_text(
        canonical_text(merged, header_of(read_text(registry_path))), encoding="utf-8"
    )
    data_path.write_text(data_header(source_id, title, author, date, url) + DATA_PREFIXES,
                         encoding="utf-8")
    return Added(source_id, text_path, data_path, notes)


def data_header(
    source_id: str, title: str, author: str | None, date: str | None, url: str
) -> str:
    """The comment block a source's data file starts with (kept by kg fmt)."""
    by = f", by {author}" if author else ", author not stated in the text"
    when = (
        f", {date} (the article's date is stated in the text)."
        if date
        else "; the date is not stated in the text (bound it with a csi:DateInference if the"
        " text allows)."
    )
    return (
        f'# Source {source_id[:3]}: "{title}"{by}{when}\n'
        f"# From {url}; text in the corpus as {source_id}.txt (SHA-256 in the registry).\n"
        f"# Statements this source asserts, each with a verbatim quote: see docs/curating.md.\n"
        f"# Candidates to review: kg curate {source_id} (curation/{source_id}.candidates.md).\n"
    )
