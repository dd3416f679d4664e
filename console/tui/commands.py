"""The command palette (``ctrl+p``) reaches every action of the current screen.

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
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen


@dataclass(frozen=True)
class PaletteCommand:
    name: str
    help: str
    run: Callable[[], object]


def binding_commands(screen: Screen) -> Iterator[PaletteCommand]:
    """One command per enabled, described binding active on ``screen``."""
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or not active.enabled or binding.action in seen:
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


class MeshdeckCommands(Provider):
    """Every action of the screen the palette was opened from."""

    def _commands(self) -> list[PaletteCommand]:
        return screen_commands(self.screen)

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.name, command.run, help=escape(command.help))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = max(matcher.match(command.name), matcher.match(command.help) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run,
                          help=escape(command.help))
