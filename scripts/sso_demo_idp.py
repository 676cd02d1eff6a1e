"""Try single sign-on in the demo: start the test identity provider (django-oauth-toolkit's
OpenID provider, tests/idp) on loopback and make it the identity provider of the demo's
provider organisation, Helios Contact, for the domain helios.example.

    make sso-demo      # beside `make run`, in another terminal; Ctrl-C stops the provider

Then open http://kb.localhost:8000/accounts/sign-in/, choose "Sign in with your organisation",
type new.agent@helios.example (created just in time as a Helios agent) or lead@helios.example
(the demo lead, found by e-mail), and sign in at the identity provider with the user name
`newagent` or `lead` (`mfaagent` for one whose ID token says a second factor was used) and the
password printed below. `--require-sso` also refuses passwords for helios.example."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.idp.server import Person, start  # noqa: E402 - after the path

PASSWORD = "idp-demo-2026"  # noqa: S105 - the demo's loopback identity provider


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("SSO_DEMO_PORT", "8010")))
    parser.add_argument("--site", default=os.environ.get("SSO_DEMO_SITE", "http://kb.localhost:8000"))
    parser.add_argument("--require-sso", action="store_true")
    options = parser.parse_args()
    idp = start(ROOT / ".run" / "sso-demo-idp", port=options.port,
                redirect_uris=[f"{options.site}/accounts/sso/callback/"],
                client_secret="demo-sso-secret",  # noqa: S106 - the demo's loopback identity provider
                people=[Person("newagent", "new.agent@helios.example", PASSWORD, "Nadia New"),
                        Person("mfaagent", "mfa.agent@helios.example", PASSWORD, "Milo Factor", mfa=True),
                        Person("lead", "lead@helios.example", PASSWORD, "Leela Lead")])
    configure = [sys.executable, str(ROOT / "manage.py"), "sso_configure", "--provider", "Helios Contact",
                 "--issuer", idp.issuer, "--client-id", idp.client_id, "--client-secret", idp.client_secret,
                 "--domain", "helios.example"] + (["--require-sso"] if options.require_sso else [])
    try:
        subprocess.run(configure, check=True, cwd=ROOT)  # noqa: S603 - our own command
        print(f"Test identity provider: {idp.issuer} (log: {idp.log})")
        print(f"Sign in at {options.site}/accounts/sso/ as new.agent@helios.example, mfa.agent@helios.example "
              f"or lead@helios.example; at the identity provider: user newagent / mfaagent / lead, password {PASSWORD}")
        print("Ctrl-C stops it.")
        while idp.process.poll() is None:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        idp.stop()


if __name__ == "__main__":
    main()
