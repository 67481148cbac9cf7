"""The kg command's exit codes and messages: 0 conforms, 1 does not, 2 bad input."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kg.cli.main import main

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_validate_conforms(corpus: Path) -> None:
    code, output = run("validate", "--corpus", str(corpus))
    assert code == 0, output
    assert "Conforms: yes" in output


def test_validate_reports_missing_evidence_in_the_users_words(corpus: Path) -> None:
    code, output = run(
        "validate", "--corpus", str(corpus), str(FIXTURES / "statement-without-evidence.ttl")
    )
    assert code == 1
    assert "Dudley: the appointment of a commissioner" in output
    assert "has no evidence" in output
    assert "statement-without-evidence.ttl" in output  # names the file


def test_parse_error_names_file_and_line() -> None:
    code, output = run("validate", str(FIXTURES / "broken-syntax.ttl"))
    assert code == 2
    assert "broken-syntax.ttl:5" in output


def test_missing_file_is_bad_input() -> None:
    code, output = run("validate", "no-such-file.ttl")
    assert code == 2
    assert "no-such-file.ttl" in output


def test_build_refuses_invalid_graph_and_keeps_previous(tmp_path: Path, corpus: Path) -> None:
    out = tmp_path / "dist"
    code, output = run("build", "--out", str(out), "--corpus", str(corpus))
    assert code == 0, output
    before = (out / "kg.nt").read_bytes()
    broken = Path(tmp_path / "bad.ttl")
    broken.write_text((FIXTURES / "broken-syntax.ttl").read_text())
    code, output = run("validate", str(broken))
    assert code == 2
    assert (out / "kg.nt").read_bytes() == before


def test_missing_corpus_is_said_clearly(tmp_path: Path) -> None:
    # A missing corpus used to skip the quote check with exit 0; now it is bad input (issue 8),
    # and skipping takes the explicit flag, which the report states.
    code, output = run("validate", "--corpus", str(tmp_path / "nowhere"))
    assert code == 2
    assert "nowhere" in output and "--skip-quote-check" in output
    code, output = run("validate", "--skip-quote-check")
    assert code == 0, output
    assert "Quote check SKIPPED" in output and "--skip-quote-check" in output


def test_fmt_check_passes_on_the_committed_files() -> None:
    code, output = run("fmt", "--check")
    assert code == 0, output


def test_fmt_check_flags_a_non_canonical_file(tmp_path: Path) -> None:
    messy = tmp_path / "messy.ttl"
    messy.write_text("@prefix ex: <http://example.org/> .\nex:b ex:p ex:c . ex:a ex:p ex:c .\n")
    code, output = run("fmt", "--check", str(messy))
    assert code == 1 and "not canonical" in output
    code, _ = run("fmt", str(messy))
    assert code == 0
    code, _ = run("fmt", "--check", str(messy))
    assert code == 0


def test_stats_counts_sources(dist: Path) -> None:
    code, output = run("stats", "--dist", str(dist))
    assert code == 0
    assert "statements resting on a single source" in output
    assert "004_dd1639bb877fd76f" in output


def test_the_demos_queries_run_with_their_default_columns(dist: Path) -> None:
    """make demo shows the headline queries as their headers choose (no -c lists to rot)."""
    makefile = (Path(__file__).parent.parent / "Makefile").read_text()
    demo = makefile[makefile.index("\ndemo:"):].split("\n\n")[0]
    commands = [part.strip().split() for line in demo.splitlines() if "query" in line
                for part in line.split("&&")]
    assert len(commands) >= 3
    for words in commands:
        assert "-c" not in words and "--columns" not in words
        code, output = run(*words[1:], "--dist", str(dist), "--width", "100")
        assert code == 0, output
        assert "evidence grouped" in output or "rows)" in output
