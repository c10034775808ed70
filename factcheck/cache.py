"""The database cache's own connection (settings.CACHES, CACHE_URL=db://…); its table
is made by ``manage.py createcachetable`` (scripts/run runs it after migrate)."""


class CacheRouter:
    """Sends the database cache's queries to the "cache" alias: the same database as
    "default", in autocommit, so that a throttle count outlives a request that is
    rolled back and no request holds the cache's rows locked until it ends."""

    def db_for_read(self, model, **hints):
        if model._meta.app_label == "django_cache":
            return "cache"
        return None

    db_for_write = db_for_read
