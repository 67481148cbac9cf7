"""The kg command: build, validate, format and describe the graph (and query, serve, export it).

Exit codes follow pySHACL: 0 success / conforms, 1 does not conform, 2 bad input or arguments.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from kg import __version__
from kg.loading import DataFileError
from kg.namespaces import DATA_DIR, DEFAULT_DIST, corpus_dir

CORPUS_HELP = (
    "Folder of the source texts for the quote check (default: $KG_CORPUS, else ../shared/corpus)."
)


class KgGroup(click.Group):
    """Turns a bad data file into exit code 2 with its file and line, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except DataFileError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(2)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """The Children's Services Interventions Knowledge Graph.

    Who is accountable for a council's children's services, on what basis, since when, and says
    who? `kg build` validates the curated graph and publishes it to dist/; the other commands
    query, serve and export it.
    """


def _progress(message: str) -> None:
    click.echo(f"... {message}", err=True)


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_DIST,
    show_default=True,
    help="Folder to publish to; replaced only by a valid build.",
)
@click.option("--corpus", type=click.Path(path_type=Path), default=None, help=CORPUS_HELP)
def build(out: Path, corpus: Path | None) -> None:
    """Load ontology + data, validate, and publish kg.trig/.ttl/.nt/.jsonld and the report.

    Nothing is written unless the graph is valid: a failed build leaves OUT as it was.
    """
    from kg.build import assemble, publish

    started = time.perf_counter()
    assembled = assemble(corpus_dir(corpus), progress=_progress)
    if not assembled.report.conforms:
        click.echo(assembled.report.text(), err=True)
        click.echo(f"build refused: the graph does not conform; {out} left untouched", err=True)
        sys.exit(1)
    if assembled.report.quote_check_skipped:
        click.echo(
            f"warning: quote check skipped: {assembled.report.quote_check_skipped}", err=True
        )
    _progress(f"writing {out}")
    publish(assembled, out)
    from kg.stats import compute

    stats = compute(assembled.graph)
    click.echo(
        f"published {out}: {stats.triples} triples, {stats.entities} entities, "
        f"{stats.statements} statements ({time.perf_counter() - started:.1f}s)"
    )


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--corpus", type=click.Path(path_type=Path), default=None, help=CORPUS_HELP)
@click.option(
    "--only",
    "only_given",
    is_flag=True,
    help="Validate only the registry and FILES, not every curated data file.",
)
def validate(files: tuple[Path, ...], corpus: Path | None, only_given: bool) -> None:
    """Validate the curated graph plus any extra Turtle FILES.

    Exit 0 if it conforms, 1 if not (each problem names the thing, its file and the rule), 2 on
    bad input (a parse error names the file and the line).
    """
    from kg.build import assemble

    base = [DATA_DIR / "entities.ttl"] if only_given else None
    assembled = assemble(corpus_dir(corpus), extra=files, files=base, progress=_progress)
    click.echo(assembled.report.text())
    sys.exit(0 if assembled.report.conforms else 1)


@main.command()
@click.option(
    "--check", is_flag=True, help="Only report files that are not canonical (exit 1 if any)."
)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def fmt(check: bool, files: tuple[Path, ...]) -> None:
    """Rewrite the hand-edited Turtle files in canonical, diff-stable form.

    Default FILES: kg/data/*.ttl and ontology/*.ttl.
    """
    from kg.formatting import canonical_turtle, default_files

    targets = list(files) or default_files()
    changed = []
    for path in targets:
        current = path.read_text(encoding="utf-8")
        wanted = canonical_turtle(path)
        if current != wanted:
            changed.append(path)
            if not check:
                path.write_text(wanted, encoding="utf-8")
    verb = "not canonical" if check else "reformatted"
    for path in changed:
        click.echo(f"{verb}: {path}")
    click.echo(f"{len(targets)} files, {len(changed)} {verb}")
    sys.exit(1 if check and changed else 0)


@main.command()
@click.option(
    "--dist",
    type=click.Path(path_type=Path),
    default=None,
    help="Read a published graph (DIST/kg.trig) instead of the curated files.",
)
def stats(dist: Path | None) -> None:
    """Counts by class and by source, and how many statements rest on a single source."""
    from kg.stats import compute

    if dist is not None:
        from kg.loading import load_published

        graph = load_published(dist)
    else:
        from kg.build import assemble

        graph = assemble(None).graph
    click.echo(compute(graph).text())


def _register_commands() -> None:
    from kg.cli_export import commands as export_commands
    from kg.cli_query import commands as query_commands

    for command in [*query_commands, *export_commands]:
        main.add_command(command)


_register_commands()
