"""slowcode's test suite."""
