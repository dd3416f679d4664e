"""What a command line's arguments hold: repeatable values with commas, ids (``-`` reads them
from stdin), JSON given inline, as ``@file`` or on stdin, and ``NAMESPACE/NAME``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from console.cli.common import CliProblem, stdin_is_tty

def split_values(values: Iterable[str] | None, upper: bool = False) -> list[str]:
    """Repeatable options that also accept commas: ``--status failed,timed_out --status running``."""
    out: list[str] = []
    for value in values or []:
        for part in value.split(","):
            part = part.strip()
            if part:
                out.append(part.upper() if upper else part)
    return list(dict.fromkeys(out))


def read_stdin_ids() -> list[str]:
    """Ids from stdin, separated by whitespace or commas, as on the command line."""
    if stdin_is_tty():
        raise CliProblem("'-' reads ids from stdin, but stdin is a terminal: pipe ids in, "
                         "e.g. meshdeck search --status FAILED -o ids | meshdeck resume - --yes")
    return sys.stdin.read().replace(",", " ").split()


def expand_ids(args: Iterable[str] | None) -> tuple[list[str], bool]:
    """The ids named on the command line, ``-`` replaced by stdin's ids; and whether stdin was read."""
    ids: list[str] = []
    used_stdin = False
    for arg in args or []:
        if arg == "-":
            if not used_stdin:
                ids.extend(read_stdin_ids())
                used_stdin = True
        else:
            ids.extend(arg.replace(",", " ").split())
    return list(dict.fromkeys(ids)), used_stdin


def read_json_arg(text: str | None, flag: str) -> Any:
    """``--data '{"a": 1}'``, ``--data @file.json`` or ``--data -`` (stdin) parsed as JSON."""
    if text is None:
        return None
    source = text
    if text == "-":
        source = sys.stdin.read()
    elif text.startswith("@"):
        path = Path(text[1:]).expanduser()
        try:
            source = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CliProblem(f"cannot read {flag} file {path}: {exc.strerror or exc}") from None
    try:
        return json.loads(source)
    except json.JSONDecodeError as exc:
        raise CliProblem(f"invalid JSON in {flag}: {exc.msg} (line {exc.lineno}, "
                         f"column {exc.colno})") from None


def split_name(text: str, what: str = "NAMESPACE/NAME") -> tuple[str, str]:
    namespace, slash, name = text.strip().partition("/")
    if not slash or not namespace or not name or "/" in name:
        raise CliProblem(f"expected {what}, like default/order_fulfilment; got {text!r}")
    return namespace, name
