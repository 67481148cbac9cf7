"""Every notebook runs end to end in a fresh kernel, and is committed clean and paired."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
    if name == "exploring":
        _check_network_widget(notebook, outputs, dist)


def _check_network_widget(notebook: nbformat.NotebookNode, outputs: list[Any],
                          dist: Path) -> None:
    """The exploring notebook shows the interactive network, and the widget's model (as the
    kernel left it) carries the nodes and edges of the entity graph."""
    from kg.export.network import entity_graph, load_graph
    from kg.export.widget import cytoscape_elements

    views = [o["data"]["application/vnd.jupyter.widget-view+json"]["model_id"] for o in outputs
             if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    states = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    shown = [states[model]["state"] for model in views]
    networks = [s for s in shown if s.get("_anywidget_id") == "kg.export.widget.NetworkWidget"]
    assert len(networks) == 1, "the notebook shows one network widget"
    nodes, edges = cytoscape_elements(entity_graph(load_graph(dist)))
    assert networks[0]["nodes"] == nodes and networks[0]["edges"] == edges
    assert len(nodes) > 50 and len(edges) > 100


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_committed_without_outputs_and_paired(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    paired = jupytext.read(NOTEBOOKS / f"{name}.py")
    assert [c.source for c in paired.cells] == [c.source for c in notebook.cells], (
        f"notebooks/{name}.py and .ipynb differ: run jupytext --sync notebooks/{name}.py")
