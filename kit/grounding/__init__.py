"""Citations and claims: quotes checked against the files and judged against their claims.

Reads files, calls no model.
"""
