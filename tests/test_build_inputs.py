"""The bad-input catalogue of kg build: every case is refused with the exit code pySHACL would give
(2 bad input, 1 does not conform), a message naming the file and line (or the node, folder or
term), no traceback, and the published build left byte for byte as it was.

Each case runs the real command on a small copy of the curated data (the registry and the
reference data: every source node, few statements) so the whole catalogue stays quick.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build.files import MAX_FILE_BYTES
from kg.cli.main import main
from kg.curate.ids import make_id, next_number
from kg.namespaces import DATA_DIR, corpus_dir

FIXTURES = Path(__file__).parent / "fixtures"
# A corpus text no source names: the next free number under the id rule, whatever the corpus holds.
UNLISTED = make_id(next_number(corpus_dir()), b"A new article.\n")
SMALL = ("entities.ttl", "reference-local-authorities.ttl")
QUOTED = "004_dd1639bb877fd76f.ttl"
HEADER = (
    "@prefix csi: <https://w3id.org/csikg/def/> .\n"
    "@prefix council: <https://w3id.org/csikg/id/council/> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
)  # four lines: the line under test is line 5


@dataclass
class Workspace:
    root: Path
    data: Path
    corpus: Path
    dist: Path

    def build(self, *extra: str, out: Path | str | None = None,
              corpus: Path | str | None = None) -> list[str]:
        return ["build", "--data", str(self.data), "--corpus", str(corpus or self.corpus),
                "--out", str(out or self.dist), *extra]

    def write(self, name: str, body: str | bytes) -> list[str]:
        data = body if isinstance(body, bytes) else (HEADER + body).encode()
        (self.data / name).write_bytes(data)
        return self.build()


def _small_data(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in SMALL:
        shutil.copy(DATA_DIR / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def reference_build(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """A build of the small data set, copied in as each case's dist/."""
    root = tmp_path_factory.mktemp("reference")
    result = CliRunner().invoke(main, ["build", "--data", str(_small_data(root / "data")),
                                       "--corpus", str(corpus), "--out", str(root / "dist")])
    assert result.exit_code == 0, result.output
    return root / "dist"


@pytest.fixture
def ws(tmp_path: Path, reference_build: Path, corpus: Path) -> Workspace:
    shared = tmp_path / "shared"
    shutil.copytree(corpus, shared / "corpus")
    shutil.copytree(corpus.parent / "reference", shared / "reference")
    shutil.copytree(reference_build, tmp_path / "dist")
    (tmp_path / ".git").mkdir()  # so `--out .` would be a checkout's root
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    return Workspace(tmp_path, _small_data(tmp_path / "data"), shared / "corpus",
                     tmp_path / "dist")


def _falsify_a_quote(ws: Workspace) -> list[str]:
    text = (DATA_DIR / QUOTED).read_text(encoding="utf-8")
    assert "for wholesale change at Doncaster" in text
    (ws.data / QUOTED).write_text(text.replace("for wholesale change at Doncaster",
                                               "for no change at Doncaster"), encoding="utf-8")
    return ws.build()


def _foreign_folder(ws: Workspace) -> list[str]:
    folder = ws.root / "mine"
    folder.mkdir()
    (folder / "thesis.docx").write_text("years of work")
    return ws.build(out=folder)


def _build_plus_notes(ws: Workspace) -> list[str]:
    out = ws.root / "other"
    shutil.copytree(ws.dist, out)
    (out / "notes.txt").write_text("mine")
    return ws.build(out=out)


def _foreign_build_info(ws: Workspace) -> list[str]:
    out = ws.root / "site"
    out.mkdir()
    (out / "build-info.json").write_text('{"generator": "someone else"}\n')
    (out / "index.html").write_text("<p>hello</p>")
    return ws.build(out=out)


def _unwritable(ws: Workspace) -> list[str]:
    if os.geteuid() == 0:  # root writes through file modes; /sys refuses even root
        return ws.build(out="/sys/kg-out")
    locked = ws.root / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    return ws.build(out=locked / "dist")


def _remove(path: Path) -> None:
    path.unlink()


@dataclass(frozen=True)
class Case:
    name: str
    setup: Callable[[Workspace], list[str]]
    code: int
    says: tuple[str, ...]


