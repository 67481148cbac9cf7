"""kg build, validate, fmt and stats: make the graph, check it, keep its files canonical, count it.

Exit codes follow pySHACL: 0 success / conforms, 1 does not conform, 2 bad input or arguments.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from kg.namespaces import CURATION_DIR, DATA_DIR, DEFAULT_DIST, corpus_dir

CORPUS_HELP = (
    "Folder of the source texts for the quote check (default: $KG_CORPUS, else ../shared/corpus)."
    " A missing or unreadable corpus is an error (exit 2)."
)
SKIP_HELP = (
    "Do not compare quotes with the source texts (no corpus needed); the validation report and "
    "build-info.json then say the check was skipped."
)
DATA_HELP = "Folder of the curated Turtle files (default: the project's kg/data)."
VALIDATOR_HELP = (
    "SHACL engine for the shapes: pyshacl (the reference) or turbo (pyshacl-turbo: the same "
    "results, 20-40 times faster; needs the fast extra, pip install -e '.[fast]'). Default: "
    "turbo where the fast extra is installed, else pyshacl."
)
validator_option = click.option(
    "--validator", type=click.Choice(["pyshacl", "turbo"]), default=None, help=VALIDATOR_HELP,
)


def _corpus(corpus: Path | None, skip_quote_check: bool) -> Path | None:
    """The corpus folder to check quotes against (checked now, before any loading), or None
    when the user asked to skip the quote check."""
    from kg.build.corpus import CorpusError, check_folder

    if skip_quote_check:
        if corpus is not None:
            raise CorpusError("give --corpus or --skip-quote-check, not both")
        return None
    path = corpus_dir(corpus)
    check_folder(path)
    return path


def _progress(message: str) -> None:
    click.echo(f"... {message}", err=True)


@click.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=DEFAULT_DIST,
    show_default=True,
    help="Folder to publish to; replaced only by a valid build, and only if it is new, empty or "
    "holds a previous build (anything else is refused).",
)
@click.option("--corpus", type=click.Path(path_type=Path), default=None, help=CORPUS_HELP)
@click.option("--skip-quote-check", is_flag=True, help=SKIP_HELP)
@click.option("--data", type=click.Path(path_type=Path), default=DATA_DIR, help=DATA_HELP)
@click.option("--curation", type=click.Path(path_type=Path), default=CURATION_DIR,
              help="Folder of kg curate's review files, for the count of pending candidates.")
@validator_option
def build(
    out: Path, corpus: Path | None, skip_quote_check: bool, data: Path, curation: Path,
    validator: str | None = None,
) -> None:
    """Load ontology + data, validate, and publish kg.trig/.ttl/.nt/.jsonld and the report.

    Nothing is written unless the graph is valid: a failed build leaves OUT as it was. OUT and
    the corpus are checked before anything is loaded; OUT/exports (from kg export) is kept.
    """
    from kg.build.pipeline import OUTPUT_FILES, assemble, publish
    from kg.build.publishing import Staging

    started = time.perf_counter()
    staging = Staging(out, OUTPUT_FILES)  # refuses a bad --out before any work
    try:
        checked_corpus = _corpus(corpus, skip_quote_check)
        assembled = assemble(checked_corpus, progress=_progress, data_dir=data,
                             validator=validator)
        if not assembled.report.conforms:
            click.echo(assembled.report.text(), err=True)
            click.echo(f"build refused: the graph does not conform; {out} left untouched", err=True)
            sys.exit(1)
        if assembled.report.quote_check_skipped:
            click.echo(
                f"warning: quote check skipped {assembled.report.quote_check_skipped}", err=True
            )
        _progress(f"writing {out}")
        publish(assembled, out, staging)
    finally:
        staging.abandon()
    from kg.build.stats import compute

    stats = assembled.stats or compute(assembled.graph)
    click.echo(
        f"published {out}: {stats.triples} triples, {stats.entities} entities, "
        f"{stats.statements} statements ({time.perf_counter() - started:.1f}s)"
    )
    _report_pending(curation, data)


def _report_pending(curation: Path, data: Path) -> None:
    """Candidates of `kg curate` still waiting, per source: the curator's to-do list."""
    from kg.curate.candidates import pending

    for source_id, (waiting, total) in pending(curation, data).items():
        click.echo(f"candidates pending for {source_id}: {waiting} of {total} "
                   f"({curation / (source_id + '.candidates.md')})")


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--corpus", type=click.Path(path_type=Path), default=None, help=CORPUS_HELP)
@click.option("--skip-quote-check", is_flag=True, help=SKIP_HELP)
@click.option("--data", type=click.Path(path_type=Path), default=DATA_DIR, help=DATA_HELP)
@click.option(
    "--only",
    "only_given",
    is_flag=True,
    help="Validate only the registry and FILES, not every curated data file.",
)
@validator_option
def validate(
    files: tuple[Path, ...],
    corpus: Path | None,
    skip_quote_check: bool,
    data: Path,
    only_given: bool,
    validator: str | None,
) -> None:
    """Validate the curated graph plus any extra Turtle FILES.

    Exit 0 if it conforms, 1 if not (each problem names the thing, its file and the rule), 2 on
    bad input (a parse error names the file and the line; a missing corpus is named).
    """
    from kg.build.loading import REGISTRY
    from kg.build.pipeline import assemble

    checked_corpus = _corpus(corpus, skip_quote_check)
    base = [data / REGISTRY] if only_given else None
    assembled = assemble(
        checked_corpus, extra=files, files=base, progress=_progress, data_dir=data,
        validator=validator,
    )
    click.echo(assembled.report.text())
    sys.exit(0 if assembled.report.conforms else 1)


@click.command()
@click.option(
    "--check", is_flag=True, help="Only report files that are not canonical (exit 1 if any)."
)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def fmt(check: bool, files: tuple[Path, ...]) -> None:
    """Rewrite the hand-edited Turtle files in canonical, diff-stable form.

    Default FILES: kg/data/*.ttl and ontology/*.ttl.
    """
    from kg.build.files import read_text
    from kg.build.formatting import canonical_turtle, default_files

    targets = list(files) or default_files()
    changed = []
    for path in targets:
        current = read_text(path)
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


@click.command()
@click.option(
    "--dist",
    type=click.Path(path_type=Path),
    default=None,
    help="Read a published graph (DIST/kg.trig) instead of the curated files.",
)
def stats(dist: Path | None) -> None:
    """Counts by class and by source, and how many statements rest on a single source."""
    from kg.build.stats import compute_fast, compute_store

    if dist is not None:
        from kg.export.triples import load_store

        click.echo(compute_store(load_store(dist)).text())  # kg.trig, loaded by pyoxigraph
        return
    from kg.build.pipeline import assemble

    assembled = assemble(None)
    click.echo((assembled.stats or compute_fast(assembled.ntriples)).text())


commands: list[click.Command] = [build, validate, fmt, stats]
