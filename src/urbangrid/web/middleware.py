"""Request-wide middleware of the site."""

from urbangrid.grid import versions


def pinned_versions(get_response):
    """Read the data versions once per request (grid.versions.pinned): the caches a page consults (grids,
    calendars, the dispatch directory, the roster) agree with each other for the whole page, and checking
    them costs one query, or none when another request read them less than a second ago."""

    def middleware(request):
        with versions.pinned():
            return get_response(request)

    return middleware
