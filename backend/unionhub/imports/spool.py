"""The converted rows of a validated file, kept on local disk until the commit.

Reading and converting 100,000 rows costs a few seconds of CPU; the commit would pay it again
while competing with its own writes. Validation therefore spools each converted batch
(pickled, as the rows were before any database check) and the commit replays them; beside
the spool, the importer's summary of the rows' keys (`keys`) saves the commit another pass.
The spool is only a cache: when it is missing (another server, a restart) the commit reads
the file again, with the same result.

The directory belongs to this user alone (0700, checked before use), because a pickle must
never come from anyone else.
"""

import contextlib
import logging
import os
import pickle
import stat
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

log = logging.getLogger("unionhub.imports")

MAX_AGE_SECONDS = 24 * 3600
_VERSION = 2  # 2: row problems carry params


def _directory() -> Path | None:
    path = Path(tempfile.gettempdir()) / f"unionhub-imports-{os.getuid()}"
    try:
        path.mkdir(mode=0o700, exist_ok=True)
        info = path.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        log.warning("import spool directory %s is not private; not used", path)
        return None
    return path


def path_for(job_id: uuid.UUID, sha256: str) -> Path | None:
    directory = _directory()
    return directory / f"{job_id}-{sha256[:16]}.rows" if directory else None


class SpoolWriter:
    """Written by the validation pass (in its worker thread); published only when complete."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.part = path.with_suffix(".part")
        self.fh: IO[bytes] | None = None
        try:
            fd = os.open(self.part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            self.fh = os.fdopen(fd, "wb")
            pickle.dump(_VERSION, self.fh)
        except OSError as exc:
            self._fail(exc)

    def _fail(self, exc: OSError) -> None:
        # A cache: a full disk costs the commit a second read of the file, nothing more.
        log.warning("import spool %s not written: %s", self.part, exc)
        self.discard()

    def add(self, item: Any) -> None:
        if self.fh is None:
            return
        try:
            pickle.dump(item, self.fh, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError as exc:
            self._fail(exc)

    def add_pickled(self, data: bytes) -> None:
        """`add` for an item pickled already (`pickle.dumps(item, HIGHEST_PROTOCOL)`: the
        same bytes `add` writes), as the conversion helper returns a batch."""
        if self.fh is None:
            return
        try:
            self.fh.write(data)
        except OSError as exc:
            self._fail(exc)

    def publish(self, keys: Any = None) -> None:
        """Make the spool visible, with `keys` (the importer's summary of the rows for the
        commit) beside it, or without (a stale one is removed)."""
        if self.fh is None:
            return
        try:
            self.fh.close()
            _write_keys(self.path, keys)
            os.replace(self.part, self.path)
        except OSError as exc:
            self._fail(exc)
        self.fh = None

    def discard(self) -> None:
        if self.fh is not None:
            with contextlib.suppress(OSError):
                self.fh.close()
        self.fh = None
        with contextlib.suppress(OSError):
            self.part.unlink()


def _keys_path(path: Path) -> Path:
    return path.with_suffix(".keys")


def _write_keys(path: Path, keys: Any) -> None:
    target = _keys_path(path)
    if keys is None:
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        return
    part = target.with_suffix(".keys-part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        pickle.dump((_VERSION, keys), fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(part, target)


def keys(path: Path) -> Any:
    """The keys published with the spool at `path`, or None."""
    try:
        with _keys_path(path).open("rb") as fh:
            version, found = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
        return None
    return found if version == _VERSION else None


def available(path: Path) -> bool:
    """A complete spool of this version is there."""
    try:
        with path.open("rb") as fh:
            return bool(pickle.load(fh) == _VERSION)
    except (OSError, EOFError, pickle.UnpicklingError):
        return False


def replay(path: Path) -> Iterator[Any] | None:
    """The spooled items, or None when there is no usable spool."""
    try:
        fh = path.open("rb")
        if pickle.load(fh) != _VERSION:
            fh.close()
            return None
    except (OSError, EOFError, pickle.UnpicklingError):
        return None

    def items() -> Iterator[Any]:
        with fh:
            while True:
                try:
                    yield pickle.load(fh)
                except EOFError:
                    return

    return items()


def remove(job_id: uuid.UUID, sha256: str) -> None:
    path = path_for(job_id, sha256)
    if path is not None:
        for each in (path, _keys_path(path)):
            with contextlib.suppress(OSError):
                each.unlink()


def sweep() -> None:
    """Drop spools older than a day (jobs never committed, or lost to a restart)."""
    directory = _directory()
    if directory is None:
        return
    cutoff = time.time() - MAX_AGE_SECONDS
    for entry in directory.iterdir():
        with contextlib.suppress(OSError):
            if entry.stat().st_mtime < cutoff:
                entry.unlink()
