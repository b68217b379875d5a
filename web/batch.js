// 批次停用恢復 (POST /reinstatement-batches) on the own reinstatement tab, and 撤回申請
// (DELETE /reinstatements/{id}) on the history (SPEC §6 v1.1). Each flow asks for its own
// confirmation in a dialog built here, then shows the system's answer.

import { slashDateTime } from "./format.js";
import { el } from "./dom.js";
import { LABELS, MESSAGES } from "./labels.js";

const MAX_BATCH = 100;
let context = null; // { api, reload, flash, refusalText }
// passNo -> row: kept across pages of the same tab (cleared on a new tab or search, and after
// a batch), so a clerk can pick passes on several pages and apply once.
const selected = new Map();

export function initBatch(options) {
  context = options;
}

// ------------------------------------------------------------------ selection
export function resetSelection() {
  selected.clear();
  updateBatchButton();
}

// After a page is drawn: its boxes and 全選 show what is selected, the toolbar the count.
export function syncSelection() {
  updateSelectAll();
  updateBatchButton();
}

function updateSelectAll() {
  const all = document.getElementById("select-all");
  if (!all) return;
  const boxes = selectableBoxes();
  all.checked = boxes.length > 0 && boxes.every((b) => b.checked);
  all.indeterminate = !all.checked && boxes.some((b) => b.checked);
}

function selectableBoxes() {
  return [...document.querySelectorAll("#list-body input.select-pass:not(:disabled)")];
}

function onToggle(row, box) {
  if (box.checked) selected.set(row.passNo, row);
  else selected.delete(row.passNo);
  updateSelectAll();
  updateBatchButton();
}

function onToggleAll(event) {
  setPage(event.currentTarget.checked);
}

// 全選本頁: every pass of this page that may be reinstated (a second press unselects them).
function onSelectPage() {
  const boxes = selectableBoxes();
  setPage(!(boxes.length > 0 && boxes.every((b) => b.checked)));
}

function onClearSelection() {
  for (const box of selectableBoxes()) box.checked = false;
  resetSelection();
  updateSelectAll();
  document.getElementById("select-page")?.focus();
}

function setPage(on) {
  for (const box of selectableBoxes()) {
    if (box.checked !== on) {
      box.checked = on;
      box.dispatchEvent(new Event("change"));
    }
  }
}

function updateBatchButton() {
  const button = document.getElementById("batch-reinstate");
  if (!button) return;
  button.disabled = selected.size === 0;
  button.textContent = selected.size ? `批次停用恢復（已選 ${selected.size} 筆）` : "批次停用恢復";
  const note = document.getElementById("selection-note");
  if (note) note.textContent = selected.size ? MESSAGES.selectionKept(selected.size) : "";
  const clear = document.getElementById("clear-selection");
  if (clear) clear.hidden = selected.size === 0;
}

// The 選取 column of the own reinstatement tab: one box per pass that may be reinstated.
export const selectColumn = {
  label: "選取",
  csv: false,
  header: () =>
    el("th", { scope: "col", class: "select" },
      el("label", { title: "全選本頁可申請的通行證" },
        el("input", { type: "checkbox", id: "select-all", onchange: onToggleAll }), "全選")),
  render: (row) =>
    el("input", {
      type: "checkbox",
      class: "select-pass",
      "aria-label": `選取 ${row.passNo}`,
      disabled: !row.canReinstate,
      checked: selected.has(row.passNo),
      onchange: (event) => onToggle(row, event.currentTarget),
    }),
};

export function batchToolbar() {
  return el("div", { class: "batch-bar", id: "batch-bar", role: "group", "aria-label": "批次停用恢復" },
    el("button", { type: "button", class: "btn", id: "select-page", onclick: onSelectPage }, LABELS.selectPage),
    el("button", { type: "button", class: "btn btn-primary", id: "batch-reinstate", disabled: true, onclick: onBatch },
      "批次停用恢復"),
    el("span", { id: "selection-note", class: "selection-note", role: "status" }),
    el("button", { type: "button", class: "btn btn-small", id: "clear-selection", hidden: true,
      onclick: onClearSelection }, LABELS.clearSelection),
  );
}

