// 申請資格查詢: the manual's notice 2 as a look-up (SPEC §9 GET /holders/{holderId}/eligibility),
// for the issuance system's accounts and the admin. A holder ID in; 定期證 / 臨時證 / 當次證
// allowed or not, and why.

import { MESSAGES } from "./labels.js";
import { HOLDER_ID_EXAMPLE, holderIdProblem, idErrorText, normalizeIdentifier } from "./validate.js";

const KINDS = [
  ["regular", "定期證"],
  ["temporary", "臨時證"],
  ["singleVisit", "當次證"],
];

export function renderEligibility({ h, main, api, busy }) {
  document.title = "申請資格查詢 - 通行證資訊網";
  const result = h("section", { id: "eligibility-result", "aria-live": "polite", "aria-labelledby": "eligibility-result-title" });
  const fieldError = h("p", { id: "eligibility-error", class: "field-error", role: "alert" });
  const input = h("input", { id: "eligibility-holder-id", name: "holderId", autocomplete: "off", spellcheck: "false",
    autocapitalize: "characters", "aria-describedby": "eligibility-hint eligibility-error", required: true });
  const submit = h("button", { type: "submit", class: "btn btn-primary", id: "eligibility-submit" }, "查詢");

  async function onSubmit(event) {
    event.preventDefault();
    const holderId = normalizeIdentifier(input.value);
    const problem = holderId ? holderIdProblem(holderId) : "請輸入身分證號。";
    if (problem) {
      fieldError.textContent = problem;
      input.setAttribute("aria-invalid", "true");
      input.focus();
      result.replaceChildren();
      return;
    }
    fieldError.textContent = "";
    input.removeAttribute("aria-invalid");
    const done = busy(submit, "查詢中…");
    try {
      const answer = await api.get(`/holders/${encodeURIComponent(holderId)}/eligibility`);
      result.replaceChildren(...resultView(h, answer));
      result.querySelector("h2")?.focus();
    } catch (error) {
      if (error.status === 401) return;
      fieldError.textContent = error.code === "INVALID_HOLDER_ID" ? idErrorText(error, holderId) : error.message;
      input.setAttribute("aria-invalid", "true");
      input.focus();
      result.replaceChildren();
    } finally {
      done();
    }
  }

  main.replaceChildren(
    h("h1", { id: "screen-title", tabindex: "-1" }, "申請資格查詢"),
    h("p", {}, "輸入持證人的身分證號，查詢目前可否申請定期證、臨時證與當次證（定期證停用期間，禁止申請定期證與臨時證，可以申請當次證）。"),
    h("form", { class: "filters", role: "search", "aria-label": "申請資格查詢", onsubmit: onSubmit, novalidate: true },
      h("div", { class: "field field-wide" },
        h("label", { for: "eligibility-holder-id" }, "身分證號:"),
        input,
        h("p", { id: "eligibility-hint", class: "field-hint" }, `完整身分證號，例如 ${HOLDER_ID_EXAMPLE}`),
        fieldError,
      ),
      h("div", { class: "filter-actions" }, submit),
    ),
    result,
  );
  main.querySelector("#screen-title").focus();
}

function resultView(h, answer) {
  // SPEC §9 v1.2: no pass of any status on record for the ID. A typo must not read as
  // "allowed": say the ID is unknown and list no verdicts.
  if (answer.holderKnown === false) {
    return [
      h("h2", { id: "eligibility-result-title", tabindex: "-1" }, `查詢結果：${answer.holderId}`),
      h("div", { id: "eligibility-unknown", class: "alert alert-warning", role: "status" },
        MESSAGES.holderUnknown(answer.holderId)),
    ];
  }
  return [
    h("h2", { id: "eligibility-result-title", tabindex: "-1" }, `查詢結果：${answer.holderId}`),
    h("ul", { class: "eligibility" },
      KINDS.map(([key, label]) => {
        const permission = answer[key] ?? { allowed: false, reason: null };
        return h("li", { class: permission.allowed ? "allowed" : "refused", "data-kind": key },
          h("span", { class: "kind" }, label),
          h("span", { class: "verdict" }, permission.allowed ? "可申請" : "不可申請"),
          h("span", { class: "why" }, permission.reason?.message ?? (permission.allowed ? allowedWhy(answer) : "")),
        );
      }),
    ),
    answer.suspendedPasses?.length
      ? h("p", { class: "suspended-passes" }, `停用中的定期證：${answer.suspendedPasses.join("、")}`)
      : h("p", { class: "suspended-passes" }, "此人目前沒有停用中的定期證。"),
  ];
}

function allowedWhy(answer) {
  return answer.suspendedPasses?.length ? "不受定期證停用影響，可以申請。" : "無停用中的定期證。";
}
