"""Diagnostics → what people and tools read: text excerpts, JSON, SARIF and
GitHub annotations."""
