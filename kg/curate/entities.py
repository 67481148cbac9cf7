"""Known entities by the registry's labels, and capitalised names the registry does not know."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import FOAF, SKOS

from kg.namespaces import CSI, shorten

_COUNCIL_SUFFIX = re.compile(
    r"\s+(?:Metropolitan Borough|City|County|Borough|District)?\s*Council$|^(?:the )?(?:London )?"
    r"Borough of\s+|^Royal Borough of\s+"
)
_NAME = re.compile(
    r"\b[A-Z][\w’'&.-]*(?:\s+(?:of|for|and|the|&)?\s*[A-Z][\w’'&.-]*)+"
)
_ORGANISATION = re.compile(
    r"Trust|Council|Association|Department|Agency|Ltd|Committee|Board|Partnership|Services"
    r"|University|Society|Foundation|Group"
)
_STOP_STARTS = {"The", "A", "An", "In", "On", "At", "But", "And", "It", "He", "She", "They", "This"}


@dataclass(frozen=True)
class Mention:
    text: str
    iri: str  # prefixed name, "" for an unknown name
    kind: str  # council, organisation, person, post, document, policy; or a guess for unknowns


def _kind(graph: Graph, node: URIRef) -> str:
    text = shorten(node)
    return text.split(":", 1)[0].replace("body", "organisation")


class Registry:
    """Names -> entities, from rdfs:label, skos:altLabel and foaf:name, plus short forms that
    name one entity only ("Doncaster" for Doncaster Council, "Gove" for Michael Gove)."""

    def __init__(self, graph: Graph) -> None:
        names: dict[str, set[URIRef]] = {}
        for prop in (RDFS.label, SKOS.altLabel, FOAF.name):
            for node, label in graph.subject_objects(prop):
                prefixed = shorten(node)
                skip = prefixed.startswith(("src:", "st:", "csi:")) or ":" not in prefixed
                if isinstance(node, URIRef) and not skip and not str(node).startswith(str(CSI)):
                    names.setdefault(str(label), set()).add(node)
        short: dict[str, set[URIRef]] = {}
        for kind in (CSI.LocalAuthority, FOAF.Person):
            for node in graph.subjects(RDF.type, kind):
                text = str(graph.value(node, RDFS.label) or "")
                if not isinstance(node, URIRef):
                    continue
                if kind == CSI.LocalAuthority:
                    short.setdefault(_COUNCIL_SUFFIX.sub("", text).strip(), set()).add(node)
                elif " " in text:
                    short.setdefault(text.rsplit(" ", 1)[1], set()).add(node)
        for name, nodes in short.items():
            if len(nodes) == 1 and len(name) > 3 and name not in names:
                names[name] = nodes
        self.graph = graph
        self.names = {n: next(iter(v)) for n, v in names.items() if len(v) == 1 and len(n) > 2}
        self.pattern = re.compile(
            r"\b(" + "|".join(re.escape(n) for n in sorted(self.names, key=len, reverse=True))
            + r")\b"
        )

    def mentions(self, sentence: str) -> tuple[list[Mention], list[tuple[int, int]]]:
        found, spans = [], []
        for match in self.pattern.finditer(sentence):
            node = self.names[match.group(0)]
            found.append(Mention(match.group(0), shorten(node), _kind(self.graph, node)))
            spans.append(match.span())
        return found, spans


def unknown_names(sentence: str, known: list[tuple[int, int]]) -> list[Mention]:
    """Capitalised runs that no known name covers, with a guess at what they name."""
    found = []
    for match in _NAME.finditer(sentence):
        text = re.sub(r"['’]s$", "", match.group(0).strip())  # "Torbay Council's"
        inside = [(s, e) for s, e in known if s < match.end() and e > match.start()]
        if inside:
            # A known name inside a longer organisation name ("Sandwell" in "Sandwell
            # Children's Trust") still leaves the longer name unknown; otherwise skip the run.
            covered = any(s <= match.start() and match.end() <= e for s, e in inside)
            if covered or not _ORGANISATION.search(text.split()[-1]):
                continue
        words = text.split()
        if words[0] in _STOP_STARTS:
            words = words[1:]
            text = " ".join(words)
        if len(words) < 2:
            continue
        if words[-1] == "Council":
            guess = "council?"
        elif _ORGANISATION.search(text):
            guess = "organisation?"
        elif len(words) in (2, 3) and all(w[0].isupper() for w in words):
            guess = "person?"
        else:
            guess = "name?"
        found.append(Mention(text, "", guess))
    return found
