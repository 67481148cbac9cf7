"""What a `kg serve` query worker process does: hold the graph, run one job, and hand back the
finished answer (status, media type, body bytes).

Everything heavy happens here, not in the server's event loop: the read-only check (a real
parse), the query, label look-ups and serialisation. A worker is sandboxed when it starts: it
ignores SIGINT (the server stops it), may not open network sockets (so even a SERVICE that got
past the check cannot reach anything) and has a cap on its address space.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode

from kg.query.catalogue import QueryError, SavedQuery
from kg.query.choices import Choice, check_allowed, query_choices, refuse_unparsed
from kg.query.citations import citations, is_source_list
from kg.query.engine import GRAPH_FORMATS, SELECT_FORMATS, Engine, Results, term_text
from kg.query.known_entities import UnknownEntityError, check_known
from kg.query.readonly import UnreadableQueryError, violation

READ_ONLY = "this interface is read-only and does not call other services"
LONG = 0.25  # seconds after which a running query yields the CPU to short ones


@dataclass
class Job:
    """One request for a worker. kind is "sparql" (an ad hoc query, checked here), "saved"
    (a catalogue query with its parameters already bound as a VALUES block) or "page" (the
    entity page of the path in text, as at params["at"])."""

    kind: str
    text: str
    fmt: str = ""  # an explicit format= parameter, or "" to negotiate from accept
    accept: str = ""
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    name: str = ""  # saved queries: the name, the bound parameters, the set columns
    params: dict[str, str] = field(default_factory=dict)
    set_columns: dict[str, str] = field(default_factory=dict)
    # "saved" and "choices": the query itself and the values the user gave (checked against
    # the graph and the allowed values here, so the event loop never queries)
    query: SavedQuery | None = None
    given: dict[str, str] = field(default_factory=dict)
    excel: bool = False  # saved queries as CSV: start with a byte order mark for Excel


@dataclass
class Answer:
    status: int
    media: str = "text/plain; charset=utf-8"
    body: bytes = b""
    truncated: bool = False
    error: str = ""
    details: dict[str, Any] = field(default_factory=dict)  # more about an error, for a page


_state: dict[str, Any] = {}

# The parser's first use is slow (about 0.1 s): pay it here, once, in the fork server that
# preloads this module, rather than in every worker that starts, and never on a user's time.
violation("ASK { ?s ?p ?o }")


# --- start-up: sandbox and graph ----------------------------------------------------------------

def deny_network() -> bool:
    """Forbid this process to open any socket but a Unix one (seccomp), so the store's SERVICE
    client has nothing to connect with. False when libseccomp is not available."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError):
        return False
    try:
        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket",
                       seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        rules.load()
    except Exception:  # noqa: BLE001 (a kernel without seccomp: report, keep serving)
        return False
    return True


def start(snapshot: str, max_rows: int, max_bytes: int, max_memory: int,
          isolate: bool) -> None:
    """Initialiser of a worker process: sandbox it, then load the graph snapshot."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the server
    # stops its workers itself
    # pebble's own SIGTERM handler is Python code, which cannot run while a query holds the
    # thread in Rust: pebble would wait 3 s (its whole pool stalled) before a SIGKILL.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if max_memory > 0:
        resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))
    _state["isolated"] = deny_network() if isolate else False
    _state["engine"] = Engine.load(Path(snapshot))
    _state["limits"] = (max_rows, max_bytes)
    # Sources are shown as citations (publisher, date, title), never by title or id alone.
    cited = citations(_state["engine"])
    _state["citations"] = {iri: c.text for iri, c in cited.items()}
    _state["cited_ids"] = {c.id: c.text for c in cited.values()}
    threading.Thread(target=_watch, name="kg-watch", daemon=True).start()



def ping() -> tuple[int, bool]:
    """A worker's process id and whether its network is cut (for readiness and tests)."""
    return os.getpid(), bool(_state.get("isolated"))


# --- content negotiation ------------------------------------------------------------------------

