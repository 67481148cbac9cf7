"""CLI commands for querying and serving the graph (kg query, kg sparql, kg publish, kg serve).

A bad query name, an unknown parameter, an ill-typed value, a missing graph or an unreachable
server is refused with one clear line on stderr and exit code 2 (as pySHACL: bad input).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from kg.query.catalogue import QueryError, SavedQuery, catalogue
from kg.query.engine import GraphNotFoundError, Results

if TYPE_CHECKING:
    from kg.query.citations import Citation
commands: list[click.Command] = []

FORMATS = ("table", "csv", "json", "md", "tsv", "xml")
DIST_HELP = "Published build to query (default: dist/, as written by `kg build`)."
ENDPOINT_HELP = "Query this SPARQL 1.1 endpoint instead of the local build."


def fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _guarded(action: Callable[[], None]) -> None:
    """Run action, turning the errors a user can cause into exit code 2."""
    from kg.query.remote import RemoteError

    try:
        action()
    except (QueryError, GraphNotFoundError, RemoteError) as error:
        fail(str(error))
    except SyntaxError as error:  # oxigraph on a damaged published graph
        fail(f"the published graph cannot be read: {error}")


# --- output -------------------------------------------------------------------------------------

def emit(results: Results, fmt: str, width: int | None, *, shown: Sequence[str] = (),
         cite: Callable[[], Mapping[str, Citation]] = dict, excel: bool = False) -> None:
    """Print results: table/md as people read them (shown columns, default all), the W3C
    formats one row per solution."""
    if results.triples is not None:
        if fmt not in ("table", "md", "turtle", "ntriples"):
            fail("a CONSTRUCT or DESCRIBE answer is a graph: use --format turtle or ntriples")
        click.echo(results.to_rdf("ntriples" if fmt == "ntriples" else "turtle"), nl=False)
        return
    if fmt in ("turtle", "ntriples"):
        fail(f"--format {fmt} is for CONSTRUCT and DESCRIBE; use table, csv, json, md, tsv or xml")
    if results.boolean is not None and fmt in ("table", "md"):
        click.echo("true" if results.boolean else "false")
    elif fmt in ("table", "md"):
        from kg.cli.table import markdown, table_text, view

        table = view(results, list(shown or results.variables), cite())
        if fmt == "md":
            click.echo(markdown(table))
        else:
            click.echo(table_text(table, width))
    else:
        body = results.to_bytes(fmt, excel=excel)
        click.echo(body if excel else body.decode("utf-8"), nl=fmt in ("json", "xml"))


def check_columns(results: Results, names: Sequence[str]) -> None:
    unknown = [n for n in names if n not in results.variables]
    if unknown:
        raise QueryError(f"no column {', '.join(map(repr, unknown))} "
                         f"(columns: {', '.join(results.variables)})")


def select_columns(results: Results, names: Sequence[str]) -> Results:
    """The results with only the named columns, in that order; unknown names are refused."""
    check_columns(results, names)
    indexes = [results.variables.index(n) for n in names]
    rows = [tuple(row[i] for i in indexes) for row in results.rows]
    return Results(list(names), rows, results.boolean, results.triples, results.truncated)


def _citations(runner: Any) -> Mapping[str, Citation]:
    """Every source's citation, from the sources-overview query of the engine or endpoint."""
    from kg.query.citations import citations

    return citations(runner)  # an Endpoint runs saved queries as the Engine does


