"""Pseudonymise informants: ``qualcode code --redact``.

Names come from every document (in name order): the front-matter ``informant`` value(s), the
informants' speaker labels (never the interviewer's) and the front-matter ``redact`` list (a
string or a list; items separated by ``;`` or ``,``). A name is cleaned before use: text in
parentheses and after the first comma is dropped (``Ibu Hj. Rahmawati, S.E.`` ->
``Rahmawati``), so are leading honorifics (:data:`HONORIFICS`: Pak, Bu, Bapak, Ibu, H., Hj.,
Kak, Mas, Dr., ...). Names shorter than 3 characters (labels like ``A`` or ``P1``) and names
that already are pseudonyms (``Informan 2``) are left alone; the numbers of the latter are not
handed out again.

Each person gets one pseudonym, ``Informan N`` (``Informant N`` for English codebooks), numbered
in order of first appearance. One person has several forms: a cleaned name, each word of a
multi-word informant or ``redact`` name (``Hendra Saputra`` -> also ``Hendra`` and
``Saputra``), and the document's only informant label when the document has exactly one
informant and one informant label (``informant: Ibu Rahmawati`` with turns by ``Bu Rahma``).

In text every form is replaced as a whole word, longest first, together with any honorifics in
front of it (``Pak Hendra`` -> ``Informan 1``). Full names match in any case; a single word of a
longer name only when it is capitalised or follows an honorific (so ``Indah`` the name goes,
``indah`` the word stays). Replacement happens on the body *before* segmentation, so offsets stay
exact. Document names are pseudonymised the same way (``wawancara_bu_rahmi.txt`` ->
``wawancara_informan_1.txt``). The mapping goes to a key file (:func:`key_rows`) that is written
outside the output folder and never enters a report.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.models import Document

#: Front-matter keys read for names (compared case-insensitively).
INFORMANT_KEY = "informant"
REDACT_KEY = "redact"
#: The key file's default name, in the folder that holds the output folder.
KEY_FILE = "redaction_key.csv"
KEY_COLUMNS = ("pseudonym", "original", "found_as", "document")
#: Words dropped from the front of a name (compared without a final dot, case-insensitively).
HONORIFICS = frozenset(
    {
        *("bapak", "pak", "bpk", "ibu", "bu", "mas", "mbak", "mba", "kak", "kakak", "bang"),
        *("abang", "adik", "dik", "om", "tante", "saudara", "saudari", "sdr", "sdri", "tuan"),
        *("nyonya", "ny", "tn", "haji", "hajjah", "hajah", "hj", "h", "ustadz", "ustaz", "ust"),
        *("ustadzah", "kh", "dr", "drs", "dra", "ir", "prof", "mr", "mrs", "ms", "miss", "sir"),
    }
)
MIN_NAME_CHARS = 3
PSEUDONYM_WORD = {"id": "Informan", "en": "Informant"}
_PSEUDONYM = re.compile(r"(?:informan|informant)(?:\s+(\d+))?", re.IGNORECASE)
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_END = ""
_Trie = dict[str, "_Trie"]


@dataclass
class _Person:
    pseudonym: str
    forms: dict[str, bool] = field(default_factory=dict)  # key -> full name (else a name part)


@dataclass(frozen=True, slots=True)
class KeyRow:
    pseudonym: str
    original: str
    found_as: str  # informant | speaker | redact | name part | file name
    document: str  # the (original) document where it was first found


def default_key_path(out_dir: Path) -> Path:
    """``OUT/../redaction_key.csv``: beside the output folder, never inside it."""
    return Path(out_dir).resolve().parent / KEY_FILE


def core_name(name: str) -> str:
    """A name without parentheses, what follows a comma, and leading honorifics."""
    cleaned = _PARENTHESES.sub(" ", name).split(",")[0]
    words = cleaned.split()
    while words and words[0].rstrip(".").casefold() in HONORIFICS:
        words.pop(0)
    return " ".join(words)


def _key(text: str) -> str:
    return " ".join(text.split()).lower()


def _items(value: str, separators: str) -> list[str]:
    return [item.strip() for item in re.split(f"[{separators}]", value) if item.strip()]


def _attribute(document: Document, name: str) -> str:
    return next((v for k, v in document.attributes.items() if k.casefold() == name), "")


def _names(document: Document) -> tuple[list[str], list[str], list[str]]:
    """A document's informant value(s), informant speaker labels and ``redact`` list."""
    labels = (s.speaker for s in document.segments if s.speaker and not s.is_interviewer)
    return (
        _items(_attribute(document, INFORMANT_KEY), ";"),
        list(dict.fromkeys(labels)),
        _items(_attribute(document, REDACT_KEY), ";,"),
    )


