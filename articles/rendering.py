"""Markdown -> safe HTML for article revisions, plus TOC and plain-text helpers.

Pure Python (no Django imports): Python-Markdown renders, nh3 sanitises with an explicit
allow-list. Raw HTML in the source is allowed through Markdown and then cleaned by nh3.

Python-Markdown is super-linear on some hostile inputs (runs of unmatched "[", "[a](", deeply
nested lists, which raise RecursionError) and so is html5ever on some shapes. MAX_SOURCE_BYTES
bounds size, not CPU. So render_markdown() runs the work in a separate worker process with a
deadline of CPU time (RENDER_DEADLINE_SECONDS of the worker's own CPU, measured by the kernel:
ITIMER_PROF), so that a loaded machine, which only makes the render slower by the clock, never
refuses valid content; a wall-clock backstop that scales with the machine's load kills the
process should it ever stop returning to Python. Only small sources of a shape measured to be
fast are rendered in the calling thread. The worker is started
with "spawn" and imports nothing but this module (no Django), so it behaves the same under
Django request threads, Celery workers (also prefork children) and pytest. Keep this module free
of Django imports. As always with "spawn", the worker re-imports the parent's main script:
entry-point scripts must keep their work under `if __name__ == "__main__":` (manage.py,
gunicorn, celery and pytest do); otherwise renders fail with RenderError, they do not hang.
"""

from __future__ import annotations

import atexit
import math
import multiprocessing
import multiprocessing.connection
import multiprocessing.process
import os
import re
import signal
import threading
import xml.etree.ElementTree as etree  # noqa: S405 - builds elements, parses nothing
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from html.parser import HTMLParser
from importlib.metadata import version

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

try:
    import resource
except ImportError:  # not on Windows: the CPU rlimit is then left out
    resource = None  # type: ignore[assignment]

from . import limits

# Bump the policy number whenever the allow-list or the Markdown extension set changes.
# policy-2: `attachment:<uuid>` references resolved to the permission-checked file address.
POLICY_VERSION = "policy-2"
SANITISER_VERSION: str = f"nh3-{version('nh3')}+markdown-{version('Markdown')}+{POLICY_VERSION}"

# One Markdown source, UTF-8 encoded (1 MB, articles.limits). This bounds size, NOT CPU time:
# Python-Markdown is quadratic on runs of unmatched "[" (20 KB of "[" takes ~40 s, upstream issue
# #798); CPU time is bounded by RENDER_DEADLINE_SECONDS below.
MAX_SOURCE_BYTES = limits.MAX_SOURCE_BYTES

# CPU-time budget of one render in the worker process, in seconds of the worker's CPU: a base,
# plus an allowance per MB of source (both read at call time, so they can be patched). Measured
# on the 2-core development machine, under load: 1 MB of rich Markdown (rendering_bench: tables,
# lists, links, code) takes ~4.3 s of CPU, 1 MB of prose ~1.7 s, and 0.9 MB of one long
# paragraph of quotes and accents ~8.8 s (html5ever); the budget for 1 MB is 14 s. Unmatched
# brackets, quadratic, take ~40 s for 20 KB: refused after ~4.2 s.
RENDER_DEADLINE_SECONDS = 4.0
RENDER_CPU_SECONDS_PER_MB = 10.0


class RenderError(ValueError):
    """The Markdown source could not be rendered (too large, too slow or too convoluted)."""


class RenderTimeout(RenderError):
    """Rendering used more than its CPU deadline (or, stuck, outlived its wall-clock backstop:
    then the worker process was killed)."""


class SourceTooLarge(RenderError):
    """The Markdown source exceeds MAX_SOURCE_BYTES."""


# attr_list and md_in_html are deliberately absent: they let authors set arbitrary attributes.
# footnotes and admonition are absent because their ids/classes would not survive the allow-list.
_EXTENSIONS = ["fenced_code", "tables", "sane_lists", "def_list", "abbr", "toc"]
_EXTENSION_CONFIGS = {
    "tables": {"use_align_attribute": True},
    "toc": {"permalink": False, "anchorlink": False, "slugify": slugify_unicode},
}

