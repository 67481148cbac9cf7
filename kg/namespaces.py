"""Namespaces and the project's paths: one place for every IRI base and folder."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from rdflib import Namespace

BASE = "https://w3id.org/csikg/"
CSI = Namespace(BASE + "def/")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
GENID = Namespace(BASE + "id/.well-known/genid/")
CLAIM = Namespace(BASE + "def/claim-kind/")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")

PREFIXES: dict[str, str] = {
    "csi": str(CSI),
    "council": BASE + "id/council/",
    "service": BASE + "id/service/",
    "body": BASE + "id/organisation/",
    "person": BASE + "id/person/",
    "post": BASE + "id/post/",
    "doc": BASE + "id/document/",
    "policy": BASE + "id/policy/",
    "src": BASE + "id/source/",
    "st": BASE + "id/statement/",
    "claim": BASE + "def/claim-kind/",
    "judgement": BASE + "def/ofsted-judgement/",
    "resp": BASE + "def/responsibility-kind/",
    "intervention": BASE + "def/intervention-kind/",
    "stance": BASE + "def/stance/",
    "initiative": BASE + "def/initiative/",
    "concern": BASE + "def/concern/",
    "oa": str(OA),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}

# Prefix names the curated data files use where PREFIXES has another name for the namespace.
DATA_PREFIX_ALIASES: dict[str, str] = {"kind": PREFIXES["intervention"]}


def prefix_block(names: Iterable[str]) -> str:
    """Turtle/SPARQL PREFIX lines for the given prefix names, sorted, from the one table here.

    >>> print(prefix_block(["st", "csi"]), end="")
    PREFIX csi: <https://w3id.org/csikg/def/>
    PREFIX st: <https://w3id.org/csikg/id/statement/>
    """
    table = {**PREFIXES, **DATA_PREFIX_ALIASES}
    return "".join(f"PREFIX {name}: <{table[name]}>\n" for name in sorted(names))


PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(__file__).resolve().parent / "data"
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
QUERIES_DIR = PROJECT_ROOT / "queries"
DEFAULT_DIST = PROJECT_ROOT / "dist"
CURATION_DIR = PROJECT_ROOT / "curation"  # kg curate's review files; never loaded by the build


def corpus_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The corpus folder: the --corpus option, else $KG_CORPUS, else ../shared/corpus."""
    if override:
        return Path(override)
    if env := os.environ.get("KG_CORPUS"):
        return Path(env)
    return PROJECT_ROOT.parent / "shared" / "corpus"


def shorten(node: object) -> str:
    """A prefixed name for an IRI when one of our prefixes fits, else the IRI as text.

    >>> shorten("https://w3id.org/csikg/id/council/doncaster")
    'council:doncaster'
    """
    if node is None:
        return ""
    text = str(node)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return text
