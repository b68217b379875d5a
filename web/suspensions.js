// 停用開關 (admin): the stack's suspensions switch, GET / PUT /admin/suspensions (SPEC §4, §11),
// with who, when and why of every change. While it is off the daily run warns only.

import { el } from "./dom.js";
import { slashDateTime } from "./format.js";
import { SWITCH } from "./labels.js";

export async function renderSuspensions(container, api) {
  const title = el("h1", { id: "screen-title", tabindex: "-1" }, SWITCH.title);
  const status = el("p", { class: "loading", role: "status" }, "載入中…");
  container.replaceChildren(title, status);
  title.focus();
  let current;
  try {
    current = await api.get("/admin/suspensions");
  } catch (error) {
    status.replaceWith(el("div", { class: "alert alert-error", role: "alert" }, error.message));
    return;
  }
  const stateBox = el("section", { id: "switch-state", "aria-labelledby": "switch-state-title" });
  const history = el("section", { id: "switch-history", "aria-labelledby": "switch-history-title" });
  const flash = el("div", { id: "switch-flash", role: "status", tabindex: "-1", class: "alert alert-success", hidden: true });
  const failure = el("div", { id: "switch-error", role: "alert", tabindex: "-1", class: "alert alert-error", hidden: true });
  const reason = el("textarea", { id: "switch-reason", name: "reason", rows: "3", maxlength: "500",
    "aria-describedby": "switch-reason-hint switch-reason-error", required: true });
  const reasonError = el("p", { id: "switch-reason-error", class: "field-error" });
  const choice = (value, label) =>
    el("div", { class: "field checkbox" },
      el("input", { type: "radio", name: "enabled", id: `switch-${value}`, value, checked: String(current.enabled) === value }),
      el("label", { for: `switch-${value}` }, label));
  const save = el("button", { type: "submit", class: "btn btn-primary", id: "switch-save" }, SWITCH.save);
  const form = el("form", { id: "switch-form", novalidate: true },
    el("fieldset", {},
      el("legend", {}, SWITCH.change),
      choice("true", SWITCH.on),
      choice("false", SWITCH.off),
      el("label", { for: "switch-reason" }, SWITCH.reason),
      reason,
      el("p", { id: "switch-reason-hint", class: "field-hint" }, SWITCH.reasonHint),
      reasonError,
    ),
    el("div", { class: "stat-toolbar" }, save),
  );

  const draw = () => {
    stateBox.replaceChildren(
      el("h2", { id: "switch-state-title" }, SWITCH.now),
      el("p", { class: current.enabled ? "switch-on" : "switch-off", id: "switch-now" },
        current.enabled ? SWITCH.nowOn : SWITCH.nowOff),
      current.changedAt
        ? el("p", {}, `${SWITCH.lastChange}${slashDateTime(current.changedAt)}，${current.changedBy ?? "—"}：${current.reason ?? ""}`)
        : el("p", {}, SWITCH.never),
    );
    const changes = current.changes ?? [];
    history.replaceChildren(
      el("h2", { id: "switch-history-title" }, SWITCH.history),
      changes.length === 0
        ? el("p", {}, SWITCH.never)
        : el("div", { class: "table-wrap", role: "region", tabindex: "0", "aria-labelledby": "switch-history-title" },
            el("table", { class: "list switch-history" },
              el("thead", {}, el("tr", {}, SWITCH.columns.map((label) => el("th", { scope: "col" }, label)))),
              el("tbody", {}, changes.map((change) =>
                el("tr", {},
                  el("td", { "data-label": SWITCH.columns[0] }, slashDateTime(change.changedAt)),
                  el("td", { "data-label": SWITCH.columns[1] }, change.enabled ? SWITCH.on : SWITCH.off),
                  el("td", { "data-label": SWITCH.columns[2], class: "wrap" }, change.changedBy),
                  el("td", { "data-label": SWITCH.columns[3], class: "wrap" }, change.reason),
                ))),
            )),
    );
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    flash.hidden = true;
    failure.hidden = true;
    reasonError.textContent = "";
    reason.removeAttribute("aria-invalid");
    const text = reason.value.trim();
    if (!text) {
      reasonError.textContent = SWITCH.reasonRequired;
      reason.setAttribute("aria-invalid", "true");
      reason.focus();
      return;
    }
    const enabled = form.querySelector("input[name=enabled]:checked")?.value === "true";
    save.disabled = true;
    try {
      current = await api.put("/admin/suspensions", { enabled, reason: text });
      reason.value = "";
      draw();
      flash.textContent = enabled ? SWITCH.savedOn : SWITCH.savedOff;
      flash.hidden = false;
      flash.focus();
    } catch (error) {
      if (error.status === 401) return;
      failure.textContent = error.message;
      failure.hidden = false;
      failure.focus();
    } finally {
      save.disabled = false;
    }
  });
  draw();
  status.replaceWith(flash, failure, el("p", {}, SWITCH.intro), stateBox, form, history);
}
