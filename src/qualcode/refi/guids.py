"""GUIDs: derived from content when writing, read leniently when importing.

Written GUIDs are UUID version 5 of a fixed namespace and a name built from what the GUID
identifies (a code's codebook and id, a document's name, ...), in upper case: exporting the
same project twice gives the same GUIDs, and the same code gets the same GUID in a ``.qdc`` and
in a ``.qdpx``. The XSDs accept ``XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX`` with or without braces.

Read GUIDs become *keys* for cross-references: braces removed, upper case. A GUID that does not
look like one (``c001``, as some tools write) is kept as a plain identifier; :class:`GuidLog`
counts every deviation so that one warning per kind names it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

#: The namespace of every GUID qualcode writes (uuid5 of a URL; never change it: it would change
#: every GUID of every export).
NAMESPACE = uuid.UUID("04163c39-ba5e-5c9c-884e-23edf46c0710")

_GUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
_SEPARATOR = "\x1f"
_EXAMPLES = 3


def make_guid(kind: str, *parts: str) -> str:
    """The GUID of the ``kind`` object identified by ``parts`` (upper-case canonical form)."""
    name = _SEPARATOR.join((kind, *parts))
    return str(uuid.uuid5(NAMESPACE, name)).upper()


def is_guid(value: str) -> bool:
    """Whether ``value`` is a GUID in the form the XSDs require (braces allowed)."""
    inner = value[1:-1] if value.startswith("{") and value.endswith("}") else value
    return _GUID.fullmatch(inner) is not None


def key_of(raw: str) -> str:
    """The cross-reference key of a GUID as written: braces removed, upper case if valid."""
    value = raw.strip()
    if value.startswith("{") and value.endswith("}"):
        value = value[1:-1].strip()
    return value.upper() if _GUID.fullmatch(value) else value


@dataclass
class GuidLog:
    """Turns read GUIDs into keys and remembers each kind of deviation for one warning each."""

    braced: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)

    def key(self, raw: str | None, *, where: str, unique: bool = False) -> str:
        """The key of GUID ``raw`` read at ``where``; ``unique`` for a declaring ``guid``."""
        if raw is None or not raw.strip():
            self.missing.append(where)
            return f"(missing guid: {where})"
        value = raw.strip()
        if value.startswith("{") and value.endswith("}"):
            self.braced.append(value)
        key = key_of(value)
        if _GUID.fullmatch(key) is None:
            self.invalid.append(value)
        if unique:
            if key in self._seen:
                self.duplicates.append(raw.strip())
            self._seen.add(key)
        return key

    def warnings(self) -> list[str]:
        """One line per kind of deviation, with examples."""
        lines = []
        if self.braced:
            lines.append(
                f"{_count(self.braced, 'GUID')} written in braces ({_examples(self.braced)}); "
                "read without them"
            )
        if self.invalid:
            unique = list(dict.fromkeys(self.invalid))
            lines.append(
                f"{_count(unique, 'invalid GUID')} ({_examples(unique)}; a GUID looks like "
                "XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX); used as plain identifiers"
            )
        if self.missing:
            lines.append(
                f"{_count(self.missing, 'element')} without a guid ({_examples(self.missing)}); "
                "given a placeholder"
            )
        if self.duplicates:
            unique = list(dict.fromkeys(self.duplicates))
            lines.append(
                f"{_count(unique, 'GUID')} declared more than once ({_examples(unique)}); "
                "references go to the first"
            )
        return lines


def _count(items: list[str], noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def _examples(items: list[str]) -> str:
    shown = ", ".join(f"'{item}'" for item in items[:_EXAMPLES])
    return f"e.g. {shown}" if len(items) > _EXAMPLES else shown
