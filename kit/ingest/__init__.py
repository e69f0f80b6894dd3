"""Keep the store in step with its sources: sync a source, check it (doctor), repair it."""
