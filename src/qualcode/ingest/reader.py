"""Read one transcript file into a :class:`~qualcode.models.Document`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

from qualcode.errors import IngestError
from qualcode.ingest.decoding import canonical_text, decode_bytes
from qualcode.ingest.discovery import SUPPORTED_SUFFIXES
from qualcode.ingest.document_cache import DocumentCache
from qualcode.ingest.front_matter import split_front_matter
from qualcode.ingest.segmentation import UNITS, interviewer_labels, segment_body
from qualcode.models import Document

#: Encoding recorded for a .docx (its XML parts are UTF-8).
DOCX_ENCODING = "utf-8"
#: Warning for a file with no text in its body.
NO_TEXT = "no text"


def read_document(
    path: Path,
    *,
    name: str | None = None,
    unit: str = "turn",
    interviewers: Sequence[str] = (),
    encoding: str | None = None,
    redactor: Callable[[str], str] | None = None,
    cache: DocumentCache | None = None,
) -> Document:
    """Read one transcript (``.txt``, ``.md`` or ``.docx``) into a segmented document.

    ``name`` (default: the file's basename) names the document and starts every error message.
    ``interviewers`` are speaker labels for the interviewer, used when the front matter has no
    ``interviewer``. ``encoding`` forces the encoding of a text file (ignored for ``.docx``).
    ``redactor`` (``qualcode code --redact``) rewrites the body, the attribute values and the
    interviewer labels before segmentation, so offsets point into the redacted body.
    ``cache`` keeps what was read between runs: an unchanged file read with the same options
    comes back from it whole (:mod:`.document_cache`; not used with a ``redactor``).
    Raises :class:`IngestError` when the file cannot be read.
    """
    path = Path(path)
    display = name if name is not None else str(path)
    if unit not in UNITS:
        raise IngestError(f"{display}: unknown unit {unit!r}; choose one of {', '.join(UNITS)}")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(
            f"{display}: unsupported file type {path.suffix or '(no suffix)'!r}; "
            f"qualcode reads {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise IngestError(f"{display}: cannot be read ({error.strerror or error})") from None
    sha256 = hashlib.sha256(data).hexdigest()
    document_name = name if name is not None else path.name
    if redactor is not None:
        cache = None  # a redacted text depends on the names found in every transcript
    if cache is not None:
        entry = cache.key(
            sha256, suffix=suffix, unit=unit, interviewers=interviewers, encoding=encoding
        )
        stored = cache.load(entry, name=document_name, sha256=sha256)
        if stored is not None:
            return stored

    warnings: list[str] = []
    if suffix == ".docx":
        from qualcode.ingest.docx_reader import read_docx  # python-docx only when needed

        docx_text = read_docx(data, filename=display)
        text, used_encoding = "\n".join(docx_text.lines), DOCX_ENCODING
        warnings.extend(docx_text.warnings)
    else:
        decoded = decode_bytes(data, filename=display, encoding=encoding)
        text, used_encoding = decoded.text, decoded.encoding
        warnings.extend(decoded.warnings)

    front = split_front_matter(canonical_text(text), filename=display)
    body, attributes = front.body, front.attributes
    labels = interviewer_labels(front.interviewers, interviewers)
    if redactor is not None:
        body = redactor(body)
        attributes = {key: redactor(value) for key, value in attributes.items()}
        labels = tuple(redactor(label) for label in labels)
    segments = segment_body(body, document=document_name, unit=unit, interviewers=labels)
    if not segments:
        warnings.append(NO_TEXT)
    document = Document(
        name=document_name,
        body=body,
        segments=segments,
        attributes=attributes,
        encoding=used_encoding,
        sha256=sha256,
        body_sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        warnings=tuple(warnings),
    )
    if cache is not None:
        cache.save(entry, document)
    return document
