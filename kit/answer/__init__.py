"""Questions in, cited answers out, or an honest "not in the documents"."""
