"""Test tooling for single sign-on: a person signing in at the real test identity provider
(tests/idp) with plain HTTP, and a hand-made OpenID provider on loopback whose tokens a test
writes itself (wrong key, other audience, other issuer...), to prove they are refused."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urljoin, urlsplit

import requests
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey


def query_of(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def sign_in_at_idp(authorize_url: str, username: str, password: str) -> str:
    """Follow the authorization URL as a browser would, sign in at the identity provider, and
    return where it sends the person back (our callback, with code and state)."""
    browser = requests.Session()
    answer = browser.get(authorize_url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    login_url = urljoin(authorize_url, answer.headers["Location"])
    browser.get(login_url, timeout=10).raise_for_status()
    answer = browser.post(login_url, data={
        "username": username, "password": password, "csrfmiddlewaretoken": browser.cookies["idp_csrftoken"],
        "next": query_of(login_url)["next"],
    }, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    answer = browser.get(urljoin(login_url, answer.headers["Location"]), allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    return answer.headers["Location"]


class HandMadeProvider:
    """Discovery, JWKS and a token endpoint answering with `self.id_token` (which the test sets)."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "published"})
        self.id_token = ""
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _json(self, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                if self.path.endswith("/.well-known/openid-configuration"):
                    self._json(provider.metadata())
                elif self.path.endswith("/jwks"):
                    self._json(KeySet([provider.key]).as_dict(private=False))
                else:
                    self.send_error(404)

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._json({"access_token": "opaque", "token_type": "Bearer", "expires_in": 300,
                            "id_token": provider.id_token})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}/idp"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def metadata(self) -> dict:
        return {"issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"], "id_token_signing_alg_values_supported": ["RS256"],
                "subject_types_supported": ["public"]}

    def token(self, *, nonce: str, aud: str, email: str, key: RSAKey | None = None, **claims) -> str:
        now = int(time.time())
        body = {"iss": self.issuer, "sub": "person-1", "aud": aud, "iat": now, "exp": now + 300, "nonce": nonce,
                "email": email, "email_verified": True, **claims}
        signing = key or self.key
        return jwt.encode({"alg": "RS256", "kid": signing.kid}, body, signing)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
