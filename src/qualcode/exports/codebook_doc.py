"""A codebook as a document for a thesis appendix: Markdown, HTML or an XLSX workbook.

Each code is shown with its definition, when to apply it and when not, examples and the rules
(keywords, patterns, not-within phrases). Labels follow the codebook's language (Indonesian or
English) unless asked otherwise. HTML is rendered by jinja2 with autoescaping on; the XLSX file is
the spreadsheet form `qualcode codebook convert` reads back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from qualcode.codebook.schema import Code, Codebook
from qualcode.codebook.writer import codebook_rows, keyword_cell, settings_rows

FORMATS = ("md", "html", "xlsx")

_LABELS: dict[str, tuple[str, str]] = {
    # key: (Indonesian, English)
    "codebook": ("Buku kode", "Codebook"),
    "language": ("Bahasa", "Language"),
    "version": ("Versi", "Version"),
    "codes": ("Kode", "Codes"),
    "overview": ("Ikhtisar", "Overview"),
    "code": ("Kode", "Code"),
    "name": ("Nama", "Name"),
    "keywords": ("Kata kunci", "Keywords"),
    "description": ("Definisi", "Definition"),
    "include": ("Diterapkan bila", "Apply when"),
    "exclude": ("Tidak diterapkan bila", "Do not apply when"),
    "examples": ("Contoh", "Examples"),
    "patterns": ("Pola token", "Token patterns"),
    "not_within": ("Tidak dihitung di dalam", "Not counted inside"),
    "rules": ("Aturan", "Rules"),
    "negation": ("negasi", "negation"),
    "min_hits": ("kecocokan minimum", "minimum hits"),
    "children": ("Subkode", "Subcodes"),
    "overrides": ("Kunci yang ditetapkan", "Key overrides"),
    "protect": ("Kata yang tidak di-stem", "Words never stemmed"),
    "id": ("Indonesia (id)", "Indonesian (id)"),
    "en": ("Inggris (en)", "English (en)"),
    "exact": ("persis", "exact"),
}
_NEGATION = {
    "skip": ("kecocokan yang dinegasikan tidak dihitung", "negated hits are not counted"),
    "only": ("hanya kecocokan yang dinegasikan dihitung", "only negated hits are counted"),
}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def labels(language: str) -> dict[str, str]:
    index = 0 if language == "id" else 1
    return {key: pair[index] for key, pair in _LABELS.items()}


@dataclass(frozen=True)
class CodeView:
    """One code, prepared for a template (plain strings, nothing pre-escaped)."""

    id: str
    name: str
    depth: int
    parent: str
    description: str
    include: str
    exclude: str
    examples: tuple[str, ...]
    keywords: tuple[str, ...]
    patterns: tuple[str, ...]
    not_within: tuple[str, ...]
    settings: tuple[str, ...]
    color: str
    children: tuple[str, ...]


def code_views(codebook: Codebook, language: str) -> list[CodeView]:
    words = labels(language)
    index = 0 if language == "id" else 1
    parents = codebook.parent_ids()
    views = []
    for code in codebook.walk():
        depth, parent = 0, parents[code.id]
        while parent is not None:
            depth, parent = depth + 1, parents[parent]
        views.append(
            CodeView(
                id=code.id,
                name=code.name,
                depth=depth,
                parent=parents[code.id] or "",
                description=code.description,
                include=code.include,
                exclude=code.exclude,
                examples=code.examples,
                keywords=tuple(_keyword_text(k, words) for k in code.keywords),
                patterns=tuple(p.label() for p in code.patterns),
                not_within=code.not_within,
                settings=_settings(code, words, index),
                color=code.color or "",
                children=tuple(c.id for c in code.children),
            )
        )
    return views


def _keyword_text(keyword: Any, words: dict[str, str]) -> str:
    cell = keyword_cell(keyword)
    return cell.replace("(exact", f"({words['exact']}") if words["exact"] != "exact" else cell


def _settings(code: Code, words: dict[str, str], index: int) -> tuple[str, ...]:
    settings = []
    if code.negation != "count":
        settings.append(f"{words['negation']}: {_NEGATION[code.negation][index]}")
    if code.min_hits != 1:
        settings.append(f"{words['min_hits']}: {code.min_hits}")
    return tuple(settings)


def _md(text: str) -> str:
    """Escape Markdown markup characters; keep line breaks as Markdown hard breaks."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text.strip())
    return "  \n".join(line.strip() for line in escaped.splitlines())


