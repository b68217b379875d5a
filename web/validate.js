// The filters' formats (SPEC §2), checked before a search so that a malformed or partial value
// is explained at its field instead of searched for. The API checks again (SPEC §2: NFKC,
// trim, upper-case), and its 400 is shown at the same field.

export const PASS_NO_EXAMPLE = "KHPS112-000045";
export const HOLDER_ID_EXAMPLE = "A123456789";
export const PASS_NO_FORMAT = `通行證號格式有誤：請輸入完整證號，例如 ${PASS_NO_EXAMPLE}（2 碼港區、2 碼證別、3 碼民國年、「-」、6 碼流水號），或至少前 4 碼（如 KHPS）。`;
// After the API's own 400 for a holder ID (a wrong check digit, say).
export const HOLDER_ID_CHECK_HINT = `請輸入完整身分證號，例如 ${HOLDER_ID_EXAMPLE}（國民身分證或居留證 10 碼，檢查碼須正確）。`;
export const HOLDER_ID_FORMAT = `身分證號需完整輸入：國民身分證或居留證 10 碼（例如 ${HOLDER_ID_EXAMPLE}），其他證件 6 至 20 碼英數字；不提供部分比對。`;

const PASS_NO = /^[A-Z]{4}\d{3}-\d{6}$/;
// Every prefix of the pass number's shape (SPEC v1.1: 4 or more leading characters match as
// a prefix): letters, then digits, then the hyphen, then digits.
const PASS_NO_PREFIX = /^[A-Z]{4}(\d{0,3}|\d{3}-\d{0,6})$/;
const OTHER_DOCUMENT = /^[A-Z0-9]{6,20}$/;

export function normalizeIdentifier(value) {
  return String(value ?? "").normalize("NFKC").trim().toUpperCase();
}

// null when fine; otherwise the zh-TW message for the field, with the expected format.
export function passNoProblem(value) {
  const text = normalizeIdentifier(value);
  if (!text || PASS_NO.test(text) || PASS_NO_PREFIX.test(text)) return null;
  return PASS_NO_FORMAT;
}

// Only what is certain on the client: a Taiwan ID has 10 characters, another document 6 to
// 20 (SPEC §2), so fewer than 6 is surely partial; the check digit is the API's to judge.
export function holderIdProblem(value) {
  const text = normalizeIdentifier(value);
  if (!text) return null;
  if (!OTHER_DOCUMENT.test(text) || text.length < 6) return HOLDER_ID_FORMAT;
  return null;
}
