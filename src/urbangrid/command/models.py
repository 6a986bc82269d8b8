"""The table of the shared cache (settings.CACHES["shared"]) when no CACHE_URL names a Redis server.

The command screen's slow figures are computed by the worker and read by every web process, so they live in a
cache all processes share: Redis when CACHE_URL is set, otherwise Django's DatabaseCache on this table. Django
makes that table with `createcachetable`, a step a deployment would have to remember after each `migrate`;
declared here with the columns createcachetable makes, it comes with `migrate` (and with the test databases,
which are migrated) on SQLite and PostgreSQL alike, and `createcachetable` finds it there and leaves it be.
The rows are the cache's own (pickled values with their expiry): nothing reads them but the cache backend.
"""

from django.db import models

TABLE = "urbangrid_shared_cache"


class SharedCacheEntry(models.Model):
    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = TABLE
        verbose_name = "shared cache entry"  # never shown: not in the admin

    def __str__(self) -> str:
        return self.cache_key
