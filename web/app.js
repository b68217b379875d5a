// The screens of the manual (seed/000_9e260afe29d8b7bb.txt) over the API of SPEC §9.
// Plain ES modules, no build step. Routes: #/login, #/records/<tab>, #/reinstatement/<tab>.

import { createApi, fetchAllPages } from "./api.js";
import { createLocalAuth, createOidcAuth } from "./auth.js";
import { download, toCsv } from "./csv.js";
import { isoDate, slashDate, slashDateTime, waitText } from "./format.js";
import * as v11 from "./features.js";

const CONFIG = { apiBase: "", auth: "local", oidc: {}, ...(window.PORTPASS_CONFIG ?? {}) };
const PAGE_SIZES = [10, 25, 50, 100];
const ROLE_LABELS = { company: "業者", port_officer: "港務審核", admin: "系統管理者", issuer: "製證系統" };

// ------------------------------------------------------------------ columns (the manual's)
const column = (label, value, extra = {}) => ({ label, value, ...extra });
const COLUMNS = {
  passNo: column("通行證號", (r) => r.passNo),
  holderId: column("身分證號", (r) => r.holderId),
  holderIdHistory: column("身分證字號", (r) => r.holderId),
  holderName: column("姓名", (r) => r.holderName),
  validFrom: column("有效起日", (r) => isoDate(r.validFrom)),
  validTo: column("有效迄日", (r) => isoDate(r.validTo)),
  lastPassage: column("最近通行時間", (r) => isoDate(r.lastPassageAt)),
  comparedOn: column("比對日期", (r) => isoDate(r.comparedOn)),
  port: column("領證港區", (r) => r.portName),
  passStatus: column("通行證狀態", (r) => r.statusLabel),
  appliedOn: column("申請恢復日期", (r) => slashDate(r.appliedOn), { sortKey: "appliedOn" }),
  effectiveAt: column("恢復通行時間", (r) => slashDateTime(r.effectiveAt)),
  executor: column("執行人", (r) => r.executor),
  historyStatus: column("狀態", (r) => r.statusLabel),
};
const C = COLUMNS;
const INACTIVE_OWN = [C.passNo, C.holderId, C.holderName, C.validFrom, C.validTo, C.lastPassage, C.comparedOn, C.port, C.passStatus];
const INACTIVE_OTHER = INACTIVE_OWN.filter((c) => c !== C.holderId); // SPEC §5: no holder ID at all
const REINSTATABLE = [C.passNo, C.holderId, C.holderName, C.validFrom, C.validTo, C.lastPassage, C.port, C.passStatus];
const HISTORY = [C.passNo, C.holderIdHistory, C.holderName, C.port, C.appliedOn, C.effectiveAt, C.executor, C.historyStatus];

// Statuses a row of each tier can carry (a suspended pass that expires stays listed, SPEC §4):
// the 狀態 filter offers only these, labelled from GET /reference.
const TIER_STATUSES = { 6: ["SUSPENDED_INACTIVE", "EXPIRED"], 5: ["ACTIVE"] };

const inactiveTab = (id, label, tier, scope, csv) => ({
  id, label, csv, path: "/inactive-passes", query: { tier, scope },
  columns: scope === "own" ? INACTIVE_OWN : INACTIVE_OTHER, statuses: TIER_STATUSES[tier],
});

const SCREENS = {
  records: {
    title: "人員通行記錄",
    notices: "inactivePasses",
    tabs: [
      inactiveTab("own6", "所屬通行證 6個月未通行", 6, "own", "人員通行記錄_所屬6個月"),
      inactiveTab("other6", "非所屬通行證 6個月未通行", 6, "other", "人員通行記錄_非所屬6個月"),
      inactiveTab("own5", "所屬通行證 5個月未通行", 5, "own", "人員通行記錄_所屬5個月"),
      inactiveTab("other5", "非所屬通行證 5個月未通行", 5, "other", "人員通行記錄_非所屬5個月"),
    ],
  },
  reinstatement: {
    title: "未通行停用恢復申請",
    notices: "reinstatement",
    tabs: [
      { id: "own", label: "所屬通行證", path: "/reinstatable-passes", query: { scope: "own" },
        columns: REINSTATABLE, action: true, csv: "未通行停用恢復申請_所屬" },
      { id: "other", label: "非所屬通行證", path: "/reinstatable-passes", query: { scope: "other" },
        columns: REINSTATABLE, action: true, csv: "未通行停用恢復申請_非所屬" },
      { id: "history", label: "恢復歷程查詢", path: "/reinstatements", query: {},
        columns: HISTORY, sortable: true, csv: "恢復歷程查詢" },
    ],
  },
};

