"""A foldable JSON viewer: a lazily built tree, a raw (highlighted) view, and copy.

Built for payloads of any size: a node's children are only made when it is expanded, at most
``PAGE`` at a time (a "… N more" node loads the next page), and long strings are cut in the
tree ("… N more chars"). The raw view highlights at most ``RAW_LIMIT`` characters. Copy always
copies the whole document.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.highlight import highlight
from textual.widgets import ContentSwitcher, Static, Tree
from textual.widgets.tree import TreeNode

PAGE = 100
STRING_LIMIT = 160
RAW_LIMIT = 60_000
#: Nodes made up front (breadth first) so that small documents open fully expanded.
INITIAL_BUDGET = 150


@dataclass
class _Entry:
    """What a tree node stands for: a key (or index) and its value."""

    key: str | None
    value: Any


@dataclass
class _More:
    """A "… N more" node: the container and where the next page starts."""

    container: Any
    offset: int


def to_json_text(value: Any) -> str:
    """Pretty JSON (2-space indent); values JSON cannot hold are written as text."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def summary(value: Any) -> str:
    """``{3 keys}``, ``[120 items]``: what a folded container holds."""
    if isinstance(value, dict):
        return f"{{{len(value)} key{'s' if len(value) != 1 else ''}}}"
    if isinstance(value, list):
        return f"[{len(value)} item{'s' if len(value) != 1 else ''}]"
    return ""


def scalar_text(value: Any, limit: int = STRING_LIMIT) -> Text:
    """A scalar as JSON text, styled by type; long strings cut with "… N more chars"."""
    if isinstance(value, str):
        shown = json.dumps(value[:limit], ensure_ascii=False)
        text = Text(shown, style="green")
        if len(value) > limit:
            text.append(f" … {len(value) - limit:,} more chars", style="dim italic")
        return text
    if isinstance(value, bool) or value is None:
        return Text(json.dumps(value), style="italic magenta")
    if isinstance(value, (int, float)):
        return Text(json.dumps(value), style="cyan")
    return Text(str(value)[:limit], style="yellow")


def node_label(key: str | None, value: Any) -> Text:
    label = Text()
    if key is not None:
        label.append(key, style="bold blue")
        label.append(": ")
    if isinstance(value, (dict, list)):
        label.append(summary(value), style="dim")
    else:
        label.append_text(scalar_text(value))
    return label


def children_of(value: Any, offset: int = 0, page: int = PAGE) -> tuple[list[_Entry], int]:
    """One page of a container's entries from ``offset``, and how many remain after it."""
    if isinstance(value, dict):
        keys = list(value)[offset:offset + page]
        return [_Entry(str(k), value[k]) for k in keys], max(0, len(value) - offset - page)
    if isinstance(value, list):
        items = value[offset:offset + page]
        return ([_Entry(f"[{offset + i}]", v) for i, v in enumerate(items)],
                max(0, len(value) - offset - page))
    return [], 0


