"""Tests of the foundation: safe loading, positions, decisions, the core commands."""
