"""kg synth: write a synthetic corpus and graph for scale tests."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option("--councils", type=click.IntRange(1, 5000), required=True,
              help="number of councils (the first is named Doncaster, so default parameters match)")
@click.option("--years", type=click.IntRange(1, 100), required=True,
              help="years of inspections and interventions, from 2009")
@click.option("--seed", type=int, default=0, show_default=True,
              help="the same seed, the same files")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="folder to write data/ and corpus/ into (must not hold them already)")
def synth(councils: int, years: int, seed: int, out: Path) -> None:
    """Write a synthetic corpus-and-graph: OUT/data (Turtle) and OUT/corpus (source texts).

    Build it as the real graph is built: kg build --data OUT/data --corpus OUT/corpus --out OUT/dist
    """
    from kg.synth import generate

    for part in ("data", "corpus"):
        if (out / part).exists():
            raise click.UsageError(f"{out / part} exists already; give an empty --out")
    summary = generate(councils, years, seed, out)
    click.echo(f"wrote {out}: {summary.statements} statements from {summary.sources} sources "
               f"in {summary.files} data files ({councils} councils, {years} years, seed {seed})")
