"""Process definitions and their steps (a tree)."""

from __future__ import annotations

from typing import Any

from console.models.wire import OpenEnum, WireModel


class StepDefinition(WireModel):
    namespace: str | None = None
    name: str | None = None
    type: OpenEnum = None
    ref: str | None = None
    optional: bool | None = None
    label: str | None = None
    description: str | None = None
    configuration: Any = None
    children: list[StepDefinition] | None = None
    input: Any = None
    output: Any = None

    def walk(self, depth: int = 0):
        """This step and its descendants, depth first, as ``(depth, step)``."""
        yield depth, self
        for child in self.children or []:
            yield from child.walk(depth + 1)


class ProcessDefinition(WireModel):
    org_id: int | None = None
    namespace: str | None = None
    name: str | None = None
    version: int | None = None
    type: OpenEnum = None
    description: str | None = None
    created_by: str | None = None
    updated_by: str | None = None
    created: int | None = None
    updated: int | None = None
    configuration: Any = None
    steps: list[StepDefinition] | None = None
    default_input: Any = None
    default_output: Any = None
    output_mapping: Any = None
    metadata: Any = None
    tags: Any = None

    @property
    def step_count(self) -> int:
        return sum(1 for top in self.steps or [] for _ in top.walk())
