// CSV export of a list exactly as the screen shows it (the API's data, masked by the server).
// UTF-8 with a byte-order mark and CRLF lines, so that Excel opens the zh-TW text as such.
// The server writes the file itself (Accept: text/csv, SPEC §9 v1.1); toCsv serves only a
// server that does not yet (the client then pages through the list as before).

const BOM = "\uFEFF";

// A cell that a spreadsheet would read as a formula is prefixed with ' (OWASP "CSV injection").
function cell(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header, rows) {
  return BOM + [header, ...rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}

export function download(filename, content) {
  const blob = content instanceof Blob ? content : new Blob([content], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

// 人員通行記錄_所屬6個月_高雄港_KHPS112_停用中(因未通行)_2026-12-02.csv: the list, its filters
// and the Taipei date of the export, so that two exports never share a name. A holder ID is
// never put in a file name (names are shared and logged): "依身分證號" says it was filtered.
export function csvFileName(base, { portLabel = "", holderId = "", passNo = "", statusLabel = "" } = {}, now = new Date()) {
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Taipei", year: "numeric", month: "2-digit", day: "2-digit" })
    .format(now);
  const parts = [base, portLabel, holderId && "依身分證號", passNo, statusLabel, day]
    .filter(Boolean)
    .map((part) => String(part).replace(/[\\/:*?"<>|\s]+/g, "-"));
  return `${parts.join("_")}.csv`;
}
