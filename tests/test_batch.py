"""Coding many documents with --jobs: this process and forked workers share them out."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from qualcode.codebook import load_codebook
from qualcode.errors import MatchingError
from qualcode.ingest import read_document
from qualcode.matching import batch
from qualcode.matching.engine import CodebookMatcher
from qualcode.models import Document
from tests.conftest import write

TURNS = (
    "Kami bekerja sama dengan perbankan, juga ada pembinaan rutin.",
    "Anggota tidak aktif, banyak rentenir dan pinjol di kampung.",
    "Penguatan kelembagaan itu penting, kemitraan lintas sektor juga.",
)


def _documents(root: Path, count: int) -> list[Document]:
    documents = []
    for number in range(count):
        # Documents of uneven length, each with words of its own (new keys in every process).
        turns = "\n".join(
            f"Informan {number}: {TURNS[(number + i) % 3]} Kata{number}x{i} muncul."
            for i in range(1 + number % 4)
        )
        path = write(root / f"w{number:02d}.txt", f"Peneliti: Bagaimana?\n{turns}\n")
        documents.append(read_document(path, name=path.name))
    return documents


def _matcher(codebook: Path) -> CodebookMatcher:
    return CodebookMatcher(load_codebook(codebook))


@pytest.mark.parametrize("jobs", [2, 3])
def test_workers_give_the_results_of_one_process_in_document_order(
    tmp_path: Path, small_codebook: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = _documents(tmp_path, 13)
    alone = _matcher(small_codebook)
    expected = batch.code_documents(alone, documents, jobs=1)
    shared = _matcher(small_codebook)
    seen: list[int] = []
    coders = tmp_path / "coders.txt"
    original = CodebookMatcher.code_document

    def slow(self: CodebookMatcher, document: Document):  # type: ignore[no-untyped-def]
        time.sleep(0.02)  # so that no process takes every document before the others start
        with coders.open("a", encoding="utf-8") as log:
            log.write(f"{os.getpid()}\n")
        return original(self, document)

    monkeypatch.setattr(CodebookMatcher, "code_document", slow)
    got = batch.code_documents(shared, documents, jobs=jobs, done=lambda i, _r: seen.append(i))
    assert got == expected
    assert len(set(coders.read_text(encoding="utf-8").split())) == jobs  # all took a share
    assert sorted(seen) == list(range(len(documents)))  # each document coded once
    # The keys every process worked out come back to be stored (the up-front stemming may
    # also store words the codebook overrides, which one process never looks up).
    assert alone.normaliser.base_keys.items() <= shared.normaliser.base_keys.items()
    assert set(shared.matched_codes) == {d.name for d in documents}


def test_an_error_in_a_worker_reaches_the_caller(
    tmp_path: Path, small_codebook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = _documents(tmp_path, 8)
    original = CodebookMatcher.code_document

    def failing(self: CodebookMatcher, document: Document):  # type: ignore[no-untyped-def]
        if document.name != "w00.txt":  # whichever process takes one of these raises
            raise MatchingError(f"{document.name}: cannot match")
        return original(self, document)

    monkeypatch.setattr(CodebookMatcher, "code_document", failing)
    with pytest.raises(MatchingError, match="cannot match"):
        batch.code_documents(_matcher(small_codebook), documents, jobs=2)
