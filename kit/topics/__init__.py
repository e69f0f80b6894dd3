"""Topics of a corpus and a cited summary per topic: clustering, labels, salience, selection,
agreement, and the cache of the last run.
"""
