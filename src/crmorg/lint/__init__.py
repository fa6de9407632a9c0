"""Checking a model: the rule catalogue, rule implementations and the engine."""
