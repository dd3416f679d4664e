"""The README's command lines, read the way a shell would read the few constructs it uses.

``sh_blocks(text)``: the fenced ```sh blocks. ``lines(block)``: logical lines (backslash
continuations joined, comments dropped). ``parse(line, env)``: the meshdeck pipelines of one line,
with what a shell would do around them: ``NAME=value`` and ``export`` set variables, ``$NAME``
expands, ``A | B`` feeds A's stdout to B, ``> file`` writes stdout to a file, ``$(meshdeck ...)``
is replaced by its output's words, ``cmd || echo`` expects ``cmd`` to fail. A line's commands
that are not meshdeck (``python3 -m venv``, ``echo``, ``if``/``then``) are not run, except another
program between meshdeck commands of one pipeline (``meshdeck ... | jq ... | meshdeck ...``).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
_SUBST = re.compile(r"\$\((meshdeck [^()]*)\)")
_ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_VAR = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")
_KEYWORDS = {"if", "then", "else", "elif", "fi", "!", "{", "}"}
_OPERATORS = {";", "&&", "||", "|", "&", "(", ")"}


@dataclass
class Command:
    """One meshdeck invocation: its arguments (``$(...)`` left as ``Command`` parts), the
    variables set for it alone, and where its stdout goes. ``program`` is set for another
    program in a meshdeck pipeline (``| jq -r '.[0].ids[]' |``): its full argv is ``argv``."""

    argv: list[str | Command]
    env: dict[str, str] = field(default_factory=dict)
    stdout_to: str | None = None
    program: str | None = None


@dataclass
class Pipeline:
    """``A | B | C`` of meshdeck commands, and whether the line expects it to fail (``|| ...``)."""

    commands: list[Command]
    may_fail: bool = False
    text: str = ""


def sh_blocks(text: str | None = None, section: str | None = None) -> list[str]:
    """The ```sh blocks of the README (of one ``## section`` when named)."""
    text = README.read_text(encoding="utf-8") if text is None else text
    if section is not None:
        text = text.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", text, flags=re.S)


def lines(block: str) -> list[str]:
    """Logical lines: continuations joined; blank lines and comment-only lines dropped."""
    joined = re.sub(r"\\\n\s*", " ", block)
    out = []
    for raw in joined.splitlines():
        words = shlex.split(raw, comments=True)
        if words:
            out.append(raw)
    return out


def is_meshdeck(word: str) -> bool:
    return word == "meshdeck" or word.endswith("/meshdeck")


def parse(line: str, env: dict[str, str]) -> list[Pipeline]:
    """The meshdeck pipelines of ``line``; ``env`` is updated by assignments and ``export``."""
    inner: list[str] = []

    def hold(match: re.Match) -> str:
        inner.append(match.group(1))
        return f" __SUBST{len(inner) - 1}__ "

    lexer = shlex.shlex(_SUBST.sub(hold, line), posix=True, punctuation_chars=True)
    lexer.commenters = "#"
    lexer.whitespace_split = True
    tokens = list(lexer)
    pipelines: list[Pipeline] = []
    current: list[Command] = []
    words: list[str] = []

    def end_command() -> None:
        command = _command(words, env, inner)
        if command is not None:
            current.append(command)
        words.clear()

    for i, token in enumerate(tokens + [";"]):
        if token in _OPERATORS or token in (">", ">>", "<", ">&"):
            if token in (">", ">>"):
                words.append(token)
                continue
            end_command()
            if token != "|":
                if any(c.program is None for c in current):  # a pipeline meshdeck is part of
                    follows = tokens[i] if i < len(tokens) else ""
                    pipelines.append(Pipeline(list(current), may_fail=follows == "||", text=line))
                current.clear()
            continue
        words.append(token)
    return pipelines


def _command(words: list[str], env: dict[str, str], inner: list[str]) -> Command | None:
    words = [w for w in words]
    while words and words[0] in _KEYWORDS:
        words.pop(0)
    if words and words[0] == "export":
        words.pop(0)
    own: dict[str, str] = {}
    while words and _ASSIGN.match(words[0]):
        name, _, value = words.pop(0).partition("=")
        own[name] = _expand(value, env)
    if not words:
        env.update(own)  # ``PROC=`` or ``export A=1 B=2``: variables of the shell
        return None
    if not is_meshdeck(words[0]):  # kept only if it is part of a meshdeck pipeline
        return Command([_expand(w, env) for w in words], own, program=words[0])
    argv: list[str | Command] = []
    stdout_to = None
    rest = iter(words[1:])
    for word in rest:
        if word in (">", ">>"):
            stdout_to = _expand(next(rest), env)
            continue
        hole = re.fullmatch(r"__SUBST(\d+)__", word)
        if hole:
            [sub] = parse(inner[int(hole.group(1))], env)
            argv.append(sub.commands[0])
        else:
            argv.append(_expand(word, env))
    return Command(argv, own, stdout_to)


def _expand(word: str, env: dict[str, str]) -> str:
    return _VAR.sub(lambda m: env.get(m.group(1), ""), word)
