"""Where articles come from: article files (files.py) and RSS/Atom feeds (feeds.py)."""
