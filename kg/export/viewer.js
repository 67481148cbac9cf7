// The interactive view. Plain DOM code, no libraries: the page must work offline from a file.
// Positions come precomputed from Python (the same layout as the static overview).
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var svg = document.getElementById("graph");
  var details = document.getElementById("details");
  var search = document.getElementById("search");
  var searchCount = document.getElementById("search-count");
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var hiddenClasses = {};
  var activeSources = {};
  Object.keys(data.sources).forEach(function (s) { activeSources[s] = true; });
  var selected = null;

  function el(name, attrs, parent) {
    var e = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function html(tag, text, cls, parent) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  // --- drawing -----------------------------------------------------------------------------
  var viewport = el("g", { id: "viewport" }, svg);
  var edgeLayer = el("g", { id: "edges" }, viewport);
  var nodeLayer = el("g", { id: "nodes" }, viewport);
  data.pairs.forEach(function (pair) {
    var a = byId[pair.s], b = byId[pair.t];
    var line = el("line", {
      x1: a.x, y1: a.y, x2: b.x, y2: b.y,
      "class": "edge" + (pair.structuralOnly ? " structural" : ""),
      "stroke-width": Math.min(1 + 0.6 * pair.edges.length, 5)
    }, edgeLayer);
    el("title", {}, line).textContent = a.label + " \u2013 " + b.label + ": " +
      pair.edges.map(function (i) { return data.edges[i].label; }).join("; ");
    pair.element = line;
  });
  data.nodes.forEach(function (n) {
    var g = el("g", { "class": "node", "data-id": n.id, transform: "translate(" + n.x + "," + n.y + ")" }, nodeLayer);
    el("circle", { r: n.r, fill: data.classes[n.cls].colour }, g);
    var text = el("text", { "text-anchor": "middle", y: n.r + 11 }, g);
    n.lines.forEach(function (line, i) {
      var t = el("tspan", { x: 0, dy: i === 0 ? 0 : 12 }, text);
      t.textContent = line;
    });
    el("title", {}, g).textContent = n.label + " (" + n.clsLabel + ")";
    g.addEventListener("click", function (ev) { ev.stopPropagation(); select(n.id); });
    n.element = g;
  });

  // --- pan and zoom (viewBox) ----------------------------------------------------------------
  var view = { x: -20, y: -20, w: data.width + 40, h: data.height + 40 };
  function applyView() { svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" ")); }
  applyView();
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var rect = svg.getBoundingClientRect();
    var scale = Math.max(view.w / rect.width, view.h / rect.height);
    var px = view.x + (ev.clientX - rect.left) * scale, py = view.y + (ev.clientY - rect.top) * scale;
    var f = ev.deltaY > 0 ? 1.15 : 1 / 1.15;
    view.x = px - (px - view.x) * f; view.y = py - (py - view.y) * f;
    view.w *= f; view.h *= f;
    applyView();
  }, { passive: false });
  var drag = null;
  svg.addEventListener("mousedown", function (ev) { drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y }; svg.classList.add("panning"); });
  window.addEventListener("mousemove", function (ev) {
    if (!drag) { return; }
    var rect = svg.getBoundingClientRect();
    var scale = Math.max(view.w / rect.width, view.h / rect.height);
    view.x = drag.vx - (ev.clientX - drag.x) * scale; view.y = drag.vy - (ev.clientY - drag.y) * scale;
    applyView();
  });
  window.addEventListener("mouseup", function () { drag = null; svg.classList.remove("panning"); });
  svg.addEventListener("click", function () { if (!search.value) { clearHighlight(); } });

  // --- filters -------------------------------------------------------------------------------
  function nodeVisible(n) {
    if (hiddenClasses[n.cls]) { return false; }
    if (!n.sources.length) { return true; }
    return n.sources.some(function (s) { return activeSources[s]; });
  }
  function edgeVisible(e) {
    return e.structural || e.sources.some(function (s) { return activeSources[s]; });
  }
  function applyFilters() {
    data.nodes.forEach(function (n) { n.element.classList.toggle("hidden", !nodeVisible(n)); });
    data.pairs.forEach(function (p) {
      var show = nodeVisible(byId[p.s]) && nodeVisible(byId[p.t]) &&
        p.edges.some(function (i) { return edgeVisible(data.edges[i]); });
      p.element.classList.toggle("hidden", !show);
    });
    if (selected) { showDetails(selected); }
  }
  function checkbox(parent, label, checked, onChange, swatch, title) {
    var l = html("label", null, null, parent);
    var box = html("input", null, null, l);
    box.type = "checkbox"; box.checked = checked;
    box.addEventListener("change", function () { onChange(box.checked); });
    if (swatch) { var s = html("span", null, "swatch", l); s.style.background = swatch; }
    l.appendChild(document.createTextNode(" " + label));
    if (title) { l.title = title; }
    return box;
  }
  var classFilter = document.getElementById("class-filter");
  Object.keys(data.classes).sort(function (a, b) { return data.classes[a].order - data.classes[b].order; })
    .forEach(function (cls) {
      var c = data.classes[cls];
      var box = checkbox(classFilter, c.label + " (" + c.count + ")", true, function (on) {
        hiddenClasses[cls] = !on; applyFilters();
      }, c.colour);
      box.setAttribute("data-class", cls);
    });
  var sourceFilter = document.getElementById("source-filter");
  Object.keys(data.sources).sort().forEach(function (sid) {
    var s = data.sources[sid];
    var box = checkbox(sourceFilter, sid + ": " + s.title, true, function (on) {
      activeSources[sid] = on; applyFilters();
    }, null, s.title);
    box.setAttribute("data-source", sid);
  });

  // --- search --------------------------------------------------------------------------------
  function matches(n, q) {
    return [n.label, n.short, n.id].concat(n.alt).some(function (t) { return t.toLowerCase().indexOf(q) >= 0; });
  }
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    var found = [];
    data.nodes.forEach(function (n) {
      var hit = q.length > 0 && nodeVisible(n) && matches(n, q);
      n.element.classList.toggle("match", hit);
      if (hit) { found.push(n); }
    });
    svg.classList.toggle("dimmed", q.length > 0 || selected !== null);
    searchCount.textContent = q ? found.length + (found.length === 1 ? " match" : " matches") : "";
    return found;
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = runSearch();
      if (found.length) { select(found[0].id); }
    }
  });

  // --- selection and details -----------------------------------------------------------------
  function clearHighlight() {
    selected = null;
    data.nodes.forEach(function (n) { n.element.classList.remove("selected", "neighbour"); });
    data.pairs.forEach(function (p) { p.element.classList.remove("hl"); });
    svg.classList.toggle("dimmed", search.value.trim().length > 0);
  }
  function select(id) {
    clearHighlight();
    selected = id;
    byId[id].element.classList.add("selected");
    data.pairs.forEach(function (p) {
      if (p.s === id || p.t === id) {
        p.element.classList.add("hl");
        byId[p.s === id ? p.t : p.s].element.classList.add("neighbour");
      }
    });
    svg.classList.add("dimmed");
    showDetails(id);
  }
  function entityLink(parent, id) {
    var n = byId[id];
    var a = html("a", n ? n.label : id, null, parent);
    if (n) { a.addEventListener("click", function () { select(id); }); }
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
      var st = data.statements[sid];
      return st.sources.some(function (s) { return activeSources[s]; });
    });
    html("h2", "Statements (" + shown.length + (shown.length < n.statements.length ? " of " + n.statements.length : "") + ")", null, details);
    shown.forEach(function (sid) {
      var st = data.statements[sid];
      var box = html("div", null, "statement", details);
      box.setAttribute("data-statement", sid);
      html("div", st.label, "title", box);
      var kind = html("div", null, "kind", box);
      if (st.planned) { html("span", "PLANNED \u00b7 ", "planned", kind); }
      kind.appendChild(document.createTextNode(st.edgeLabel + (st.when ? " \u00b7 " + st.when : "")));
      Object.keys(st.participants).forEach(function (role) {
        var who = html("div", role + ": ", "who", box);
        st.participants[role].forEach(function (pid, i) {
          if (i) { who.appendChild(document.createTextNode(", ")); }
          entityLink(who, pid);
        });
      });
      Object.keys(st.values).forEach(function (k) {
        html("div", k + ": " + st.values[k].join("; "), "who", box);
      });
      st.evidence.forEach(function (ev) {
        if (!activeSources[ev.source]) { return; }
        html("blockquote", "\u201c" + ev.quote + "\u201d", "quote", box);
        var cite = html("div", null, "cite", box);
        var src = data.sources[ev.source];
        cite.appendChild(document.createTextNode("\u2014 " + (src ? src.title : ev.source) + " [" + ev.source + "]" +
          (src && src.date ? ", " + src.date : "") + " "));
        html("span", ev.claim_kind, "claim", cite);
        if (ev.note) { html("div", "why: " + ev.note, "meta", box); }
      });
    });
  }
  window.kgView = { select: select, data: data };  // for tests and the console
}());
