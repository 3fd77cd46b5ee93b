"""``run.json``: what produced an output folder (versions, codebook, inputs, options)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from qualcode import __version__
from qualcode.codebook.schema import Codebook
from qualcode.models import Document

_LIBRARIES = ("spacy", "spacy-lookups-data", "PySastrawi", "python-docx", "pandas")


def library_versions() -> dict[str, str]:
    from qualcode.versions import package_version

    return {
        "qualcode": __version__,
        **{name: package_version(name, missing="not installed") for name in _LIBRARIES},
    }


def build_manifest(
    *,
    codebook: Codebook,
    documents: Sequence[Document],
    failures: Sequence[tuple[str, str]],
    options: Mapping[str, Any],
    summary: Mapping[str, int],
    normaliser: str,
    outputs: Sequence[str],
    paths: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The manifest as plain data; no timestamps, so identical runs give identical files.

    ``paths`` maps a document's name to its file's path as given on the command line (relative
    paths stay relative), so ``qualcode report`` can tell when a transcript changed since."""
    paths = paths or {}
    return {
        "versions": library_versions(),
        "codebook": {
            "path": codebook.path,
            "name": codebook.name,
            "version": codebook.version,
            "language": codebook.language,
            "sha256": codebook.sha256,
        },
        "options": dict(options),
        "normaliser": normaliser,
        "inputs": [
            {
                "document": doc.name,
                "path": paths.get(doc.name, ""),
                "sha256": doc.sha256,
                "body_sha256": doc.body_sha256,
                "encoding": doc.encoding,
                "segments": len(doc.segments),
                "attributes": dict(doc.attributes),
                "warnings": list(doc.warnings),
            }
            for doc in documents
        ],
        "failures": [{"document": name, "error": error} for name, error in failures],
        "summary": dict(summary),
        "outputs": list(outputs),
    }


def manifest_text(manifest: Mapping[str, Any]) -> str:
    return json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
