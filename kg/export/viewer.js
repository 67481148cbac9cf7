// The interactive view, drawn by cytoscape.js (vendor/cytoscape.min.js, beside the page).
// Positions come precomputed from Python, packed so that no two labels overlap at the layout's
// font size. On screen a label is never drawn under MIN_PX; when zoomed out so far that labels
// would collide at that size, the less connected entities lose their labels first (they come
// back as you zoom in, and every marker names itself on hover).
(function () {
  "use strict";
  var MIN_PX = 11;  // smallest label on screen, in CSS pixels
  var FIT_PADDING = 16;
  var HUB = 8;  // links that make an entity a hub, whose marker no label may cover
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var details = document.getElementById("details");
  var search = document.getElementById("search");
  var searchCount = document.getElementById("search-count");
  var side = document.getElementById("side");
  var tooltip = document.getElementById("tooltip");
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var hiddenClasses = {};
  var activeSources = {};
  Object.keys(data.sources).forEach(function (s) { activeSources[s] = true; });
  var selected = null;

  function html(tag, text, cls, parent) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  // --- the graph -----------------------------------------------------------------------------
  var elements = data.nodes.map(function (n) {
    return {
      group: "nodes", position: { x: n.x, y: n.y },
      data: { id: n.id, text: n.text, size: n.size, colour: data.classes[n.cls].colour,
              shape: data.classes[n.cls].shape, fs: data.font }
    };
  });
  data.pairs.forEach(function (pair, i) {
    elements.push({
      group: "edges", classes: pair.structuralOnly ? "structural" : "",
      data: { id: "pair-" + i, source: pair.s, target: pair.t, index: i,
              width: Math.min(1 + 0.6 * pair.edges.length, 5) }
    });
  });
  var cy = cytoscape({
    container: document.getElementById("graph"),
    elements: elements,
    layout: { name: "preset" },
    minZoom: 0.1, maxZoom: 8, wheelSensitivity: 0.3,
    boxSelectionEnabled: false, autoungrabify: true,
    style: [
      { selector: "node", style: {
        "width": "data(size)", "height": "data(size)", "shape": "data(shape)",
        "background-color": "data(colour)", "border-width": 1, "border-color": "#333",
        "label": "data(text)", "font-size": "data(fs)", "line-height": data.lineHeight,
        "font-family": "DejaVu Sans, Liberation Sans, Arial, sans-serif", "color": "#1a1a1a",
        "text-wrap": "wrap", "text-max-width": 10000, "text-valign": "bottom",
        "text-halign": "center", "text-margin-y": data.labelGap, "min-zoomed-font-size": 0,
        "text-background-color": "#fcfcfc", "text-background-opacity": 0.75,
        "text-background-padding": 1 } },
      { selector: "node.nolabel", style: { "label": "" } },
      { selector: "node.hidden", style: { "display": "none" } },
      { selector: "node.match", style: { "border-width": 3, "border-color": "#000", "font-weight": "bold" } },
      { selector: "node.selected", style: { "border-width": 4, "border-color": "#d00", "font-weight": "bold" } },
      { selector: "node.faded", style: { "opacity": 0.2 } },
      { selector: "edge", style: {
        "width": "data(width)", "line-color": "#8a8a8a", "opacity": 0.55, "curve-style": "straight" } },
      { selector: "edge.structural", style: { "line-style": "dashed", "line-dash-pattern": [4, 3] } },
      { selector: "edge.hidden", style: { "display": "none" } },
      { selector: "edge.hl", style: { "line-color": "#c00", "opacity": 0.9, "z-index": 2 } },
      { selector: "edge.faded", style: { "opacity": 0.08 } }
    ]
  });

  // --- labels: never under MIN_PX on screen, never overlapping, never clipped ----------------
  function priority(a, b) {
    function rank(n) {
      if (n.hasClass("selected")) { return 0; }
      if (n.hasClass("match")) { return 1; }
      if (n.hasClass("neighbour")) { return 2; }
      return 3;
    }
    return rank(a) - rank(b) || byId[b.id()].degree - byId[a.id()].degree ||
      (a.id() < b.id() ? -1 : 1);
  }
  function overlaps(a, b) {
    return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  }
  function labelBox(n) {
    return n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false });
  }
  function bodyBox(n) {
    return n.boundingBox({ includeNodes: true, includeEdges: false, includeLabels: false, includeOverlays: false });
  }
  function declutter() {
    var fs = Math.max(data.font, MIN_PX / cy.zoom());
    var shown = cy.nodes().not(".hidden");
    cy.batch(function () {
      cy.nodes().removeClass("nolabel");
      shown.forEach(function (n) { if (n.data("fs") !== fs) { n.data("fs", fs); } });
    });
    var view = cy.extent();
    // A label may cover a small marker (its name shows on hover) but never a hub's.
    var bodies = shown.map(function (n) { return { id: n.id(), box: bodyBox(n), big: byId[n.id()].degree >= HUB }; });
    var kept = [];
    var drop = [];
    shown.sort(priority).forEach(function (n) {
      var box = labelBox(n);
      var clear = box.x1 >= view.x1 && box.x2 <= view.x2 && box.y1 >= view.y1 && box.y2 <= view.y2 &&
        !kept.some(function (k) { return overlaps(k, box); }) &&
        !bodies.some(function (b) { return b.id !== n.id() && b.big && overlaps(b.box, box); });
      if (clear) { kept.push(box); } else { drop.push(n); }
    });
    cy.batch(function () { drop.forEach(function (n) { n.addClass("nolabel"); }); });
  }
  var pending = false;
  function scheduleDeclutter() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; declutter(); });
  }
  cy.on("zoom pan resize", scheduleDeclutter);

  // Fit the visible graph as laid out (each node's box from Python: labels at the layout's size);
  // labels then grow to MIN_PX on screen and declutter drops any that would collide or clip.
  function fit() {
    var box = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
    cy.nodes().not(".hidden").forEach(function (node) {
      var b = byId[node.id()].box;  // the node and its label at the layout's size
      box.x1 = Math.min(box.x1, b[0]); box.y1 = Math.min(box.y1, b[1]);
      box.x2 = Math.max(box.x2, b[2]); box.y2 = Math.max(box.y2, b[3]);
    });
    if (box.x1 === Infinity) { return; }
    var zoom = Math.min((cy.width() - 2 * FIT_PADDING) / (box.x2 - box.x1),
                        (cy.height() - 2 * FIT_PADDING) / (box.y2 - box.y1));
    cy.viewport({ zoom: zoom, pan: {
      x: (cy.width() - zoom * (box.x1 + box.x2)) / 2, y: (cy.height() - zoom * (box.y1 + box.y2)) / 2 } });
    declutter();
  }
  function zoomBy(factor) {
    var box = document.getElementById("graph").getBoundingClientRect();
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: box.width / 2, y: box.height / 2 } });
  }
  document.getElementById("fit").addEventListener("click", fit);
  document.getElementById("zoom-in").addEventListener("click", function () { zoomBy(1.3); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomBy(1 / 1.3); });
  document.getElementById("reset").addEventListener("click", function () {
    search.value = "";
    clearSelection();
    runSearch();
    fit();
  });

  // --- the panel on narrow windows -----------------------------------------------------------
  var toggle = document.getElementById("panel-toggle");
  function openPanel(open) {
    side.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  toggle.addEventListener("click", function () { openPanel(!side.classList.contains("open")); });
  document.getElementById("panel-close").addEventListener("click", function () { openPanel(false); });

  // --- hover: every marker names itself, every line lists its statements ----------------------
  function showTip(text, pos) {
    tooltip.textContent = text;
    tooltip.hidden = false;
    tooltip.style.left = (pos.x + 12) + "px";
    tooltip.style.top = (pos.y + 12) + "px";
  }
  cy.on("mouseover", "node", function (ev) {
    var n = byId[ev.target.id()];
    showTip(n.label + " (" + n.clsLabel + ")", ev.renderedPosition);
  });
  cy.on("mouseover", "edge", function (ev) {
    var pair = data.pairs[ev.target.data("index")];
    showTip(byId[pair.s].label + " \u2013 " + byId[pair.t].label + ": " +
      pair.edges.map(function (i) { return data.edges[i].label; }).join("; "), ev.renderedPosition);
  });
  cy.on("mouseout", "node, edge", function () { tooltip.hidden = true; });

  // --- key and filters -----------------------------------------------------------------------
  var SVGNS = "http://www.w3.org/2000/svg";
  function svgIcon(parent, width, draw) {
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("width", width); svg.setAttribute("height", 14);
    svg.setAttribute("aria-hidden", "true");
    draw(svg);
    parent.appendChild(svg);
    return svg;
  }
  function shapeIcon(parent, shape, colour) {
    return svgIcon(parent, 14, function (svg) {
      var e;
      if (shape === "ellipse") {
        e = document.createElementNS(SVGNS, "circle");
        e.setAttribute("cx", 7); e.setAttribute("cy", 7); e.setAttribute("r", 5.5);
      } else {
        e = document.createElementNS(SVGNS, "polygon");
        e.setAttribute("points", {
          rectangle: "2,2 12,2 12,12 2,12", triangle: "7,1.5 12.5,12.5 1.5,12.5",
          diamond: "7,1 13,7 7,13 1,7"
        }[shape] || "2,2 12,2 12,12 2,12");
      }
      e.setAttribute("fill", colour); e.setAttribute("stroke", "#333");
      svg.appendChild(e);
    }).setAttribute("class", "shape");
  }
  function lineIcon(parent, dash, colour, width) {
    svgIcon(parent, 30, function (svg) {
      var l = document.createElementNS(SVGNS, "line");
      l.setAttribute("x1", 1); l.setAttribute("y1", 7); l.setAttribute("x2", 29); l.setAttribute("y2", 7);
      l.setAttribute("stroke", colour); l.setAttribute("stroke-width", width);
      if (dash) { l.setAttribute("stroke-dasharray", dash); }
      svg.appendChild(l);
    }).setAttribute("class", "line");
  }
  function checkbox(parent, checked, onChange) {
    var l = html("label", null, null, parent);
    var box = html("input", null, null, l);
    box.type = "checkbox"; box.checked = checked;
    box.addEventListener("change", function () { onChange(box.checked); });
    return { label: l, box: box };
  }
  var classFilter = document.getElementById("class-filter");
  var lastGroup = null;
  Object.keys(data.classes).sort(function (a, b) { return data.classes[a].order - data.classes[b].order; })
    .forEach(function (cls) {
      var c = data.classes[cls];
      if (c.group !== lastGroup) { html("div", c.group, "group", classFilter); lastGroup = c.group; }
      var row = checkbox(classFilter, true, function (on) { hiddenClasses[cls] = !on; applyFilters(); });
      shapeIcon(row.label, c.shape, c.colour);
      row.label.appendChild(document.createTextNode(c.label + " (" + c.count + ")"));
      row.box.setAttribute("data-class", cls);
    });
  var edgeKey = document.getElementById("edge-key");
  [["", "#8a8a8a", 2, "linked by statements (thicker: more statements)"],
   ["4 3", "#8a8a8a", 2, "registry link only (unit of, post in, part of, for council)"],
   ["", "#c00", 2, "a link of the selected entity"]].forEach(function (k) {
    var row = html("div", null, "key-row", edgeKey);
    lineIcon(row, k[0], k[1], k[2]);
    row.appendChild(document.createTextNode(k[3]));
  });
  var sourceFilter = document.getElementById("source-filter");
  Object.keys(data.sources).sort(function (a, b) {
    return data.sources[a].text < data.sources[b].text ? -1 : 1;
  }).forEach(function (sid) {
    var s = data.sources[sid];
    var row = checkbox(sourceFilter, true, function (on) { activeSources[sid] = on; applyFilters(); });
    row.label.appendChild(document.createTextNode(" " + s.short));
    row.label.title = s.text;
    row.box.setAttribute("data-source", sid);
  });

  function nodeVisible(n) {
    if (hiddenClasses[n.cls]) { return false; }
    if (!n.sources.length) { return true; }
    return n.sources.some(function (s) { return activeSources[s]; });
  }
  function edgeVisible(e) {
    return e.structural || e.sources.some(function (s) { return activeSources[s]; });
  }
  function applyFilters() {
    cy.batch(function () {
      cy.nodes().forEach(function (node) { node.toggleClass("hidden", !nodeVisible(byId[node.id()])); });
      cy.edges().forEach(function (edge) {
        var p = data.pairs[edge.data("index")];
        edge.toggleClass("hidden", !(nodeVisible(byId[p.s]) && nodeVisible(byId[p.t]) &&
          p.edges.some(function (i) { return edgeVisible(data.edges[i]); })));
      });
    });
    if (selected) { showDetails(selected); }
    runSearch();
  }

  // --- search --------------------------------------------------------------------------------
  function matches(n, q) {
    return [n.label, n.short, n.id].concat(n.alt).some(function (t) { return t.toLowerCase().indexOf(q) >= 0; });
  }
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    var found = [];
    cy.batch(function () {
      cy.nodes().forEach(function (node) {
        var n = byId[node.id()];
        var hit = q.length > 0 && nodeVisible(n) && matches(n, q);
        node.toggleClass("match", hit);
        if (hit) { found.push(n); }
      });
      restyle();
    });
    searchCount.textContent = q ? found.length + (found.length === 1 ? " match" : " matches") : "";
    scheduleDeclutter();
    return found;
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = runSearch();
      if (found.length) { select(found[0].id); }
    }
  });

  // --- selection, details and the #node= permalink -------------------------------------------
  // Fade what is neither selected, a neighbour of the selection, nor a search match.
  function restyle() {
    var focus = selected !== null || search.value.trim().length > 0;
    cy.nodes().forEach(function (node) {
      node.toggleClass("faded", focus && !node.hasClass("selected") && !node.hasClass("neighbour") &&
        !node.hasClass("match"));
    });
    cy.edges().forEach(function (edge) { edge.toggleClass("faded", focus && !edge.hasClass("hl")); });
  }
  function clearSelection() {
    selected = null;
    cy.batch(function () {
      cy.elements().removeClass("selected neighbour hl");
      restyle();
    });
    if (window.location.hash) { history.replaceState(null, "", window.location.pathname + window.location.search); }
    details.textContent = "";
    html("p", "Click an entity (or search and press Enter) to see its statements.", "empty", details);
    scheduleDeclutter();
  }
  function select(id) {
    if (!byId[id]) { return; }
    selected = id;
    var node = cy.getElementById(id);
    cy.batch(function () {
      cy.elements().removeClass("selected neighbour hl");
      node.addClass("selected");
      node.connectedEdges().addClass("hl");
      node.neighborhood("node").addClass("neighbour");
      restyle();
    });
    var hash = "#node=" + encodeURIComponent(id);
    if (window.location.hash !== hash) { history.replaceState(null, "", hash); }
    showDetails(id);
    openPanel(true);
    scheduleDeclutter();
  }
  function fromHash() {
    var m = /^#node=(.+)$/.exec(window.location.hash);
    if (m) { select(decodeURIComponent(m[1])); }
  }
  window.addEventListener("hashchange", fromHash);
  cy.on("tap", "node", function (ev) { select(ev.target.id()); });
  cy.on("tap", function (ev) { if (ev.target === cy) { clearSelection(); } });

  function entityLink(parent, id) {
    var n = byId[id];
    var a = html("a", n ? n.label : id, null, parent);
    if (n) { a.href = "#node=" + encodeURIComponent(id); }
    return a;
  }
  function showDetails(id) {
    var n = byId[id];
    details.textContent = "";
    html("h2", n.label, null, details);
    html("div", n.clsLabel + " \u00b7 " + n.id, "meta", details);
    html("div", n.iri, "meta", details);
    if (n.alt.length) { html("div", "also: " + n.alt.join(", "), "meta", details); }
    Object.keys(n.identifiers).forEach(function (k) { html("div", k.toUpperCase() + " code: " + n.identifiers[k], "meta", details); });
    var shown = n.statements.filter(function (sid) {
      return data.statements[sid].sources.some(function (s) { return activeSources[s]; });
    });
    html("h3", "Statements by date (" + shown.length + (shown.length < n.statements.length ? " of " + n.statements.length : "") + ")", null, details);
    shown.forEach(function (sid) {
      var st = data.statements[sid];
      var box = html("div", null, "statement", details);
      box.setAttribute("data-statement", sid);
      box.setAttribute("data-date", st.sortDate);
      html("div", st.when || (st.sortDate ? st.sortDate : "no date of its own"), "date" + (st.sortDate ? "" : " undated"), box);
      html("div", st.label, "title", box);
      var kind = html("div", null, "kind", box);
      if (st.planned) { html("span", "PLANNED \u00b7 ", "planned", kind); }
      kind.appendChild(document.createTextNode(st.edgeLabel));
      Object.keys(st.participants).sort().forEach(function (role) {
        var who = html("div", role + ": ", "who", box);
        st.participants[role].forEach(function (pid, i) {
          if (i) { who.appendChild(document.createTextNode(", ")); }
          entityLink(who, pid);
        });
      });
      Object.keys(st.values).sort().forEach(function (k) {
        html("div", k + ": " + st.values[k].join("; "), "who", box);
      });
      st.evidence.forEach(function (ev) {
        if (!activeSources[ev.source]) { return; }
        html("blockquote", "\u201c" + ev.quote + "\u201d", "quote", box);
        var cite = html("div", null, "cite", box);
        var src = data.sources[ev.source];
        cite.appendChild(document.createTextNode("\u2014 "));
        var text = src ? src.text : "source not in the graph";
        if (src && src.url) {
          var a = html("a", text, null, cite);
          a.href = src.url; a.rel = "noreferrer";
        } else {
          cite.appendChild(document.createTextNode(text));
        }
        html("span", ev.claim_kind, "claim", cite);
        if (ev.note) { html("div", "why: " + ev.note, "meta", box); }
      });
    });
    details.scrollTop = 0;
  }

  fit();
  fromHash();
  window.kgView = { cy: cy, select: select, fit: fit, declutter: declutter, data: data };  // for tests and the console
}());