def negotiate(accept: str, offers: dict[str, str], default: str) -> str | None:
    """The format (key of offers: format -> media type) that an Accept header prefers.

    >>> negotiate("text/csv, application/json;q=0.5", SELECT_FORMATS, "json")
    'csv'
    >>> negotiate("image/png", SELECT_FORMATS, "json") is None
    True
    """
    if not accept.strip():
        return default
    ranges = []
    for position, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranges.append((-quality, position, media.lower()))
    aliases = {"application/json": "json", "application/xml": "xml", "text/xml": "xml",
               "text/plain": "ntriples"}
    for _, _, media in sorted(ranges):
        if media in ("*/*", "application/*", "text/*"):
            kind = media.split("/")[0]
            if kind == "*" or offers[default].startswith(kind):
                return default
            for fmt, offered in offers.items():
                if offered.startswith(kind):
                    return fmt
            continue
        for fmt, offered in offers.items():
            if media == offered:
                return fmt
        if aliases.get(media) in offers:
            return aliases[media]
    return None


def results_format(results: Results, fmt: str, accept: str) -> tuple[str, str] | Answer:
    """(format, media type) for the results, or a 406 answer."""
    offers = GRAPH_FORMATS if results.triples is not None else SELECT_FORMATS
    default = "turtle" if results.triples is not None else "json"
    if fmt:
        if fmt not in offers:
            return Answer(406, error=f"format must be one of {', '.join(offers)}")
        return fmt, offers[fmt]
    chosen = negotiate(accept, offers, default)
    if chosen is None:
        return Answer(406, error=f"can answer with {', '.join(offers.values())}")
    return chosen, offers[chosen]


# --- one job ------------------------------------------------------------------------------------

def _fit(results: Results, render: Any, max_bytes: int) -> tuple[bytes, bool]:
    """Serialise with render(results); if the text passes max_bytes (the collection budget is
    an estimate), drop rows until it fits."""
    body: bytes = render(results)
    truncated = results.truncated
    while len(body) > max_bytes and len(results):
        keep = int(len(results) * max_bytes / len(body) * 0.9)
        if results.triples is not None:
            results = Results(triples=results.triples[:keep], truncated=True)
        else:
            results = Results(results.variables, results.rows[:keep], truncated=True)
        body, truncated = render(results), True
    return body, truncated


def _watch() -> None:
    """Lower the priority of this worker's query thread once a query has run LONG seconds:
    it competes with short ones for the CPU, which should go to the short ones (and to
    restarting workers). Not undone: an unprivileged process cannot raise its priority again;
    a runaway's worker is killed at the timeout anyway, and its replacement starts at normal
    priority. One thread for the worker's life (a timer per query cost milliseconds)."""
    main = threading.main_thread().native_id or 0
    while True:
        time.sleep(0.1)
        started = _state.get("started", 0.0)
        if started and time.monotonic() - started > LONG:
            try:
                os.setpriority(os.PRIO_PROCESS, main, 19)
            except OSError:
                pass
            return


def run(job: Job) -> Answer:
    _state["started"] = time.monotonic()
    try:
        return _run(job)
    finally:
        _state["started"] = 0.0


def _choices(engine: Engine, query: SavedQuery) -> dict[str, list[Choice]]:
    """The allowed values of a query's parameters, computed once per worker (one build)."""
    known: dict[tuple[str, str], dict[str, list[Choice]]] = _state.setdefault("choices", {})
    key = (query.name, query.text)
    if key not in known:
        known[key] = query_choices(query, engine.sparql)
    return known[key]


def _choices_answer(engine: Engine, query: SavedQuery) -> Answer:
    import json

    body = {name: [c.as_dict() for c in choices]
            for name, choices in _choices(engine, query).items()}
    return Answer(200, "application/json; charset=utf-8",
                  json.dumps(body, ensure_ascii=False).encode("utf-8"))


def _unknown(engine: Engine, job: Job) -> Answer | None:
    """A 400 answer naming the closest values when a parameter the user gave is unknown to the
    graph or outside its allowed values; None when every one is fine."""
    query = job.query
    if query is None or not job.given:
        return None
    try:
        bindings = query.bindings(job.given)
        check_known(query, job.given, bindings, engine.sparql)
        check_allowed(query, job.given, bindings, _choices(engine, query))
    except UnknownEntityError as error:
        return _refusal(query, error)
    except QueryError as error:
        return Answer(400, error=str(error))
    return None


def _refuse(engine: Engine, job: Job) -> Answer:
    """A 400 answer for a value that is not even of its parameter's form (job.text: the
    message), naming the allowed values nearest to it (by slug or label) when it has some:
    the same check as `kg query` (kg.query.choices.refuse_unparsed)."""
    query = job.query
    assert query is not None
    try:
        refuse_unparsed(query, job.given, _choices(engine, query))
    except UnknownEntityError as error:
        return _refusal(query, error)
    return Answer(400, error=job.text)


