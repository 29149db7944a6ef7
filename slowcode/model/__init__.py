"""The model client: the anthropic SDK behind a small, typed, lazily imported surface."""
