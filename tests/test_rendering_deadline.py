"""render_markdown runs hostile-input-prone work in a worker process with a deadline.

No database, no Django: articles.rendering must stay importable (and its worker process must
run) without Django settings.
"""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest

from articles import rendering
from articles.rendering import (
    MAX_SOURCE_BYTES,
    RenderError,
    RenderTimeout,
    SourceTooLarge,
    render_markdown,
)
from articles.rendering_bench import build_source

NORMAL_SMALL = "## Étapes\n\nOuvrir le **dossier** puis [la fiche](https://kb.example/x).\n\n- un\n- deux\n"
NESTED_500 = "".join("    " * depth + "- item\n" for depth in range(500))


def _child_probe() -> dict:
    """Runs inside a render worker process (top-level, so the pool can pickle it)."""
    import multiprocessing
    import os

    return {
        "pid": os.getpid(),
        "django_loaded": any(name == "django" or name.startswith("django.") for name in sys.modules),
        "start_method": multiprocessing.get_start_method(),
    }


@pytest.fixture(scope="module", autouse=True)
def _fresh_pool():
    rendering.shutdown_render_pool()
    yield
    rendering.shutdown_render_pool()


def _pool_pids() -> list[int]:
    executor = rendering._state.executor
    return list(getattr(executor, "_processes", {}) or {}) if executor else []


def test_error_hierarchy():
    assert issubclass(RenderError, ValueError)
    assert issubclass(RenderTimeout, RenderError)
    assert issubclass(SourceTooLarge, RenderError)
    assert rendering.RENDER_DEADLINE_SECONDS == 4.0


def test_small_source_renders_in_process_unchanged():
    assert rendering._fast_path_ok(NORMAL_SMALL, len(NORMAL_SMALL.encode()))
    html = render_markdown(NORMAL_SMALL)
    assert html == rendering._render_worker(NORMAL_SMALL)
    assert '<h2 id="etapes">' in html or "<h2" in html
    assert 'href="https://kb.example/x"' in html


@pytest.mark.parametrize("size", [3_000, 10_000, 100_000])
def test_large_source_renders_in_pool_same_as_in_process(size):
    source = build_source(size)
    assert not rendering._fast_path_ok(source, len(source.encode()))
    html = render_markdown(source)
    assert _pool_pids(), "a large source must go through the worker pool"
    assert html == rendering._render_worker(source)
    assert "<table>" in html and "<script" not in html


def test_worker_process_is_spawned_without_django():
    render_markdown(build_source(5_000))  # make sure the pool exists
    info = rendering._get_executor(rendering._state).submit(_child_probe).result(timeout=30)
    assert info["pid"] in _pool_pids()
    assert info["start_method"] == "spawn"
    assert info["django_loaded"] is False


def test_unmatched_brackets_time_out_and_pool_recovers():
    render_markdown(build_source(5_000))  # warm pool
    start = time.monotonic()
    with pytest.raises(RenderTimeout) as caught:
        render_markdown("[" * 20_000, deadline=1.0)
    elapsed = time.monotonic() - start
    assert "CPU" in str(caught.value)  # stopped by the worker's CPU timer, not the backstop
    assert elapsed < rendering._wall_backstop(1.0) + 2.0, f"timeout took {elapsed:.2f} s"
    source = build_source(10_000)
    assert render_markdown(source) == rendering._render_worker(source)  # the pool still works


def test_a_render_stuck_past_the_wall_clock_backstop_is_killed(monkeypatch):
    """The backstop: a worker that does not come back (native code never returning to Python)
    is killed and the pool discarded; the next render gets a fresh pool."""
    render_markdown(build_source(5_000))
    old_executor, old_pids = rendering._state.executor, _pool_pids()
    assert old_pids
    monkeypatch.setattr(rendering, "_wall_backstop", lambda cpu_deadline: 0.5)
    start = time.monotonic()
    with pytest.raises(RenderTimeout):
        render_markdown("[" * 20_000, deadline=30.0)  # its CPU timer would fire far later
    assert time.monotonic() - start < 0.5 + 2.0
    assert rendering._state.executor is not old_executor  # discarded
    for process in old_executor._processes.values() if old_executor._processes else []:
        assert not process.is_alive()
    monkeypatch.undo()
    source = build_source(10_000)
    assert render_markdown(source) == rendering._render_worker(source)  # fresh pool works
    assert set(_pool_pids()).isdisjoint(old_pids)


