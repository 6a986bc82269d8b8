"""UrbanGrid open311 app (being built)."""
