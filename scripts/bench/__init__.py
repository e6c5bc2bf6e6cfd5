"""`make bench`: how the archive scales, measured against plain mkdocs-material (not a test).

synth.py generates a synthetic archive from the seed sources; run.py builds it our way and the
naive way and prints the figures; browser.py and memory.py measure what a reader downloads and
what a build holds in memory.
"""
