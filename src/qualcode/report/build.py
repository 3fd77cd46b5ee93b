"""Build the report's context from an output folder, and render it to one HTML string."""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from qualcode import __version__
from qualcode.errors import QualcodeError
from qualcode.outputs import OutputFolder
from qualcode.report.checks import Staleness, unknown_codes
from qualcode.report.context import CodeQuotes, CodeRef, Filters, Meta, Notices, Option, Report
from qualcode.report.labels import LANGUAGES, labels
from qualcode.report.provenance import origin_options, review_block
from qualcode.report.quotes import QuoteBuilder, appendix
from qualcode.report.tables import code_refs, frequency_rows, matrices, overview

if TYPE_CHECKING:
    import jinja2

#: Matches the search opens at most (beyond that it asks for a narrower search).
OPEN_CAP = 500


def build_report(
    folder: OutputFolder, *, lang: str | None = None, stale: Staleness | None = None
) -> Report:
    """The report context for ``folder``, labels in ``lang`` (default: the codebook's).

    ``stale`` (from :func:`qualcode.report.checks.staleness`) says which input files changed
    since the run; the report warns about them at the top. None: nothing is checked on disk.
    """
    language = lang or folder.codebook.language
    if language not in LANGUAGES:
        raise QualcodeError(f"report language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    t = labels(language)
    refs = code_refs(folder.codebook)
    builder = QuoteBuilder(folder, refs, t)
    quotes = builder.code_quotes()
    uncoded = builder.uncoded()
    style, script = _asset("report.css"), _asset("report.js")
    book = folder.manifest.get("codebook") or {}
    sha = str(book.get("sha256") or folder.codebook.sha256) if isinstance(book, dict) else ""
    meta = Meta(
        lang=language,
        title=folder.codebook.name,
        codebook_name=folder.codebook.name,
        codebook_version=folder.codebook.version,
        codebook_language=folder.codebook.language,
        codebook_sha=sha[:12],
        qualcode_version=_producer(folder),
        csp=content_security_policy(script),
    )
    stale = stale or Staleness()
    review = review_block(folder)
    return Report(
        meta=meta,
        t=t,
        overview=overview(folder, t),
        review=review,
        notices=Notices(stale.codebook, stale.transcripts, unknown_codes(folder)),
        codes=frequency_rows(folder, refs),
        matrices=matrices(folder, refs, t),
        facets=builder.facets(),
        quotes=quotes,
        total_quotes=sum(q.total for q in quotes),
        uncoded=uncoded,
        uncoded_total=sum(len(d.turns) for d in uncoded),
        appendix=appendix(folder, refs, t),
        filters=_filters(folder, refs, quotes, origin_options(review, t)),
        data=_script_data(folder, t),
        style=Markup(style),
        script=Markup(script),
    )


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page."""
    return _environment().get_template("report.html.j2").render(r=report, t=report.t)


def content_security_policy(script: str) -> str:
    """Nothing may load from anywhere; only the page's own script (by hash) may run."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; img-src data:; base-uri 'none'; form-action 'none'"
    )


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("qualcode.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    env.filters["ticks"] = ticks
    return env


def ticks(text: str) -> Markup:
    """``text`` escaped, with each `backticked` part set as ``<code>`` (the label's commands)."""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))


@functools.cache
def _asset(name: str) -> str:
    text = (resources.files("qualcode.report") / "templates" / name).read_text("utf-8")
    if any(bad in text.lower() for bad in ("</script", "</style", "<!--")):
        raise AssertionError(f"{name} must not close its element (it is inlined in the page)")
    return text


def _producer(folder: OutputFolder) -> str:
    versions = folder.manifest.get("versions") or {}
    produced = versions.get("qualcode") if isinstance(versions, dict) else None
    return str(produced or __version__)


def _filters(
    folder: OutputFolder,
    refs: Mapping[str, CodeRef],
    quotes: Sequence[CodeQuotes],
    origins: tuple[Option, ...],
) -> Filters:
    with_quotes = {q.code.id for q in quotes if q.total}
    codes = tuple(
        Option(ref.id, "\u2003" * ref.depth + ref.name)
        for ref in refs.values()
        if any(c == ref.id or c.startswith(ref.id + ".") for c in with_quotes)
    )
    documents = tuple(Option(str(i), doc.name) for i, doc in enumerate(folder.documents))
    attributes = tuple(
        Option(str(i), f"{name}: {value}")
        for i, (name, value) in enumerate(_attribute_pairs(folder))
    )
    return Filters(codes, documents, attributes, origins)


def _attribute_pairs(folder: OutputFolder) -> list[tuple[str, str]]:
    pairs: dict[tuple[str, str], None] = {}
    for name in folder.attributes:
        for doc in folder.documents:
            if doc.attributes.get(name):
                pairs[(name, doc.attributes[name])] = None
    return list(pairs)


def _script_data(folder: OutputFolder, t: dict[str, str]) -> dict[str, Any]:
    """What the page's script needs, passed through ``tojson`` (never as raw markup)."""
    docs_with = [
        [i for i, doc in enumerate(folder.documents) if doc.attributes.get(name) == value]
        for name, value in _attribute_pairs(folder)
    ]
    return {
        "attributes": docs_with,
        "cap": OPEN_CAP,
        "labels": {key: t[key] for key in ("shown", "capped")},
    }
