"""Finding and loading libedgetune.so, its C API (src/api/edgetune_capi.h), the engine thread.

Search order for the library (docs/python.md):
  1. the file named by the environment variable EDGETUNE_LIB;
  2. the build tree next to the package (python/edgetune -> build/libedgetune.so);
  3. the installed prefix the package was installed with (cmake --install);
  4. pkg-config's libdir for edgetune;
  5. the dynamic linker's search path.
"""

import ctypes
import ctypes.util
import os
import queue
import signal
import subprocess
import threading

_HERE = os.path.dirname(os.path.abspath(__file__))
_SONAME = "libedgetune.so"

try:  # written by cmake --install: paths relative to this folder
    from . import _install  # type: ignore
except ImportError:  # pragma: no cover - the source tree
    _install = None


class Error(Exception):
    """An error reported by edgetune's C library: str(e) is its one-line message."""

    def __init__(self, message, code=1):
        super().__init__(message)
        self.code = code


class InputError(Error, ValueError):
    """Bad input (a scenario key, a file, a policy name): the CLI's exit code 2."""


class StateError(Error, RuntimeError):
    """A call the simulator's state does not allow: a closed Simulator, an episode started
    from inside a policy callback or while another runs, close() during an episode."""


def raise_status(code, message):
    """Raises the exception for a nonzero et_status (src/core/status.h)."""
    if code == 2:
        raise InputError(message, code)
    raise Error(message, code)


def _candidates():
    env = os.environ.get("EDGETUNE_LIB")
    if env:
        yield env
        return
    yield os.path.join(_HERE, "..", "..", "build", _SONAME)
    if _install is not None:
        yield os.path.join(_HERE, _install.LIB_DIR, _SONAME)
    try:
        out = subprocess.run(["pkg-config", "--variable=libdir", "edgetune"],
                             capture_output=True, text=True, check=False)
        if out.returncode == 0 and out.stdout.strip():
            yield os.path.join(out.stdout.strip(), _SONAME)
    except OSError:
        pass
    found = ctypes.util.find_library("edgetune")
    if found:
        yield found


def find_library():
    """The path of the libedgetune.so that will be loaded."""
    tried = []
    for path in _candidates():
        if os.path.sep not in path or os.path.exists(path):
            return os.path.normpath(path) if os.path.sep in path else path
        tried.append(path)
    if os.environ.get("EDGETUNE_LIB"):
        raise ImportError("edgetune: EDGETUNE_LIB=%s: no such file"
                          % os.environ["EDGETUNE_LIB"])
    raise ImportError("edgetune: libedgetune.so not found (tried %s); build it "
                      "(cmake --build build) or set EDGETUNE_LIB" % ", ".join(tried))


def data_dir():
    """The folder holding platforms/, models/ and examples/."""
    env = os.environ.get("EDGETUNE_DATA_DIR")
    if env:
        return env
    if _install is not None:
        path = os.path.normpath(os.path.join(_HERE, _install.DATA_DIR))
        if os.path.exists(os.path.join(path, "examples", "default.json")):
            return path
    return os.path.normpath(os.path.join(_HERE, "..", ".."))


c_int, c_double = ctypes.c_int, ctypes.c_double
c_char_p, c_void_p = ctypes.c_char_p, ctypes.c_void_p
DECIDE_FN = ctypes.CFUNCTYPE(c_int, c_void_p, c_int, c_void_p)
FEEDBACK_FN = ctypes.CFUNCTYPE(c_int, c_void_p, c_int, c_double, c_int)
BEGIN_FN = ctypes.CFUNCTYPE(c_int, c_void_p, c_int, c_int, ctypes.c_ulonglong)
END_FN = ctypes.CFUNCTYPE(c_int, c_void_p)
c_char_pp = ctypes.POINTER(c_char_p)
ERR_SIZE = 768

