"""The main job: transcripts + codebook -> coded segments in an output folder.

``code_transcripts`` reads every transcript (a file that fails is reported and skipped), applies
the codebook and writes ``segments.csv``, ``codings.csv``, ``hits.csv``, ``run.json``, a copy
of the codebook (``codebook.yaml``) and every document's body and attributes
(``documents.jsonl``, which ``qualcode export qdpx`` reads), each atomically.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.codebook import Codebook, load_codebook
from qualcode.errors import IngestError, OutputError
from qualcode.fileio import (
    check_writable_folder,
    meanwhile,
    write_bytes_atomic,
    write_text_atomic,
)
from qualcode.gctuning import fewer_gc_passes
from qualcode.ingest import find_transcripts, read_document
from qualcode.manifest import build_manifest, manifest_text
from qualcode.models import Coding, Document, Hit

if TYPE_CHECKING:
    from qualcode.redaction import Redactor
    from qualcode.review.apply import ReviewOutcome

OUTPUT_FILES = (
    "segments.csv", "codings.csv", "hits.csv", "run.json", "codebook.yaml", "documents.jsonl",
)  # fmt: skip

#: Called after each transcript with (done, total, name).
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class CodingOptions:
    unit: str = "turn"
    interviewers: tuple[str, ...] = ()
    encoding: str | None = None
    jobs: int = 1
    #: Where tokenized transcripts and stemmed words are kept between runs (None: no cache).
    cache_dir: Path | None = None
    #: A decisions file (reviews.csv) to apply to the auto-codes (None: codings stay "auto").
    decisions: Path | None = None
    #: Pseudonymise informants in every output (see qualcode.redaction).
    redact: bool = False
    #: Where the pseudonym key goes (None: OUT/../redaction_key.csv); never inside OUT.
    redaction_key: Path | None = None


@dataclass
class CodingResult:
    codebook: Codebook
    documents: list[Document] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    #: Documents whose front matter names another language than the codebook's: not coded.
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    #: The auto-coder's codings before any decision (what `--gold` evaluates).
    proposals: list[Coding] = field(default_factory=list)
    review: ReviewOutcome | None = None
    #: Each document's file as given on the command line (POSIX separators), for run.json.
    paths: dict[str, str] = field(default_factory=dict)
    #: With a cache: per document, the codes matched this run (the others' hits were reused).
    matched_codes: dict[str, frozenset[str]] | None = None
    #: With --redact: the pseudonyms of the run and the key file they were written to.
    redactor: Redactor | None = None
    redaction_key: Path | None = None

    @property
    def informant_segments(self) -> int:
        return sum(1 for d in self.documents for s in d.segments if not s.is_interviewer)

    @property
    def coded_segments(self) -> int:
        return len({(c.document, c.segment) for c in self.codings})


def code_transcripts(
    paths: Sequence[Path],
    codebook_path: Path,
    out_dir: Path,
    options: CodingOptions = CodingOptions(),
    *,
    progress: Progress | None = None,
) -> CodingResult:
    """Code every transcript under ``paths`` with the codebook; write the outputs to ``out_dir``."""
    with fewer_gc_passes():
        return _code_transcripts(paths, codebook_path, out_dir, options, progress)


def _code_transcripts(
    paths: Sequence[Path],
    codebook_path: Path,
    out_dir: Path,
    options: CodingOptions,
    progress: Progress | None,
) -> CodingResult:
    from qualcode.matching import CodebookMatcher
    from qualcode.matching.batch import code_documents
    from qualcode.matching.hitcache import HitCache
    from qualcode.matching.keystore import (
        load_base_keys,
        load_valid_patterns,
        save_base_keys,
        save_valid_patterns,
    )
    from qualcode.matching.normaliser import base_fingerprint
    from qualcode.matching.tokens import CachedTokenizer

    cache_dir = options.cache_dir
    known_patterns = load_valid_patterns(cache_dir)
    stored_patterns = len(known_patterns)
    codebook = load_codebook(codebook_path, valid_patterns=known_patterns)
    sources = find_transcripts(paths)
    if not sources:
        raise IngestError(
            f"no transcripts found in {', '.join(str(p) for p in paths)} (.txt, .md, .docx)"
        )
    decisions = [] if options.decisions is None else [Path(options.decisions)]
    inputs = [p for p, _ in sources] + [Path(codebook_path), *decisions]
    _refuse_overwriting_inputs(out_dir, inputs)
    key_path = _redaction_key_path(out_dir, options, inputs) if options.redact else None
    check_writable_folder(out_dir)
    if cache_dir is not None:  # a wrong --cache-dir fails here, not halfway through the run
        check_writable_folder(cache_dir, what="the cache")
    if len(known_patterns) > stored_patterns:
        save_valid_patterns(cache_dir, known_patterns)
    fingerprint = base_fingerprint(codebook.language)
    matcher = CodebookMatcher(
        codebook,
        tokenizer=CachedTokenizer(codebook.language, cache_dir),
        base_keys=load_base_keys(cache_dir, fingerprint),
        hit_cache=None if cache_dir is None else HitCache(cache_dir),
    )
    result = CodingResult(codebook, warnings=list(matcher.warnings))
    if options.redact:
        from qualcode.redaction import Redactor

        unredacted = _read_all(sources, options, CodingResult(codebook))
        result.redactor = Redactor.from_documents(
            unredacted, [name for _, name in sources], language=codebook.language
        )
        if not result.redactor.people:
            result.warnings.append("--redact: no informant names found to redact")
        if (Path(out_dir) / ".qualcode-cache").exists():
            result.warnings.append(
                f"{out_dir}/.qualcode-cache may hold unredacted text from an earlier run: "
                f"delete it before sharing {out_dir}"
            )
    _read_all(sources, options, result)

    finished = 0

    def done(index: int, _result: object) -> None:
        nonlocal finished
        finished += 1
        if progress is not None:
            progress(finished, len(result.documents), result.documents[index].name)

    coded = code_documents(matcher, result.documents, jobs=options.jobs, done=done)
    if cache_dir is not None:
        result.matched_codes = dict(matcher.matched_codes)
    for hits, codings in coded:
        result.hits.extend(hits)
        result.codings.extend(codings)
    result.proposals = list(result.codings)
    if options.decisions is not None:
        from qualcode.review.apply import apply_decisions_file

        code_ids = [c.id for c in codebook.walk()]
        result.review = apply_decisions_file(
            options.decisions, result.documents, result.proposals, code_ids
        )
        result.codings = result.review.codings
        if result.redactor is not None:
            _redact_review(result.review, result.redactor)
            result.codings = result.review.codings
    if matcher.normaliser.new_base_keys:
        save_base_keys(cache_dir, fingerprint, matcher.normaliser.base_keys)
    _write_outputs(result, out_dir, options, matcher.normaliser.fingerprint)
    if result.redactor is not None and key_path is not None:
        _write_key(result.redactor, key_path)
        result.redaction_key = key_path
    return result


def _read_all(
    sources: Sequence[tuple[Path, str]], options: CodingOptions, result: CodingResult
) -> list[Document]:
    """Read every source into ``result`` (documents, failures, skipped, paths, warnings),
    redacting with ``result.redactor`` if set; return every document read, skipped ones too."""
    from qualcode.ingest.document_cache import DocumentCache

    language = result.codebook.language
    redactor = result.redactor
    cache = None if options.cache_dir is None else DocumentCache(options.cache_dir)
    read: list[Document] = []
    for path, original in sources:
        name = original if redactor is None else redactor.document_name(original)
        try:
            document = read_document(
                path,
                name=name,
                unit=options.unit,
                interviewers=options.interviewers,
                encoding=options.encoding,
                redactor=None if redactor is None else redactor.text,
                cache=cache,
            )
        except IngestError as exc:
            message = exc.message if redactor is None else redactor.text(exc.message)
            result.failures.append((name, message))
            continue
        if redactor is not None:
            document = replace(document, attributes=_without_redact_list(document.attributes))
        read.append(document)
        stated = document.attributes.get("language", "").strip().lower()
        if stated and stated.split("-")[0] != language:
            result.skipped.append((name, f"written in '{stated}', the codebook in '{language}'"))
            continue
        result.documents.append(document)
        shown = path.as_posix()
        if redactor is None or redactor.document_name(shown) == shown:
            result.paths[name] = shown
        result.warnings.extend(f"{name}: {w}" for w in document.warnings)
    return read


def _without_redact_list(attributes: Mapping[str, str]) -> dict[str, str]:
    from qualcode.redaction import REDACT_KEY

    return {k: v for k, v in attributes.items() if k.casefold() != REDACT_KEY}


def _redaction_key_path(out_dir: Path, options: CodingOptions, inputs: Sequence[Path]) -> Path:
    """The key file's path; refused inside the output folder (which gets shared) or on an input."""
    from qualcode.redaction import default_key_path

    key = Path(options.redaction_key) if options.redaction_key else default_key_path(out_dir)
    folder = Path(out_dir).resolve()
    if key.resolve() == folder or folder in key.resolve().parents:
        raise OutputError(
            f"{key}: the redaction key would be inside the output folder {out_dir}, which is "
            "what gets shared; give --redaction-key a path outside it"
        )
    if any(key.resolve() == path.resolve() for path in inputs):
        raise OutputError(f"{key}: the redaction key would overwrite this input")
    return key


