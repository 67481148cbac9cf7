"""The curator's commands: kg source add, kg quote find, kg curate, kg report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.namespaces import CURATION_DIR, DATA_DIR

CORPUS_HELP = "Corpus folder (default: $KG_CORPUS, else ../shared/corpus)."
DATA_HELP = "Folder of the curated Turtle files (default: the project's kg/data)."

commands: list[click.Command] = []


@click.group("source")
def source() -> None:
    """Add a source text to the corpus and the registry."""


@source.command("add")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--url", required=True, help="Where the text was published.")
@click.option("--title", required=True, help="The title, as the text spells it.")
@click.option("--publisher", required=True,
              help="Recorded only where the text names it (with an inference evidence).")
@click.option("--author", default=None, help="Only if the text names the author (byline).")
@click.option("--date", default=None, metavar="YYYY-MM-DD",
              help="Only if the text states the date (the dateline is quoted as evidence).")
@click.option("--corpus", type=click.Path(path_type=Path), default=None, help=CORPUS_HELP)
@click.option("--data", type=click.Path(path_type=Path), default=DATA_DIR, help=DATA_HELP)
def source_add(
    file: Path, url: str, title: str, publisher: str, author: str | None, date: str | None,
    corpus: Path | None, data: Path,
) -> None:
    """Copy FILE into the corpus as NNN_<16 hex of its SHA-256>.txt, register the source (with
    its checksum, byline and date quotes) and write an empty kg/data/<id>.ttl.

    Refuses (exit 2) a text already in the corpus, a URL already registered, and an author,
    date or title the text does not state.
    """
    from kg.curate.source import add_source

    added = add_source(file, url=url, title=title, publisher=publisher, author=author,
                       date=date, corpus=corpus, data_dir=data)
    for note in added.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"added source {added.source_id}")
    click.echo(f"  text:     {added.text_path}")
    click.echo(f"  registry: {data / 'entities.ttl'}")
    click.echo(f"  data:     {added.data_path}")
    click.echo(f"next: kg curate {added.source_id}")


commands.append(source)


@click.group("quote")
def quote() -> None:
    """Find quotes in the source texts."""


@quote.command("find")
@click.argument("source_id", metavar="SOURCE")
@click.argument("words")
@click.option("--corpus", type=click.Path(path_type=Path), default=None, help=CORPUS_HELP)
@click.option("--context", type=int, default=60, show_default=True,
              help="Characters of context either side.")
def quote_find(source_id: str, words: str, corpus: Path | None, context: int) -> None:
    """Where WORDS occur in SOURCE (id, src:id or its number), with character offsets.

    Exit 0 when found; 1 when not, with the nearest passages as a hint (copy the exact words
    from one of them: a near match is never accepted as the quote).
    """
    from kg.curate.quotefind import find, nearest
    from kg.curate.textmap import source_text

    sid, text = source_text(source_id, corpus)
    found = find(text, words, context)
    if found:
        for p in found:
            click.echo(f"{sid}:{p.start}-{p.end}: found")
            click.echo(f'  ...{p.before} [{p.text}] {p.after}...')
        return
    click.echo(f"not found in {sid}: \"{words}\"")
    click.echo("nearest passages (a hint only; copy the exact words):")
    for p in nearest(text, words, context=context):
        click.echo(f"  {sid}:{p.start}-{p.end} ({p.score:.0f}% alike): \"{p.text}\"")
        click.echo(f"      ...{p.before} [{p.text}] {p.after}...")
    sys.exit(1)


commands.append(quote)


@click.command("curate")
@click.argument("source_id", metavar="SOURCE")
@click.option("--corpus", type=click.Path(path_type=Path), default=None, help=CORPUS_HELP)
@click.option("--data", type=click.Path(path_type=Path), default=DATA_DIR, help=DATA_HELP)
@click.option("--out", type=click.Path(path_type=Path), default=CURATION_DIR, show_default=True,
              help="Folder of the review files (never loaded by the build).")
def curate(source_id: str, corpus: Path | None, data: Path, out: Path) -> None:
    """Write OUT/<id>.candidates.md: SOURCE's sentences with the entities, names, dates
    (relative ones resolved against the article's date), money, judgements and stance words they
    mention, a suggested pattern and a Turtle snippet whose quote is exact.

    Re-running keeps the file as edited and appends only sentences it does not list yet.
    """
    from kg.curate.candidates import write
    from kg.curate.textmap import source_text

    sid, text = source_text(source_id, corpus)
    title = text.strip().splitlines()[0].strip() if text.strip() else ""
    path, added, kept = write(sid, text, data, out, title)
    click.echo(f"{path}: {added} new candidate(s), {kept} kept as they were")


commands.append(curate)


@click.command("report")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md",
              show_default=True)
@click.option("--dist", type=click.Path(path_type=Path), default=None,
              help="The published build to report on (default: dist/).")
@click.option("--corpus", type=click.Path(path_type=Path), default=None, help=CORPUS_HELP)
@click.option("--data", type=click.Path(path_type=Path), default=DATA_DIR, help=DATA_HELP)
@click.option("--curation", type=click.Path(path_type=Path), default=CURATION_DIR,
              help="Folder of kg curate's review files.")
def report(fmt: str, dist: Path | None, corpus: Path | None, data: Path,
           curation: Path) -> None:
    """The graph's state for a curator: per source, single-source statements, candidate
    duplicates, differences, open periods, inferences, missing capacities and identifiers,
    pending candidates. Reads the published build (run kg build first)."""
    from kg.curate.candidates import pending
    from kg.curate.report import html_page, markdown, sections
    from kg.namespaces import corpus_dir
    from kg.query.engine import Engine

    folder = corpus_dir(corpus)
    found = sections(Engine.load(dist), folder if folder.is_dir() else None,
                     pending(curation, data))
    click.echo(markdown(found) if fmt == "md" else html_page(found), nl=False)


commands.append(report)
