"""The session journal: an append-only, hash-chained event log, its typed events and its lock."""
