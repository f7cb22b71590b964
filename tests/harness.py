"""Shared helpers for the CLI and API tests (see tests/run.py).

A Context runs the hoctap binary under test, builds a small demo database
once per build variant, and starts one real server on a free loopback port
when an API test first asks for it. Nothing here imitates hoctap: every check
goes through the real binary, database and HTTP server.
"""
import http.cookiejar
import json
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "data")
DEMO_HOUSEHOLDS = 3000
# The administrator every API and browser test acts as (scoped to the whole city).
ADMIN_USER = "tests-admin"
ADMIN_PASSWORD = "Kiem-thu-Hai-Phong-2026"


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.messages = []

    def add(self, passed, failed):
        self.passed += passed
        self.failed += failed

    def fail(self, msg):
        self.failed += 1
        self.messages.append(msg)


class Run:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def __repr__(self):
        return f"exit {self.code}\nstdout: {self.out[-2000:]}\nstderr: {self.err[-2000:]}"


class Context:
    def __init__(self, label, binary, tmp):
        self.label = label
        self.binary = binary
        self.tmp = tmp
        os.makedirs(tmp, exist_ok=True)
        self._demo = None
        self._server = None
        self._port = None
        self._counter = 0

    def path(self, name):
        """A fresh path in this variant's temporary folder."""
        self._counter += 1
        return os.path.join(self.tmp, f"{self._counter}-{name}")

    def run(self, *args, env=None, timeout=600):
        e = dict(os.environ)
        e.pop("HOCTAP_DB", None)
        if env:
            e.update(env)
        proc = subprocess.run([self.binary] + list(args), capture_output=True, text=True,
                              env=e, timeout=timeout, cwd=self.tmp)
        r = Run(proc)
        # A sanitizer report fails the test even when the exit status is 0.
        assert "runtime error:" not in r.err and "AddressSanitizer" not in r.err \
            and "LeakSanitizer" not in r.err, f"sanitizer report:\n{r.err[-4000:]}"
        return r

    def run_input(self, stdin, *args):
        """Runs the binary with text on standard input."""
        e = dict(os.environ)
        e.pop("HOCTAP_DB", None)
        proc = subprocess.run([self.binary] + list(args), input=stdin, capture_output=True,
                              text=True, env=e, timeout=600, cwd=self.tmp)
        r = Run(proc)
        assert "runtime error:" not in r.err and "AddressSanitizer" not in r.err \
            and "LeakSanitizer" not in r.err, f"sanitizer report:\n{r.err[-4000:]}"
        return r

    def demo_db(self):
        """A demo database built once per variant; tests must not modify it."""
        if self._demo is None:
            path = os.path.join(self.tmp, "demo.db")
            r = self.run("demo", "--db", path, "--households", str(DEMO_HOUSEHOLDS), "--seed", "7")
            assert r.code == 0, r
            r = self.run_input(ADMIN_PASSWORD + "\n", "user", "add", ADMIN_USER, "--role", "admin",
                               "--unit", "31", "--full-name", "Quản trị kiểm thử",
                               "--password-stdin", "--db", path)
            assert r.code == 0, r
            r = self.run("user", "token", ADMIN_USER, "--db", path)
            assert r.code == 0, r
            self.admin_token = r.out.strip()
            # Every request of the suites goes out as the administrator unless a
            # test builds its own opener (the access tests do).
            opener = urllib.request.build_opener()
            opener.addheaders = [("Authorization", "Bearer " + self.admin_token)]
            urllib.request.install_opener(opener)
            self._demo = path
        return self._demo

    def server_url(self):
        if self._server is None:
            db = self.demo_db()
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                self._port = s.getsockname()[1]
            self._log = open(os.path.join(self.tmp, "server.log"), "w")
            self._server = subprocess.Popen(
                [self.binary, "serve", "--db", db, "--listen", f"127.0.0.1:{self._port}"],
                stdout=self._log, stderr=subprocess.STDOUT)
            deadline = time.time() + 30
            while time.time() < deadline:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{self._port}/api/v1/meta", timeout=2)
                    break
                except (urllib.error.URLError, ConnectionError):
                    assert self._server.poll() is None, "server exited at start"
                    time.sleep(0.1)
            else:
                raise AssertionError("server did not start within 30 s")
        return f"http://127.0.0.1:{self._port}"

    def server_log(self):
        self._log.flush()
        with open(os.path.join(self.tmp, "server.log")) as f:
            return f.read()

    def close(self):
        if self._server is not None:
            self._server.terminate()
            try:
                code = self._server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._server.kill()
                raise AssertionError("server did not stop within 30 s of SIGTERM")
            self._log.close()
            log = open(os.path.join(self.tmp, "server.log")).read()
            self._server = None
            assert code == 0, f"server exited {code} on SIGTERM:\n{log[-3000:]}"
            assert "AddressSanitizer" not in log and "runtime error:" not in log, log[-4000:]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A private server of its own on db, for a test that must not disturb the shared one
    (failed logins are counted per client address, and 127.0.0.1 is every test's address)
    or that needs other options (--https). Use it in a with statement: leaving it stops
    the server and checks that it exited 0 without a sanitizer report."""

    def __init__(self, ctx, db, *args):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log_path = ctx.path("server.log")
        self._log = open(self._log_path, "w")
        self._proc = subprocess.Popen(
            [ctx.binary, "serve", "--db", db, "--listen", f"127.0.0.1:{self.port}"] + list(args),
            stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if self._proc.poll() is not None:
                    raise AssertionError("server exited at start:\n" + self.log())
                time.sleep(0.1)
        else:
            self._proc.kill()
            raise AssertionError("server did not start within 30 s")

    def log(self):
        self._log.flush()
        with open(self._log_path) as f:
            return f.read()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._proc.terminate()
        try:
            code = self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            raise AssertionError("server did not stop within 30 s of SIGTERM")
        log = self.log()
        self._log.close()
        if exc[0] is None:
            assert code == 0, f"server exited {code} on SIGTERM:\n{log[-3000:]}"
            assert "AddressSanitizer" not in log and "runtime error:" not in log, log[-4000:]
        return False


class Response:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw
        self.body = None
        if headers.get("Content-Type", "").startswith("application/json"):
            self.body = json.loads(raw)

    @property
    def code(self):
        """The error code of an error response ("forbidden", "csrf", ...)."""
        return ((self.body or {}).get("error") or {}).get("code")

    def __repr__(self):
        return f"HTTP {self.status}: {self.raw[:600]!r}"


class Client:
    """One browser, or one script with an API token: its own cookie jar and opener, so it
    never carries the Authorization header that demo_db() installs for plain urlopen.
    Non-GET requests send the session's CSRF token unless told otherwise."""

    def __init__(self, base, bearer=None):
        self.base = base
        self.bearer = bearer
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = None
        self.user = None

    def call(self, method, path, body=None, headers=None, csrf=True):
        h = {}
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        if self.bearer:
            h["Authorization"] = "Bearer " + self.bearer
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        h.update(headers or {})
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=h)
        try:
            with self.opener.open(req, timeout=60) as resp:
                return Response(resp.status, resp.headers, resp.read())
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return Response(e.code, e.headers, raw)
            except ValueError as bad:
                raise AssertionError(f"{method} {path}: HTTP {e.code} with a body that is not "
                                     f"JSON: {raw[:300]!r}") from bad

    def login(self, username, password, expect=200):
        r = self.call("POST", "/api/v1/session", {"username": username, "password": password})
        assert r.status == expect, f"login {username}: {r}"
        if r.status == 200:
            self.csrf = r.body["csrf"]
            self.user = r.body["user"]
        return r

    def cookie(self):
        """The session cookie's value, or None."""
        return next((c.value for c in self.jar if c.name == "hoctap_session"), None)


