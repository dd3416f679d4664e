"""Process definitions as files: the format ``meshdeck definitions export`` writes and ``apply``,
``diff`` (and ``meshdeck mock serve --definitions``) read.

- A file is ``.json``, ``.yaml`` or ``.yml`` and holds one definition (an object) or a list.
- ``read_file`` / ``read_path`` parse and validate before anything is sent: an error names the
  file, the definition's place in it and the field (``DefinitionFileError``, one line).
- ``validate``: an object with ``namespace``, ``name``, ``type`` and ``steps`` (each step an
  object with a ``ref`` and a ``type``; refs unique), an optional positive whole ``version``.
- ``normalise`` gives the form that is written and compared: server-managed fields dropped
  (``SERVER_MANAGED``), values that say nothing left out (null, ``{}``, ``[]``, a step's
  ``optional: false``: a server fills these in), keys in a stable order (the known
  fields first, in the order a person reads them, then the rest alphabetically; inside free-form
  values, alphabetically), so exported files diff cleanly in git and a round trip is a no-op.
- ``dump`` writes YAML (multi-line strings as ``|`` blocks) or JSON; ``file_name`` names a file
  from the namespace, name and version.

Plain Python and PyYAML: no server, no CLI, no Textual.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # yaml is imported where a YAML file is read or written
    import yaml

SUFFIXES = (".json", ".yaml", ".yml")
#: Fields the server sets (who and when, its tenant, what depends on this definition): never
#: written to a file, never compared, never sent.
SERVER_MANAGED = frozenset({"orgId", "created", "updated", "createdBy", "updatedBy", "dependents"})
_TOP_ORDER = ("namespace", "name", "version", "type", "description", "configuration",
              "defaultInput", "defaultOutput", "outputMapping", "metadata", "tags", "signature",
              "dependencies", "steps")
_STEP_ORDER = ("ref", "name", "namespace", "type", "label", "description", "optional",
               "configuration", "input", "output", "children")
_OBJECT_FIELDS = ("configuration", "defaultInput", "defaultOutput", "outputMapping", "metadata")
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class DefinitionFileError(ValueError):
    """A file that cannot be read or a definition that is not valid: one line naming both."""


@dataclass(frozen=True)
class LoadedDefinition:
    """One definition read from a file: where it came from and its normalised document."""

    path: Path
    #: 1-based position in the file (1 for a file holding one definition).
    index: int
    doc: dict[str, Any]

    @property
    def key(self) -> tuple[str, str]:
        return self.doc["namespace"], self.doc["name"]

    @property
    def version(self) -> int | None:
        return self.doc.get("version")

    @property
    def where(self) -> str:
        return f"{self.path}" + (f" (definition {self.index})" if self.index > 1 else "")


# ---- reading ---------------------------------------------------------------------------------

def files_in(target: Path) -> list[Path]:
    """The definition files ``target`` names: itself, or a folder's ``.json``/``.yaml``/``.yml``
    files (not its sub-folders, as the official CLI reads a folder), sorted by name."""
    if target.is_dir():
        return sorted(p for p in target.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    if not target.exists():
        raise DefinitionFileError(f"{target}: no such file or folder")
    if target.suffix.lower() not in SUFFIXES:
        raise DefinitionFileError(f"{target}: not a .json, .yaml or .yml file")
    return [target]


def read_documents(path: Path) -> list[Any]:
    """The JSON or YAML documents of one file, as a list (one object becomes a list of one)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DefinitionFileError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise DefinitionFileError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DefinitionFileError(f"{path}: invalid JSON: {exc.msg} (line {exc.lineno}, "
                                      f"column {exc.colno})") from None
    else:
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
            what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise DefinitionFileError(f"{path}: invalid YAML: {what}{at}") from None
    if data is None:
        raise DefinitionFileError(f"{path}: the file is empty")
    return data if isinstance(data, list) else [data]


def read_file(path: Path) -> list[LoadedDefinition]:
    """Every definition of one file, validated and normalised."""
    docs = read_documents(path)
    out = []
    for i, doc in enumerate(docs, 1):
        where = f"{path}" + (f", definition {i}" if len(docs) > 1 else "")
        validate(doc, where)
        out.append(LoadedDefinition(path, i, normalise(doc)))
    return out


def read_path(target: Path) -> list[LoadedDefinition]:
    """Every definition of a file or a folder; the same definition and version twice is an error
    (which one would win is not for meshdeck to guess)."""
    loaded = [d for path in files_in(target) for d in read_file(path)]
    if not loaded:
        raise DefinitionFileError(f"{target}: no .json, .yaml or .yml files in it")
    seen: dict[tuple[str, str, int | None], LoadedDefinition] = {}
    for d in loaded:
        key = (*d.key, d.version)
        if key in seen:
            raise DefinitionFileError(
                f"{d.where}: {d.key[0]}/{d.key[1]}" + (f" version {d.version}" if d.version else "")
                + f" is also in {seen[key].where}")
        seen[key] = d
    return loaded


# ---- validating ------------------------------------------------------------------------------

def _need_text(doc: dict[str, Any], key: str, where: str, required: bool = True,
               at: str = "") -> None:
    value = doc.get(key)
    if value is None and not required:
        return
    if not isinstance(value, str) or not value.strip():
        got = "missing" if key not in doc else f"got {_kind(value)}"
        raise DefinitionFileError(f"{where}: field {at + key!r}: expected a non-empty string "
                                  f"({got})")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string",
            list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


