"""The read-only check against the engine itself: generated queries full of escaped names,
comments, strings and IRIs, with and without a real SERVICE clause. Whatever the check lets
through must not make the store contact the network (a local listener records any contact)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, Store

from kg.query.catalogue import QueryError, read_only_violation, with_values
from kg.query.readonly import UnreadableQueryError, violation


class Listener:
    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.hits += 1
            conn.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.sock.close()


# Pieces of SPARQL that have tripped keyword scanners: escapes in prefixed names (SPARQL's
# PN_LOCAL_ESC), comment and string starts, and the word SERVICE where it is not a keyword.
ESCAPES = ["\\#", "\\'", '\\"', "\\.", "\\-", "\\!", "\\$", "\\&", "\\(", "\\)", "\\*", "\\+",
           "\\,", "\\;", "\\=", "\\/", "\\?", "\\@", "\\%", "\\_", "\\~"]
local_names = st.lists(st.sampled_from(["a", "b", "1", "SERVICE", "x", *ESCAPES]),
                       min_size=1, max_size=5).map(lambda parts: "a" + "".join(parts))
string_bodies = st.lists(st.sampled_from(["x", " ", "#", "'", '"', "\\'", '\\"', "\\\\", "}",
                                          "{", "SERVICE <http://127.0.0.1:1/>", "\\n", "<"]),
                         max_size=6).map("".join)


@st.composite
def strings(draw: st.DrawFn) -> str:
    body = draw(string_bodies)
    quote = draw(st.sampled_from(["'", '"', "'''", '"""']))
    if len(quote) == 1:  # a short string: its own quote and raw newlines must be escaped
        body = body.replace("\\", "\\\\").replace(quote, "\\" + quote)
    else:
        body = body.replace(quote[0], "\\" + quote[0])
    return f"{quote}{body}{quote}"


comments = string_bodies.map(lambda text: "# " + text.replace("\n", " ") + "\n")
iris = st.sampled_from(["<http://x/SERVICE>", "<http://x/a#SERVICE>", "<http://x/'>",
                        "<http://x/\\u0023>", "<urn:service:x>"])


@st.composite
def queries(draw: st.DrawFn, port: int) -> tuple[str, bool]:
    """A SELECT built from tricky pieces; True if it holds a real SERVICE clause."""
    pieces = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["name", "string", "comment", "iri"]))
        if kind == "name":
            pieces.append(f"VALUES ?z {{ ex:{draw(local_names)} }}")
        elif kind == "string":
            pieces.append(f"BIND({draw(strings())} AS ?s{len(pieces)})")
        elif kind == "comment":
            pieces.append(draw(comments))
        else:
            pieces.append(f"?x {draw(iris)} ?y .")
    service = draw(st.booleans())
    if service:
        keyword = draw(st.sampled_from(["SERVICE", "service", "SeRvIcE", "SERVICE SILENT"]))
        pieces.insert(draw(st.integers(0, len(pieces))),
                      f"{keyword} <http://127.0.0.1:{port}/x> {{ ?leak ?p ?o }}")
    return "PREFIX ex: <http://x/> SELECT * WHERE { " + " ".join(pieces) + " }", service


def engine_contacts(text: str, listener: Listener) -> bool:
    """Run the text in a plain store (no sandbox); True if it reached the listener."""
    before = listener.hits
    try:
        list(Store().query(text))  # type: ignore[arg-type]
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass
    return listener.hits > before


def test_the_two_reported_bypasses_are_refused(listener: Listener) -> None:
    for escape in ("\\#", "\\'"):
        text = (f"PREFIX ex: <http://x/> SELECT ?leak WHERE {{ VALUES ?z {{ ex:a{escape} }} "
                f"SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?leak ?p ?o }} }}")
        assert engine_contacts(text, listener)  # the engine would call out...
        try:  # ...so the check must refuse it: as SERVICE, or as unreadable
            assert read_only_violation(text) == "SERVICE"
        except QueryError as error:
            assert "syntax error" in str(error)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_what_the_check_lets_through_never_reaches_the_network(listener: Listener,
                                                              data: st.DataObject) -> None:
    text, has_service = data.draw(queries(listener.port))
    try:
        found = violation(text)
    except UnreadableQueryError:
        return  # refused: nothing runs
    if found is None:
        assert not engine_contacts(text, listener), text
    else:
        assert found == "SERVICE" and has_service


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_service_only_in_names_strings_and_comments_is_not_refused(data: st.DataObject) -> None:
    text, has_service = data.draw(queries(1))
    if has_service:
        return
    try:
        assert violation(text) is None, text
    except UnreadableQueryError:
        pass  # the check's grammar may be stricter than the engine's; it fails closed


@settings(max_examples=150, deadline=None)
@given(value=st.text(max_size=40))
def test_any_bound_value_stays_a_value(value: str) -> None:
    """A parameter value, however hostile, binds as one literal: the query stays read-only
    and the engine reads back exactly the value."""
    text = with_values("SELECT ?o WHERE { }", {"o": Literal(value)})
    assert read_only_violation(text) is None
    rows = list(Store().query(text))  # type: ignore[arg-type]
    assert [row["o"].value for row in rows] == [value]  # type: ignore[union-attr]
