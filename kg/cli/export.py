"""CLI commands for exporting and showing the graph (kg export)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import click

from kg.namespaces import DEFAULT_DIST

commands: list[click.Command] = []


def _progress(message: str) -> None:
    click.echo(f"... {message}", err=True)


def _human(size: int) -> str:
    for unit in ("B", "kB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


@click.command("export")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write the exports to (default: DIST/exports).")
@click.option("--dist", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_DIST,
              show_default=True, help="The published build to export; built first if missing "
              "or older than the curated files.")
@click.option("--corpus", type=click.Path(path_type=Path), default=None,
              help="Folder of the source texts, for the build's quote check.")
@click.option("--skip-quote-check", is_flag=True,
              help="If a build is needed, build without the quote check (as kg build).")
@click.option("--at", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day the entity pages give statuses for, YYYY-MM-DD (default: today).")
def export(out: Path | None, dist: Path, corpus: Path | None, skip_quote_check: bool,
           day: dt.datetime | None) -> None:
    """Write GraphML, GEXF (with time spells), node-link JSON, JSON-LD, the interactive HTML
    view, the overview, per-council timelines and the stance matrix (SVG and PNG), and a page
    per entity, source and term (pages/, statuses as at the day of the export).
    """
    from kg.export import export_all
    from kg.export.network import is_stale

    started = time.perf_counter()
    out = out or dist / "exports"
    if is_stale(dist):
        from kg.cli.build import build  # the same build, refusal and messages as `kg build`
        from kg.namespaces import DATA_DIR

        _progress(f"{dist} is missing or out of date: building it first")
        click.get_current_context().invoke(build, out=dist, corpus=corpus,
                                           skip_quote_check=skip_quote_check, data=DATA_DIR)
    # loads dist once, by pyoxigraph, for the projection and the saved queries
    written = export_all(None, dist, out, progress=_progress, day=day.date() if day else None)
    pages = [path for path in written if path.is_relative_to(out / "pages")]
    for path in written:
        if path not in pages:
            click.echo(f"  {_human(path.stat().st_size):>9}  {path}")
    if pages:  # hundreds of them: one line
        size = sum(path.stat().st_size for path in pages)
        click.echo(f"  {_human(size):>9}  {out / 'pages'}/ ({len(pages)} files: a page per "
                   "entity, source and term)")
    click.echo(f"exported {len(written)} files to {out} ({time.perf_counter() - started:.1f}s)")


commands.append(export)
