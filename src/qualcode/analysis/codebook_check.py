"""Advice on a codebook: weak keys, over-stemmed keywords, dead and too-broad rules.

:func:`check_codebook` takes the codebook's compiled matcher, its keyword expansion report and
(optionally) transcripts read as documents, and returns :class:`Advice` items a codebook author
can act on, plus per-rule hit statistics. Nothing here is an error: a valid codebook with advice
is still a valid codebook.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qualcode.analysis.alone import hits_alone
from qualcode.analysis.overstemming import over_stemmed
from qualcode.matching.rules import KEYWORD, NOT_WITHIN, PATTERN
from qualcode.models import COUNTED, Document, Hit

if TYPE_CHECKING:
    from qualcode.matching.engine import CodebookMatcher
    from qualcode.matching.expansion import ExpansionReport

#: Kinds of advice, in the order they are listed.
ADVICE_KINDS = (
    "shared_key", "redundant", "stop_word", "short_key", "over_stemmed",
    "dead_rule", "shadowed", "too_broad", "coded_nothing", "no_rules",
)  # fmt: skip
#: Default share of informant turns above which a rule is "too broad".
BROAD_SHARE = 0.30
#: A rule must hit at least this many turns to be called too broad (tiny corpora aside).
BROAD_MIN_TURNS = 5

_VARIANT_NOTE = re.compile(r" \((?:joined|split): [^()]*\)$")


@dataclass(frozen=True, slots=True)
class Advice:
    """One piece of advice. ``code`` and ``rule`` are "" when it concerns several codes."""

    kind: str
    code: str
    rule: str
    message: str
    hint: str = ""


@dataclass(frozen=True, slots=True)
class RuleStats:
    """How often a rule fired: all hits, counted hits, and informant turns it hit."""

    code: str
    rule: str  # as in hits.csv: "keyword: kerja sama", "pattern: bank keliling"
    hits: int
    counted: int
    turns: int
    share: float  # turns / informant turns (0 when there are no turns)


@dataclass
class CheckResult:
    advice: list[Advice] = field(default_factory=list)
    rules: list[RuleStats] = field(default_factory=list)
    coded_turns: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    informant_turns: int = 0
    notes: list[str] = field(default_factory=list)  # environment warnings (missing lookups ...)

    def by_kind(self, kind: str) -> list[Advice]:
        return [a for a in self.advice if a.kind == kind]


def rule_name(hit_rule: str) -> str:
    """The rule a hit came from, without the spelling note: ``keyword: kerja sama``."""
    return _VARIANT_NOTE.sub("", hit_rule)


def check_codebook(
    matcher: CodebookMatcher,
    report: ExpansionReport,
    documents: Sequence[Document] = (),
    *,
    broad_share: float = BROAD_SHARE,
) -> CheckResult:
    """Advice on the matcher's codebook; rules are tried on ``documents`` if any are given."""
    result = CheckResult(notes=list(matcher.warnings))
    result.advice.extend(_key_advice(report))
    redundant = _redundant_keywords(report)
    result.advice.extend(redundant)
    result.advice.extend(_stem_advice(matcher))
    result.advice.extend(_rule_less_codes(matcher))
    if documents:
        skip = {(a.code, a.rule) for a in redundant}
        _try_rules(matcher, documents, broad_share, result, skip)
    order = {kind: index for index, kind in enumerate(ADVICE_KINDS)}
    result.advice.sort(key=lambda a: order[a.kind])
    return result


def _key_advice(report: ExpansionReport) -> list[Advice]:
    advice = []
    for warning in report.key_warnings:
        code = warning.codes[0] if len(warning.codes) == 1 else ""
        rule = f"keyword: {warning.keyword}" if warning.keyword else ""
        hint = {
            "shared_key": "keep the word under one code, or make it more specific (a phrase)",
            "stop_word": "use a longer phrase, or {text: ..., exact: true}",
            "short_key": "use a longer phrase, or {text: ..., exact: true}",
        }.get(warning.kind, "")
        advice.append(Advice(warning.kind, code, rule, warning.message, hint))
    return advice


def _redundant_keywords(report: ExpansionReport) -> list[Advice]:
    """Stem keywords of one code with the same key as an earlier one: they never add a hit."""
    first: dict[tuple[str, str], str] = {}
    advice = []
    for expansion in report.expansions:
        if expansion.mode != "stem" or not expansion.spellings:
            continue
        key = expansion.spellings[0][1]
        earlier = first.setdefault((expansion.code, key), expansion.keyword)
        if earlier != expansion.keyword:
            advice.append(
                Advice(
                    "redundant",
                    expansion.code,
                    f"keyword: {expansion.keyword}",
                    f"{expansion.code}: keyword '{expansion.keyword}' -> '{key}' has the same "
                    f"key as '{earlier}', so it never adds a hit",
                    "drop it (the earlier keyword already matches all its forms)",
                )
            )
    return advice


