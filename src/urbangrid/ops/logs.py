"""Log records as one JSON object per line (LOG_FORMAT=json) or plain text, both carrying the request id.

Imported by logging.config while settings load: nothing here may import Django models.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

# The request being served by this thread or task, set by ops.middleware.requests; "-" outside a request.
request_id: ContextVar[str] = ContextVar("urbangrid_request_id", default="-")

# Attributes every LogRecord has; anything else was passed with `extra=` and goes into the JSON object.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}


class RequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if getattr(record, "request_id", "-") != "-":
            entry["request_id"] = record.request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # default=str: a request object or a lazy translation in `extra` must not break the log line
        return json.dumps(entry, ensure_ascii=False, default=str)


def config(log_format: str, level: str = "") -> dict:
    """The LOGGING setting: everything to stderr, in JSON or plain text. UrbanGrid's own loggers log from `level`:
    by default INFO in JSON (a line per request, for the log collector), WARNING in text (a developer's terminal,
    tests and benchmarks see failed requests only)."""
    level = level or ("INFO" if log_format == "json" else "WARNING")
    if log_format not in ("json", "text"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"LOG_FORMAT={log_format!r}: use 'json' or 'text'")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "urbangrid.ops.logs.RequestId"}},
        "formatters": {
            "json": {"()": "urbangrid.ops.logs.JsonFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler", "formatter": log_format, "filters": ["request_id"],
            },
        },
        # One handler, on the root: other libraries' warnings are kept, ours from LOG_LEVEL up.
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            "urbangrid": {"level": level},
            # Django's own request warnings (4xx/5xx) would repeat our request line; errors still show.
            "django.request": {"level": "ERROR"},
        },
    }
