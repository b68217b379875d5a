// The HTTP API of SPEC §9, as the screens use it. Every failure becomes an ApiError whose
// `message` is zh-TW text fit to show on the page (the API's error.message when it sent one).

const FALLBACK_MESSAGES = {
  network: "無法連線至伺服器，請檢查網路後再試。",
  401: "未登入或登入已逾時，請重新登入。",
  403: "此帳號無此功能權限。",
  404: "查無資料。",
  429: "嘗試次數過多，請稍後再試。",
  other: "系統發生錯誤，請稍後再試。",
};

export class ApiError extends Error {
  constructor({ status, code, message, details = [], attemptsLeft = null, retryAfter = null }) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.attemptsLeft = attemptsLeft;
    this.retryAfter = retryAfter; // seconds, from the Retry-After header
  }
}

export function createApi({ apiBase, token, onUnauthorized }) {
  async function request(method, path, { query, body, auth = true } = {}) {
    const url = new URL(apiBase.replace(/\/$/, "") + path, window.location.href);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, String(value));
    }
    const headers = { Accept: "application/json" };
    const bearer = auth ? token() : null;
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";

    let response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError({ status: 0, code: "NETWORK", message: FALLBACK_MESSAGES.network });
    }
    const payload = await readJson(response);
    if (response.ok) return payload;

    const error = toApiError(response, payload);
    if (error.status === 401 && auth && onUnauthorized) onUnauthorized(error);
    throw error;
  }

  // SPEC §9 v1.1: a list route answers `Accept: text/csv` with the whole filtered list as one
  // CSV file. Resolves to { blob, filename } (filename from Content-Disposition, or null), or
  // to null when the server answered something else (a server without the export); failures
  // are ApiErrors carrying the error envelope's zh-TW message, as for every other request.
  async function requestCsv(path, query) {
    const url = new URL(apiBase.replace(/\/$/, "") + path, window.location.href);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, String(value));
    }
    const headers = { Accept: "text/csv" };
    const bearer = token();
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    let response;
    try {
      response = await fetch(url, { method: "GET", headers });
    } catch {
      throw new ApiError({ status: 0, code: "NETWORK", message: FALLBACK_MESSAGES.network });
    }
    if (!response.ok) {
      const error = toApiError(response, await readJson(response));
      if (error.status === 401 && onUnauthorized) onUnauthorized(error);
      throw error;
    }
    if (!(response.headers.get("Content-Type") ?? "").toLowerCase().startsWith("text/csv")) {
      throw new ApiError({ status: response.status, code: "NOT_CSV", message: FALLBACK_MESSAGES.other });
    }
    return { blob: await response.blob(), filename: filenameOf(response.headers.get("Content-Disposition")) };
  }

  return {
    getCsv: requestCsv,
    get: (path, query, options = {}) => request("GET", path, { ...options, query }),
    post: (path, body, options = {}) => request("POST", path, { ...options, body }),
    put: (path, body, options = {}) => request("PUT", path, { ...options, body }),
    delete: (path, options = {}) => request("DELETE", path, options),
  };
}

// RFC 6266 / 5987: filename*=UTF-8''<percent-encoded> first, else a plain filename="...".
export function filenameOf(header) {
  if (!header) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      return null;
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"/i.exec(header);
  return plain ? plain[1] : null;
}

async function readJson(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function toApiError(response, payload) {
  const error = payload && typeof payload === "object" ? payload.error : null;
  const status = response.status;
  const message =
    (error && typeof error.message === "string" && error.message) ||
    FALLBACK_MESSAGES[status] ||
    `${FALLBACK_MESSAGES.other}（HTTP ${status}）`;
  return new ApiError({
    status,
    code: (error && error.code) || `HTTP_${status}`,
    message,
    details: (error && Array.isArray(error.details) && error.details) || [],
    attemptsLeft: attemptsLeftOf(error),
    retryAfter: retryAfterSeconds(response.headers.get("Retry-After")),
  });
}

function attemptsLeftOf(error) {
  if (!error) return null;
  if (Number.isInteger(error.attemptsLeft)) return error.attemptsLeft;
  for (const detail of Array.isArray(error.details) ? error.details : []) {
    if (detail && Number.isInteger(detail.attemptsLeft)) return detail.attemptsLeft;
  }
  return null;
}

// Retry-After is either seconds or an HTTP date (RFC 9110 §10.2.3).
function retryAfterSeconds(header) {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.round((at - Date.now()) / 1000));
}
