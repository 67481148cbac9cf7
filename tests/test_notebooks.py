"""Every notebook runs end to end in a fresh kernel, and is committed clean and paired."""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = ["exploring", "accountability_timelines", "stakeholder_positions"]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_clean(name: str, dist: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The kernel inherits KG_DIST, so it reads the session's fresh build instead of building.
    monkeypatch.setenv("KG_DIST", str(dist))
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError, with the traceback, if any cell fails
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert images, "each notebook shows at least one picture"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_committed_without_outputs_and_paired(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    paired = jupytext.read(NOTEBOOKS / f"{name}.py")
    assert [c.source for c in paired.cells] == [c.source for c in notebook.cells], (
        f"notebooks/{name}.py and .ipynb differ: run jupytext --sync notebooks/{name}.py")
