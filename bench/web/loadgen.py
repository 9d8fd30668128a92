"""A bounded load generator for `make bench-web`: simulated visitors autosaving answers over loopback HTTP.

Each client is one visitor: its own cookies (session, CSRF), its own check-up, one keep-alive connection
(stdlib http.client; reopened whenever the server closes it, as gunicorn's sync workers do after every
response). The autosave request is discovered from the HTML the check-up page serves (the first question's
``hx-post`` URL, ``hx-vals``, ``hx-params`` and the form's hidden inputs), not hard-coded, so it follows
changes to the URLs and fields. Every response must be 200 and say "Saved"; anything else is a failure.

Two drivers: :func:`closed_loop` (each client posts again as soon as its answer arrives: the saturating
rate) and :func:`open_loop` (Poisson arrivals at a fixed rate, latency measured from the scheduled time so
queueing behind busy clients counts).
"""

from __future__ import annotations

import http.client
import json
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from typing import Protocol
from urllib.parse import urlencode, urljoin, urlsplit

SAFETY_ITEMS = re.compile(r"^(phq9_9|asq_.*)$")
"""Items whose answers can raise a safety flag: the load generator never writes them."""

RECONNECT_ERRORS = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


# --- HTML discovery ------------------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    inputs: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Fieldset:
    attrs: dict[str, str]
    form: Form | None
    inputs: list[dict[str, str]] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.fieldsets: list[Fieldset] = []
        self._form: Form | None = None
        self._fieldset: Fieldset | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
        elif tag == "fieldset" and "hx-post" in a:
            self._fieldset = Fieldset(a, self._form)
            self.fieldsets.append(self._fieldset)
        elif tag == "input":
            if self._form is not None:
                self._form.inputs.append(a)
            if self._fieldset is not None:
                self._fieldset.inputs.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "fieldset":
            self._fieldset = None


