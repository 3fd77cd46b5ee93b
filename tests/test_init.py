"""`qualcode init`: a project folder that works out of the box and is never overwritten."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

Invoke = Callable[..., Result]

FILES = ("codebooks/codebook.yaml", "transcripts/contoh_wawancara.txt", "README.md")


def test_init_writes_a_working_project(tmp_path: Path, cli_invoke: Invoke) -> None:
    result = cli_invoke("init", "proyek")
    project = tmp_path / "proyek"
    assert all((project / name).is_file() for name in FILES)
    assert (project / "reports").is_dir()
    assert "cd proyek && qualcode codebook check" in result.stdout
    readme = (project / "README.md").read_text("utf-8")
    assert "qualcode kwic" in readme and "qualcode suggest" in readme
    # the starter codebook is valid and clean, and codes the example transcript
    check = cli_invoke(
        "codebook", "check", str(project / "codebooks/codebook.yaml"), str(project / "transcripts")
    )
    assert "No advice" in check.stdout
    assert "4 of 4 codes with rules applied at least once" in check.stdout
    cli_invoke(
        "code", str(project / "transcripts"), "-c", str(project / "codebooks/codebook.yaml"),
        "-o", str(project / "reports"), "-q",
    )  # fmt: skip
    codings = (project / "reports" / "codings.csv").read_text("utf-8-sig")
    for code in ("manfaat.ekonomi", "manfaat.pengetahuan", "kendala.dana"):
        assert code in codings
    assert "kendala.pendampingan" in codings  # "tidak didampingi": a negation-only code


def test_init_in_the_current_folder(tmp_path: Path, cli_invoke: Invoke) -> None:
    result = cli_invoke("init")
    assert all((tmp_path / name).is_file() for name in FILES)
    assert "Next: qualcode codebook check" in result.stdout


def test_init_refuses_to_overwrite(tmp_path: Path, cli_invoke: Invoke) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("my notes\n", encoding="utf-8")
    result = cli_invoke("init", expect_exit=1)
    assert "already holds README.md" in result.stderr and "--force" in result.stderr
    assert readme.read_text("utf-8") == "my notes\n"
    assert not (tmp_path / "codebooks").exists()  # nothing written at all
    cli_invoke("init", "--force")
    assert "qualcode" in readme.read_text("utf-8")


def test_starter_files_are_package_data() -> None:
    from importlib.resources import files

    from qualcode.commands.init import PROJECT_FILES

    data = files("qualcode").joinpath("data")
    for source in PROJECT_FILES.values():
        assert data.joinpath(source).is_file()
