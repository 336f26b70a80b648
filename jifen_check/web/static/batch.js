// The batch page: upload, progress, counts, a filterable table, downloads.
"use strict";

const csrf = document.querySelector('meta[name="csrf-token"]').content;
const $ = (id) => document.getElementById(id);
let runId = null;

function showError(text) {
  $("batch-error").textContent = text;
  $("batch-error").hidden = !text;
}

$("batch-file").addEventListener("change", () => {
  const file = $("batch-file").files[0];
  $("batch-filename").textContent = file ? file.name : "未选择文件";
});

$("batch-start").addEventListener("click", async () => {
  const file = $("batch-file").files[0];
  showError("");
  if (!file) { showError("请先选择要上传的文件"); return; }
  $("batch-done").hidden = true;
  $("batch-progress").hidden = false;
  $("batch-count").textContent = "正在上传…";
  const params = new URLSearchParams({filename: file.name, pdf: $("batch-pdf").checked,
                                      show_id: $("batch-show-id").checked});
  if ($("batch-as-of").value.trim()) params.set("as_of", $("batch-as-of").value.trim());
  const resp = await fetch("/api/batch?" + params, {method: "POST", body: file, credentials: "same-origin",
    headers: {"X-CSRF-Token": csrf, "Content-Type": "application/octet-stream"}});
  const data = await resp.json().catch(() => ({detail: "上传失败（" + resp.status + "）"}));
  if (!resp.ok) {
    $("batch-progress").hidden = true;
    showError(data.detail);
    return;
  }
  runId = data.id;
  poll();
});

async function poll() {
  const resp = await fetch("/api/batch/" + runId, {credentials: "same-origin"});
  const s = await resp.json();
  if (!resp.ok) { showError(s.detail); return; }
  $("batch-bar").max = Math.max(1, s.expected);
  $("batch-bar").value = s.done;
  $("batch-count").textContent = s.expected ? `已判断 ${s.done} / ${s.expected} 人` : "正在读取输入…";
  if (s.state === "running") { setTimeout(poll, 300); return; }
  $("batch-progress").hidden = true;
  if (s.state === "failed") { showError(s.error); return; }
  await finished(s);
}

async function finished(s) {
  const base = `/api/batch/${runId}/files/`;
  $("dl-xlsx").href = base + "summary.xlsx";
  $("dl-pdf").href = base + "summary.pdf";
  $("dl-jsonl").href = base + "results.jsonl";
  $("dl-zip").href = base + "checklists.zip";
  const hasPdf = s.files.includes("summary.pdf");
  $("dl-pdf").hidden = !hasPdf;
  $("dl-zip").hidden = !hasPdf;
  const resp = await fetch(`/ui/batch/${runId}/table`, {credentials: "same-origin"});
  $("batch-table").innerHTML = await resp.text();  // rendered and escaped by the server's jinja2
  $("batch-done").hidden = false;
  $("verdict-filter").addEventListener("change", filter);
}

function filter() {
  const want = $("verdict-filter").value;
  for (const tr of document.querySelectorAll("tr.person")) {
    tr.hidden = Boolean(want) && tr.dataset.verdict !== want;
  }
}

$("batch-delete").addEventListener("click", async () => {
  if (!runId) return;
  await fetch("/api/batch/" + runId, {method: "DELETE", credentials: "same-origin", headers: {"X-CSRF-Token": csrf}});
  runId = null;
  $("batch-done").hidden = true;
  $("batch-table").replaceChildren();
});
