// Which screens and tabs each role can use (SPEC §5's table). A tab that can never hold a
// row for a role is not offered at all: an admin has no "other" passes; the issuance system
// only looks up eligibility.
//
// A new screen may say who uses it with `roles: [...]` in its SCREENS entry (app.js); without
// it, the people's roles (not the issuance system) get it.

const KNOWN_SCREENS = {
  records: ["company", "port_officer", "admin"],
  reinstatement: ["company", "port_officer", "admin"],
  eligibility: ["admin", "issuer"],
};
const PEOPLE = ["company", "port_officer", "admin"];

// The caller's role from its token's claims: people carry custom:role (SPEC §5); the issuance
// system may sign in with client credentials, whose access token carries its scope instead.
export const ISSUER_SCOPE = "portpass/issuer";
export function roleOf(claims) {
  if (claims?.["custom:role"]) return claims["custom:role"];
  return String(claims?.scope ?? "").split(" ").includes(ISSUER_SCOPE) ? "issuer" : "";
}

// Roles with no "other" passes (SPEC §5: admin "none", issuer "none").
const NO_OTHER_SCOPE = new Set(["admin", "issuer"]);

export function canUseScreen(role, screenId, screen = undefined) {
  const roles = screen?.roles ?? KNOWN_SCREENS[screenId] ?? PEOPLE;
  return roles.includes(role);
}

export function canUseTab(role, tab) {
  return !(NO_OTHER_SCOPE.has(role) && tab.query?.scope === "other");
}

// The first screen of the role: the manual's first screen for people, the look-up otherwise.
export function homeRoute(role) {
  return canUseScreen(role, "records") ? "#/records/own6" : "#/eligibility";
}
