"""`make prod-check`: the production stack of deploy/ on this machine, driven through nginx, then stopped.

A fresh PostgreSQL database (127.0.0.1:5432, trust auth), `migrate` + `demo --small`, two gunicorn instances
(deploy/gunicorn.conf.py) on two local ports behind nginx (deploy/nginx/urbangrid.conf with this check's ports,
paths and a self-signed certificate; nginx runs unprivileged from a temporary directory), two `urbangrid worker`
processes. Then a new case goes round the whole loop through the REST API as the demo users, /readyz and
/metrics are checked through nginx, static files must come from nginx itself, and everything is stopped.
Exit status 0 only if every check passed.
"""

import argparse
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import requests
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEPLOY = ROOT / "deploy"
PASSWORD = "UrbanGrid-demo-2026"  # urbangrid.demo.cast.DEMO_PASSWORD
PNG = (  # a 1×1 PNG, enough for the attachment checks (type sniffed from the bytes)
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfe\xa7\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82"
)


class Failed(Exception):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    def __init__(self, workdir: Path, web_workers: int):
        self.dir = workdir
        self.db = f"urbangrid_prodcheck_{os.getpid()}"
        self.var = workdir / "var"
        self.ports = {"web1": free_port(), "web2": free_port(), "http": free_port(), "https": free_port()}
        self.base = f"https://127.0.0.1:{self.ports['https']}"
        self.procs: dict[str, subprocess.Popen] = {}
        self.web_workers = web_workers
        self.keep_db = False
        self.report: list[tuple[str, str]] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "urbangrid.settings",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{self.db}",
            "URBANGRID_VAR_DIR": str(self.var),
            "DEBUG": "False",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": self.base,
            "SECURE_COOKIES": "True",
            "BEHIND_TLS_PROXY": "True",
            "TRUSTED_PROXIES": "127.0.0.1,::1",
            "METRICS_ALLOWED_IPS": "127.0.0.1,::1",
            "LOG_FORMAT": "json",
            "WORKER_TICK_SECONDS": "1",
            "PYTHONUNBUFFERED": "1",
        }

    def ok(self, what: str, detail: str = "ok") -> None:
        self.report.append((what, detail))
        print(f"  ✓ {what}: {detail}", flush=True)

    # --- start -------------------------------------------------------------------------------------------------
    def run(self, *args: str, env: dict | None = None, **kw) -> str:
        done = subprocess.run(args, env=env or self.env, cwd=self.dir, capture_output=True, text=True, **kw)
        if done.returncode:
            raise Failed(f"{' '.join(args)} exited {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        return done.stdout

    def spawn(self, name: str, args: list[str], env: dict | None = None, **kw) -> None:
        log = open(self.dir / f"{name}.log", "ab")  # noqa: SIM115  closed with the process, at stop()
        self.procs[name] = subprocess.Popen(args, env=env or self.env, cwd=self.dir, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True, **kw)

    def database(self, reuse: str | None) -> None:
        if reuse:  # while working on this check: a database and var/ kept by an earlier --keep run
            self.db, var = reuse.split(":")
            self.env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{self.db}"
            shutil.copytree(var, self.var)
            self.ok("database", f"{self.db} reused")
            return
        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.db}"')
        started = time.perf_counter()
        self.run(str(BIN / "urbangrid"), "migrate", "--no-input", "-v", "0")
        self.run(str(BIN / "urbangrid"), "collectstatic", "--no-input", "-v", "0")
        migrated = time.perf_counter()
        self.run(str(BIN / "urbangrid"), "demo", "--small", "-v", "0")
        self.ok("database", f"{self.db}: migrate {migrated - started:.1f} s, demo --small "
                            f"{time.perf_counter() - migrated:.1f} s")

    def web(self) -> None:
        metrics_dir = self.dir / "prometheus"
        metrics_dir.mkdir()
        for name in ("web1", "web2"):
            env = {**self.env, "URBANGRID_BIND": f"127.0.0.1:{self.ports[name]}",
                   "WEB_CONCURRENCY": str(self.web_workers), "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
            self.spawn(name, [str(BIN / "gunicorn"), "--config", str(DEPLOY / "gunicorn.conf.py")], env=env)
        for n in (1, 2):
            self.spawn(f"worker{n}", [str(BIN / "urbangrid"), "worker"])

    def nginx(self) -> None:
        ngx = self.dir / "nginx"
        (ngx / "tmp").mkdir(parents=True)
        self.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                 "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(ngx / "key.pem"), "-out",
                 str(ngx / "cert.pem"))
        site = (DEPLOY / "nginx" / "urbangrid.conf").read_text()
        # The production site as it is, with only this check's ports and paths put in (each must still be there).
        for old, new in {
            "server 127.0.0.1:8000;": f"server 127.0.0.1:{self.ports['web1']};\n    "
                                      f"server 127.0.0.1:{self.ports['web2']};",
            "listen 80;": f"listen 127.0.0.1:{self.ports['http']};",
            "listen [::]:80;": "",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{self.ports['https']} ssl http2;",
            "listen [::]:443 ssl http2;": "",
            "/etc/ssl/urbangrid/fullchain.pem": str(ngx / "cert.pem"),
            "/etc/ssl/urbangrid/privkey.pem": str(ngx / "key.pem"),
            "/var/log/nginx/": f"{ngx}/",
            "/var/lib/urbangrid/": f"{self.var}/",
            "/etc/nginx/snippets/urbangrid-proxy.conf": str(ngx / "urbangrid-proxy.conf"),
            "root /var/www/html;": f"root {ngx}/acme;",
        }.items():
            if old not in site:
                raise Failed(f"deploy/nginx/urbangrid.conf no longer has {old!r}: update tools/prodcheck.py")
            site = site.replace(old, new)
        (ngx / "urbangrid.conf").write_text(site)
        shutil.copy(DEPLOY / "nginx" / "urbangrid-proxy.conf", ngx / "urbangrid-proxy.conf")
        temp = "".join(f"    {kind}_temp_path {ngx}/tmp/{kind};\n"
                       for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (ngx / "nginx.conf").write_text(
            f"daemon off;\nworker_processes 2;\npid {ngx}/nginx.pid;\nerror_log {ngx}/error.log warn;\n"
            "events { worker_connections 256; }\n"
            f"http {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            f"    sendfile on;\n    access_log {ngx}/access.log;\n{temp}    include {ngx}/urbangrid.conf;\n}}\n"
        )
        run_as = {}
        if os.geteuid() == 0:  # never as root: nginx (master too) runs as nobody, everything it needs is readable
            for path in [self.dir, *self.dir.rglob("*")]:
                if path.is_dir():
                    path.chmod(0o755)
            shutil.chown(ngx, "nobody", "nogroup")
            for path in ngx.rglob("*"):
                shutil.chown(path, "nobody", "nogroup")
            run_as = {"user": "nobody", "group": "nogroup", "extra_groups": []}
        self.nginx_args = [shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(ngx), "-e", str(ngx / "error.log"),
                           "-c", str(ngx / "nginx.conf")]
        self.run_as = run_as
        self.run(*self.nginx_args, "-t", "-q", **run_as)

    def nginx_start(self) -> None:
        self.spawn("nginx", self.nginx_args, **self.run_as)

    def wait_ready(self, timeout: float = 90) -> None:
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise Failed(f"{name} exited {proc.returncode}: {(self.dir / f'{name}.log').read_text()[-2000:]}")
            try:
                if requests.get(f"{self.base}/readyz", verify=self.dir / "nginx" / "cert.pem", timeout=5).ok:
                    nginx_user = pwd.getpwuid(os.stat(f"/proc/{self.procs['nginx'].pid}").st_uid).pw_name
                    self.ok("stack up", f"nginx (as {nginx_user}) → 2 gunicorn × {self.web_workers} worker(s), "
                                        f"2 urbangrid workers, ready in {time.perf_counter() - started:.1f} s")
                    return
            except (requests.ConnectionError, requests.Timeout):  # still starting
                pass
            time.sleep(0.5)
        raise Failed("/readyz did not answer 200 through nginx in time")

    # --- drive -------------------------------------------------------------------------------------------------
    def session(self, username: str | None = None) -> requests.Session:
        http = requests.Session()
        http.verify = str(self.dir / "nginx" / "cert.pem")
        http.trust_env = False  # else REQUESTS_CA_BUNDLE or a proxy from the environment would win
        http.headers["Referer"] = f"{self.base}/"  # Django's CSRF check on HTTPS wants a same-origin Referer
        if username:
            self.call(http, "GET", "/accounts/login/", expect=200)
            self.call(http, "POST", "/accounts/login/", expect=302,
                      data={"username": username, "password": PASSWORD,
                            "csrfmiddlewaretoken": http.cookies["csrftoken"]}, allow_redirects=False)
            http.headers["X-CSRFToken"] = http.cookies["csrftoken"]
        return http

    def call(self, http, method: str, path: str, expect: int, **kw) -> requests.Response:
        response = http.request(method, self.base + path, timeout=60, **kw)
        if response.status_code != expect:
            raise Failed(f"{method} {path}: {response.status_code}, expected {expect}: {response.text[:500]}")
        return response

    def probes(self) -> None:
        anyone = self.session()
        rid = f"prodcheck-{uuid.uuid4().hex[:8]}"
        health = self.call(anyone, "GET", "/healthz", 200, headers={"X-Request-ID": rid})
        if health.headers.get("X-Request-ID") != rid:
            raise Failed(f"X-Request-ID not passed through nginx and echoed: {health.headers}")
        # Probes are not logged while they succeed; an API call is, with the id nginx passes on.
        self.request_id = f"prodcheck-{uuid.uuid4().hex[:8]}"
        self.call(anyone, "GET", "/api/v1/cases", 401, headers={"X-Request-ID": self.request_id})
        ready = self.call(anyone, "GET", "/readyz", 200).json()
        if ready["failing"]:
            raise Failed(f"/readyz: {ready}")
        self.ok("/healthz and /readyz through nginx", f"{ready['checks']}; X-Request-ID {rid} echoed")

        static = anyone.get(f"{self.base}/static/web/vendor/htmx/htmx.min.js", timeout=10)
        on_disk = (self.var / "static" / "web" / "vendor" / "htmx" / "htmx.min.js").read_bytes()
        if static.status_code != 200 or static.content != on_disk:
            raise Failed(f"static file: {static.status_code}")
        if "X-Request-ID" in static.headers or "immutable" not in static.headers.get("Cache-Control", ""):
            raise Failed(f"static file answered by Django, not nginx: {dict(static.headers)}")
        media = anyone.get(f"{self.base}/media/anything.png", timeout=10)
        if media.status_code != 404:
            raise Failed(f"/media/ must not be public: {media.status_code}")
        self.ok("static from nginx", f"htmx.min.js {len(on_disk)} bytes, {static.headers['Cache-Control']!r}, "
                                     "no app request id; /media/ 404 (photos only through the app)")

    def loop(self) -> None:
        people = {name: self.session(name) for name in
                  ("li.jiandu", "wang.shouli", "zhao.zhiban", "sun.paiqian")}
        li, wang, zhao, sun = people.values()
        # A demo case in handling shows where to report, its class and condition, and who handles it.
        [sample] = self.call(sun, "GET", "/api/v1/cases?state=handling&limit=1", 200).json()["items"]
        model = self.call(sun, "GET", f"/api/v1/cases/{sample['id']}", 200).json()
        handler = self.session(f"chuzhi.{model['department']['id']}")
        timings = []

        def act(http, case, action, **body):
            version = self.call(http, "GET", f"/api/v1/cases/{case}", 200).json()["version"]
            started = time.perf_counter()
            done = self.call(http, "POST", f"/api/v1/cases/{case}/actions/{action}", 200,
                             json={"version": version, **body}).json()
            timings.append(time.perf_counter() - started)
            return done

        def photo(http, case, kind):
            return self.call(http, "POST", f"/api/v1/cases/{case}/attachments", 201, data={"kind": kind},
                             files={"file": (f"{kind}.png", PNG, "image/png")}).json()["id"]

        started = time.perf_counter()
        case = self.call(li, "POST", "/api/v1/cases", 201, json={
            "description": "生产环境检查：人行道井盖破损", "lon": model["lon"], "lat": model["lat"], "kind": "matter",
            "idempotency_key": f"prodcheck-{uuid.uuid4()}"}).json()
        number, case = case["number"], case["id"]
        act(wang, case, "accept")
        state = act(zhao, case, "open", class_code=model["class_code"], condition=model["condition"]["seq"])["state"]
        if state == "open":  # classes with an automatic rule are dispatched at 立案 already
            act(sun, case, "dispatch", department_id=model["department"]["id"], reason="按职责派遣")
        act(handler, case, "take")
        act(handler, case, "feedback", note="已处理完毕",
            attachments=[photo(handler, case, "before"), photo(handler, case, "after")])
        act(wang, case, "send_check")
        act(li, case, "pass_check", attachments=[photo(li, case, "evidence")])
        closed = act(zhao, case, "close")
        if closed["state"] != "closed":
            raise Failed(f"case {number} ended in {closed['state']}")
        steps = [e["action"] for e in closed["timeline"]]
        timings.sort()
        self.ok("case loop through nginx", f"{number}: {' → '.join(steps)} in {time.perf_counter() - started:.1f} s "
                                          f"(actions: median {timings[len(timings) // 2] * 1000:.0f} ms, "
                                          f"max {timings[-1] * 1000:.0f} ms)")

    def metrics(self) -> None:
        anyone = self.session()
        time.sleep(2)  # the workers' next round records their periodic jobs

        def scrape():
            text = self.call(anyone, "GET", "/metrics", 200).text
            families = {f.name: f.samples for f in text_string_to_metric_families(text)}
            requests_seen = sum(s.value for s in families["urbangrid_http_request_duration_seconds"]
                                if s.name.endswith("_count"))
            return families, requests_seen

        # Requests spread over both upstreams and all their processes: the histogram must count every one of them
        # (prometheus_client multiprocess mode), whichever process answers the scrape.
        _, before = scrape()
        sent = 20
        for _ in range(sent):
            self.call(anyone, "GET", "/healthz", 200)
        families, counted = scrape()
        if counted - before != sent + 1:  # + the first scrape itself
            raise Failed(f"/metrics counted {counted - before} new requests, {sent + 1} were made")
        open_cases = sum(s.value for s in families["urbangrid_cases_open"])
        jobs = sorted(s.labels["job"] for s in families["urbangrid_worker_job_last_finished_timestamp_seconds"])
        if not open_cases or not jobs or "urbangrid_tasks_queued" not in families:
            raise Failed(f"/metrics lacks work gauges: open {open_cases}, jobs {jobs}")
        overdue = families["urbangrid_cases_overdue"][0].value
        upstreams = set(re.findall(r"upstream=(127\.0\.0\.1:\d+)", (self.dir / "nginx" / "urbangrid.access.log")
                                   .read_text()))
        if len(upstreams) < 2:
            raise Failed(f"nginx used only {upstreams}")
        # The app's own check, past nginx: a client beyond our proxy that METRICS_ALLOWED_IPS does not name.
        direct = requests.get(f"http://127.0.0.1:{self.ports['web1']}/metrics", timeout=10,
                              headers={"X-Forwarded-For": "203.0.113.7"})
        if direct.status_code != 403:
            raise Failed(f"/metrics for 203.0.113.7 answered {direct.status_code}")
        self.ok("/metrics through nginx", f"{int(counted)} requests counted over both upstreams {sorted(upstreams)}, "
                                          f"{sent} + 1 new ones of {sent} + 1 made, {int(open_cases)} open cases, "
                                          f"{int(overdue)} overdue, "
                                          f"periodic jobs run by the workers: {', '.join(jobs)}; "
                                          "403 for a client not in METRICS_ALLOWED_IPS")

    def logs(self) -> None:
        lines = [json.loads(line) for name in ("web1", "web2")
                 for line in (self.dir / f"{name}.log").read_text().splitlines() if line.startswith("{")]
        mine = [entry for entry in lines if entry.get("request_id") == self.request_id]
        if not mine or not {"time", "level", "logger", "message", "method", "path", "status", "duration_ms"} <= set(
                mine[0]):
            raise Failed(f"no JSON log line for request {self.request_id}")
        errors = [e for e in lines if e["level"] in ("ERROR", "CRITICAL")]
        if errors:
            raise Failed(f"errors in the web logs: {errors[:3]}")
        self.ok("JSON logs", f"{len(lines)} lines from the web processes, none at ERROR; request {self.request_id} "
                             f"logged as {mine[0]['method']} {mine[0]['path']} {mine[0]['status']}")

    # --- stop --------------------------------------------------------------------------------------------------
    def stop(self) -> None:
        stopped = []
        for name, proc in self.procs.items():
            if proc.poll() is None:
                # nginx: SIGQUIT is its graceful stop; gunicorn and the workers stop on SIGTERM.
                os.kill(proc.pid, signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
        for name, proc in self.procs.items():
            try:
                code = proc.wait(timeout=40)
                stopped.append(f"{name} {'SIGTERM' if code == -signal.SIGTERM else code}")
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                stopped.append(f"{name} KILLED")
        if self.procs:
            self.report.append(("stopped", ", ".join(stopped)))
            print(f"  · stopped (exit codes): {', '.join(stopped)}", flush=True)
        if self.keep_db:
            print(f"  · kept {self.db}", flush=True)
            return
        try:
            with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
            print(f"  · dropped {self.db}", flush=True)
        except psycopg.Error as error:
            print(f"  ! could not drop {self.db}: {error}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--web-workers", type=int, default=1, help="gunicorn workers per instance (2 instances)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, configs)")
    parser.add_argument("--keep-db", action="store_true", help="keep the database too (for --reuse)")
    parser.add_argument("--reuse", metavar="DB:VARDIR", help="skip migrate and demo: a kept database and var/")
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="urbangrid-prodcheck-"))
    stack = Stack(workdir, options.web_workers)
    stack.keep_db = options.keep_db
    print(f"UrbanGrid prod-check in {workdir}", flush=True)
    started = time.perf_counter()
    result = 1
    try:
        stack.nginx()  # its configuration is tested first: no need to wait for the demo to find a typo
        stack.database(options.reuse)
        stack.web()
        stack.nginx_start()
        stack.wait_ready()
        stack.probes()
        stack.loop()
        stack.metrics()
        stack.logs()
        result = 0
    except Failed as failure:
        print(f"  ✗ FAILED: {failure}", flush=True)
        result = 1
    finally:
        stack.stop()
        if options.keep or result:
            print(f"  · logs and configs kept in {workdir}", flush=True)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"prod-check {'passed' if result == 0 else 'FAILED'}: {sum(1 for w, _ in stack.report if w != 'stopped')} "
          f"checks in {time.perf_counter() - started:.0f} s", flush=True)
    return result


if __name__ == "__main__":
    sys.exit(main())
