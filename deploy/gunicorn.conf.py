"""gunicorn settings for UrbanGrid (docs/production.md). Everything a site changes comes from the environment.

    gunicorn --config deploy/gunicorn.conf.py
"""

import multiprocessing
import os

wsgi_app = "urbangrid.wsgi:application"
# Only nginx talks to us; several addresses may be given, separated by commas.
bind = os.getenv("URBANGRID_BIND", "127.0.0.1:8000").split(",")
# Synchronous workers: nginx buffers slow clients and uploads, so a worker is busy only while Django works.
workers = int(os.getenv("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 12)))
worker_class = "sync"
timeout = int(os.getenv("WEB_TIMEOUT", "120"))  # the longest request allowed (a large XLSX export)
graceful_timeout = 30  # on stop or reload, requests in progress may finish
worker_tmp_dir = "/dev/shm"  # the workers' heartbeat files: in memory, so a slow disk never gets one killed
proc_name = "urbangrid-web"
# gunicorn ≥ 25's control socket (gunicornc) lives in the home directory by default, which the service may not
# write (ProtectHome) and which two instances on one host would share; systemd and signals do all we need.
control_socket_disable = True
# Our middleware writes one line per request (with its id, view and duration, as JSON when LOG_FORMAT=json),
# so gunicorn's own access log would only repeat it; gunicorn's errors go to stderr.
accesslog = None
errorlog = "-"
loglevel = os.getenv("LOG_LEVEL", "info").lower()


def child_exit(server, worker):
    # prometheus_client multiprocess mode: a worker that is gone no longer contributes live gauges.
    if os.getenv("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
