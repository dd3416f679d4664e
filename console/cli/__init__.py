"""The command line: the root Typer app, shared options, one module per command group; commands
render what the services return and never talk HTTP themselves."""
