"""The main job: transcripts + codebook -> coded segments in an output folder.

``code_transcripts`` reads every transcript (a file that fails is reported and skipped), applies
the codebook and writes ``segments.csv``, ``codings.csv``, ``hits.csv``, ``run.json`` and a copy
of the codebook (``codebook.yaml``), each atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.codebook import Codebook, load_codebook
from qualcode.errors import IngestError, OutputError
from qualcode.fileio import write_bytes_atomic, write_text_atomic
from qualcode.ingest import find_transcripts, read_document
from qualcode.manifest import build_manifest, manifest_text
from qualcode.models import Coding, Document, Hit

OUTPUT_FILES = ("segments.csv", "codings.csv", "hits.csv", "run.json", "codebook.yaml")

#: Called after each transcript with (done, total, name).
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class CodingOptions:
    unit: str = "turn"
    interviewers: tuple[str, ...] = ()
    encoding: str | None = None


@dataclass
class CodingResult:
    codebook: Codebook
    documents: list[Document] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)

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
    from qualcode.matching import CodebookMatcher

    codebook = load_codebook(codebook_path)
    sources = find_transcripts(paths)
    if not sources:
        raise IngestError(
            f"no transcripts found in {', '.join(str(p) for p in paths)} (.txt, .md, .docx)"
        )
    _refuse_overwriting_inputs(out_dir, [p for p, _ in sources] + [Path(codebook_path)])
    matcher = CodebookMatcher(codebook)
    result = CodingResult(codebook, warnings=list(matcher.warnings))
    for done, (path, name) in enumerate(sources, start=1):
        try:
            document = read_document(
                path,
                name=name,
                unit=options.unit,
                interviewers=options.interviewers,
                encoding=options.encoding,
            )
        except IngestError as exc:
            result.failures.append((name, exc.message))
        else:
            hits, codings = matcher.code_document(document)
            result.documents.append(document)
            result.hits.extend(hits)
            result.codings.extend(codings)
            result.warnings.extend(f"{name}: {w}" for w in document.warnings)
        if progress is not None:
            progress(done, len(sources), name)
    _write_outputs(result, out_dir, options, matcher.normaliser.fingerprint)
    return result


def _refuse_overwriting_inputs(out_dir: Path, inputs: Sequence[Path]) -> None:
    targets = {(out_dir / name).resolve() for name in OUTPUT_FILES}
    for path in inputs:
        if path.resolve() in targets:
            raise OutputError(f"{path}: output would overwrite this input; choose another --out")


def _write_outputs(result: CodingResult, out_dir: Path, options: CodingOptions, fp: str) -> None:
    from qualcode import store

    frames = {
        "segments.csv": store.segments_frame(result.documents, result.codings),
        "codings.csv": store.codings_frame(result.codings),
        "hits.csv": store.hits_frame(result.hits),
    }
    for name, frame in frames.items():
        store.write_csv(frame, out_dir / name)
    write_bytes_atomic(out_dir / "codebook.yaml", Path(result.codebook.path).read_bytes())
    summary = {
        "documents": len(result.documents),
        "failed": len(result.failures),
        "segments": sum(len(d.segments) for d in result.documents),
        "informant_segments": result.informant_segments,
        "coded_segments": result.coded_segments,
        "codings": len(result.codings),
        "hits": len(result.hits),
    }
    manifest = build_manifest(
        codebook=result.codebook,
        documents=result.documents,
        failures=result.failures,
        options={
            "unit": options.unit,
            "interviewers": list(options.interviewers),
            "encoding": options.encoding,
        },
        summary=summary,
        normaliser=fp,
        outputs=list(OUTPUT_FILES),
    )
    write_text_atomic(out_dir / "run.json", manifest_text(manifest))
    result.outputs = [out_dir / name for name in OUTPUT_FILES]
