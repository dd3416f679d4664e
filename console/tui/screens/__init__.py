"""The full screens of the console, one per file with its own CSS, on the ``MeshdeckScreen`` base."""
