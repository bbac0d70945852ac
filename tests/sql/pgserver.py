"""A throw-away PostgreSQL cluster for the tests: initdb into a temporary folder,
a server on a Unix socket only (no TCP), fsync off; stopped and deleted after.

PostgreSQL refuses to run as root: as root (CI) initdb and the server run as
the `postgres` system user that Debian's package creates (`runuser`). The
binaries come from `pg_config --bindir`, else /usr/lib/postgresql/*/bin.
`make test` installs Debian's `postgresql` and sets REGELKODE_REQUIRE_POSTGRES,
so there a server that cannot start fails the tests instead of skipping them.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

REQUIRED = bool(os.environ.get("REGELKODE_REQUIRE_POSTGRES") or os.environ.get("CI"))


class NoServer(Exception):
    """Why no PostgreSQL server could be started here."""


def bindir() -> Path:
    found = []
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        if out.returncode == 0:
            found.append(Path(out.stdout.strip()))
    found += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for path in found:
        if (path / "initdb").is_file() and (path / "pg_ctl").is_file():
            return path
    raise NoServer("no PostgreSQL server binaries (initdb, pg_ctl): "
                   "apt-get install postgresql (`make test` does this)")


def _as_server_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser") is None:
        raise NoServer("running as root and there is no runuser to start PostgreSQL as "
                       "the postgres user")
    try:
        import pwd
        pwd.getpwnam("postgres")
    except KeyError:
        raise NoServer("running as root and there is no `postgres` user "
                       "(Debian's postgresql package creates it)") from None
    return ["runuser", "-u", "postgres", "--"]


def _run(cmd: list[str], what: str) -> None:
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise NoServer(f"{what} failed ({out.returncode}): {(out.stderr or out.stdout)[-2000:]}")


@contextlib.contextmanager
def cluster() -> Iterator[str]:
    """A running server; yields its libpq connection string (socket, user postgres)."""
    bins = bindir()
    prefix = _as_server_user()
    tmp = Path(tempfile.mkdtemp(prefix="regelkode-pg-"))
    try:
        tmp.chmod(0o755)
        data, sock = tmp / "data", tmp / "sock"
        sock.mkdir()
        if prefix:
            shutil.chown(tmp, "postgres")
            shutil.chown(sock, "postgres")
        _run([*prefix, str(bins / "initdb"), "-D", str(data), "-U", "postgres",
              "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"], "initdb")
        opts = (f"-c listen_addresses='' -c unix_socket_directories='{sock}' "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        _run([*prefix, str(bins / "pg_ctl"), "-D", str(data), "-l", str(tmp / "server.log"),
              "-o", opts, "-w", "-t", "60", "start"], "pg_ctl start")
        try:
            yield f"host={sock} user=postgres dbname=postgres"
        finally:
            subprocess.run([*prefix, str(bins / "pg_ctl"), "-D", str(data), "-m", "immediate",
                            "-w", "stop"], capture_output=True, timeout=60)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":      # `make test` asks here whether to install PostgreSQL
    import sys

    try:
        print(bindir())
    except NoServer as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
