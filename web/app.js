// The screens of the manual (seed/000_9e260afe29d8b7bb.txt) over the API of SPEC §9.
// Plain ES modules, no build step. Routes: #/login, #/records/<tab>, #/reinstatement/<tab>,
// #/eligibility (issuer and admin).

import { createApi } from "./api.js";
import { createLocalAuth, createOidcAuth } from "./auth.js";
import { el as h, setChildren } from "./dom.js";
import { renderSettings } from "./settings.js";
import { renderStatistics } from "./statistics.js";
import { renderSuspensions } from "./suspensions.js";
import { renderAlerts, renderExemptions } from "./exemptions.js";
import { csvFileName, download } from "./csv.js";
import { renderEligibility } from "./eligibility.js";
import { isoDate, slashDate, slashDateTime } from "./format.js";
import { canUseScreen, canUseTab, homeRoute, roleOf } from "./roles.js";
import { busy, untilText } from "./ui.js";
import {
  HOLDER_ID_EXAMPLE, PASS_NO_EXAMPLE, PASS_NO_FORMAT,
  holderIdProblem, idErrorText, normalizeIdentifier, passNoProblem,
} from "./validate.js";
import * as v11 from "./features.js";
import { ID_BUDGET, LABELS, MESSAGES, PER_PASS_BUDGET } from "./labels.js";
import { createLocks } from "./locks.js";

const CONFIG = { apiBase: "", auth: "local", oidc: {}, ...(window.PORTPASS_CONFIG ?? {}) };
const PAGE_SIZES = [10, 25, 50, 100];
const ROLE_LABELS = { company: "業者", port_officer: "港務審核", admin: "系統管理者", issuer: "製證系統" };
const NAV_GROUP = "通行記點異常紀錄";
// SPEC §5: an ID filter on others' passes is a counted verification (20 in 24 hours), from
// the same budget as the ID typed in 取得權限.
const OTHER_ID_BUDGET = ID_BUDGET;

// ------------------------------------------------------------------ columns (the manual's)
const column = (label, value, extra = {}) => ({ label, value, ...extra });
const COLUMNS = {
  passNo: column("通行證號", (r) => r.passNo),
  holderId: column("身分證號", (r) => r.holderId),
  holderIdHistory: column("身分證字號", (r) => r.holderId),
  holderName: column("姓名", (r) => r.holderName, { wrap: true }),
  validFrom: column("有效起日", (r) => isoDate(r.validFrom)),
  validTo: column("有效迄日", (r) => isoDate(r.validTo)),
  lastPassage: column("最近通行時間", (r) => isoDate(r.lastPassageAt)),
  comparedOn: column("比對日期", (r) => isoDate(r.comparedOn)),
  port: column("領證港區", (r) => r.portName),
  passStatus: column("通行證狀態", (r) => r.statusLabel, { wrap: true, render: (r) => statusCell(r) }),
  appliedOn: column("申請恢復日期", (r) => slashDate(r.appliedOn), { sortKey: "appliedOn" }),
  // A withdrawn application never takes effect: no time in the future for it (issue 27).
  // An EXEMPTION record (SPEC §12) takes no effect at a time: no 恢復通行時間.
  effectiveAt: column("恢復通行時間", (r) =>
    r.type === "EXEMPTION" ? "—" : r.status === "WITHDRAWN" ? "不恢復（已撤回）" : slashDateTime(r.effectiveAt)),
  executor: column("執行人", (r) => r.executor, { wrap: true }),
  historyStatus: column("狀態", (r) => r.statusLabel, { wrap: true }),
};
const C = COLUMNS;

// 停用中(因未通行) breaks before its parenthesis, not inside it; then what else the row says
// about the pass (SPEC §12: 暫緩至, the last refused presentation at a gate).
function statusCell(row) {
  const label = row.statusLabel ?? "";
  const at = label.indexOf("(");
  const text = at > 0 ? [label.slice(0, at), h("span", { class: "nobr" }, label.slice(at))] : label || "—";
  return [text, ...rowNotes(row)];
}

function rowNotes(row) {
  const notes = [];
  if (row.exemptUntil) notes.push(h("span", { class: "row-note" }, `${LABELS.exemptUntil} ${isoDate(row.exemptUntil)}`));
  if (row.lastPresentedAt) {
    notes.push(h("span", { class: "row-note row-note-alert" }, `${LABELS.lastPresentedAt} ${slashDateTime(row.lastPresentedAt)}`));
  }
  return notes;
}
const INACTIVE_OWN = [C.passNo, C.holderId, C.holderName, C.validFrom, C.validTo, C.lastPassage, C.comparedOn, C.port, C.passStatus];
const INACTIVE_OTHER = INACTIVE_OWN.filter((c) => c !== C.holderId); // SPEC §5: no holder ID at all
const REINSTATABLE = [C.passNo, C.holderId, C.holderName, C.validFrom, C.validTo, C.lastPassage, C.port, C.passStatus];
const HISTORY = [C.passNo, C.holderIdHistory, C.holderName, C.port, C.appliedOn, C.effectiveAt, C.executor, C.historyStatus];

