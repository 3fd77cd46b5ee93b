"""`qualcode codebook check`: validate a codebook and give advice on its rules."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qualcode.commands.common import EXIT_PARTIAL, reports_errors
from qualcode.commands.inputs import print_failures, read_transcripts, transcript_options

if TYPE_CHECKING:
    from qualcode.analysis.codebook_check import Advice, CheckResult
    from qualcode.codebook import Codebook
    from qualcode.models import Document

_TITLES = {
    "shared_key": "shared key",
    "redundant": "redundant",
    "stop_word": "stop word",
    "short_key": "short key",
    "over_stemmed": "over-stemmed",
    "dead_rule": "dead rule",
    "shadowed": "shadowed",
    "too_broad": "too broad",
    "coded_nothing": "coded nothing",
    "no_rules": "no rules",
}

_HINTS = {
    "shared_key": "keep the word under one code, or make it more specific (a phrase)",
    "redundant": "drop it: the earlier keyword already matches all its forms",
    "stop_word": "use a longer phrase, or {text: ..., exact: true}",
    "short_key": "use a longer phrase, or {text: ..., exact: true}",
    "over_stemmed": "add an override or make the keyword exact",
    "dead_rule": "check the spelling with `qualcode kwic`, or drop the rule",
    "shadowed": "redundant on these transcripts (a longer rule of the code covers it)",
    "too_broad": "use a longer phrase, exact: true, or not_within",
    "coded_nothing": "see its rules' hits with `qualcode codebook check --rules`",
    "no_rules": "add keywords, or keep it for hand coding",
}


@click.command("check")
@click.argument("codebook", type=click.Path(path_type=Path))
@click.argument("transcripts", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--broad", type=click.FloatRange(0, 1), default=0.30, show_default=True,
    help="A rule matching more than this share of informant turns is 'too broad'.",
)  # fmt: skip
@click.option("--rules", "show_rules", is_flag=True, help="Also list every rule's hit counts.")
@transcript_options
@reports_errors
def codebook_check(
    codebook: Path,
    transcripts: tuple[Path, ...],
    broad: float,
    show_rules: bool,
    unit: str,
    interviewers: tuple[str, ...],
    encoding: str | None,
) -> None:
    """Validate CODEBOOK and advise on it; with TRANSCRIPTS, also try its rules on them.

    Advice: keys shared by two codes, stop-word or very short keys, keywords that look
    over-stemmed, rules that never match (dead) or match too many turns (too broad), codes that
    coded nothing. Exit status 0 when the codebook is valid (advice or not), 1 when it is not,
    3 when a transcript could not be read.
    """
    from qualcode.analysis.codebook_check import check_codebook
    from qualcode.codebook.tabular import load_any_codebook
    from qualcode.matching import CodebookMatcher
    from qualcode.matching.expansion import keyword_expansions

    book = load_any_codebook(codebook)
    documents: list[Document] = []
    failures: list[tuple[str, str]] = []
    if transcripts:
        documents, failures = read_transcripts(
            transcripts,
            unit=unit,
            interviewers=interviewers,
            encoding=encoding,
            language=book.language,
        )
    matcher = CodebookMatcher(book)
    report = keyword_expansions(book, matcher)
    result = check_codebook(matcher, report, documents, broad_share=broad)
    _print_result(book, codebook, result, show_rules)
    if failures:
        print_failures(failures)
        sys.exit(EXIT_PARTIAL)


def _print_result(book: Codebook, path: Path, result: CheckResult, show_rules: bool) -> None:
    codes = list(book.walk())
    keywords = sum(len(c.keywords) for c in codes)
    patterns = sum(len(c.patterns) for c in codes)
    click.echo(
        f"{path}: valid — {len(codes)} codes, {keywords} keywords, {patterns} patterns "
        f"(language {book.language})"
    )
    if result.documents:
        ruled = [c for c in codes if c.has_rules]
        coded = sum(1 for c in ruled if result.coded_turns.get(c.id))
        click.echo(
            f"Tried on {result.documents} transcript(s), {result.informant_turns} informant "
            f"turns: {coded} of {len(ruled)} codes with rules applied at least once"
        )
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if show_rules and result.rules:
        _print_rules(result)
    if not result.advice:
        click.echo("No advice: every check passed.")
        return
    click.echo(f"\nAdvice ({len(result.advice)} items; advice never fails the check):")
    for kind in _TITLES:
        items = result.by_kind(kind)
        if not items:
            continue
        click.echo(f"\n{_TITLES[kind]} ({len(items)}) -> {_HINTS[kind]}")
        if kind == "dead_rule":
            _print_dead(items, result)
            continue
        for item in items:
            click.echo(f"  {item.message}")
            if kind == "over_stemmed":
                click.echo(f"    -> {item.hint}")


def _print_dead(items: list[Advice], result: CheckResult) -> None:
    """Dead rules, one line per code: there can be many in a broad codebook."""
    rules_per_code: dict[str, int] = {}
    for row in result.rules:
        rules_per_code[row.code] = rules_per_code.get(row.code, 0) + 1
    by_code: dict[str, list[str]] = {}
    for item in items:
        by_code.setdefault(item.code, []).append(item.rule.split(": ", 1)[-1])
    for code, rules in by_code.items():
        total = rules_per_code.get(code, len(rules))
        click.echo(f"  {code} ({len(rules)} of {total} rules): {', '.join(rules)}")


def _print_rules(result: CheckResult) -> None:
    from rich.table import Table
    from rich.text import Text

    from qualcode.commands.inputs import print_wide

    table = Table(title="Rules on the transcripts", title_justify="left")
    table.add_column("code", no_wrap=True)
    table.add_column("rule", no_wrap=True)
    for column in ("hits", "counted", "turns", "share"):
        table.add_column(column, justify="right", no_wrap=True)
    for row in result.rules:
        cells = (row.code, row.rule, row.hits, row.counted, row.turns, f"{row.share:.0%}")
        table.add_row(*(Text(str(cell)) for cell in cells))
    print_wide(table)
