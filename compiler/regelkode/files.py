"""Reading files a user (or an attacker writing a pack) controls.

Every read of a pack file, a case or a source document goes through here, so
three hazards are handled once: a FIFO blocks `open()` forever, a device such
as /dev/zero (or a huge sparse file) never ends or fills memory, and a symlink
loop makes `Path.resolve()` raise `RuntimeError` (Python < 3.13) instead of
`OSError`. Only regular files are read, and never more than a bounded prefix.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

# A case of MAX_LISTE elements in each of many lists is a few MB; past this a
# case file is refused, not read to the end.
MAX_CASE_BYTES = 64_000_000


class FileRefused(Exception):
    """A file that is not read; `code` is the diagnostic's code, the message is
    Danish and names no file. `where` is the JSON path inside the file that the
    `reason` is about, if any; the message then starts with it."""

    def __init__(self, code: str, reason: str, where: str | None = None):
        super().__init__(reason if where is None else f"{where} {reason}")
        self.code = code
        self.reason = reason
        self.where = where


def is_utf8(name: str) -> bool:
    """Whether a file name is UTF-8 on disk: os hands other bytes over as lone
    surrogates, which no UTF-8 output (and no DuckDB path) can hold."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown(name: str) -> str:
    """A file name or path as a message or a generated file can hold it: bytes that are
    not UTF-8 written as `\\xNN`, the rest as it is."""
    return name if is_utf8(name) else os.fsencode(name).decode("utf-8", "backslashreplace")


def resolve(path: Path) -> Path | None:
    """`path.resolve()`, or None when it cannot be resolved (a symlink loop)."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return None


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, symlinks followed, lies under `root`; a loop is outside."""
    p, r = resolve(path), resolve(root)
    return p is not None and r is not None and p.is_relative_to(r)


# the operating system's reasons a user meets most, in Danish like the rest of the message
_REASONS = {errno.ENOENT: "den findes ikke", errno.EACCES: "ingen adgang",
            errno.EPERM: "ingen adgang", errno.EISDIR: "det er en mappe",
            errno.ENAMETOOLONG: "navnet er for langt", errno.EIO: "læsefejl på disken"}


def _reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno) or exc.strerror or str(exc)


def open_regular(path: Path):
    """A regular file opened for reading bytes, or FileRefused. The open does not
    block (a FIFO swapped in after a check cannot hang it), and anything but a
    regular file is refused before a byte is read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FileRefused("symlink-loop",
                              "filen er en symlink, der peger på sig selv (en løkke)") from None
        raise FileRefused("file-read", f"kan ikke læse filen: {_reason(exc)}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise FileRefused("file-kind", "filen er ikke en almindelig fil (fx en mappe, en FIFO "
                          "eller en enhed) og læses ikke")
    return os.fdopen(fd, "rb")


def read_bytes(path: Path, limit: int) -> bytes:
    """The whole of a regular file of at most `limit` bytes, or FileRefused
    (read only up to `limit + 1` bytes)."""
    with open_regular(path) as fh:
        if os.fstat(fh.fileno()).st_size > limit:
            raise FileRefused("file-size", f"filen er over {limit} bytes")
        try:
            data = fh.read(limit + 1)       # bounded even if the file grows meanwhile
        except OSError as exc:
            raise FileRefused("file-read", f"kan ikke læse filen: {_reason(exc)}") from None
    if len(data) > limit:
        raise FileRefused("file-size", f"filen er over {limit} bytes")
    return data


def lines(fh, limit: int):
    """(number from 1, line) for each line of a binary file, the line None where it is
    over `limit` bytes: such a line is skipped in pieces, never held whole."""
    number = 0
    while raw := fh.readline(limit + 1):
        number += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = fh.readline(1 << 20)
            yield number, None
        else:
            yield number, raw


def read_prefix(path: Path, limit: int) -> bytes:
    """At most `limit` bytes from the start of a regular file; b"" for anything else.

    For showing a source line under a diagnostic: the file may be the very one
    that was refused, so it must not block or be read to its end.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return b""
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return b""
    with os.fdopen(fd, "rb") as fh:
        try:
            return fh.read(limit)
        except OSError:
            return b""
