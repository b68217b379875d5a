// 暫緩停用 and 通行異常警示 (SPEC §12): an officer (his ports) or an admin exempts a pass from the
// inactivity rule until a date, with a reason, and ends it early; a company reads its own
// passes' exemptions. The alerts list the suspended passes refused at a gate (last 30 days).
// PUT / DELETE /passes/{passNo}/exemption, GET /exemptions, GET /alerts.

import { el } from "./dom.js";
import { isoDate, slashDateTime } from "./format.js";
import { ALERTS, EXEMPTIONS } from "./labels.js";
import { busy } from "./ui.js";
import { normalizeIdentifier, PASS_NO_FORMAT } from "./validate.js";

const PASS_NO = /^[A-Z]{4}\d{3}-\d{6}$/;
const PAGE_SIZE = 25;
const MAX_DAYS_AHEAD = 366;
const MAX_REASON = 200;

// The Taipei calendar date, n days from now, as YYYY-MM-DD.
function taipeiDay(days = 0) {
  return isoDate(new Date(Date.now() + days * 86_400_000).toISOString());
}

// A paged table: columns [{label, value(row) | render(row)}], `load(page)` resolves an API page.
function pagedTable({ id, caption, columns, load, empty }) {
  const body = el("tbody", { id: `${id}-body` });
  const range = el("p", { id: `${id}-range` });
  const pager = el("nav", { class: "pager", "aria-label": `${caption} 分頁` });
  const status = el("div", { id: `${id}-error`, class: "alert alert-error", role: "alert", hidden: true });
  let page = 1;
  async function show(target = page) {
    let answer;
    try {
      answer = await load(target);
    } catch (error) {
      if (error.status === 401) return;
      status.textContent = error.message;
      status.hidden = false;
      return;
    }
    if (!Array.isArray(answer?.items)) {
      // Not a list page (a server without this route): say so instead of an empty table.
      status.textContent = "系統發生錯誤，請稍後再試。";
      status.hidden = false;
      return;
    }
    status.hidden = true;
    page = target;
    body.replaceChildren(...(answer.items.length === 0
      ? [el("tr", {}, el("td", { colspan: String(columns.length), class: "empty" }, empty))]
      : answer.items.map((row) =>
          el("tr", { "data-pass-no": row.passNo },
            columns.map((c, i) => el("td", { "data-label": c.label, class: [i === 0 ? "key" : null, c.wrap ? "wrap" : null].filter(Boolean).join(" ") || null },
              c.render ? c.render(row, show) : (c.value(row) || "—")))))));
    const first = answer.total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
    range.textContent = `顯示第 ${first} 至 ${Math.min(answer.total, page * PAGE_SIZE)} 項結果，共 ${answer.total} 項`;
    const last = Math.max(1, Math.ceil(answer.total / PAGE_SIZE));
    pager.replaceChildren(
      el("button", { type: "button", class: "page", disabled: page <= 1, onclick: () => show(page - 1) }, "前一頁"),
      el("span", {}, ` 第 ${page} / ${last} 頁 `),
      el("button", { type: "button", class: "page", disabled: page >= last, onclick: () => show(page + 1) }, "下一頁"),
    );
  }
  const view = [
    status,
    el("div", { class: "table-wrap", role: "region", tabindex: "0", "aria-label": caption },
      el("table", { class: "list", id },
        el("caption", { class: "visually-hidden" }, caption),
        el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col" }, c.label)))),
        body)),
    el("div", { class: "list-footer" }, range, pager),
  ];
  return { view, show };
}

// ------------------------------------------------------------------ 暫緩停用
export async function renderExemptions(container, api, role) {
  const canEdit = role === "port_officer" || role === "admin";
  const title = el("h1", { id: "screen-title", tabindex: "-1" }, EXEMPTIONS.title);
  const flash = el("div", { id: "exemption-flash", class: "alert alert-success", role: "status", tabindex: "-1", hidden: true });
  const say = (message) => {
    flash.textContent = message;
    flash.hidden = false;
  };
  const columns = [
    { label: "通行證號", value: (r) => r.passNo },
    { label: "姓名", value: (r) => r.holderName, wrap: true },
    { label: "所屬公司", value: (r) => r.orgName, wrap: true },
    { label: "領證港區", value: (r) => r.portName },
    { label: EXEMPTIONS.until, value: (r) => isoDate(r.exemptUntil) },
    { label: EXEMPTIONS.reason, value: (r) => r.reason, wrap: true },
    { label: EXEMPTIONS.setBy, value: (r) => [r.setBy, r.setAt && slashDateTime(r.setAt)].filter(Boolean).join("，"), wrap: true },
  ];
  if (canEdit) {
    columns.push({
      label: "操作",
      render: (row, reload) => el("button", { type: "button", class: "btn btn-small", "aria-label": `${EXEMPTIONS.end} ${row.passNo}`,
        onclick: async (event) => {
          if (!window.confirm(EXEMPTIONS.endConfirm(row.passNo))) return;
          const done = busy(event.currentTarget, "處理中…");
          try {
            await api.delete(`/passes/${encodeURIComponent(row.passNo)}/exemption`);
            say(EXEMPTIONS.ended(row.passNo));
            await reload();
          } catch (error) {
            done();
            if (error.status !== 401) window.alert(error.message);
          }
        } }, EXEMPTIONS.end),
    });
  }
  const table = pagedTable({
    id: "exemption-list", caption: EXEMPTIONS.listTitle, columns, empty: EXEMPTIONS.none,
    load: (page) => api.get("/exemptions", { page, pageSize: PAGE_SIZE }),
  });
  container.replaceChildren(
    title,
    el("p", {}, canEdit ? EXEMPTIONS.introOfficer : EXEMPTIONS.introCompany),
    flash,
    canEdit ? exemptionForm(api, async (message) => { say(message); await table.show(1); }) : null,
    el("h2", { id: "exemption-list-title" }, EXEMPTIONS.listTitle),
    ...table.view,
  );
  title.focus();
  await table.show(1);
}