def validate(doc: Any, where: str) -> None:
    """Raise ``DefinitionFileError`` naming ``where`` and the field for anything a server would
    refuse or misread: not an object, no namespace or name, a version that is not a positive
    whole number, steps that are not a list of objects with a ref and a type, a ref used twice."""
    if not isinstance(doc, dict):
        raise DefinitionFileError(f"{where}: expected a definition (an object), got {_kind(doc)}")
    _need_text(doc, "namespace", where)
    _need_text(doc, "name", where)
    where = f"{where} ({doc['namespace']}/{doc['name']})"
    _need_text(doc, "type", where)
    version = doc.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)
                                or version < 1):
        raise DefinitionFileError(f"{where}: field 'version': expected a whole number from 1, "
                                  f"got {version!r}")
    for key in ("description",):
        if doc.get(key) is not None and not isinstance(doc[key], str):
            raise DefinitionFileError(f"{where}: field {key!r}: expected a string, got "
                                      f"{_kind(doc[key])}")
    for key in _OBJECT_FIELDS:
        if doc.get(key) is not None and not isinstance(doc[key], dict):
            raise DefinitionFileError(f"{where}: field {key!r}: expected an object, got "
                                      f"{_kind(doc[key])}")
    steps = doc.get("steps")
    if not isinstance(steps, list):
        got = "missing" if "steps" not in doc else f"got {_kind(steps)}"
        raise DefinitionFileError(f"{where}: field 'steps': expected a list of steps ({got})")
    refs: set[str] = set()
    _validate_steps(steps, "steps", where, refs)


def _validate_steps(steps: list[Any], path: str, where: str, refs: set[str]) -> None:
    for i, step in enumerate(steps):
        at = f"{path}[{i}]"
        if not isinstance(step, dict):
            raise DefinitionFileError(f"{where}: field {at!r}: expected a step (an object), got "
                                      f"{_kind(step)}")
        for key in ("ref", "type"):
            _need_text(step, key, where, at=f"{at}.")
        _need_text(step, "name", where, required=False, at=f"{at}.")
        if step["ref"] in refs:
            raise DefinitionFileError(f"{where}: field '{at}.ref': {step['ref']!r} is used by "
                                      "another step (refs must be unique)")
        refs.add(step["ref"])
        children = step.get("children")
        if children is not None:
            if not isinstance(children, list):
                raise DefinitionFileError(f"{where}: field '{at}.children': expected a list, "
                                          f"got {_kind(children)}")
            _validate_steps(children, f"{at}.children", where, refs)


# ---- normalising -----------------------------------------------------------------------------

def _sorted_value(value: Any) -> Any:
    """A free-form value with every object's keys sorted (lists keep their order)."""
    if isinstance(value, dict):
        return {k: _sorted_value(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, list):
        return [_sorted_value(v) for v in value]
    return value


def _ordered(doc: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    keys = [k for k in order if k in doc] + sorted(k for k in doc if k not in order)
    return {k: doc[k] for k in keys}


def _absent(key: str, value: Any) -> bool:
    """A structural value that says nothing: null, an empty object or list, ``optional: false``
    (a server fills these in; a file may leave them out)."""
    return value is None or value == {} or value == [] or (key == "optional" and value is False)


def _step(step: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in step.items():
        if _absent(key, value) or key in SERVER_MANAGED:
            continue
        if key == "children":
            if value:
                out[key] = [_step(c) for c in value]
            continue
        out[key] = _sorted_value(value)
    return _ordered(out, _STEP_ORDER)


def normalise(doc: dict[str, Any]) -> dict[str, Any]:
    """The definition as it is written and compared (see the module docstring). Works on what a
    server answers as well as on a file: both sides of a diff go through it."""
    out: dict[str, Any] = {}
    for key, value in doc.items():
        if key in SERVER_MANAGED or (_absent(key, value) and key != "steps"):
            continue
        if key == "steps":
            out[key] = [_step(s) if isinstance(s, dict) else s for s in value]
        else:
            out[key] = _sorted_value(value)
    return _ordered(out, _TOP_ORDER)


def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two definitions say the same thing (both normalised first)."""
    return normalise(a) == normalise(b)


# ---- writing ---------------------------------------------------------------------------------

def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not value.endswith((" ", "\t")) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


@functools.cache
def _dumper() -> type:
    """Block style everywhere; a string with a newline as a ``|`` block (a script stays
    readable)."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(str, _str)
    return Dumper


def dump(doc: dict[str, Any], fmt: str = "yaml") -> str:
    """``doc`` normalised, as YAML or JSON text ending in a newline."""
    doc = normalise(doc)
    if fmt == "json":
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if fmt != "yaml":
        raise ValueError(f"format must be yaml or json, got {fmt!r}")
    import yaml

    return yaml.dump(doc, Dumper=_dumper(), sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)


def file_name(doc: dict[str, Any], fmt: str = "yaml") -> str:
    """``NAMESPACE.NAME.vVERSION.yaml`` (characters a file name cannot safely hold become ``_``)."""
    parts = [_SAFE.sub("_", str(doc.get(k) or "_")).strip(".") or "_"
             for k in ("namespace", "name")]
    version = doc.get("version")
    return ".".join(parts) + (f".v{version}" if version else "") + ("." + fmt)


def write_all(docs: Iterable[dict[str, Any]], folder: Path, fmt: str = "yaml") -> list[Path]:
    """Write each definition to its own file in ``folder`` (created if missing); returns the
    paths. Two definitions that would get the same file name are an error, before any write."""
    docs = list(docs)
    names: dict[str, dict[str, Any]] = {}
    for doc in docs:
        name = file_name(doc, fmt)
        if name in names:
            raise DefinitionFileError(f"{doc.get('namespace')}/{doc.get('name')} and "
                                      f"{names[name].get('namespace')}/{names[name].get('name')} "
                                      f"would both be written to {name}")
        names[name] = doc
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, doc in names.items():
        path = folder / name
        path.write_text(dump(doc, fmt), encoding="utf-8")
        written.append(path)
    return written
