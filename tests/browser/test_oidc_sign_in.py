"""Sign-in through a real OpenID Connect provider, end to end in Chromium.

The provider is `oidc-provider-mock` (authlib's authorization server: discovery, PKCE,
RS256 ID tokens, JWKS, RP-initiated logout) on a local port; the local runtime runs with
``JwtIssuer`` pointing at it, so its gateway trusts that provider's keys as the template's
JWT authorizer would. Expiry is time as input: the browser's clock (Playwright) and the
runtime's clock (``PUT /_local/clock``) are moved past the token's ``exp``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, LAST_RESORT_MS
from tests.e2e.runtime import Runtime, free_port, running

pytestmark = [
    pytest.mark.browser,
    # authlib (inside the mock provider) announces its own future API changes.
    pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib.*"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:oidc_provider_mock.*"),
]

CLIENT_ID = "portpass-web-client"
TOKEN_LIFETIME = timedelta(hours=1)
OFFICER = {
    "sub": "officer-kh-1",
    "name": "港務審核員甲",
    "custom:role": "port_officer",
    "custom:orgId": "TIPC-KH",
    "custom:ports": "KH,AP",
}


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The provider on http://localhost:<port>, answering a browser app's cross-origin calls."""
    import werkzeug.serving
    from oidc_provider_mock import User, _app, app

    # The mock registers confidential clients' methods only; the web client is a public one
    # (Cognito: an app client without a secret), so its token requests authenticate with
    # "none". The mock does not check PKCE: the test checks the verifier the client sends.
    grant = _app.AuthorizationCodeGrant
    saved = grant.TOKEN_ENDPOINT_AUTH_METHODS
    grant.TOKEN_ENDPOINT_AUTH_METHODS = [*saved, "none"]

    flask_app = app(
        require_nonce=True,
        access_token_max_age=TOKEN_LIFETIME,
        user_claims=[User(sub=OFFICER["sub"], claims={k: v for k, v in OFFICER.items() if k != "sub"})],
    )

    # A provider that serves single-page apps (Cognito does) allows their discovery and token
    # requests from another origin.
    @flask_app.after_request
    def allow_cross_origin(response: Any) -> Any:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Headers"] = "*"
        return response

    port = free_port()
    server = werkzeug.serving.make_server("localhost", port, flask_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{port}"
    finally:
        server.shutdown()
        thread.join()
        grant.TOKEN_ENDPOINT_AUTH_METHODS = saved


@pytest.fixture(scope="module")
def oidc_runtime(provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    parameters = f"JwtIssuer={provider} JwtAudience={CLIENT_ID}"
    with running(
        tmp_path_factory.mktemp("oidc"), seed=True, extra_env={"PORTPASS_PARAMETERS": parameters}
    ) as rt:
        yield rt


def config_js(provider: str) -> str:
    settings = {
        "apiBase": "",
        "auth": "oidc",
        "oidc": {"issuer": provider, "clientId": CLIENT_ID, "redirectUri": "", "scope": "openid profile"},
    }
    return f"window.PORTPASS_CONFIG = {json.dumps(settings)};"


def claims_of(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


@pytest.fixture
def oidc_page(
    browser: Any, oidc_runtime: Runtime, provider: str, request: pytest.FixtureRequest
) -> Iterator[Any]:
    context = browser.new_context(
        base_url=oidc_runtime.base_url,
        viewport={"width": 1366, "height": 900},
        locale="zh-TW",
        timezone_id="Asia/Taipei",
    )
    context.set_default_timeout(LAST_RESORT_MS)
    page = context.new_page()
    page.route(
        "**/config.js", lambda route: route.fulfill(body=config_js(provider), content_type="text/javascript")
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    oidc_runtime.call("DELETE", "/_local/clock")
    assert errors == [], f"uncaught errors in the page: {errors}"


def record_oauth_request(request: Any, sent: dict[str, dict[str, str]]) -> None:
    url = urlparse(request.url)
    if url.path == "/oauth2/authorize" and request.method == "GET":
        sent["authorize"] = {k: v[0] for k, v in parse_qs(url.query).items()}
    elif url.path == "/oauth2/token":
        sent["token"] = {k: v[0] for k, v in parse_qs(request.post_data or "").items()}


def sign_in_at_provider(page: Any, provider: str) -> None:
    page.wait_for_url(f"{provider}/oauth2/authorize?**")
    page.get_by_role("button", name=OFFICER["sub"]).click()


def test_sign_in_call_the_api_expire_and_sign_out(
    oidc_page: Any, oidc_runtime: Runtime, provider: str
) -> None:
    page = oidc_page
    page.clock.install(time=datetime.now(UTC))
    sent: dict[str, dict[str, str]] = {}
    page.on("request", lambda r: record_oauth_request(r, sent))
    # Given a signed-out user opening the client, When he signs in at the provider
    page.goto("/#/records/own6")
    sign_in_at_provider(page, provider)
    # Then he is back on the screen he asked for, without ?code= in the address bar
    page.wait_for_url(f"{oidc_runtime.base_url}/#/records/own6")
    page.locator("#list-range").filter(has_text="顯示第").wait_for()
    assert "code=" not in page.url
    # And the code was exchanged with the PKCE verifier of the challenge sent (RFC 7636 S256)
    challenge = sent["authorize"]["code_challenge"]
    verifier = sent["token"]["code_verifier"]
    assert sent["authorize"]["code_challenge_method"] == "S256"
    assert (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        == challenge
    )
    assert sent["token"]["client_id"] == CLIENT_ID
    assert "client_secret" not in sent["token"]
    # And the header shows the provider's name claim and his ports
    expect(page.locator("#who")).to_contain_text(OFFICER["name"])
    expect(page.locator("#who-ports")).to_have_text("負責港區：高雄港、安平港")
    # And the list came from the API with the provider's ID token: his own ports only
    token = page.evaluate("JSON.parse(sessionStorage.getItem('portpass.session')).token")
    claims = claims_of(token)
    assert claims["iss"] == provider
    assert CLIENT_ID in ([claims["aud"]] if isinstance(claims["aud"], str) else claims["aud"])
    assert claims["custom:role"] == "port_officer"
    assert oidc_runtime.call("GET", "/inactive-passes?tier=6", token=token).status == 200
    ports = set(page.locator("#list-body td[data-label='領證港區']").all_inner_texts())
    assert ports
    assert ports <= {"高雄港", "安平港"}

    # When the token's lifetime has passed (the runtime's clock and the browser's moved on)
    expired_at = datetime.fromtimestamp(claims["exp"], UTC) + timedelta(minutes=1)
    oidc_runtime.set_clock(expired_at.isoformat())
    # Then the API refuses that token
    assert oidc_runtime.call("GET", "/inactive-passes?tier=6", token=token).status == 401
    # And the client, on its next request, goes back to the provider for a new one
    page.clock.fast_forward(int((expired_at - datetime.now(UTC)).total_seconds() * 1000))
    page.get_by_role("tab", name=re.compile(r"^所屬通行證 5個月未通行( \([\d,]+\))?$")).click()
    page.wait_for_url(f"{provider}/oauth2/authorize?**")
    oidc_runtime.call("DELETE", "/_local/clock")

    # When he signs in again (the browser's clock back to the provider's) and then signs out
    page.clock.set_system_time(datetime.now(UTC))
    page.get_by_role("button", name=OFFICER["sub"]).click()
    page.wait_for_url(f"{oidc_runtime.base_url}/#/records/own5")
    page.locator("#list-range").filter(has_text="顯示第").wait_for()
    page.get_by_role("button", name="登出").click()
    # Then the provider's end-session page is asked, with the ID token as a hint
    page.wait_for_url(f"{provider}/oauth2/end_session?**")
    assert "id_token_hint=" in page.url
    assert "post_logout_redirect_uri=" in page.url
    # And the client holds no token any more
    page.get_by_role("button").first.wait_for()
    page.goto(f"{oidc_runtime.base_url}/#/records/own6")
    page.wait_for_url(f"{provider}/oauth2/authorize?**")
    assert page.evaluate("sessionStorage.getItem('portpass.session')") is None


def test_a_forged_callback_is_refused_and_offers_a_new_sign_in(
    oidc_page: Any, oidc_runtime: Runtime, provider: str
) -> None:
    page = oidc_page
    # Given a callback the client never asked for (no pending state: a forged or replayed link)
    page.goto(f"{oidc_runtime.base_url}/?code=stolen&state=forged#/records/own6")
    # Then no token is kept, the page says the sign-in failed and offers 重新登入
    expect(page.get_by_role("alert")).to_contain_text("登入驗證失敗")
    assert page.evaluate("sessionStorage.getItem('portpass.session')") is None
    assert "code=" not in page.url
    # When 重新登入 is pressed, Then the provider is asked again
    page.get_by_role("button", name="重新登入").click()
    page.wait_for_url(f"{provider}/oauth2/authorize?**")
