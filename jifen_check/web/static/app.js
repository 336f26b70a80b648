// The one-applicant page: form <-> applicant document, live verdict, downloads.
// No inline scripts (the CSP forbids them); every text from the server is inserted as text,
// except the result fragment, which the server renders with autoescaping.
"use strict";

const DEBOUNCE_MS = 120;
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const formEl = document.getElementById("applicant");
const resultEl = document.getElementById("result");
const showId = document.getElementById("show-id");
let lastResult = null;
let seq = 0;
let timer = null;
let inflight = null;

async function post(url, body, raw, signal) {
  const headers = {"X-CSRF-Token": csrf};
  if (!raw) headers["Content-Type"] = "application/json";
  return fetch(url, {method: "POST", headers, body: raw ? body : JSON.stringify(body), credentials: "same-origin",
                     signal});
}

// ---------------------------------------------------------------- form -> document

function readValue(el) {
  const kind = el.dataset.kind;
  if (kind === "bool") {
    const def = el.dataset.default === "true";
    return el.checked === def ? undefined : el.checked;
  }
  const v = el.value.trim();
  if (v === "") return undefined;
  if (kind === "optbool") return v === "true";
  if (kind === "tristate") return v === "unknown" ? "unknown" : v === "true";
  if (kind === "number" || kind === "int") {
    const n = Number(v.replace(/[,，]/g, ""));
    return Number.isFinite(n) ? n : v;
  }
  if (kind === "dates") return v.split(/[,，;；\s]+/).filter(Boolean);
  return v;
}

function setPath(doc, path, value) {
  const parts = path.split(".");
  let node = doc;
  for (const p of parts.slice(0, -1)) {
    if (typeof node[p] !== "object" || node[p] === null) node[p] = {};
    node = node[p];
  }
  node[parts[parts.length - 1]] = value;
}

function getPath(doc, path) {
  let node = doc;
  for (const p of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = node[p];
  }
  return node;
}

function collect() {
  const doc = {format: "jifen-check/applicant@1"};
  // Field order follows the form, which follows the applicant format: the saved YAML reads naturally.
  const blocks = formEl.querySelectorAll("[data-path], .rows-block");
  for (const el of blocks) {
    if (el.classList.contains("rows-block")) {
      const rows = [];
      for (const tr of el.querySelectorAll("tbody tr.row")) {
        const row = {};
        for (const input of tr.querySelectorAll("[data-field]")) {
          const v = readValue(input);
          if (v !== undefined) row[input.dataset.field] = v;
        }
        if (Object.keys(row).length) rows.push(row);
      }
      if (rows.length) setPath(doc, el.dataset.list, rows);
      continue;
    }
    const v = readValue(el);
    if (v !== undefined) setPath(doc, el.dataset.path, v);
  }
  // The format's required lists: an empty table still means "none".
  if (!doc.social_insurance) doc.social_insurance = [];
  return doc;
}

// ---------------------------------------------------------------- document -> form

function writeValue(el, value) {
  const kind = el.dataset.kind;
  if (kind === "bool") {
    el.checked = value === undefined || value === null ? el.dataset.default === "true" : value === true;
    return;
  }
  if (value === undefined || value === null) { el.value = ""; return; }
  if (kind === "dates" && Array.isArray(value)) { el.value = value.join(", "); return; }
  el.value = typeof value === "boolean" ? String(value) : String(value);
}

function addRow(block, values) {
  const tpl = block.querySelector("template.row-template");
  const tr = tpl.content.firstElementChild.cloneNode(true);
  block.querySelector("tbody").appendChild(tr);
  for (const input of tr.querySelectorAll("[data-field]")) {
    writeValue(input, values ? values[input.dataset.field] : undefined);
  }
  return tr;
}

function fill(doc) {
  for (const el of formEl.querySelectorAll("[data-path]")) writeValue(el, getPath(doc, el.dataset.path));
  for (const block of formEl.querySelectorAll(".rows-block")) {
    block.querySelector("tbody").replaceChildren();
    const rows = getPath(doc, block.dataset.list);
    for (const row of Array.isArray(rows) ? rows : []) addRow(block, row);
  }
}

// ---------------------------------------------------------------- problems beside their fields

function clearErrors() {
  for (const el of formEl.querySelectorAll(".field-error")) { el.hidden = true; el.textContent = ""; }
  for (const el of formEl.querySelectorAll(".has-error")) el.classList.remove("has-error");
}

