"""The filter bar: time window, namespace, names, full text; more filters on two more rows.

Enter in any field (or a new time window) applies the filters. Lists are comma-separated.
Statuses are not here: the status facets under the bar choose them. The namespace and process
name fields complete from what the server knows (``set_completions``: the grey rest of a name
is taken with the right arrow), the trigger and type fields from the known values.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.suggester import SuggestFromList, Suggester
from textual.widgets import Input, Select

from console.models import ProcessTriggerType, ProcessType
from console.tui.filters import DEFAULT_WINDOW, WINDOWS, Filters, split_list

#: Input id -> (placeholder, Filters field, upper-case the items).
MAIN_FIELDS = {
    "f-namespace": ("namespace", "namespace", False),
    "f-names": ("process names (a, b)", "names", False),
    "f-text": ("/ full text search", "text", False),
}
#: The second and third rows ("f: more filters").
MORE_ROWS = (
    {"f-triggers": ("triggers: API, MANUAL…", "trigger_types", True),
     "f-types": ("types: STANDARD…", "process_types", True),
     "f-correlation": ("correlation ids", "correlation_ids", False),
     "f-request": ("request ids", "request_ids", False)},
    {"f-ids": ("process ids", "process_ids", False),
     "f-tags": ("tags: env:prod", "tags", False),
     "f-steps": ("has a step named", "step_names", False),
     "f-refs": ("has a step ref", "step_refs", False)},
)
MORE_FIELDS = {k: v for row in MORE_ROWS for k, v in row.items()}
SUGGESTIONS = {
    "f-triggers": [t.value for t in ProcessTriggerType],
    "f-types": [t.value for t in ProcessType],
}


class ListSuggester(Suggester):
    """Completes the last item of a comma-separated list from known values (case-insensitive):
    ``payments, char`` suggests ``payments, charge_card``."""

    def __init__(self, values: list[str] | None = None) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.values = sorted(set(values or []))

    async def get_suggestion(self, value: str) -> str | None:
        head, comma, last = value.rpartition(",")
        typed = last.lstrip()
        if not typed:
            return None
        wanted = typed.casefold()
        match = next((v for v in self.values if v.casefold().startswith(wanted)
                      and v != typed), None)
        return None if match is None else head + comma + last[:len(last) - len(typed)] + match


class FilterBar(Vertical):
    """Every search filter but statuses; posts ``FilterBar.Applied`` when the user applies."""

    DEFAULT_CSS = """
    FilterBar { height: auto; padding: 0 1; }
    FilterBar Horizontal { height: 1; margin-bottom: 1; }
    FilterBar .more { display: none; margin-bottom: 0; }
    FilterBar.-more .more { display: block; }
    FilterBar.-more #main { margin-bottom: 0; }
    FilterBar #more-2 { margin-bottom: 1; }
    FilterBar Input { width: 1fr; margin-right: 1; }
    FilterBar #f-text { width: 2fr; }
    FilterBar #f-window { width: 16; margin-right: 1; }
    FilterBar .custom { display: none; width: 18; }
    FilterBar.-custom .custom { display: block; }
    """

    class Applied(Message):
        """The user pressed enter in a field or picked a time window."""

    def __init__(self, window: str = DEFAULT_WINDOW, namespace: str = "",
                 unsupported: Mapping[str, str] | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self._window = window
        self._namespace = namespace
        #: Filters the backend cannot search by (``Backend.UNSUPPORTED_FILTERS``): their fields
        #: are shown disabled, saying why, and always read empty.
        self._unsupported = dict(unsupported or {})

    def compose(self) -> ComposeResult:
        options = [(f"window {label}", label) for label in WINDOWS]
        with Horizontal(id="main"):
            yield Select(options, value=self._window, allow_blank=False, compact=True,
                         id="f-window", tooltip="Time window of the search")
            yield Input(placeholder="since: 2h / ISO", compact=True, id="f-since",
                        classes="custom")
            yield Input(placeholder="until (now)", compact=True, id="f-until", classes="custom")
            for field_id, (placeholder, name, _) in MAIN_FIELDS.items():
                value = self._namespace if field_id == "f-namespace" else ""
                yield self._input(field_id, name, placeholder, value)
        for number, row in enumerate(MORE_ROWS, start=1):
            with Horizontal(id=f"more-{number}", classes="more"):
                for field_id, (placeholder, name, _) in row.items():
                    yield self._input(field_id, name, placeholder)

    def _input(self, field_id: str, name: str, placeholder: str, value: str = "") -> Input:
        suggest = SUGGESTIONS.get(field_id)
        why = self._unsupported.get(name)
        if why:  # e.g. "namespace (Conductor has none)"
            return Input(placeholder=why, compact=True, id=field_id, disabled=True,
                         tooltip=f"this server cannot search by {why}")
        if field_id in ("f-namespace", "f-names"):
            suggester: Suggester | None = ListSuggester()
        else:
            suggester = SuggestFromList(suggest, case_sensitive=False) if suggest else None
        return Input(value, placeholder=placeholder, compact=True, id=field_id,
                     suggester=suggester)

    def set_completions(self, namespaces: list[str], names: list[str]) -> None:
        """What the namespace and process name fields complete from (the server's)."""
        for field_id, values in (("f-namespace", namespaces), ("f-names", names)):
            suggester = self.query_one(f"#{field_id}", Input).suggester
            if isinstance(suggester, ListSuggester):
                suggester.values = sorted(set(values))

    def on_mount(self) -> None:
        self.set_class(self._window == "custom", "-custom")

    @property
    def window(self) -> str:
        value = self.query_one("#f-window", Select).value
        return value if isinstance(value, str) else DEFAULT_WINDOW

    def set_window(self, window: str) -> None:
        self.query_one("#f-window", Select).value = window

    def toggle_more(self) -> bool:
        """Show or hide the rows of more filters. The focus never moves into them (the next
        keys would silently become a filter value): tab or a click reaches them; hidden while
        one of them has the focus, the focus goes back to where tab leads from the bar."""
        self.toggle_class("-more")
        shown = self.has_class("-more")
        if not shown and any(row.has_focus_within for row in self.query(".more")):
            self.screen.focus_next()
        return shown

    def focus_text(self) -> None:
        """The cursor into the full text search."""
        self.query_one("#f-text", Input).focus()

    def set_definition(self, namespace: str, name: str) -> None:
        """Filter to one process definition's executions: its namespace and name (the other
        fields stay as they are). Not applied until ``Applied`` (or the owner reads the bar)."""
        self.query_one("#f-namespace", Input).value = namespace
        self.query_one("#f-names", Input).value = name

    def show(self, filters: Filters) -> None:
        """Put ``filters`` (all but the statuses) into the fields; a filter the backend cannot
        search by must be empty (``ValueError`` naming it: the caller says so)."""
        fields = {**MAIN_FIELDS, **MORE_FIELDS}
        refused = [self._unsupported[name] for _, name, _ in fields.values()
                   if name in self._unsupported and getattr(filters, name)]
        if refused:
            raise ValueError(f"this server cannot search by {', '.join(refused)}")
        for field_id, (_, name, _) in fields.items():
            value = getattr(filters, name)
            if name not in self._unsupported:
                self.query_one(f"#{field_id}", Input).value = \
                    value if isinstance(value, str) else ", ".join(value)
        if any(getattr(filters, name) for _, name, _ in MORE_FIELDS.values()):
            self.add_class("-more")
        self.query_one("#f-since", Input).value = filters.since
        self.query_one("#f-until", Input).value = filters.until
        self._window = filters.window  # the caller applies the filters once
        self.set_window(filters.window)
        self.set_class(filters.window == "custom", "-custom")

    def read(self, statuses: list[str]) -> Filters:
        """The filters as typed, with ``statuses`` from the facets."""
        values: dict[str, object] = {}
        for field_id, (_, name, upper) in {**MAIN_FIELDS, **MORE_FIELDS}.items():
            raw = "" if name in self._unsupported else self.query_one(f"#{field_id}", Input).value
            values[name] = raw if name in ("namespace", "text") else split_list(raw, upper)
        return Filters(window=self.window, since=self.query_one("#f-since", Input).value,
                       until=self.query_one("#f-until", Input).value,
                       statuses=list(statuses), **values)  # type: ignore[arg-type]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Applied())

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value == self._window:  # the window it has (Select says so once it mounts)
            return
        self._window = event.value if isinstance(event.value, str) else DEFAULT_WINDOW
        custom = event.value == "custom"
        self.set_class(custom, "-custom")
        if custom:
            self.query_one("#f-since", Input).focus()
        else:
            self.post_message(self.Applied())
