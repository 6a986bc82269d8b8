"""The outermost middleware: a request id for every request, its latency in the metrics and one log line."""

import logging
import re
import time
import uuid

from urbangrid.ops import logs, metrics

log = logging.getLogger("urbangrid.request")
# An id from the proxy (nginx's $request_id) or the client is kept only when it is short and plain, since it is
# echoed in a header and written to every log line.
GOOD_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
QUIET_PATHS = ("/healthz", "/readyz", "/metrics")  # probed every few seconds: counted, but logged only if failing


def requests(get_response):
    def middleware(request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if GOOD_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = rid
        token = logs.request_id.set(rid)
        started = time.perf_counter()
        try:
            response = get_response(request)
            duration = time.perf_counter() - started
            response["X-Request-ID"] = rid
            match = request.resolver_match
            view = match.view_name if match is not None else "<unmatched>"  # 404s must not add a label per path
            status = response.status_code
            metrics.observe(view, request.method, status, duration)
            if status >= 400 or not request.path.startswith(QUIET_PATHS):
                log.log(
                    logging.INFO if status < 400 else logging.WARNING if status < 500 else logging.ERROR,
                    "%s %s %s %.1fms", request.method, request.path, status, duration * 1000,
                    extra={"method": request.method, "path": request.path, "status": status,
                           "duration_ms": round(duration * 1000, 1), "view": view},
                )
            return response
        finally:
            logs.request_id.reset(token)

    return middleware
