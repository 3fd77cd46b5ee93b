"""Apply a codebook to documents: spaCy tokenizer + matching keys + PhraseMatcher/Matcher.

Only informant segments are matched, one spaCy Doc per segment, so a phrase never spans two
turns. Line breaks inside a segment are matched as spaces (offsets unchanged), so a phrase may
run across a line break inside a turn.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.codebook.schema import Codebook
from qualcode.intervals import pick_disjoint
from qualcode.matching.normaliser import Normaliser
from qualcode.matching.rules import (
    LOWER,
    NORM,
    NOT_WITHIN,
    ORTH,
    TOKENS,
    Rule,
    Variant,
    compile_rules,
    keyword_roots,
    negators,
    rule_texts,
)
from qualcode.matching.tokens import CachedTokenizer, blank_pipeline
from qualcode.models import COUNTED, NEGATED, NOT_NEGATED, Coding, Document, Hit, Segment
from qualcode.models import NOT_WITHIN as STATUS_NOT_WITHIN

#: How many words before a hit are searched for a negator.
NEGATION_WINDOW = 3
#: A long document is tokenized in groups of segments of about this many characters, so memory
#: stays bounded (a 50 MB transcript is never held as spaCy Docs all at once; RELIABILITY A8/F2).
BATCH_CHARS = 200_000
_WHITESPACE = str.maketrans({"\n": " ", "\t": " ", "\r": " ", "\v": " ", "\f": " "})


@dataclass(frozen=True, slots=True)
class _RawMatch:
    rule: int
    variant: int
    start_token: int
    end_token: int


class CodebookMatcher:
    """A codebook compiled for matching; reusable across any number of documents."""

    def __init__(
        self,
        codebook: Codebook,
        *,
        tokenizer: CachedTokenizer | None = None,
        base_keys: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        self.codebook = codebook
        self.tokenizer = tokenizer or CachedTokenizer(codebook.language)
        self.vocab = self.tokenizer.vocab
        self.normaliser = Normaliser(
            codebook.language,
            overrides=codebook.overrides,
            protect=codebook.protect,
            extra_roots=keyword_roots(codebook),
            base_keys=base_keys,
        )
        self._norm_ids: dict[str, int] = {}
        texts = rule_texts(codebook)
        tokenized = dict(zip(texts, self.tokenizer.words_many(texts), strict=True))
        self.rules, self.variants = compile_rules(
            codebook, self.normaliser, lambda text: tokenized.get(text) or self._words(text)
        )
        self.negator_keys = negators(codebook, self.normaliser)
        self._described = [_describe(self.rules[v.rule], v) for v in self.variants]
        self._codes = {code.id: code for code in codebook.walk()}
        vocab = self.vocab
        self._phrase = {
            NORM: PhraseMatcher(vocab, attr="NORM"),
            LOWER: PhraseMatcher(vocab, attr="LOWER"),
            ORTH: PhraseMatcher(vocab, attr="ORTH"),
        }
        self._tokens = Matcher(vocab, validate=True)
        self._label_to_variant: dict[int, int] = {}
        for index, variant in enumerate(self.variants):
            label = f"qualcode-v{index}"
            self._label_to_variant[vocab.strings.add(label)] = index
            if variant.matcher == TOKENS:
                self._tokens.add(label, [list(variant.tokens)])
            else:
                self._phrase[variant.matcher].add(label, [self._pattern_doc(variant)])
        matchers: list[Any] = [*self._phrase.values(), self._tokens]
        self._active = [m for m in matchers if len(m)]

    @property
    def warnings(self) -> list[str]:
        return list(self.normaliser.warnings)

    @property
    def nlp(self) -> Any:
        """The blank spaCy pipeline (its tokenizer is built on first use)."""
        return blank_pipeline(self.codebook.language)

    def _words(self, text: str) -> Sequence[str]:
        return self.tokenizer.words(text)

    def _pattern_doc(self, variant: Variant) -> Any:
        from spacy.tokens import Doc

        words = list(variant.words)
        doc = Doc(self.vocab, words=words, spaces=[True] * len(words))
        if variant.matcher == NORM:
            for token, key in zip(doc, variant.keys, strict=True):
                token.norm_ = key
        return doc

    def make_doc(self, text: str) -> Any:
        """Tokenize ``text`` (line breaks as spaces) and set each token's NORM to its key."""
        doc = self.nlp.make_doc(text.translate(_WHITESPACE))
        self._set_keys(doc, [t.text for t in doc])
        return doc

    def match_document(self, document: Document) -> list[Hit]:
        """Every hit in the document's informant segments, in text order."""
        hits: list[Hit] = []
        segments = [s for s in document.segments if not s.is_interviewer]
        for group in _batches(segments, BATCH_CHARS):
            docs = self.tokenizer.docs([s.text.translate(_WHITESPACE) for s in group])
            for segment, (doc, words) in zip(group, docs, strict=True):
                self._set_keys(doc, words)
                hits.extend(self._segment_hits(segment, doc))
        return hits

    def _set_keys(self, doc: Any, words: list[str]) -> None:
        """Write each token's matching key into its NORM attribute (one array call)."""
        import numpy
        from spacy.attrs import NORM

        if not words:
            return
        ids = self._norm_ids
        column = []
        for word in words:
            norm_id = ids.get(word)
            if norm_id is None:
                key = word if word.isspace() else self.normaliser.key(word)
                norm_id = ids[word] = self.vocab.strings.add(key)
            column.append(norm_id)
        doc.from_array([NORM], numpy.array(column, dtype="uint64").reshape(-1, 1))

    def _segment_hits(self, segment: Segment, doc: Any) -> Iterator[Hit]:
        raw: list[_RawMatch] = []
        for matcher in self._active:
            for label, start, end in matcher(doc):
                variant = self._label_to_variant[label]
                raw.append(_RawMatch(self.variants[variant].rule, variant, start, end))
        if not raw:
            return
        tokens = _TokenTable(doc)
        by_code: dict[str, list[_RawMatch]] = defaultdict(list)
        for match in raw:
            by_code[self.rules[match.rule].code].append(match)
        found: list[Hit] = []
        for code_id, matches in by_code.items():
            found.extend(self._code_hits(code_id, matches, segment, tokens))
        found.sort(key=lambda h: (h.start, h.end, h.code, h.rule))
        yield from found

    def _code_hits(
        self, code_id: str, matches: list[_RawMatch], segment: Segment, tokens: _TokenTable
    ) -> Iterable[Hit]:
        fences = [
            (m.start_token, m.end_token) for m in matches if self.rules[m.rule].kind == NOT_WITHIN
        ]
        candidates = [m for m in matches if self.rules[m.rule].kind != NOT_WITHIN]
        mode = self._codes[code_id].negation
        kept = _longest_first(candidates)
        for match in kept:
            rule = self.rules[match.rule]
            if any(a <= match.start_token and match.end_token <= b for a, b in fences):
                status = STATUS_NOT_WITHIN
            else:
                negated = rule.negative or self._negated(tokens, match.start_token)
                if mode == "skip" and negated and not rule.negative:
                    status = NEGATED
                elif mode == "only" and not negated:
                    status = NOT_NEGATED
                else:
                    status = COUNTED
            yield self._hit(segment, tokens, match, rule, status)

    def _negated(self, tokens: _TokenTable, start: int) -> bool:
        """A negator up to NEGATION_WINDOW words before ``start``, in the same clause."""
        seen = 0
        index = start - 1
        while index >= 0 and seen < NEGATION_WINDOW:
            if tokens.is_space[index]:
                index -= 1
                continue
            if tokens.is_punct[index] and tokens.text(index) != "-":
                return False
            if tokens.norm(index) in self.negator_keys:
                return True
            seen += 1
            index -= 1
        return False

    def _hit(
        self, segment: Segment, tokens: _TokenTable, match: _RawMatch, rule: Rule, status: str
    ) -> Hit:
        start_char, end_char = tokens.chars(match.start_token, match.end_token)
        variant = self.variants[match.variant]
        described = self._described[match.variant]
        if variant.matcher == NORM:
            key = " ".join(variant.keys)
        else:
            key = " ".join(
                tokens.norm(i)
                for i in range(match.start_token, match.end_token)
                if not tokens.is_space[i]
            )
        matched = segment.text[start_char:end_char]
        return Hit(
            segment.document,
            segment.number,
            rule.code,
            segment.start + start_char,
            segment.start + end_char,
            matched,
            described,
            key,
            status,
        )

    def code_document(self, document: Document) -> tuple[list[Hit], list[Coding]]:
        """Hits and the codings they add up to, for one document."""
        hits = self.match_document(document)
        return hits, codings_from_hits(document, hits, self.codebook)


