"""Code many documents: one process, or worker processes forked from a ready matcher.

Workers are forked after the matcher is built, so they start at once and share it copy-on-write.
Each worker returns its hits and codings as plain tuples, and the base keys it computed; results
are put back in document order, so the output is the same whatever the number of jobs.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import operator
import os
from collections.abc import Callable, Iterable, Iterator, Sequence

from qualcode.matching.engine import CodebookMatcher, auto_coding
from qualcode.matching.normaliser import WORD
from qualcode.models import Coding, Document, Hit

DocumentResult = tuple[list[Hit], list[Coding]]
#: A Hit's fields in order, which is how workers send hits back.
HitRow = tuple[str, int, str, int, int, str, str, str, str]
_hit_row = operator.attrgetter(*(f.name for f in dataclasses.fields(Hit)))
#: An auto-coding without its segment's details: (segment, code, hits, matched).
CodingRow = tuple[int, str, int, tuple[str, ...]]
#: Called after each document with (index of the document, its result).
Done = Callable[[int, DocumentResult], None]

# Set in the parent right before forking; read by the workers.
_WORK: tuple[CodebookMatcher, Sequence[Document]] | None = None


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
    jobs = max(1, min(jobs, len(documents)))
    if jobs == 1 or not _fork_available():
        results = []
        for index, document in enumerate(documents):
            result = matcher.code_document(document)
            results.append(result)
            if done is not None:
                done(index, result)
        return results
    return list(_code_in_workers(matcher, documents, jobs, done))


def _code_in_workers(
    matcher: CodebookMatcher, documents: Sequence[Document], jobs: int, done: Done | None
) -> Iterator[DocumentResult]:
    global _WORK
    # spaCy's tokenizer is not built here: a worker builds it when a text misses the token
    # cache (in parallel, so no slower than building it once here), a fully cached run never.
    _WORK = (matcher, documents)
    try:
        context = multiprocessing.get_context("fork")
        # Stemming is per distinct word: on a first run (no stored keys) share it out first, so
        # that no two workers stem the same word, and every worker starts with all the keys.
        if not matcher.normaliser.base_keys:
            with context.Pool(jobs) as pool:
                shares = [range(i, len(documents), jobs) for i in range(jobs)]
                words = sorted(set().union(*pool.map(_distinct_words, shares)))
                for keys in pool.map(_stem_words, [words[i::jobs] for i in range(jobs)]):
                    matcher.normaliser.add_base_keys(keys)
        # Many small tasks balance uneven documents; chunks keep the messaging cheap.
        chunksize = max(1, len(documents) // (jobs * 8))
        with context.Pool(jobs) as pool:
            for index, (hit_rows, coding_rows, new_keys, matched) in enumerate(
                pool.imap(_work_on, range(len(documents)), chunksize=chunksize)
            ):
                matcher.normaliser.add_base_keys(new_keys)
                document = documents[index]
                matcher.matched_codes[document.name] = matched
                result = ([Hit(*row) for row in hit_rows], _codings(document, coding_rows))
                if done is not None:
                    done(index, result)
                yield result
    finally:
        _WORK = None


def _distinct_words(indices: Iterable[int]) -> set[str]:
    """The lowercased words of these documents' informant segments (close to the tokens)."""
    assert _WORK is not None, "worker started without work"
    documents = _WORK[1]
    words: set[str] = set()
    for index in indices:
        for segment in documents[index].segments:
            if not segment.is_interviewer:
                words.update(WORD.findall(segment.text.lower()))
    return words


def _stem_words(words: list[str]) -> dict[str, tuple[str, str]]:
    assert _WORK is not None, "worker started without work"
    return _WORK[0].normaliser.base_keys_for(words)


def _work_on(
    index: int,
) -> tuple[list[HitRow], list[CodingRow], dict[str, tuple[str, str]], frozenset[str]]:
    """A document's hits and codings as plain tuples (pickled several times faster than
    dataclasses; a coding without its segment's text), the new base keys and the codes that
    were matched (not taken from the hit cache)."""
    assert _WORK is not None, "worker started without work"
    matcher, documents = _WORK
    hits, codings = matcher.code_document(documents[index])
    hit_rows: list[HitRow] = [_hit_row(h) for h in hits]
    coding_rows = [(c.segment, c.code, c.hits, c.matched) for c in codings]
    new_keys = dict(matcher.normaliser.new_base_keys)
    matcher.normaliser.new_base_keys.clear()
    matched = matcher.matched_codes.pop(documents[index].name)
    return hit_rows, coding_rows, new_keys, matched


def _codings(document: Document, rows: Sequence[CodingRow]) -> list[Coding]:
    """The auto-codings a worker found, with their segments put back."""
    segments = {s.number: s for s in document.segments}
    return [auto_coding(document, segments[row[0]], *row[1:]) for row in rows]
