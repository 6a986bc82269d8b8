"""Operations: health and readiness probes, Prometheus metrics, request ids and JSON logs (docs/production.md)."""
