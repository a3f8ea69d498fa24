"""polemos: conflict news in, structured, source-attributed event data out."""

__version__ = "0.1.0"
