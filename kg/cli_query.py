"""CLI commands for querying and serving the graph (kg query, kg sparql, kg publish, kg serve)."""

from __future__ import annotations

import click

commands: list[click.Command] = []
