// Deployment settings of the web client: the one file a deployment rewrites.
//
// apiBase  where the HTTP API lives: "" = the same origin (the local runtime serves the API
//          and this directory together); in AWS the HttpApi URL from the stack outputs,
//          e.g. "https://abc123.execute-api.ap-northeast-1.amazonaws.com".
// auth     "local": the sign-in page lists the local runtime's demo users
//          (GET /_local/users, POST /_local/login); never deployed.
//          "oidc": the deployment's identity provider (a Cognito user pool's hosted UI, or any
//          OpenID Connect provider with authorization code + PKCE for a public client, signed
//          in through the vendored oauth4webapi library). Its
//          ID token carries the claims the API's JWT authorizer reads (sub, name,
//          custom:role, custom:orgId, custom:ports) and is sent as the Bearer token.
// oidc     used only when auth is "oidc":
//          issuer        the ID token's iss, e.g. https://cognito-idp.<region>.amazonaws.com/<pool id>;
//                        its /.well-known/openid-configuration gives the endpoints
//          authorizationEndpoint, tokenEndpoint  (optional, override discovery)
//                        e.g. https://<domain>/oauth2/authorize, /oauth2/token
//          clientId      the app client (its ID is the JWT audience the authorizer accepts)
//          redirectUri   this page's URL, registered as a callback URL of the app client
//          scope         "openid profile" at least
//          logoutEndpoint (optional) e.g. https://<domain>/logout; called with client_id and logout_uri
//                        (Cognito); without it the provider's end_session_endpoint, if any
window.PORTPASS_CONFIG = {
  apiBase: "",
  auth: "local",
  oidc: {
    issuer: "",
    authorizationEndpoint: "",
    tokenEndpoint: "",
    clientId: "",
    redirectUri: "",
    scope: "openid profile",
    logoutEndpoint: "",
  },
};
