"""The `detente` command: a thin click layer over detente's library."""
