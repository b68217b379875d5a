// SPEC v1.1 on the screens: 預計停用日, 所屬公司, tab counts (GET /summary), "will be voided",
// who applied first (409), the passNo prefix hint, withdrawal (撤回申請) and batch
// reinstatement (批次停用恢復). app.js calls these through a few small hooks; the batch and
// withdrawal flows live in batch.js.

import { batchToolbar, initBatch, resetSelection, selectColumn, syncSelection, withdrawColumn } from "./batch.js";

export { resetSelection };
import { isoDate, slashDate, slashDateTime } from "./format.js";
import { LABELS, MESSAGES } from "./labels.js";

const DUE_SOON_DAYS = 7;
const OFFICE_ROLES = new Set(["port_officer", "admin"]);

// The Taipei calendar date of now, as YYYY-MM-DD (the highlight is for people reading the list now).
export function taipeiToday(now = new Date()) {
  return isoDate(now.toISOString());
}

function daysBetween(fromIso, toIso) {
  return Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / 86_400_000);
}

// True when the pass will be suspended within the next 7 days (today included).
export function dueSoon(expectedOn, today = taipeiToday()) {
  if (!expectedOn) return false;
  return daysBetween(today, expectedOn) <= DUE_SOON_DAYS;
}

const expectedSuspension = {
  label: "預計停用日",
  value: (r) => (r.expectedSuspensionOn ? isoDate(r.expectedSuspensionOn) : "不會停用（證件先到期）"),
  cellClass: (r) => (dueSoon(r.expectedSuspensionOn) ? "due-soon" : null),
  title: (r) => (dueSoon(r.expectedSuspensionOn) ? "7 天內將停用" : null),
};
const orgName = { label: "所屬公司", value: (r) => r.orgName ?? "", wrap: true };

// Adds the v1.1 columns to the tabs, once per sign-in role. Base columns are kept so that a
// different role (another sign-in) starts again from the manual's columns.
export function decorateTabs(screens, role, { historyStatus }) {
  for (const screen of Object.values(screens)) {
    for (const tab of screen.tabs) {
      tab.baseColumns ??= tab.columns;
      let columns = [...tab.baseColumns];
      if (tab.query?.tier === 5) columns.splice(columns.findIndex((c) => c.label === "比對日期") + 1, 0, expectedSuspension);
      if (tab.query?.scope === "own" && OFFICE_ROLES.has(role)) columns.splice(1, 0, orgName);
      if (tab.path === "/reinstatements") {
        columns = columns.map((c) => (c === historyStatus ? { ...c, value: historyStatusText } : c));
        columns.push(withdrawColumn);
      }
      if (isBatchTab(tab)) columns.unshift(selectColumn);
      tab.columns = columns;
    }
  }
}

// 狀態 on the history: 已作廢 with its reason; a pending record that will be voided says so;
// an EXEMPTION record (暫緩停用 / 結束暫緩) says until when and why.
export function historyStatusText(row) {
  // SPEC §12: an exemption set or ended early, with until when and why.
  if (row.type === "EXEMPTION") {
    const until = row.exemptUntil ? `${LABELS.exemptUntil} ${slashDate(row.exemptUntil)}` : "";
    return `${row.statusLabel}（${[until, row.reason].filter(Boolean).join("，")}）`;
  }
  if (row.status === "VOIDED" && row.voidReasonLabel) return `${row.statusLabel}（${row.voidReasonLabel}）`;
  if (row.status === "PENDING" && row.willBeVoided) return `${row.statusLabel}（將作廢：${row.voidReasonLabel ?? ""}）`;
  // SPEC §6: a withdrawal keeps when and by whom.
  if (row.status === "WITHDRAWN" && row.withdrawnAt) {
    return `${row.statusLabel}（${MESSAGES.withdrawn(slashDateTime(row.withdrawnAt), row.withdrawnBy || "—")}）`;
  }
  return row.statusLabel;
}

// The reinstatable row's pending application, when the 06:00 job will void it (SPEC §6).
export function willBeVoidedText(row) {
  const pending = row.reinstatement;
  if (!pending || pending.status !== "PENDING" || !pending.willBeVoided) return null;
  return `已申請恢復，但${pending.voidReasonLabel ?? "此通行證無法恢復"}，申請將於 ${slashDateTime(pending.effectiveAt)} 作廢，不會恢復使用。`;
}

