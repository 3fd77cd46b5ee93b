"""An output folder of ``qualcode code`` -> a REFI-QDA project (``.qdpx``), valid against
``Project.xsd``.

The archive holds ``project.qde`` and ``sources/<guid>.txt`` (each document's body, UTF-8,
referenced as ``internal://<guid>.txt``). In ``project.qde``:

* ``Users``: the auto-coder and the researcher; a coding's ``creatingUser`` is the auto-coder
  for origin ``auto`` and the researcher for ``accepted``/``manual`` (reviewed) codings;
* ``CodeBook``: the code tree (:mod:`qualcode.refi.qdc_write`), facets as project ``Sets``,
  the codebook's description and settings as the project ``Description``
  (:mod:`qualcode.refi.settings`);
* ``Variables`` and ``Cases``: one case per document, with the front-matter attributes as
  variables (``Date`` when every value is an ISO date, ``Integer`` when every value is a whole
  number, else ``Text``);
* ``Sources``: one ``TextSource`` per document, one ``PlainTextSelection`` per coded segment
  (code-point ``startPosition``/``endPosition``) with one ``Coding`` per code; a coding's memo
  becomes a ``Note`` it refers to.

GUIDs come from content and every ZIP member has a fixed date, so the same folder always gives
the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from qualcode.refi import PROJECT_NS, ExchangeError
from qualcode.refi.guids import make_guid
from qualcode.refi.output_folder import (
    RESEARCHER_ORIGINS,
    CodingRecord,
    DocumentRecord,
    OutputFolder,
)
from qualcode.refi.qdc_write import ORIGIN, add_codes, add_sets, code_guid
from qualcode.refi.settings import compose_settings
from qualcode.refi.xml_safety import clean, to_bytes

#: Name and id of the auto-coder's User.
AUTO_CODER = ("qualcode auto-coder", "qualcode")
#: The date every ZIP member carries (ZIP cannot store earlier dates).
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: The largest internal file REFI-QDA allows (2^31 - 1 bytes).
MAX_SOURCE_BYTES = 2**31 - 1
_PREVIEW = 60
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Users:
    auto: str
    researcher: str


def user_guids(researcher: str) -> Users:
    return Users(make_guid("user", AUTO_CODER[0]), make_guid("user", "researcher", researcher))


def source_guid(document: str) -> str:
    return make_guid("source", document)


def project_qdpx(folder: OutputFolder, *, researcher: str = "researcher", name: str = "") -> bytes:
    """The ``.qdpx`` archive of ``folder`` as bytes."""
    qde = project_qde(folder, researcher=researcher, name=name)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, "project.qde", qde)
        for document in folder.documents:
            data = document.body.encode("utf-8")
            if len(data) > MAX_SOURCE_BYTES:
                raise ExchangeError(
                    f"{document.name}: {len(data)} bytes, more than REFI-QDA allows for a source"
                )
            _add(archive, f"sources/{source_guid(document.name)}.txt", data)
    return buffer.getvalue()


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def project_qde(folder: OutputFolder, *, researcher: str = "researcher", name: str = "") -> bytes:
    """The ``project.qde`` XML of ``folder`` as bytes."""
    users = user_guids(researcher)
    codebook = folder.codebook
    root = ET.Element(
        "Project",
        {
            "xmlns": PROJECT_NS,
            "name": clean(name or codebook.name),
            "origin": ORIGIN,
            "creatingUserGUID": users.researcher,
        },
    )
    users_element = ET.SubElement(root, "Users")
    ET.SubElement(
        users_element, "User", {"guid": users.auto, "name": AUTO_CODER[0], "id": AUTO_CODER[1]}
    )
    ET.SubElement(
        users_element,
        "User",
        {"guid": users.researcher, "name": clean(researcher), "id": "researcher"},
    )
    add_codes(ET.SubElement(root, "CodeBook"), codebook)
    variables = _variables(folder.documents)
    if variables:
        variables_element = ET.SubElement(root, "Variables")
        for variable, kind in variables.items():
            ET.SubElement(
                variables_element,
                "Variable",
                {
                    "guid": make_guid("variable", variable),
                    "name": clean(variable),
                    "typeOfVariable": kind,
                },
            )
    if folder.documents:
        cases = ET.SubElement(root, "Cases")
        for document in folder.documents:
            _add_case(cases, document, variables)
        sources = ET.SubElement(root, "Sources")
        by_document: dict[str, list[CodingRecord]] = {}
        for coding in folder.codings:
            by_document.setdefault(coding.document, []).append(coding)
        for document in folder.documents:
            mine = by_document.get(document.name, [])
            _add_source(sources, document, mine, folder, users)
    memos = [c for c in folder.codings if c.memo]
    if memos:
        notes = ET.SubElement(root, "Notes")
        for coding in memos:
            note = ET.SubElement(
                notes,
                "Note",
                {
                    "guid": _note_guid(coding),
                    "name": clean(f"Memo: {coding.code} in {coding.document}"),
                    "creatingUser": users.researcher,
                },
            )
            ET.SubElement(note, "PlainTextContent").text = clean(coding.memo)
    add_sets(root, codebook, member_attribute="targetGUID")
    ET.SubElement(root, "Description").text = clean(compose_settings(codebook))
    return to_bytes(root)


def _variables(documents: Sequence[DocumentRecord]) -> dict[str, str]:
    """Each attribute name -> its REFI-QDA type, in first-seen order."""
    values: dict[str, list[str]] = {}
    for document in documents:
        for key, value in document.attributes.items():
            values.setdefault(key, []).append(value)
    return {key: _kind(items) for key, items in values.items()}


def _kind(values: list[str]) -> str:
    if all(_is_date(v) for v in values):
        return "Date"
    if all(_INTEGER.fullmatch(v) for v in values):
        return "Integer"
    return "Text"


def _is_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


_VALUE_ELEMENT = {"Date": "DateValue", "Integer": "IntegerValue", "Text": "TextValue"}


def _add_case(parent: ET.Element, document: DocumentRecord, variables: dict[str, str]) -> None:
    case = ET.SubElement(
        parent, "Case", {"guid": make_guid("case", document.name), "name": clean(document.name)}
    )
    for key, value in document.attributes.items():
        item = ET.SubElement(case, "VariableValue")
        ET.SubElement(item, "VariableRef", {"targetGUID": make_guid("variable", key)})
        ET.SubElement(item, _VALUE_ELEMENT[variables[key]]).text = clean(value)
    ET.SubElement(case, "SourceRef", {"targetGUID": source_guid(document.name)})


def _add_source(
    parent: ET.Element,
    document: DocumentRecord,
    codings: list[CodingRecord],
    folder: OutputFolder,
    users: Users,
) -> None:
    guid = source_guid(document.name)
    source = ET.SubElement(
        parent,
        "TextSource",
        {"guid": guid, "name": clean(document.name), "plainTextPath": f"internal://{guid}.txt"},
    )
    spans: dict[tuple[int, int], list[CodingRecord]] = {}
    for coding in codings:
        spans.setdefault((coding.start, coding.end), []).append(coding)
    for (start, end), items in sorted(spans.items()):
        by_researcher = any(c.origin in RESEARCHER_ORIGINS for c in items)
        selection = ET.SubElement(
            source,
            "PlainTextSelection",
            {
                "guid": make_guid("selection", document.name, str(start), str(end)),
                "name": clean(_preview(document.body[start:end])),
                "startPosition": str(start),
                "endPosition": str(end),
                "creatingUser": users.researcher if by_researcher else users.auto,
            },
        )
        for coding in items:
            creator = users.researcher if coding.origin in RESEARCHER_ORIGINS else users.auto
            element = ET.SubElement(
                selection, "Coding", {"guid": _coding_guid(coding), "creatingUser": creator}
            )
            ET.SubElement(
                element, "CodeRef", {"targetGUID": code_guid(folder.codebook, coding.code)}
            )
            if coding.memo:
                ET.SubElement(element, "NoteRef", {"targetGUID": _note_guid(coding)})


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _PREVIEW else flat[: _PREVIEW - 1].rstrip() + "…"


def _coding_guid(coding: CodingRecord) -> str:
    return make_guid("coding", coding.document, str(coding.start), str(coding.end), coding.code)


def _note_guid(coding: CodingRecord) -> str:
    return make_guid("note", _coding_guid(coding))