// ------------------------------------------------------------------ state
const blankFilters = () => ({ port: "", holderId: "", passNo: "", status: "" });
const state = {
  reference: null,
  screens: {
    records: { filters: blankFilters(), page: 1, pageSize: 10 },
    reinstatement: { filters: blankFilters(), page: 1, pageSize: 10, sort: "-appliedOn" },
  },
  current: null, // { screenId, tabId }
  loadSeq: 0,
  signInNotice: "",
};

const auth = CONFIG.auth === "oidc" ? createOidcAuth(CONFIG.oidc) : createLocalAuth();
const api = createApi({
  apiBase: CONFIG.apiBase,
  token: () => auth.token(),
  onUnauthorized: (error) => {
    state.signInNotice = error.message;
    auth.expired();
  },
});

// ------------------------------------------------------------------ DOM helpers
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "value") el.value = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  return setChildren(el, ...children);
}

// Children may be nested arrays; null, undefined and false leave no trace.
function setChildren(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

const $ = (selector) => document.querySelector(selector);
const main = () => $("#main");

// ------------------------------------------------------------------ routing
function parseHash() {
  const [screenId = "", tabId = ""] = window.location.hash.replace(/^#\/?/, "").split("/");
  return { screenId, tabId };
}

async function route() {
  const { screenId, tabId } = parseHash();
  if (screenId === "login" && auth.mode === "local") {
    renderSignIn();
    return;
  }
  if (!auth.token()) {
    if (auth.mode === "local") window.location.hash = "#/login";
    else await auth.start();
    return;
  }
  const screen = SCREENS[screenId];
  if (!screen) {
    window.location.hash = "#/records/own6";
    return;
  }
  const tab = screen.tabs.find((t) => t.id === tabId);
  if (!tab) {
    window.location.replace(`#/${screenId}/${screen.tabs[0].id}`);
    return;
  }
  showChrome(true);
  if (!(await ensureReference())) return;
  v11.decorateTabs(SCREENS, auth.claims()?.["custom:role"], { historyStatus: C.historyStatus });
  const previous = state.current;
  const sameScreen = previous?.screenId === screenId;
  const focusedTab = document.activeElement?.getAttribute("role") === "tab";
  if (!sameScreen || previous.tabId !== tabId) {
    state.screens[screenId].page = 1;
    if (!tab.statuses?.includes(state.screens[screenId].filters.status)) state.screens[screenId].filters.status = "";
  }
  state.current = { screenId, tabId };
  renderScreen(screen, tab);
  if (focusedTab) document.getElementById(`tab-${tab.id}`)?.focus();
  else if (!sameScreen) $("#screen-title")?.focus();
  await loadList();
}

async function ensureReference() {
  if (state.reference) return true;
  try {
    state.reference = normalizeReference(await api.get("/reference"));
    return true;
  } catch (error) {
    if (error.status === 401) return false;
    main().replaceChildren(h("div", { class: "alert alert-error", role: "alert" }, error.message));
    return false;
  }
}

// GET /reference lists ports and statuses as {code: label} maps or as [{code, label|name}].
function normalizeReference(reference) {
  const pairs = (value) =>
    Array.isArray(value)
      ? value.map((x) => ({ code: x.code, label: x.label ?? x.name ?? x.code }))
      : Object.entries(value ?? {}).map(([code, label]) => ({
          code,
          label: typeof label === "string" ? label : (label?.label ?? label?.name ?? code),
        }));
  return {
    ports: pairs(reference?.ports),
    statuses: pairs(reference?.statuses),
    notices: reference?.notices ?? {},
    messages: reference?.messages ?? null,
  };
}

function showChrome(signedIn) {
  $("#sidenav").hidden = !signedIn;
  $("#account").hidden = !signedIn;
  if (!signedIn) return;
  const claims = auth.claims() ?? {};
  const role = ROLE_LABELS[claims["custom:role"]] ?? "";
  $("#who").textContent = [claims.name ?? claims.sub ?? "", role && `（${role}）`].join("");
  const { screenId } = parseHash();
  for (const link of document.querySelectorAll("#sidenav a")) {
    if (link.dataset.screen === screenId) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

// ------------------------------------------------------------------ sign-in (local mode)
async function renderSignIn() {
  showChrome(false);
  state.current = null;
  state.reference = null;
  state.screens.records = { filters: blankFilters(), page: 1, pageSize: 10 };
  state.screens.reinstatement = { filters: blankFilters(), page: 1, pageSize: 10, sort: "-appliedOn" };
  document.title = "登入 - 通行證資訊網";
  const list = h("ul", { class: "user-list", "aria-labelledby": "sign-in-title" });
  const notice = state.signInNotice;
  state.signInNotice = "";
  main().replaceChildren(
    h("section", { class: "sign-in" },
      h("h1", { id: "sign-in-title", tabindex: "-1" }, "登入（本機示範帳號）"),
      h("p", {}, "本機執行環境：請選擇一個示範帳號登入。部署至 AWS 時，改由單位的身分識別服務登入。"),
      notice && h("div", { class: "alert alert-error", role: "alert" }, notice),
      h("div", { id: "sign-in-error", class: "alert alert-error", role: "alert", hidden: true }),
      list,
    ),
  );
  $("#sign-in-title").focus();
  let users;
  try {
    users = await auth.listUsers(api);
  } catch (error) {
    showSignInError(error.message);
    return;
  }
  list.replaceChildren(
    ...users.map((user) => {
      const ports = Array.isArray(user.ports) ? user.ports.join(", ") : (user.ports ?? "");
      const detail = [ROLE_LABELS[user.role] ?? user.role, user.orgName || user.orgId, ports && `港區 ${ports}`]
        .filter(Boolean)
        .join("・");
      return h("li", {},
        h("button", { type: "button", class: "user-card", "data-username": user.username,
          onclick: () => signIn(user.username) },
          h("span", { class: "user-name" }, user.name ?? user.username),
          h("span", { class: "user-detail" }, `${user.username}・${detail}`),
        ),
      );
    }),
  );
}

function showSignInError(message) {
  const box = $("#sign-in-error");
  box.textContent = message;
  box.hidden = false;
}

async function signIn(username) {
  try {
    await auth.signIn(api, username);
  } catch (error) {
    showSignInError(error.message);
    return;
  }
  window.location.hash = "#/records/own6";
}

// ------------------------------------------------------------------ a list screen
function renderScreen(screen, tab) {
  const view = state.screens[state.current.screenId];
  document.title = `${screen.title}｜${tab.label} - 通行證資訊網`;
  const notices = state.reference.notices[screen.notices] ?? [];
  const statusOptions = tab.statuses ?? null;
  const statusLabel = (code) => state.reference.statuses.find((s) => s.code === code)?.label ?? code;

  const form = h("form", { class: "filters", role: "search", "aria-label": "查詢條件", onsubmit: onSearch },
    h("div", { class: "field" },
      h("label", { for: "f-port" }, "領證港區:"),
      h("select", { id: "f-port", name: "port" },
        h("option", { value: "" }, "全部"),
        state.reference.ports.map((p) => h("option", { value: p.code, selected: view.filters.port === p.code }, p.label)),
      ),
    ),
    h("div", { class: "field" },
      h("label", { for: "f-holder-id" }, "身分證字號:"),
      h("input", { id: "f-holder-id", name: "holderId", value: view.filters.holderId, autocomplete: "off", spellcheck: "false" }),
    ),
    h("div", { class: "field" },
      h("label", { for: "f-pass-no" }, "通行證號:"),
      h("input", { id: "f-pass-no", name: "passNo", value: view.filters.passNo, autocomplete: "off", spellcheck: "false" }),
    ),
    statusOptions && h("div", { class: "field" },
      h("label", { for: "f-status" }, "狀態:"),
      h("select", { id: "f-status", name: "status" },
        h("option", { value: "" }, "全部"),
        statusOptions.map((code) => h("option", { value: code, selected: view.filters.status === code }, statusLabel(code))),
      ),
    ),
    h("button", { type: "submit", class: "btn btn-primary" }, "查詢"),
  );

  const tabs = h("div", { class: "tabs", role: "tablist", "aria-label": screen.title, onkeydown: onTabKey },
    screen.tabs.map((t) =>
      h("a", { role: "tab", id: `tab-${t.id}`, href: `#/${state.current.screenId}/${t.id}`,
        "aria-selected": String(t.id === tab.id), "aria-controls": "list-panel",
        tabindex: t.id === tab.id ? "0" : "-1" }, t.label),
    ),
  );

  const panel = h("section", { id: "list-panel", role: "tabpanel", "aria-labelledby": `tab-${tab.id}` },
    h("div", { class: "list-toolbar" },
      h("label", { class: "page-size" }, "顯示 ",
        h("select", { id: "page-size", onchange: onPageSize },
          PAGE_SIZES.map((n) => h("option", { value: String(n), selected: view.pageSize === n }, String(n))),
        ),
        " 項結果"),
      v11.toolbarFor(tab),
      h("button", { type: "button", class: "btn", id: "export-csv", onclick: onExport }, "匯出 CSV"),
    ),
    h("div", { id: "list-status", role: "status", class: "visually-hidden" }),
    h("div", { class: "table-wrap", id: "table-wrap", role: "region", tabindex: "0", "aria-label": `${tab.label} 列表` },
      h("table", { class: "list" },
        h("thead", {}, h("tr", {}, tab.columns.map((c) => headerCell(c, view)), tab.action && h("th", { scope: "col" }, "操作"))),
        h("tbody", { id: "list-body" }),
      ),
    ),
    h("div", { class: "list-footer" },
      h("p", { id: "list-range" }),
      h("nav", { id: "pager", class: "pager", "aria-label": "分頁" }),
    ),
  );

  setChildren(main(),
    h("h1", { id: "screen-title", tabindex: "-1" }, screen.title),
    notices.length > 0 && h("div", { class: "notice", role: "note", "aria-label": "注意事項" },
      h("ol", {}, notices.map((text) => h("li", {}, text)))),
    h("div", { id: "flash", class: "alert alert-success", role: "status", tabindex: "-1", hidden: true }),
    h("div", { id: "page-error", class: "alert alert-error", role: "alert", hidden: true }),
    form,
    tabs,
    panel,
  );
  v11.decorateFilters();
}

function headerCell(col, view) {
  if (col.header) return col.header();
  if (!col.sortKey) return h("th", { scope: "col" }, col.label);
  const descending = view.sort === `-${col.sortKey}`;
  return h("th", { scope: "col", "aria-sort": descending ? "descending" : "ascending" },
    h("button", { type: "button", class: "sort", id: "sort-applied-on", onclick: onSort,
      title: descending ? "目前由新到舊，按此改為由舊到新" : "目前由舊到新，按此改為由新到舊" },
      col.label, h("span", { class: "arrow", "aria-hidden": "true" }, descending ? "▼" : "▲")),
  );
}

function currentTab() {
  const { screenId, tabId } = state.current;
  return SCREENS[screenId].tabs.find((t) => t.id === tabId);
}

function listQuery(tab, view) {
  const query = { ...tab.query, ...view.filters };
  if (!tab.statuses) delete query.status;
  if (tab.sortable) query.sort = view.sort;
  return query;
}

async function loadList() {
  const tab = currentTab();
  const view = state.screens[state.current.screenId];
  const seq = ++state.loadSeq;
  const wrap = $("#table-wrap");
  wrap.setAttribute("aria-busy", "true");
  let answer;
  try {
    answer = await api.get(tab.path, { ...listQuery(tab, view), page: view.page, pageSize: view.pageSize });
  } catch (error) {
    if (seq !== state.loadSeq || error.status === 401) return;
    wrap.removeAttribute("aria-busy");
    showPageError(error.message);
    renderRows(tab, []);
    renderFooter(0, view);
    return;
  }
  if (seq !== state.loadSeq) return; // a newer request owns the table
  wrap.removeAttribute("aria-busy");
  hidePageError();
  // A page past the end (the list shrank): show the last page instead.
  const lastPage = Math.max(1, Math.ceil(answer.total / view.pageSize));
  if (answer.items.length === 0 && answer.total > 0 && view.page > lastPage) {
    view.page = lastPage;
    await loadList();
    return;
  }
  renderRows(tab, answer.items);
  renderFooter(answer.total, view);
  $("#list-status").textContent = `已載入，共 ${answer.total} 項`;
  v11.afterListLoad(api, SCREENS[state.current.screenId], answer);
}

function renderRows(tab, items) {
  const width = tab.columns.length + (tab.action ? 1 : 0);
  const body = $("#list-body");
  if (items.length === 0) {
    body.replaceChildren(h("tr", {}, h("td", { colspan: String(width), class: "empty" }, "查無資料")));
    return;
  }
  body.replaceChildren(
    ...items.map((row, index) =>
      h("tr", { "data-pass-no": row.passNo },
        tab.columns.map((c) =>
          h("td", { class: c.cellClass?.(row), title: c.title?.(row) }, c.render ? c.render(row) : c.value(row) || "—")),
        tab.action && h("td", { class: "action" }, actionCell(tab, row, index)),
      ),
    ),
  );
}

function actionCell(tab, row, index) {
  if (row.canReinstate) {
    return h("button", { type: "button", class: "btn btn-primary btn-small",
      "aria-label": `停用恢復 ${row.passNo}`, onclick: (event) => onReinstate(tab, row, event.currentTarget) }, "停用恢復");
  }
  const reasonId = `blocked-${index}`;
  return [
    h("button", { type: "button", class: "btn btn-small", disabled: true, "aria-describedby": reasonId,
      "aria-label": `停用恢復 ${row.passNo}` }, "停用恢復"),
    h("span", { id: reasonId, class: "blocked-reason" }, blockedText(row)),
  ];
}

// Why 停用恢復 is disabled. The API sends a code (SPEC §9's 409 codes); its text is the
// API's own message for that code, from GET /reference when it carries them.
function blockedText(row) {
  const voided = v11.willBeVoidedText(row);
  if (voided) return voided;
  if (row.reinstatement?.status === "PENDING" && row.reinstatement.effectiveAt) {
    return `已申請恢復，將於 ${slashDateTime(row.reinstatement.effectiveAt)} 恢復使用。`;
  }
  const code = row.blockedReason ?? "";
  return state.reference.messages?.[code] ?? code;
}

function renderFooter(total, view) {
  const first = total === 0 ? 0 : (view.page - 1) * view.pageSize + 1;
  const last = Math.min(total, view.page * view.pageSize);
  $("#list-range").textContent = `顯示第 ${first} 至 ${last} 項結果，共 ${total} 項`;
  const lastPage = Math.max(1, Math.ceil(total / view.pageSize));
  const go = (page) => () => {
    view.page = page;
    loadList().then(() => $("#pager [aria-current='page']")?.focus());
  };
  setChildren($("#pager"),
    h("button", { type: "button", class: "page", disabled: view.page <= 1, onclick: go(view.page - 1) }, "上一頁"),
    pageNumbers(view.page, lastPage).map((page) =>
      page === null
        ? h("span", { class: "gap", "aria-hidden": "true" }, "…")
        : h("button", { type: "button", class: "page", "aria-label": `第 ${page} 頁`,
            "aria-current": page === view.page ? "page" : null, onclick: go(page) }, String(page)),
    ),
    h("button", { type: "button", class: "page", disabled: view.page >= lastPage, onclick: go(view.page + 1) }, "下一頁"),
  );
}

// 1 … 4 5 6 … 20: the first, the last and the neighbours of the current page.
function pageNumbers(current, last) {
  const shown = new Set([1, last, current - 1, current, current + 1]);
  if (current <= 3) [2, 3, 4].forEach((p) => shown.add(p));
  if (current >= last - 2) [last - 3, last - 2, last - 1].forEach((p) => shown.add(p));
  const pages = [...shown].filter((p) => p >= 1 && p <= last).sort((a, b) => a - b);
  return pages.flatMap((p, i) => (i > 0 && p - pages[i - 1] > 1 ? [null, p] : [p]));
}

function showPageError(message) {
  const box = $("#page-error");
  if (!box) return;
  box.textContent = message;
  box.hidden = false;
}

function hidePageError() {
  const box = $("#page-error");
  if (box) box.hidden = true;
}

function showFlash(message) {
  const box = $("#flash");
  box.textContent = message;
  box.hidden = false;
  box.focus();
}

// ------------------------------------------------------------------ events
function onSearch(event) {
  event.preventDefault();
  const view = state.screens[state.current.screenId];
  const data = new FormData(event.currentTarget);
  view.filters = {
    port: String(data.get("port") ?? ""),
    holderId: String(data.get("holderId") ?? "").trim(),
    passNo: String(data.get("passNo") ?? "").trim(),
    status: String(data.get("status") ?? ""),
  };
  view.page = 1;
  loadList();
}

function onPageSize(event) {
  const view = state.screens[state.current.screenId];
  view.pageSize = Number(event.currentTarget.value);
  view.page = 1;
  loadList();
}

function onSort() {
  const view = state.screens[state.current.screenId];
  view.sort = view.sort === "-appliedOn" ? "appliedOn" : "-appliedOn";
  view.page = 1;
  const tab = currentTab();
  $("thead tr").replaceChildren(...tab.columns.map((c) => headerCell(c, view)));
  $("#sort-applied-on").focus();
  loadList();
}

// Tabs: arrow keys move between them, Home/End to the ends (WAI-ARIA tabs pattern).
function onTabKey(event) {
  const tabs = [...event.currentTarget.querySelectorAll("[role=tab]")];
  const at = tabs.indexOf(document.activeElement);
  if (at < 0) return;
  const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
  if (next === undefined) return;
  event.preventDefault();
  const target = tabs[(next + tabs.length) % tabs.length];
  target.focus();
  target.click();
}

async function onExport(event) {
  const button = event.currentTarget;
  const tab = currentTab();
  const view = state.screens[state.current.screenId];
  button.disabled = true;
  button.textContent = "匯出中…";
  try {
    const items = await fetchAllPages(api, tab.path, listQuery(tab, view));
    const columns = tab.columns.filter((c) => c.csv !== false);
    const header = columns.map((c) => c.label);
    download(`${tab.csv}.csv`, toCsv(header, items.map((row) => columns.map((c) => c.value(row)))));
    $("#list-status").textContent = `已匯出 ${items.length} 項`;
  } catch (error) {
    if (error.status !== 401) showPageError(error.message);
  } finally {
    button.disabled = false;
    button.textContent = "匯出 CSV";
  }
}

// ------------------------------------------------------------------ reinstatement
async function onReinstate(tab, row, button) {
  const other = tab.query.scope === "other";
  const answer = other ? await askHolderIdAndApply(row) : await confirmAndApply(row);
  if (!answer) {
    // After an error the list was reloaded and the button replaced: focus its row's table.
    (button.isConnected ? button : $("#table-wrap"))?.focus();
    return;
  }
  await showMessage("系統訊息", answer.message);
  await loadList();
  showFlash(`${answer.passNo ?? row.passNo}：${answer.message}`);
}

function openDialog(dialog) {
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue), { once: true });
    dialog.returnValue = "";
    dialog.showModal();
  });
}

