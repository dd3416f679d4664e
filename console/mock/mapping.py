"""The mock's input mapping: how a step of your definition gets its input from the process input
and from the outputs of the steps before it.

A step's ``input`` (and a definition's ``outputMapping``) is copied, with every ``{{ PATH }}`` in
a string replaced, when the step starts (when the process ends, for ``outputMapping``):

    {{ context.input.orderId }}           the process input's field orderId
    {{ steps.charge.output.receipt.id }}  a field of the output of the step whose ref is charge
    {{ steps.charge.input }}              that step's whole input; also .status, .id
    {{ steps.pick.output.items[0].sku }}  [n] indexes a list; ['a key'] reads a key with spaces

A string that is exactly one ``{{ PATH }}`` becomes the value found (a number, an object, ...);
a ``{{ PATH }}`` inside longer text is replaced by the value as text (JSON for objects and lists).
A path that leads nowhere (no such step yet, no such field) gives null. Anything else between
``{{ }}`` (``secrets.``, ``variables.``, an expression such as ``a > 1``) is not evaluated: the
text is left as written.

This is a small subset of Unmeshed's templating, chosen for the mock: the real server knows more
(secrets, variables, state, expressions), and a definition that works here can still need
changes there. docs/mock.md says so too.
"""

from __future__ import annotations

import json
import re
from typing import Any

_TEMPLATE = re.compile(r"\{\{\s*((?:(?!\}\}).)*?)\s*\}\}")
_PART = re.compile(r"\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[\s*'([^']*)'\s*\]|\[\s*\"([^\"]*)\"\s*\]")
_ROOTS = ("context", "steps")
_MISSING = object()


def path_parts(expr: str) -> list[str | int] | None:
    """``steps.a.output.items[0]`` -> ``['steps', 'a', 'output', 'items', 0]``; None if it is not a path."""
    parts: list[str | int] = []
    pos = 0
    while pos < len(expr):
        m = _PART.match(expr, pos)
        if not m or m.end() == pos or (pos == 0 and expr[0] == "."):
            return None
        name, index, single, double = m.groups()
        parts.append(int(index) if index is not None else
                     name if name is not None else single if single is not None else double)
        pos = m.end()
    return parts or None


def lookup(expr: str, scope: dict[str, Any]) -> Any:
    """The value at path ``expr`` in ``scope``; None where the path leads nowhere; ``_MISSING``
    when ``expr`` is not a path the mock evaluates."""
    parts = path_parts(expr)
    if not parts or parts[0] not in _ROOTS:
        return _MISSING
    value: Any = scope
    for part in parts:
        if isinstance(part, int):
            value = value[part] if isinstance(value, list) and -len(value) <= part < len(value) else None
        else:
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            return None
    return value


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"))


def _string(text: str, scope: dict[str, Any]) -> Any:
    whole = _TEMPLATE.fullmatch(text.strip())
    if whole:
        found = lookup(whole.group(1), scope)
        return text if found is _MISSING else found

    def one(m: re.Match[str]) -> str:
        found = lookup(m.group(1), scope)
        return m.group(0) if found is _MISSING else _as_text(found)

    return _TEMPLATE.sub(one, text) if "{{" in text else text


def resolve(value: Any, scope: dict[str, Any]) -> Any:
    """``value`` with every ``{{ PATH }}`` replaced (a new object; ``value`` is not changed)."""
    if isinstance(value, str):
        return _string(value, scope)
    if isinstance(value, dict):
        return {k: resolve(v, scope) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, scope) for v in value]
    return value
