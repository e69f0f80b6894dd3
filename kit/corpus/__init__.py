"""Documents in: find, read, decode and clean files, chunk them with raw spans.

No store, no model.
"""