function targetFor(path) {
  const m = path.match(/^(.*)\[(\d+)\](?:\.([A-Za-z_]+))?/);
  if (m) {
    const block = formEl.querySelector(`.rows-block[data-list="${CSS.escape(m[1])}"]`);
    if (block) {
      const tr = block.querySelectorAll("tbody tr.row")[Number(m[2])];
      const input = tr && m[3] ? tr.querySelector(`[data-field="${CSS.escape(m[3])}"]`) : null;
      if (input) return input.closest(".field");
      if (tr) return tr.querySelector(".field");
    }
    const direct = formEl.querySelector(`[data-path="${CSS.escape(m[1])}"]`);
    if (direct) return direct.closest(".field");
  }
  const exact = formEl.querySelector(`[data-path="${CSS.escape(path)}"]`);
  if (exact) return exact.closest(".field");
  const list = formEl.querySelector(`.rows-block[data-list="${CSS.escape(path)}"]`);
  if (list) return list;
  // A missing section (`contract`): its first required field, else its first field.
  const first = formEl.querySelector(`[data-path^="${CSS.escape(path)}."][data-required]`)
    || formEl.querySelector(`[data-path^="${CSS.escape(path)}."]`);
  return first ? first.closest(".field") : null;
}

function showErrors(fields) {
  clearErrors();
  for (const p of fields) {
    const target = targetFor(p.path);
    if (!target) continue;
    const slot = target.querySelector(".field-error");
    if (!slot) continue;
    slot.textContent = (slot.textContent ? slot.textContent + "；" : "") + p.message;
    slot.hidden = false;
    slot.classList.toggle("warn", p.severity !== "error");
    if (p.severity === "error") target.classList.add("has-error");
  }
}

// ---------------------------------------------------------------- live result

async function refresh() {
  const mine = ++seq;
  if (inflight) inflight.abort();
  inflight = new AbortController();
  try {
    const resp = await post("/ui/result", {doc: collect(), show_id: showId.checked}, false, inflight.signal);
    if (!resp.ok) throw new Error(String(resp.status));
    const data = await resp.json();
    if (mine !== seq) return;
    lastResult = data.result;
    resultEl.innerHTML = data.html;  // rendered and escaped by the server's jinja2
    resultEl.dataset.seq = String(mine);
    showErrors(data.fields);
  } catch (err) {
    if (err.name !== "AbortError" && mine === seq) {
      resultEl.textContent = "无法更新结论：" + err.message;
    }
  }
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(refresh, DEBOUNCE_MS);
}

formEl.addEventListener("input", schedule);
formEl.addEventListener("change", schedule);
showId.addEventListener("change", refresh);

formEl.addEventListener("click", (ev) => {
  const t = ev.target;
  if (t.classList.contains("add-row")) {
    const tr = addRow(t.closest(".rows-block"));
    const first = tr.querySelector("input, select");
    if (first) first.focus();
    schedule();
  } else if (t.classList.contains("remove-row")) {
    t.closest("tr").remove();
    schedule();
  } else if (t.classList.contains("paste-apply")) {
    pasteRows(t.closest(".rows-block"));
  }
});

async function pasteRows(block) {
  const area = block.querySelector(".paste-text");
  const status = block.querySelector(".paste-status");
  const resp = await post("/ui/paste", {text: area.value, kind: area.dataset.pasteKind});
  const data = await resp.json();
  for (const row of data.rows) addRow(block, row);
  status.textContent = `已添加 ${data.rows.length} 行` + (data.skipped.length ? `；未识别 ${data.skipped.length} 行：${data.skipped.join("；")}` : "");
  if (data.rows.length) area.value = "";
  schedule();
}

// ---------------------------------------------------------------- files

function download(blob, name) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

function baseName() {
  const doc = collect();
  const name = (doc.person && doc.person.name) || "applicant";
  return name.replace(/[\\/:*?"<>|\s]+/g, "_");
}

document.getElementById("save-yaml").addEventListener("click", async () => {
  const resp = await post("/ui/yaml", {doc: collect()});
  download(await resp.blob(), baseName() + ".yaml");
});

document.getElementById("download-pdf").addEventListener("click", async () => {
  const resp = await post("/ui/checklist", {doc: collect(), show_id: showId.checked});
  if (!resp.ok) {
    const data = await resp.json();
    resultEl.insertAdjacentElement("afterbegin", Object.assign(document.createElement("p"),
      {className: "error-box", textContent: data.detail}));
    return;
  }
  download(await resp.blob(), baseName() + "-材料清单.pdf");
});

document.getElementById("download-json").addEventListener("click", () => {
  if (!lastResult) return;
  download(new Blob([JSON.stringify(lastResult, null, 2)], {type: "application/json"}), baseName() + "-result.json");
});

document.getElementById("open-file").addEventListener("change", async (ev) => {
  const file = ev.target.files[0];
  if (!file) return;
  const status = document.getElementById("open-status");
  const resp = await post("/ui/open?filename=" + encodeURIComponent(file.name), await file.arrayBuffer(), true);
  const data = await resp.json();
  if (!resp.ok) {
    status.textContent = "无法打开：" + data.problems.map((p) => p.message).join("；");
    return;
  }
  fill(data.doc);
  status.textContent = "已打开 " + file.name;
  ev.target.value = "";
  refresh();
});

document.getElementById("clear-form").addEventListener("click", () => {
  fill({});
  refresh();
});

refresh();
