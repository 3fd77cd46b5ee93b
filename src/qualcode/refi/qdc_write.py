"""A qualcode codebook -> a REFI-QDA codebook (``.qdc``), valid against ``Codebook.xsd``.

Every code becomes a ``<Code>`` with its name, colour and a Description written by
:func:`~qualcode.refi.description.compose`. ``isCodable`` is false for grouping codes (codes with
children and no rules of their own), true otherwise. Facets become ``<Sets>``: one set per
facet value, named ``key: value`` (a facet called ``set`` lists set names, ``;``-separated).
The same pieces build the code book of a ``.qdpx`` (:mod:`qualcode.refi.qdpx_write`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from qualcode import __version__
from qualcode.codebook.schema import Code, Codebook
from qualcode.refi import CODEBOOK_NS
from qualcode.refi.description import compose
from qualcode.refi.guids import make_guid
from qualcode.refi.xml_safety import clean, to_bytes

#: The ``origin`` attribute qualcode writes.
ORIGIN = f"qualcode {__version__}"
#: A facet with this key names sets directly (its value: set names joined with "; ").
SET_FACET = "set"


@dataclass(frozen=True)
class CodeSet:
    """A REFI-QDA set of codes made from one facet value."""

    guid: str
    name: str
    description: str
    members: tuple[str, ...]  # code GUIDs


def code_guid(codebook: Codebook, code_id: str) -> str:
    """The GUID of a code: from the codebook's name and the code's id."""
    return make_guid("code", codebook.name, code_id)


def is_codable(code: Code) -> bool:
    """False for a grouping code (children, no rules of its own)."""
    return not (code.children and not code.has_rules)


def add_codes(parent: ET.Element, codebook: Codebook) -> None:
    """Append ``<Codes>`` with the whole code tree to ``parent``."""
    codes = ET.SubElement(parent, "Codes")
    for code in codebook.codes:
        _add_code(codes, codebook, code)


def _add_code(parent: ET.Element, codebook: Codebook, code: Code) -> None:
    attributes = {
        "guid": code_guid(codebook, code.id),
        "name": clean(code.name),
        "isCodable": "true" if is_codable(code) else "false",
    }
    if code.color:
        attributes["color"] = code.color
    element = ET.SubElement(parent, "Code", attributes)
    description = compose(code)
    if description:
        ET.SubElement(element, "Description").text = clean(description)
    for child in code.children:
        _add_code(element, codebook, child)


def facet_sets(codebook: Codebook) -> list[CodeSet]:
    """One set per facet value, in codebook order."""
    members: dict[tuple[str, str], list[str]] = {}
    for code in codebook.walk():
        for key, value in code.facets.items():
            values = [v.strip() for v in value.split(";")] if key == SET_FACET else [value]
            for item in values:
                if item:
                    members.setdefault((key, item), []).append(code_guid(codebook, code.id))
    sets = []
    for (key, value), guids in members.items():
        if key == SET_FACET:
            name, description = value, f"Codes in the set '{value}'."
        else:
            name, description = f"{key}: {value}", f"Codes whose facet '{key}' is '{value}'."
        guid = make_guid("set", codebook.name, key, value)
        sets.append(CodeSet(guid, name, description, tuple(guids)))
    return sets


def codebook_qdc(codebook: Codebook) -> bytes:
    """The ``.qdc`` file of ``codebook`` as bytes."""
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": ORIGIN})
    add_codes(root, codebook)
    add_sets(root, codebook, member_attribute="guid")
    return to_bytes(root)


def add_sets(root: ET.Element, codebook: Codebook, *, member_attribute: str) -> None:
    """The facets as ``<Sets>`` (none when the codebook has no facets: an empty ``<Sets/>``
    fails the schema). Codebook.xsd names a member ``guid``, Project.xsd ``targetGUID``."""
    sets = facet_sets(codebook)
    if not sets:
        return
    sets_element = ET.SubElement(root, "Sets")
    for code_set in sets:
        element = ET.SubElement(
            sets_element, "Set", {"guid": code_set.guid, "name": clean(code_set.name)}
        )
        ET.SubElement(element, "Description").text = clean(code_set.description)
        for member in code_set.members:
            ET.SubElement(element, "MemberCode", {member_attribute: member})
