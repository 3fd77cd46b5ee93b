"""find_transcripts: folder expansion, names, sorting, duplicates, errors; read_document errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.errors import IngestError
from qualcode.ingest import SUPPORTED_SUFFIXES, find_transcripts, read_document


def touch(path: Path, text: str = "isi") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for relative in [
        "b.txt",
        "a.md",
        "sub/c.docx",
        "sub/deeper/d.TXT",
        "sub/~$c.docx",
        ".hidden.txt",
        ".git/config.txt",
        "sub/.cache/e.txt",
        "notes.pdf",
        "image.png",
        "README",
    ]:
        touch(root / relative)
    return root


def test_folder_is_searched_recursively_and_sorted(corpus: Path) -> None:
    found = find_transcripts([corpus])
    assert [name for _, name in found] == ["a.md", "b.txt", "sub/c.docx", "sub/deeper/d.TXT"]
    assert all(path == corpus / name for path, name in found)


def test_file_given_is_named_by_basename(corpus: Path) -> None:
    found = find_transcripts([corpus / "sub" / "deeper" / "d.TXT", corpus / "a.md"])
    assert found == [(corpus / "a.md", "a.md"), (corpus / "sub" / "deeper" / "d.TXT", "d.TXT")]


def test_subfolder_names_are_relative_to_the_folder_given(corpus: Path) -> None:
    found = find_transcripts([corpus / "sub"])
    assert [name for _, name in found] == ["c.docx", "deeper/d.TXT"]


def test_duplicate_names_are_an_error_listing_them(tmp_path: Path) -> None:
    first = touch(tmp_path / "x" / "wawancara.txt")
    second = touch(tmp_path / "y" / "wawancara.txt")
    with pytest.raises(IngestError) as excinfo:
        find_transcripts([first, second])
    message = str(excinfo.value)
    assert "wawancara.txt" in message
    assert str(first) in message and str(second) in message
    assert "\n" not in message


def test_duplicate_names_from_two_folders(tmp_path: Path) -> None:
    touch(tmp_path / "x" / "a.txt")
    touch(tmp_path / "y" / "a.txt")
    with pytest.raises(IngestError, match=r"share the name 'a\.txt'"):
        find_transcripts([tmp_path / "x", tmp_path / "y"])


def test_same_file_twice_is_listed_once(tmp_path: Path) -> None:
    path = touch(tmp_path / "a.txt")
    assert find_transcripts([path, path]) == [(path, "a.txt")]


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no such file or folder"):
        find_transcripts([tmp_path / "nope"])


def test_unsupported_file_given_directly_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as excinfo:
        find_transcripts([touch(tmp_path / "laporan.pdf")])
    message = str(excinfo.value)
    assert "laporan.pdf" in message
    assert all(suffix in message for suffix in SUPPORTED_SUFFIXES)


def test_empty_folder_gives_nothing(tmp_path: Path) -> None:
    assert find_transcripts([tmp_path]) == []


def test_symlinked_folder_is_not_followed(tmp_path: Path) -> None:
    touch(tmp_path / "real" / "a.txt")
    (tmp_path / "real" / "loop").symlink_to(tmp_path / "real", target_is_directory=True)
    assert [name for _, name in find_transcripts([tmp_path / "real"])] == ["a.txt"]


def test_read_document_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"^laporan\.pdf: unsupported file type"):
        read_document(touch(tmp_path / "laporan.pdf"), name="laporan.pdf")


def test_read_document_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="cannot be read"):
        read_document(tmp_path / "nope.txt")


def test_read_document_name_and_default_name(tmp_path: Path) -> None:
    path = touch(tmp_path / "sub" / "a.txt", "Pak Rusdi: isi")
    assert read_document(path).name == "a.txt"
    document = read_document(path, name="sub/a.txt")
    assert document.name == "sub/a.txt"
    assert document.segments[0].document == "sub/a.txt"


def test_found_files_can_all_be_read(corpus: Path) -> None:
    for path, name in find_transcripts([corpus]):
        if path.suffix == ".docx":
            continue  # the fixture's .docx is plain text, not a Word file
        assert read_document(path, name=name).name == name
