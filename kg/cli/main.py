"""The kg command group: build, validate, format and describe the graph (kg.cli.build), query,
sparql, publish and serve it (kg.cli.query), export it (kg.cli.export), and grow it: add a
source, curate, find quotes, report (kg.curate.cli); synthesise a graph at scale (kg.synth).

Exit codes follow pySHACL: 0 success / conforms, 1 does not conform, 2 bad input or arguments.
"""

from __future__ import annotations

import sys

import click

from kg import __version__
from kg.cli import build, export, query
from kg.curate import cli as curate
from kg.errors import BadInputError
from kg.synth.cli import synth


class KgGroup(click.Group):
    """Turns bad input (a data file, a folder, a path) into exit code 2 and one line naming it,
    never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except BadInputError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(2)
        except OSError as error:  # a path the user gave that cannot be read or written
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"error: {where}{error.strerror or error}", err=True)
            sys.exit(2)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """The Children's Services Interventions Knowledge Graph.

    Who is accountable for a council's children's services, on what basis, since when, and says
    who? `kg build` validates the curated graph and publishes it to dist/; the other commands
    query, serve and export it.
    """


for command in [*build.commands, *query.commands, *export.commands, *curate.commands, synth]:
    main.add_command(command)