// 409 REINSTATEMENT_PENDING: who applied first, and when it takes effect (SPEC §6).
export function pendingConflictText(error) {
  if (error?.code !== "REINSTATEMENT_PENDING") return null;
  const detail = (error.details ?? []).find((d) => d && d.appliedOn && d.effectiveAt);
  if (!detail) return null;
  const who = detail.byOwnGrantee ? "由貴單位" : "由其他單位";
  return `此通行證已於 ${slashDate(detail.appliedOn)} ${who}申請恢復，將於 ${slashDateTime(detail.effectiveAt)} 恢復使用。`;
}

// The text of a refusal as people should read it (the 409 sentence when it applies).
export function refusalText(error) {
  return pendingConflictText(error) ?? error?.message ?? "";
}

// 通行證號 filter: the field says it takes a whole number or its first 4+ characters.
export function decorateFilters() {
  const input = document.getElementById("f-pass-no");
  if (!input || document.getElementById("f-pass-no-hint")) return;
  const hint = document.createElement("small");
  hint.id = "f-pass-no-hint";
  hint.className = "field-hint";
  hint.textContent = "輸入完整證號或前 4 碼以上（如 KHPS112-000045 或 KHPS）";
  input.setAttribute("aria-describedby", hint.id);
  input.insertAdjacentElement("afterend", hint);
}

// Tab id -> its count in GET /summary.
const COUNT_OF = {
  own6: (s) => s.inactive.own["6"],
  other6: (s) => s.inactive.other["6"],
  own5: (s) => s.inactive.own["5"],
  other5: (s) => s.inactive.other["5"],
  // The own tab counts what is still to apply for: an application takes its pass off the
  // count at once, though the row stays listed (待生效) until 06:00 (docs/decisions.md).
  own: (s) => Math.max(0, s.reinstatable.own - (s.pending ?? 0)),
  other: (s) => s.reinstatable.other,
};
const COUNT_TITLE = {
  own: (s) => `尚待申請 ${COUNT_OF.own(s)} 筆（另 ${s.pending ?? 0} 筆已申請、待生效）`,
};

// The last summary: the tabs keep their counts while a list reloads or fails (issue 27).
let lastSummary = null;

// 「所屬通行證 6個月未通行 (27)」: the counts come from GET /summary (counters, no list read).
export async function showTabCounts(api, screen) {
  try {
    lastSummary = await api.get("/summary");
  } catch {
    // the tabs keep their last counts; the list itself shows any error
  }
  paintTabCounts(screen);
}

export function forgetTabCounts() {
  lastSummary = null;
}

// The counts of the last summary on the tabs (a freshly drawn tab bar gets them at once).
export function paintTabCounts(screen) {
  const summary = lastSummary;
  if (!summary) return;
  for (const tab of screen.tabs) {
    const count = COUNT_OF[tab.id]?.(summary);
    const link = document.getElementById(`tab-${tab.id}`);
    if (!link || count === undefined) continue;
    let badge = link.querySelector(".tab-count");
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "tab-count";
      link.append(badge);
    }
    badge.textContent = ` (${count.toLocaleString("en-US")})`;
    const title = COUNT_TITLE[tab.id]?.(summary);
    if (title) badge.title = title;
  }
}

// A prefix search's total is counted up to 1,000 rows: the footer says 「1,000+」.
export function showCappedTotal(answer) {
  if (!answer?.totalCapped) return;
  const range = document.getElementById("list-range");
  if (range) range.textContent = range.textContent.replace(/共 \d+ 項/, "共 1,000+ 項（請輸入更長的通行證號）");
}

const isBatchTab = (tab) => tab.path === "/reinstatable-passes" && tab.query?.scope === "own";

// Hooks of app.js ----------------------------------------------------------------------------
// Once, at start: what the flows need from the screen.
export function initFeatures({ api, reload, flash }) {
  initBatch({ api, reload, flash, refusalText });
}

// Extra toolbar buttons of a tab (批次停用恢復 on the own reinstatement tab).
export function toolbarFor(tab) {
  return isBatchTab(tab) ? batchToolbar() : null;
}

// After a list page is shown: the selection (kept across pages) shown, capped totals, fresh
// tab counts.
export function afterListLoad(api, screen, answer) {
  syncSelection();
  showCappedTotal(answer);
  showTabCounts(api, screen);
}