# Uploaded images and files (articles/attachments): Markdown names them `attachment:<uuid>`,
# which carries no host, tenant nor path and so survives export, import and restore. The
# render resolves it to the one address that serves it, through the permission layer
# (articles/urls.py: files/<uuid>/, the image's original at files/<uuid>/original/); an image
# is wrapped in a link to its original (click to zoom). Any other use of the scheme (raw HTML,
# a malformed id) is left to the sanitiser, which refuses the scheme.
_ATTACHMENT_RE = re.compile(r"attachment:([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})")
FILE_URL = "/files/{id}/"
ORIGINAL_URL = "/files/{id}/original/"


def attachment_id(url: str | None) -> str | None:
    match = _ATTACHMENT_RE.fullmatch((url or "").strip())
    return match.group(1).lower() if match else None


class _AttachmentTreeprocessor(Treeprocessor):
    def run(self, root):
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "a":
                    found = attachment_id(child.get("href"))
                    if found:
                        child.set("href", FILE_URL.format(id=found))
                elif child.tag == "img":
                    found = attachment_id(child.get("src"))
                    if not found:
                        continue
                    child.set("src", FILE_URL.format(id=found))
                    if parent.tag != "a":
                        link = etree.Element("a", {"href": ORIGINAL_URL.format(id=found)})
                        link.tail, child.tail = child.tail, None
                        link.append(child)
                        parent[index] = link
        return None


class _AttachmentExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(_AttachmentTreeprocessor(md), "kb_attachments", 12)


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
ALLOWED_TAGS = (
    frozenset(
        "p br hr strong em b i u s del ins mark sub sup blockquote code pre kbd ul ol li dl dt dd"
        " table thead tbody tr th td a img abbr span div".split()
    )
    | _HEADINGS
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "abbr": {"title"},
    "ol": {"start"},
    "code": {"class"},
    **{h: {"id"} for h in _HEADINGS},
}
# Dropped together with their content, which is never prose (nh3's default covers only script
# and style; svg/math subtrees are dropped whole by nh3 anyway, listed for clarity).
_DROP_WITH_CONTENT = set(
    "script style template svg math iframe noscript noembed noframes object applet xmp textarea"
    " title select".split()
)
_HREF_SCHEMES = frozenset({"http", "https", "mailto"})
_SRC_SCHEMES = frozenset({"http", "https"})

_SCHEME_RE = re.compile(r"([a-z][a-z0-9+.\-]*):")
_URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f]")
_LANG_CLASS_RE = re.compile(r"language-[A-Za-z0-9_+#.\-]{1,40}")
_INT_RE = re.compile(r"-?[0-9]{1,6}")
_ALIGN = frozenset({"left", "right", "center", "justify"})


def url_scheme(url: str) -> str | None:
    """Lower-cased scheme as a browser would see it, or None for a relative URL."""
    cleaned = _URL_NOISE_RE.sub("", url).lower()
    match = _SCHEME_RE.match(cleaned)
    return match.group(1) if match else None


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    # Runs after nh3's own URL check and its result is NOT re-checked: only ever return
    # `value` unchanged or None.
    if attribute == "href":
        return value if url_scheme(value) in (None, *_HREF_SCHEMES) else None
    if attribute == "src":
        return value if url_scheme(value) in (None, *_SRC_SCHEMES) else None
    if attribute == "class":
        return value if element == "code" and _LANG_CLASS_RE.fullmatch(value) else None
    if attribute in ("start", "colspan", "rowspan"):
        return value if _INT_RE.fullmatch(value.strip()) else None
    if attribute == "align":
        return value if value.strip().lower() in _ALIGN else None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=_DROP_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    strip_comments=True,
    link_rel="noopener noreferrer nofollow",
    url_schemes=set(_HREF_SCHEMES),
)
_local = threading.local()