def _redact_review(review: ReviewOutcome, redactor: Redactor) -> None:
    """Memos and orphaned decisions (written to OUT) without names."""
    from qualcode.review.apply import Orphan

    text = redactor.text
    review.codings = [replace(c, memo=text(c.memo)) if c.memo else c for c in review.codings]
    review.orphans = [
        Orphan(
            replace(
                orphan.decision,
                document=redactor.document_name(orphan.decision.document),
                memo=text(orphan.decision.memo),
                anchor=replace(
                    orphan.decision.anchor,
                    quote=text(orphan.decision.anchor.quote),
                    prefix=text(orphan.decision.anchor.prefix),
                    suffix=text(orphan.decision.anchor.suffix),
                ),
            ),
            text(orphan.reason),
        )
        for orphan in review.orphans
    ]


def _write_key(redactor: Redactor, path: Path) -> None:
    import pandas as pd

    from qualcode import store
    from qualcode.redaction import KEY_COLUMNS

    rows = [(r.pseudonym, r.original, r.found_as, r.document) for r in redactor.key_rows()]
    store.write_csv(pd.DataFrame(rows, columns=list(KEY_COLUMNS)), path)


def _refuse_overwriting_inputs(out_dir: Path, inputs: Sequence[Path]) -> None:
    from qualcode.publish import REPORT_FILES
    from qualcode.review.apply import ORPHANS_FILE

    written = (*OUTPUT_FILES, *REPORT_FILES, ORPHANS_FILE)
    targets = {(out_dir / name).resolve() for name in written}
    for path in inputs:
        if path.resolve() in targets:
            raise OutputError(f"{path}: output would overwrite this input; choose another --out")


