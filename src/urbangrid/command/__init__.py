"""UrbanGrid command app (being built)."""
