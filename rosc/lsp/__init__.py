"""The language server (``rosc lsp``): one module per editor feature."""
