"""CACHE_URL: one cache shared by every web process (Redis), or each process's memory when unset."""

import socket

import pytest
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured

from urbangrid.settings import cache_settings

REDIS = "redis://127.0.0.1:6379/15"


def redis_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def test_the_cache_url_chooses_the_backend():
    assert cache_settings("")["BACKEND"].endswith("LocMemCache")
    assert cache_settings(REDIS) == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS, "KEY_PREFIX": "urbangrid"}
    with pytest.raises(ImproperlyConfigured):
        cache_settings("memcached://127.0.0.1:11211")


@pytest.mark.skipif(not redis_running(), reason="no Redis on 127.0.0.1:6379")
def test_two_processes_count_on_one_redis():
    """Two cache clients, as two web processes have: a rate counter one raises, the other sees."""
    options = cache_settings(REDIS)
    first, second = (RedisCache(options["LOCATION"], {"KEY_PREFIX": options["KEY_PREFIX"]}) for _ in range(2))
    first.delete("rate:test")
    first.add("rate:test", 0, 60)
    for _ in range(3):
        first.incr("rate:test")
    assert second.incr("rate:test") == 4
    first.delete("rate:test")
