"""Reading untrusted XML safely, walking it namespace-blind, and writing XML that always parses.

Reading uses :mod:`defusedxml`: entity declarations (billion laughs, quadratic blowup) and
external entities or DTDs are refused with an :class:`~qualcode.refi.ExchangeError`, never
expanded. Elements are then found by their *local* name, so a file in a namespace variant
(``urn:QDA-XML:project:0:4``) or in no namespace at all reads the same; :func:`namespace_warnings`
names the variant.

Writing builds :mod:`xml.etree.ElementTree` trees (attribute order as inserted) and serialises them
with a fixed declaration and indentation; :func:`clean` replaces the characters XML 1.0 forbids.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from qualcode.refi import ExchangeError

_XSI = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def parse_xml(data: bytes, *, source: str) -> ET.Element:
    """Parse ``data`` (XML bytes) without expanding entities; ``source`` names it in errors."""
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        root: ET.Element = DET.fromstring(data, forbid_dtd=False)
    except DefusedXmlException as exc:
        raise ExchangeError(
            f"{source}: refused: the XML declares entities or external references "
            f"({type(exc).__name__}); qualcode never expands them (entity-expansion attacks)"
        ) from None
    except ET.ParseError as exc:
        line, column = exc.position
        raise ExchangeError(
            f"{source}: not well-formed XML at line {line}, column {column + 1}"
        ) from None
    return root


def local(tag: str) -> str:
    """``{urn:x}Code`` -> ``Code``."""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    """``{urn:x}Code`` -> ``urn:x`` (empty when there is none)."""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def children(element: ET.Element, name: str) -> list[ET.Element]:
    """Direct children with local name ``name``."""
    return [child for child in element if local(child.tag) == name]


def child(element: ET.Element, name: str) -> ET.Element | None:
    """The first direct child with local name ``name``."""
    for item in element:
        if local(item.tag) == name:
            return item
    return None


def descendants(element: ET.Element, name: str) -> Iterator[ET.Element]:
    """All descendants with local name ``name``, in document order."""
    for item in element.iter():
        if item is not element and local(item.tag) == name:
            yield item


def text_of(element: ET.Element | None) -> str:
    """The text of a text-only element ("" for None)."""
    return "" if element is None else "".join(element.itertext())


def namespace_warnings(root: ET.Element, expected: str) -> list[str]:
    """Warnings naming a root namespace or ``xsi:schemaLocation`` other than ``expected``."""
    warnings = []
    found = namespace(root.tag)
    if found != expected:
        shown = f"'{found}'" if found else "no namespace"
        warnings.append(f"<{local(root.tag)}> uses {shown}, not '{expected}'; read anyway")
    location = root.get(_XSI, "").split()
    declared = location[0::2]
    for name in declared:
        if name != expected:
            warnings.append(
                f"xsi:schemaLocation names namespace '{name}', not '{expected}'; ignored"
            )
    return warnings


def clean(text: str) -> str:
    """``text`` with characters XML 1.0 cannot carry replaced by U+FFFD."""
    return _FORBIDDEN_CHARS.sub("\ufffd", text)


def to_bytes(root: ET.Element) -> bytes:
    """UTF-8 XML with a declaration and two-space indentation, ending in a newline."""
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")
