"""An OpenAPI 3 description of Open311 GeoReport v2 as served at /open311/v2/ (the standard publishes none we
could load): its six methods, discovery, the common extensions we answer (page, page_size, bbox, extensions),
and the standard's error document. Written for the fuzz test; the standard's text is docs in OPEN311.md."""

FORMAT = {"name": "format", "in": "path", "required": True, "schema": {"type": "string", "enum": ["json", "xml"]}}
JURISDICTION = {"name": "jurisdiction_id", "in": "query", "schema": {"type": "string"}}
CONTENT = {"application/json": {"schema": {}}, "text/xml": {"schema": {"type": "string"}}}
ERRORS = {str(status): {"description": "errors › error {code, description}", "content": CONTENT}
          for status in (400, 403, 404, 429)}


def query(name: str, **schema) -> dict:
    return {"name": name, "in": "query", "schema": schema or {"type": "string"}}


def get(summary: str, *parameters: dict) -> dict:
    return {"get": {
        "summary": summary, "parameters": [FORMAT, JURISDICTION, *parameters],
        "responses": {"200": {"description": "found", "content": CONTENT}, **ERRORS},
    }}


def document(api_key: str) -> dict:
    """The description, with `api_key` among the keys a client may send (so posts get past the key check)."""
    keys = {"type": "string", "enum": [api_key, "o311_not_a_key", ""]}
    report = {
        "type": "object", "required": ["service_code"],
        "properties": {
            "api_key": keys, "service_code": {"type": "string", "enum": ["06001", "06002", "01001", "999", ""]},
            "lat": {"type": "string"}, "long": {"type": "string"}, "address_string": {"type": "string"},
            "address_id": {"type": "string"}, "email": {"type": "string"}, "device_id": {"type": "string"},
            "account_id": {"type": "string"}, "first_name": {"type": "string"}, "last_name": {"type": "string"},
            "phone": {"type": "string"}, "description": {"type": "string"}, "media_url": {"type": "string"},
            "attribute[component]": {"type": "string"}, "idempotency_key": {"type": "string"},
            "jurisdiction_id": {"type": "string"},
        },
    }
    requests = get(
        "GET Service Requests", query("service_request_id"), query("service_code"), query("start_date"),
        query("end_date"), query("status"), query("page"), query("page_size"), query("bbox"),
        query("extensions", type="string", enum=["true", "false", ""]), query("api_key", **keys),
    )
    requests["post"] = {
        "summary": "POST Service Request", "parameters": [FORMAT],
        "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": report}}},
        "responses": {"201": {"description": "created", "content": CONTENT},
                      "200": {"description": "the same request again", "content": CONTENT}, **ERRORS},
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "UrbanGrid Open311 GeoReport v2", "version": "2"},
        "servers": [{"url": "/open311/v2"}],
        "paths": {
            "/discovery.{format}": get("Service Discovery"),
            "/services.{format}": get("GET Service List"),
            "/services/{service_code}.{format}": get(
                "GET Service Definition", {"name": "service_code", "in": "path", "required": True,
                                           "schema": {"type": "string", "minLength": 1}}),
            "/requests.{format}": requests,
            "/requests/{service_request_id}.{format}": get(
                "GET Service Request", {"name": "service_request_id", "in": "path", "required": True,
                                        "schema": {"type": "string", "minLength": 1}}, query("api_key", **keys)),
            "/tokens/{token}.{format}": get(
                "GET service_request_id from a token", {"name": "token", "in": "path", "required": True,
                                                        "schema": {"type": "string", "minLength": 1}},
                query("api_key", **keys)),
        },
    }
