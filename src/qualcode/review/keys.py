"""Keys for the review: single key presses, a line editor with code-id completion.

Keys: ``a`` accept, ``r`` reject, ``+`` (or ``c``) add a code (Tab, or Enter on a unique prefix,
completes a code id), ``m`` write a memo, ``s``/``n``/space skip, ``b`` back, ``q`` quit (Ctrl-C
and the end of input quit too). Keys come from ``click.getchar`` on a terminal, from standard
input when it is a pipe (a scripted review).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

import click

from qualcode.review import session as states
from qualcode.review.session import Action

KEYS = {
    "a": states.ACCEPT_KEY, "r": states.REJECT_KEY,
    "s": states.SKIP, "n": states.SKIP, " ": states.SKIP, "\x1b[C": states.SKIP,
    "b": states.BACK, "\x1b[D": states.BACK, "q": states.QUIT,
    "m": states.MEMO, "+": states.ADD_CODE, "c": states.ADD_CODE,
}  # fmt: skip
_BACKSPACE = ("\x7f", "\x08")
_CANCEL = ("\x1b", "\x03", "\x04")

GetChar = Callable[[], str]


def complete_code(prefix: str, code_ids: Sequence[str]) -> tuple[str, list[str]]:
    """Complete ``prefix`` to a code id: (completed text, candidates).

    Ids starting with the prefix come first; if there are none, ids with a dotted part starting
    with it (``angg`` finds ``kendala.internal.anggota``). A unique candidate is the completion;
    several complete to their longest common prefix.
    """
    if prefix in code_ids:
        return prefix, [prefix]
    matches = [c for c in code_ids if c.startswith(prefix)]
    if not matches and prefix:
        matches = [c for c in code_ids if any(p.startswith(prefix) for p in c.split("."))]
    if len(matches) == 1:
        return matches[0], matches
    common = _common_prefix(matches) if matches else prefix
    return (common if len(common) > len(prefix) else prefix), matches


def _common_prefix(words: Sequence[str]) -> str:
    first, last = min(words), max(words)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]


def read_line(
    getchar: GetChar,
    prompt: str,
    code_ids: Sequence[str] | None = None,
) -> str | None:
    """Read a line key by key (Enter ends, Esc cancels); complete code ids when given.

    With ``code_ids`` only a known code id is returned: Enter on a unique prefix completes it,
    on an ambiguous one lists the candidates. None means cancelled (or an empty line).
    """
    click.echo(prompt, nl=False)
    text = ""
    while True:
        try:
            chars = getchar()
        except (KeyboardInterrupt, EOFError):
            chars = "\x03"
        if not chars or chars[0] in _CANCEL:
            click.echo("")
            return None
        for char in chars:
            if char in "\r\n":
                if not text:
                    click.echo("")
                    return None
                if code_ids is None:
                    click.echo("")
                    return text
                done, matches = complete_code(text, code_ids)
                if done in code_ids:
                    click.echo(done[len(text) :] if done.startswith(text) else f" -> {done}")
                    return done
                _show_candidates(prompt, text, matches)
            elif char == "\t" and code_ids is not None:
                done, matches = complete_code(text, code_ids)
                if done.startswith(text) and done != text:
                    click.echo(done[len(text) :], nl=False)
                    text = done
                elif len(matches) == 1:
                    text = done
                    click.echo("\r" + prompt + text, nl=False)
                else:
                    text = done
                    _show_candidates(prompt, text, matches)
            elif char in _BACKSPACE:
                if text:
                    text = text[:-1]
                    click.echo("\b \b", nl=False)
            elif char.isprintable():
                text += char
                click.echo(char, nl=False)


def _show_candidates(prompt: str, text: str, matches: Sequence[str]) -> None:
    if matches:
        click.echo("\n  " + "  ".join(matches[:30]) + ("  ..." if len(matches) > 30 else ""))
    else:
        click.echo(f"\n  no code matches {text!r}")
    click.echo(prompt + text, nl=False)


def one_key_at_a_time(read: GetChar) -> GetChar:
    """Split what one read returns (fast typing, a paste) into keys; escape sequences stay whole."""
    pending: list[str] = []

    def get() -> str:
        if not pending:
            chunk = read()
            if len(chunk) <= 1 or chunk.startswith("\x1b"):
                return chunk
            pending.extend(chunk)
        return pending.pop(0)

    return get


def default_getchar() -> GetChar:
    """Single keys from the terminal; from standard input when it is a pipe (scripted keys)."""
    stdin = sys.stdin
    if stdin is not None and not stdin.isatty():
        return lambda: stdin.read(1)
    return lambda: click.getchar()


def next_action(read_key: GetChar, code_ids: Sequence[str]) -> Action | None:
    try:
        key = read_key()
    except (KeyboardInterrupt, EOFError):
        return Action(states.QUIT)
    if not key:
        return Action(states.QUIT)  # end of input
    kind = KEYS.get(key) or KEYS.get(key.lower())
    if kind is None:
        return None if key in ("\r", "\n") else Action(states.HELP_KEY)
    if kind == states.MEMO:
        text = read_line(read_key, "Memo (Enter saves, Esc cancels): ")
        return None if text is None else Action(states.MEMO, text.strip())
    if kind == states.ADD_CODE:
        code = read_line(read_key, "Add code (Tab completes, Esc cancels): ", code_ids)
        return None if code is None else Action(states.ADD_CODE, code)
    return Action(kind)
