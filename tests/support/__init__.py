"""Code the tests and the benchmarks share: the load generator (websocket visitors)."""
