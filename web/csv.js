// CSV export of a list: the server writes the whole filtered list (Accept: text/csv, SPEC §9
// v1.1: UTF-8 with BOM, the screen's columns and masking); the client saves it under its name.

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