// ------------------------------------------------------------------ dialogs
function dialog({ id, title, body, confirmLabel, cancelLabel = "取消" }) {
  document.getElementById(id)?.remove();
  const titleId = `${id}-title`;
  const box = el("dialog", { id, "aria-labelledby": titleId },
    el("form", { method: "dialog" },
      el("h2", { id: titleId }, title),
      body,
      el("div", { class: "dialog-actions" },
        el("button", { class: "btn btn-primary", value: "confirm", autofocus: true }, confirmLabel),
        cancelLabel && el("button", { class: "btn", value: "cancel" }, cancelLabel),
      ),
    ),
  );
  document.body.append(box);
  return new Promise((resolve) => {
    box.addEventListener("close", () => {
      resolve(box.returnValue);
      box.remove();
    }, { once: true });
    box.showModal();
  });
}

// ------------------------------------------------------------------ batch
async function onBatch(event) {
  const rows = [...selected.values()];
  if (rows.length === 0) return;
  const origin = event.currentTarget;
  if (rows.length > MAX_BATCH) {
    await dialog({ id: "batch-result", title: "批次停用恢復", body: el("p", {}, `一次最多 ${MAX_BATCH} 筆。`),
      confirmLabel: "確定", cancelLabel: null });
    return;
  }
  const answer = await dialog({
    id: "batch-confirm",
    title: "批次停用恢復",
    body: [
      el("p", {}, `確定申請恢復以下 ${rows.length} 筆通行證？通行證將於翌日06:00恢復使用。`),
      el("ul", { class: "batch-list" }, rows.map((r) => el("li", {}, `${r.passNo}（${r.holderName}）`))),
    ],
    confirmLabel: "確定",
  });
  if (answer !== "confirm") {
    origin.focus();
    return;
  }
  let result;
  try {
    result = await context.api.post("/reinstatement-batches", { passNos: rows.map((r) => r.passNo) });
  } catch (error) {
    if (error.status === 401) return;
    await dialog({ id: "batch-result", title: "無法批次申請", body: el("p", { role: "alert" }, error.message),
      confirmLabel: "確定", cancelLabel: null });
    return;
  }
  const ok = result.results.filter((r) => r.status === 200 || r.status === 201);
  const failed = result.results.filter((r) => !(r.status === 200 || r.status === 201));
  const summary = `成功 ${ok.length} 筆、失敗 ${failed.length} 筆`;
  await dialog({
    id: "batch-result",
    title: "批次停用恢復結果",
    body: [
      el("p", { id: "batch-summary", role: "status" }, summary),
      ok.length > 0 && el("p", {}, "申請恢復成功，通行證將於翌日06:00恢復使用"),
      failed.length > 0 && el("ul", { class: "batch-failures" },
        failed.map((r) => el("li", {}, `${r.passNo}：${context.refusalText(errorOf(r))}`))),
    ],
    confirmLabel: "確定",
    cancelLabel: null,
  });
  resetSelection();
  await context.reload();
  context.flash(`批次停用恢復：${summary}`);
}

function errorOf(result) {
  const error = result.error ?? {};
  return { code: error.code, message: error.message ?? `HTTP ${result.status}`, details: error.details ?? [] };
}

// ------------------------------------------------------------------ withdrawal
// The 操作 column of the history: 撤回申請 on the rows the caller may withdraw now.
export const withdrawColumn = {
  label: "操作",
  csv: false,
  render: (row) =>
    row.canWithdraw
      ? el("button", { type: "button", class: "btn btn-small", "aria-label": `撤回申請 ${row.passNo}`,
          onclick: (event) => onWithdraw(row, event.currentTarget) }, "撤回申請")
      : "",
};

async function onWithdraw(row, button) {
  const answer = await dialog({
    id: "withdraw-confirm",
    title: "撤回申請",
    body: el("p", {},
      `確定撤回通行證 ${row.passNo}（${row.holderName}）的恢復申請？撤回後通行證維持停用，` +
      `不會於 ${slashDateTime(row.effectiveAt)} 恢復使用。`),
    confirmLabel: "確定撤回",
  });
  if (answer !== "confirm") {
    button.focus();
    return;
  }
  let message;
  try {
    await context.api.delete(`/reinstatements/${encodeURIComponent(row.reinstatementId)}`);
    message = `${row.passNo}：已撤回恢復申請。`;
  } catch (error) {
    if (error.status === 401) return;
    await dialog({ id: "withdraw-result", title: "無法撤回", body: el("p", { role: "alert" }, error.message),
      confirmLabel: "確定", cancelLabel: null });
    await context.reload();
    return;
  }
  await context.reload();
  context.flash(message);
}
