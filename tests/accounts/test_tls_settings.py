"""Behind TLS the settings read from the environment turn on secure cookies and HSTS; without it they stay off."""

import json
import os
import subprocess
import sys

NAMES = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT",
         "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_AGE", "SESSION_MAX_SECONDS", "AXES_FAILURE_LIMIT",
         "TRUSTED_PROXIES"]


def settings_with(tmp_path, **env) -> dict:
    code = ("import json, urbangrid.settings as s; "
            f"print(json.dumps({{n: getattr(s, n, None) for n in {NAMES!r}}}, default=str))")
    environment = {k: v for k, v in os.environ.items() if k not in NAMES} | {"URBANGRID_VAR_DIR": str(tmp_path), **env}
    out = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_plain_http_by_default(tmp_path):
    found = settings_with(tmp_path)
    assert (found["SESSION_COOKIE_SECURE"], found["SECURE_HSTS_SECONDS"], found["SECURE_PROXY_SSL_HEADER"]) == (
        False, 0, None)
    assert (found["SESSION_COOKIE_AGE"], found["SESSION_MAX_SECONDS"], found["AXES_FAILURE_LIMIT"]) == (
        1800, 12 * 3600, 5)


def test_behind_a_tls_proxy(tmp_path):
    found = settings_with(tmp_path, SECURE_COOKIES="True", BEHIND_TLS_PROXY="True", SECURE_SSL_REDIRECT="True",
                          TRUSTED_PROXIES="10.0.0.1, 10.1.0.0/16", SESSION_IDLE_MINUTES="15")
    assert found["SESSION_COOKIE_SECURE"] and found["CSRF_COOKIE_SECURE"] and found["SECURE_SSL_REDIRECT"]
    assert found["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["TRUSTED_PROXIES"] == ["10.0.0.1/32", "10.1.0.0/16"]
    assert found["SESSION_COOKIE_AGE"] == 900
