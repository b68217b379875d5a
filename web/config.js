// Deployment settings of the web client: the one file a deployment rewrites.
//
// apiBase  where the HTTP API lives: "" = the same origin (the local runtime serves the API
//          and this directory together); in AWS the HttpApi URL from the stack outputs,
//          e.g. "https://abc123.execute-api.ap-northeast-1.amazonaws.com".
// auth     "local": the sign-in page lists the local runtime's demo users
//          (GET /_local/users, POST /_local/login); never deployed.
//          "oidc": the deployment's identity provider (a Cognito user pool's hosted UI, or any
//          OpenID Connect provider with authorization code + PKCE for a public client). Its
//          ID token carries the claims the API's JWT authorizer reads (sub, name,
//          custom:role, custom:orgId, custom:ports) and is sent as the Bearer token.
// oidc     used only when auth is "oidc":
//          authorizationEndpoint, tokenEndpoint  e.g. https://<domain>/oauth2/authorize, /oauth2/token
//          clientId      the app client (its ID is the JWT audience the authorizer accepts)
//          redirectUri   this page's URL, registered as a callback URL of the app client
//          scope         "openid profile" at least
//          logoutEndpoint (optional) e.g. https://<domain>/logout; called with client_id and logout_uri
window.PORTPASS_CONFIG = {
  apiBase: "",
  auth: "local",
  oidc: {
    authorizationEndpoint: "",
    tokenEndpoint: "",
    clientId: "",
    redirectUri: "",
    scope: "openid profile",
    logoutEndpoint: "",
  },
};
