// Which screens and tabs each role can use (SPEC §5's table). A tab that can never hold a
// row for a role is not offered at all: an admin has no "other" passes; the issuance system
// only looks up eligibility.

const SCREENS_BY_ROLE = {
  company: ["records", "reinstatement"],
  port_officer: ["records", "reinstatement"],
  admin: ["records", "reinstatement", "eligibility"],
  issuer: ["eligibility"],
};

// Roles with no "other" passes (SPEC §5: admin "none", issuer "none").
const NO_OTHER_SCOPE = new Set(["admin", "issuer"]);

export function screensFor(role) {
  return SCREENS_BY_ROLE[role] ?? ["records", "reinstatement"];
}

export function canUseScreen(role, screenId) {
  return screensFor(role).includes(screenId);
}

export function canUseTab(role, tab) {
  return !(NO_OTHER_SCOPE.has(role) && tab.query?.scope === "other");
}

export function homeRoute(role) {
  const first = screensFor(role)[0];
  return first === "records" ? "#/records/own6" : `#/${first}`;
}