class Redactor:
    """The pseudonyms of one run, built from its documents (unredacted), and their use."""

    def __init__(self, language: str = "id") -> None:
        self.word = PSEUDONYM_WORD.get(language, PSEUDONYM_WORD["id"])
        self.people: list[_Person] = []
        self.rows: list[KeyRow] = []
        self.documents: dict[str, str] = {}  # original document name -> pseudonymised name
        self._forms: dict[str, _Person] = {}
        self._rows_seen: set[tuple[str, str]] = set()
        self._reserved: set[int] = set()
        self._text: re.Pattern[str] | None = None
        self._names: re.Pattern[str] | None = None

    @classmethod
    def from_documents(
        cls, documents: Sequence[Document], names: Iterable[str] = (), *, language: str = "id"
    ) -> Redactor:
        """Collect the names of ``documents`` and pseudonymise the document ``names``."""
        redactor = cls(language)
        ordered = sorted(documents, key=lambda d: d.name)
        for document in ordered:
            for name in (name for names in _names(document) for name in names):
                match = _PSEUDONYM.fullmatch(core_name(name))
                if match and match.group(1):
                    redactor._reserved.add(int(match.group(1)))
        for document in ordered:
            redactor._collect(document)
        redactor._compile()
        redactor._rename(sorted({*names, *(d.name for d in documents)}))
        return redactor

    def _collect(self, document: Document) -> None:
        informants, labels, redact = _names(document)
        named_labels = [label for label in labels if self._is_name(label)]
        own: list[_Person] = []
        for value in informants:
            if self._is_name(value):
                own.append(self._person(value, "informant", document.name, parts=True))
        for label in named_labels:
            key = _key(core_name(label))
            if key in self._forms:
                person = self._forms[key]
            elif len(own) == 1 and len(named_labels) == 1:
                person = own[0]  # one informant, one label: the same person
            else:
                person = self._new_person()
            self._add_form(person, label, "speaker", document.name, full=True)
        for value in redact:
            if self._is_name(value):
                self._person(value, "redact", document.name, parts=True)

    def _is_name(self, name: str) -> bool:
        core = core_name(name)
        return len(core) >= MIN_NAME_CHARS and _PSEUDONYM.fullmatch(core) is None

    def _new_person(self) -> _Person:
        number = next(n for n in itertools.count(1) if n not in self._reserved)
        self._reserved.add(number)
        person = _Person(f"{self.word} {number}")
        self.people.append(person)
        return person

    def _person(self, name: str, found_as: str, document: str, *, parts: bool) -> _Person:
        core = core_name(name)
        person = self._forms.get(_key(core)) or self._new_person()
        self._add_form(person, name, found_as, document, full=True)
        if parts and len(core.split()) > 1:
            for word in core.split():
                if self._is_name(word) and word.rstrip(".").casefold() not in HONORIFICS:
                    self._add_form(person, word, "name part", document, full=False)
        return person

    def _add_form(
        self, person: _Person, name: str, found_as: str, document: str, *, full: bool
    ) -> None:
        key = _key(core_name(name))
        if key in self._forms and self._forms[key] is not person:
            return  # the form names someone else first
        if key not in person.forms or (full and not person.forms[key]):
            person.forms[key] = full
        self._forms[key] = person
        if (name, person.pseudonym) not in self._rows_seen:
            self._rows_seen.add((name, person.pseudonym))
            self.rows.append(KeyRow(person.pseudonym, name, found_as, document))

    def _compile(self) -> None:
        if not self._forms:
            return
        honorifics = _trie_pattern(sorted(HONORIFICS - {"h"}), r"[ \t]+")
        text_core = _trie_pattern(self._forms, r"[ \t]+")
        self._text = re.compile(
            rf"(?<!\w)(?P<prefix>(?:(?:{honorifics})(?:\.[ \t]*|[ \t]+)|h\.[ \t]*)*)"
            rf"(?P<core>{text_core})(?!\w)",
            re.IGNORECASE,
        )
        name_core = _trie_pattern(self._forms, r"[ _.\-]+")
        self._names = re.compile(
            rf"(?<![^\W_])(?:(?:{honorifics})[ _.\-]+)*(?P<core>{name_core})(?![^\W_])",
            re.IGNORECASE,
        )

    def _lookup(self, core: str) -> tuple[_Person, bool] | None:
        person = self._forms.get(_key(core))
        if person is None:  # a case mapping lower() does not undo: compare case-insensitively
            for key, candidate in self._forms.items():
                if re.fullmatch(re.escape(key).replace(r"\ ", r"\s+"), core, re.IGNORECASE):
                    person = candidate
                    break
            else:
                return None
        return person, person.forms.get(_key(core), True)

    def text(self, text: str) -> str:
        """``text`` with every name replaced by its pseudonym."""
        if self._text is None or not text:
            return text

        def replace(match: re.Match[str]) -> str:
            found = self._lookup(match.group("core"))
            if found is None:
                return match.group()
            person, full = found
            if not full and not match.group("prefix") and not match.group("core")[0].isupper():
                return match.group()  # a lower-case word that is also part of a name
            return person.pseudonym

        return self._text.sub(replace, text)

    def document_name(self, name: str) -> str:
        """The pseudonymised name of a document (a name not seen before is redacted too)."""
        return self.documents.get(name) or self._redact_name(name)

    def _redact_name(self, name: str) -> str:
        if self._names is None:
            return name
        folder, _, base = name.rpartition("/")
        stem, dot, suffix = base.rpartition(".") if "." in base else (base, "", "")

        def replace(match: re.Match[str]) -> str:
            found = self._lookup(re.sub(r"[ _.\-]+", " ", match.group("core")))
            if found is None:
                return match.group()
            pseudonym = found[0].pseudonym.replace(" ", "_")
            return pseudonym.lower() if match.group() == match.group().lower() else pseudonym

        redacted = self._names.sub(replace, f"{folder}/{stem}" if folder else stem)
        return f"{redacted}{dot}{suffix}"

    def _rename(self, names: Sequence[str]) -> None:
        taken = set(names)
        for name in names:
            new = self._redact_name(name)
            if new != name:
                stem, dot, suffix = new.rpartition(".") if "." in new else (new, "", "")
                number = 2
                while new in taken:
                    new = f"{stem}_{number}{dot}{suffix}"
                    number += 1
                taken.add(new)
                self.rows.append(KeyRow(new, name, "file name", name))
            self.documents[name] = new

    def key_rows(self) -> list[KeyRow]:
        """The key file's rows: persons in pseudonym order, then renamed documents."""
        order = {person.pseudonym: index for index, person in enumerate(self.people)}
        people = [r for r in self.rows if r.found_as != "file name"]
        files = [r for r in self.rows if r.found_as == "file name"]
        return sorted(people, key=lambda r: order[r.pseudonym]) + files


def _trie_pattern(words: Iterable[str], separator: str) -> str:
    """A regex matching any of ``words`` (lower case, spaces between words), longest first."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}
    return _node_pattern(trie, separator)


def _node_pattern(node: _Trie, separator: str) -> str:
    branches = [
        (separator if char == " " else re.escape(char)) + _node_pattern(child, separator)
        for char, child in sorted(node.items())
        if char != _END
    ]
    if not branches:
        return ""
    optional = _END in node
    if len(branches) == 1 and not optional:
        return branches[0]
    return "(?:" + "|".join(branches) + ")" + ("?" if optional else "")
