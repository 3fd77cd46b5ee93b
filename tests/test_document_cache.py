"""Read documents kept between runs (ingest.document_cache): the same Document as a fresh read,
missed by an edited file or other read options, redone when damaged, never for failures or
redacted reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.errors import IngestError
from qualcode.fileio import msgpack_bytes
from qualcode.ingest import read_document
from qualcode.ingest.document_cache import DocumentCache

TRANSCRIPT = (
    "---\ninformant: Bu Sari\nrole: ketua\nstatus: aktif\n---\n"
    "Peneliti: Bagaimana pembinaannya?\n"
    "[00:01:05] Bu Sari: Kami dibina dinas.\nLanjut di baris kedua.\n\n"
    "Peneliti: Kendalanya?\nBu Sari: Anggota tidak aktif.\n"
)


def write(tmp_path: Path, text: str = TRANSCRIPT, name: str = "t.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def entries(cache_dir: Path) -> list[Path]:
    folder = cache_dir / "documents"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_cached_read_is_the_fresh_read_without_reading_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path)
    cache = DocumentCache(tmp_path / "cache")
    fresh = read_document(path, name="a/t.txt")
    assert read_document(path, name="a/t.txt", cache=cache) == fresh
    assert len(entries(tmp_path / "cache")) == 1

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("read again")

    monkeypatch.setattr("qualcode.ingest.reader.segment_body", fail)
    monkeypatch.setattr("qualcode.ingest.reader.decode_bytes", fail)
    again = read_document(path, name="a/t.txt", cache=cache)
    assert again == fresh
    assert list(again.attributes) == ["informant", "role", "status"]  # front-matter order
    assert all(s.document == "a/t.txt" for s in again.segments)
    renamed = read_document(path, name="b/t.txt", cache=cache)  # the same bytes, another name
    assert renamed.name == "b/t.txt" and all(s.document == "b/t.txt" for s in renamed.segments)


def test_warnings_and_the_encoding_come_back_too(tmp_path: Path) -> None:
    path = tmp_path / "lama.txt"
    path.write_bytes("Pak Udin: koperasi “aktif” lagi.\n".encode("cp1252"))
    cache = DocumentCache(tmp_path / "cache")
    fresh = read_document(path)
    assert fresh.encoding != "utf-8" and fresh.warnings
    read_document(path, cache=cache)
    assert read_document(path, cache=cache) == fresh


@pytest.mark.parametrize(
    "options",
    [{"unit": "sentence"}, {"interviewers": ("Bu Sari",)}, {"encoding": "latin-1"}],
    ids=["unit", "interviewers", "encoding"],
)
def test_other_read_options_miss_the_entry(tmp_path: Path, options: dict[str, object]) -> None:
    path = write(tmp_path)
    cache = DocumentCache(tmp_path / "cache")
    read_document(path, cache=cache)
    other = read_document(path, cache=cache, **options)  # type: ignore[arg-type]
    assert other == read_document(path, **options)  # type: ignore[arg-type]
    assert len(entries(tmp_path / "cache")) == 2


def test_an_edited_file_misses_its_entry(tmp_path: Path) -> None:
    path = write(tmp_path)
    cache = DocumentCache(tmp_path / "cache")
    read_document(path, cache=cache)
    write(tmp_path, TRANSCRIPT.replace("tidak aktif", "sudah aktif"))
    assert "sudah aktif" in read_document(path, cache=cache).body


@pytest.mark.parametrize(
    "damage",
    [
        b"not msgpack at all \xff",
        msgpack_bytes({"body": "x"}),
        msgpack_bytes([1, 2, 3]),
        "segments-past-the-body",
        "segments-out-of-order",
        "a-segment-row-too-short",
    ],
)
def test_a_damaged_entry_is_read_again(tmp_path: Path, damage: bytes | str) -> None:
    import msgpack

    path = write(tmp_path)
    cache = DocumentCache(tmp_path / "cache")
    fresh = read_document(path, cache=cache)
    (entry,) = entries(tmp_path / "cache")
    if isinstance(damage, str):
        data = msgpack.unpackb(entry.read_bytes())
        rows = data["segments"]
        if damage == "segments-past-the-body":
            rows[-1][4] = len(data["body"]) + 5
        elif damage == "segments-out-of-order":
            rows[0], rows[1] = rows[1], rows[0]
        else:
            rows[0] = rows[0][:5]
        damage = msgpack_bytes(data)
    entry.write_bytes(damage)
    assert read_document(path, cache=cache) == fresh
    assert read_document(path, cache=cache) == fresh  # and the entry was written again


def test_an_unreadable_file_is_never_cached(tmp_path: Path) -> None:
    path = tmp_path / "biner.txt"
    path.write_bytes(b"\x00\x01\x02binary\x00" * 50)
    cache = DocumentCache(tmp_path / "cache")
    for _attempt in range(2):  # the same one-line error every run
        with pytest.raises(IngestError, match=r"biner\.txt"):
            read_document(path, name="biner.txt", cache=cache)
    assert entries(tmp_path / "cache") == []


def test_a_redacted_read_is_never_cached(tmp_path: Path) -> None:
    path = write(tmp_path)
    cache = DocumentCache(tmp_path / "cache")
    redacted = read_document(path, cache=cache, redactor=lambda text: text.replace("Sari", "X"))
    assert "Sari" not in redacted.body
    assert entries(tmp_path / "cache") == []
    assert "Sari" in read_document(path, cache=cache).body


LINES = st.lists(
    st.one_of(
        st.sampled_from(["Peneliti: Apa kabar?", "Bu Sari: Baik.", "[00:02] Pak Udin: Ya.", ""]),
        st.text(st.sampled_from("ab :\t.?é"), max_size=12),
    ),
    max_size=12,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=LINES, unit=st.sampled_from(["turn", "paragraph", "sentence"]))
def test_any_transcript_comes_back_as_it_was_read(
    tmp_path: Path, lines: list[str], unit: str
) -> None:
    path = write(tmp_path, "\n".join(lines), name="h.txt")
    cache = DocumentCache(tmp_path / f"cache-{unit}")
    try:
        fresh = read_document(path, unit=unit)
    except IngestError:
        return
    assert read_document(path, unit=unit, cache=cache) == fresh
    assert read_document(path, unit=unit, cache=cache) == fresh