CASES = [
    # --- a data file that cannot be read as our Turtle: exit 2, file and line -------------------
    Case("syntax error", lambda w: w.write("bad.ttl", (FIXTURES / "broken-syntax.ttl")
                                           .read_bytes()), 2, ("bad.ttl:5",)),
    Case("undefined prefix", lambda w: w.write("bad.ttl", "council:x foo:bar council:y .\n"),
         2, ("bad.ttl:5", "foo")),
    Case("bad IRI", lambda w: w.write(
        "bad.ttl", "council:x rdfs:seeAlso <http://exa mple.org/x> .\n"),
        2, ("bad.ttl:5", "not a valid IRI", "exa mple")),
    Case("ill-typed literal", lambda w: w.write(
        "bad.ttl", 'council:x rdfs:comment "yesterday"^^xsd:date .\n'),
        2, ("bad.ttl:5", "ill-typed literal", "xsd:date", "yesterday")),
    Case("not UTF-8", lambda w: w.write(
        "bad.ttl", HEADER.encode() + 'council:x rdfs:label "caf\xe9" .\n'.encode("latin-1")),
        2, ("bad.ttl:5", "not UTF-8")),
    Case("empty file", lambda w: w.write("bad.ttl", b""), 2, ("bad.ttl", "no triples")),
    Case("binary junk", lambda w: w.write("bad.ttl", bytes(range(256)) * 64),
         2, ("bad.ttl:2", "not UTF-8")),
    Case("over the size guard", lambda w: w.write(
        "bad.ttl", "# padding\n" * (MAX_FILE_BYTES // 10 + 1)), 2, ("bad.ttl", "size guard")),
    Case("unknown predicate", lambda w: w.write("bad.ttl", 'council:x csi:notAProperty "x" .\n'),
         2, ("bad.ttl:5", "unknown predicate csi:notAProperty")),
    Case("unknown class", lambda w: w.write("bad.ttl", "council:x a csi:NotAClass .\n"),
         2, ("bad.ttl:5", "unknown class csi:NotAClass")),
    Case("predicate from no vocabulary of ours", lambda w: w.write(
        "bad.ttl", "@prefix ex: <http://example.org/> .\ncouncil:x ex:p ex:o .\n"),
        2, ("bad.ttl:6", "unknown predicate <http://example.org/p>")),
    Case("junk triples", lambda w: w.write("bad.ttl", "".join(
        f'<http://junk.example/s{i}> <http://junk.example/p{i % 7}> "{i}" .\n'
        for i in range(2000))), 2, ("bad.ttl:5", "unknown predicate <http://junk.example/p0>")),
    Case("data file is a folder", lambda w: ((w.data / "bad.ttl").mkdir(), w.build())[1],
         2, ("bad.ttl", "is a folder")),
    Case("missing registry", lambda w: (_remove(w.data / "entities.ttl"), w.build())[1],
         2, ("entities.ttl", "registry")),
    Case("missing data folder", lambda w: ["build", "--data", str(w.root / "nodata"),
                                           "--corpus", str(w.corpus), "--out", str(w.dist)],
         2, ("nodata", "no such folder")),
    Case("data folder is a file", lambda w: ["build", "--data", str(w.data / "entities.ttl"),
                                             "--corpus", str(w.corpus), "--out", str(w.dist)],
         2, ("entities.ttl", "is a file")),
    # --- the corpus: exit 2 when missing or incomplete, 1 when a text has no source -------------
    Case("missing corpus", lambda w: w.build(corpus=w.root / "nowhere"),
         2, ("nowhere", "not found", "--skip-quote-check")),
    Case("corpus is a file", lambda w: w.build(corpus=w.corpus / "README.md"),
         2, ("README.md", "is a file")),
    Case("corpus and --skip-quote-check", lambda w: w.build("--skip-quote-check"),
         2, ("not both",)),
    Case("missing source text", lambda w: (
        _remove(w.corpus / "003_51ba7b2c6747c069.txt"), w.build())[1],
        2, ("no text for source 003_51ba7b2c6747c069", "entities.ttl")),
    Case("source text not UTF-8", lambda w: (
        (w.corpus / "003_51ba7b2c6747c069.txt").write_bytes("caf\xe9\n".encode("latin-1")),
        w.build())[1], 2, ("003_51ba7b2c6747c069.txt:1", "not UTF-8")),
    Case("corpus text without a source", lambda w: (
        (w.corpus / f"{UNLISTED}.txt").write_text("A new article.\n"), w.build())[1],
        1, (f"{UNLISTED}.txt", "has no source in the graph")),
    # --- valid input that does not conform: exit 1, the node and its file ------------------------
    Case("falsified quote", _falsify_a_quote, 1, ("quote not found in source", QUOTED,
                                                  "for no change at Doncaster")),
    Case("statement without evidence", lambda w: (shutil.copy(
        FIXTURES / "statement-without-evidence.ttl", w.data), w.build())[1],
        1, ("Dudley: the appointment of a commissioner", "statement-without-evidence.ttl")),
    Case("duplicate subject with a second label", lambda w: w.write(
        "dup.ttl", 'council:doncaster rdfs:label "Doncaster Borough Council"@en .\n'),
        1, ("council:doncaster", "dup.ttl")),
    # --- the output folder: exit 2 before any loading ---------------------------------------------
    Case("--out is a file", lambda w: w.build(out=w.data / "entities.ttl"),
         2, ("entities.ttl is a file, not a folder",)),
    Case("--out under a file", lambda w: w.build(out=w.data / "entities.ttl" / "dist"),
         2, ("entities.ttl is a file, not a folder",)),
    Case("--out a folder of someone's files", _foreign_folder, 2, ("holds no build",
                                                                   "thesis.docx")),
    Case("--out .", lambda w: w.build(out="."), 2, ("--out . is not empty", ".git")),
    Case("--out the data folder", lambda w: w.build(out=w.data), 2, ("holds no build",)),
    Case("--out a build with someone's notes", _build_plus_notes, 2, ("notes.txt",)),
    Case("--out with another tool's build-info.json", _foreign_build_info, 2, ("holds no build",)),
    Case("--out unwritable", _unwritable, 2, ("cannot write there",)),
]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_catalogue_is_complete() -> None:
    assert len(CASES) >= 26
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_is_refused_and_dist_untouched(
    case: Case, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ws.root)
    args = case.setup(ws)
    dist_before = _snapshot(ws.dist)
    root_before = _snapshot(ws.root)
    names_before = sorted(p.name for p in ws.root.iterdir())

    result = CliRunner().invoke(main, args)

    assert result.exit_code == case.code, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    for text in case.says:
        assert text in result.output, result.output
    assert _snapshot(ws.dist) == dist_before
    assert _snapshot(ws.root) == root_before  # the --out folder and all else, byte for byte
    assert sorted(p.name for p in ws.root.iterdir()) == names_before  # no staging left


def test_the_same_inputs_fixed_build(ws: Workspace) -> None:
    """The workspace itself is sound: without the bad input the build publishes."""
    result = CliRunner().invoke(main, ws.build())
    assert result.exit_code == 0, result.output
