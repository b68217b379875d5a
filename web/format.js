// Dates as the manual shows them. The API sends dates as YYYY-MM-DD and instants in
// ISO 8601 (SPEC §3); every calendar value is read in Asia/Taipei.

const TAIPEI = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Taipei",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function taipeiParts(instant) {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) return null;
  const parts = Object.fromEntries(TAIPEI.formatToParts(at).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

// 2024-03-01 (a date, or the Taipei date of an instant); "" when absent.
export function isoDate(value) {
  if (!value) return "";
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return taipeiParts(value)?.date ?? String(value);
}

// 2024/05/28, as the history screen of the manual.
export function slashDate(value) {
  return isoDate(value).replace(/-/g, "/");
}

// 2024/06/29 06:00, as the history screen of the manual.
export function slashDateTime(value) {
  if (!value) return "";
  const parts = taipeiParts(value);
  return parts ? `${parts.date.replace(/-/g, "/")} ${parts.time}` : String(value);
}

// "15 分鐘" / "2 小時 5 分鐘" for a Retry-After in seconds.
export function waitText(seconds) {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  const hours = Math.floor(minutes / 60);
  if (hours === 0) return `${minutes} 分鐘`;
  return minutes % 60 === 0 ? `${hours} 小時` : `${hours} 小時 ${minutes % 60} 分鐘`;
}
