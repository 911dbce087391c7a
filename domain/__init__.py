"""What states do to each other, and the rules those records obey.

Nothing in this package does I/O beyond reading its own vendored reference tables.
"""
