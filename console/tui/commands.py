"""The command palette (``ctrl+p``) reaches every action of the current screen, listed before
Textual's built-in commands.

Commands are generated, not listed by hand: every binding with a description on the screen,
its focused widget and the app (the same list the ``?`` help shows), plus the extra commands a
screen offers through ``palette_commands()`` (e.g. "Sort by duration", "Time window: 7d") and
the app's own (go to each section, each theme).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from rich.markup import escape
from textual.binding import ActiveBinding, Binding
from textual.command import Hit, Hits, Provider
from textual.screen import Screen


@dataclass(frozen=True)
class PaletteCommand:
    name: str
    help: str
    run: Callable[[], object]


def own_keys(node: object) -> set[tuple[str, str]]:
    """``(key, action)`` bound by meshdeck's own classes of ``node`` (not what a Textual base
    class binds: cursor and scrolling keys, focus cycling, Textual's ctrl+q)."""
    found = set()
    for cls in type(node).__mro__:
        if cls.__module__.startswith("console."):
            for binding in cls.__dict__.get("BINDINGS", []):
                keys, action = (binding.key, binding.action) if isinstance(binding, Binding) \
                    else (binding[0], binding[1])
                found.update((key.strip(), action) for key in keys.split(","))
    return found


def meshdeck_bindings(screen: Screen) -> Iterator[tuple[str, ActiveBinding]]:
    """``(key, active binding)`` of every enabled, described binding of meshdeck's own on
    ``screen`` (its focused widget, the screen, the app): what the palette and ``?`` list."""
    own: dict[int, set[tuple[str, str]]] = {}
    for key, active in screen.active_bindings.items():
        binding, node = active.binding, active.node
        if not binding.description or not active.enabled or binding.system:
            continue
        if (key, binding.action) in own.setdefault(id(node), own_keys(node)):
            yield key, active


def binding_commands(screen: Screen) -> Iterator[PaletteCommand]:
    """One command per enabled, described binding of meshdeck's active on ``screen``."""
    seen: set[str] = set()
    for key, active in meshdeck_bindings(screen):
        binding = active.binding
        if binding.action in seen:
            continue
        if binding.action in ("command_palette",):
            continue
        seen.add(binding.action)
        node = active.node
        key_text = binding.key_display or screen.app.get_key_display(binding)
        run = partial(screen.app.call_later, node.run_action, binding.action)
        yield PaletteCommand(binding.description,
                             f"{binding.tooltip or binding.description} (key {key_text})", run)


def screen_commands(screen: Screen) -> list[PaletteCommand]:
    commands = list(binding_commands(screen))
    for owner in (screen, screen.app):
        extra = getattr(owner, "palette_commands", None)
        if callable(extra):
            commands.extend(extra())
    return commands


#: Added to every score of meshdeck's own commands, so they come before Textual's built-ins
#: (keys, screenshot, maximize...), whose scores are at most 1.
OWN_FIRST = 1.0


class MeshdeckCommands(Provider):
    """Every action of the screen the palette was opened from, before Textual's own.

    Textual shows discovery hits (an empty palette) in the order they arrive from its
    providers, which run concurrently; meshdeck's are therefore scored hits ranked above
    Textual's (in their own order), and when searching they rank above a built-in that
    matches as well."""

    def _commands(self) -> list[PaletteCommand]:
        return screen_commands(self.screen)

    async def discover(self) -> Hits:
        commands = self._commands()
        for index, command in enumerate(commands):
            # Scores decrease along the list: the palette keeps meshdeck's order.
            score = OWN_FIRST + 1.0 - index / (len(commands) + 1)
            yield Hit(score, command.name, command.run, text=command.name,
                      help=escape(command.help))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = max(matcher.match(command.name), matcher.match(command.help) * 0.5)
            if score > 0:
                yield Hit(OWN_FIRST + score, matcher.highlight(command.name), command.run,
                          help=escape(command.help))
