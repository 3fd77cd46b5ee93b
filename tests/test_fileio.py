"""Atomic writes: an interrupted write leaves the previous file intact and no temp file behind."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from qualcode.errors import OutputError
from qualcode.fileio import (
    check_writable_folder,
    meanwhile,
    write_bytes_atomic,
    write_text_atomic,
)


def test_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "a.csv"
    write_text_atomic(target, "one\n", bom=True)
    assert target.read_bytes() == b"\xef\xbb\xbfone\n"
    write_bytes_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["a.csv"]


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError])
def test_interrupted_write_keeps_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interruption: type[BaseException]
) -> None:  # RELIABILITY E9
    target = tmp_path / "report.html"
    target.write_bytes(b"previous report")

    def interrupted(src: str, dst: str) -> None:
        raise interruption()

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt if interruption is KeyboardInterrupt else OutputError):
        write_bytes_atomic(target, b"new report" * 1000)
    assert target.read_bytes() == b"previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_regression_ctrl_c_just_after_the_temp_file_was_created_left_it_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # RELIABILITY E9: once in a dozen runs, a Ctrl-C landed between mkstemp and the try
    target = tmp_path / "codings.xlsx"
    target.write_bytes(b"previous workbook")
    real_open = os.open

    def created_then_interrupted(name: str, flags: int, mode: int = 0o777) -> int:
        real_open(name, flags, mode)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "open", created_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_bytes_atomic(target, b"new workbook")
    assert target.read_bytes() == b"previous workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["codings.xlsx"]


def test_a_temp_name_taken_by_another_file_is_never_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "hits.csv"
    other = tmp_path / ".hits.csv.000000000000.tmp"
    other.write_bytes(b"not ours")
    names = iter(["000000000000", "111111111111"])
    monkeypatch.setattr("qualcode.fileio.secrets.token_hex", lambda _n: next(names))
    write_bytes_atomic(target, b"a,b\n")
    assert target.read_bytes() == b"a,b\n"
    assert other.read_bytes() == b"not ours"


def test_unwritable_output_is_refused_before_work(tmp_path: Path) -> None:  # RELIABILITY E10
    blocker = tmp_path / "out"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot write output here"):
        check_writable_folder(blocker)
    with pytest.raises(OutputError, match="cannot write"):
        write_bytes_atomic(blocker / "x.csv", b"x")


def test_regression_a_file_in_place_of_a_cache_folder_said_only_file_exists(
    tmp_path: Path,
) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "documents").write_bytes(b"")
    target = tmp_path / "cache" / "documents" / "deep" / "k.msgpack"
    with pytest.raises(OutputError) as raised:
        write_bytes_atomic(target, b"x", durable=False)
    assert raised.value.message == (
        f"{target}: cannot write ({tmp_path / 'cache' / 'documents'} is a file, not a folder)"
    )


def test_written_files_get_ordinary_permissions(
    tmp_path: Path,
) -> None:  # regression: mkstemp's 0600
    target = tmp_path / "report.html"
    write_bytes_atomic(target, b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_msgpack_bytes_are_srslys_and_read_back(tmp_path: Path) -> None:
    import srsly

    from qualcode.fileio import msgpack_bytes, read_msgpack

    values = [
        {"strings": ["kerja", "sama", "é"], "docs": [([0, 1], [True, False])]},
        ["a", 1, None, 2.5, b"raw"],
        {},
    ]
    for value in values:
        assert msgpack_bytes(value) == srsly.msgpack_dumps(value)
        path = tmp_path / "entry.msgpack"
        path.write_bytes(msgpack_bytes(value))
        assert read_msgpack(path) == srsly.msgpack_loads(path.read_bytes())
    path.write_bytes(b"\xc1 not msgpack")
    assert read_msgpack(path) is None
    assert read_msgpack(tmp_path / "missing.msgpack") is None


def test_cache_files_skip_the_fsync_outputs_do_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    write_bytes_atomic(tmp_path / "out.csv", b"a,b\n")
    assert len(synced) == 1
    write_bytes_atomic(tmp_path / "cache.msgpack", b"\x90", durable=False)
    assert len(synced) == 1
    assert (tmp_path / "cache.msgpack").read_bytes() == b"\x90"


@pytest.mark.parametrize("fork", [True, False])
def test_meanwhile_writes_in_a_forked_copy_while_the_body_runs(tmp_path: Path, fork: bool) -> None:
    pids: list[int] = []

    def work() -> None:
        write_text_atomic(tmp_path / "a.txt", f"{os.getpid()}\n")

    with meanwhile(work, fork=fork):
        pids.append(os.getpid())
        write_text_atomic(tmp_path / "b.txt", "body\n")
    writer = int((tmp_path / "a.txt").read_text(encoding="utf-8"))
    assert (writer != pids[0]) is fork  # written by another process only when forking
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == "body\n"


def test_meanwhile_reports_the_copys_failure_as_its_one_line_message(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()  # a folder where the file should go: os.replace fails

    def work() -> None:
        write_text_atomic(tmp_path / "taken", "x")

    failed = pytest.raises(OutputError, match=r"taken: cannot write \(Is a directory\)")
    with failed, meanwhile(work, fork=True):
        write_text_atomic(tmp_path / "b.txt", "body\n")
    assert (tmp_path / "b.txt").is_file()  # the body ran to its end
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_meanwhile_names_a_copy_that_was_killed_or_crashed(tmp_path: Path) -> None:
    def killed() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(OutputError, match="stopped by signal 9"), meanwhile(killed, fork=True):
        pass

    def crashed() -> None:
        raise RuntimeError("a bug")

    with (
        pytest.raises(OutputError, match=r"RuntimeError\('a bug'\)"),
        meanwhile(crashed, fork=True),
    ):
        pass


def test_meanwhile_waits_for_the_copy_when_the_body_fails(tmp_path: Path) -> None:
    def work() -> None:
        time.sleep(0.2)
        write_text_atomic(tmp_path / "a.txt", "done\n")

    with pytest.raises(KeyError), meanwhile(work, fork=True):
        raise KeyError("body")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "done\n"  # not left running
