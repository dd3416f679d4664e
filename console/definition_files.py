"""Process definition files: JSON or YAML, one definition or a list of them per file.

The shape is the ProcessDefinition of ``GET api/processDefinitions`` (camelCase keys), the one
``meshdeck definitions export`` writes, so a definition read from a server can be written to a
file, edited and loaded again:

    from console.definition_files import DefinitionFileError, load_path

    for path, definition in load_path(Path("definitions")):  # a file, or a folder's files
        ...

A folder gives its ``.json``, ``.yaml`` and ``.yml`` files in name order (not its subfolders).
Every definition is checked before any is used, and the first problem is a
``DefinitionFileError`` that names the file and the field, e.g.::

    definitions/orders.yaml: definition 2 (orders/ship): steps[1].children[0].ref: field required

A checked definition is a plain dict: every field as written (unknown ones kept), with defaults
filled in: namespace ``default``, version 1, type ``STANDARD``, a step's name is its ref, and a
step's ``input``, ``configuration`` and ``children`` are ``{}``, ``{}`` and ``[]`` when absent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

#: The file name endings read from a folder.
SUFFIXES = (".json", ".yaml", ".yml")


class DefinitionFileError(ValueError):
    """A definition file that cannot be read or is not a valid definition (names file and field)."""


def _upper(value: Any) -> Any:
    """``worker`` and ``StepType.WORKER`` read as ``WORKER``; anything else is left for the type check."""
    if isinstance(value, str):
        return value.strip().rsplit(".", 1)[-1].upper()
    return value


class StepFile(BaseModel):
    """One step definition (a StepDefinition on the wire)."""

    model_config = ConfigDict(extra="allow")

    ref: str = Field(min_length=1, pattern=r"^\S+$")
    type: str = Field(min_length=1, pattern=r"^[A-Z_]+$")
    name: str | None = None
    namespace: str | None = None
    optional: bool = False
    label: str | None = None
    description: str | None = None
    configuration: dict[str, Any] | None = None
    children: list[StepFile] | None = None
    input: dict[str, Any] | None = None
    output: dict[str, Any] | None = None

    _type = field_validator("type", mode="before")(_upper)

    @model_validator(mode="after")
    def _defaults(self) -> StepFile:
        self.name = self.name or self.ref
        self.configuration = self.configuration or {}
        self.children = self.children or []
        self.input = self.input or {}
        self.output = self.output or {}
        return self


class DefinitionFile(BaseModel):
    """One process definition (a ProcessDefinition on the wire)."""

    model_config = ConfigDict(extra="allow")

    namespace: str = Field(default="default", min_length=1, pattern=r"^[^/\s]+$")
    name: str = Field(min_length=1, pattern=r"^[^/\s]+$")
    version: int = Field(default=1, ge=1)
    type: str = Field(default="STANDARD", pattern=r"^[A-Z_]+$")
    description: str | None = None
    configuration: dict[str, Any] | None = None
    steps: list[StepFile] = Field(default_factory=list)
    defaultInput: dict[str, Any] | None = None  # noqa: N815 - the wire's name
    defaultOutput: dict[str, Any] | None = None  # noqa: N815
    outputMapping: dict[str, Any] | None = None  # noqa: N815
    tags: list[dict[str, Any]] | None = None

    _type = field_validator("type", mode="before")(_upper)

    @field_validator("namespace", "version", "type", mode="before")
    @classmethod
    def _absent(cls, value: Any, info: Any) -> Any:
        """An explicit null (an SDK dataclass sends ``"type": null``) means the default."""
        if value is None:
            return {"namespace": "default", "version": 1, "type": "STANDARD"}[info.field_name]
        return value

    @model_validator(mode="after")
    def _unique_refs(self) -> DefinitionFile:
        seen: dict[str, str] = {}

        def walk(steps: list[StepFile], where: str) -> None:
            for i, step in enumerate(steps):
                here = f"{where}[{i}]"
                if step.ref in seen:
                    raise ValueError(f"step ref {step.ref!r} is used twice ({seen[step.ref]} and "
                                     f"{here}): every ref must be unique in its definition")
                seen[step.ref] = here
                walk(step.children or [], f"{here}.children")

        walk(self.steps, "steps")
        return self


def check(data: Any) -> dict[str, Any]:
    """``data`` as a checked definition dict; ``ValueError`` saying which field is wrong."""
    if not isinstance(data, dict):
        raise ValueError(f"expected a definition (an object with a name and steps), got "
                         f"{type(data).__name__}")
    try:
        return DefinitionFile.model_validate(data).model_dump()
    except ValidationError as exc:
        raise ValueError(_first_problem(exc)) from None


def _first_problem(exc: ValidationError) -> str:
    problem = exc.errors()[0]
    where = ""
    for part in problem["loc"]:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    message = problem["msg"]
    message = message.removeprefix("Value error, ")
    message = message[:1].lower() + message[1:]
    if problem["type"] == "string_pattern_mismatch":
        message = (f"{problem['input']!r} is not a type: use UPPER_CASE letters and _, e.g. WORKER"
                   if problem["loc"][-1] == "type" else
                   f"{problem['input']!r} has a space or a slash, which this field cannot hold")
    return f"{where}: {message}" if where else message


def parse(text: str, path: Path) -> list[Any]:
    """The definitions in one file's text (a list even for a single definition)."""
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise DefinitionFileError(f"{path}: not valid JSON: {exc.msg} (line {exc.lineno}, column "
                                  f"{exc.colno})") from None
    except Exception as exc:  # yaml.YAMLError: imported lazily, so caught by its base
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise DefinitionFileError(f"{path}: not valid YAML{where}: {problem}") from None
    if data is None:
        raise DefinitionFileError(f"{path}: the file is empty: write a definition, or a list of "
                                  "definitions")
    return data if isinstance(data, list) else [data]


def load_file(path: Path) -> list[dict[str, Any]]:
    """Every definition in one file, checked."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DefinitionFileError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise DefinitionFileError(f"{path}: not a text file (not UTF-8)") from None
    items = parse(text, path)
    out = []
    for i, item in enumerate(items):
        try:
            out.append(check(item))
        except ValueError as exc:
            which = ""
            if len(items) > 1:
                label = (f" ({item.get('namespace') or 'default'}/{item['name']})"
                         if isinstance(item, dict) and isinstance(item.get("name"), str) else "")
                which = f"definition {i + 1}{label}: "
            raise DefinitionFileError(f"{path}: {which}{exc}") from None
    return out


def files_in(path: Path) -> list[Path]:
    """``path`` itself, or the definition files directly in the folder ``path``."""
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
        if not found:
            raise DefinitionFileError(f"{path}: no .json, .yaml or .yml files in this folder")
        return found
    if not path.exists():
        raise DefinitionFileError(f"{path}: no such file or folder")
    return [path]


def load_path(path: Path) -> list[tuple[Path, dict[str, Any]]]:
    """``(file, definition)`` for every definition in a file or a folder; one namespace/name/version
    appearing twice is an error naming both files."""
    out: list[tuple[Path, dict[str, Any]]] = []
    where: dict[tuple[str, str, int], Path] = {}
    for file in files_in(path):
        for definition in load_file(file):
            key = (definition["namespace"], definition["name"], definition["version"])
            if key in where:
                raise DefinitionFileError(
                    f"{file}: {key[0]}/{key[1]} version {key[2]} is also defined in {where[key]}")
            where[key] = file
            out.append((file, definition))
    return out
