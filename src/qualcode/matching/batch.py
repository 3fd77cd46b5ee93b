"""Code many documents: one process, or this process and worker processes forked from a ready
matcher.

Workers are forked after the matcher is built, so they start at once and share it copy-on-write.
This process codes documents too: each process takes the next document not yet taken (a shared
counter), so uneven documents balance out and only the workers' share is sent back. Workers
return hits (named tuples) and codings as plain tuples, and the base keys they computed; results
are put back in document order, so the output is the same whatever the number of jobs.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from qualcode.matching.engine import CodebookMatcher, auto_coding
from qualcode.matching.normaliser import WORD, lowered_runs
from qualcode.models import Coding, Document, Hit

DocumentResult = tuple[list[Hit], list[Coding]]
#: An auto-coding without its segment's details: (segment, code, hits, matched).
CodingRow = tuple[int, str, int, tuple[str, ...]]
#: What a worker sends back for one document: its index, hits, coding rows, the base keys it
#: computed and the codes it matched (not taken from the hit cache).
WorkerResult = tuple[int, list[Hit], list[CodingRow], dict[str, tuple[str, str]], frozenset[str]]
#: Called after each document, in the order they are done, with (its index, its result).
Done = Callable[[int, DocumentResult], None]

# Set in the parent right before forking; read by the workers.
_WORK: tuple[CodebookMatcher, Sequence[Document]] | None = None
#: The index of the next document to code, shared by this process and its workers.
_NEXT: Any = None
#: Fewer stored keys than this (the codebook's own words aside): stem the words up front.
_MANY_KEYS = 5_000


def default_jobs() -> int:
    return os.cpu_count() or 1


def _fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def code_documents(
    matcher: CodebookMatcher,
    documents: Sequence[Document],
    *,
    jobs: int = 1,
    done: Done | None = None,
) -> list[DocumentResult]:
    """(hits, codings) for every document, in document order."""
    matcher.expect(documents)
    jobs = max(1, min(jobs, len(documents)))
    if jobs == 1 or not _fork_available():
        results = []
        for index, document in enumerate(documents):
            result = matcher.code_document(document)
            results.append(result)
            if done is not None:
                done(index, result)
        return results
    return _code_with_workers(matcher, documents, jobs, done)


def _code_with_workers(
    matcher: CodebookMatcher, documents: Sequence[Document], jobs: int, done: Done | None
) -> list[DocumentResult]:
    """This process and ``jobs - 1`` forked workers take documents one at a time until none
    is left."""
    global _WORK, _NEXT
    _WORK = (matcher, documents)
    context = multiprocessing.get_context("fork")
    _NEXT = context.Value("q", 0)
    results: dict[int, DocumentResult] = {}

    def finished(index: int, result: DocumentResult) -> None:
        results[index] = result
        if done is not None:
            done(index, result)

    try:
        # Stemming is per distinct word: when many words have no stored key (a first run), share
        # it out first, so that no two processes stem the same word, and all start with the keys.
        # spaCy's tokenizer, if any text needs it, is built here while the workers stem, and
        # shared.
        if len(matcher.normaliser.base_keys) < _MANY_KEYS:
            with context.Pool(jobs) as pool:
                shares = [range(i, len(documents), jobs) for i in range(jobs)]
                words = sorted(set().union(*pool.map(_words_to_stem, shares)))
                words = [word for word in words if word not in matcher.normaliser.base_keys]
                stemmed = pool.map_async(_stem_words, [words[i::jobs] for i in range(jobs)])
                matcher.tokenizer.prepare()
                for keys in stemmed.get():
                    matcher.normaliser.add_base_keys(keys)
        else:
            matcher.tokenizer.prepare()
        with context.Pool(jobs - 1) as pool:
            # Tasks are queued up front, each taking the next `size` documents left (or fewer,
            # or none): documents are handed out as the processes get free. Several documents a
            # task keep the messaging cheap with thousands of short documents.
            size = max(1, len(documents) // (jobs * 32))
            tasks = [size] * -(-len(documents) // size)  # each codes up to `size` documents
            sent = pool.imap_unordered(_code_next_few, tasks)

            def receive(timeout: float | None) -> None:
                """Take the workers' results in, those ready within ``timeout`` (None: all)."""
                while True:
                    try:
                        items = sent.next(timeout=timeout)
                    except (StopIteration, multiprocessing.TimeoutError):
                        return
                    for item in items:
                        finished(item[0], _received(matcher, documents, item))

            for index in _taken(len(documents)):
                finished(index, matcher.code_document(documents[index]))
                receive(timeout=0)  # meanwhile, so that less is left to take in at the end
            receive(timeout=None)
    finally:
        _WORK = _NEXT = None
    return [results[index] for index in range(len(documents))]


def _taken(count: int) -> Iterator[int]:
    """The indices of the documents this process takes, until all ``count`` are taken."""
    while True:
        with _NEXT.get_lock():
            index = int(_NEXT.value)
            _NEXT.value = index + 1
        if index >= count:
            return
        yield index


def _received(
    matcher: CodebookMatcher, documents: Sequence[Document], item: WorkerResult
) -> DocumentResult:
    """A worker's result for a document as hits and codings; its base keys and the codes it
    matched taken into this process's matcher."""
    index, hits, coding_rows, new_keys, matched = item
    matcher.normaliser.add_base_keys(new_keys)
    document = documents[index]
    matcher.matched_codes[document.name] = matched
    return hits, _codings(document, coding_rows)


def _words_to_stem(indices: Iterable[int]) -> set[str]:
    """The lowercased words of these documents' informant segments (close to the tokens)."""
    assert _WORK is not None, "worker started without work"
    documents = _WORK[1]
    texts = (s.text for index in indices for s in documents[index].segments if not s.is_interviewer)
    return {word for run in lowered_runs(texts) for word in WORD.findall(run)}


def _stem_words(words: list[str]) -> dict[str, tuple[str, str]]:
    assert _WORK is not None, "worker started without work"
    return _WORK[0].normaliser.base_keys_for(words)


def _code_next_few(count: int) -> list[WorkerResult]:
    """In a worker: up to ``count`` documents not yet taken (:func:`_code_next`)."""
    results = []
    for _ in range(count):
        result = _code_next()
        if result is None:
            break
        results.append(result)
    return results


def _code_next() -> WorkerResult | None:
    """In a worker: the next document not yet taken, its hits (named tuples) and codings as
    plain tuples (pickled several times faster than dataclasses; a coding without its
    segment's text); None when none is left."""
    assert _WORK is not None, "worker started without work"
    matcher, documents = _WORK
    index = next(_taken(len(documents)), None)
    if index is None:
        return None
    hits, codings = matcher.code_document(documents[index])
    coding_rows = [(c.segment, c.code, c.hits, c.matched) for c in codings]
    new_keys = dict(matcher.normaliser.new_base_keys)
    matcher.normaliser.new_base_keys.clear()
    matched = matcher.matched_codes.pop(documents[index].name)
    return index, hits, coding_rows, new_keys, matched


def _codings(document: Document, rows: Sequence[CodingRow]) -> list[Coding]:
    """The auto-codings a worker found, with their segments put back."""
    segments = {s.number: s for s in document.segments}
    return [auto_coding(document, segments[row[0]], *row[1:]) for row in rows]
