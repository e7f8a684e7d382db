"""Placeholder until the full demo data set lands."""