def unique(prefix):
    """A username no earlier test of this run has taken."""
    return f"{prefix}-{secrets.token_hex(3)}"


def add_user(ctx, db, name, role, unit, password=None, full_name=None):
    """Creates an account with the CLI; without password, returns the one-time password
    it printed."""
    args = ["user", "add", name, "--role", role, "--unit", unit, "--db", db]
    if full_name:
        args += ["--full-name", full_name]
    if password is None:
        r = ctx.run(*args)
        assert r.code == 0, r
        return r.out.split("One-time password: ")[1].split()[0]
    r = ctx.run_input(password + "\n", *args, "--password-stdin")
    assert r.code == 0, r
    return password


def get(url, expect=200):
    """GET url and return (status, headers, parsed JSON or bytes)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            status, headers, body = resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        status, headers, body = e.code, e.headers, e.read()
    assert status == expect, f"GET {url}: status {status}, expected {expect}: {body[:500]!r}"
    if headers.get("Content-Type", "").startswith("application/json"):
        return status, headers, json.loads(body)
    return status, headers, body


def request(method, url, data=None):
    req = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def copy_demo(ctx, name):
    """A private copy of the shared demo database, for tests that write."""
    src = ctx.demo_db()
    dst = os.path.join(ctx.tmp, name)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(src + suffix):
            shutil.copy(src + suffix, dst + suffix)
        elif os.path.exists(dst + suffix):
            os.unlink(dst + suffix)
    return dst


def query(db, sql, *params):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def query_write(db, sql, *params):
    """A change made behind the server's back (a test's fixture), committed."""
    con = sqlite3.connect(db, timeout=30)
    try:
        con.execute(sql, params)
        con.commit()
    finally:
        con.close()


def dump(db):
    """Every row of every table: to check a failed command changed nothing."""
    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
    finally:
        con.close()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path
