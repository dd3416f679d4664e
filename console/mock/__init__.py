"""The embedded mock server: an in-memory store generated from a seed and a clock, the shared HTTP
plumbing, and one Starlette app per dialect (Unmeshed, Conductor)."""
