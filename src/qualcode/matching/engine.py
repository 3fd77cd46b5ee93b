"""Apply a codebook to documents: spaCy tokenizer + matching keys + PhraseMatcher/Matcher.

Only informant segments are matched, one spaCy Doc per segment, so a phrase never spans two
turns. Line breaks inside a segment are matched as spaces (offsets unchanged), so a phrase may
run across a line break inside a turn.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import operator
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import Any

from qualcode.codebook.schema import Codebook
from qualcode.intervals import pick_disjoint
from qualcode.matching.hitcache import (
    HitCache,
    document_key,
    from_rows,
    informant_key,
    to_rows,
)
from qualcode.matching.normaliser import Normaliser
from qualcode.matching.phrases import PhraseIndex, is_punct, phrase_pattern
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
from qualcode.matching.tokens import (
    CachedTokenizer,
    blank_pipeline,
    distinct_words,
    spacy_version,
)
from qualcode.models import COUNTED, NEGATED, NOT_NEGATED, Coding, Document, Hit, Segment
from qualcode.models import NOT_WITHIN as STATUS_NOT_WITHIN

#: How many words before a hit are searched for a negator.
NEGATION_WINDOW = 3
#: A long document is tokenized in groups of segments of about this many characters, so memory
#: stays bounded (a 50 MB transcript is never held as spaCy Docs all at once; RELIABILITY A8/F2).
BATCH_CHARS = 200_000
_WHITESPACE = str.maketrans({"\n": " ", "\t": " ", "\r": " ", "\v": " ", "\f": " "})


#: A match as (variant index, start token, end token).
_Match = tuple[int, int, int]


def _label(variant: int) -> str:
    return f"qualcode-v{variant}"


#: The order of a segment's or a document's hits: by start, end, code, rule.
_hit_order = operator.attrgetter("start", "end", "code", "rule")


class CodebookMatcher:
    """A codebook compiled for matching; reusable across any number of documents."""

    def __init__(
        self,
        codebook: Codebook,
        *,
        tokenizer: CachedTokenizer | None = None,
        base_keys: dict[str, tuple[str, str]] | None = None,
        hit_cache: HitCache | None = None,
    ) -> None:
        self.codebook = codebook
        self.tokenizer = tokenizer or CachedTokenizer(codebook.language)
        self.normaliser = Normaliser(
            codebook.language,
            overrides=codebook.overrides,
            protect=codebook.protect,
            extra_roots=keyword_roots(codebook),
            base_keys=base_keys,
        )
        self._norm_ids: dict[int, int] = {}  # word id -> key id
        texts = rule_texts(codebook)
        tokenized = dict(zip(texts, self.tokenizer.words_many(texts), strict=True))
        self.rules, self.variants = compile_rules(codebook, self.normaliser, tokenized.__getitem__)
        self.negator_keys = negators(codebook, self.normaliser)
        self._described = [_describe(self.rules[v.rule], v) for v in self.variants]
        # Per variant, what each match needs, as plain lists (read once per match).
        self._variant_code = [self.rules[v.rule].code for v in self.variants]
        self._variant_fence = [self.rules[v.rule].kind == NOT_WITHIN for v in self.variants]
        self._fenced_codes = {
            code
            for code, fence in zip(self._variant_code, self._variant_fence, strict=True)
            if fence
        }
        self._variant_key = [" ".join(v.keys) if v.matcher == NORM else None for v in self.variants]
        self._codes = {code.id: code for code in codebook.walk()}
        #: Per set of codes matched (None: all of them), what matching them needs.
        self._subsets: dict[frozenset[str] | None, _Subset] = {}
        self._word_keys: dict[str, str] = {}  # word -> its key, for cached token tables
        self.hit_cache = hit_cache
        self.signatures = self._code_signatures()
        #: Per document coded here, the codes that were matched (the others came from the cache).
        self.matched_codes: dict[str, frozenset[str]] = {}

    @functools.cached_property
    def vocab(self) -> Any:
        """spaCy's vocab. spaCy is imported on first use: a run that finds every text it has to
        match in the token cache, with phrase rules only, never needs it."""
        return self.tokenizer.vocab

    @functools.cached_property
    def _negator_ids(self) -> set[int]:
        return {self.vocab.strings.add(key) for key in self.negator_keys}

    @functools.cached_property
    def _label_to_variant(self) -> dict[int, int]:
        add = self.vocab.strings.add
        return {add(_label(index)): index for index in range(len(self.variants))}

    def _matchers(self, variants: Iterable[int]) -> list[Any]:
        """spaCy matchers holding the given variants (only those that hold any)."""
        from spacy.matcher import Matcher, PhraseMatcher

        phrase = {attr: PhraseMatcher(self.vocab, attr=attr) for attr in (NORM, LOWER, ORTH)}
        tokens = Matcher(self.vocab, validate=True)
        for index in variants:
            variant = self.variants[index]
            if variant.matcher == TOKENS:
                tokens.add(_label(index), [list(variant.tokens)])
            else:
                phrase[variant.matcher].add(_label(index), [self._pattern_doc(variant)])
        matchers: list[Any] = [*phrase.values(), tokens]
        return [m for m in matchers if len(m)]

    def _subset(self, codes: Collection[str] | None) -> _Subset:
        """What matching ``codes`` (None: every code) needs, built once per set of codes."""
        wanted = None if codes is None else frozenset(codes)
        if wanted not in self._subsets:
            code_of = self._variant_code
            chosen = [i for i, code in enumerate(code_of) if wanted is None or code in wanted]
            self._subsets[wanted] = _Subset(self, chosen)
        return self._subsets[wanted]

    @property
    def warnings(self) -> list[str]:
        return list(self.normaliser.warnings)

    @property
    def nlp(self) -> Any:
        """The blank spaCy pipeline (its tokenizer is built on first use)."""
        return blank_pipeline(self.codebook.language)

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
        self._set_keys([doc])
        return doc

    def expect(self, documents: Iterable[Document]) -> None:
        """The documents about to be coded: spaCy's tokenizer, if needed, is built once with the
        special cases all their texts missing from the token cache need."""
        for document in documents:
            for _group, texts in _groups(document):
                if not self.tokenizer.is_cached(texts):
                    self.tokenizer.expect(texts)

    def match_document(self, document: Document, codes: Collection[str] | None = None) -> list[Hit]:
        """Every hit in the document's informant segments (of ``codes``, or all), in text order.

        A group of segments found in the token cache is matched on its cached words when the
        codes have phrase rules only (:class:`PhraseIndex`, no spaCy Doc is built); otherwise
        its Docs go through spaCy's matchers.
        """
        hits: list[Hit] = []
        subset = self._subset(codes)
        phrases = subset.phrases
        for group, texts in _groups(document):
            table = None if phrases is None else self.tokenizer.cached_table(texts)
            if table is not None and phrases is not None:
                hits.extend(self._table_hits(group, table, phrases))
                continue
            docs = self.tokenizer.docs(texts)
            self._set_keys(docs)
            for segment, doc in zip(group, docs, strict=True):
                hits.extend(self._segment_hits(segment, doc, subset.matchers))
        return hits

    def _table_hits(
        self, group: Sequence[Segment], table: tuple[list[str], list[Any]], phrases: PhraseIndex
    ) -> list[Hit]:
        """The hits of a group of segments, matched on its cached token table."""
        strings, rows = table
        key_of = self._word_key
        starts = phrases.starting_each(strings, key_of)
        can_start = {index for index, found in enumerate(starts) if found}
        hits: list[Hit] = []
        for segment, (indices, spaces) in zip(group, rows, strict=True):
            if can_start.isdisjoint(indices):
                continue
            words = [strings[index] for index in indices]
            matches = phrases.matches(words, [starts[index] for index in indices], key_of)
            if matches:
                tokens = _WordTable(words, spaces, key_of)
                hits.extend(self._hits_of(segment, matches, tokens, self.negator_keys))
        return hits

    def _word_key(self, word: str) -> str:
        """A word's matching key (the word itself for whitespace)."""
        key = self._word_keys.get(word)
        if key is None:
            key = self._word_keys[word] = word if word.isspace() else self.normaliser.key(word)
        return key

    def _set_keys(self, docs: Sequence[Any]) -> None:
        """Write each token's matching key into its NORM attribute (one array call per Doc).

        Keys are looked up once per distinct word of the group, not once per token.
        """
        import numpy
        from spacy.attrs import NORM, ORTH

        distinct, indices = distinct_words([doc.to_array(ORTH) for doc in docs])
        keys = numpy.array([self._norm_id(orth) for orth in distinct.tolist()], dtype="uint64")
        for doc, index in zip(docs, indices, strict=True):
            if len(index):
                doc.from_array([NORM], keys[index].reshape(-1, 1))

    def _norm_id(self, orth: int) -> int:
        """The string id of a word's matching key (:meth:`_word_key`), by the word's id."""
        norm = self._norm_ids.get(orth)
        if norm is None:
            key = self._word_key(self.vocab.strings[orth])
            norm = self._norm_ids[orth] = int(self.vocab.strings.add(key))
        return norm

    def _segment_hits(self, segment: Segment, doc: Any, matchers: Sequence[Any]) -> list[Hit]:
        variant_of = self._label_to_variant
        matches = [
            (variant_of[label], start, end)
            for matcher in matchers
            for label, start, end in matcher(doc)
        ]
        if not matches:
            return []
        return self._hits_of(segment, matches, _TokenTable(doc), self._negator_ids)

    def _hits_of(
        self, segment: Segment, matches: list[_Match], tokens: Tokens, negators: Collection[Any]
    ) -> list[Hit]:
        """The segment's hits from its matches, in text order. ``negators`` are what a token's
        ``norm_ids`` entry is compared with (string ids for a Doc, keys for cached words)."""
        by_code: dict[str, list[_Match]] = {}
        code_of = self._variant_code
        for match in matches:
            by_code.setdefault(code_of[match[0]], []).append(match)
        found: list[Hit] = []
        for code_id, code_matches in by_code.items():
            self._code_hits(code_id, code_matches, segment, tokens, negators, found)
        if len(found) > 1:
            found.sort(key=_hit_order)
        return found

    def _code_hits(
        self,
        code_id: str,
        matches: list[_Match],
        segment: Segment,
        tokens: Tokens,
        negators: Collection[Any],
        found: list[Hit],
    ) -> None:
        """Append the code's hits in the segment to ``found``.

        A code without ``not_within`` phrases has no fences to look for, and with ``negation:
        count`` (the default) every hit counts whether or not it is negated: neither is worked
        out for it (most hits of a dense codebook).
        """
        fences: list[tuple[int, int]] = []
        if code_id in self._fenced_codes:
            fence = self._variant_fence
            fences = [(start, end) for variant, start, end in matches if fence[variant]]
            matches = [m for m in matches if not fence[m[0]]]
        mode = self._codes[code_id].negation
        for variant, start, end in self._longest_first(matches):
            if fences and any(a <= start and end <= b for a, b in fences):
                status = STATUS_NOT_WITHIN
            elif mode == "count":
                status = COUNTED
            else:
                rule = self.rules[self.variants[variant].rule]
                negated = rule.negative or _negated(tokens, start, negators)
                if mode == "skip" and negated and not rule.negative:
                    status = NEGATED
                elif mode == "only" and not negated:
                    status = NOT_NEGATED
                else:
                    status = COUNTED
            found.append(self._hit(segment, tokens, variant, start, end, status))

    def _longest_first(self, matches: list[_Match]) -> list[_Match]:
        """Overlapping matches of one code count once: the longest wins (then the earliest)."""
        if len(matches) < 2:  # the common case: nothing to choose between
            return matches
        variants = self.variants
        in_order = sorted(matches, key=lambda m: (m[1], variants[m[0]].rule))
        if all(a[2] <= b[1] for a, b in itertools.pairwise(in_order)):
            return in_order  # nothing overlaps: every match counts
        ordered = sorted(matches, key=lambda m: (m[1] - m[2], m[1], variants[m[0]].rule))
        taken = pick_disjoint(ordered, lambda m: (m[1], m[2]))
        return sorted(taken, key=lambda m: (m[1], variants[m[0]].rule))

    def _hit(
        self, segment: Segment, tokens: Tokens, variant: int, start: int, end: int, status: str
    ) -> Hit:
        start_char = tokens.idx[start]
        end_char = tokens.idx[end - 1] + tokens.length[end - 1]
        key = self._variant_key[variant]
        if key is None:
            key = " ".join(tokens.norm(i) for i in range(start, end) if not tokens.is_space[i])
        return Hit(
            segment.document,
            segment.number,
            self._variant_code[variant],
            segment.start + start_char,
            segment.start + end_char,
            segment.text[start_char:end_char],
            self._described[variant],
            key,
            status,
        )

    def code_document(self, document: Document) -> tuple[list[Hit], list[Coding]]:
        """Hits and the codings they add up to, for one document."""
        hits = self.document_hits(document)
        return hits, codings_from_hits(document, hits, self.codebook)

    def document_hits(self, document: Document) -> list[Hit]:
        """Every hit in the document, taking each code's hits from the hit cache when it can.

        Only the codes whose rules changed since the cached run are matched (none: the
        document is not even tokenized).
        """
        if self.hit_cache is None:
            self.matched_codes[document.name] = frozenset(self.signatures)
            return self.match_document(document)
        informant = informant_key(document)
        texts = (s.text for s in document.segments if not s.is_interviewer)
        probes = self.hit_cache.load_probes(informant) if self.normaliser.extra_roots else {}
        searched = len(probes)
        key = document_key(informant, self.normaliser.roots_in(texts, probes))
        if len(probes) > searched:
            self.hit_cache.save_probes(informant, probes)
        entry = self.hit_cache.load(key)
        hits: list[Hit] = []
        missing = set()
        for code, signature in self.signatures.items():
            rows = entry.get(signature)
            try:
                hits.extend(from_rows(document, code, rows or ()))
            except (TypeError, ValueError):  # a damaged entry: match the code again
                rows = None
            if rows is None:
                missing.add(code)
        self.matched_codes[document.name] = frozenset(missing)
        if not missing:
            hits.sort(key=_hit_order)
            return hits
        fresh = self.match_document(document, missing)
        hits.extend(fresh)
        hits.sort(key=_hit_order)
        found: dict[str, list[Hit]] = {code: [] for code in missing}
        for hit in fresh:
            found[hit.code].append(hit)
        self.hit_cache.save(
            key,
            {
                signature: to_rows(found[code]) if code in missing else entry[signature]
                for code, signature in self.signatures.items()
            },
        )
        return hits

    def _code_signatures(self) -> dict[str, str]:
        """A hash per code of everything its hits depend on, the document aside."""
        from qualcode import __version__

        shared = [
            __version__,
            spacy_version(),
            self.codebook.language,
            self.normaliser.settings_fingerprint,  # extra roots: see document_hits
            NEGATION_WINDOW,
            sorted(self.negator_keys),
        ]
        parts: dict[str, list[Any]] = {code.id: [code.negation] for code in self.codebook.walk()}
        first_rule: dict[str, int] = {}
        for index, variant in enumerate(self.variants):
            rule = self.rules[variant.rule]
            first = first_rule.setdefault(rule.code, variant.rule)
            parts[rule.code].append(
                [
                    variant.rule - first,  # the rule's place in its code (breaks ties)
                    rule.kind,
                    rule.negative,
                    self._described[index],
                    variant.matcher,
                    variant.words,
                    variant.keys,
                    variant.tokens,
                ]
            )
        signatures = {}
        for code, part in parts.items():
            text = json.dumps([shared, code, part], sort_keys=True, ensure_ascii=False)
            signatures[code] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        return signatures


