// The interactive network of kg.export.widget: cytoscape.js (defined above this module by
// widget.py, from the npm package on this machine) drawing the nodes and edges of the model.
// Click a node or an edge to read what it is; the clicked node's id goes back to Python as
// the widget's `selected`.

function elements(model) {
  const nodes = model.get("nodes").map((data) => ({ group: "nodes", data,
    position: data.x === undefined ? undefined : { x: data.x, y: data.y } }));
  const edges = model.get("edges").map((data) => ({ group: "edges", data }));
  return [...nodes, ...edges];
}

const STYLE = [
  { selector: "node", style: {
    "background-color": "data(colour)", label: "data(label)", "font-size": 11,
    "text-valign": "bottom", "text-margin-y": 3, width: 14, height: 14, "text-wrap": "wrap",
    "text-background-color": "#ffffff", "text-background-opacity": 0.7 } },
  { selector: "edge", style: {
    width: 1.2, "line-color": "#9a9a9a", "curve-style": "bezier",
    "target-arrow-shape": "triangle", "target-arrow-color": "#9a9a9a", "arrow-scale": 0.7 } },
  { selector: "edge[?structural]", style: { "line-style": "dashed", "target-arrow-shape": "none" } },
  { selector: ":selected", style: { "border-width": 3, "border-color": "#111111",
    "line-color": "#111111", "target-arrow-color": "#111111" } },
];

function render({ model, el }) {
  const box = document.createElement("div");
  box.style.height = `${model.get("height")}px`;
  box.style.width = "100%";
  box.style.border = "1px solid #dddddd";
  const info = document.createElement("div");
  info.style.font = "13px sans-serif";
  info.style.padding = "4px 0";
  info.textContent = "Click a node or an edge to see what it is.";
  el.append(box, info);
  const placed = model.get("nodes").some((n) => n.x !== undefined);
  const cy = cytoscape({ container: box, elements: elements(model), style: STYLE,
    layout: placed ? { name: "preset", fit: true, padding: 20 }
                   : { name: "cose", animate: false, randomize: false } });
  cy.on("tap", "node", (event) => {
    const data = event.target.data();
    info.textContent = `${data.title} (${data.kind}) - ${event.target.degree()} links`;
    model.set("selected", data.id);
    model.save_changes();
  });
  cy.on("tap", "edge", (event) => {
    const data = event.target.data();
    info.textContent = `${data.title}${data.when ? ` (${data.when})` : ""}`;
  });
  el.cytoscape = cy;  // for the browser's console (and the tests)
  model.on("change:nodes change:edges", () => {
    cy.elements().remove();
    cy.add(elements(model));
    cy.layout({ name: "preset", fit: true, padding: 20 }).run();
  });
  return () => cy.destroy();
}

export default { render };
