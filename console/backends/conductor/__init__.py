"""The Conductor (OSS or Orkes) backend: its client and the translation of its JSON shapes."""
