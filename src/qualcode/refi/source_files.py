"""Find a source's file from its path attribute: ``internal://``, ``relative://`` or a bare path.

REFI-QDA puts internal sources in the archive's ``sources/`` folder (``internal://<guid>.txt``);
some tools write a bare file name (``board_2017.txt``) or a different case (``Sources/``).
``relative://`` files are looked for in the archive, then beside the ``.qdpx`` (never outside
that folder); ``absolute://`` paths are not followed (an archive from elsewhere should not make
qualcode read arbitrary files), except that a file of that name inside the archive is used.
Every fallback adds a warning that names the path as written.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from qualcode.refi.archive import MAX_MEMBER_BYTES, SafeArchive

_SCHEMES = ("internal://", "relative://", "absolute://", "file://")


@dataclass
class SourceFiles:
    """Reads source files from an archive (or, for a bare ``.qde``, from its folder)."""

    archive: SafeArchive | None
    folder: Path  # the folder of the .qdpx or .qde: relative paths may point beside it
    warnings: list[str] = field(default_factory=list)

    def read(self, written: str, *, source: str) -> bytes | None:
        """The bytes of the file ``written`` refers to; None (with a warning) if not found."""
        scheme = next((s for s in _SCHEMES if written.lower().startswith(s)), "")
        rest = written[len(scheme) :].replace("\\", "/").lstrip("/")
        base = PurePosixPath(rest).name
        what = f"source '{source}': path '{written}'"
        if scheme == "internal://" or (scheme == "" and self.archive is not None):
            found = self._member([f"sources/{rest}", rest])
            if found is not None:
                if scheme == "":
                    self.warnings.append(
                        f"{what} has no internal:// prefix; read from archive member '{found}'"
                    )
                return self._read_member(found)
        if scheme in ("relative://", "absolute://", "file://"):
            found = self._member([f"sources/{rest}", rest])
            if found is not None:
                self.warnings.append(f"{what} is external; read from archive member '{found}'")
                return self._read_member(found)
        if (scheme == "relative://" or (scheme == "" and self.archive is None)) and rest:
            data = self._beside(rest)
            if data is not None:
                self.warnings.append(f"{what} read from {self.folder / rest}")
                return data
        found = self._member([f"sources/{base}", base]) if base else None
        if found is not None:
            self.warnings.append(f"{what} not found as written; read from '{found}'")
            return self._read_member(found)
        if scheme in ("absolute://", "file://"):
            self.warnings.append(f"{what}: absolute paths are not followed; source skipped")
        else:
            self.warnings.append(f"{what} not found; source skipped")
        return None

    def _member(self, candidates: list[str]) -> str | None:
        if self.archive is None:
            return None
        for candidate in candidates:
            found = self.archive.find(candidate)
            if found is not None:
                return found
        return None

    def _read_member(self, name: str) -> bytes:
        assert self.archive is not None
        return self.archive.read(name)

    def _beside(self, relative: str) -> bytes | None:
        """A file under :attr:`folder` (never outside it), within the member size limit."""
        if ".." in relative.split("/"):
            return None
        root = self.folder.resolve()
        for candidate in (root / "sources" / relative, root / relative):
            try:
                path = candidate.resolve()
            except OSError:
                continue
            if not path.is_relative_to(root) or not path.is_file():
                continue
            if path.stat().st_size > MAX_MEMBER_BYTES:
                self.warnings.append(f"{path}: larger than {MAX_MEMBER_BYTES} bytes; skipped")
                return None
            return path.read_bytes()
        return None


def decode_text(data: bytes, label: str, warnings: list[str]) -> str:
    """UTF-8 (the standard), with or without BOM; anything else as qualcode reads a .txt."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        pass
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            warnings.append(f"source '{label}': {codec.upper()} text, not UTF-8")
            return data.decode(codec, errors="replace").removeprefix("\ufeff")
    from qualcode.errors import IngestError
    from qualcode.ingest.decoding import decode_bytes

    try:
        decoded = decode_bytes(data, filename=label)
    except IngestError as exc:
        warnings.append(
            f"source '{label}': {exc.message.removeprefix(label + ': ')}; read as empty"
        )
        return ""
    warnings.append(f"source '{label}': text is not UTF-8; read as {decoded.encoding}")
    return decoded.text
