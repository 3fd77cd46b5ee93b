"""Reading a ``.qdpx`` (a ZIP archive) that may be hostile, without extracting anything to disk.

Every member is checked when the archive is opened, before any byte is decompressed:

* its name must be relative and stay inside the archive: no ``..`` component, no leading ``/``
  or ``\\``, no drive letter (``C:``), no NUL, not a symbolic link (zip slip);
* at most :data:`MAX_MEMBERS` members, declaring at most :data:`MAX_ARCHIVE_BYTES` together;
* a member above :data:`RATIO_FLOOR_BYTES` may not declare more than :data:`MAX_RATIO` times its
  compressed size (zip bombs).

A member that is read (``project.qde``, text and ``.docx`` sources) may hold at most
:data:`MAX_MEMBER_BYTES`, all members read together at most :data:`MAX_READ_BYTES`; the bytes
are counted while decompressing, so a member that lies about its size is stopped too. Members
are returned as bytes; qualcode writes only files it names itself.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from pathlib import Path
from types import TracebackType

from qualcode.refi import ExchangeError

MAX_MEMBERS = 10_000
MAX_ARCHIVE_BYTES = 4 * 1024**3
MAX_MEMBER_BYTES = 256 * 1024**2
MAX_READ_BYTES = 512 * 1024**2
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 1024**2

_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 1024 * 1024


def size(count: int) -> str:
    """``1100 bytes``, ``256 MiB``, ``4 GiB``."""
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2)):
        if count >= factor:
            return f"{count / factor:.3g} {unit}"
    return f"{count} bytes"


def member_problem(name: str) -> str | None:
    """Why a member name is unsafe (None when it is safe)."""
    if "\x00" in name:
        return "NUL character in the name"
    normal = name.replace("\\", "/")
    if normal.startswith("/"):
        return "absolute path"
    if _DRIVE.match(normal):
        return "drive letter"
    if ".." in normal.split("/"):
        return "path traversal ('..')"
    return None


class SafeArchive:
    """A checked ZIP archive; use as a context manager and :meth:`read` members by name."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._read_total = 0
        try:
            self._zip = zipfile.ZipFile(self.path)
        except FileNotFoundError:
            raise ExchangeError(f"{path}: file not found") from None
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise ExchangeError(f"{path}: not a ZIP archive ({exc})") from None
        try:
            self._infos = self._checked(self._zip.infolist())
        except ExchangeError:
            self._zip.close()
            raise
        self.names = [info.filename.replace("\\", "/") for info in self._infos]
        self._by_name = {name: info for name, info in zip(self.names, self._infos, strict=True)}
        self._folded: dict[str, str] = {}
        for name in self.names:
            self._folded.setdefault(name.casefold(), name)

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._zip.close()

    def _checked(self, infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
        if len(infos) > MAX_MEMBERS:
            raise ExchangeError(
                f"{self.path}: refused: {len(infos)} members (the limit is {MAX_MEMBERS})"
            )
        total = 0
        for info in infos:
            problem = member_problem(info.filename)
            if problem is None and stat.S_ISLNK(info.external_attr >> 16):
                problem = "symbolic link"
            if problem is not None:
                raise ExchangeError(
                    f"{self.path}: refused: unsafe member '{info.filename}' ({problem}); "
                    "nothing was extracted"
                )
            total += info.file_size
            if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise ExchangeError(
                    f"{self.path}: refused: member '{info.filename}' would expand "
                    f"{info.file_size // max(info.compress_size, 1)}-fold (the limit is "
                    f"{MAX_RATIO}:1; a zip bomb?)"
                )
        if total > MAX_ARCHIVE_BYTES:
            raise ExchangeError(
                f"{self.path}: refused: members declare {size(total)} uncompressed "
                f"(the limit is {size(MAX_ARCHIVE_BYTES)})"
            )
        return [info for info in infos if not info.is_dir()]

    def find(self, name: str) -> str | None:
        """The member called ``name`` (exact, else ignoring case), or None."""
        name = name.replace("\\", "/").lstrip("/")
        if name in self._by_name:
            return name
        return self._folded.get(name.casefold())

    def read(self, name: str) -> bytes:
        """The bytes of member ``name`` (as listed in :attr:`names`), within the limits."""
        info = self._by_name[name]
        where = f"{self.path}: member '{name}'"
        if info.flag_bits & 0x1:
            raise ExchangeError(f"{where} is encrypted; qualcode cannot read it")
        if info.file_size > MAX_MEMBER_BYTES:
            raise ExchangeError(
                f"{where}: refused: {size(info.file_size)} uncompressed (the limit "
                f"for a member qualcode reads is {size(MAX_MEMBER_BYTES)})"
            )
        parts: list[bytes] = []
        count = 0
        try:
            with self._zip.open(info) as handle:
                while chunk := handle.read(_CHUNK):
                    count += len(chunk)
                    self._read_total += len(chunk)
                    if count > MAX_MEMBER_BYTES or self._read_total > MAX_READ_BYTES:
                        raise ExchangeError(
                            f"{where}: refused: it expands beyond the limits "
                            f"({size(MAX_MEMBER_BYTES)} a member, {size(MAX_READ_BYTES)} in all)"
                        )
                    parts.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            raise ExchangeError(f"{where} is damaged ({exc})") from None
        return b"".join(parts)