def parse_page(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser


def start_form(html: str, page_path: str) -> tuple[str, dict[str, str]]:
    """The form that starts a check-up: the POST form posting back to this page (else the first POST form
    carrying a CSRF token). Returns its action URL and its hidden fields (nothing optional is ticked)."""
    forms = [f for f in parse_page(html).forms if f.method == "post"]
    chosen = next((f for f in forms if urljoin(page_path, f.action or page_path) == page_path), None)
    if chosen is None:
        chosen = next(
            (f for f in forms if any(i.get("name") == "csrfmiddlewaretoken" for i in f.inputs)), None
        )
    if chosen is None:
        raise RuntimeError("no check-up start form found on the start page")
    hidden = {
        i["name"]: i.get("value", "") for i in chosen.inputs if i.get("type") == "hidden" and i.get("name")
    }
    return urljoin(page_path, chosen.action or page_path), hidden


@dataclass
class Autosave:
    """How the check-up page autosaves its first (non-safety) question."""

    action: str
    item: str
    values: list[str]
    fixed: dict[str, str]
    value_field: str
    revision_field: str | None
    revision: int

    def body(self, value: str) -> dict[str, str]:
        data = dict(self.fixed)
        data[self.value_field] = value
        if self.revision_field:
            data[self.revision_field] = str(self.revision)
        return data


def autosave_of(html: str, page_path: str) -> Autosave:
    """Discover the autosave request of the first question on a check-up page that is not a safety item."""
    page = parse_page(html)
    for fs in page.fieldsets:
        extra = json.loads(fs.attrs.get("hx-vals") or "{}")
        item = str(extra.get("item", ""))
        choices = [i for i in fs.inputs if i.get("type") in {"radio", "number"} and i.get("name")]
        if not choices:
            continue
        value_field = choices[0]["name"]
        item = item or value_field
        if SAFETY_ITEMS.match(item):
            continue
        values = [
            i.get("value", "") for i in choices if i.get("type") == "radio" and i["name"] == value_field
        ]
        if not values:  # a number input: two values inside its bounds
            low = choices[0].get("min", "0")
            values = [low, str(int(low) + 1)]
        hidden = {
            i["name"]: i.get("value", "")
            for i in (fs.form.inputs if fs.form else [])
            if i.get("type") == "hidden" and i.get("name")
        }
        rev_inputs = [
            i for i in fs.inputs if i.get("type") == "hidden" and i.get("name", "").startswith("rev_")
        ]
        revision_field = rev_inputs[0]["name"] if rev_inputs else None
        revision = int(rev_inputs[0].get("value") or 0) if rev_inputs else 0
        params = [p.strip() for p in fs.attrs.get("hx-params", "").split(",") if p.strip()]
        fixed: dict[str, str] = {}
        for name in params or [*hidden, *extra]:
            if name in extra:
                fixed[name] = str(extra[name])
            elif name in hidden and name != revision_field:
                fixed[name] = hidden[name]
        for name, value in extra.items():
            fixed.setdefault(name, str(value))
        return Autosave(
            action=urljoin(page_path, fs.attrs["hx-post"]),
            item=item,
            values=values,
            fixed=fixed,
            value_field=value_field,
            revision_field=revision_field,
            revision=revision,
        )
    raise RuntimeError("no autosaving question found on the check-up page")


def saved_revision(html: str, revision_field: str | None) -> int | None:
    """The revision the autosave response hands back for the next save, if it says."""
    if not revision_field:
        return None
    for tag in re.findall(r"<input\b[^>]*>", html):
        if re.search(rf'name="{re.escape(revision_field)}"', tag):
            found = re.search(r'value="(\d+)"', tag)
            if found:
                return int(found.group(1))
    return None


def is_saved(html: str) -> bool:
    return 'class="saved"' in html and "save-error" not in html


# --- HTTP clients --------------------------------------------------------------------------------------------


class Response:
    def __init__(self, status: int, headers: http.client.HTTPMessage, text: str) -> None:
        self.status = status
        self.headers = headers
        self.text = text


class Http:
    """One keep-alive connection to 127.0.0.1 with its own cookie jar."""

    def __init__(self, port: int, timeout: float = 10.0) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.reconnects = 0

    def request(
        self,
        method: str,
        path: str,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        body = urlencode(data).encode() if data is not None else None
        head = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "bounceback-bench-web"}
        if body is not None:
            head["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        head.update(headers or {})
        for attempt in (1, 2):
            reused = self.conn.sock is not None
            try:
                self.conn.request(method, path, body=body, headers=head)
                raw = self.conn.getresponse()
                text = raw.read().decode("utf-8", "replace")
                break
            except RECONNECT_ERRORS:
                # The server closed an idle keep-alive connection just as we reused it: reconnect once.
                self.conn.close()
                if attempt == 2 or not reused:
                    raise
                self.reconnects += 1
        for header in raw.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if raw.will_close:
            self.conn.close()
        return Response(raw.status, raw.headers, text)

    def close(self) -> None:
        self.conn.close()


class SaveClient(Protocol):
    def setup(self) -> None: ...

    def save(self) -> str | None:
        """Post one autosave; None when it saved, else why not."""
        ...

    def close(self) -> None: ...


class VisitorClient:
    """A Bounceback visitor with its own session and check-up, autosaving its first question."""

    def __init__(self, port: int, timeout: float = 10.0) -> None:
        self.http = Http(port, timeout)
        self.spec: Autosave | None = None
        self.turn = 0

    def setup(self) -> None:
        page = self.http.request("GET", "/checkup/")
        if page.status != 200:
            raise RuntimeError(f"GET /checkup/ answered {page.status}")
        action, fields = start_form(page.text, "/checkup/")
        started = self.http.request("POST", action, fields)
        location = action
        response = started
        for _ in range(5):
            if response.status not in {301, 302, 303}:
                break
            location = urljoin(location, response.headers["Location"])
            response = self.http.request(
                "GET",
                urlsplit(location).path
                + (f"?{urlsplit(location).query}" if urlsplit(location).query else ""),
            )
        if response.status != 200:
            raise RuntimeError(f"starting a check-up ended with {response.status} at {location}")
        self.spec = autosave_of(response.text, urlsplit(location).path)

    def save(self) -> str | None:
        spec = self.spec
        assert spec is not None, "setup() first"
        self.turn += 1
        value = spec.values[self.turn % len(spec.values)]
        response = self.http.request("POST", spec.action, spec.body(value), {"HX-Request": "true"})
        if response.status != 200:
            return f"HTTP {response.status}"
        if not is_saved(response.text):
            return "not saved: " + re.sub(r"<[^>]+>", "", response.text).strip()[:120]
        revision = saved_revision(response.text, spec.revision_field)
        if revision is not None:
            spec.revision = revision
        return None

    def close(self) -> None:
        self.http.close()


class FloorClient:
    """A client of the floor view: one row of its own, upserted with alternating values."""

    def __init__(self, port: int, name: str, timeout: float = 10.0) -> None:
        self.http = Http(port, timeout)
        self.name = name
        self.turn = 0

    def setup(self) -> None:
        if self.save() is not None:
            raise RuntimeError("the floor view did not save")

    def save(self) -> str | None:
        self.turn += 1
        data = {"client": self.name, "item": "brs_1", "value": str(1 + self.turn % 5)}
        response = self.http.request("POST", "/save/", data)
        if response.status != 200:
            return f"HTTP {response.status}"
        if not is_saved(response.text):
            return "not saved: " + response.text[:120]
        return None

    def close(self) -> None:
        self.http.close()


# --- Drivers -------------------------------------------------------------------------------------------------


@dataclass
class Result:
    clients: int
    seconds: float
    saves: int
    failures: Counter[str]
    latencies_ms: list[float]
    offered_rate: float | None = None
    client_cpu_seconds: float = 0.0
    reconnects: int = 0

    @property
    def rate(self) -> float:
        return self.saves / self.seconds

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
        return ordered[rank - 1]

    def summary(self) -> dict[str, object]:
        return {
            "clients": self.clients,
            "seconds": round(self.seconds, 2),
            "saves": self.saves,
            "saves_per_second": round(self.rate, 1),
            "offered_rate": None if self.offered_rate is None else round(self.offered_rate, 1),
            "p50_ms": round(self.percentile(50), 2),
            "p95_ms": round(self.percentile(95), 2),
            "p99_ms": round(self.percentile(99), 2),
            "max_ms": round(max(self.latencies_ms, default=float("nan")), 2),
            "failures": sum(self.failures.values()),
            "failure_reasons": dict(self.failures.most_common(5)),
            "client_cpu_seconds": round(self.client_cpu_seconds, 2),
            "reconnects": self.reconnects,
        }


def _reconnects(clients: list[SaveClient]) -> int:
    return sum(getattr(getattr(c, "http", None), "reconnects", 0) for c in clients)


def closed_loop(clients: list[SaveClient], warmup: float, duration: float) -> Result:
    """Every client saves back to back for warmup + duration seconds; only the last `duration` counts."""
    lock = threading.Lock()
    latencies: list[float] = []
    failures: Counter[str] = Counter()
    saves = 0
    barrier = threading.Barrier(len(clients) + 1)
    times: dict[str, float] = {}
    before = _reconnects(clients)

    def work(client: SaveClient) -> None:
        nonlocal saves
        mine: list[float] = []
        bad: Counter[str] = Counter()
        ok = 0
        barrier.wait()
        begin, end = times["begin"], times["end"]
        while True:
            t0 = time.perf_counter()
            if t0 >= end:
                break
            try:
                why = client.save()
            except Exception as exc:  # a failure to count, never to stop the run
                why = type(exc).__name__
            t1 = time.perf_counter()
            if t0 >= begin and t1 <= end:
                if why is None:
                    ok += 1
                    mine.append((t1 - t0) * 1000)
                else:
                    bad[why] += 1
        with lock:
            latencies.extend(mine)
            failures.update(bad)
            saves += ok

    threads = [threading.Thread(target=work, args=(c,), daemon=True) for c in clients]
    for t in threads:
        t.start()
    now = time.perf_counter()
    times["begin"] = now + warmup
    times["end"] = now + warmup + duration
    cpu0 = time.process_time()
    barrier.wait()
    for t in threads:
        t.join(timeout=warmup + duration + 30)
    cpu = time.process_time() - cpu0
    return Result(
        len(clients), duration, saves, failures, latencies, None, cpu, _reconnects(clients) - before
    )


def open_loop(
    clients: list[SaveClient], rate: float, warmup: float, duration: float, seed: int = 1
) -> Result:
    """Poisson arrivals at `rate` a second, served by the first idle client; latency counts from the arrival's
    scheduled time, so a request that waits for a free client (or a slow server) is charged for the wait."""
    rng = random.Random(seed)
    schedule: list[float] = []
    t = 0.0
    while t < warmup + duration:
        t += rng.expovariate(rate)
        schedule.append(t)
    lock = threading.Lock()
    latencies: list[float] = []
    failures: Counter[str] = Counter()
    saves = 0
    next_index = 0
    barrier = threading.Barrier(len(clients) + 1)
    start: dict[str, float] = {}
    before = _reconnects(clients)

    def work(client: SaveClient) -> None:
        nonlocal saves, next_index
        barrier.wait()
        t0 = start["t0"]
        while True:
            with lock:
                i = next_index
                next_index += 1
            if i >= len(schedule):
                break
            due = t0 + schedule[i]
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            try:
                why = client.save()
            except Exception as exc:
                why = type(exc).__name__
            done = time.perf_counter()
            if schedule[i] >= warmup and schedule[i] < warmup + duration:
                with lock:
                    if why is None:
                        saves += 1
                        latencies.append((done - due) * 1000)
                    else:
                        failures[why] += 1

    threads = [threading.Thread(target=work, args=(c,), daemon=True) for c in clients]
    for th in threads:
        th.start()
    start["t0"] = time.perf_counter() + 0.05
    cpu0 = time.process_time()
    barrier.wait()
    for th in threads:
        th.join(timeout=warmup + duration + 30)
    cpu = time.process_time() - cpu0
    return Result(
        len(clients), duration, saves, failures, latencies, rate, cpu, _reconnects(clients) - before
    )


def set_up(clients: list[SaveClient], parallel: int = 8) -> None:
    """Run every client's (untimed) setup, a few at a time."""
    errors: list[BaseException] = []
    pending = list(clients)
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                if not pending or errors:
                    return
                client = pending.pop()
            try:
                client.setup()
            except Exception as exc:
                with lock:
                    errors.append(exc)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(parallel)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    if errors:
        raise RuntimeError(f"client setup failed: {errors[0]!r}") from errors[0]
