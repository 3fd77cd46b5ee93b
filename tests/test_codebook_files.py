"""`qualcode codebook export` (md, html, xlsx) and `qualcode codebook convert` (yaml/csv/xlsx)."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from .conftest import REPO, SMALL_CODEBOOK, write

Invoke = Callable[..., Result]

TRICKY = textwrap.dedent(
    """\
    name: "Uji <script>alert(1)</script>"
    language: en
    version: "2"
    description: |
      Two lines,
      with *stars* and a | pipe.
    overrides: {perbankan: bank}
    protect: [RAT]
    negators: [not, never]
    codes:
      - id: a
        name: "A & <b>B</b>"
        description: "=HYPERLINK(\\"http://x\\")"
        include: Apply when it says so.
        exclude: Not otherwise.
        examples: ["one | with a pipe"]
        color: "#1f77b4"
        facets: {level: strategy}
        keywords:
          - kerja sama
          - "pinjol*"
          - {text: RAT, exact: true, case_sensitive: true}
          - {text: KUR, exact: true}
        patterns:
          - [{LOWER: bank}, {LOWER: keliling}]
          - {name: named, pattern: [{NORM: lintah}]}
        not_within: [anggota DPRD]
        negation: only
        min_hits: 2
        children:
          - id: a.b
            name: Child
            examples: [first, second]
    """
)


def dump(codebook: Any) -> dict[str, Any]:
    data: dict[str, Any] = codebook.model_dump()
    data.pop("path")
    data.pop("sha256")
    return data


@pytest.fixture
def tricky(tmp_path: Path) -> Path:
    return write(tmp_path / "tricky.yaml", TRICKY)


# --- convert -----------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".yaml", ".xlsx"])
def test_round_trip_keeps_everything(
    tmp_path: Path, tricky: Path, cli_invoke: Invoke, suffix: str
) -> None:
    from qualcode.codebook import load_codebook
    from qualcode.codebook.tabular import load_any_codebook

    cli_invoke("codebook", "convert", str(tricky), f"middle{suffix}")
    cli_invoke("codebook", "convert", f"middle{suffix}", "back.yaml")
    assert dump(load_codebook(tmp_path / "back.yaml")) == dump(load_codebook(tricky))
    assert dump(load_any_codebook(tmp_path / f"middle{suffix}")) == dump(load_codebook(tricky))
    text = (tmp_path / "back.yaml").read_text("utf-8")
    assert text.startswith("# Converted by `qualcode codebook convert`")
    assert "description: |-\n  Two lines," in text  # multi-line text as a block


def test_csv_round_trip_keeps_the_codes(tmp_path: Path, tricky: Path, cli_invoke: Invoke) -> None:
    from qualcode.codebook import load_codebook

    result = cli_invoke("codebook", "convert", str(tricky), "codes.csv")
    assert "not kept: name, language, version, description, overrides, protect" in result.stderr
    raw = (tmp_path / "codes.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "'=HYPERLINK" in raw.decode("utf-8")  # neutralised for spreadsheets
    header = raw.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("id,parent,name,description,include,exclude,examples,keywords,")
    cli_invoke("codebook", "convert", "codes.csv", "back.yaml", "--language", "en")
    back, original = load_codebook(tmp_path / "back.yaml"), load_codebook(tricky)
    assert dump(back)["codes"] == dump(original)["codes"]
    assert back.name == "codes" and back.language == "en"


def test_bundled_codebook_round_trips(tmp_path: Path, cli_invoke: Invoke) -> None:
    from qualcode.codebook import load_codebook

    source = REPO / "codebooks" / "koperasi.yaml"
    cli_invoke("codebook", "convert", str(source), "k.xlsx")
    cli_invoke("codebook", "convert", "k.xlsx", "k.yaml")
    assert dump(load_codebook(tmp_path / "k.yaml")) == dump(load_codebook(source))


def test_hand_written_csv(tmp_path: Path, cli_invoke: Invoke) -> None:
    """Excel in an Indonesian locale writes ';'-separated CSV; parents may be implied by ids."""
    write(
        tmp_path / "buku.csv",
        "id;parent;name;keywords;examples\n"
        "strategi;;Strategi;;\n"
        'strategi.kerjasama;;Kerja sama;"kerja sama; kemitraan; RAT (exact)";'
        '"Kami bekerja sama | Dengan bank"\n'
        "kendala;;Kendala;;\n"
        "kendala.hambatan;kendala;Hambatan;rentenir;\n"
        ";;;;\n",
    )
    cli_invoke("codebook", "convert", "buku.csv", "buku.yaml", "--name", "Buku")
    from qualcode.codebook import load_codebook

    book = load_codebook(tmp_path / "buku.yaml")
    assert book.name == "Buku"
    assert [c.id for c in book.walk()] == [
        "strategi",
        "strategi.kerjasama",
        "kendala",
        "kendala.hambatan",
    ]
    kerjasama = book.code("strategi.kerjasama")
    assert [k.label() for k in kerjasama.keywords] == ["kerja sama", "kemitraan", "RAT"]
    assert kerjasama.keywords[2].exact and not kerjasama.keywords[2].case_sensitive
    assert kerjasama.examples == ("Kami bekerja sama", "Dengan bank")


def test_spreadsheet_errors_name_row_and_column(tmp_path: Path, cli_invoke: Invoke) -> None:
    write(
        tmp_path / "bad.csv",
        "id,parent,name,keywords,negation,patterns\n"
        "a,,A,kerja * sama,,\n"  # row 2: '*' in the middle
        "a.b,zzz,Child,,sometimes,\n"  # row 3: unknown parent, bad negation
        "c,,,,,\n"  # row 4: no name
        'd,,D,,,"[{""LOWER"": "\n',  # row 5: broken JSON
    )
    result = cli_invoke("codebook", "convert", "bad.csv", "out.yaml", expect_exit=1)
    err = result.stderr
    assert "bad.csv: row 2, column keywords, item 1: '*' is only allowed once" in err
    assert "bad.csv: row 3, column parent: 'zzz' is not the id of any row" in err
    assert "bad.csv: row 3, column negation:" in err
    assert "bad.csv: row 4, column name: required but missing" in err
    assert "bad.csv: row 5, column patterns: not JSON" in err
    assert not (tmp_path / "out.yaml").exists()


def test_unknown_column_did_you_mean(tmp_path: Path, cli_invoke: Invoke) -> None:
    write(tmp_path / "bad.csv", "id,name,keyword\na,A,x\n")
    result = cli_invoke("codebook", "check", "bad.csv", expect_exit=1)
    assert "row 1, column 3: unknown column 'keyword' (did you mean 'keywords'?)" in result.stderr


def test_parent_loop_is_reported(tmp_path: Path, cli_invoke: Invoke) -> None:
    write(tmp_path / "loop.csv", "id,parent,name\nx,y,X\ny,x,Y\nz,,Z\n")
    result = cli_invoke("codebook", "convert", "loop.csv", "out.yaml", expect_exit=1)
    assert "row 2: 'x' is its own ancestor" in result.stderr


def test_xlsx_settings_sheet_errors_are_located(tmp_path: Path, cli_invoke: Invoke) -> None:
    from qualcode.exports.xlsx import SheetData, workbook_bytes

    data = workbook_bytes(
        [
            SheetData("codes", [["id", "name"], ["a", "A"]]),
            SheetData("settings", [["key", "value"], ["name", "X"], ["language", "fr"]]),
        ]
    )
    (tmp_path / "cb.xlsx").write_bytes(data)
    result = cli_invoke("codebook", "convert", "cb.xlsx", "cb.yaml", expect_exit=1)
    assert "cb.xlsx: sheet settings, row 3: Input should be 'id' or 'en'" in result.stderr


def test_convert_refuses_unknown_formats_and_self(tricky: Path, cli_invoke: Invoke) -> None:
    assert (
        "unknown codebook format"
        in cli_invoke("codebook", "convert", str(tricky), "x.json", expect_exit=1).stderr
    )
    assert (
        "would overwrite the codebook itself"
        in cli_invoke("codebook", "convert", str(tricky), str(tricky), expect_exit=1).stderr
    )


# --- export ------------------------------------------------------------------------------------


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_export_html_escapes_everything(tmp_path: Path, tricky: Path, cli_invoke: Invoke) -> None:
    cli_invoke("codebook", "export", str(tricky), "--format", "html", "-o", "cb.html")
    html = (tmp_path / "cb.html").read_text("utf-8")
    parser = _Collect()
    parser.feed(html)
    assert "script" not in parser.tags and "b" not in parser.tags
    text = "".join(parser.text)
    assert "Uji <script>alert(1)</script>" in text and "A & <b>B</b>" in text
    assert "Apply when" in text and "one | with a pipe" in text  # English labels for en
    assert "only negated hits are counted" in text


def test_export_markdown(tmp_path: Path, tricky: Path, cli_invoke: Invoke) -> None:
    cli_invoke("codebook", "export", str(tricky), "-o", "cb.md", "--labels", "id")
    md = (tmp_path / "cb.md").read_text("utf-8")
    assert md.startswith("# Buku kode: Uji \\<script\\>alert(1)\\</script\\>\n")
    assert "### `a` — A & \\<b\\>B\\</b\\>" in md
    assert "#### `a.b` — Child" in md
    assert "**Kata kunci:** kerja sama, pinjol\\*, RAT (persis, case-sensitive), KUR (persis)" in md
    assert "> one \\| with a pipe" in md
    assert "with \\*stars\\* and a \\| pipe" in md


def test_export_default_name_and_determinism(tmp_path: Path, cli_invoke: Invoke) -> None:
    book = write(tmp_path / "cb" / "uji.yaml", SMALL_CODEBOOK)
    for fmt in ("md", "html", "xlsx"):
        cli_invoke("codebook", "export", str(book), "-f", fmt)
        first = (tmp_path / f"uji.{fmt}").read_bytes()
        cli_invoke("codebook", "export", str(book), "-f", fmt)
        assert (tmp_path / f"uji.{fmt}").read_bytes() == first, fmt


def test_export_xlsx_cells_are_text(tmp_path: Path, tricky: Path, cli_invoke: Invoke) -> None:
    from openpyxl import load_workbook

    cli_invoke("codebook", "export", str(tricky), "-f", "xlsx", "-o", "cb.xlsx")
    workbook = load_workbook(io.BytesIO((tmp_path / "cb.xlsx").read_bytes()))
    codes = workbook["codes"]
    header = [c.value for c in codes[1]]
    assert header[:8] == ["id", "parent", "name", "description", "include", "exclude",
                          "examples", "keywords"]  # fmt: skip
    cell = codes.cell(row=2, column=4)
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"
    assert workbook.properties.created.year == 2000
    assert [row[0].value for row in workbook["settings"].iter_rows()][:3] == [
        "key",
        "name",
        "language",
    ]


def test_export_the_bundled_codebook(tmp_path: Path, cli_invoke: Invoke) -> None:
    source = REPO / "codebooks" / "koperasi.yaml"
    result = cli_invoke("codebook", "export", str(source), "-f", "md", "-o", "k.md")
    assert "Wrote k.md" in result.stdout
    md = (tmp_path / "k.md").read_text("utf-8")
    assert "strategi.kerjasama" in md and "**Definisi:**" in md