async function showMessage(title, text, { error = false } = {}) {
  const dialog = $("#message-dialog");
  $("#message-title").textContent = title;
  const body = $("#message-text");
  body.textContent = text;
  body.className = error ? "message-error" : "";
  body.setAttribute("role", error ? "alert" : "status");
  await openDialog(dialog);
}

// 所屬通行證: 確定 / 取消, then the application; an error is the system's message.
async function confirmAndApply(row) {
  $("#confirm-text").textContent = `確定申請恢復通行證 ${row.passNo}（${row.holderName}）？`;
  if ((await openDialog($("#confirm-dialog"))) !== "confirm") return null;
  try {
    return await api.post(`/passes/${encodeURIComponent(row.passNo)}/reinstatement`, {});
  } catch (error) {
    if (error.status !== 401) await showMessage("無法申請恢復", v11.refusalText(error), { error: true });
    await loadList();
    return null;
  }
}

// 非所屬通行證: the holder's full ID obtains the permission and applies in one request.
// The dialog stays open on a mismatch (attempts left), a lockout (wait) or any other error.
function askHolderIdAndApply(row) {
  const dialog = $("#grant-dialog");
  const form = $("#grant-form");
  const input = $("#grant-holder-id");
  const errorBox = $("#grant-error");
  const submit = $("#grant-submit");
  $("#grant-text").textContent =
    `通行證 ${row.passNo}（${row.holderName}）非所屬通行證，請輸入持證人身分證號以取得權限。`;
  input.value = "";
  input.removeAttribute("aria-invalid");
  errorBox.textContent = "";
  submit.disabled = false;

  return new Promise((resolve) => {
    let answer = null;
    const showError = (message) => {
      errorBox.textContent = message;
      input.setAttribute("aria-invalid", "true");
      input.focus();
      input.select();
    };
    const onSubmit = async (event) => {
      event.preventDefault();
      const holderId = input.value.trim();
      if (!holderId) {
        showError("請輸入身分證號。");
        return;
      }
      submit.disabled = true;
      try {
        answer = await api.post(`/passes/${encodeURIComponent(row.passNo)}/reinstatement`, { holderId });
        dialog.close("done");
      } catch (error) {
        if (error.status === 401) {
          dialog.close("cancel");
          return;
        }
        showError(grantErrorText(error));
      } finally {
        submit.disabled = false;
      }
    };
    const onCancel = () => dialog.close("cancel");
    form.addEventListener("submit", onSubmit);
    $("#grant-cancel").addEventListener("click", onCancel);
    dialog.addEventListener(
      "close",
      () => {
        form.removeEventListener("submit", onSubmit);
        $("#grant-cancel").removeEventListener("click", onCancel);
        resolve(answer);
      },
      { once: true },
    );
    dialog.showModal();
  });
}

function grantErrorText(error) {
  if (error.code === "HOLDER_ID_MISMATCH" && error.attemptsLeft !== null) {
    return `${error.message}剩餘 ${error.attemptsLeft} 次。`;
  }
  if (error.status === 429 && error.retryAfter !== null) {
    return `${error.message}（約 ${waitText(error.retryAfter)}後可再試）`;
  }
  return v11.refusalText(error);
}

// ------------------------------------------------------------------ start
$("#sign-out").addEventListener("click", () => auth.signOut());
v11.initFeatures({ api, reload: () => loadList(), flash: (message) => showFlash(message) });
window.addEventListener("hashchange", route);

(async () => {
  try {
    if (!(await auth.start()) && auth.mode === "oidc") return; // on the way to the provider
  } catch (error) {
    main().replaceChildren(h("div", { class: "alert alert-error", role: "alert" }, error.message));
    return;
  }
  route();
})();
