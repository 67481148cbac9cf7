"""The notebook's network widget: its model carries the entity graph, and its module draws it
in Chromium with cytoscape.js from this machine (nothing fetched from elsewhere)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

pytest.importorskip("anywidget", reason="the widget needs the test or lab extras (anywidget)")

from browser import chromium, console_errors, leaving_loopback, requested_urls  # noqa: E402

from kg.export.network import entity_graph, load_graph  # noqa: E402
from kg.export.widget import cytoscape_elements, network_widget  # noqa: E402

PAGE = """<!doctype html><meta charset="utf-8"><div id="view" style="width:900px"></div>
<script id="esm" type="application/json">{esm}</script>
<script type="module">
const state = {state};
const handlers = [];
const model = {{ get: (k) => state[k], set: (k, v) => {{ state[k] = v; }},
  save_changes: () => {{ window.saved = (window.saved || 0) + 1; }},
  on: (name, f) => handlers.push([name, f]) }};
const source = JSON.parse(document.getElementById("esm").textContent);
const url = URL.createObjectURL(new Blob([source], {{ type: "text/javascript" }}));
const widget = (await import(url)).default;
const el = document.getElementById("view");
widget.render({{ model, el }});
window.drawn = {{ nodes: el.cytoscape.nodes().length, edges: el.cytoscape.edges().length }};
</script>
"""


def test_widget_model_and_drawing(dist: Path, tmp_path: Path) -> None:
    g = entity_graph(load_graph(dist))
    widget = network_widget(g)
    nodes, edges = cytoscape_elements(g)
    assert widget.nodes == nodes and widget.edges == edges
    assert {n["id"] for n in nodes} == set(g.nodes)
    assert len(edges) == g.number_of_edges()
    assert "https://" not in widget._esm.split("const cytoscape")[1]  # the code loads nothing
    state = {"nodes": widget.nodes, "edges": widget.edges, "height": 500, "selected": ""}
    page = tmp_path / "widget.html"
    page.write_text(PAGE.format(esm=json.dumps(widget._esm).replace("</", "<\\/"),
                                state=json.dumps(state)), encoding="utf-8")
    with chromium(1000, 800) as browser:
        browser.get(page.as_uri())
        drawn = None
        for _ in range(100):
            drawn = browser.execute_script("return window.drawn || null;")
            if drawn:
                break
            time.sleep(0.1)
        assert drawn == {"nodes": len(nodes), "edges": len(edges)}, console_errors(browser)
        assert not console_errors(browser)
        assert not leaving_loopback(requested_urls(browser))