def _negated(tokens: Tokens, start: int, negators: Collection[Any]) -> bool:
    """A negator up to NEGATION_WINDOW words before ``start``, in the same clause."""
    seen = 0
    index = start - 1
    while index >= 0 and seen < NEGATION_WINDOW:
        if tokens.is_space[index]:
            index -= 1
            continue
        if tokens.is_punct[index] and tokens.text(index) != "-":
            return False
        if tokens.norm_ids[index] in negators:
            return True
        seen += 1
        index -= 1
    return False


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
        self.idx, self.length, self.is_punct, self.is_space, self.norm_ids = columns
        self._strings = doc.vocab.strings
        self._doc = doc

    def norm(self, index: int) -> str:
        return str(self._strings[self.norm_ids[index]])

    def text(self, index: int) -> str:
        return str(self._doc[index].text)


class _WordTable:
    """A cached text's tokens as :class:`_TokenTable` offers a Doc's, from its words and the
    spaces after them (``norm_ids`` holds the keys themselves). Flags and keys are worked out
    only for the few tokens a hit looks at."""

    def __init__(self, words: list[str], spaces: Sequence[bool], key_of: Callable[[str], str]):
        self.words = words
        self.length = _PerWord(words, len)
        self.idx = [0, *itertools.accumulate(map(operator.add, map(len, words), spaces))]
        self.is_space = _PerWord(words, str.isspace)
        self.is_punct = _PerWord(words, is_punct)
        self.norm_ids = _PerWord(words, key_of)

    def norm(self, index: int) -> str:
        return str(self.norm_ids[index])

    def text(self, index: int) -> str:
        return self.words[index]


