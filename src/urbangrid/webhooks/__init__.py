"""UrbanGrid webhooks app (being built)."""
