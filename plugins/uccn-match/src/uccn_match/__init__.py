"""uccn's first-party match scorers, each registered as its own plugin."""
