"""Shared fixtures: the real graph, built once per test session into a temporary folder."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph
from sources import registry_sources

from kg.build.pipeline import Assembled, assemble, publish
from kg.namespaces import corpus_dir
from kg.serve.server import Server, ServerConfig


@pytest.fixture(scope="session", autouse=True)
def _lint_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The lint cache of the tests lives and dies with them, never in the user's cache."""
    before = os.environ.get("KG_CACHE")
    os.environ["KG_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        del os.environ["KG_CACHE"]
    else:
        os.environ["KG_CACHE"] = before


@pytest.fixture(scope="session")
def corpus() -> Path:
    path = corpus_dir()
    if not path.is_dir():
        pytest.skip(f"corpus folder {path} not found (set KG_CORPUS)")
    return path


@pytest.fixture(scope="session")
def assembled(corpus: Path) -> Assembled:
    return assemble(corpus)


@pytest.fixture(scope="session")
def graph(assembled: Assembled) -> Graph:
    """The union of the published graph (curated + ontology + derived)."""
    return assembled.graph


@pytest.fixture(scope="session")
def dist(assembled: Assembled, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a freshly published build (kg.trig, kg.ttl, ...)."""
    out = tmp_path_factory.mktemp("dist") / "dist"
    publish(assembled, out)
    return out


@pytest.fixture(scope="module")
def server(dist: Path) -> Iterator[Server]:
    """kg serve on the build, on a free loopback port, one worker (the page tests' server; a
    test module that needs other limits defines its own `server`)."""
    server = Server(ServerConfig(dist=dist, port=0, timeout=20, workers=1))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def articles(corpus: Path) -> list[str]:
    """The source ids of the corpus articles: every corpus text, each with its registry entry."""
    from kg.build.corpus import texts

    in_corpus = [p.stem for p in texts(corpus)]
    assert in_corpus, f"no texts in {corpus}"
    assert set(in_corpus) <= set(registry_sources()), "a corpus text has no source entry"
    return in_corpus
