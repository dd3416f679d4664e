"""Reference scripts written with the official ``unmeshed-sdk``, run as separate processes."""
