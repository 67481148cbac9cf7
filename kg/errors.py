"""The one base class for input a user got wrong: the CLI turns it into exit 2 and one line."""

from __future__ import annotations


class BadInputError(Exception):
    """Bad input or arguments (a file, a folder, a parameter): exit code 2, never a traceback."""