def _scrub(text: str) -> str:
    """Replace lone surrogates (nh3 cannot encode them) with U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def sanitise_html(html: str) -> str:
    """Clean untrusted HTML with the allow-list; idempotent."""
    out = _CLEANER.clean(_scrub(html))
    # One html5ever pass is not always a fixed point (stripped wrappers can leave markup that
    # re-parses differently); a few more passes settle it.
    for _ in range(3):
        again = _CLEANER.clean(out)
        if again == out:
            return out
        out = again
    return out


def _markdown() -> markdown.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(extensions=[*_EXTENSIONS, _AttachmentExtension()], extension_configs=_EXTENSION_CONFIGS)
        _local.md = md
    return md


def _render_worker(source: str) -> str:
    """The actual work (Markdown, then nh3), with no time limit. Top-level so the process pool
    can pickle it; also used in-process for the fast path. Any failure becomes RenderError."""
    try:
        md = _markdown()
        md.reset()
        return sanitise_html(md.convert(_scrub(source)))
    except RenderError:
        _local.md = None
        raise
    except BaseException as error:
        # pyo3's PanicException (a panic inside nh3) derives from BaseException, not Exception.
        if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
            raise
        _local.md = None  # a Markdown instance interrupted mid-convert is not reused
        raise RenderError(f"Markdown source could not be rendered ({type(error).__name__})") from error


# --- Fast path -------------------------------------------------------------------------------
# Small sources without the constructs that make Markdown/html5ever slow render in the calling
# thread (no process round trip). Bounds measured by fuzzing (Markdown 3.11, nh3 0.3.8): every
# source they admit renders in < ~25 ms; without the newline, ">" and list-marker bounds 2 KB
# can still take 100-230 ms (definition lists, 1000-deep blockquotes) or hit RecursionError
# ("1. 1. 1. ..." on one line). Anything else goes to the worker process.
_FAST_MAX_BYTES = 2_000
_FAST_MAX_BRACKETS = 50  # "[" (unmatched "[" and "[a](" runs are quadratic)
_FAST_MAX_MARKUP = 200  # "<" plus "&" (tags and entities, slow in html5ever)
_FAST_MAX_QUOTES = 50  # ">" (blockquote nesting)
_FAST_MAX_LINES = 100
_NESTED_MARKERS_RE = re.compile(r"(?:(?:[-*+]|[0-9]{1,9}[.)])[ \t]+){4}")


def _fast_path_ok(source: str, size: int) -> bool:
    return (
        size < _FAST_MAX_BYTES
        and source.count("[") < _FAST_MAX_BRACKETS
        and source.count("<") + source.count("&") < _FAST_MAX_MARKUP
        and source.count(">") < _FAST_MAX_QUOTES
        and source.count("\n") < _FAST_MAX_LINES
        and not _NESTED_MARKERS_RE.search(source)
    )


# --- Worker process pool ---------------------------------------------------------------------
# Two spawn-started workers shared by every thread of this process. At most _POOL_WORKERS
# renders are submitted at once (_state.slots), so a submitted render starts at once on an idle
# worker. The deadline is CPU time, enforced in the worker: SIGPROF (ITIMER_PROF, the process's
# user + system CPU) raises RenderTimeout inside Markdown, which returns it like any error; the
# worker survives. Native code (html5ever in nh3) only sees SIGPROF when it returns, so the
# kernel stops it too: RLIMIT_CPU a little past the deadline terminates the worker (SIGXCPU).
# The parent waits for the result (and for a slot) at most a wall-clock backstop
# (_wall_backstop), for a worker that hangs without using CPU: the deadline times twice how much
# slower than an idle core the machine is now (runnable tasks per core), at least 3 times and a
# minute. Past it the pool's processes are killed and the pool is discarded. Renders running
# next to a worker that was killed or died see BrokenProcessPool and are retried once on a
# fresh pool (a render that kills its worker twice is refused).
_POOL_WORKERS = 2
_BACKSTOP_MIN_FACTOR = 3.0  # the backstop is never under 3x the CPU deadline
_BACKSTOP_MAX_FACTOR = 50.0  # nor over 50x (CPU shares of a cgroup can make a render 25x slower)
_BACKSTOP_MIN_SECONDS = 60.0  # nor under a minute: spinning is stopped by CPU limits, this is for hangs
_RLIMIT_CPU_FACTOR = 1.5  # RLIMIT_CPU (whole seconds) at 1.5x the CPU limit plus 1 s
_WORKER_GRACE_SECONDS = 2.0  # the worker's own wall-clock alarm fires this long after the backstop


def _runnable_tasks() -> float:
    """How many tasks want a CPU now: the instantaneous count of /proc/loadavg where there is one
    (the 1-minute average lags behind a burst), else the 1-minute load average."""
    try:
        with open("/proc/loadavg", encoding="ascii") as file:
            fields = file.read().split()
        running = float(fields[3].split("/")[0])
    except (OSError, IndexError, ValueError):
        running = 0.0
    try:
        average = os.getloadavg()[0]
    except (OSError, AttributeError):
        average = 0.0
    return max(running, average)


def _wall_backstop(cpu_deadline: float) -> float:
    """Wall-clock seconds after which a render of `cpu_deadline` CPU seconds is given up: a busy
    render gets about cpus / (runnable + 1) of a core, and gets twice that allowance."""
    cpus = os.cpu_count() or 1
    slowdown = max(1.0, (_runnable_tasks() + 1) / cpus)
    factor = min(_BACKSTOP_MAX_FACTOR, max(_BACKSTOP_MIN_FACTOR, 2 * slowdown))
    return max(_BACKSTOP_MIN_SECONDS, cpu_deadline * factor)


class _PoolState:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.slots = threading.BoundedSemaphore(_POOL_WORKERS)
        self.executor: ProcessPoolExecutor | None = None


_state = _PoolState()
_atexit_registered = False


def _reset_after_fork() -> None:
    # A forked child (gunicorn --preload, Celery prefork) must not use the parent's pool, nor a
    # lock or semaphore that a parent thread may have held at fork time.
    global _state
    _state = _PoolState()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def _on_alarm(signum: int, frame: object) -> None:
    if signum == getattr(signal, "SIGPROF", None):
        raise RenderTimeout("render exceeded its CPU time in the worker")
    raise RenderTimeout("render exceeded its hard limit in the worker")


def _exit_with_parent(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])  # ready when the parent process has gone
    os._exit(0)


def _worker_init() -> None:
    """Runs once in each worker process."""
    # Ctrl-C in a terminal reaches the whole process group: let the parent decide.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker holds both ends of its task pipe, so it never sees EOF when its parent dies
    # without shutting the pool down (os._exit in Celery's prefork children, SIGKILL of a
    # gunicorn worker, OOM). Watch the spawn parent sentinel instead, so no orphan is left.
    parent = multiprocessing.parent_process()
    if parent is not None and parent.sentinel is not None:
        threading.Thread(target=_exit_with_parent, args=(parent.sentinel,), daemon=True).start()
    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, _on_alarm)
    if hasattr(signal, "SIGPROF"):
        signal.signal(signal.SIGPROF, _on_alarm)
    if resource is not None:
        try:  # a worker stopped by RLIMIT_CPU (SIGXCPU) leaves no core file behind
            resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
        except (OSError, ValueError):
            pass
    _markdown()  # build the Markdown instance before the first task


def _cpu_rlimit(cpu_limit: float | None) -> None:
    """The kernel's own stop for native code that never returns to Python (html5ever inside
    nh3 ignores SIGPROF until it is done): RLIMIT_CPU a little past this render's CPU limit, so
    SIGXCPU terminates the worker; lifted again (None) after the render."""
    if resource is None:
        return
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if cpu_limit is None:
            resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))
            return
        usage = resource.getrusage(resource.RUSAGE_SELF)
        soft = math.ceil(usage.ru_utime + usage.ru_stime + cpu_limit * _RLIMIT_CPU_FACTOR + 1)
        if hard == resource.RLIM_INFINITY or soft < hard:
            resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    except (OSError, ValueError):
        pass


def _pool_task(source: str, cpu_limit: float, hard_limit: float) -> str:
    """Entry point in the worker: the render, stopped after `cpu_limit` seconds of this process's
    CPU (SIGPROF, in Python code; RLIMIT_CPU a little later, in native code), and after
    `hard_limit` wall-clock seconds (SIGALRM) in case the parent that should kill this process
    on its backstop has gone."""
    timers = hasattr(signal, "setitimer") and hasattr(signal, "ITIMER_PROF")
    _cpu_rlimit(cpu_limit)
    if timers:
        signal.setitimer(signal.ITIMER_PROF, cpu_limit)
        if hard_limit > 0:
            signal.setitimer(signal.ITIMER_REAL, hard_limit)
    try:
        return _render_worker(source)
    finally:
        if timers:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.setitimer(signal.ITIMER_REAL, 0)
        _cpu_rlimit(None)


_process_config_lock = threading.Lock()


def _submit(executor: ProcessPoolExecutor, source: str, cpu_limit: float, hard_limit: float) -> Future[str]:
    """executor.submit(), which may start a worker process.

    Celery's prefork children (billiard) need two adjustments while a worker is started: they
    are daemonic, and multiprocessing refuses to start children from a daemonic process; and
    billiard installs its own current-process object whose authkey type the stdlib spawn
    pickler refuses. Both are lifted for the duration of the call only. That is safe here: a
    worker exits when this process goes away (_exit_with_parent), even in the middle of a
    render, so a daemonic parent leaves no orphan."""
    config = getattr(multiprocessing.current_process(), "_config", None)
    if not isinstance(config, dict):
        return executor.submit(_pool_task, source, cpu_limit, hard_limit)
    authkey = config.get("authkey")
    stdlib_key = type(authkey) is multiprocessing.process.AuthenticationString
    if not config.get("daemon") and (authkey is None or stdlib_key):
        return executor.submit(_pool_task, source, cpu_limit, hard_limit)
    with _process_config_lock:
        daemon = config.get("daemon")
        config["daemon"] = False
        if authkey is not None and not stdlib_key:
            config["authkey"] = multiprocessing.process.AuthenticationString(bytes(authkey))
        try:
            return executor.submit(_pool_task, source, cpu_limit, hard_limit)
        finally:
            config["daemon"] = daemon
            if authkey is not None:
                config["authkey"] = authkey


def _get_executor(state: _PoolState) -> ProcessPoolExecutor:
    global _atexit_registered
    with state.lock:
        if state.executor is None:
            state.executor = ProcessPoolExecutor(
                max_workers=_POOL_WORKERS,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_init,
            )
            if not _atexit_registered:
                atexit.register(shutdown_render_pool)
                _atexit_registered = True
        return state.executor


def _discard_executor(state: _PoolState, executor: ProcessPoolExecutor, *, kill: bool) -> None:
    """Forget `executor` (if it is still the current one) and shut it down, killing its worker
    processes first when asked (a running render cannot be cancelled otherwise)."""
    with state.lock:
        if state.executor is executor:
            state.executor = None
    # ProcessPoolExecutor has no public way to reach its processes; _processes is stable
    # across CPython 3.8-3.13 (pid -> Process).
    processes = list((getattr(executor, "_processes", None) or {}).values()) if kill else []
    for process in processes:
        try:
            process.kill()
        except (OSError, ValueError, AttributeError):
            pass  # already gone or closed
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        try:
            process.join(timeout=1.0)
        except (OSError, ValueError, AssertionError, AttributeError):
            pass


def shutdown_render_pool() -> None:
    """Kill and drop this process's render workers (registered with atexit; safe to call any
    time: the next render starts a fresh pool)."""
    state = _state
    executor = state.executor
    if executor is not None:
        _discard_executor(state, executor, kill=True)


def _render_in_pool(source: str, deadline: float) -> str:
    state = _state
    backstop = _wall_backstop(deadline)
    if not state.slots.acquire(timeout=backstop):
        raise RenderTimeout(f"Markdown renderer busy for more than {backstop:.0f} s")
    try:
        for _attempt in range(2):
            executor = _get_executor(state)
            try:
                future = _submit(executor, source, deadline, backstop + _WORKER_GRACE_SECONDS)
            except (BrokenProcessPool, RuntimeError):  # broken, or shut down by another thread
                _discard_executor(state, executor, kill=True)
                continue
            except Exception as error:  # a worker could not be started at all
                _discard_executor(state, executor, kill=True)
                raise RenderError(f"Markdown renderer could not start ({type(error).__name__})") from error
            try:
                return future.result(timeout=backstop)
            except TimeoutError:
                _discard_executor(state, executor, kill=True)
                raise RenderTimeout(
                    f"Markdown rendering took longer than {backstop:.0f} s (CPU limit {deadline:g} s)") from None
            except BrokenProcessPool:
                # A worker died: killed because another render timed out, or crashed on this
                # source (e.g. a native stack overflow). Recreate the pool and retry once.
                _discard_executor(state, executor, kill=True)
                continue
            except RenderError:
                raise
            except Exception as error:  # e.g. an unpicklable result; never a raw library error
                raise RenderError(f"Markdown rendering failed ({type(error).__name__})") from error
        raise RenderError("Markdown renderer process died twice on this source")
    finally:
        state.slots.release()


def render_markdown(source: str, deadline: float | None = None) -> str:
    """Render Markdown to sanitised HTML.

    Raises SourceTooLarge over MAX_SOURCE_BYTES, RenderTimeout when the render takes more than
    `deadline` seconds of CPU (default: RENDER_DEADLINE_SECONDS plus RENDER_CPU_SECONDS_PER_MB
    per MB of source), RenderError for any other failure on
    hostile input (all three are RenderError, a ValueError)."""
    size = len(source.encode("utf-8", "surrogatepass"))
    if size > MAX_SOURCE_BYTES:
        raise SourceTooLarge(f"Markdown source is larger than {MAX_SOURCE_BYTES} bytes")
    if _fast_path_ok(source, size):
        return _render_worker(source)
    limit = RENDER_DEADLINE_SECONDS + RENDER_CPU_SECONDS_PER_MB * size / 1e6 if deadline is None else deadline
    if not limit > 0:
        raise ValueError("deadline must be a positive number of seconds")
    return _render_in_pool(source, float(limit))


class _TocParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.entries: list[tuple[int, str, str]] = []
        self._current: tuple[int, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h2", "h3") and self._current is None:
            self._current = (int(tag[1]), dict(attrs).get("id") or "")
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if self._current and tag == f"h{self._current[0]}":
            level, anchor = self._current
            text = " ".join("".join(self._text).split())
            if anchor:
                self.entries.append((level, anchor, text))
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current:
            self._text.append(data)


def extract_toc(html: str) -> list[tuple[int, str, str]]:
    """(level, id, text) for every h2/h3 carrying an id, in document order."""
    parser = _TocParser()
    parser.feed(html)
    parser.close()
    return parser.entries


_BLOCK_TAGS = (
    frozenset("p br hr blockquote pre ul ol li dl dt dd table thead tbody tr th td div".split()) | _HEADINGS
)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f" {alt} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment (block boundaries become line breaks), for indexing."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)
