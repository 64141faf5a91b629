"""The simulated users of bench/load.py (a locust file; run through bench/load.py, which prepares the
plan it reads from BENCH_LOAD_PLAN). Every answer other than the one a real officer would get counts
as a failure: the goal is none."""

import itertools
import json
import os
import random
import re
import time

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["BENCH_LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
APPROVALS = list(PLAN["approvals"])  # shared by every approver of this process: each is approved once
random.Random(2026).shuffle(APPROVALS)
LABELS = {label: status for status, label in PLAN["job_labels"].items()}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
STATUS = re.compile(r"<strong>([^<]+)</strong>")
SURNAMES = ["Nguyễn", "Hoàng", "Nông", "Triệu", "Lục", "Ma", "Hà", "Lường", "Đặng", "Bế"]
MIDDLE = ["Văn", "Thị", "Đức", "Ngọc", "Minh", "Quang", "Hữu", "Thu"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Hải", "Hoa", "Long", "Mai", "Nam", "Oanh", "Phúc", "Quý", "Sơn", "Tâm"]
# Each importer keeps its own village, as each village's list is kept by one officer: two imports of
# the same village at once are refused by design (the second's check is stale), which is not load.
VILLAGE_TURN = itertools.count()

# (account, the area its figures are read for, the year) — each reads inside its own area.
READERS = itertools.cycle(
    [
        ("tinh.thainguyen", "2025:19", 2025),
        ("tinh.backan", "pre2025:06", 2024),
        ("huyen.chodon", "pre2025:064", 2024),
        ("xa.backan", "2025:01843", 2025),
        ("xem.thainguyen", "2025:19", 2025),
    ]
)


class Officer(HttpUser):
    abstract = True
    account = "xa.backan"

    def on_start(self):
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            "/accounts/login/",
            {"username": self.account, "password": PLAN["password"], "csrfmiddlewaretoken": token},
            allow_redirects=False,
            name="login",
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"login of {self.account} answered {answer.status_code}")

    def csrf(self, html: str) -> str:
        return CSRF.search(html).group(1)


class Reader(Officer):
    """Officers and viewers reading: the statistics page and its download, lists, the figures API."""

    weight = 38
    wait_time = between(1, 4)

    def on_start(self):
        self.account, self.area, self.year = next(READERS)
        super().on_start()

    @task(4)
    def statistics(self):
        self.client.get("/statistics/", params={"area": self.area, "year": self.year}, name="statistics page")

    @task(2)
    def statistics_csv(self):
        params = {"area": self.area, "year": self.year, "format": "csv"}
        self.client.get("/statistics/", params=params, name="statistics CSV")

    @task(4)
    def figures_api(self):
        params = {"area": self.area, "year": self.year, "children": random.choice(["true", "false"])}
        self.client.get("/api/v1/statistics/figures/", params=params, name="figures API")

    @task(2)
    def figures_api_years(self):
        params = {"area": self.area, "years": f"{self.year - 3}-{self.year}"}
        self.client.get("/api/v1/statistics/figures/", params=params, name="figures API, 4 years")

    @task(3)
    def households(self):
        self.client.get("/registry/households/", params={"page": random.randint(1, 20)}, name="households list")

    @task(1)
    def households_search(self):
        params = {"q": random.choice(SURNAMES)}
        self.client.get("/registry/households/", params=params, name="households search")

    @task(2)
    def evaluations(self):
        self.client.get("/evaluations/", params={"year": 2025}, name="evaluations list")

    @task(1)
    def decisions(self):
        self.client.get("/evaluations/decisions/", name="decisions list")

    @task(2)
    def households_api(self):
        self.client.get("/api/v1/households/", params={"page": random.randint(1, 20)}, name="households API")

    @task(1)
    def home(self):
        self.client.get("/", name="home")


class Importer(Officer):
    """A commune officer importing a small households file: upload, wait for the check, save, wait."""

    weight = 4
    wait_time = between(10, 20)

    def on_start(self):
        super().on_start()
        self.village = PLAN["villages"][next(VILLAGE_TURN) % len(PLAN["villages"])]
        # Names not yet used by this importer: a file naming one head twice is refused as a duplicate.
        self.names = [f"{s} {m} {g}" for s in SURNAMES for m in MIDDLE for g in GIVEN]
        random.shuffle(self.names)

    def household_file(self) -> bytes:
        rows = ["Mã hộ,Mã thôn,Tên thôn,Chủ hộ,Số nhân khẩu,Còn sinh sống"]
        for _ in range(10):
            rows.append(f",{self.village},,{self.names.pop()},{random.randint(1, 9)},Có")
        return ("\n".join(rows) + "\n").encode("utf-8")

    def wait_job(self, pk: int, name: str, expected: str) -> bool:
        """Poll the job's fragment as its page does until it stops running; recorded as a request of
        type JOB named `name`, timed from the first poll, failed unless it ends `expected`."""
        start = time.perf_counter()
        deadline, status = time.monotonic() + 300, "still running"
        while time.monotonic() < deadline:
            fragment = self.client.get(f"/imports/{pk}/", headers={"HX-Request": "true"}, name="import job (poll)")
            found = STATUS.search(fragment.text)
            status = LABELS.get(found.group(1).strip(), "unknown") if found else "unknown"
            if status not in ("uploaded", "previewing", "committing"):
                break
            time.sleep(1)
        failed = status != expected
        self.environment.events.request.fire(
            request_type="JOB",
            name=name,
            response_time=(time.perf_counter() - start) * 1000,
            response_length=0,
            exception=RuntimeError(f"job {pk} ended {status}") if failed else None,
            context={},
        )
        return not failed

    @task
    def import_households(self):
        form = self.client.get("/imports/households/new/", name="import page")
        with self.client.post(
            "/imports/households/new/",
            data={"csrfmiddlewaretoken": self.csrf(form.text)},
            files={"file": ("ho-gia-dinh.csv", self.household_file(), "text/csv")},
            allow_redirects=False,
            name="import upload",
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"upload answered {answer.status_code}")
                return
            pk = int(answer.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        if not self.wait_job(pk, "import checked (10 rows)", "previewed"):
            return
        page = self.client.get(f"/imports/{pk}/", name="import job")
        with self.client.post(
            f"/imports/{pk}/commit/",
            data={"csrfmiddlewaretoken": self.csrf(page.text)},
            allow_redirects=False,
            name="import save",
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"save answered {answer.status_code}")
                return
        self.wait_job(pk, "import saved (10 rows)", "committed")


class PageApprover(Officer):
    """The commune officer approving submitted evaluations one at a time on their page."""

    weight = 4
    wait_time = between(3, 8)

    @task
    def approve(self):
        if not APPROVALS:
            return
        pk = APPROVALS.pop()
        page = self.client.get(f"/evaluations/{pk}/", name="evaluation page")
        version = VERSION.search(page.text)
        with self.client.post(
            f"/evaluations/{pk}/",
            {"csrfmiddlewaretoken": self.csrf(page.text), "action": "approve", "version": version.group(1)},
            allow_redirects=False,
            name="approve on the page",
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"approval answered {answer.status_code}")


class ApiApprover(HttpUser):
    """A commune's own program approving through the API with the officer's token."""

    weight = 4
    wait_time = between(3, 8)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {PLAN['token']}"

    @task
    def approve(self):
        if not APPROVALS:
            return
        pk = APPROVALS.pop()
        evaluation = self.client.get(f"/api/v1/evaluations/{pk}/", name="API evaluation").json()
        with self.client.post(
            f"/api/v1/evaluations/{pk}/approve/",
            json={"version": evaluation["version"]},
            name="API approve",
            catch_response=True,
        ) as answer:
            if answer.status_code != 200:
                answer.failure(f"approval answered {answer.status_code}: {answer.text[:200]}")
