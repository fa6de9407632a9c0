"""Rule implementations, one module per family."""