function exemptionForm(api, onSaved) {
  const field = (id, label, input, hint) =>
    el("div", { class: "field field-text" },
      el("label", { for: id }, label), input,
      hint && el("p", { id: `${id}-hint`, class: "field-hint" }, hint),
      el("p", { id: `${id}-error`, class: "field-error", role: "alert" }));
  const passNo = el("input", { id: "exempt-pass-no", name: "passNo", autocomplete: "off", spellcheck: "false",
    autocapitalize: "characters", "aria-describedby": "exempt-pass-no-hint exempt-pass-no-error" });
  const until = el("input", { id: "exempt-until", name: "until", type: "date", min: taipeiDay(1), max: taipeiDay(MAX_DAYS_AHEAD),
    "aria-describedby": "exempt-until-hint exempt-until-error" });
  const reason = el("input", { id: "exempt-reason", name: "reason", maxlength: String(MAX_REASON),
    "aria-describedby": "exempt-reason-hint exempt-reason-error" });
  const save = el("button", { type: "submit", class: "btn btn-primary", id: "exempt-save" }, EXEMPTIONS.save);
  const setError = (input, message) => {
    document.getElementById(`${input.id}-error`).textContent = message ?? "";
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  };
  const form = el("form", { class: "filters", id: "exemption-form", "aria-labelledby": "exemption-form-title", novalidate: true },
    el("h2", { id: "exemption-form-title", class: "form-title" }, EXEMPTIONS.formTitle),
    field("exempt-pass-no", "通行證號:", passNo, `完整證號，例如 KHPS112-000045`),
    field("exempt-until", `${EXEMPTIONS.until}:`, until, EXEMPTIONS.untilHint),
    field("exempt-reason", `${EXEMPTIONS.reason}:`, reason, EXEMPTIONS.reasonHint),
    el("div", { class: "filter-actions" }, save),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = { passNo: normalizeIdentifier(passNo.value), until: until.value, reason: reason.value.trim() };
    const problems = [
      [passNo, PASS_NO.test(values.passNo) ? null : PASS_NO_FORMAT],
      [until, values.until && values.until > taipeiDay(0) && values.until <= taipeiDay(MAX_DAYS_AHEAD) ? null : EXEMPTIONS.untilHint],
      [reason, values.reason ? null : EXEMPTIONS.reasonRequired],
    ];
    problems.forEach(([input, message]) => setError(input, message));
    const first = problems.find(([, message]) => message);
    if (first) {
      first[0].focus();
      return;
    }
    const done = busy(save, "儲存中…");
    try {
      await api.put(`/passes/${encodeURIComponent(values.passNo)}/exemption`, { until: values.until, reason: values.reason });
      form.reset();
      await onSaved(EXEMPTIONS.saved(values.passNo, values.until));
    } catch (error) {
      if (error.status === 401) return;
      // A 400 names its field in details; any other refusal is about the pass.
      const fields = (error.details ?? []).map((d) => String(d?.field ?? d?.loc ?? "")).join(" ");
      const target = /until/i.test(fields) ? until : /reason/i.test(fields) ? reason : passNo;
      setError(target, error.message);
      target.focus();
    } finally {
      done();
    }
  });
  return form;
}

// ------------------------------------------------------------------ 通行異常警示
export async function renderAlerts(container, api) {
  const title = el("h1", { id: "screen-title", tabindex: "-1" }, ALERTS.title);
  const table = pagedTable({
    id: "alert-list", caption: ALERTS.title, empty: ALERTS.none,
    columns: [
      { label: "通行證號", value: (r) => r.passNo },
      { label: "姓名", value: (r) => r.holderName, wrap: true },
      { label: "所屬公司", value: (r) => r.orgName, wrap: true },
      { label: "領證港區", value: (r) => r.portName },
      { label: ALERTS.gate, value: (r) => r.gateId },
      { label: ALERTS.at, value: (r) => slashDateTime(r.presentedAt) },
    ],
    load: (page) => api.get("/alerts", { page, pageSize: PAGE_SIZE }),
  });
  container.replaceChildren(title, el("p", {}, ALERTS.intro), ...table.view);
  title.focus();
  await table.show(1);
}
