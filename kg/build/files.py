"""Reading the user's files: bytes and UTF-8 text, refused with the file (and line) named."""

from __future__ import annotations

from pathlib import Path

from kg.errors import BadInputError

# Hand-curated files are tens of kilobytes; a file past this is a mistake (or junk), and refusing
# it up front saves minutes and gigabytes of SHACL on it.
MAX_FILE_BYTES = 5 * 1024 * 1024

class DataFileError(BadInputError):
    """A data file that cannot be read or parsed; says which file and which line."""

    def __init__(self, path: Path, message: str, line: int | None = None) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


def read_bytes(path: Path, limit: int | None = MAX_FILE_BYTES) -> bytes:
    """The bytes of a file, or a DataFileError saying why they cannot be had."""
    try:
        if path.is_dir():
            raise DataFileError(path, "is a folder, not a file")
        if not path.exists():
            raise DataFileError(path, "no such file")
        size = path.stat().st_size
        if limit is not None and size > limit:
            raise DataFileError(
                path, f"{size:,} bytes is over the size guard of {limit:,} bytes per file"
            )
        return path.read_bytes()
    except OSError as error:
        raise DataFileError(path, f"cannot read it: {error.strerror or error}") from None


def read_text(path: Path, limit: int | None = MAX_FILE_BYTES) -> str:
    """A file's text as UTF-8; a file that is not names the line of its first bad byte."""
    data = read_bytes(path, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DataFileError(
            path, f"not UTF-8 text (byte 0x{data[error.start]:02x} cannot be decoded)", line
        ) from None
