"""git for slowcode: one runner, the repository, its state, three-way merges."""
