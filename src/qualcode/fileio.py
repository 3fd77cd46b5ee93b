"""Atomic file writes: a temp file in the target's folder, fsync, then ``os.replace``.

Cache files skip the fsync (``durable=False``): one lost in a power cut is simply redone.

An interrupted run leaves either the previous file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from qualcode.errors import OutputError, QualcodeError


def _file_mode() -> int:
    """The mode a plainly created file gets (0o666 less the umask); mkstemp would give 0o600."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def read_msgpack(path: Path) -> object | None:
    """A cache file's content; None when it is missing or unreadable (the cache is redone)."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    import msgpack

    try:
        loaded: object = msgpack.unpackb(data, raw=False, strict_map_key=False)
    except (ValueError, TypeError, msgpack.UnpackException):
        return None
    return loaded


def msgpack_bytes(data: object) -> bytes:
    """``data`` as msgpack: the bytes ``srsly.msgpack_dumps`` gives for plain lists, maps,
    strings and numbers (tested). The ``msgpack`` package is used rather than srsly's copy of
    it, whose import pulls in numpy (a tenth of a second a run that tokenizes nothing)."""
    return bytes(_packer().pack(data))


@functools.cache
def _packer() -> Any:
    import msgpack

    return msgpack.Packer(use_bin_type=True)


def check_writable_folder(folder: Path, what: str = "output") -> None:
    """Create ``folder`` if needed and prove it takes a file, before any work is done."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".qualcode-probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(f"{folder}: cannot write {what} here ({reason})") from None


def write_bytes_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` atomically; raise OutputError with the path on failure.

    ``durable=False`` (cache files, which are redone when lost or unreadable) skips the fsync:
    a reader still sees the old file or the whole new one, but after a power cut the file may
    be empty.
    """
    path = Path(path)
    # The temporary file's name is chosen before it is created (not by mkstemp) and the file is
    # created inside the block whose clean-up removes it: a Ctrl-C landing just after its
    # creation still removes it.
    tmp_name = ""
    try:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            while True:
                tmp_name = str(path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp")
                try:
                    fd = os.open(tmp_name, _CREATE_NEW, 0o600)
                    break
                except FileExistsError:  # another file has that name: never touch it
                    tmp_name = ""
        except OSError as exc:
            raise OutputError(f"{path}: cannot write ({_reason(path, exc)})") from None
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp_name, _file_mode())
        os.replace(tmp_name, path)
    except BaseException as exc:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
        raise


def _reason(path: Path, error: OSError) -> str:
    """Why ``path`` cannot be created: a folder on its way that is a file, or the OS's words."""
    for folder in reversed(path.parents):
        if folder.exists() and not folder.is_dir():
            return f"{folder} is a file, not a folder"
    return error.strerror or str(error)


#: Flags that create a file only if there is none of that name (as mkstemp does).
_CREATE_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def write_text_atomic(path: Path, text: str, *, bom: bool = False) -> None:
    """Write UTF-8 text (optionally with a BOM, for Excel) atomically, with LF line endings."""
    data = text.encode("utf-8")
    write_bytes_atomic(path, (b"\xef\xbb\xbf" + data) if bom else data)


@contextlib.contextmanager
def meanwhile(work: Callable[[], None], *, fork: bool) -> Iterator[None]:
    """Do ``work`` (writing files) in a forked copy of this process while the ``with`` body runs.

    Without ``fork``, or where fork is not available, ``work`` is done here first. The forked
    copy shares this process's memory copy-on-write, so nothing is sent to it; it reports a
    failure back through a pipe, raised here as OutputError once the body is done (after an
    error in the body, the copy is still waited for). The copy leaves with ``os._exit``: no
    exit handler or stream flush of this process runs twice.
    """
    if not fork or not hasattr(os, "fork"):
        work()
        yield
        return
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: do the work, report how it went, leave
        status = 1
        try:
            os.close(read_end)
            work()
            status = 0
        except BaseException as exc:  # every failure, Ctrl-C included, is reported back
            message = exc.message if isinstance(exc, QualcodeError) else f"{exc!r}"
            with contextlib.suppress(OSError):
                os.write(write_end, message.encode("utf-8", "replace"))
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        yield
    finally:
        with os.fdopen(read_end, "rb") as pipe:
            message = pipe.read().decode("utf-8", "replace")  # ends when the copy exits
        _, status = os.waitpid(pid, 0)
    if status != 0:
        if not message:
            how = f"stopped by signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else "failed"
            message = f"the process writing outputs {how}"
        raise OutputError(message)
