"""Tests of HR exports: people and teams read from CSV files."""
