"""War Room's in-container runner for Python.

It is the container's main process. It announces itself, reads one request (a JSON line on stdin),
runs the program in a forked child (the interpreter is already warm, so no start-up cost), and streams
everything back as frames on stdout: 1 byte of kind, 4 bytes of big-endian length, the payload.
Kinds: R ready, O program stdout, E program stderr, A artifact (JSON header, newline, bytes), X exit.
After one program it exits: every execution gets a fresh container, so nothing leaks between runs.
Time limits are enforced by the host, which kills the whole container.
"""

import atexit
import json
import os
import runpy
import select
import signal
import struct
import sys
import time
import traceback

OUTPUT_DIR = '/out'
PROGRAM_DIR = '/tmp/program'
READ_CHUNK = 65536


def send(kind, payload):
    data = kind + struct.pack('>I', len(payload)) + payload
    view = memoryview(data)
    while view:
        written = os.write(1, view)
        view = view[written:]


def send_json(kind, value):
    send(kind, json.dumps(value).encode('utf-8'))


def oom_kill_count():
    """How many processes the kernel's OOM killer has killed in this container's cgroup (v2, then v1)."""
    for path, key in (('/sys/fs/cgroup/memory.events', 'oom_kill'), ('/sys/fs/cgroup/memory/memory.oom_control', 'oom_kill')):
        try:
            with open(path) as handle:
                for line in handle:
                    name, _, value = line.partition(' ')
                    if name == key:
                        return int(value)
        except (OSError, ValueError):
            continue
    return 0


def run_program_in_child(path, stdin_r, stdout_w, stderr_w, cwd):
    """Runs in the forked child: becomes its own session, wires the pipes and runs the program like `python3 path`."""
    code = 1
    try:
        os.setsid()
        os.dup2(stdin_r, 0)
        os.dup2(stdout_w, 1)
        os.dup2(stderr_w, 2)
        os.closerange(3, 1024)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir(cwd)
        sys.stdin = open(0, 'r', encoding='utf-8', errors='replace', closefd=False)
        # Line-buffered, so output streams live as the program prints it.
        sys.stdout = open(1, 'w', buffering=1, encoding='utf-8', errors='backslashreplace', closefd=False)
        sys.stderr = open(2, 'w', buffering=1, encoding='utf-8', errors='backslashreplace', closefd=False)
        sys.argv = [path]
        sys.path[0] = os.path.dirname(path)
        try:
            runpy.run_path(path, run_name='__main__')
            code = 0
        except SystemExit as exit_request:
            if exit_request.code is None:
                code = 0
            elif isinstance(exit_request.code, int):
                code = exit_request.code
            else:
                print(exit_request.code, file=sys.stderr)
                code = 1
        except BaseException:
            # Show the program's frames only, as the interpreter would.
            kind, value, tb = sys.exc_info()
            while tb is not None and tb.tb_frame.f_code.co_filename != path:
                tb = tb.tb_next
            traceback.print_exception(kind, value, tb)
            code = 1
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
    finally:
        os._exit(code & 0xFF)


def collect_artifacts(limit_bytes):
    sent = 0
    for root, _dirs, files in os.walk(OUTPUT_DIR):
        for name in sorted(files):
            full = os.path.join(root, name)
            relative = os.path.relpath(full, OUTPUT_DIR)
            if os.path.islink(full) or not os.path.isfile(full):
                continue
            size = os.path.getsize(full)
            if sent + size > limit_bytes:
                header = {'path': relative, 'size': size, 'skipped': 'over the artifact size limit'}
                send(b'A', json.dumps(header).encode('utf-8') + b'\n')
                continue
            with open(full, 'rb') as handle:
                data = handle.read()
            sent += len(data)
            send(b'A', json.dumps({'path': relative, 'size': len(data)}).encode('utf-8') + b'\n' + data)


def pump(pid, stdin_w, stdin_data, stdout_r, stderr_r):
    """Relays the program's output until it has exited and its pipes are drained; returns its wait status."""
    readers = {stdout_r: b'O', stderr_r: b'E', 0: None}
    pending_stdin = memoryview(stdin_data)
    if not pending_stdin:
        os.close(stdin_w)
        stdin_w = None
    status = None
    while len(readers) > 1:
        writers = [stdin_w] if stdin_w is not None else []
        # After the program exits, only drain what is already there: a background child holding the
        # pipes open must not keep the run alive.
        timeout = 0 if status is not None else 0.05
        readable, writable, _ = select.select(list(readers), writers, [], timeout)
        if writable:
            try:
                written = os.write(stdin_w, pending_stdin[:READ_CHUNK])
                pending_stdin = pending_stdin[written:]
            except BrokenPipeError:
                pending_stdin = memoryview(b'')
            if not pending_stdin:
                os.close(stdin_w)
                stdin_w = None
        for fd in readable:
            chunk = os.read(fd, READ_CHUNK)
            if fd == 0:
                if not chunk:
                    # The host went away (its attachment closed): stop everything, leave nothing running.
                    os.killpg(pid, signal.SIGKILL)
                    sys.exit(1)
                continue
            if chunk:
                send(readers[fd], chunk)
            else:
                del readers[fd]
        if status is None:
            finished, wait_status = os.waitpid(pid, os.WNOHANG)
            if finished:
                status = wait_status
        elif not readable:
            break
    if status is None:
        _, status = os.waitpid(pid, 0)
    return status


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    send_json(b'R', {'runner': 'python', 'version': sys.version.split()[0]})
    line = sys.stdin.buffer.readline()
    if not line:
        return
    request = json.loads(line)
    os.makedirs(PROGRAM_DIR, exist_ok=True)
    path = os.path.join(PROGRAM_DIR, 'main.py')
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(request['code'])
    cwd = request.get('cwd') or '/tmp'

    stdin_r, stdin_w = os.pipe()
    stdout_r, stdout_w = os.pipe()
    stderr_r, stderr_w = os.pipe()
    oom_before = oom_kill_count()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        run_program_in_child(path, stdin_r, stdout_w, stderr_w, cwd)
    for fd in (stdin_r, stdout_w, stderr_w):
        os.close(fd)
    status = pump(pid, stdin_w, request.get('stdin', '').encode('utf-8'), stdout_r, stderr_r)
    duration_ms = (time.monotonic() - started) * 1000
    try:
        # Whatever the program left running in its session goes with it.
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    exit_code = os.waitstatus_to_exitcode(status)
    killed_by = -exit_code if exit_code < 0 else None
    collect_artifacts(int(request.get('maxArtifactBytes', 0)))
    send_json(b'X', {
        'exitCode': 128 + killed_by if killed_by else exit_code,
        'signal': signal.Signals(killed_by).name if killed_by else None,
        'outOfMemory': oom_kill_count() > oom_before,
        'durationMs': duration_ms,
    })


if __name__ == '__main__':
    main()
