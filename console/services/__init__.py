"""Plain async Python between the screens/commands and the backend contract: search paging and
counting, the one engine for actions on many ids, the table of actions, statistics."""
