"""HTTP Basic against a real server that asks: Debian's nginx with ``auth_basic`` in front of a real
``oxigraph serve``, reached by ``kg query`` and ``kg push`` as a user runs them.

nginx runs from a scratch folder (its own configuration, logs and temporary files) on a free port
of 127.0.0.1 and proxies to the session's ``oxigraph serve``. Without nginx the tests skip with the
reason (``bash scripts/install-nginx.sh`` installs it); under CI, which installs it, they fail.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from oxigraph_server import free_port, oxigraph_endpoint  # noqa: F401 - the fixture, by name

ROOT = Path(__file__).resolve().parents[2]
USER, PASSWORD = "alice", "s3cr3t-basic"
CONFIG = """
{user}
daemon off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    client_max_body_size 200m;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            auth_basic "zhipu-kg test";
            auth_basic_user_file {root}/htpasswd;
            proxy_pass http://127.0.0.1:{upstream};
            proxy_request_buffering off;
        }}
    }}
}}
"""


def ssha(password: str) -> str:
    """A password in the ``{SSHA}`` form nginx's ``auth_basic_user_file`` reads."""
    salt = os.urandom(8)
    digest = hashlib.sha1(password.encode() + salt).digest()  # nginx's {SSHA} format
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def nginx_executable() -> str | None:
    """Debian's nginx, where installed."""
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if Path(p).is_file()), None
    )


@pytest.fixture(scope="module")
def guarded(oxigraph_endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:  # noqa: F811
    """The base URL of nginx asking for Basic credentials in front of ``oxigraph serve``."""
    executable = nginx_executable()
    if executable is None:
        reason = "nginx is not installed (bash scripts/install-nginx.sh)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI installs it")
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("nginx")
    (root / "htpasswd").write_text(f"{USER}:{ssha(PASSWORD)}\n", encoding="utf-8")
    port = free_port()
    upstream = oxigraph_endpoint.removesuffix("/query").rsplit(":", 1)[1]
    config = root / "nginx.conf"
    # as root, workers would run as nobody and could not read the scratch folder (mode 0700)
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    text = CONFIG.format(user=user, root=root, port=port, upstream=upstream)
    config.write_text(text, encoding="utf-8")
    log = root / "stderr.log"
    command = [executable, "-p", str(root), "-e", str(root / "error.log"), "-c", str(config)]
    with log.open("wb") as stderr:
        process = subprocess.Popen(command, stdout=stderr, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_challenge(process, base + "/query", log)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_for_challenge(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    """Poll ``url`` until nginx answers it with a 401 Basic challenge (as the harnesses poll)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited {process.returncode}: {log.read_text()}")
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2)
        except urllib.error.HTTPError as err:
            assert err.code == 401 and "Basic" in (err.headers.get("WWW-Authenticate") or "")
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)  # not listening yet
            continue
        raise AssertionError("nginx answered without asking for credentials")
    raise RuntimeError(f"nginx did not answer on {url}")


def kg(*args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "KG_PASSWORD"}
    if password is not None:
        env["KG_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


def test_a_query_without_or_with_wrong_credentials_is_refused_in_one_line(guarded: str) -> None:
    url = guarded + "/query"
    anonymous = kg("query", "--endpoint", url, "ASK { ?s ?p ?o }")
    wrong = kg("query", "--endpoint", url, "--user", USER, "ASK { ?s ?p ?o }", password="wrong")
    for done in (anonymous, wrong):
        assert done.returncode == 3, done.stderr[-800:]
        assert "401" in done.stderr and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_query_with_the_right_credentials_answers(guarded: str) -> None:
    done = kg("query", "--endpoint", guarded + "/query", "--user", USER, "--name",
              "zhipu_funded_from_city", "--format", "json", password=PASSWORD)  # fmt: skip
    assert done.returncode == 0, done.stderr[-800:]
    assert '"boolean": true' in done.stdout.replace('"boolean":true', '"boolean": true')
    assert PASSWORD not in done.stdout + done.stderr


def test_a_push_through_basic_auth_arrives_and_never_shows_the_password(guarded: str) -> None:
    done = kg("push", "--endpoint", guarded + "/query", "--update", guarded + "/update",
              "--user", USER, password=PASSWORD)  # fmt: skip
    assert done.returncode == 0, done.stderr[-800:]
    assert PASSWORD not in done.stdout + done.stderr
    refused = kg("push", "--endpoint", guarded + "/query", "--update", guarded + "/update")
    assert refused.returncode == 3, refused.stderr[-800:]
    assert "401" in refused.stderr and "Traceback" not in refused.stderr
