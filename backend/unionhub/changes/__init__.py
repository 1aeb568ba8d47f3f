"""The change feed: the outbox's events (core.outbox), paged in commit-safe order, scoped."""