def _describe(rule: Rule, variant: Variant) -> str:
    """What a hit's ``rule`` column says: the rule, and which spelling of it matched."""
    described = rule.describe()
    if variant.note:
        described += f" ({variant.note}: {' '.join(variant.words)})"
    return described


class _TokenTable:
    """A Doc's token offsets, flags and keys as plain lists: read per hit without Token objects."""

    def __init__(self, doc: Any) -> None:
        from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, NORM

        columns = doc.to_array([IDX, LENGTH, IS_PUNCT, IS_SPACE, NORM]).T.tolist()
        self.idx, self.length, self.is_punct, self.is_space, self._norms = columns
        self._strings = doc.vocab.strings
        self._doc = doc

    def chars(self, start: int, end: int) -> tuple[int, int]:
        return self.idx[start], self.idx[end - 1] + self.length[end - 1]

    def norm(self, index: int) -> str:
        return str(self._strings[self._norms[index]])

    def text(self, index: int) -> str:
        return str(self._doc[index].text)


def _batches(segments: Sequence[Segment], size: int) -> Iterator[list[Segment]]:
    """Consecutive groups of segments of about ``size`` characters (one group if shorter)."""
    group: list[Segment] = []
    chars = 0
    for segment in segments:
        if group and chars + len(segment.text) > size:
            yield group
            group, chars = [], 0
        group.append(segment)
        chars += len(segment.text)
    if group:
        yield group


