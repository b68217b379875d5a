// Where the Bearer token comes from. Two implementations behind one shape:
//   { mode, token(), claims(), start(), signOut(), expired() }
// "local": a demo user picked on the sign-in page (the local runtime's /_local/ controls).
// "oidc":  the deployment's identity provider, authorization code + PKCE (RFC 7636) for a
//          public client, through oauth4webapi (vendor/, docs/decisions.md); the ID token is
//          the Bearer token (it carries the custom:* claims).
// The token lives in sessionStorage: it ends with the tab and is never written to disk.

import * as oauth from "./vendor/oauth4webapi.js";

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

function writeSession(token, extra = {}) {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify({ token, ...extra }));
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
  const client = { client_id: oidc.clientId };
  const clientAuth = oauth.None(); // a public client: PKCE instead of a secret
  // Plain http only for a provider on this machine (the browser tests' provider).
  const loopback = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(oidc.issuer ?? "");
  const httpOptions = loopback ? { [oauth.allowInsecureRequests]: true } : {};
  let metadata = null;

  // The provider's metadata: its discovery document (OpenID Connect Discovery 1.0), with any
  // endpoint the configuration names explicitly taking precedence (Cognito's hosted UI).
  async function authorizationServer() {
    if (metadata) return metadata;
    const issuer = new URL(oidc.issuer);
    let discovered = { issuer: oidc.issuer };
    if (!(oidc.authorizationEndpoint && oidc.tokenEndpoint)) {
      const response = await oauth.discoveryRequest(issuer, { ...httpOptions, algorithm: "oidc" });
      discovered = await oauth.processDiscoveryResponse(issuer, response);
    }
    metadata = {
      ...discovered,
      ...(oidc.authorizationEndpoint && { authorization_endpoint: oidc.authorizationEndpoint }),
      ...(oidc.tokenEndpoint && { token_endpoint: oidc.tokenEndpoint }),
    };
    return metadata;
  }

  async function redirectToProvider() {
    const as = await authorizationServer();
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, nonce, hash: window.location.hash }));
    const url = new URL(as.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: oidc.clientId,
      redirect_uri: redirectUri,
      scope: oidc.scope || "openid",
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    }).toString();
    window.location.assign(url.toString());
  }

  // Back from the provider with ?code=&state=: the library checks the state, exchanges the
  // code with the PKCE verifier and validates the ID token's iss, aud, exp, iat and nonce.
  async function completeRedirect() {
    const pending = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? "null");
    sessionStorage.removeItem(PKCE_KEY);
    const failed = new Error("登入驗證失敗，請重新登入。");
    try {
      if (!pending) throw failed; // a callback this tab never asked for
      const as = await authorizationServer();
      const params = oauth.validateAuthResponse(as, client, new URL(window.location.href), pending.state);
      const response = await oauth.authorizationCodeGrantRequest(
        as, client, clientAuth, params, redirectUri, pending.verifier, httpOptions);
      const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
        expectedNonce: pending.nonce, requireIdToken: true });
      writeSession(result.id_token, { at: Date.now() });
    } catch (error) {
      console.warn("sign-in failed", error?.code ?? error?.name);
      throw failed;
    } finally {
      // Drop ?code=&state= from the address bar; back to the screen the user was on.
      window.history.replaceState(null, "", redirectUri + (pending?.hash ?? window.location.hash));
    }
  }

  return {
    ...sessionAuth("oidc"),
    // Returns true when signed in; otherwise leaves for the provider's sign-in page.
    async start() {
      const params = new URLSearchParams(window.location.search);
      if (params.has("state") && (params.has("code") || params.has("error"))) await completeRedirect();
      if (readSession()) return true;
      await redirectToProvider();
      return false;
    },
    async signOut() {
      const idToken = readSession()?.token ?? null;
      clearSession();
      if (oidc.logoutEndpoint) {
        // Cognito's hosted UI: /logout?client_id=&logout_uri=
        const url = new URL(oidc.logoutEndpoint);
        url.search = new URLSearchParams({ client_id: oidc.clientId, logout_uri: redirectUri }).toString();
        window.location.assign(url.toString());
        return;
      }
      const as = await authorizationServer();
      if (as.end_session_endpoint) {
        // OpenID Connect RP-Initiated Logout 1.0.
        const url = new URL(as.end_session_endpoint);
        url.search = new URLSearchParams({
          client_id: oidc.clientId,
          post_logout_redirect_uri: redirectUri,
          ...(idToken && { id_token_hint: idToken }),
        }).toString();
        window.location.assign(url.toString());
        return;
      }
      await redirectToProvider();
    },
    // The API answered 401, or the ID token's exp passed: a new one from the provider, whose
    // own session usually returns it without asking the user again.
    expired() {
      const session = readSession();
      clearSession();
      // A token the API refuses right after sign-in would loop through the provider forever
      // (a misconfigured audience or issuer): say so instead.
      if (session?.at && Date.now() - session.at < 15_000) {
        throw new Error("登入成功，但服務不接受此帳號的憑證，請洽系統管理者。");
      }
      redirectToProvider();
    },
  };
}
