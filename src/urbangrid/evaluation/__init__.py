"""UrbanGrid evaluation app (being built)."""
