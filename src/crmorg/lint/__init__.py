"""Checking a model: the rules (one module each), their registry and catalogue, the
configuration, and the engine that runs them."""