class JsonTree(Tree[object]):
    """The document as a tree; containers fill in when expanded."""

    DEFAULT_CSS = """
    JsonTree { height: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.guide_depth = 2
        self._filled: set[int] = set()

    def show(self, value: Any, label: str = "") -> None:
        self.clear()
        self._filled = set()
        self.root.data = _Entry(None, value)
        root_label = Text(label + " ", style="bold") if label else Text()
        if isinstance(value, (dict, list)):
            root_label.append(summary(value), style="dim")
        else:
            root_label.append_text(scalar_text(value))
        self.root.set_label(root_label)
        self.root.allow_expand = isinstance(value, (dict, list)) and bool(value)
        budget = INITIAL_BUDGET
        queue = [self.root]
        while queue and budget > 0:
            node = queue.pop(0)
            budget -= self.fill(node)
            node.expand()
            queue.extend(child for child in node.children if child.allow_expand)

    def fill(self, node: TreeNode[object]) -> int:
        """Make the children of ``node`` if not made yet; returns how many were made."""
        if node.id in self._filled or not isinstance(node.data, _Entry):
            return 0
        self._filled.add(node.id)
        return self._add_page(node, node.data.value, 0)

    def _add_page(self, node: TreeNode[object], container: Any, offset: int) -> int:
        entries, remaining = children_of(container, offset)
        for entry in entries:
            expandable = isinstance(entry.value, (dict, list)) and bool(entry.value)
            node.add(node_label(entry.key, entry.value), data=entry, allow_expand=expandable)
        if remaining:
            node.add_leaf(Text(f"… {remaining:,} more (enter to show {min(remaining, PAGE)})",
                               style="dim italic"), data=_More(container, offset + PAGE))
        return len(entries) + (1 if remaining else 0)

    @on(Tree.NodeExpanded)
    def _fill_on_expand(self, event: Tree.NodeExpanded) -> None:
        self.fill(event.node)

    @on(Tree.NodeSelected)
    def _more_on_select(self, event: Tree.NodeSelected) -> None:
        node = event.node
        if isinstance(node.data, _More) and node.parent is not None:
            event.stop()
            parent, more = node.parent, node.data
            node.remove()
            self._add_page(parent, more.container, more.offset)


class JsonView(Vertical):
    """A titled JSON document: tree (default) or raw view (``f``), copy (``c``)."""

    DEFAULT_CSS = """
    JsonView { height: 1fr; }
    JsonView > ContentSwitcher { height: 1fr; }
    JsonView #raw { height: 1fr; }
    JsonView #raw-text { width: auto; }
    """

    BINDINGS = [
        Binding("f", "toggle_raw", "Raw/folded",
                tooltip="Switch between the foldable tree and raw JSON"),
        Binding("c", "copy", "Copy JSON", tooltip="Copy the whole document as JSON"),
    ]

    def __init__(self, title: str, value: Any = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.title = title
        self.value = value
        self._loaded = False
        self._raw_for: int | None = None

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="tree"):
            yield JsonTree(id="tree")
            with VerticalScroll(id="raw"):
                yield Static(id="raw-text")

    def on_mount(self) -> None:
        if self.value is not None or self._loaded:
            self.show(self.value, force=True)

    @property
    def raw(self) -> bool:
        return self.query_one(ContentSwitcher).current == "raw"

    def show(self, value: Any, force: bool = False) -> None:
        """Show ``value``; a refresh with the same value keeps the folding as it was."""
        if self._loaded and not force and value == self.value:
            return
        self.value, self._loaded = value, True
        if not self.is_mounted:
            return
        self.query_one(JsonTree).show(value, self.title)
        self._raw_for = None
        if self.raw:
            self._render_raw()

    def _render_raw(self) -> None:
        if self._raw_for == id(self.value):
            return
        self._raw_for = id(self.value)
        text = to_json_text(self.value)
        cut = len(text) - RAW_LIMIT
        shown = text[:RAW_LIMIT] if cut > 0 else text
        # Textual's own highlighter: theme colours, no foreign background behind the tokens
        content = highlight(shown, language="json")
        if cut > 0:
            content = Content.assemble(content, "\n", (f"… {cut:,} more characters not shown "
                                                        "here; press c to copy the whole document",
                                                        "$warning"))
        self.query_one("#raw-text", Static).update(content)

    def action_toggle_raw(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        if switcher.current == "tree":
            self._render_raw()
            switcher.current = "raw"
            self.query_one("#raw", VerticalScroll).focus()
        else:
            switcher.current = "tree"
            self.query_one(JsonTree).focus()

    def action_copy(self) -> None:
        from console.tui.app import MeshdeckApp

        text = to_json_text(self.value)
        if isinstance(self.app, MeshdeckApp):
            self.app.copy(text, self.title or "JSON")
        else:  # another app (a test's): still put it in the clipboard
            self.app.copy_to_clipboard(text)
            self.notify(f"Copied {self.title or 'JSON'} ({len(text):,} characters)")