_PROTOTYPES = {
    "et_capi_engine_init": (c_int, [c_char_p, ctypes.c_size_t]),
    "et_capi_sim_create": (c_int, [c_char_p, c_char_p, c_char_pp, c_char_pp, c_char_pp, c_int,
                                   ctypes.POINTER(c_void_p), c_char_p, ctypes.c_size_t]),
    "et_capi_sim_destroy": (None, [c_void_p]),
    "et_capi_sim_ue_count": (c_int, [c_void_p]),
    "et_capi_state_dim": (c_int, [c_void_p]),
    "et_capi_obs_dim": (c_int, []),
    "et_capi_sim_ue_class": (c_char_p, [c_void_p, c_int]),
    "et_capi_sim_scenario_json": (c_void_p, [c_void_p]),
    "et_capi_free": (None, [c_void_p]),
    "et_capi_sim_set_seed": (c_int, [c_void_p, c_char_p, c_char_p, ctypes.c_size_t]),
    "et_capi_task_field": (c_char_p, [c_int]),
    "et_capi_feedback_field": (c_char_p, [c_int]),
    "et_capi_sim_task": (c_void_p, [c_void_p]),
    "et_capi_sim_action": (c_void_p, [c_void_p]),
    "et_capi_sim_feedback": (c_void_p, [c_void_p]),
    "et_capi_sim_set_policy": (c_int, [c_void_p, DECIDE_FN, FEEDBACK_FN, BEGIN_FN, END_FN,
                                        c_void_p, c_char_p, ctypes.c_size_t]),
    "et_capi_companion_add": (c_int, [c_void_p, c_char_p, ctypes.POINTER(c_int), c_char_p,
                                      ctypes.c_size_t]),
    "et_capi_companion_decide": (c_int, [c_void_p, c_int, ctypes.POINTER(c_double), c_char_p,
                                         ctypes.c_size_t]),
    "et_capi_sim_run": (c_int, [c_void_p, c_char_p, c_char_p, c_int, c_char_p, c_char_p,
                                ctypes.POINTER(c_void_p), c_char_p, ctypes.c_size_t]),
}

PATH = find_library()
lib = ctypes.CDLL(PATH)
for _name, (_res, _args) in _PROTOTYPES.items():
    _fn = getattr(lib, _name)
    _fn.restype, _fn.argtypes = _res, _args


def take_string(ptr):
    """The text of a malloc'd C string, freed."""
    if not ptr:
        raise Error("out of memory", 4)
    try:
        return ctypes.string_at(ptr).decode()
    finally:
        lib.et_capi_free(ptr)


def check(fn, *args):
    """Calls fn(*args, err, size); raises the C error as an exception."""
    err = ctypes.create_string_buffer(ERR_SIZE)
    code = fn(*args, err, ERR_SIZE)
    if code != 0:
        raise_status(code, err.value.decode(errors="replace"))


def restore_sigint():
    """SimGrid's initialisation installs its own SIGINT handler (it prints every actor's state
    from inside the handler, which crashes a Python process); Python's goes back, so that Ctrl-C
    is a KeyboardInterrupt. Only the main thread can set handlers."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.getsignal(signal.SIGINT))


class Engine:
    """The one thread that runs SimGrid in this process.

    SimGrid's engine is not thread-safe and keeps per-thread context state, so every call that
    touches it (initialisation, loading the platform, running episodes) runs on this thread, in
    submission order. Python callbacks of a policy therefore run on it too.
    """

    def __init__(self):
        self._jobs = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name="edgetune-engine", daemon=True)
        self._thread.start()
        self.call(lambda: check(lib.et_capi_engine_init))
        restore_sigint()

    def _loop(self):
        # Ctrl-C goes to the main thread, which waits interruptibly (Job.wait).
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        while True:
            fn, job = self._jobs.get()
            try:
                job.result = fn()
            except BaseException as exc:  # handed to the caller, re-raised there
                job.error = exc
            job.done.set()
            job = None

    def on_engine_thread(self):
        return threading.current_thread() is self._thread

    def submit(self, fn):
        """Queues fn; returns a Job whose wait() gives its result."""
        if self.on_engine_thread():
            raise StateError("edgetune: an episode cannot be started from inside a policy "
                             "callback (the engine is running it)")
        job = Job()
        self._jobs.put((fn, job))
        return job

    def call(self, fn):
        return self.submit(fn).wait()


class Job:
    """A call queued on the engine thread."""

    def __init__(self):
        self.done = threading.Event()
        self.result = None
        self.error = None

    def wait(self, on_interrupt=None):
        """Waits for the call and returns its result or raises its exception. A
        KeyboardInterrupt while waiting calls on_interrupt (which should make the call end
        soon), waits for the call to end, then propagates."""
        # In slices: a Ctrl-C that the kernel delivers to another of the process's threads
        # (one a library started without SIGINT blocked) interrupts no wait of this thread,
        # and Python runs its handler only when this thread next runs bytecode.
        try:
            while not self.done.wait(0.05):
                pass
        except KeyboardInterrupt:
            if on_interrupt is not None:
                on_interrupt()
            while not self.done.is_set():
                try:
                    self.done.wait(0.05)
                except KeyboardInterrupt:
                    pass
            raise
        if self.error is not None:
            error, self.error = self.error, None
            raise error
        return self.result


_engine = None
_engine_lock = threading.Lock()


def engine():
    """The process's engine thread, started on first use."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = Engine()
        return _engine