class _PerWord:
    """``of(word)`` for each word, worked out when asked for."""

    __slots__ = ("_of", "_words")

    def __init__(self, words: list[str], of: Callable[[str], Any]) -> None:
        self._words = words
        self._of = of

    def __getitem__(self, index: int) -> Any:
        return self._of(self._words[index])


#: What hits are made from: a Doc's tokens or a cached text's.
Tokens = _TokenTable | _WordTable


class _Subset:
    """What matching a set of codes needs (None: every code), each part built on first use."""

    def __init__(self, owner: CodebookMatcher, variants: list[int]) -> None:
        self._owner = owner
        self._variants = variants

    @functools.cached_property
    def matchers(self) -> list[Any]:
        """spaCy's matchers holding these codes' variants."""
        return self._owner._matchers(self._variants)

    @functools.cached_property
    def phrases(self) -> PhraseIndex | None:
        """The variants as a :class:`PhraseIndex`; None when a variant is a token pattern (a
        prefix keyword's aside) or two variants of one rule are the same phrase (which of them
        a hit names would then depend on spaCy's internal order)."""
        owner = self._owner
        patterns: list[tuple[int, str, tuple[str, ...]]] = []
        seen: set[tuple[int, str, tuple[str, ...]]] = set()
        for index in self._variants:
            variant = owner.variants[index]
            compared = phrase_pattern(variant) if variant.words else None
            if compared is None or (variant.rule, *compared) in seen:
                return None
            seen.add((variant.rule, *compared))
            patterns.append((index, *compared))
        return PhraseIndex(patterns)


