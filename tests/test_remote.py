"""Any SPARQL 1.1 server: publish to a real Oxigraph server, then every saved query must give the
same rows there as embedded (compared by value, not by term object)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli.main import main
from kg.query.catalogue import catalogue
from kg.query.engine import Engine
from kg.query.remote import Endpoint, RemoteError, store_url_for

# Non-default parameters for every parameterised query: the binding must behave the same there.
PARAMETER_CASES = [
    ("accountability-on-date", {"council": "doncaster", "date": "2016-01-15"}),
    ("accountability-on-date", {"council": "slough", "date": "2015-10-01"}),
    ("accountability-on-date", {"council": "birmingham", "date": "2014-01-01"}),
    ("council-timeline", {"council": "dudley"}),
    ("decision-basis", {"decision": "gove-backs-doncaster-trust"}),
    ("posts-held", {"person": "dave-hill"}),
    ("positions-on-policy", {"policy": "failing-childrens-services-reforms"}),
    ("positions-on-policy", {"kind": ""}),
    ("entity-evidence", {"entity": "person:alan-wood"}),
    ("accountability-on-date", {"council": "sandwell", "date": "2030-01-01"}),
    ("trusts-by-initiative", {"initiative": "voluntary"}),
    ("positions-on-policy", {"policy": "failing-childrens-services-reforms",
                             "kind": "removal-from-council-control"}),
    ("entity-statements", {"entity": "council:doncaster", "date": "2014-01-01"}),
    ("entity-related", {"entity": "body:doncaster-childrens-services-trust"}),
    ("entity-description", {"entity": "council:sandwell"}),
    ("term-usage", {"term": "Responsibility"}),
]


def _oxigraph_binary() -> str:
    local = Path(sys.executable).parent / "oxigraph"
    found = str(local) if local.exists() else shutil.which("oxigraph")
    if not found:
        pytest.skip("the oxigraph server (PyPI package oxigraph) is not installed")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def endpoint_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [_oxigraph_binary(), "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
         "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the oxigraph server did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/query"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def published(endpoint_url: str, dist: Path) -> Endpoint:
    result = CliRunner().invoke(main, ["publish", "--endpoint", endpoint_url, "--dist", str(dist)])
    assert result.exit_code == 0, result.output
    assert "https://w3id.org/csikg/graph/ontology" in result.stdout
    assert "https://w3id.org/csikg/graph/004_dd1639bb877fd76f" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("published ")
    return Endpoint(endpoint_url)


@pytest.fixture(scope="module")
def engine(dist: Path) -> Engine:
    return Engine.load(dist)


def test_every_saved_query_gives_the_same_rows_remotely(published: Endpoint,
                                                        engine: Engine) -> None:
    for query in catalogue():
        embedded = engine.run(query)
        remote = published.run(query)
        assert remote.variables == embedded.variables, query.name
        assert remote.texts() == embedded.texts(), query.name
        assert embedded.rows, f"{query.name} answers nothing on the real graph"


@pytest.mark.parametrize(("name", "params"), PARAMETER_CASES)
def test_parameters_bind_the_same_remotely(published: Endpoint, engine: Engine, name: str,
                                           params: dict[str, str]) -> None:
    assert published.run(name, **params).texts() == engine.run(name, **params).texts()


def test_every_parameterised_query_has_a_remote_case() -> None:
    with_params = {q.name for q in catalogue() if q.params}
    assert with_params <= {name for name, _ in PARAMETER_CASES}


def test_named_graphs_are_kept(published: Endpoint) -> None:
    answer = published.sparql(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/csikg/graph/004_dd1639bb877fd76f>"
        " { ?s ?p ?o } }")
    assert int(str(answer.records()[0]["n"])) > 100


def test_publishing_again_replaces_rather_than_duplicates(published: Endpoint, dist: Path,
                                                          endpoint_url: str) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = published.sparql(count).records()[0]["n"]
    result = CliRunner().invoke(main, ["publish", "--endpoint", endpoint_url, "--dist", str(dist)])
    assert result.exit_code == 0
    assert published.sparql(count).records()[0]["n"] == before


def test_kg_query_and_sparql_with_endpoint_match_embedded(published: Endpoint, dist: Path,
                                                          endpoint_url: str) -> None:
    runner = CliRunner()
    args = ["query", "split-responsibility", "--format", "csv"]
    remote = runner.invoke(main, [*args, "--endpoint", endpoint_url])
    local = runner.invoke(main, [*args, "--dist", str(dist)])
    assert remote.exit_code == 0 and remote.stdout == local.stdout
    asked = runner.invoke(main, ["sparql", "ASK { ?s a <https://w3id.org/csikg/def/Direction> }",
                                 "--endpoint", endpoint_url])
    assert asked.stdout.strip() == "true"


def test_an_unknown_entity_is_refused_remotely_too(published: Endpoint,
                                                   endpoint_url: str) -> None:
    result = CliRunner().invoke(main, ["query", "posts-held", "-p", "person=dave-hil",
                                       "--endpoint", endpoint_url])
    assert result.exit_code == 2
    assert "did you mean person:dave-hill" in result.stderr


def test_remote_errors_are_clear(published: Endpoint) -> None:
    with pytest.raises(RemoteError, match="HTTP 400"):
        published.sparql("SELECT ?x WHERE {")


def test_store_url_conventions() -> None:
    assert store_url_for("http://127.0.0.1:7878/query") == "http://127.0.0.1:7878/store"
    assert store_url_for("http://host:3030/ds/query") == "http://host:3030/ds/data"
    with pytest.raises(RemoteError, match="--store"):
        store_url_for("http://host/endpoint")
