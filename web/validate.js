// The filters' formats (SPEC §2), checked before a search so that a malformed or partial value
// is explained at its field instead of searched for. The API checks again (SPEC §2: NFKC,
// trim, upper-case), and its 400 is shown at the same field.

import { MESSAGES } from "./labels.js";

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
// SPEC §2: a Taiwan national ID (second character 1/2) or resident certificate (A-D, 8/9).
const TAIWAN_ID = /^[A-Z][12ABCD89][0-9]{8}$/;
const LETTER_CODES = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
};
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 1, 1];

// The check digit of a Taiwan ID (the same rule the API applies).
export function hasValidCheckDigit(id) {
  const code = LETTER_CODES[id[0]];
  const second = /[A-Z]/.test(id[1]) ? LETTER_CODES[id[1]] % 10 : Number(id[1]);
  const digits = [second, ...id.slice(2).split("").map(Number)];
  const total = Math.floor(code / 10) + (code % 10) * 9 + digits.reduce((sum, d, i) => sum + d * WEIGHTS[i], 0);
  return total % 10 === 0;
}

// A Taiwan-shaped ID whose last digit does not fit: almost always a typo in one digit.
export function isCheckDigitTypo(value) {
  const text = normalizeIdentifier(value);
  return TAIWAN_ID.test(text) && !hasValidCheckDigit(text);
}

export function normalizeIdentifier(value) {
  return String(value ?? "").normalize("NFKC").trim().toUpperCase();
}

// null when fine; otherwise the zh-TW message for the field, with the expected format.
export function passNoProblem(value) {
  const text = normalizeIdentifier(value);
  if (!text || PASS_NO.test(text) || PASS_NO_PREFIX.test(text)) return null;
  return PASS_NO_FORMAT;
}

// What is certain on the client: a Taiwan ID has 10 characters and a check digit, another
// document 6 to 20 (SPEC §2), so fewer than 6 is surely partial. Nothing malformed is sent
// (a malformed ID is no attempt, SPEC §5); the API checks again.
export function holderIdProblem(value) {
  const text = normalizeIdentifier(value);
  if (!text) return null;
  if (!OTHER_DOCUMENT.test(text) || text.length < 6) return HOLDER_ID_FORMAT;
  if (isCheckDigitTypo(text)) return MESSAGES.checkDigit;
  return null;
}

// The API's 400 INVALID_HOLDER_ID as the clerk should read it: a check-digit typo by name.
export function idErrorText(error, value) {
  if (isCheckDigitTypo(value)) return MESSAGES.checkDigit;
  return `${error.message}${HOLDER_ID_CHECK_HINT}`;
}
