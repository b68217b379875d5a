// 通知設定: the daily digest's recipients (GET / PUT /notification-settings, SPEC §9 v1.1, §11).
// A company account manages its company's recipients, a port officer his own.

import { el } from "./dom.js";

const MAX_RECIPIENTS = 5;

export async function renderSettings(container, api) {
  const title = el("h1", { id: "screen-title", tabindex: "-1" }, "通知設定");
  const status = el("p", { class: "loading", role: "status" }, "載入中…");
  container.replaceChildren(title, status);
  title.focus();
  let current;
  try {
    current = await api.get("/notification-settings");
  } catch (error) {
    status.replaceWith(el("div", { class: "alert alert-error", role: "alert" }, error.message));
    return;
  }
  const inputs = [];
  const errors = [];
  const fields = [];
  for (let i = 0; i < MAX_RECIPIENTS; i += 1) {
    const input = el("input", { id: `email-${i}`, type: "email", name: `email-${i}`, autocomplete: "email",
      inputmode: "email", spellcheck: "false", "aria-describedby": `email-${i}-error` });
    input.value = current.emails[i] ?? "";
    const error = el("p", { id: `email-${i}-error`, class: "field-error" });
    inputs.push(input);
    errors.push(error);
    fields.push(el("div", { class: "field" }, el("label", { for: `email-${i}` }, `收件人 ${i + 1}`), input, error));
  }
  const digest = el("input", { id: "digest", type: "checkbox", name: "digest" });
  digest.checked = Boolean(current.digest);
  const flash = el("div", { id: "settings-flash", role: "status", tabindex: "-1", class: "alert alert-success", hidden: true });
  const failure = el("div", { id: "settings-error", role: "alert", tabindex: "-1", class: "alert alert-error", hidden: true });
  const save = el("button", { type: "submit", class: "btn btn-primary" }, "儲存");
  const form = el("form", { id: "settings-form", novalidate: true },
    el("fieldset", {},
      el("legend", {}, "每日摘要收件人（最多 5 位）"),
      el("p", { class: "hint" }, "每日 08:30 寄送自上次摘要以來所屬通行證的 5個月警示、停用、恢復生效、作廢與撤回異動；無異動或無收件人則不寄送。"),
      fields),
    el("div", { class: "field checkbox" }, digest, el("label", { for: "digest" }, "寄送每日摘要")),
    el("div", { class: "stat-toolbar" }, save),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    flash.hidden = true;
    failure.hidden = true;
    inputs.forEach((input, i) => {
      input.removeAttribute("aria-invalid");
      errors[i].textContent = "";
    });
    const emails = inputs.map((input) => input.value.trim()).filter(Boolean);
    save.disabled = true;
    try {
      const saved = await api.put("/notification-settings", { emails, digest: digest.checked });
      inputs.forEach((input, i) => { input.value = saved.emails[i] ?? ""; });
      flash.textContent = "通知設定已儲存。";
      flash.hidden = false;
      flash.focus();
    } catch (error) {
      failure.textContent = error.message;
      failure.hidden = false;
      // details name the field: emails.N is the N-th non-empty address sent
      const filled = inputs.filter((input) => input.value.trim());
      for (const detail of error.details ?? []) {
        const match = /^emails\.(\d+)$/.exec(detail.field ?? "");
        const input = match ? filled[Number(match[1])] : null;
        if (input) {
          const i = inputs.indexOf(input);
          input.setAttribute("aria-invalid", "true");
          errors[i].textContent = "電子郵件地址格式有誤。";
        }
      }
      (inputs.find((input) => input.getAttribute("aria-invalid")) ?? failure).focus();
    } finally {
      save.disabled = false;
    }
  });
  status.replaceWith(flash, failure, form);
}