def _stem_advice(matcher: CodebookMatcher) -> list[Advice]:
    advice = []
    for rule in matcher.rules:
        if rule.kind != KEYWORD or rule.mode != "stem":
            continue
        for word in re.findall(r"\w+(?:-\w+)*", rule.text):
            suspect = over_stemmed(word, matcher.normaliser)
            if suspect is None:
                continue
            better = f"overrides: {{{suspect.word}: {suspect.other}}}" if suspect.other else ""
            options = " or ".join(p for p in (better, f"{{text: {rule.text}, exact: true}}") if p)
            advice.append(
                Advice(
                    "over_stemmed",
                    rule.code,
                    rule.describe(),
                    f"{rule.code}: keyword '{rule.text}': '{suspect.word}' -> "
                    f"'{suspect.key}' looks over-stemmed ({suspect.reason})",
                    f"write {options}",
                )
            )
    return advice


def _rule_less_codes(matcher: CodebookMatcher) -> list[Advice]:
    return [
        Advice(
            "no_rules",
            code.id,
            "",
            f"{code.id}: no keywords or patterns, so it is never applied automatically",
            "add keywords, or keep it for hand coding",
        )
        for code in matcher.codebook.walk()
        if not code.children and not code.has_rules
    ]


def _try_rules(
    matcher: CodebookMatcher,
    documents: Sequence[Document],
    broad_share: float,
    result: CheckResult,
    skip: set[tuple[str, str]],
) -> None:
    from qualcode.matching.engine import codings_from_hits

    hits: list[Hit] = []
    coded: dict[str, set[tuple[str, int]]] = defaultdict(set)
    matcher.expect(documents)
    for document in documents:
        doc_hits = matcher.match_document(document)
        hits.extend(doc_hits)
        for coding in codings_from_hits(document, doc_hits, matcher.codebook):
            coded[coding.code].add((coding.document, coding.segment))
    result.documents = len(documents)
    result.informant_turns = sum(1 for d in documents for s in d.segments if not s.is_interviewer)
    stats = _rule_stats(matcher, hits, result.informant_turns)
    result.rules = stats
    silent = [(r.code, r.rule) for r in stats if r.hits == 0 and (r.code, r.rule) not in skip]
    alone = hits_alone(matcher.codebook, silent, documents)
    for row in stats:
        if alone.get((row.code, row.rule), 0):
            result.advice.append(
                Advice(
                    "shadowed",
                    row.code,
                    row.rule,
                    f"{row.code}: {row.rule} matched {alone[(row.code, row.rule)]} time(s), "
                    "always inside a longer match of the same code",
                    "redundant on these transcripts; keep it only as a fallback",
                )
            )
        elif row.hits == 0 and (row.code, row.rule) not in skip:
            result.advice.append(
                Advice(
                    "dead_rule",
                    row.code,
                    row.rule,
                    f"{row.code}: {row.rule} never matched in {len(documents)} transcript(s)",
                    "check the spelling with `qualcode kwic`, or drop the rule",
                )
            )
        elif row.share > broad_share and row.turns >= BROAD_MIN_TURNS:
            result.advice.append(
                Advice(
                    "too_broad",
                    row.code,
                    row.rule,
                    f"{row.code}: {row.rule} matched {row.turns} of {result.informant_turns} "
                    f"informant turns ({row.share:.0%})",
                    "use a longer phrase, exact: true, or not_within",
                )
            )
    for code in matcher.codebook.walk():
        result.coded_turns[code.id] = len(coded.get(code.id, ()))
        if code.has_rules and not coded.get(code.id):
            result.advice.append(
                Advice(
                    "coded_nothing",
                    code.id,
                    "",
                    f"{code.id}: coded no informant turn in {len(documents)} transcript(s)",
                    "see its rules' hits with `qualcode codebook check --rules`",
                )
            )


def _rule_stats(matcher: CodebookMatcher, hits: Sequence[Hit], turns: int) -> list[RuleStats]:
    """One row per keyword and pattern rule, in codebook order."""
    all_hits: dict[tuple[str, str], int] = defaultdict(int)
    counted: dict[tuple[str, str], int] = defaultdict(int)
    segments: dict[tuple[str, str], set[tuple[str, int]]] = defaultdict(set)
    for hit in hits:
        key = (hit.code, rule_name(hit.rule))
        all_hits[key] += 1
        counted[key] += hit.status == COUNTED
        segments[key].add((hit.document, hit.segment))
    rows = []
    seen: set[tuple[str, str]] = set()
    for rule in matcher.rules:
        if rule.kind not in (KEYWORD, PATTERN) or rule.kind == NOT_WITHIN:
            continue
        key = (rule.code, rule.describe())
        if key in seen:
            continue
        seen.add(key)
        n_turns = len(segments.get(key, ()))
        rows.append(
            RuleStats(
                rule.code,
                rule.describe(),
                all_hits.get(key, 0),
                counted.get(key, 0),
                n_turns,
                n_turns / turns if turns else 0.0,
            )
        )
    return rows
