"""The saved-query REST API against its own OpenAPI description (schemathesis, a bounded number
of generated requests per operation), and the description as the server serves it."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance, unsupported_method

from kg.query.catalogue import catalogue
from kg.serve.openapi import openapi_document
from kg.serve.server import Server, ServerConfig

schema = schemathesis.openapi.from_dict(openapi_document(catalogue()))


@pytest.fixture(scope="module")
def server(dist: Path) -> Iterator[Server]:
    server = Server(ServerConfig(dist=dist, port=0, timeout=20, workers=2, per_client=2))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_description_is_served_offline(server: Server) -> None:
    with urllib.request.urlopen(f"{server.url}/openapi.json", timeout=10) as reply:
        served = json.load(reply)
    assert served == openapi_document(catalogue())
    assert served["openapi"].startswith("3.")
    assert f"/api/queries/{next(iter(catalogue())).name}/run" in served["paths"]
    assert "http" not in json.dumps(served["info"])  # nothing to fetch from elsewhere


@schema.parametrize()
@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_api_conforms_to_its_description(case: schemathesis.Case, server: Server) -> None:
    if case.method.upper() not in ("GET", "HEAD", "POST"):
        # Methods the server has for no resource (PUT, TRACE...) get 501, as RFC 9110
        # (15.6.2) says and the protocol tests require, not the 405 schemathesis expects.
        assert case.call(base_url=server.url).status_code == 501
        return
    # An IRI in a valid form may still name nothing the graph knows (or nothing of the
    # parameter's class): that is refused with 400 and the nearest names, so a schema-valid
    # value is not always accepted; the 400 itself is described and still checked.
    case.call_and_validate(base_url=server.url,
                           excluded_checks=[unsupported_method, positive_data_acceptance])