def _groups(document: Document) -> Iterator[tuple[list[Segment], list[str]]]:
    """The document's informant segments in groups (:func:`_batches`), each with the texts
    the tokenizer sees (line breaks as spaces)."""
    segments = [s for s in document.segments if not s.is_interviewer]
    for group in _batches(segments, BATCH_CHARS):
        yield group, [s.text.translate(_WHITESPACE) for s in group]


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


def auto_coding(
    document: Document, segment: Segment, code: str, hits: int, matched: tuple[str, ...]
) -> Coding:
    """The auto-coding of ``segment`` by ``code``: ``hits`` counted hits, the distinct texts
    they ``matched``."""
    return Coding(
        document.name,
        segment.number,
        segment.speaker,
        segment.start,
        segment.end,
        code,
        "auto",
        hits,
        matched,
        segment.text,
    )


def codings_from_hits(document: Document, hits: Sequence[Hit], codebook: Codebook) -> list[Coding]:
    """A coding per (segment, code) whose counted hits reach the code's ``min_hits``."""
    order = {code.id: index for index, code in enumerate(codebook.walk())}
    minimum = {code.id: code.min_hits for code in codebook.walk()}
    segments = {s.number: s for s in document.segments}
    grouped: dict[tuple[int, str], list[str]] = defaultdict(list)  # the matched texts
    for _, number, code, _, _, text, _, _, status in hits:  # unpacked: faster than by name
        if status == COUNTED:
            grouped[(number, code)].append(text)
    codings: list[Coding] = []
    for (number, code_id), matched in sorted(
        grouped.items(), key=lambda kv: (kv[0][0], order[kv[0][1]])
    ):
        if len(matched) < minimum[code_id]:
            continue
        distinct = tuple(dict.fromkeys(matched))
        codings.append(auto_coding(document, segments[number], code_id, len(matched), distinct))
    return codings
