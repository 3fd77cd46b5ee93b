"""The codebook's shape, validated with pydantic.

These models are the codebook as the rest of qualcode sees it: frozen, with every default filled
in. Keywords written as plain strings and patterns written as bare token lists are turned into
their full form before validation, so error locations always point at what the user wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

NEGATION_MODES = ("count", "skip", "only")
YAML_BOOL_HINT = "YAML read this as true/false; put the word in quotes (e.g. 'no', 'yes', 'off')"
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _scalar_to_str(value: Any) -> Any:
    """YAML turns `1.0` and `2024` into numbers; codebook text fields want them as written."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return str(value)
    return value


class Keyword(_Strict):
    """A word or phrase. ``prefix`` marks a trailing ``*`` (prefix of the surface form)."""

    text: str = Field(min_length=1)
    exact: bool = False
    case_sensitive: bool = False
    prefix: bool = False

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError(YAML_BOOL_HINT)
        if isinstance(value, str | int | float):
            value = {"text": str(value)}
        if isinstance(value, dict) and isinstance(value.get("text"), str):
            text = value["text"].strip()
            if text.endswith("*") and len(text) > 1:
                value = {**value, "text": text[:-1].rstrip(), "prefix": True}
        return value

    @field_validator("text")
    @classmethod
    def _no_bare_wildcard(cls, text: str) -> str:
        if "*" in text:
            raise ValueError("'*' is only allowed once, at the end of a keyword")
        return text

    def label(self) -> str:
        """The keyword as written in the codebook."""
        return self.text + ("*" if self.prefix else "")


class Pattern(_Strict):
    """A spaCy Matcher token pattern, optionally named."""

    name: str | None = None
    pattern: list[dict[str, Any]] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _from_list(cls, value: Any) -> Any:
        return {"pattern": value} if isinstance(value, list) else value

    def label(self) -> str:
        if self.name:
            return self.name
        parts = []
        for token in self.pattern:
            parts.append(",".join(f"{k}={v}" for k, v in token.items()))
        return " ".join(f"[{p}]" for p in parts)


class Code(_Strict):
    """One code of the tree, with its definition and its rules."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*$")
    name: str = Field(min_length=1)
    description: str = ""
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    color: str | None = None
    facets: dict[str, str] = Field(default_factory=dict)
    keywords: tuple[Keyword, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    not_within: tuple[str, ...] = ()
    negation: Literal["count", "skip", "only"] = "count"
    min_hits: int = Field(default=1, ge=1)
    children: tuple[Code, ...] = ()

    @field_validator("description", "include", "exclude", "name", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return _scalar_to_str(value)

    @field_validator("examples", "not_within", mode="before")
    @classmethod
    def _text_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return [_scalar_to_str(v) for v in value]
        return value

    @field_validator("facets", mode="before")
    @classmethod
    def _facet_values(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): _scalar_to_str(v) for k, v in value.items()}
        return value

    @field_validator("negation", mode="before")
    @classmethod
    def _negation_bool(cls, value: Any) -> Any:
        # `negation: true` reads as "negated hits count", `false` as "skip them".
        if value is True:
            return "count"
        if value is False:
            return "skip"
        return value

    @field_validator("color")
    @classmethod
    def _color(cls, value: str | None) -> str | None:
        if value is not None and not _COLOR.match(value):
            raise ValueError(f"color must look like #1f77b4, not {value!r}")
        return value

    @field_validator("not_within")
    @classmethod
    def _non_empty(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not v for v in value):
            raise ValueError("an empty phrase is not allowed")
        return value

    @property
    def has_rules(self) -> bool:
        return bool(self.keywords or self.patterns)

    def walk(self) -> Iterator[Code]:
        """This code and all its descendants, depth first, in codebook order."""
        yield self
        for child in self.children:
            yield from child.walk()


class Codebook(_Strict):
    """A validated codebook. ``path`` and ``sha256`` are filled in by the loader."""

    name: str = Field(min_length=1)
    language: Literal["id", "en"]
    version: str = ""
    description: str = ""
    overrides: dict[str, str] = Field(default_factory=dict)
    protect: tuple[str, ...] = ()
    negators: tuple[str, ...] | None = None
    codes: tuple[Code, ...] = Field(min_length=1)
    path: str = ""
    sha256: str = ""

    @field_validator("version", "name", "description", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return _scalar_to_str(value)

    @field_validator("overrides", mode="before")
    @classmethod
    def _override_values(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): _scalar_to_str(v) for k, v in value.items()}
        return value

    @field_validator("protect", "negators", mode="before")
    @classmethod
    def _words(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [_scalar_to_str(v) for v in value]
        return value

    def walk(self) -> Iterator[Code]:
        """Every code, depth first, in codebook order."""
        for code in self.codes:
            yield from code.walk()

    def code(self, code_id: str) -> Code:
        for code in self.walk():
            if code.id == code_id:
                return code
        raise KeyError(code_id)

    def parent_ids(self) -> dict[str, str | None]:
        """Each code id mapped to its parent's id (None for top-level codes)."""
        parents: dict[str, str | None] = {}

        def visit(code: Code, parent: str | None) -> None:
            parents[code.id] = parent
            for child in code.children:
                visit(child, code.id)

        for code in self.codes:
            visit(code, None)
        return parents


USER_FIELDS: dict[str, tuple[str, ...]] = {
    "codebook": tuple(f for f in Codebook.model_fields if f not in {"path", "sha256"}),
    "code": tuple(Code.model_fields),
    "keyword": tuple(f for f in Keyword.model_fields if f != "prefix"),
    "pattern": tuple(Pattern.model_fields),
}