def codebook_markdown(codebook: Codebook, *, language: str | None = None) -> str:
    """The codebook as Markdown (pandoc turns it into .docx for a thesis)."""
    lang = language or codebook.language
    words = labels(lang)
    views = code_views(codebook, lang)
    out = [f"# {words['codebook']}: {_md(codebook.name)}", ""]
    if codebook.description:
        out += [_md(codebook.description), ""]
    meta = [f"{words['language']}: {words[codebook.language]}"]
    if codebook.version:
        meta.append(f"{words['version']}: {_md(codebook.version)}")
    meta.append(f"{len(views)} {words['codes'].lower()}")
    out += [" · ".join(meta), ""]
    out += [f"## {words['overview']}", ""]
    out += [f"| {words['code']} | {words['name']} | {words['keywords']} |", "|---|---|---|"]
    for view in views:
        indent = "&nbsp;&nbsp;" * view.depth
        out.append(f"| {indent}`{view.id}` | {_md(view.name)} | {len(view.keywords)} |")
    out += ["", f"## {words['codes']}", ""]
    for view in views:
        level = "#" * min(6, 3 + view.depth)
        out += [f"{level} `{view.id}` — {_md(view.name)}", ""]
        for field in ("description", "include", "exclude"):
            value = getattr(view, field)
            if value:
                out += [f"**{words[field]}:** {_md(value)}", ""]
        if view.examples:
            out += [f"**{words['examples']}:**", ""]
            out += [f"> {_md(example)}\n" for example in view.examples]
        if view.keywords:
            out += [f"**{words['keywords']}:** " + ", ".join(_md(k) for k in view.keywords), ""]
        if view.patterns:
            out += [f"**{words['patterns']}:** " + ", ".join(_md(p) for p in view.patterns), ""]
        if view.not_within:
            joined = ", ".join(_md(p) for p in view.not_within)
            out += [f"**{words['not_within']}:** {joined}", ""]
        if view.settings:
            out += [f"**{words['rules']}:** " + "; ".join(_md(s) for s in view.settings), ""]
        if view.children:
            out += [f"**{words['children']}:** " + ", ".join(f"`{c}`" for c in view.children), ""]
    if codebook.overrides:
        pairs = ", ".join(f"{_md(k)} → {_md(v)}" for k, v in codebook.overrides.items())
        out += [f"**{words['overrides']}:** {pairs}", ""]
    if codebook.protect:
        out += [f"**{words['protect']}:** " + ", ".join(_md(w) for w in codebook.protect), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def codebook_html(codebook: Codebook, *, language: str | None = None) -> str:
    """The codebook as one self-contained HTML page (every text escaped by jinja2)."""
    from importlib.resources import files

    import jinja2

    lang = language or codebook.language
    template_text = files("qualcode").joinpath("data/codebook.html.j2").read_text("utf-8")
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = environment.from_string(template_text)
    return template.render(
        codebook=codebook,
        codes=code_views(codebook, lang),
        words=labels(lang),
        lang=lang,
    )


def codebook_xlsx(codebook: Codebook) -> bytes:
    """The codebook as a workbook: sheet ``codes`` (one row per code) and sheet ``settings``."""
    from qualcode.exports.xlsx import SheetData, workbook_bytes

    header, rows = codebook_rows(codebook)
    widths = {"id": 28, "parent": 20, "name": 30, "keywords": 40, "examples": 50}
    return workbook_bytes(
        [
            SheetData("codes", [header, *rows], [widths.get(c, 36) for c in header]),
            SheetData("settings", settings_rows(codebook), [14, 60]),
        ]
    )
