"""Relationship state at any date, as known at any time: a pure fold, and the stored view that keeps it."""
