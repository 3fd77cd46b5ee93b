"""What each keyword expands to after normalisation, and the warnings a codebook author needs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qualcode.codebook.schema import Codebook
from qualcode.matching.rules import KEYWORD, NORM

if TYPE_CHECKING:
    from qualcode.matching.engine import CodebookMatcher


@dataclass(frozen=True, slots=True)
class Expansion:
    """One keyword: its mode, and each spelling the matcher looks for with its key."""

    code: str
    keyword: str
    mode: str
    spellings: tuple[tuple[str, str, str], ...]  # (words, key, note)
    sources: tuple[str, ...]  # where each word's key came from (lemma, stem, override, ...)


@dataclass(frozen=True, slots=True)
class KeyWarning:
    """A warning about a keyword's key; ``kind`` is stop_word, short_key or shared_key."""

    kind: str
    codes: tuple[str, ...]
    keyword: str  # the keyword as written ("" for a shared key)
    key: str
    message: str


@dataclass
class ExpansionReport:
    expansions: list[Expansion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    key_warnings: list[KeyWarning] = field(default_factory=list)

    def _warn(self, kind: str, codes: tuple[str, ...], keyword: str, key: str, text: str) -> None:
        self.warnings.append(text)
        warning = KeyWarning(kind, codes, keyword, key, text)
        if warning not in self.key_warnings:
            self.key_warnings.append(warning)


def keyword_expansions(
    codebook: Codebook, matcher: CodebookMatcher | None = None
) -> ExpansionReport:
    """Expand every keyword of the codebook; warn about shared, stop-word and very short keys.

    ``matcher`` is the codebook's compiled matcher, if the caller has one already.
    """
    from qualcode.matching.engine import CodebookMatcher
    from qualcode.matching.normaliser import stop_words

    if matcher is None:
        matcher = CodebookMatcher(codebook)
    normaliser = matcher.normaliser
    stops = {normaliser.key(w) for w in stop_words(codebook.language)}
    report = ExpansionReport(warnings=list(matcher.warnings))
    spellings: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for variant in matcher.variants:
        key = " ".join(variant.keys) if variant.matcher == NORM else " ".join(variant.words)
        if variant.tokens and not variant.keys:
            key = " ".join(variant.words) + "*"
        spellings[variant.rule].append((" ".join(variant.words), key, variant.note))
    codes_by_key: dict[str, set[str]] = defaultdict(set)
    for index, rule in enumerate(matcher.rules):
        if rule.kind != KEYWORD:
            continue
        words = spellings[index][0][0].split()
        sources = tuple(
            f"{w} -> {normaliser.explain(w)[0]} ({normaliser.explain(w)[1]})" for w in words
        )
        report.expansions.append(
            Expansion(rule.code, rule.text, rule.mode, tuple(spellings[index]), sources)
        )
        for _words, key, _note in spellings[index]:
            codes_by_key[key].add(rule.code)
            if rule.mode != "stem":
                continue
            if key in stops:
                report._warn(
                    "stop_word",
                    (rule.code,),
                    rule.text,
                    key,
                    f"{rule.code}: keyword '{rule.text}' -> '{key}' is a stop word "
                    "(it will match very often)",
                )
            if len(key.replace(" ", "")) < 3:
                report._warn(
                    "short_key",
                    (rule.code,),
                    rule.text,
                    key,
                    f"{rule.code}: keyword '{rule.text}' -> '{key}' is shorter than 3 letters",
                )
    for key, codes in sorted(codes_by_key.items()):
        if len(codes) > 1:
            shared = tuple(sorted(codes))
            report._warn(
                "shared_key", shared, "", key, f"key '{key}' is shared by codes {', '.join(shared)}"
            )
    report.warnings = list(dict.fromkeys(report.warnings))
    return report