def test_native_code_past_its_cpu_limit_is_stopped_by_the_kernel():
    """html5ever (inside nh3) is super-linear on one long paragraph of quotes and accents, and
    never returns to Python meanwhile, so SIGPROF waits: RLIMIT_CPU stops the worker."""
    source = "«é»—«à»—«è»—«ç»\n" * (700_000 // 38)
    cpu_start = time.process_time()
    start = time.monotonic()
    with pytest.raises(RenderError) as caught:
        render_markdown(source, deadline=0.3)
    # Stopped by the kernel (SIGXCPU: "died") when the budget runs out inside html5ever, or by
    # SIGPROF when it runs out back in Python: which one depends on where the CPU went.
    assert "died" in str(caught.value) or "CPU time" in str(caught.value)
    elapsed = time.monotonic() - start
    assert time.process_time() - cpu_start < 1.0  # the parent only waited
    assert elapsed < rendering._wall_backstop(0.3), f"{elapsed:.1f} s: stopped by the backstop, not the kernel"
    source = build_source(10_000)
    assert render_markdown(source) == rendering._render_worker(source)  # a fresh pool works


def test_load_alone_never_refuses_valid_content_and_hostile_input_is_still_refused():
    """Busy processes on every core (two per core): a large article takes more than its
    deadline by the clock, and still renders, because the deadline is CPU time; unmatched
    brackets are still refused under the same load."""
    import subprocess

    source = build_source(300_000)
    rendering._render_worker(source)  # warm: imports, regexes
    cpu_start = time.process_time()
    expected = rendering._render_worker(source)
    cpu = time.process_time() - cpu_start
    deadline = max(1.5 * cpu, 0.3)  # a wall-clock deadline this tight is missed under the load below
    render_markdown(build_source(5_000))  # the pool is up before the load starts
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2 * (os.cpu_count() or 1))]
    try:
        time.sleep(0.3)
        start = time.monotonic()
        assert render_markdown(source, deadline=deadline) == expected
        wall = time.monotonic() - start
        start = time.monotonic()
        with pytest.raises(RenderTimeout) as caught:
            render_markdown("[" * 20_000, deadline=1.0)
        hostile_wall = time.monotonic() - start
    finally:
        for burner in burners:
            burner.kill()
        for burner in burners:
            burner.wait(timeout=10)
    print(f"\n[render under load] source={len(source.encode())} bytes cpu_idle={cpu:.2f}s deadline={deadline:.2f}s "
          f"cpu wall_under_load={wall:.2f}s hostile_refused_after={hostile_wall:.2f}s (deadline 1 s cpu) "
          f"burners={len(burners)}")
    assert "CPU" in str(caught.value)
    assert wall > deadline, "the load did not slow the render: the test proves nothing"


def test_default_deadline_is_read_at_call_time(monkeypatch):
    monkeypatch.setattr(rendering, "RENDER_DEADLINE_SECONDS", 1.0)
    start = time.monotonic()
    with pytest.raises(RenderTimeout):
        render_markdown("[a](" * 5_000)
    assert time.monotonic() - start < rendering._wall_backstop(1.0) + 2.0
    assert render_markdown(NORMAL_SMALL) == rendering._render_worker(NORMAL_SMALL)


def test_deep_nesting_is_a_render_error_not_recursion_error():
    with pytest.raises(RenderError) as caught:
        render_markdown(NESTED_500, deadline=30.0)  # ~4-5 s of CPU before Python gives up
    assert not isinstance(caught.value, RecursionError)
    assert "RecursionError" in str(caught.value)
    # The in-process worker function (fast path) converts it too.
    one_line = "1. " * 600  # 1,800 bytes, 600 levels of ordered list on one line
    with pytest.raises(RenderError):
        rendering._render_worker(one_line)
    with pytest.raises(RenderError):
        render_markdown(one_line)
    assert render_markdown(NORMAL_SMALL)  # and the renderer is still usable


