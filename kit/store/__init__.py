"""The store: chunks in Chroma with their state, keyword index and file list, and the search over them.

The only package that speaks Chroma's dialect.
"""
