"""briefer: cited briefing memos from news articles and feeds."""

__version__ = "0.1.0"
