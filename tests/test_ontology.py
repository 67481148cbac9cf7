"""The ontology itself: lint-clean, and the shapes in step with it."""

from __future__ import annotations

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from kg.build.loading import SHAPES_FILE, load_ontology, parse_turtle
from kg.build.validation import lint_ontology
from kg.namespaces import CSI


def test_ontology_passes_its_lint() -> None:
    assert lint_ontology(load_ontology()) == []


def test_dangling_check_covers_every_participant_property() -> None:
    ontology = load_ontology()
    participants = set(ontology.transitive_subjects(RDFS.subPropertyOf, CSI.involves))
    shapes: Graph = parse_turtle(SHAPES_FILE)
    path = shapes.value(URIRef("https://w3id.org/csikg/shapes/DanglingParticipant"), SH.path)
    listed = set(Collection(shapes, shapes.value(path, SH.alternativePath)))
    assert listed == participants


def test_every_minted_term_is_typed_once() -> None:
    ontology = load_ontology()
    for term in set(ontology.subjects(RDFS.isDefinedBy, None)):
        assert len(set(ontology.objects(term, RDF.type))) == 1, term
