// Where the Bearer token comes from. Two implementations behind one shape:
//   { mode, token(), claims(), start(), signOut(), expired() }
// "local": a demo user picked on the sign-in page (the local runtime's /_local/ controls).
// "oidc":  the deployment's identity provider, authorization code + PKCE (RFC 7636) for a
//          public client; the ID token is the Bearer token (it carries the custom:* claims).
// The token lives in sessionStorage: it ends with the tab and is never written to disk.

const SESSION_KEY = "portpass.session";
const PKCE_KEY = "portpass.pkce";

export function decodeClaims(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const padded = part + "=".repeat((4 - (part.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

function readSession() {
  try {
    const session = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? "null");
    if (!session || typeof session.token !== "string") return null;
    const claims = decodeClaims(session.token);
    if (claims && typeof claims.exp === "number" && claims.exp * 1000 <= Date.now()) return null;
    return session;
  } catch {
    return null;
  }
}

function writeSession(token) {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify({ token }));
}

function clearSession() {
  sessionStorage.removeItem(SESSION_KEY);
}

function sessionAuth(mode) {
  return {
    mode,
    token: () => readSession()?.token ?? null,
    claims: () => {
      const session = readSession();
      return session ? decodeClaims(session.token) : null;
    },
  };
}

export function createLocalAuth() {
  return {
    ...sessionAuth("local"),
    // Signed out: the app shows its sign-in page (#/login).
    async start() {
      return readSession() !== null;
    },
    async listUsers(api) {
      const users = await api.get("/_local/users", undefined, { auth: false });
      return Array.isArray(users) ? users : (users?.users ?? []);
    },
    async signIn(api, username) {
      const answer = await api.post("/_local/login", { username }, { auth: false });
      writeSession(answer.token);
    },
    signOut() {
      clearSession();
      window.location.hash = "#/login";
    },
    // The API answered 401: back to the sign-in page.
    expired() {
      this.signOut();
    },
  };
}

export function createOidcAuth(oidc) {
  const redirectUri = oidc.redirectUri || window.location.origin + window.location.pathname;

  async function redirectToProvider() {
    const verifier = randomString(64);
    const state = randomString(24);
    sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, hash: window.location.hash }));
    const url = new URL(oidc.authorizationEndpoint);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: oidc.clientId,
      redirect_uri: redirectUri,
      scope: oidc.scope || "openid",
      state,
      code_challenge: await sha256Base64Url(verifier),
      code_challenge_method: "S256",
    }).toString();
    window.location.assign(url.toString());
  }

  async function completeRedirect(params) {
    const pending = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? "null");
    sessionStorage.removeItem(PKCE_KEY);
    if (!pending || pending.state !== params.get("state")) {
      throw new Error("登入驗證失敗，請重新登入。");
    }
    const response = await fetch(oidc.tokenEndpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: oidc.clientId,
        code: params.get("code"),
        redirect_uri: redirectUri,
        code_verifier: pending.verifier,
      }),
    });
    const tokens = response.ok ? await response.json() : null;
    if (!tokens?.id_token) throw new Error("登入驗證失敗，請重新登入。");
    writeSession(tokens.id_token);
    // Drop ?code=&state= from the address bar; back to the screen the user was on.
    window.history.replaceState(null, "", redirectUri + (pending.hash || ""));
  }

  return {
    ...sessionAuth("oidc"),
    // Returns true when signed in; otherwise leaves for the provider's sign-in page.
    async start() {
      const params = new URLSearchParams(window.location.search);
      if (params.has("code") && params.has("state")) await completeRedirect(params);
      if (readSession()) return true;
      await redirectToProvider();
      return false;
    },
    signOut() {
      clearSession();
      if (oidc.logoutEndpoint) {
        const url = new URL(oidc.logoutEndpoint);
        url.search = new URLSearchParams({ client_id: oidc.clientId, logout_uri: redirectUri }).toString();
        window.location.assign(url.toString());
      } else {
        redirectToProvider();
      }
    },
    // The API answered 401 (the ID token lasts an hour): a new one from the provider, whose
    // own session usually returns it without asking the user again.
    expired() {
      clearSession();
      redirectToProvider();
    },
  };
}

function randomString(length) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

async function sha256Base64Url(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}
