"""A process's steps as a tree built from ``parentId``, and the Textual ``Tree`` that shows it.

``build_step_forest`` is plain Python (no Textual): PARALLEL, FOREACH, SWITCH and SUB_PROCESS
children nest under their parent; a step whose parent is missing goes to the top level with a
note (never lost); a ``parentId`` cycle is broken at its earliest step (never loops). Siblings
are ordered by when they were scheduled (or started), then by id, then by server order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from console import format as fmt
from console.models import StepData

#: One glyph per step status, so the tree reads without colour too.
STATUS_GLYPHS = {
    "COMPLETED": "✓", "FAILED": "✗", "TIMED_OUT": "✗", "RUNNING": "●", "PAUSED": "‖",
    "SCHEDULED": "○", "PENDING": "○", "SKIPPED": "-", "CANCELLED": "⊘",
}


@dataclass(eq=False)
class StepNode:
    """One step in the forest; ``note`` says why it sits at the top level when it should not."""

    step: StepData
    children: list[StepNode] = field(default_factory=list)
    parent: StepNode | None = None
    note: str | None = None

    def walk(self, depth: int = 0) -> Iterator[tuple[int, StepNode]]:
        """This node and its descendants, depth first, as ``(depth, node)`` (no recursion, so
        a very deep chain cannot overflow the stack)."""
        stack: list[tuple[int, StepNode]] = [(depth, self)]
        while stack:
            level, node = stack.pop()
            yield level, node
            stack.extend((level + 1, child) for child in reversed(node.children))

    def path(self) -> list[StepNode]:
        """The nodes from the top level down to this one."""
        out: list[StepNode] = []
        node: StepNode | None = self
        while node is not None:
            out.append(node)
            node = node.parent
        return out[::-1]


def _when(step: StepData) -> int | None:
    """When a step began: scheduled, else started (0 means "never" on the wire)."""
    return step.schedule or step.start or None


def _order_key(step: StepData, index: int) -> tuple:
    when = _when(step)
    return (when is None, when or 0, step.id if step.id is not None else 0, index)


def build_step_forest(steps: Sequence[StepData]) -> list[StepNode]:
    """The steps as a forest of ``StepNode``; every step appears exactly once."""
    nodes = [StepNode(step) for step in steps]
    first_by_id: dict[int, int] = {}
    for index, step in enumerate(steps):
        if step.id is not None:
            first_by_id.setdefault(step.id, index)

    parent_of: list[int | None] = []
    for index, step in enumerate(steps):
        parent = first_by_id.get(step.parent_id) if step.parent_id is not None else None
        if step.parent_id is not None and parent is None:
            nodes[index].note = f"parent step {step.parent_id} is not in this process"
        parent_of.append(None if parent == index else parent)

    # Break cycles: walk each chain up; a chain that comes back on itself loses the link of
    # its earliest step, which becomes a top-level step.
    done = [False] * len(steps)
    for start in range(len(steps)):
        chain: list[int] = []
        on_chain: set[int] = set()
        current: int | None = start
        while current is not None and not done[current] and current not in on_chain:
            chain.append(current)
            on_chain.add(current)
            current = parent_of[current]
        if current is not None and current in on_chain:
            cycle = chain[chain.index(current):]
            breaker = min(cycle, key=lambda i: _order_key(steps[i], i))
            parent_of[breaker] = None
            nodes[breaker].note = "its parent chain loops back to itself (a cycle in parentId)"
        for index in chain:
            done[index] = True

    roots: list[StepNode] = []
    for index, node in enumerate(nodes):
        parent = parent_of[index]
        if parent is None:
            roots.append(node)
        else:
            node.parent = nodes[parent]
            nodes[parent].children.append(node)

    position = {id(node): index for index, node in enumerate(nodes)}

    def sort(level: list[StepNode]) -> None:
        level.sort(key=lambda n: _order_key(n.step, position[id(n)]))

    sort(roots)
    for node in nodes:
        sort(node.children)
    return roots


def walk_forest(forest: Sequence[StepNode]) -> Iterator[tuple[int, StepNode]]:
    """Every node of the forest depth first, as ``(depth, node)``."""
    for root in forest:
        yield from root.walk()


def find_node(forest: Sequence[StepNode], step_id: int | None) -> StepNode | None:
    """The node of the step with ``step_id``, if any."""
    if step_id is None:
        return None
    return next((node for _, node in walk_forest(forest) if node.step.id == step_id), None)


def step_label(step: StepData, note: str | None = None) -> Text:
    """``✗ charge-card (Charge card) WORKER FAILED 1.2s ×3``: status-coloured, one line."""
    status = step.status or "UNKNOWN"
    style = fmt.status_style(step.status)
    text = Text()
    text.append(f"{STATUS_GLYPHS.get(status, '?')} ", style=style)
    text.append(step.ref or step.name or f"step {step.id}", style="bold")
    if step.name and step.name != step.ref:
        text.append(f" ({step.name})", style="dim")
    if step.type:
        text.append(f"  {step.type}", style="italic dim")
    text.append(f"  {status}", style=style)
    if step.duration_ms is not None and step.start:
        text.append(f"  {fmt.duration(step.duration_ms)}")
    if step.attempts > 1:
        text.append(f"  ×{step.attempts} attempts", style="yellow")
    if note:
        text.append(f"  ⚠ {note}", style="yellow")
    return text


class StepTree(Tree[StepData]):
    """The steps of one process; ``enter`` selects (opens) a step, ``space`` folds."""

    DEFAULT_CSS = """
    StepTree { height: 1fr; }
    """
    BINDINGS = [
        Binding("enter", "select_cursor", "Open step", tooltip="Show the step in full"),
        Binding("space", "toggle_node", "Fold", tooltip="Fold or unfold the step's children"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__("steps", **kwargs)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 3
        self._by_step: dict[int, TreeNode[StepData]] = {}

    def show_steps(self, steps: Sequence[StepData], focus_step_id: int | None = None) -> None:
        """Rebuild from ``steps``, keeping the folded state and cursor of a previous build.

        On the first build every node is expanded; the cursor goes to ``focus_step_id`` (the
        failed step), with its whole path expanded. On later builds the cursor stays on the
        step it was on.
        """
        first = not self._by_step
        collapsed = {sid for sid, node in self._by_step.items() if not node.is_expanded}
        cursor = self.cursor_node.data.id if self.cursor_node and self.cursor_node.data else None
        self.clear()
        self._by_step = {}

        made: dict[int, TreeNode[StepData]] = {}
        for _, node in walk_forest(build_step_forest(steps)):
            sid = node.step.id
            parent = made[id(node.parent)] if node.parent is not None else self.root
            tree_node = parent.add(step_label(node.step, node.note), data=node.step,
                                   expand=sid not in collapsed, allow_expand=bool(node.children))
            made[id(node)] = tree_node
            if sid is not None:
                self._by_step.setdefault(sid, tree_node)
        target = focus_step_id if first or cursor is None else cursor
        if not self.focus_step(target) and self.root.children:
            self.move_cursor(self.root.children[0])

    def focus_step(self, step_id: int | None) -> bool:
        """Expand the path to ``step_id`` and put the cursor on it; False if it is not here."""
        node = self._by_step.get(step_id) if step_id is not None else None
        if node is None:
            return False
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        _ = self._tree_lines  # rebuild line numbers now, so the node knows its line
        self.move_cursor(node)
        return True

    @property
    def current_step(self) -> StepData | None:
        node = self.cursor_node
        return node.data if node is not None else None
