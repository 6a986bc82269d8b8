"""UrbanGrid workbench app (being built)."""
