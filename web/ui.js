// Small shared pieces of the screens: feedback while a request runs.

// Marks a button busy while a request runs: disabled, a spinner and a text that says what is
// happening; returns the function that restores it (it does nothing once the button is gone).
export function busy(button, text = "處理中…") {
  const label = button.textContent;
  const wasDisabled = button.disabled;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  const spinner = document.createElement("span");
  spinner.className = "spinner";
  spinner.setAttribute("aria-hidden", "true");
  button.replaceChildren(spinner, document.createTextNode(text));
  return () => {
    if (!button.isConnected) return;
    button.replaceChildren(document.createTextNode(label));
    button.removeAttribute("aria-busy");
    button.disabled = wasDisabled;
  };
}

// "2026/12/03 18:05" for an instant in Asia/Taipei, from now + seconds.
export function untilText(seconds, now = Date.now()) {
  const at = new Date(now + seconds * 1000);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: "Asia/Taipei", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(at).map((p) => [p.type, p.value]),
  );
  return `${parts.year}/${parts.month}/${parts.day} ${parts.hour}:${parts.minute}`;
}
