"""Background jobs for long editor work: one writer thread, a job id to poll."""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
# A job's work gets a progress callback and returns its report (the ingest JSON).
Work = Callable[[Progress], dict[str, Any]]

KEEP_JOBS = 200


class JobFailed(Exception):
    """The work failed as a whole; `report` says what was (not) done."""

    def __init__(self, message: str, report: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.report = report


class JobCancelled(Exception):
    """Raised from the progress callback when the runner stops: ends the job between batches."""


@dataclass
class Job:
    """One unit of background work and what became of it."""

    kind: str
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    status: str = "queued"  # queued | running | done | failed
    report: dict[str, Any] | None = None
    error: str | None = None
    done: int = 0
    total: int | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None

    def to_json(self) -> dict[str, Any]:
        """The shape `GET /v1/jobs/{id}` returns."""
        out: dict[str, Any] = {"job_id": self.id, "kind": self.kind, "status": self.status,
                               "progress": {"done": self.done, "total": self.total}}
        if self.report is not None:
            out["report"] = self.report
        if self.error is not None:
            out["error"] = self.error
        return out


class JobRunner:
    """Runs submitted work one job at a time in a daemon thread, remembering recent jobs."""

    def __init__(self, keep: int = KEEP_JOBS) -> None:
        self._keep = keep
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._work: dict[str, Work] = {}
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the worker thread."""
        # A daemon: a long sync must not keep the process alive at exit; the archive's
        # writes are crash-safe, and stop() ends work between batches anyway.
        self._thread = threading.Thread(target=self._loop, name="avatar-jobs", daemon=True)
        self._thread.start()

    def submit(self, kind: str, work: Work) -> Job:
        """Queue work; returns the job to poll."""
        if self._stopping.is_set():
            raise RuntimeError("the job runner is shutting down")
        job = Job(kind)
        with self._lock:
            self._jobs[job.id] = job
            self._work[job.id] = work
            self._forget_old()
        self._queue.put(job.id)
        return job

    def get(self, job_id: str) -> Job | None:
        """A job by id (recent jobs only)."""
        with self._lock:
            return self._jobs.get(job_id)

    def pending(self, kind: str) -> Job | None:
        """A queued or running job of this kind, if any (so a scheduler does not pile up)."""
        with self._lock:
            return next((j for j in self._jobs.values()
                         if j.kind == kind and j.status in ("queued", "running")), None)

    def stop(self, grace: float = 10.0) -> None:
        """Cancel queued jobs, ask the running one to stop between batches, wait `grace` s."""
        self._stopping.set()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout=grace)
        with self._lock:
            for job in self._jobs.values():
                if job.status == "queued":
                    self._finish(job, "failed", error="cancelled: the server shut down")

    # -- the worker ----------------------------------------------------------------------

    def _loop(self) -> None:
        while True:
            job_id = self._queue.get()
            if job_id is None or self._stopping.is_set():
                return
            with self._lock:
                job = self._jobs.get(job_id)
                work = self._work.pop(job_id, None)
            if job is None or work is None:
                continue
            self._run(job, work)

    def _run(self, job: Job, work: Work) -> None:
        job.status = "running"

        def progress(done: int, total: int) -> None:
            job.done, job.total = done, total
            if self._stopping.is_set():
                raise JobCancelled("cancelled: the server shut down")

        try:
            report = work(progress)
        except JobFailed as exc:
            self._finish(job, "failed", report=exc.report, error=str(exc))
        except JobCancelled as exc:
            self._finish(job, "failed", error=str(exc))
        except Exception as exc:  # a bug in one job must not stop the worker
            log.exception("job %s (%s) failed", job.id, job.kind)
            self._finish(job, "failed", error=f"{type(exc).__name__}: {exc}")
        else:
            self._finish(job, "done", report=report)

    @staticmethod
    def _finish(job: Job, status: str, *, report: dict[str, Any] | None = None,
                error: str | None = None) -> None:
        job.report, job.error, job.finished = report, error, time.time()
        job.status = status  # last: a poller that sees "done" also sees the report

    def _forget_old(self) -> None:
        finished = [i for i, j in self._jobs.items() if j.status in ("done", "failed")]
        for job_id in finished[: max(0, len(self._jobs) - self._keep)]:
            del self._jobs[job_id]