def _refusal(query: SavedQuery, error: UnknownEntityError) -> Answer:
    suggestions = [{"iri": iri, "label": label, "value": _suggested(query, error.param, iri)}
                   for iri, label in error.suggestions]
    return Answer(400, error=str(error),
                  details={"param": error.param, "suggestions": suggestions})


def _suggested(query: SavedQuery, name: str, iri: str) -> str:
    from kg.namespaces import shorten

    namespace = query.param(name).slug_namespace
    return iri[len(namespace):] if namespace and iri.startswith(namespace) else shorten(iri)


def _run(job: Job) -> Answer:
    engine: Engine = _state["engine"]
    max_rows, max_bytes = _state["limits"]
    if job.kind == "page":  # an entity page: its saved queries and template (kg/serve/pages.py)
        from kg.serve.pages import answer

        return answer(engine, job)
    if job.kind == "choices" and job.query is not None:
        return _choices_answer(engine, job.query)
    if job.kind == "refuse" and job.query is not None:
        return _refuse(engine, job)
    if job.kind == "saved":
        refused = _unknown(engine, job)
        if refused is not None:
            return refused
    if job.kind == "sparql":
        try:
            found = violation(job.text)
        except UnreadableQueryError as error:
            return Answer(400, error=f"SPARQL syntax error (the read-only check cannot parse it): "
                                     f"{error}")
        if found:
            return Answer(403, error=f"refused: {found} is not allowed; {READ_ONLY}")
    try:
        results = engine.sparql(job.text, max_rows=max_rows, max_bytes=max_bytes,
                                default_graphs=job.default_graphs, named_graphs=job.named_graphs)
    except QueryError as error:
        return Answer(400, error=str(error))
    except Exception as error:  # noqa: BLE001 (the store's own errors: report, keep serving)
        return Answer(400, error=f"{type(error).__name__}: {error}")
    if job.kind == "saved":
        return _saved(engine, job, results, max_bytes)
    chosen = results_format(results, job.fmt, job.accept)
    if isinstance(chosen, Answer):
        return chosen
    fmt, media = chosen
    body, truncated = _fit(results, lambda r: r.to_bytes(fmt), max_bytes)
    return Answer(200, f"{media}; charset=utf-8", body, truncated)


def _saved(engine: Engine, job: Job, results: Results, max_bytes: int) -> Answer:
    results = results.with_sorted_sets(job.set_columns)
    wanted = job.fmt or negotiate(job.accept, SELECT_FORMATS, "json") or "json"
    if wanted in ("csv", "tsv", "xml"):
        body, truncated = _fit(results, lambda r: r.to_bytes(wanted, job.excel), max_bytes)
        return Answer(200, f"{SELECT_FORMATS[wanted]}; charset=utf-8", body, truncated)
    if wanted != "json":
        return Answer(406, error="format must be one of json, csv, tsv, xml")
    iris = {t.value for row in results.rows for t in row if isinstance(t, NamedNode)}
    labels = engine.labels(sorted(iris))
    labels.update({iri: text for iri, text in _state.get("citations", {}).items() if iri in iris})
    # Columns that list corpus ids (sources, firstSources...): the page shows their citations.
    by_id = _state.get("cited_ids", {})
    columns = [index for index, name in enumerate(results.variables) if is_source_list(name)]
    listed = {i for row in results.rows for index in columns
              for i in term_text(row[index]).split()}
    sources = {i: by_id[i] for i in sorted(listed) if i in by_id}

    def render(answer: Results) -> bytes:
        # W3C JSON results (pyoxigraph's writer) plus what the page needs: the bound
        # parameters and IRI labels, added as members of the same object.
        import json

        body = answer.to_bytes("json")
        assert body.endswith(b"}")
        extra = json.dumps({"query": job.name, "params": job.params, "labels": labels,
                            "sources": sources, "truncated": answer.truncated},
                           ensure_ascii=False)
        return body[:-1] + b"," + extra[1:].encode("utf-8")

    body, truncated = _fit(results, render, max_bytes)
    return Answer(200, "application/json; charset=utf-8", body, truncated)
