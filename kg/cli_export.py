"""CLI commands for exporting and showing the graph (kg export)."""

from __future__ import annotations

import click

commands: list[click.Command] = []
