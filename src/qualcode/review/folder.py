"""An output folder as the review sees it: segments, the auto-coder's proposals, hit spans.

The proposals are rebuilt from ``hits.csv`` (counted hits reaching each code's ``min_hits`` in
the folder's ``codebook.yaml``), not read from ``codings.csv``: that file already has the
decisions applied, so a rejected proposal would be missing from it and could not be revisited.
Document bodies come from ``documents.jsonl`` when the folder has it (for the anchors' context).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qualcode.codebook import Codebook
from qualcode.models import COUNTED, INFORMANT, Coding, Segment
from qualcode.review.anchoring import AnchoredSegment, anchored_segments
from qualcode.review.decisions import Key

Span = tuple[int, int]


@dataclass(frozen=True)
class ReviewFolder:
    path: Path
    codebook: Codebook
    segments: Mapping[str, tuple[Segment, ...]]  # document -> its segments, in run order
    bodies: Mapping[str, str]
    proposals: tuple[Coding, ...]
    spans: Mapping[Key, tuple[Span, ...]]  # counted hits of each proposal (body offsets)

    def anchored(self) -> dict[str, tuple[AnchoredSegment, ...]]:
        return {
            name: anchored_segments(segments, self.bodies.get(name))
            for name, segments in self.segments.items()
        }

    def informant_units(self) -> list[tuple[str, int]]:
        return [
            (name, s.number)
            for name, segments in self.segments.items()
            for s in segments
            if not s.is_interviewer
        ]


def read_folder(path: Path) -> ReviewFolder:
    """Read an output folder of ``qualcode code`` (OutputFolderError if it is not one)."""
    from qualcode.outputs import load_output_folder

    folder = load_output_folder(Path(path))
    segments: dict[str, list[Segment]] = {doc.name: [] for doc in folder.documents}
    for row in folder.segments.to_dict("records"):
        segment = _segment(row)
        segments.setdefault(segment.document, []).append(segment)
    frozen = {name: tuple(sorted(s, key=lambda x: x.number)) for name, s in segments.items()}
    hits = [row for row in folder.hits.to_dict("records") if str(row["status"]) == COUNTED]
    proposals, spans = _proposals(hits, frozen, folder.codebook)
    return ReviewFolder(
        Path(path), folder.codebook, frozen, _bodies(Path(path), frozen), proposals, spans
    )


def _segment(row: Mapping[Any, Any]) -> Segment:
    return Segment(
        document=str(row["document"]),
        number=int(row["segment"]),
        speaker=str(row["speaker"]),
        timestamp=str(row["timestamp"]),
        start=int(row["start"]),
        end=int(row["end"]),
        text=str(row["text"]),
        speaker_type=str(row["speaker_type"]) or INFORMANT,
    )


def _proposals(
    hits: list[dict[Any, Any]], segments: Mapping[str, tuple[Segment, ...]], codebook: Codebook
) -> tuple[tuple[Coding, ...], dict[Key, tuple[Span, ...]]]:
    minimum = {code.id: code.min_hits for code in codebook.walk()}
    order = {code.id: i for i, code in enumerate(codebook.walk())}
    documents = {name: i for i, name in enumerate(segments)}
    grouped: dict[Key, list[dict[Any, Any]]] = defaultdict(list)
    for hit in hits:
        key = (str(hit["document"]), int(hit["segment"]), str(hit["code"]))
        grouped[key].append(hit)
    by_number = {name: {s.number: s for s in segs} for name, segs in segments.items()}
    proposals = []
    spans: dict[Key, tuple[Span, ...]] = {}
    for key, code_hits in grouped.items():
        document, number, code = key
        segment = by_number.get(document, {}).get(number)
        if segment is None or code not in minimum or len(code_hits) < minimum[code]:
            continue
        matched = tuple(dict.fromkeys(str(h["matched"]) for h in code_hits))
        proposals.append(
            Coding(
                document,
                number,
                segment.speaker,
                segment.start,
                segment.end,
                code,
                "auto",
                len(code_hits),
                matched,
                segment.text,
            )
        )
        spans[key] = tuple((int(h["start"]), int(h["end"])) for h in code_hits)
    proposals.sort(key=lambda c: (documents.get(c.document, 0), c.segment, order[c.code]))
    return tuple(proposals), spans


def _bodies(path: Path, segments: Mapping[str, tuple[Segment, ...]]) -> dict[str, str]:
    """Bodies from documents.jsonl that agree with segments.csv (others are left out)."""
    bodies: dict[str, str] = {}
    try:
        lines = (path / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return bodies
    for line in lines:
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not isinstance(entry, dict):
            continue
        name, body = entry.get("document"), entry.get("body")
        if not isinstance(name, str) or not isinstance(body, str):
            continue
        if all(body[s.start : s.end] == s.text for s in segments.get(name, ())):
            bodies[name] = body
    return bodies
