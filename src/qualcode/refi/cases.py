"""Cases and variables of a REFI-QDA project -> each text source's attributes.

A source's own ``VariableValue``s come first, then those of every ``Case`` that refers to it
(``SourceRef``); a case whose name differs from the source's adds ``case: <name>``. Values of
any type (text, integer, date, ...) are read as the text written. When two cases give a source
different values for one variable, the first wins and a warning names it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import TYPE_CHECKING

from qualcode.refi.guids import GuidLog, key_of
from qualcode.refi.xml_safety import child, children, local, text_of

if TYPE_CHECKING:
    from qualcode.refi.qdpx_read import ImportedSource


def apply_cases(root: ET.Element, log: GuidLog, sources: Sequence[ImportedSource]) -> list[str]:
    """Fill each source's variables from its own and its cases' values; return warnings."""
    names: dict[str, str] = {}
    variables = child(root, "Variables")
    for variable in children(variables, "Variable") if variables is not None else []:
        key = log.key(variable.get("guid"), where="variable", unique=True)
        names.setdefault(key, (variable.get("name") or key).strip())
    by_key = {source.key: source for source in sources}
    conflicts: list[str] = []
    for own, element in _source_elements(root, by_key):
        own.variables.update(_values(element, names, log))
    cases = child(root, "Cases")
    for case in children(cases, "Case") if cases is not None else []:
        case_name = (case.get("name") or "").strip()
        values = _values(case, names, log)
        for ref in children(case, "SourceRef"):
            source = by_key.get(log.key(ref.get("targetGUID"), where="SourceRef"))
            if source is None:
                continue
            extra = {"case": case_name} if case_name and case_name != source.name else {}
            for key, value in {**extra, **values}.items():
                old = source.variables.setdefault(key, value)
                if old != value:
                    conflicts.append(f"'{source.name}': {key}")
    if not conflicts:
        return []
    return [
        "sources in several cases with different values keep the first: " + ", ".join(conflicts[:5])
    ]


def _source_elements(
    root: ET.Element, by_key: dict[str, ImportedSource]
) -> list[tuple[ImportedSource, ET.Element]]:
    found = []
    sources = child(root, "Sources")
    for item in sources.iter() if sources is not None else []:
        if local(item.tag) in ("TextSource", "Representation") and item.get("guid"):
            source = by_key.get(key_of(item.get("guid", "")))
            if source is not None:
                found.append((source, item))
    return found


def _values(element: ET.Element, names: dict[str, str], log: GuidLog) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in children(element, "VariableValue"):
        ref = child(item, "VariableRef")
        if ref is None:
            continue
        key = log.key(ref.get("targetGUID"), where="VariableRef")
        value = next((text_of(v).strip() for v in item if local(v.tag).endswith("Value")), "")
        values.setdefault(names.get(key, key), value)
    return values
