"""Property: offsets are exact and line endings never change segments."""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from qualcode.ingest import UNITS, read_document
from qualcode.models import Document

LABELS = st.sampled_from(
    ["Peneliti", "Pak Rusdi", "Informan 2", "ibu siti", "Moderator", "Bu Ani (Ketua)"]
)
TIMESTAMPS = st.sampled_from(["", "[00:03:12] ", "(00:03:12) ", "[03:12] ", "[1:02:03.5]"])
WORDS = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00\r\n\ufeff"),
    max_size=30,
)
PUNCTUATED = st.lists(
    st.one_of(
        WORDS,
        st.sampled_from([".", "!", "?", "…", ". ", "? ", "\t", "  ", "H. ", '"Ya." ', "e\u0301"]),
    ),
    max_size=6,
).map("".join)
LINES = st.one_of(
    st.builds(
        lambda ts, label, sep, text: f"{ts}{label}{sep}{text}",
        TIMESTAMPS,
        LABELS,
        st.sampled_from([":", ": ", ":\t", " :  "]),
        PUNCTUATED,
    ),
    PUNCTUATED,
    st.just(""),
    st.sampled_from(["   ", "\t", "[00:00:01] lanjut", "Catatan: x"]),
)
DOCUMENTS = st.lists(LINES, max_size=12)


def read_text(directory: Path, lines: list[str], ending: str, unit: str) -> Document:
    path = directory / f"t{len(ending)}{ending == chr(13)}.txt"
    path.write_bytes(ending.join(lines).encode("utf-8"))
    return read_document(path, name="t.txt", unit=unit)


@settings(deadline=None, max_examples=150)
@given(lines=DOCUMENTS, unit=st.sampled_from(UNITS), trailing=st.booleans())
def test_offsets_exact_and_line_endings_irrelevant(
    lines: list[str], unit: str, trailing: bool
) -> None:
    assume(not (lines and lines[0].startswith("---")))
    if trailing:
        lines = [*lines, ""]
    with TemporaryDirectory() as name:
        directory = Path(name)
        lf = read_text(directory, lines, "\n", unit)
        for segment in lf.segments:
            assert lf.body[segment.start : segment.end] == segment.text
            assert segment.text and segment.text == segment.text.strip()
        assert [s.number for s in lf.segments] == list(range(1, len(lf.segments) + 1))
        starts = [s.start for s in lf.segments]
        assert starts == sorted(starts)
        for before, after in zip(lf.segments, lf.segments[1:], strict=False):
            assert before.end <= after.start
        for ending in ("\r\n", "\r"):
            other = read_text(directory, lines, ending, unit)
            assert other.body == lf.body
            assert other.segments == lf.segments
