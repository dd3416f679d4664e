"""What every wire model shares: camelCase names, unknown fields kept, enum values we have
never seen kept as text, epoch milliseconds read leniently, errors found in an output."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic.alias_generators import to_camel


def _open_enum(value: Any) -> Any:
    """Keep any enum text; strip the SDK's ``ProcessStatus.FAILED`` form to ``FAILED``."""
    if value is None:
        return None
    text = value.value if isinstance(value, StrEnum) else str(value)
    head, dot, tail = text.partition(".")
    if dot and head[:1].isupper() and tail:
        return tail
    return text


OpenEnum = Annotated[str | None, BeforeValidator(_open_enum)]
#: A process or step id as the wire has it: Unmeshed sends numbers, Conductor text (UUIDs).
#: The value keeps its wire type (so ``-o json`` writes it back as it came); code above the
#: backends compares ids as text (``str(id)``).
WireId = int | str | None


def epoch_ms_to_datetime(value: int | float | None) -> datetime | None:
    """Epoch milliseconds as an aware UTC datetime; None (or nonsense) stays None."""
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(float(value) / 1000.0, tz=UTC)
    except (OverflowError, OSError, ValueError, TypeError):
        return None


def at(name: str) -> property:
    """A property reading the epoch-milliseconds field ``name`` as an aware UTC datetime."""
    return property(lambda self: epoch_ms_to_datetime(getattr(self, name)),
                    doc=f"``{name}`` as an aware UTC datetime (None when unset or nonsense).")


class WireModel(BaseModel):
    """Base: camelCase on the wire, snake_case in Python, unknown fields kept.

    ``dropped``: the fields the answer sent with a type this model cannot hold (a time as text,
    an object for a list), each with the value sent; they were left empty so that the rest of
    the row still shows (``console.backends.responses.validate_leniently`` fills it in)."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        coerce_numbers_to_str=True,
        protected_namespaces=(),
        # Each model's validator is built when first used: most commands use two or three of
        # the dozen models, and building them all cost ~30 ms of every start.
        defer_build=True,
    )

    @property
    def dropped(self) -> dict[str, Any]:
        """Wire field path (``created``, ``stepRecords.start``) -> the value that was dropped."""
        private = self.__pydantic_private__
        return (private and private.get("_dropped")) or {}

    def note_dropped(self, name: str, sent: Any) -> None:
        """Record that field ``name`` was left empty, and what was sent.

        Kept in pydantic's private-attribute slot without declaring a private attribute: a
        declared one costs every model pydantic makes (every step of every row) a Python call
        at creation, which was 40% of reading a search answer."""
        private = self.__pydantic_private__
        if private is None:
            private = {}
            object.__setattr__(self, "__pydantic_private__", private)
        private.setdefault("_dropped", {}).setdefault(name, sent)

    def to_wire(self) -> dict[str, Any]:
        """The JSON-ready dict with wire names, extra fields included, nulls kept."""
        return self.model_dump(mode="json", by_alias=True)


class Tag(WireModel):
    name: str | None = None
    value: Any = None


def first_line(message: str | None) -> str | None:
    """The first line of ``message`` that is not blank, stripped (None for none)."""
    return next((line.strip() for line in (message or "").splitlines() if line.strip()), None)


def extract_error(output: Any) -> str | None:
    """Find a human error message in a step or process output, leniently."""
    if isinstance(output, dict):
        for key in ("error", "errorMessage", "lastError", "message", "reason", "exception"):
            value = output.get(key)
            if isinstance(value, str) and value:
                return value
            if isinstance(value, dict):
                nested = extract_error(value)
                if nested:
                    return nested
    elif isinstance(output, str) and output:
        return output
    return None