def documents_jsonl(documents: Sequence[Document]) -> str:
    """One JSON object a line, sorted by name: ``{"document", "attributes", "body"}``.

    Keys keep their order (attributes in front-matter order), so the text is deterministic.
    U+0085, U+2028 and U+2029 are escaped too, so that ``str.splitlines`` splits records only.
    """
    lines = [
        json.dumps(
            {"document": d.name, "attributes": dict(d.attributes), "body": d.body},
            ensure_ascii=False,
        ).translate(_LINE_BREAKS)
        for d in sorted(documents, key=lambda d: d.name)
    ]
    return "".join(line + "\n" for line in lines)


_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


#: Hits and codings from which writing the tables in two processes pays for the fork (about
#: 10 ms, and the second process copying the pages the first one changes).
_FORK_ROWS = 20_000


def _write_outputs(result: CodingResult, out_dir: Path, options: CodingOptions, fp: str) -> None:
    from qualcode import store

    def write_hits_and_segments() -> None:  # the bytes of write_csv(table.frame()), sans pandas
        store.write_table(store.hits_table(result.hits), out_dir / "hits.csv")
        segments = store.segments_table(result.documents, result.codings)
        store.write_table(segments, out_dir / "segments.csv")

    # With more than one job, a second process writes two of the three tables meanwhile (when
    # they are long enough to be worth forking for).
    rows = len(result.hits) + len(result.codings)
    with meanwhile(write_hits_and_segments, fork=options.jobs > 1 and rows >= _FORK_ROWS):
        manifest = _write_the_rest(result, out_dir, options, fp)
    write_text_atomic(out_dir / "run.json", manifest_text(manifest))  # last: the run is complete
    result.outputs = [out_dir / name for name in OUTPUT_FILES]
    from qualcode.review.apply import write_orphans

    orphans = write_orphans(out_dir, result.review)
    if orphans is not None:
        result.outputs.append(orphans)


def _write_the_rest(
    result: CodingResult, out_dir: Path, options: CodingOptions, fp: str
) -> dict[str, Any]:
    """codings.csv, the codebook's copy and documents.jsonl; the run's manifest (run.json)."""
    from qualcode import store

    store.write_table(store.codings_table(result.codings), out_dir / "codings.csv")
    codebook_copy = Path(result.codebook.path).read_bytes()
    if result.redactor is not None:  # a codebook may name informants (e.g. in `protect`)
        codebook_copy = result.redactor.text(codebook_copy.decode("utf-8")).encode("utf-8")
    write_bytes_atomic(out_dir / "codebook.yaml", codebook_copy)
    write_text_atomic(out_dir / "documents.jsonl", documents_jsonl(result.documents))
    summary = {
        "documents": len(result.documents),
        "failed": len(result.failures),
        "skipped": len(result.skipped),
        "segments": sum(len(d.segments) for d in result.documents),
        "informant_segments": result.informant_segments,
        "coded_segments": result.coded_segments,
        "codings": len(result.codings),
        "hits": len(result.hits),
        **(result.review.summary() if result.review else {}),
    }
    manifest = build_manifest(
        codebook=result.codebook,
        documents=result.documents,
        failures=result.failures,
        options={
            "unit": options.unit,
            "interviewers": list(options.interviewers),
            "encoding": options.encoding,
            "decisions": None if options.decisions is None else str(options.decisions),
            "redact": options.redact,
        },
        summary=summary,
        normaliser=fp,
        outputs=list(OUTPUT_FILES),
        paths=result.paths,
    )
    manifest["skipped"] = [{"document": n, "reason": r} for n, r in result.skipped]
    return manifest
