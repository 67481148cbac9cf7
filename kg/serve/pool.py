"""The query workers of `kg serve`: pebble process pools, one per build of the graph.

A *generation* is one build: a private copy of its kg.trig and a pebble ProcessPool whose
workers all load that copy, so a worker restarted later still holds the same build. A query past
its timeout has its worker killed by pebble (a thread could not be stopped). pebble copes with a
busy worker that dies, but marks the whole pool broken when an idle one does; a supervisor
thread then replaces the pool (same copy of the build), and a request that met the broken pool
is tried once more on the new one.

When dist/ changes (kg.trig or build-info.json: inode, size, mtime) and has stayed unchanged for
one more look, a new generation is started and warmed up, then swapped in with one assignment;
the old one finishes what it is running and stops. A request takes the generation once, so every
answer comes from one build, and after the swap no answer comes from the old one.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import hashlib
import multiprocessing
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from kg.query.engine import graph_file
from kg.serve.work import Answer, Job, ping, run, start

# Workers start from a fork server that has imported the worker module once: fast restarts,
# and no copy of the server's sockets or threads in a worker.
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["__main__", "kg.serve.work"])


class BusyError(Exception):
    """No worker became free in time (every one is running a long query)."""


class QueryTimeoutError(Exception):
    pass


class WorkerDiedError(Exception):
    pass


class GenerationClosedError(Exception):
    """The build was replaced between taking it and starting the query."""


@dataclass(frozen=True)
class Limits:
    workers: int = 4
    timeout: float = 10.0
    max_rows: int = 10_000
    max_bytes: int = 16 * 1024 * 1024
    max_memory: int = 2048 * 1024 * 1024  # address space of a worker, bytes (0: no cap)
    isolate: bool = True  # cut the workers' network
    queue_wait: float = 2.0  # seconds a query may wait for a free worker
    cache_bytes: int = 64 * 1024 * 1024  # answers kept per build (0: none)


# Functions whose value changes from one run to the next: their answers are not kept.
_VOLATILE = re.compile(r"\b(NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)


class AnswerCache:
    """Finished answers of one build, least recently used out first. A build never changes, so
    the same job gets the same answer (barring the volatile functions above)."""

    def __init__(self, limit: int) -> None:
        self.limit, self.size = limit, 0
        self.entries: OrderedDict[tuple[object, ...], Answer] = OrderedDict()

    @staticmethod
    def key(job: Job) -> tuple[object, ...] | None:
        if _VOLATILE.search(job.text):
            return None
        return tuple(tuple(v) if isinstance(v, list) else tuple(sorted(v.items()))
                     if isinstance(v, dict) else v for v in dataclasses.astuple(job))

    def get(self, job: Job) -> Answer | None:
        key = self.key(job) if self.limit else None
        found = self.entries.get(key) if key is not None else None
        if found is not None:
            self.entries.move_to_end(key)  # type: ignore[arg-type]
        return found

    def put(self, job: Job, answer: Answer) -> None:
        key = self.key(job) if self.limit else None
        if key is None or answer.status != 200 or len(answer.body) > self.limit // 8:
            return
        if key not in self.entries:
            self.entries[key] = answer
            self.size += len(answer.body)
        while self.size > self.limit:
            _, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped.body)


def signature(dist: Path) -> tuple[tuple[int, int, int], ...]:
    """What identifies the published build on disk, without reading it."""
    out = []
    for name in ("kg.trig", "build-info.json"):
        try:
            info = (dist / name).stat()
            out.append((info.st_ino, info.st_size, info.st_mtime_ns))
        except OSError:
            out.append((0, 0, 0))
    return tuple(out)


class Generation:
    """One build of the graph and the pool of workers that hold it."""

    def __init__(self, dist: Path, limits: Limits) -> None:
        self.limits = limits
        self.signature = signature(dist)
        self.folder = Path(tempfile.mkdtemp(prefix="kg-serve-"))
        try:
            shutil.copyfile(graph_file(dist), self.folder / "kg.trig")
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        self.version = hashlib.sha256((self.folder / "kg.trig").read_bytes()).hexdigest()[:16]
        self._lock = threading.Lock()
        self.cache = AnswerCache(limits.cache_bytes)  # used from the event loop only
        self.closed = False
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPool:
        limits = self.limits
        return ProcessPool(max_workers=max(1, limits.workers), context=_CONTEXT,
                           initializer=start,
                           initargs=(str(self.folder), limits.max_rows, limits.max_bytes,
                                     limits.max_memory, limits.isolate))

    def warm(self, timeout: float = 120.0) -> list[tuple[int, bool]]:
        """Wait until every worker has loaded the graph; their (pid, isolated) pairs."""
        deadline = time.monotonic() + timeout
        seen: dict[int, bool] = {}
        while len(seen) < self.limits.workers and time.monotonic() < deadline:
            futures = [self.pool.schedule(ping) for _ in range(self.limits.workers)]
            for future in futures:
                pid, isolated = future.result(timeout=max(0.1, deadline - time.monotonic()))
                seen[pid] = isolated
        if not seen:
            raise RuntimeError("no query worker started")
        return sorted(seen.items())

    def heal(self) -> bool:
        """Replace a pool that pebble marked broken; True if it did."""
        with self._lock:
            if self.pool.active:
                return False
            broken, self.pool = self.pool, self._new_pool()
        broken.stop()
        threading.Thread(target=broken.join, daemon=True).start()
        print("kg serve: a query worker died while idle; its pool was replaced", file=sys.stderr)
        return True

    async def run(self, job: Job) -> Answer:
        for attempt in (1, 2):
            pool = self.pool
            try:
                future = pool.schedule(run, args=(job,), timeout=self.limits.timeout)
            except RuntimeError:  # the pool is broken, or closed by a reload just now
                if self.closed:
                    raise GenerationClosedError from None
                self.heal()
                continue
            try:
                return await self._wait(future)
            except concurrent.futures.process.BrokenProcessPool:
                if attempt == 1:
                    self.heal()
                    continue
                raise WorkerDiedError("the query workers died; try again") from None
        raise WorkerDiedError("the query workers died; try again")

    async def _wait(self, future: concurrent.futures.Future[Answer]) -> Answer:
        wrapped = asyncio.wrap_future(future)
        try:
            # A bounded wait for a free worker: while every worker runs a long query, a new
            # query is refused soon rather than held for the full timeout.
            return await asyncio.wait_for(asyncio.shield(wrapped),
                                          self.limits.queue_wait)
        except TimeoutError:
            # pebble can cancel a running task too (by stopping its worker): only a task still
            # queued is refused here.
            if not future.running() and future.cancel():
                raise BusyError("every query worker is busy; try again") from None
        try:
            return await wrapped
        except TimeoutError:
            raise QueryTimeoutError(
                f"the query ran longer than {self.limits.timeout:g} s and was stopped") from None
        except ProcessExpired:
            raise WorkerDiedError("the query's worker died (out of memory?)") from None
        except asyncio.CancelledError:
            future.cancel()  # the client went away: pebble stops the worker
            raise

    def close(self, wait: bool = False) -> None:
        """Stop taking queries; finish the running ones, then stop the workers and delete the
        copy of the build (in the background unless wait)."""
        self.closed = True

        def finish() -> None:
            self.pool.close()
            self.pool.join(timeout=self.limits.timeout + 5)
            self.pool.stop()
            self.pool.join(timeout=5)
            shutil.rmtree(self.folder, ignore_errors=True)

        if wait:
            finish()
        else:
            threading.Thread(target=finish, daemon=True).start()

    def stop(self) -> None:
        """Stop at once: kill running queries."""
        self.closed = True
        self.pool.stop()
        self.pool.join(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


class QueryPool:
    """The current generation, a supervisor that heals it, and the reload when dist/ changes."""

    def __init__(self, dist: Path, limits: Limits, reload_interval: float = 1.0) -> None:
        self.dist, self.limits = dist, limits
        self.current = Generation(dist, limits)
        try:
            self.workers = self.current.warm()
        except BaseException:
            self.current.stop()
            raise
        self._stopping = threading.Event()
        self._interval = reload_interval
        self._watcher = threading.Thread(target=self._watch, name="kg-serve-watch", daemon=True)
        self._watcher.start()

    @property
    def isolated(self) -> bool:
        return all(isolated for _, isolated in self.workers)

    @property
    def version(self) -> str:
        return self.current.version

    def cached(self, job: Job) -> tuple[Answer, str] | None:
        generation = self.current
        found = generation.cache.get(job)
        return None if found is None else (found, generation.version)

    async def run(self, job: Job) -> tuple[Answer, str]:
        """The answer to a job and the version of the build that answered it."""
        generation = self.current  # once: the whole answer comes from this build
        try:
            answer = await generation.run(job)
        except GenerationClosedError:
            generation = self.current
            answer = await generation.run(job)
        generation.cache.put(job, answer)
        return answer, generation.version

    def _watch(self) -> None:
        pending = failed = None
        while not self._stopping.wait(self._interval):
            self.current.heal()
            seen = signature(self.dist)
            if seen in (self.current.signature, failed):
                pending = None
            elif seen != pending:
                pending = seen  # changed: wait one more look for the writer to finish
            else:
                failed = None if self.reload() else seen  # a bad build is tried once
                pending = None

    def reload(self) -> bool:
        """Swap in a generation built from dist/ as it is now; False (old one kept) if it
        cannot be loaded."""
        try:
            fresh = Generation(self.dist, self.limits)
        except Exception as error:  # noqa: BLE001 (a half-written or missing build)
            print(f"kg serve: not reloading: {error}", file=sys.stderr)
            return False
        try:
            workers = fresh.warm()
        except Exception as error:  # noqa: BLE001
            print(f"kg serve: not reloading, the new build did not load: {error}",
                  file=sys.stderr)
            fresh.stop()
            return False
        old, self.current, self.workers = self.current, fresh, workers
        old.close()
        print(f"kg serve: reloaded {graph_file(self.dist)} (version {fresh.version})",
              file=sys.stderr)
        return True

    def close(self) -> None:
        self._stopping.set()
        if self._watcher.is_alive() and self._watcher is not threading.current_thread():
            self._watcher.join(timeout=self._interval + 1)
        self.current.stop()