const inactiveTab = (id, label, tier, scope, csv) => ({
  id, label, csv, path: "/inactive-passes", query: { tier, scope },
  columns: scope === "own" ? INACTIVE_OWN : INACTIVE_OTHER,
});

// Statuses a row of the tab's tier can carry (GET /reference tierStatuses, SPEC §4): the 狀態
// filter offers only these. A tier with a single status (5 months: 已製證) gets no 狀態
// filter: one option filters nothing.
function tabStatuses(tab) {
  const statuses = tab.query?.tier ? state.reference?.tierStatuses?.[tab.query.tier] : null;
  return statuses?.length > 1 ? statuses : null;
}

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
  // A screen with its own renderer (no tabs, no list): render({ h, main, api, busy }); `roles`
  // lists who may use it (roles.js; without it, every role but the issuance system).
  eligibility: { title: "申請資格查詢", render: renderEligibility, tabs: [], roles: ["admin", "issuer"] },
  // SPEC §9 /statistics: the caller's own scope; §11 digest recipients: a company's or an officer's own.
  statistics: {
    title: "統計", render: ({ main, api }) => renderStatistics(main, api), tabs: [],
    roles: ["company", "port_officer", "admin"],
  },
  // SPEC §12: exemptions (officers and admins set and end them; a company reads its own) and
  // the suspended-pass alerts of the caller's own scope.
  exemptions: {
    title: "暫緩停用", render: ({ main, api }) => renderExemptions(main, api, role()), tabs: [],
    roles: ["company", "port_officer", "admin"],
  },
  alerts: {
    title: "通行異常警示", render: ({ main, api }) => renderAlerts(main, api), tabs: [],
    roles: ["company", "port_officer", "admin"],
  },
  // SPEC §11: the suspensions switch, an admin's alone.
  suspensions: {
    title: "停用開關", render: ({ main, api }) => renderSuspensions(main, api), tabs: [], roles: ["admin"],
  },
  settings: {
    title: "通知設定", render: ({ main, api }) => renderSettings(main, api), tabs: [],
    roles: ["company", "port_officer"],
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
  // The row to focus after the list reloads (after a reinstatement), by pass number.
  focusPassNo: null,
};

const role = () => roleOf(auth.claims());
// 取得權限 locks and the shared ID budget, as the API last answered them (locks.js).
const locks = createLocks(() => auth.claims()?.sub ?? "anonymous");

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

const $ = (selector) => document.querySelector(selector);
const main = () => $("#main");

