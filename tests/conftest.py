"""Shared fixtures: a small codebook, a compiled matcher, and an in-process CLI runner."""

from __future__ import annotations

import os
import textwrap
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

settings.register_profile("ci", deadline=None, max_examples=60)
settings.register_profile("dev", deadline=None, max_examples=30)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

REPO = Path(__file__).resolve().parent.parent

SMALL_CODEBOOK = textwrap.dedent(
    """\
    name: Uji
    language: id
    version: "0.1"
    overrides:
      perbankan: bank
    protect: [Susi]
    codes:
      - id: strategi
        name: Strategi
        children:
          - id: strategi.kerjasama
            name: Kerja sama
            keywords: [kerja sama, kemitraan, lintas sektor]
            negation: skip
          - id: strategi.pembinaan
            name: Pembinaan
            keywords: [pembinaan, penguatan kelembagaan, kelembagaan]
          - id: strategi.kesadaran
            name: Kesadaran
            keywords: [{text: berkoperasi, exact: true}]
      - id: kendala
        name: Kendala
        children:
          - id: kendala.anggota
            name: Anggota
            keywords: [anggota]
            not_within: [anggota DPRD]
            min_hits: 1
          - id: kendala.pembina
            name: Kurang pembinaan
            keywords: [pembinaan]
            negation: only
          - id: kendala.pesaing
            name: Pesaing
            keywords: [rentenir, "pinjol*", lintah darat, {text: KUR, exact: true, case_sensitive: true}]
            patterns:
              - {name: bank keliling, pattern: [{LOWER: bank}, {IS_PUNCT: true, OP: "?"}, {LOWER: keliling}]}
    """
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def small_codebook(tmp_path: Path) -> Path:
    return write(tmp_path / "codebooks" / "uji.yaml", SMALL_CODEBOOK)


@pytest.fixture(scope="session")
def small_matcher(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from qualcode.codebook import load_codebook
    from qualcode.matching import CodebookMatcher

    path = write(tmp_path_factory.mktemp("cb") / "uji.yaml", SMALL_CODEBOOK)
    return CodebookMatcher(load_codebook(path))


@pytest.fixture
def cli_invoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the qualcode CLI in-process in ``tmp_path``; show the traceback if it crashed."""
    from qualcode.cli import main

    monkeypatch.chdir(tmp_path)

    def invoke(*args: str, expect_exit: int | None = 0) -> Result:
        result = CliRunner().invoke(main, list(args), catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            traceback.print_exception(*result.exc_info)
        if expect_exit is not None:
            assert result.exit_code == expect_exit, result.output
        return result

    return invoke


@pytest.fixture
def probe_searches(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every search for keyword-root probes (normaliser.probes_in), its probes sorted."""
    from qualcode.matching import normaliser

    searched: list[list[str]] = []
    real = normaliser.probes_in

    def spy(texts: object, probes: list[str]) -> set[str]:
        searched.append(sorted(probes))
        return real(texts, probes)  # type: ignore[arg-type]

    monkeypatch.setattr(normaliser, "probes_in", spy)
    return searched
