"""The REST API, version 1 (django-ninja; OpenAPI at /api/v1/openapi.json). One router module per resource.

Public endpoints (locate, areas, catalogue, reading components, indicator definitions) take an optional
token; the rest need a token or a session (urbangrid.api.auth). Every call is rate-limited per caller.
"""

from ninja import NinjaAPI

from urbangrid.api import auth, errors
from urbangrid.api.areas import router as areas_router
from urbangrid.api.catalog import router as catalog_router
from urbangrid.api.components import router as components_router
from urbangrid.api.evaluation import router as evaluation_router
from urbangrid.api.inbox import router as inbox_router
from urbangrid.api.locate import router as locate_router

api = NinjaAPI(
    title="UrbanGrid API", version="1", urls_namespace="api-v1", auth=auth.Public(), throttle=[auth.FixedWindow()]
)
errors.install(api)
api.add_router("/", locate_router)
api.add_router("/areas", areas_router)
api.add_router("/catalog", catalog_router)
api.add_router("/components", components_router)
api.add_router("/evaluation", evaluation_router)
api.add_router("/inbox", inbox_router)
api.add_router("/", "urbangrid.api.cases.router")