// ------------------------------------------------------------------ routing
function parseHash() {
  const [screenId = "", tabId = ""] = window.location.hash.replace(/^#\/?/, "").split("/");
  return { screenId, tabId };
}

async function route() {
  // A newer route (the user moved on while this one awaited the API) owns the page.
  const routeSeq = (state.routeSeq = (state.routeSeq ?? 0) + 1);
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
  if (!screen || !canUseScreen(role(), screenId, screen)) {
    const home = homeRoute(role());
    if (home === window.location.hash) {
      // Nothing this account can use (a token without a known role): say so, no redirect loop;
      // first the API judges the token (a refused one returns to sign-in instead).
      try {
        await api.get("/reference");
      } catch (error) {
        if (error.status === 401) return;
      }
      showChrome(true);
      main().replaceChildren(h("div", { class: "alert alert-error", role: "alert" }, "此帳號無可使用的功能，請洽系統管理者。"));
      return;
    }
    window.location.replace(home);
    return;
  }
  if (screen.render) {
    showChrome(true);
    state.current = null;
    state.loadSeq += 1; // a list request still in flight no longer owns the page
    document.title = `${screen.title} - 通行證資訊網`;
    screen.render({ h, main: main(), api, busy });
    renderBreadcrumb(screen, null);
    return;
  }
  const tabs = visibleTabs(screen);
  const tab = tabs.find((t) => t.id === tabId);
  if (!tab) {
    window.location.replace(`#/${screenId}/${tabs[0].id}`);
    return;
  }
  showChrome(true);
  if (!(await ensureReference())) return;
  if (routeSeq !== state.routeSeq) return;
  v11.decorateTabs(SCREENS, role(), { historyStatus: C.historyStatus });
  const previous = state.current;
  const sameScreen = previous?.screenId === screenId;
  const focusedTab = document.activeElement?.getAttribute("role") === "tab";
  if (!sameScreen || previous.tabId !== tabId) {
    state.screens[screenId].page = 1;
    // A pass number or an ID typed on one tab is not carried to the next, where it would
    // make the list look empty (and, on others' passes, spend the ID budget): the port stays.
    state.screens[screenId].filters.passNo = "";
    state.screens[screenId].filters.holderId = "";
    v11.resetSelection();
    if (!tabStatuses(tab)?.includes(state.screens[screenId].filters.status)) state.screens[screenId].filters.status = "";
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
    tierStatuses: reference?.tierStatuses ?? {},
  };
}

// The tabs of a screen this role can use (SPEC §5: admin and issuer have no "other" passes).
function visibleTabs(screen) {
  return screen.tabs.filter((t) => canUseTab(role(), t));
}

function showChrome(signedIn) {
  $("#sidenav").hidden = !signedIn;
  $("#account").hidden = !signedIn;
  const crumbs = $("#breadcrumb");
  if (crumbs) crumbs.hidden = !signedIn;
  if (!signedIn) return;
  const claims = auth.claims() ?? {};
  const roleCode = roleOf(claims);
  const roleLabel = ROLE_LABELS[roleCode] ?? "";
  $("#who").textContent = roleCode === "issuer"
    ? issuerName(claims)
    : [claims.name ?? claims.sub ?? "", roleLabel && `（${roleLabel}）`].join("");
  // A port officer's "own" passes are those of his ports (SPEC §5): the header names them.
  const ports = roleCode === "port_officer" ? portNames(claims["custom:ports"]) : "";
  $("#who-ports").textContent = ports ? `負責港區：${ports}` : "";
  $("#who-ports").hidden = !ports;
  const { screenId } = parseHash();
  for (const link of document.querySelectorAll("#sidenav a")) {
    link.parentElement.hidden = !canUseScreen(roleCode, link.dataset.screen, SCREENS[link.dataset.screen]);
    if (link.dataset.screen === screenId) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

// The issuance system signs in with client credentials: its token names the machine client
// (an English client name or id). The header names it in zh-TW; a zh-TW name is kept.
function issuerName(claims) {
  const name = claims.name ?? "";
  if (!/[\u3400-\u9fff]/.test(name)) return LABELS.issuerName;
  return name === ROLE_LABELS.issuer ? name : `${name}（${ROLE_LABELS.issuer}）`;
}

// "KH,AP" (or "[KH AP]" as the authorizer passes arrays) → "高雄港、安平港".
function portNames(value) {
  const codes = String(value ?? "").replace(/[[\]]/g, "").split(/[\s,]+/).filter(Boolean);
  const label = (code) => state.reference?.ports.find((p) => p.code === code)?.label ?? PORT_LABELS[code] ?? code;
  return codes.map(label).join("、");
}
const PORT_LABELS = { KL: "基隆港", TP: "臺北港", SA: "蘇澳港", TX: "臺中港", KH: "高雄港", AP: "安平港", HL: "花蓮港" };

// 通行記點異常紀錄 > 人員通行記錄 > 所屬通行證 6個月未通行 (the manual's menu path).
function renderBreadcrumb(screen, tab) {
  const crumbs = $("#breadcrumb");
  if (!crumbs) return;
  const items = [NAV_GROUP, screen.title, tab?.label].filter(Boolean);
  setChildren(crumbs,
    h("ol", {}, items.map((text, i) =>
      h("li", { "aria-current": i === items.length - 1 ? "page" : null }, text))),
  );
}

// ------------------------------------------------------------------ sign-in (local mode)
async function renderSignIn() {
  showChrome(false);
  state.current = null;
  state.reference = null;
  v11.forgetTabCounts();
  v11.resetSelection();
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
  window.location.hash = homeRoute(role());
}

// ------------------------------------------------------------------ a list screen
function renderScreen(screen, tab) {
  const view = state.screens[state.current.screenId];
  document.title = `${screen.title}｜${tab.label} - 通行證資訊網`;
  renderBreadcrumb(screen, tab);
  const notices = state.reference.notices[screen.notices] ?? [];
  const statusOptions = tabStatuses(tab);
  const statusLabel = (code) => state.reference.statuses.find((s) => s.code === code)?.label ?? code;
  const otherScope = tab.query.scope === "other";

  const form = h("form", { class: "filters", role: "search", "aria-label": "查詢條件", onsubmit: onSearch, novalidate: true },
    h("div", { class: "field" },
      h("label", { for: "f-port" }, "領證港區:"),
      h("select", { id: "f-port", name: "port" },
        h("option", { value: "" }, "全部"),
        state.reference.ports.map((p) => h("option", { value: p.code, selected: view.filters.port === p.code }, p.label)),
      ),
    ),
    h("div", { class: "field field-text" },
      h("label", { for: "f-holder-id" }, "身分證字號:"),
      h("input", { id: "f-holder-id", name: "holderId", value: view.filters.holderId, autocomplete: "off", spellcheck: "false",
        autocapitalize: "characters", "aria-describedby": "f-holder-id-hint f-holder-id-error" }),
      h("p", { id: "f-holder-id-hint", class: "field-hint" },
        otherScope
          ? `完整身分證號（例如 ${HOLDER_ID_EXAMPLE}）。非所屬通行證以身分證號查詢會計入驗證次數：查無符合者算一次，與「取得權限」的身分證號驗證共用 24 小時 ${OTHER_ID_BUDGET} 次。`
          : `完整身分證號，例如 ${HOLDER_ID_EXAMPLE}`),
      h("p", { id: "f-holder-id-error", class: "field-error", role: "alert" }),
    ),
    h("div", { class: "field field-text" },
      h("label", { for: "f-pass-no" }, "通行證號:"),
      h("input", { id: "f-pass-no", name: "passNo", value: view.filters.passNo, autocomplete: "off", spellcheck: "false",
        autocapitalize: "characters", "aria-describedby": "f-pass-no-hint f-pass-no-error" }),
      h("p", { id: "f-pass-no-hint", class: "field-hint" }, `完整證號或前 4 碼以上，例如 ${PASS_NO_EXAMPLE} 或 KHPS`),
      h("p", { id: "f-pass-no-error", class: "field-error", role: "alert" }),
    ),
    statusOptions && h("div", { class: "field" },
      h("label", { for: "f-status" }, "狀態:"),
      h("select", { id: "f-status", name: "status" },
        h("option", { value: "" }, "全部"),
        statusOptions.map((code) => h("option", { value: code, selected: view.filters.status === code }, statusLabel(code))),
      ),
    ),
    h("div", { class: "filter-actions" },
      h("button", { type: "submit", class: "btn btn-primary", id: "search" }, "查詢"),
      h("button", { type: "button", class: "btn", id: "clear-filters", onclick: onClearFilters }, "清除"),
    ),
  );

  const tabs = visibleTabs(screen);
  const tabBar = h("div", { class: `tabs tabs-${tabs.length}`, role: "tablist", "aria-label": screen.title, onkeydown: onTabKey },
    tabs.map((t) =>
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
      h("div", { class: "toolbar-end" },
        h("button", { type: "button", class: "btn", id: "print-list", onclick: () => window.print() }, LABELS.printList),
        h("button", { type: "button", class: "btn", id: "export-csv", onclick: onExport }, "匯出 CSV")),
    ),
    h("div", { id: "list-status", role: "status", class: "visually-hidden" }),
    h("p", { id: "attempts-note", class: "attempts-note", hidden: true }),
    h("p", { id: "scroll-hint", class: "scroll-hint", hidden: true }, "表格較寬：請左右捲動查看其餘欄位（含通行證狀態與操作）。"),
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
    notices.length > 0 && noticeBox(notices),
    h("div", { id: "flash", class: "alert alert-success", role: "status", tabindex: "-1", hidden: true }),
    h("div", { id: "page-error", class: "alert alert-error", role: "alert", hidden: true }),
    filterBox(form, view),
    tabBar,
    panel,
  );
  v11.decorateFilters();
  v11.paintTabCounts(screen);
}

// On a phone the filters fold away (open when a filter is set) so that the list shows on the
// first screen; on a desktop the box is always open and its summary hidden (styles.css).
function filterBox(form, view) {
  const phone = window.matchMedia("(max-width: 720px)").matches;
  const active = Object.values(view.filters).filter(Boolean).length;
  return h("details", { class: "filter-box", open: !phone || active > 0 },
    h("summary", {}, active ? `查詢條件（已設定 ${active} 項）` : "查詢條件"),
    form,
  );
}

// The manual's notice box; on a phone it starts folded so the list shows on the first screen.
function noticeBox(notices) {
  const folded = window.matchMedia("(max-width: 720px)").matches;
  return h("div", { class: "notice", role: "note", "aria-label": "注意事項" },
    h("details", { open: !folded },
      h("summary", {}, `注意事項（${notices.length} 項）`),
      h("ol", {}, notices.map((text) => h("li", {}, text))),
    ),
  );
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
  if (!tabStatuses(tab)) delete query.status;
  if (tab.sortable) query.sort = view.sort;
  return query;
}

async function loadList() {
  const tab = currentTab();
  const view = state.screens[state.current.screenId];
  const seq = ++state.loadSeq;
  const wrap = $("#table-wrap");
  wrap.setAttribute("aria-busy", "true");
  const searchButton = $("#search");
  const done = searchButton ? busy(searchButton, "查詢中…") : () => {};
  let answer;
  try {
    answer = await api.get(tab.path, { ...listQuery(tab, view), page: view.page, pageSize: view.pageSize });
  } catch (error) {
    if (seq !== state.loadSeq || error.status === 401) return;
    done();
    wrap.removeAttribute("aria-busy");
    v11.paintTabCounts(SCREENS[state.current.screenId]); // the last known counts stay
    if (isUnreachable(error)) {
      notLoaded();
      return;
    }
    if (!showFieldError(error)) showPageError(error.message);
    notSearched();
    return;
  }
  if (seq !== state.loadSeq) return; // a newer request owns the table
  done();
  wrap.removeAttribute("aria-busy");
  hidePageError();
  // A page past the end (the list shrank): show the last page instead.
  const lastPage = Math.max(1, Math.ceil(answer.total / view.pageSize));
  if (answer.items.length === 0 && answer.total > 0 && view.page > lastPage) {
    view.page = lastPage;
    await loadList();
    return;
  }
  renderRows(tab, answer.items, view);
  showScrollHint();
  renderFooter(answer.total, view);
  showAttemptsLeft(tab, view, answer);
  $("#list-status").textContent = `已載入，共 ${answer.total} 項`;
  focusRowAfterReload();
  v11.afterListLoad(api, SCREENS[state.current.screenId], answer);
}

// No answer (network down, or the server failed): one message, at the top and in the table,
// with one 重新載入 that repeats the same request; nothing suggests fixing the filters.
const isUnreachable = (error) => error.status === 0 || error.status >= 500;

function notLoaded() {
  const tab = currentTab();
  const width = tab.columns.length + (tab.action ? 1 : 0);
  showPageError(MESSAGES.network, { retry: true });
  $("#list-body").replaceChildren(
    h("tr", {}, h("td", { colspan: String(width), class: "empty" }, MESSAGES.networkTable)));
  $("#list-range").textContent = "";
  $("#pager").replaceChildren();
  $("#attempts-note").hidden = true;
  $("#list-status").textContent = MESSAGES.networkTable;
}

// Between a phone (cards) and a wide screen the table scrolls inside its box: say so, since
// its last columns (status, 停用恢復) are the ones out of view.
function showScrollHint() {
  const wrap = $("#table-wrap");
  const hint = $("#scroll-hint");
  if (wrap && hint) hint.hidden = wrap.scrollWidth <= wrap.clientWidth + 1;
}
window.addEventListener("resize", () => showScrollHint());

// SPEC §5: the answer to an ID filter on others' passes carries the caller's remaining budget.
function showAttemptsLeft(tab, view, answer) {
  const note = $("#attempts-note");
  if (!note) return;
  const counted = tab.query.scope === "other" && view.filters.holderId;
  note.hidden = !counted;
  if (!counted) return;
  if (Number.isInteger(answer.attemptsLeft)) locks.setBudgetLeft(answer.attemptsLeft);
  note.textContent = Number.isInteger(answer.attemptsLeft)
    ? `以身分證號查詢非所屬通行證會計入驗證次數：24 小時內尚可查詢 ${answer.attemptsLeft} 次（查無符合者算一次）。${MESSAGES.budgetShared}`
    : `以身分證號查詢非所屬通行證會計入驗證次數（查無符合者算一次，24 小時內限 ${OTHER_ID_BUDGET} 次）。${MESSAGES.budgetShared}`;
}

// A search that did not run leaves no result behind: no rows, no "顯示第 0 至 0 項".
function notSearched() {
  const tab = currentTab();
  const width = tab.columns.length + (tab.action ? 1 : 0);
  $("#list-body").replaceChildren(
    h("tr", {}, h("td", { colspan: String(width), class: "empty" }, "未查詢：請先修正查詢條件。")));
  $("#list-range").textContent = "";
  $("#pager").replaceChildren();
  $("#attempts-note").hidden = true;
  $("#list-status").textContent = "未查詢";
}

// The API's 400 for a filter (INVALID_PASS_NO, INVALID_HOLDER_ID) and the 429 of a counted ID
// filter belong at their field, with the expected format.
function showFieldError(error) {
  const byCode = {
    INVALID_PASS_NO: ["f-pass-no", () => PASS_NO_FORMAT],
    INVALID_HOLDER_ID: ["f-holder-id", () => idErrorText(error, state.screens[state.current.screenId].filters.holderId)],
    TOO_MANY_ATTEMPTS: ["f-holder-id", () => lockoutText(error, `身分證號查詢次數已達上限（與取得權限共用 24 小時內 ${ID_BUDGET} 次）`)],
  };
  const entry = byCode[error.code];
  if (!entry || !$(`#${entry[0]}`)) return false;
  // The list filter's 429 is the account's budget: every 取得權限 is refused until then too.
  if (error.code === "TOO_MANY_ATTEMPTS") locks.lockAccount(error.retryAfter);
  setFieldError(entry[0], entry[1]());
  return true;
}

function setFieldError(id, message) {
  const input = $(`#${id}`);
  const box = $(`#${id}-error`);
  if (!input || !box) return;
  box.textContent = message ?? "";
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

function clearFieldErrors() {
  setFieldError("f-holder-id", "");
  setFieldError("f-pass-no", "");
}

function renderRows(tab, items, view) {
  const width = tab.columns.length + (tab.action ? 1 : 0);
  const body = $("#list-body");
  if (items.length === 0) {
    // An ID is matched in full only (SPEC §5): say so, so that a partial ID is not mistaken
    // for "nobody".
    const text = view?.filters.holderId ? "查無資料（身分證號須完整相符，不提供部分比對）。" : "查無資料";
    body.replaceChildren(h("tr", {}, h("td", { colspan: String(width), class: "empty" }, text)));
    return;
  }
  body.replaceChildren(
    ...items.map((row, index) =>
      h("tr", { "data-pass-no": row.passNo },
        tab.columns.map((c, i) =>
          h("td", {
            "data-label": c.label,
            class: [i === 0 ? "key" : null, c.wrap ? "wrap" : null, c.cellClass?.(row)].filter(Boolean).join(" ") || null,
            tabindex: i === 0 ? "-1" : null,
            title: c.title?.(row),
          }, c.render ? c.render(row) : c.value(row) || "—")),
        tab.action && h("td", { class: "action", "data-label": "操作" }, actionCell(tab, row, index)),
      ),
    ),
  );
}

function actionCell(tab, row, index) {
  const lockedUntil = tab.query.scope === "other" && row.canReinstate ? locks.lockedUntil(row.passNo) : 0;
  if (lockedUntil) {
    // Known to be locked (a 429 or the last attempt spent): says so before any ID is typed.
    const reasonId = `blocked-${index}`;
    return [
      h("button", { type: "button", class: "btn btn-small", disabled: true, "aria-describedby": reasonId,
        "aria-label": `停用恢復 ${row.passNo}` }, "停用恢復"),
      h("span", { id: reasonId, class: "blocked-reason locked-reason" },
        MESSAGES.lockedRow(untilText((lockedUntil - Date.now()) / 1000))),
    ];
  }
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
    h("button", { type: "button", class: "page", disabled: view.page <= 1, onclick: go(view.page - 1) }, "前一頁"),
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

function showPageError(message, { retry = false } = {}) {
  const box = $("#page-error");
  if (!box) return;
  setChildren(box, message,
    retry && h("button", { type: "button", class: "btn btn-small retry", id: "retry",
      onclick: async () => {
        hidePageError();
        await loadList();
        ($("#page-error:not([hidden]) #retry") ?? $("#table-wrap"))?.focus();
      } }, LABELS.retry));
  box.hidden = false;
}

function hidePageError() {
  const box = $("#page-error");
  if (box) box.hidden = true;
}

// A success banner: announced (role status) without taking the focus from the list.
function showFlash(message) {
  const box = $("#flash");
  box.textContent = message;
  box.hidden = false;
}

// After a reinstatement the focus returns to the row that was acted on, not to the banner
// (9 Tab presses from there back to the table).
function focusRowAfterReload() {
  const passNo = state.focusPassNo;
  if (!passNo) return;
  state.focusPassNo = null;
  const cell = document.querySelector(`#list-body tr[data-pass-no="${CSS.escape(passNo)}"] td.key`);
  (cell ?? $("#table-wrap"))?.focus();
}

// ------------------------------------------------------------------ events
function onSearch(event) {
  event.preventDefault();
  const view = state.screens[state.current.screenId];
  const data = new FormData(event.currentTarget);
  const filters = {
    port: String(data.get("port") ?? ""),
    holderId: normalizeIdentifier(data.get("holderId")),
    passNo: normalizeIdentifier(data.get("passNo")),
    status: String(data.get("status") ?? ""),
  };
  clearFieldErrors();
  hidePageError();
  const problems = [["f-holder-id", holderIdProblem(filters.holderId)], ["f-pass-no", passNoProblem(filters.passNo)]]
    .filter(([, problem]) => problem);
  if (problems.length > 0) {
    // Nothing is searched for: the error stays at its field and the list says it did not run.
    for (const [id, problem] of problems) setFieldError(id, problem);
    state.loadSeq += 1;
    notSearched();
    $(`#${problems[0][0]}`).focus();
    return;
  }
  view.filters = filters;
  view.page = 1;
  v11.resetSelection();
  loadList();
}

function onClearFilters() {
  const view = state.screens[state.current.screenId];
  view.filters = blankFilters();
  view.page = 1;
  v11.resetSelection();
  const form = $("form.filters");
  for (const field of form.querySelectorAll("input, select")) field.value = "";
  clearFieldErrors();
  hidePageError();
  $("#f-port").focus();
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
    // One request: the server writes the whole filtered list (SPEC §9 v1.1, Accept: text/csv).
    const file = await api.getCsv(tab.path, listQuery(tab, view));
    download(file.filename || exportName(tab, view), file.blob);
    $("#list-status").textContent = "已匯出";
  } catch (error) {
    if (error.status !== 401) showPageError(error.message);
  } finally {
    button.disabled = false;
    button.textContent = "匯出 CSV";
  }
}

function exportName(tab, view) {
  const { port, holderId, passNo, status } = view.filters;
  const portLabel = state.reference.ports.find((p) => p.code === port)?.label ?? port;
  const statusLabel = tabStatuses(tab)?.includes(status)
    ? (state.reference.statuses.find((s) => s.code === status)?.label ?? status)
    : "";
  return csvFileName(tab.csv, { portLabel, holderId, passNo, statusLabel });
}

// ------------------------------------------------------------------ reinstatement
async function onReinstate(tab, row, button) {
  const other = tab.query.scope === "other";
  const answer = other ? await askHolderIdAndApply(row, button) : await confirmAndApply(row, button);
  if (!answer) {
    // A pass locked meanwhile shows it on its row at once.
    if (other && locks.lockedUntil(row.passNo)) {
      state.focusPassNo = row.passNo;
      await loadList();
      return;
    }
    // After an error the list was reloaded and the button replaced: focus its row's table.
    (button.isConnected ? button : $("#table-wrap"))?.focus();
    return;
  }
  const text = successText(answer);
  await showMessage("系統訊息", text);
  state.focusPassNo = answer.passNo ?? row.passNo;
  showFlash(`${answer.passNo ?? row.passNo}：${text}${other ? GRANTED_NOTE : ""}`);
  await loadList();
}

// SPEC §5/§7: the grant lets the history show the pass in full; the lists of others' passes
// stay masked for everybody (the list does not know who was granted what).
const GRANTED_NOTE = "已取得此通行證的權限：「恢復歷程查詢」將顯示其完整資料；「非所屬通行證」列表仍以遮罩顯示。";

// The manual's sentence first, then the date it means (SPEC §6: effectiveAt, Asia/Taipei).
function successText(answer) {
  const message = answer.message || "申請恢復成功，通行證將於翌日06:00恢復使用";
  return answer.effectiveAt ? `${message}（即 ${slashDateTime(answer.effectiveAt)}）。` : message;
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
async function confirmAndApply(row, button) {
  $("#confirm-text").textContent = `確定申請恢復通行證 ${row.passNo}（${row.holderName}）？`;
  if ((await openDialog($("#confirm-dialog"))) !== "confirm") return null;
  // While the request runs the row's button is disabled and says so (no second click).
  const done = busy(button, "申請中…");
  try {
    return await api.post(`/passes/${encodeURIComponent(row.passNo)}/reinstatement`, {});
  } catch (error) {
    done();
    if (error.status !== 401) await showMessage("無法申請恢復", v11.refusalText(error), { error: true });
    await loadList();
    return null;
  }
}

// 非所屬通行證: the holder's full ID obtains the permission and applies in one request.
// The dialog stays open on a mismatch (attempts left), a lockout (until when) or any other
// error; what cannot work any more (a locked pass) is disabled.
function askHolderIdAndApply(row, rowButton) {
  const dialog = $("#grant-dialog");
  const form = $("#grant-form");
  const input = $("#grant-holder-id");
  const errorBox = $("#grant-error");
  const submit = $("#grant-submit");
  setChildren($("#grant-text"),
    `通行證 ${row.passNo}（${row.holderName}）為非所屬通行證。請輸入持證人完整身分證號以取得權限。`,
  );
  setChildren($("#grant-masked"), "驗證對象身分證號：", h("strong", {}, row.holderId || "—"));
  showGrantBudget();
  input.value = "";
  input.removeAttribute("aria-invalid");
  errorBox.textContent = "";
  const lockedUntil = locks.lockedUntil(row.passNo);
  const setLocked = (message) => {
    errorBox.textContent = message;
    input.disabled = true;
    submit.disabled = true;
    $("#grant-cancel").focus();
  };
  input.disabled = false;
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
      const holderId = normalizeIdentifier(input.value);
      if (!holderId) {
        showError("請輸入身分證號。");
        return;
      }
      const problem = holderIdProblem(holderId);
      if (problem) {
        showError(problem); // not sent: a malformed ID is no attempt (SPEC §5)
        return;
      }
      const done = busy(submit, "驗證中…");
      const doneRow = rowButton?.isConnected ? busy(rowButton, "申請中…") : () => {};
      input.readOnly = true;
      let locked = false;
      try {
        answer = await api.post(`/passes/${encodeURIComponent(row.passNo)}/reinstatement`, { holderId });
        dialog.close("done");
      } catch (error) {
        if (error.status === 401) {
          dialog.close("cancel");
          return;
        }
        locked = error.status === 429 || (error.code === "HOLDER_ID_MISMATCH" && error.attemptsLeft === 0);
        if (error.code === "HOLDER_ID_MISMATCH") locks.spendOne();
        showGrantBudget();
        if (locked) {
          locks.lockPass(row.passNo, error.retryAfter ?? 24 * 3600);
          // The account's own budget spent (as far as the client knows): every pass is locked.
          if (locks.budgetLeft() === 0) locks.lockAccount(error.retryAfter ?? 24 * 3600);
          setLocked(grantErrorText(error));
        } else if (error.code === "INVALID_HOLDER_ID") {
          showError(idErrorText(error, holderId));
        } else {
          showError(grantErrorText(error));
        }
      } finally {
        input.readOnly = false;
        done();
        doneRow();
        if (locked) submit.disabled = true;
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
    if (lockedUntil > Date.now()) setLocked(MESSAGES.lockedDialog(untilText((lockedUntil - Date.now()) / 1000)));
  });
}

// The shared budget, said in the dialog before an ID is typed (SPEC §5: 20 misses in 24 hours
// for the account, shared with ID searches on others' lists; 5 per pass).
function showGrantBudget() {
  const left = locks.budgetLeft();
  $("#grant-budget").textContent = left === null ? MESSAGES.budgetShared : `${MESSAGES.budgetShared}${MESSAGES.budgetLeft(left)}`;
}

// SPEC §5: 5 failed attempts per pass (20 per account, shared with the lists' ID searches) in
// any 24 hours, then 429 with Retry-After; even a correct ID is refused until then. The
// answer's attemptsLeft is the smaller of the two budgets.
function grantErrorText(error) {
  if (error.code === "HOLDER_ID_MISMATCH" && Number.isInteger(error.attemptsLeft)) {
    if (error.attemptsLeft > 0) {
      return `${error.message}還可再試 ${error.attemptsLeft} 次（每張通行證 24 小時內最多錯 ${PER_PASS_BUDGET} 次；本帳號的驗證與列表的身分證號查詢共用 ${ID_BUDGET} 次，以較少者為準）。`;
    }
    return `${error.message}已無剩餘次數：此通行證的驗證已鎖定，最晚至 ${untilText(24 * 3600)} 解除。`;
  }
  if (error.status === 429) return lockoutText(error, "身分證號錯誤次數已達上限");
  return v11.refusalText(error);
}

// "…已達上限，鎖定至 2026/12/03 18:05，屆時才可再試。" from the 429's Retry-After.
function lockoutText(error, what) {
  const until = error.retryAfter !== null && error.retryAfter !== undefined
    ? `鎖定至 ${untilText(error.retryAfter)}` : "鎖定 24 小時";
  return `${what}，${until}，屆時才可再試（在此之前即使輸入正確也無法通過）。`;
}

// ------------------------------------------------------------------ start
$("#sign-out").addEventListener("click", () => auth.signOut());
// A control of a row that gets the keyboard focus is brought wholly into view (a browser
// scrolls only one that is wholly out of view; a half-visible 停用恢復 stayed half-visible).
document.addEventListener("focusin", (event) => {
  if (event.target.closest?.("#list-body")) event.target.scrollIntoView({ block: "nearest", inline: "nearest" });
});
v11.initFeatures({ api, reload: () => loadList(), flash: (message) => showFlash(message) });
window.addEventListener("hashchange", route);

(async () => {
  try {
    if (!(await auth.start()) && auth.mode === "oidc") return; // on the way to the provider
  } catch (error) {
    // A failed sign-in (a stale or forged ?code=&state=): say so and offer a new attempt.
    main().replaceChildren(
      h("div", { class: "alert alert-error", role: "alert" }, error.message),
      h("button", { type: "button", class: "btn btn-primary", id: "sign-in-again",
        onclick: () => auth.start() }, "重新登入"),
    );
    return;
  }
  route();
})();
