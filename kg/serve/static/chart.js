// Charts of a saved query's rows, drawn as SVG from the very answer the table shows (one answer
// behind every output). A query gets a chart when it is listed here.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const CHARTS = {
  "stance-matrix": { kind: "bar", column: "stances", split: " ",
    title: "Stakeholder and topic pairs by the stance taken (a pair with two stances counts in both)" },
  "council-timeline": { kind: "timeline", date: "earliest", label: "label", link: "statement",
    title: "What happened, by the earliest date the sources allow" },
};

function svgElement(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

function titled(node, text) {
  node.append(svgElement("title", {}, text)); // the full text on hover, never cut
  return node;
}

function barChart(spec, rows) {
  const counts = new Map();
  for (const row of rows) {
    const cell = row[spec.column];
    if (!cell) continue;
    for (const value of cell.value.split(spec.split).filter(Boolean)) {
      counts.set(value, (counts.get(value) || 0) + 1);
    }
  }
  const bars = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const max = Math.max(1, ...bars.map(([, n]) => n));
  const left = 130, width = 640, step = 28, top = 8;
  const svg = svgElement("svg", { viewBox: `0 0 ${left + width + 60} ${top + step * bars.length + 8}`,
    width: left + width + 60, height: top + step * bars.length + 8,
    role: "img", "aria-label": spec.title, class: "chart bar-chart" });
  bars.forEach(([value, count], i) => {
    const y = top + i * step;
    const group = titled(svgElement("g", { "data-value": value, "data-count": count }),
      `${value}: ${count}`);
    group.append(svgElement("text", { x: left - 8, y: y + 17, "text-anchor": "end" }, value));
    group.append(svgElement("rect", { x: left, y: y + 3, height: step - 8,
      width: Math.max(2, (width * count) / max), class: `bar stance-${value}` }));
    group.append(svgElement("text", { x: left + (width * count) / max + 6, y: y + 17 }, String(count)));
    svg.append(group);
  });
  return svg;
}

function timeline(spec, rows, labels) {
  // (labels: the server's labels of IRIs, used when a row has no text of its own)
  const events = rows.filter((r) => r[spec.date]).map((r) => ({
    date: new Date(r[spec.date].value), text: r[spec.label] ? r[spec.label].value : "",
    iri: r[spec.link] ? r[spec.link].value : null, day: r[spec.date].value,
  }));
  if (!events.length) return null;
  const first = Math.min(...events.map((e) => e.date.getFullYear()));
  const last = Math.max(...events.map((e) => e.date.getFullYear())) + 1;
  // The axis on the left, each event's text in a column right of it (a dotted line joins a
  // dot to its text): no text overlaps a dot, another text or the edge.
  const left = 20, width = 380, step = 22, top = 30, column = left + width + 24;
  const longest = Math.max(...events.map((e) => e.text.length));
  const x = (date) => left + (width * (date.getFullYear() + date.getMonth() / 12 +
    (date.getDate() - 1) / 365 - first)) / Math.max(1, last - first);
  // Drawn at its own size (12 px text, never scaled down); the figure scrolls if it is wider.
  const [w, h] = [column + 6.5 * longest + 10, top + step * events.length + 10];
  const svg = svgElement("svg", { viewBox: `0 0 ${w} ${h}`, width: w, height: h,
    role: "img", "aria-label": spec.title, class: "chart timeline" });
  for (let year = first; year <= last; year += 1) {
    const at = x(new Date(`${year}-01-01`));
    svg.append(svgElement("line", { x1: at, x2: at, y1: top - 8, y2: top + step * events.length,
      class: "gridline" }));
    svg.append(svgElement("text", { x: at, y: top - 14, "text-anchor": "middle", class: "year" },
      String(year)));
  }
  events.forEach((event, i) => {
    const y = top + i * step + 11;
    const at = x(event.date);
    const group = titled(svgElement("g", { class: "event" }), `${event.day}: ${event.text}`);
    group.append(svgElement("circle", { cx: at, cy: y, r: 5 }));
    group.append(svgElement("line", { x1: at + 6, x2: column - 4, y1: y, y2: y, class: "leader" }));
    const text = svgElement("text", { x: column, y: y + 4 }, event.text || labels[event.iri] || "");
    if (event.iri) {
      const a = svgElement("a", { href: localHref(event.iri) });
      a.append(text);
      group.append(a);
    } else {
      group.append(text);
    }
    svg.append(group);
  });
  return svg;
}

function drawChart(container, name, data) {
  container.replaceChildren();
  const spec = CHARTS[name];
  if (!spec || !data.results.bindings.length) return;
  const rows = data.results.bindings;
  const svg = spec.kind === "bar" ? barChart(spec, rows) : timeline(spec, rows, data.labels || {});
  if (!svg) return;
  const figure = document.createElement("figure");
  const caption = document.createElement("figcaption");
  const drawn = svg.querySelectorAll("g[data-count], g.event").length;
  caption.textContent = `${spec.title} (${spec.kind === "bar" ? `${drawn} stances` :
    `${drawn} dated rows`} of the ${rows.length} rows below)`;
  figure.append(caption, svg);
  container.append(figure);
}
