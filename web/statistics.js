// 統計: weekly suspensions and reinstatements per port (GET /statistics, SPEC §9 v1.1).
// Plain SVG, drawn here: a grouped bar chart needs no library, stays offline with no build
// step, and its text is real text (zh-TW, readable at any zoom). The chart is decorative for
// assistive technology (aria-hidden); the same numbers are in a table that screen readers read
// and that a button shows on screen.

import { el } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";
const SERIES = [
  { key: "suspended", label: "停用", color: "#b3261e" },
  { key: "activated", label: "恢復", color: "#1d5fa8" },
];
const COUNT_COLUMNS = [
  { key: "warned", label: "5個月警示" },
  { key: "suspended", label: "停用" },
  { key: "activated", label: "恢復生效" },
  { key: "voided", label: "恢復作廢" },
  { key: "withdrawn", label: "撤回申請" },
];

function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

// "2026-W49" -> "W49", with the week's Monday as M/D for the axis.
function weekLabel(week) {
  const [, , month, day] = week.weekStart.match(/^(\d{4})-(\d{2})-(\d{2})$/) ?? [];
  return month ? `${Number(month)}/${Number(day)}` : week.week;
}

// The highest bar of any port, as the top of every chart: one scale, so ports compare at a glance.
export function sharedScale(ports) {
  const max = Math.max(1, ...ports.flatMap((p) => p.weekly.flatMap((w) => SERIES.map((s) => w[s.key]))));
  const step = niceStep(max);
  return { step, yMax: Math.ceil(max / step) * step };
}

export function barChart(port, { step, yMax } = sharedScale([port])) {
  const weeks = port.weekly;
  const width = 640;
  const height = 220;
  const left = 36;
  const bottom = 36;
  const top = 12;
  const plotW = width - left - 8;
  const plotH = height - top - bottom;
  const slot = plotW / Math.max(1, weeks.length);
  const barW = Math.max(2, Math.min(18, (slot - 6) / SERIES.length));
  const chart = svg("svg", {
    viewBox: `0 0 ${width} ${height}`, class: "stat-chart", "aria-hidden": "true", focusable: "false",
    "data-port": port.port, "data-y-max": yMax,
  });
  for (let value = 0; value <= yMax; value += step) {
    const y = top + plotH - (value / yMax) * plotH;
    chart.append(svg("line", { x1: left, x2: width - 8, y1: y, y2: y, class: "grid" }));
    chart.append(svg("text", { x: left - 6, y: y + 4, "text-anchor": "end", class: "axis" }, String(value)));
  }
  weeks.forEach((week, index) => {
    const x0 = left + index * slot + (slot - barW * SERIES.length) / 2;
    SERIES.forEach((series, s) => {
      const h = (week[series.key] / yMax) * plotH;
      chart.append(svg("rect", {
        x: x0 + s * barW, y: top + plotH - h, width: barW - 1, height: h, fill: series.color,
        "data-series": series.key, "data-value": week[series.key],
      }));
    });
    chart.append(svg("text", { x: left + index * slot + slot / 2, y: height - bottom + 16, "text-anchor": "middle", class: "axis" },
      weekLabel(week)));
  });
  chart.append(svg("text", { x: left, y: height - 4, class: "axis" }, "週（起日）"));
  return chart;
}

function niceStep(max) {
  for (const step of [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]) if (max / step <= 5) return step;
  return 10000;
}

function legend() {
  return el("ul", { class: "stat-legend", "aria-hidden": "true" },
    SERIES.map((s) => el("li", {}, el("span", { class: "swatch", style: `background:${s.color}` }), s.label)));
}

function countsTable(port) {
  return el("table", { class: "list stat-table" },
    el("caption", {}, `${port.portName} 每週異動（件）`),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "週"), COUNT_COLUMNS.map((c) => el("th", { scope: "col" }, c.label)))),
    el("tbody", {}, port.weekly.map((w) =>
      el("tr", {}, el("th", { scope: "row" }, `${w.weekStart}～${w.weekEnd}`), COUNT_COLUMNS.map((c) => el("td", {}, String(w[c.key])))),
    )),
  );
}

function currentTable(ports) {
  return el("table", { class: "list stat-current" },
    el("caption", {}, "目前名單筆數"),
    el("thead", {}, el("tr", {}, ["領證港區", "5個月未通行", "6個月未通行"].map((t) => el("th", { scope: "col" }, t)))),
    el("tbody", {}, ports.map((p) =>
      el("tr", {}, el("th", { scope: "row" }, p.portName), el("td", {}, String(p.current.warned)), el("td", {}, String(p.current.suspended))),
    )),
  );
}

export async function renderStatistics(container, api, { weeks = 12 } = {}) {
  const title = el("h1", { id: "screen-title", tabindex: "-1" }, "統計");
  const status = el("p", { class: "loading", role: "status" }, "載入中…");
  container.replaceChildren(title, status);
  title.focus();
  let answer;
  try {
    answer = await api.get("/statistics", { weeks });
  } catch (error) {
    status.replaceWith(el("div", { class: "alert alert-error", role: "alert" }, error.message));
    return;
  }
  let asTable = false;
  const toggle = el("button", { type: "button", class: "btn", "aria-pressed": "false", id: "stat-toggle" }, "以表格檢視");
  const body = el("div", { id: "stat-body" });
  const first = answer.weeks[0];
  const last = answer.weeks[answer.weeks.length - 1];
  // A port without any change in the window gets one line, not an empty chart; a port whose
  // only changes are not drawn (warnings, withdrawals) gets its table, not a chart of zeros.
  const moved = (port) => port.weekly.some((w) => COUNT_COLUMNS.some((c) => w[c.key] > 0));
  const charted = (port) => port.weekly.some((w) => SERIES.some((s) => w[s.key] > 0));
  const active = answer.ports.filter(moved);
  const quiet = answer.ports.filter((port) => !moved(port));
  const scale = sharedScale(active);
  const draw = () => {
    body.replaceChildren(...[
      el("section", { "aria-labelledby": "stat-current-title" },
        el("h2", { id: "stat-current-title" }, "各港區目前筆數"), currentTable(answer.ports)),
      quiet.length ? el("p", { id: "stat-quiet" }, `最近 ${answer.weeks.length} 週無異動的港區：${quiet.map((p) => p.portName).join("、")}`) : null,
      active.map((port) =>
        el("section", { class: "stat-port", "aria-labelledby": `stat-${port.port}` },
          el("h2", { id: `stat-${port.port}` }, `${port.portName}：每週停用與恢復`),
          !asTable && charted(port) ? [legend(), barChart(port, scale)] : null,
          !asTable && !charted(port)
            ? el("p", { class: "stat-none" }, "此期間無停用或恢復；其他異動見下表。") : null,
          // Screen readers always get the table; on screen it shows when asked (or when
          // there is no chart to show).
          el("div", { class: asTable || !charted(port) ? "" : "visually-hidden" }, countsTable(port)),
        )),
    ].flat().filter(Boolean));
  };
  toggle.addEventListener("click", () => {
    asTable = !asTable;
    toggle.setAttribute("aria-pressed", String(asTable));
    toggle.textContent = asTable ? "以圖表檢視" : "以表格檢視";
    draw();
  });
  status.replaceWith(
    el("p", {}, `最近 ${answer.weeks.length} 週（${first.weekStart}～${last.weekEnd}，臺北時間），依 ISO 週次統計；範圍為本帳號所屬通行證。各港區圖表使用相同刻度（0～${scale.yMax} 件），可直接比較。`),
    el("div", { class: "stat-toolbar" }, toggle),
    body,
  );
  draw();
}