def _parse_params(pairs: Sequence[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        if not eq or not key.strip():
            fail(f"parameters are given as -p key=value, not {pair!r}")
        if key.strip() in params:
            fail(f"parameter {key.strip()!r} is given twice")
        params[key.strip()] = value
    return params


def _list_queries(fmt: str) -> None:
    queries = list(catalogue())
    if fmt == "json":
        click.echo(json.dumps([q.as_dict() for q in queries], indent=1, ensure_ascii=False))
        return
    for query in queries:
        click.echo(f"{query.topic}/{query.name}")
        click.echo(f"    {query.summary}")
        for param in query.params:
            default = f" (default: {param.default})" if param.default else " (default: all)"
            click.echo(f"    -p {param.name}=...  {param.description}{default}")


# --- commands -----------------------------------------------------------------------------------

@click.command("query")
@click.argument("name", required=False)
@click.option("--list", "list_queries", is_flag=True, help="List the saved queries and exit.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the query (repeatable).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="table/md for people; csv, json, tsv, xml are the W3C SPARQL results formats.")
@click.option("--endpoint", metavar="URL", help=ENDPOINT_HELP)
@click.option("--dist", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
@click.option("--width", type=int, default=None,
              help="Table width in characters (default: the terminal's); cells wrap to fit.")
@click.option("-c", "--columns", metavar="A,B,...", default=None,
              help="Show only these columns, in this order (default: the query's own choice "
                   "in a table, every column in the other formats).")
@click.option("--all-columns", is_flag=True, help="Show every column in a table.")
@click.option("--excel", is_flag=True,
              help="With --format csv: start with a UTF-8 byte order mark, for Excel.")
@click.option("--show", is_flag=True, help="Print the bound SPARQL, run nothing.")
def query_command(name: str | None, list_queries: bool, params: tuple[str, ...], fmt: str,
                  endpoint: str | None, dist: Path | None, width: int | None,
                  columns: str | None, all_columns: bool, excel: bool, show: bool) -> None:
    """Run the saved query NAME (see --list), e.g.

        kg query accountability-on-date -p council=doncaster -p date=2015-06-01
    """
    if list_queries:
        _list_queries(fmt)
        return
    if not name:
        fail("give a query NAME, or --list to see them")
    if excel and fmt != "csv":
        fail("--excel is for --format csv")
    if columns and all_columns:
        fail("give -c/--columns or --all-columns, not both")
    values = _parse_params(params)

    def run() -> None:
        query: SavedQuery = catalogue().get(name)
        if show:
            from kg.query.catalogue import with_values

            click.echo(with_values(query.text, query.bindings(values)), nl=False)
            return
        from kg.query.choices import checked_bindings

        # An IRI the graph does not know, or a value outside the parameter's allowed values
        # (class: or enumerate: in the query's header), is refused with the nearest ones.
        if endpoint:
            from kg.query.remote import Endpoint

            remote = Endpoint(endpoint)
            checked_bindings(query, values, remote.sparql)
            results = remote.run(query, **values)
            runner: Any = remote
        else:
            from kg.query.engine import Engine

            runner = engine = Engine.load(dist)
            checked_bindings(query, values, engine.sparql)
            results = engine.run(query, **values)
        shown: Sequence[str] = ()
        if columns:
            shown = [c.strip() for c in columns.split(",") if c.strip()]
            check_columns(results, shown)
            if fmt not in ("table", "md"):
                results = select_columns(results, shown)
        elif not all_columns and results.boolean is None:
            shown = [c for c in query.columns if c in results.variables]
        emit(results, fmt, width, shown=shown, cite=lambda: _citations(runner), excel=excel)

    _guarded(run)


@click.command("sparql")
@click.argument("source", metavar="QUERY|FILE|-")
@click.option("--format", "fmt", type=click.Choice([*FORMATS, "turtle", "ntriples"]),
              default="table", show_default=True,
              help="SELECT/ASK: table, md, csv, json, tsv, xml. "
                   "CONSTRUCT/DESCRIBE: turtle, ntriples.")
@click.option("--endpoint", metavar="URL", help=ENDPOINT_HELP)
@click.option("--dist", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
@click.option("--width", type=int, default=None,
              help="Table width in characters (default: the terminal's); cells wrap to fit.")
def sparql_command(source: str, fmt: str, endpoint: str | None, dist: Path | None,
                   width: int | None) -> None:
    """Run an ad hoc SPARQL query: the text itself, a file holding it, or - for stdin.

    The default graph is the union of all the graph's named graphs. Updates, LOAD and SERVICE
    are refused.
    """
    from kg.build.files import read_text

    if source == "-":
        try:
            text = sys.stdin.read()
        except UnicodeDecodeError as error:
            fail(f"standard input is not UTF-8 text ({error.reason} at byte {error.start})")
    elif "{" not in source and len(source) < 4096 and Path(source).is_file():
        text = read_text(Path(source), limit=None)
    elif "{" not in source and source.endswith((".rq", ".sparql")):
        fail(f"no such file: {source}")
    else:
        text = source

    def run() -> None:
        from kg.query.engine import check_read_only

        check_read_only(text)
        runner: Any
        if endpoint:
            from kg.query.remote import Endpoint

            runner = Endpoint(endpoint)
        else:
            from kg.query.engine import Engine

            runner = Engine.load(dist)
        results = runner.sparql(text)
        emit(results, fmt, width, cite=lambda: _citations(runner))

    _guarded(run)


@click.command("publish")
@click.option("--endpoint", metavar="URL", required=True,
              help="The server's SPARQL query endpoint, e.g. http://127.0.0.1:7878/query.")
@click.option("--store", metavar="URL", default=None,
              help="Its Graph Store Protocol URL (default: guessed from the endpoint - "
                   "Oxigraph /store, Fuseki <dataset>/data).")
@click.option("--union-default/--no-union-default", default=True, show_default=True,
              help="Also PUT the union of all graphs into the default graph (what the saved "
                   "queries read); skip it for a server set to query the union itself.")
@click.option("--dist", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
def publish_command(endpoint: str, store: str | None, union_default: bool,
                    dist: Path | None) -> None:
    """Load the published graph into any SPARQL 1.1 server (Graph Store Protocol PUT).

    Each named graph replaces the server's graph of the same name; then
    `kg query NAME --endpoint URL` runs the saved queries there.
    """

    def run() -> None:
        from kg.query.remote import publish

        published = publish(endpoint, dist, store, union_default)
        for graph in published:
            click.echo(f"{graph.triples:7d}  {graph.name}")
        click.echo(f"published {len(published)} graphs to {store or endpoint}")

    _guarded(run)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (anything but loopback opens it to the network).")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--dist", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
@click.option("--timeout", type=float, default=10.0, show_default=True,
              help="Seconds a query may run before it is stopped.")
@click.option("--max-rows", type=int, default=10_000, show_default=True,
              help="Rows (or triples) in any answer.")
@click.option("--max-bytes", type=int, default=16 * 1024 * 1024, show_default=True,
              help="Bytes in any answer (it is cut short past that, as past --max-rows).")
@click.option("--workers", type=int, default=4, show_default=True,
              help="Query worker processes (queries that run at once).")
@click.option("--per-client", type=int, default=0,
              help="Queries one client address may have in flight (default: half the "
                   "workers); more get 429 at once.")
@click.option("--max-memory", type=int, default=2048, show_default=True,
              help="MiB of address space per worker (0: no cap).")
@click.option("--cache", type=int, default=64, show_default=True,
              help="MiB of finished answers kept per build, served without a worker (0: none).")
def serve_command(host: str, port: int, dist: Path | None, timeout: float, max_rows: int,
                  max_bytes: int, workers: int, per_client: int, max_memory: int,
                  cache: int) -> None:
    """Serve the graph read-only: SPARQL 1.1 Protocol at /sparql, the saved queries at
    /api/queries (described at /openapi.json), and a page to run them at /.

    Stops cleanly on SIGINT (Ctrl-C) or SIGTERM; picks up a new build in dist/ by itself."""
    from kg.serve.server import ServerConfig, serve

    def run() -> None:
        try:
            serve(ServerConfig(dist=dist, host=host, port=port, timeout=timeout,
                               max_rows=max_rows, max_bytes=max_bytes, workers=workers,
                               per_client=per_client, max_memory=max_memory, cache=cache))
        except OSError as error:
            fail(f"cannot listen on {host}:{port}: {error}")

    _guarded(run)


commands += [query_command, sparql_command, publish_command, serve_command]
