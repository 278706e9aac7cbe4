"""A pytest fixture that runs a scratch Virtuoso (Debian's ``virtuoso-opensource``) on loopback.

Import the fixture into a test module (``from virtuoso_server import scratch_virtuoso``) and ask
for it by name. It writes its own ``virtuoso.ini`` into a temporary folder (database, log and lock
files there; SQL and HTTP on free ports of 127.0.0.1), runs ``virtuoso-t -c INI +foreground`` as a
child process, waits until ``/sparql`` answers, then, with ``isql-vt`` on the SQL port (commands
on standard input, not in the arguments):

* grants ``SPARQL_UPDATE`` to the anonymous ``SPARQL`` user of ``/sparql`` (a scratch instance
  only: never do this on a server others can reach);
* creates a user with a random password and ``SPARQL_UPDATE``, for the Digest-protected
  ``/sparql-auth`` and ``/sparql-graph-crud-auth``.

``started_virtuoso(folder)`` starts another the same way, for a test that needs its own new
database. ``shared_virtuoso`` is the Virtuoso named by ``KG_TEST_VIRTUOSO`` when it is set
(``HTTP_PORT,SQL_PORT,FOLDER``, on 127.0.0.1, started so; ``benchmarks/mutation.py`` starts one
for a whole mutation run, where each mutant's tests run in a new process), a scratch one
otherwise: its tests share it and must clear what they use (one named so has no Digest user:
``user`` and ``password`` are empty). ``capped_virtuoso`` is another, per module, whose
``ResultSetMaxRows`` is 5: it cuts answers as a public endpoint does. The processes are
stopped by their pids at the end. Without ``virtuoso-t`` and ``isql-vt`` the tests that need
them are skipped with the reason (``scripts/install-virtuoso.sh`` installs them).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from oxigraph_server import free_port, stop

#: Virtuoso checkpoints its new database before it answers: 10 s here, more on a busy machine.
STARTUP_SECONDS = 120.0

_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
DirsAllowed = {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/www
ServerThreads = 4
MaxClientConnections = 4
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


@dataclass(frozen=True)
class Virtuoso:
    """A running scratch Virtuoso.

    Attributes:
        base: ``http://127.0.0.1:PORT``.
        sql_port: Its SQL (isql) port.
        user: A user with ``SPARQL_UPDATE`` for the Digest endpoints.
        password: That user's password (random per session).
        workdir: Its folder (database, ``virtuoso.ini``, ``virtuoso.log``).
    """

    base: str
    sql_port: int
    user: str
    password: str
    workdir: Path

    @property
    def sparql(self) -> str:
        """The anonymous query and update endpoint."""
        return self.base + "/sparql"

    def isql(self, sql: str) -> str:
        """Run SQL statements as ``dba`` (the scratch instance's default password)."""
        done = subprocess.run(
            ["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba"],
            input=sql,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        if "*** Error" in done.stdout or "*** Error" in done.stderr:
            raise RuntimeError(f"isql-vt failed: {done.stdout} {done.stderr}")
        return done.stdout


def wait_until_answering(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    """Poll ``url`` with ``ASK {}`` until Virtuoso answers; bounded by :data:`STARTUP_SECONDS`."""
    probe = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited with {process.returncode}: {_tail(log)}")
        try:
            with urllib.request.urlopen(probe, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.25)
    raise RuntimeError(f"virtuoso-t did not answer in {STARTUP_SECONDS:g} s: {_tail(log)}")


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"


def _require_virtuoso() -> None:
    missing = [tool for tool in ("virtuoso-t", "isql-vt") if shutil.which(tool) is None]
    if missing:
        reason = (
            f"Virtuoso is not installed ({', '.join(missing)} not found); "
            "bash scripts/install-virtuoso.sh installs Debian's virtuoso-opensource"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI installs it)")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def capped_virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The query and update URL of a scratch Virtuoso whose ``ResultSetMaxRows`` is 5 (default
    10,000)."""
    _require_virtuoso()
    workdir = tmp_path_factory.mktemp("capped-virtuoso")
    (workdir / "www").mkdir()
    sql_port, http_port = free_port(), free_port()
    ini = _INI.format(dir=workdir, sql_port=sql_port, http_port=http_port)
    (workdir / "virtuoso.ini").write_text(
        ini.replace("ResultSetMaxRows = 100000", "ResultSetMaxRows = 5")
    )
    with (workdir / "stdout.log").open("wb") as out:
        process = subprocess.Popen(
            ["virtuoso-t", "-c", str(workdir / "virtuoso.ini"), "+foreground"],
            cwd=workdir,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{http_port}/sparql"
        wait_until_answering(process, url, workdir / "virtuoso.log")
        subprocess.run(
            ["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba"],
            input='GRANT SPARQL_UPDATE TO "SPARQL";\n',
            capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        yield url
    finally:
        stop(process)


@contextlib.contextmanager
def started_virtuoso(workdir: Path) -> Iterator[Virtuoso]:
    """A new Virtuoso in ``workdir`` (empty), its SPARQL user allowed to update; stopped after."""
    _require_virtuoso()
    (workdir / "www").mkdir(parents=True)
    sql_port, http_port = free_port(), free_port()
    ini = workdir / "virtuoso.ini"
    ini.write_text(_INI.format(dir=workdir, sql_port=sql_port, http_port=http_port))
    log = workdir / "virtuoso.log"
    with (workdir / "stdout.log").open("wb") as out:
        process = subprocess.Popen(
            ["virtuoso-t", "-c", str(ini), "+foreground"],
            cwd=workdir,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        server = Virtuoso(
            f"http://127.0.0.1:{http_port}",
            sql_port,
            "kgtester",
            "pw-" + secrets.token_urlsafe(12),
            workdir,
        )
        wait_until_answering(process, server.sparql, log)
        server.isql(
            'GRANT SPARQL_UPDATE TO "SPARQL";\n'
            f"DB.DBA.USER_CREATE('{server.user}', '{server.password}');\n"
            f'GRANT SPARQL_UPDATE TO "{server.user}";\n'
        )
        yield server
    finally:
        stop(process)


#: The variable naming a running Virtuoso for :func:`shared_virtuoso`:
#: ``HTTP_PORT,SQL_PORT,FOLDER``.
SHARED = "KG_TEST_VIRTUOSO"


def shared_value(server: Virtuoso) -> str:
    """The value of :data:`SHARED` that names ``server``."""
    return f"{server.base.rsplit(':', 1)[1]},{server.sql_port},{server.workdir}"


@pytest.fixture(scope="session")
def shared_virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """The Virtuoso :data:`SHARED` names (its tests clear what they use), or a scratch one."""
    named = os.environ.get(SHARED)
    if not named:
        with started_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
            yield server
        return
    http_port, sql_port, folder = named.split(",", 2)
    yield Virtuoso(f"http://127.0.0.1:{int(http_port)}", int(sql_port), "", "", Path(folder))


@pytest.fixture(scope="session")
def scratch_virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A scratch Virtuoso on loopback, empty, its SPARQL user allowed to update."""
    with started_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server
