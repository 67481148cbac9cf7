// The saved-query page: list the queries, build a form from their parameters (with their
// allowed values as searchable lists), run one through the REST API and show its rows and,
// for the queries that suit one, a chart of the same rows (chart.js). The address keeps the
// query and its parameters (?q=NAME&param=value), so a link opened later runs the same query.
// Text goes into the page with textContent only, never as HTML.
"use strict";

const state = { queries: [], prefixes: {}, choices: {}, run: 0 };
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

function showError(message, suggestions = [], param = null) {
  const box = $("error");
  box.hidden = !message;
  box.replaceChildren();
  if (!message) return;
  box.append(element("span", {}, message));
  if (suggestions.length && param) {
    const list = element("span", { class: "suggestions" }, " Try: ");
    for (const suggestion of suggestions) {
      const button = element("button", { type: "button", "data-value": suggestion.value },
        suggestion.label ? `${suggestion.label} (${suggestion.value})` : suggestion.value);
      button.addEventListener("click", () => {
        const input = document.querySelector(`[data-param="${CSS.escape(param)}"]`);
        if (input) input.value = suggestion.value;
        run();
      });
      list.append(button);
    }
    box.append(list);
  }
}

function clearResults() {
  state.run += 1; // an answer still on its way belongs to the old question: drop it
  $("results").replaceChildren();
  $("chart").replaceChildren();
  $("status").textContent = "";
  $("downloads").replaceChildren();
  showError("");
}

function current() {
  return state.queries.find((q) => q.name === $("query").value);
}

function choicesOf(name) {
  return state.choices[name] || null;
}

// A typed value that names one allowed value (its slug, its IRI, its label, or a part of one
// label only) becomes that value; anything else goes to the server as typed (and is refused
// there with the nearest names if the graph does not know it).
function resolve(param, text) {
  const choices = choicesOf(param);
  const wanted = text.trim().toLowerCase();
  if (!choices || !wanted) return text.trim();
  const exact = choices.find((c) => c.value.toLowerCase() === wanted ||
    c.iri.toLowerCase() === wanted || c.label.toLowerCase() === wanted);
  if (exact) return exact.value;
  const partly = choices.filter((c) => c.label.toLowerCase().includes(wanted));
  return partly.length === 1 ? partly[0].value : text.trim();
}

function addChoices(query, params) {
  state.choices = {};
  for (const param of params) {
    if (!param.values) continue;
    state.choices[param.name] = param.values;
    const input = document.getElementById(`param-${param.name}`);
    if (!input) continue;
    const list = element("datalist", { id: `values-${param.name}` });
    for (const choice of param.values) {
      list.append(element("option", { value: choice.label || choice.value,
        "data-value": choice.value }, choice.value));
    }
    input.after(list);
    input.setAttribute("list", list.id);
  }
}

function buildForm(values = {}) {
  const query = current();
  if (!query) return Promise.resolve();
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
    if (values[param.name] !== undefined) input.value = values[param.name];
    fieldset.append(input);
    fieldset.append(element("span", { class: "hint" },
      `${param.description}${param.default ? ` (default: ${param.default})` : ""}`));
  }
  $("sparql").textContent = "";
  state.choices = {};
  return fetch(`/api/queries/${encodeURIComponent(query.name)}`)
    .then((r) => r.json()).then((data) => {
      if (current() !== query) return;
      $("sparql").textContent = data.text || "";
      addChoices(query, data.params || []);
    })
    .catch(() => {});
}

function paramString() {
  const search = new URLSearchParams();
  for (const input of document.querySelectorAll("[data-param]")) {
    if (!input.value.trim()) continue;
    const value = resolve(input.dataset.param, input.value);
    input.value = value; // what is shown is what is asked (and what the link keeps)
    search.set(input.dataset.param, value);
  }
  return search;
}

function cell(binding, variable, labels) {
  const td = element("td");
  if (!binding) return td;
  if (binding.type === "uri") {
    const text = labels[binding.value] || shorten(binding.value);
    if (/^https?:\/\//.test(binding.value)) {
      td.append(element("a", { href: localHref(binding.value), title: binding.value }, text));
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
  drawChart($("chart"), data.query, data);
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

function keepInUrl(name, search) {
  const params = new URLSearchParams({ q: name });
  for (const [key, value] of search) params.set(key, value);
  history.replaceState(null, "", `${location.pathname}?${params}`);
}

async function run(event) {
  if (event) event.preventDefault();
  const query = current();
  if (!query) return;
  clearResults();
  const ticket = state.run;
  $("status").textContent = "running…";
  const search = paramString();
  keepInUrl(query.name, search);
  try {
    const response = await fetch(`/api/queries/${encodeURIComponent(query.name)}/run?${search}`,
      { headers: { Accept: "application/json" } });
    const data = await response.json();
    if (ticket !== state.run) return;
    if (!response.ok) {
      $("status").textContent = "";
      showError(data.error || `HTTP ${response.status}`, data.suggestions || [], data.param);
      return;
    }
    downloads(query.name, search);
    render(data);
  } catch (error) {
    if (ticket !== state.run) return;
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
  // ?q=NAME&param=value (a permalink: run it) or #NAME (just pick it)
  const search = new URLSearchParams(location.search);
  const linked = search.get("q");
  const wanted = linked || decodeURIComponent(location.hash.slice(1));
  const known = state.queries.some((q) => q.name === wanted);
  if (known) select.value = wanted;
  select.addEventListener("change", () => {
    clearResults();
    history.replaceState(null, "", `${location.pathname}?${new URLSearchParams({ q: select.value })}`);
    buildForm();
  });
  $("form").addEventListener("submit", run);
  const values = {};
  for (const [key, value] of search) if (key !== "q") values[key] = value;
  await buildForm(values);
  document.body.dataset.ready = "true";
  if (linked && known) await run();
}

start().catch((error) => showError(`The query list could not be loaded: ${error}`));
