"""kg.jsonld: the published dataset as compacted JSON-LD, every named graph kept.

The document is `{"@context": {prefix: namespace...}, "@graph": [{"@id": graph, "@graph":
[nodes...]}...]}`: the project's prefixes (kg.namespaces.PREFIXES) compact the IRIs, and each
named graph of kg.trig keeps its name, so a JSON-LD processor reads back the same quads.
rdflib writes it; the nodes, values and keys are then sorted, so two builds are byte-identical.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Dataset

from kg.namespaces import PREFIXES


def _key(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _sorted(value: object) -> object:
    """Values sorted wherever order means nothing (an @list keeps its order)."""
    if isinstance(value, dict):
        return {k: v if k == "@list" else _sorted(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_sorted(v) for v in value), key=_key)
    return value


def compacted_jsonld(dataset: Dataset) -> str:
    """The named graphs of the dataset (empty ones left out, as in kg.trig) as compacted
    JSON-LD with an @context of the project's prefixes."""
    named = Dataset()
    for graph in dataset.graphs():
        if len(graph) and graph.identifier != dataset.default_graph.identifier:
            target = named.graph(graph.identifier)
            for triple in graph:
                target.add(triple)
    text = named.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    document = json.loads(text)
    context = document.pop("@context")
    # one graph comes as the document itself, several as its @graph list
    graphs: list[dict[str, Any]] = [document] if "@id" in document else document["@graph"]
    ordered = [_sorted(g) for g in sorted(graphs, key=lambda g: str(g["@id"]))]
    return json.dumps({"@context": context, "@graph": ordered}, indent=1,
                      sort_keys=True, ensure_ascii=False) + "\n"