def test_source_too_large_is_a_render_error():
    with pytest.raises(SourceTooLarge) as caught:
        render_markdown("a" * (MAX_SOURCE_BYTES + 1))
    assert isinstance(caught.value, RenderError)
    with pytest.raises(RenderError):
        render_markdown("é" * (MAX_SOURCE_BYTES // 2 + 1))


def test_non_positive_deadline_is_refused():
    with pytest.raises(ValueError):
        render_markdown(build_source(5_000), deadline=0)


@pytest.mark.parametrize("threads", [2, 5])
def test_concurrent_renders_from_threads(threads):
    sources = [build_source(8_000 + 3_000 * n) for n in range(threads)]
    expected = [rendering._render_worker(s) for s in sources]
    results: list[str | BaseException | None] = [None] * threads
    barrier = threading.Barrier(threads)

    def work(i: int) -> None:
        barrier.wait()
        try:
            results[i] = render_markdown(sources[i])
        except BaseException as error:  # noqa: BLE001 - reported below
            results[i] = error

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert results == expected


def test_timeout_of_one_render_does_not_fail_a_concurrent_one():
    """The timed-out render kills the pool's processes; a render running next to it in the
    other worker sees a broken pool and is retried once on a fresh pool."""
    slow_but_fine = "[" * 2_500  # ~0.5 s: still running when the hostile one is killed
    expected = rendering._render_worker(slow_but_fine)
    outcome: dict[str, object] = {}

    def hostile() -> None:
        try:
            render_markdown("[" * 20_000, deadline=1.0)
        except BaseException as error:  # noqa: BLE001
            outcome["hostile"] = error

    def innocent() -> None:
        time.sleep(0.7)
        try:
            outcome["innocent"] = render_markdown(slow_but_fine)
        except BaseException as error:  # noqa: BLE001
            outcome["innocent"] = error

    threads = [threading.Thread(target=hostile), threading.Thread(target=innocent)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert isinstance(outcome["hostile"], RenderTimeout)
    assert outcome["innocent"] == expected


# Hostile shapes that must never take the in-process fast path.
@pytest.mark.parametrize(
    "source",
    [
        "[" * 50,
        "[a](" * 50,
        "<div>" * 150 + "&#106;" * 50,
        "&#106;" * 200,
        ">" * 50,
        "1. " * 4 + "x",
        "x\n: y\n" * 100,
        "a" * 2_000,
    ],
    ids=["brackets", "link-openers", "tags", "entities", "quotes", "nested-markers", "lines", "size"],
)
def test_hostile_shapes_are_kept_off_the_fast_path(source):
    assert not rendering._fast_path_ok(source, len(source.encode()))


# The worst shapes the fast path admits (found by fuzzing) stay fast in-process.
@pytest.mark.parametrize(
    "source",
    [
        "[" * 49 + "a" * 1_950,
        "[a](" * 12 + "x" * 1_950,
        "<" * 100 + "&" * 99 + "a" * 1_700,
        ">" * 49 + " x",
        "x\n: y\n" * 16 + "a" * 1_800,
        "*a" * 999,
        "_" * 1_999,
        "`a" * 999,
        "\\_" * 999,
        "".join(" " * depth + "- x\n" for depth in range(55)),
        "# a\n" * 99,
        "|a|b|\n|-|-|\n" + "|x|y|\n" * 97,
    ],
)
def test_fast_path_sources_are_fast_in_process(source):
    assert rendering._fast_path_ok(source, len(source.encode()))
    best = min(_timed(rendering._render_worker, source) for _ in range(3))
    assert best < 0.1, f"fast-path render took {best * 1000:.0f} ms"


def _timed(function, argument) -> float:
    """CPU seconds (the machine is shared: by the clock, load would decide)."""
    start = time.process_time()
    try:
        function(argument)
    except RenderError:
        pass
    return time.process_time() - start
