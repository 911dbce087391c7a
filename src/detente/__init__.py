"""detente: an event-sourced model of bilateral relations between states."""

__version__ = "0.1.0"
