// The saved-query page: list the queries, build a form from their parameters, run one through
// the REST API and show its rows. Text goes into the page with textContent only, never as HTML.
"use strict";

const state = { queries: [], prefixes: {} };
const $ = (id) => document.getElementById(id);

function shorten(iri) {
  let best = null;
  for (const [prefix, ns] of Object.entries(state.prefixes)) {
    if (iri.startsWith(ns) && (!best || ns.length > best[1].length)) best = [prefix, ns];
  }
  return best ? `${best[0]}:${iri.slice(best[1].length)}` : iri;
}

function element(tag, attrs = {}, text = null) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== null) node.textContent = text;
  return node;
}

function showError(message) {
  $("error").hidden = !message;
  $("error").textContent = message || "";
}

function current() {
  return state.queries.find((q) => q.name === $("query").value);
}

function buildForm() {
  const query = current();
  if (!query) return;
  $("summary").textContent = query.summary;
  $("description").textContent = query.description;
  const fieldset = $("params");
  fieldset.replaceChildren(element("legend", {}, "Parameters"));
  fieldset.classList.toggle("empty", query.params.length === 0);
  for (const param of query.params) {
    const id = `param-${param.name}`;
    fieldset.append(element("label", { for: id }, param.name));
    const input = element("input", {
      id, name: param.name, type: param.type === "date" ? "date" : "text",
      placeholder: param.default || "(all)", "data-param": param.name,
    });
    fieldset.append(input);
    fieldset.append(element("span", { class: "hint" },
      `${param.description}${param.default ? ` (default: ${param.default})` : ""}`));
  }
  $("sparql").textContent = "";
  fetch(`/api/queries/${encodeURIComponent(query.name)}`)
    .then((r) => r.json()).then((data) => { $("sparql").textContent = data.text || ""; })
    .catch(() => {});
}

function paramString() {
  const search = new URLSearchParams();
  for (const input of document.querySelectorAll("[data-param]")) {
    if (input.value.trim()) search.set(input.dataset.param, input.value.trim());
  }
  return search;
}

function cell(binding, variable, labels) {
  const td = element("td");
  if (!binding) return td;
  if (binding.type === "uri") {
    const text = labels[binding.value] || shorten(binding.value);
    if (/^https?:\/\//.test(binding.value)) {
      td.append(element("a", { href: binding.value, title: binding.value }, text));
    } else {
      td.textContent = text;
    }
    if (labels[binding.value]) td.append(element("div", { class: "hint" }, shorten(binding.value)));
  } else if (variable === "quote") {
    td.className = "quote";
    td.append(element("q", {}, binding.value));
  } else {
    td.textContent = binding.value;
  }
  return td;
}

function render(data) {
  const table = $("results");
  table.replaceChildren();
  // An IRI cell already shows its label, so a "fooLabel" column beside "foo" is left out.
  const vars = data.head.vars.filter((v) => !(v.endsWith("Label") &&
    data.head.vars.includes(v.slice(0, -"Label".length))));
  const head = element("tr");
  for (const variable of vars) head.append(element("th", { scope: "col" }, variable));
  const thead = element("thead");
  thead.append(head);
  table.append(thead);
  const body = element("tbody");
  for (const row of data.results.bindings) {
    const tr = element("tr");
    for (const variable of vars) tr.append(cell(row[variable], variable, data.labels));
    body.append(tr);
  }
  table.append(body);
  const count = data.results.bindings.length;
  $("status").textContent = `${count} row${count === 1 ? "" : "s"}` +
    (data.truncated ? " (cut at the server's row cap)" : "");
}

function downloads(name, search) {
  const span = $("downloads");
  span.replaceChildren();
  for (const [format, label] of [["csv", "CSV"], ["excel", "CSV (Excel)"], ["tsv", "TSV"], ["json", "JSON"]]) {
    const params = new URLSearchParams(search);
    params.set("format", format === "excel" ? "csv" : format);
    if (format === "excel") params.set("excel", "1");  // UTF-8 with a byte order mark
    span.append(element("a", { href: `/api/queries/${encodeURIComponent(name)}/run?${params}` },
      label));
  }
}

async function run(event) {
  if (event) event.preventDefault();
  const query = current();
  if (!query) return;
  showError("");
  $("status").textContent = "running…";
  const search = paramString();
  downloads(query.name, search);
  try {
    const response = await fetch(`/api/queries/${encodeURIComponent(query.name)}/run?${search}`,
      { headers: { Accept: "application/json" } });
    const data = await response.json();
    if (!response.ok) {
      $("results").replaceChildren();
      $("status").textContent = "";
      showError(data.error || `HTTP ${response.status}`);
      return;
    }
    render(data);
  } catch (error) {
    $("status").textContent = "";
    showError(`The query could not be run: ${error}`);
  }
}

async function start() {
  const response = await fetch("/api/queries");
  const data = await response.json();
  state.queries = data.queries;
  state.prefixes = data.prefixes;
  const select = $("query");
  const topics = [...new Set(state.queries.map((q) => q.topic))];
  for (const topic of topics) {
    const group = element("optgroup", { label: topic });
    for (const q of state.queries.filter((x) => x.topic === topic)) {
      group.append(element("option", { value: q.name }, `${q.name}: ${q.summary}`));
    }
    select.append(group);
  }
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (state.queries.some((q) => q.name === wanted)) select.value = wanted;
  select.addEventListener("change", () => {
    history.replaceState(null, "", `#${select.value}`);
    buildForm();
  });
  $("form").addEventListener("submit", run);
  buildForm();
  document.body.dataset.ready = "true";
}

start().catch((error) => showError(`The query list could not be loaded: ${error}`));