def _longest_first(matches: list[_RawMatch]) -> list[_RawMatch]:
    """Overlapping matches of one code count once: the longest wins (then the earliest)."""
    ordered = sorted(matches, key=lambda m: (-(m.end_token - m.start_token), m.start_token, m.rule))
    taken = pick_disjoint(ordered, lambda m: (m.start_token, m.end_token))
    return sorted(taken, key=lambda m: (m.start_token, m.rule))


def codings_from_hits(document: Document, hits: Sequence[Hit], codebook: Codebook) -> list[Coding]:
    """A coding per (segment, code) whose counted hits reach the code's ``min_hits``."""
    order = {code.id: index for index, code in enumerate(codebook.walk())}
    minimum = {code.id: code.min_hits for code in codebook.walk()}
    segments = {s.number: s for s in document.segments}
    grouped: dict[tuple[int, str], list[Hit]] = defaultdict(list)
    for hit in hits:
        if hit.status == COUNTED:
            grouped[(hit.segment, hit.code)].append(hit)
    codings: list[Coding] = []
    for (number, code_id), code_hits in sorted(
        grouped.items(), key=lambda kv: (kv[0][0], order[kv[0][1]])
    ):
        if len(code_hits) < minimum[code_id]:
            continue
        segment = segments[number]
        matched = tuple(dict.fromkeys(h.matched for h in code_hits))
        codings.append(
            Coding(
                document.name,
                number,
                segment.speaker,
                segment.start,
                segment.end,
                code_id,
                "auto",
                len(code_hits),
                matched,
                segment.text,
            )
        )
    return codings
