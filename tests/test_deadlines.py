"""The deadline watcher: work still blocked on a socket at its deadline gets the socket shut."""

from __future__ import annotations

import os
import socket
import time

from skill.storage.deadline import Deadlines


def test_a_read_blocked_past_its_deadline_returns() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        deadlines = Deadlines()
        with deadlines.watch(ours.fileno, 0.2) as passed:
            started = time.monotonic()
            assert ours.recv(1) == b""  # the peer never writes: only the shutdown ends this
        assert passed.is_set() and time.monotonic() - started < 5


def test_work_done_in_time_leaves_the_socket_alone() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        deadlines = Deadlines()
        with deadlines.watch(ours.fileno, 0.3) as passed:
            theirs.sendall(b"x")
            assert ours.recv(1) == b"x"
        time.sleep(0.5)
        assert not passed.is_set()
        theirs.sendall(b"y")
        assert ours.recv(1) == b"y"


def test_several_deadlines_pass_in_their_own_order() -> None:
    pairs = [socket.socketpair() for _ in range(2)]
    deadlines = Deadlines()
    try:
        with deadlines.watch(pairs[0][0].fileno, 5.0) as late:
            with deadlines.watch(pairs[1][0].fileno, 0.1) as soon:
                assert pairs[1][0].recv(1) == b""
            assert soon.is_set() and not late.is_set()
    finally:
        for pair in pairs:
            for end in pair:
                end.close()


def test_a_forked_child_gets_its_own_watcher() -> None:
    deadlines = Deadlines()
    with deadlines.watch(lambda: -1, 0.01):  # the parent's watcher thread, started
        time.sleep(0.05)
    pid = os.fork()
    if pid == 0:  # the child: the parent's thread did not come along
        code = 1
        try:
            ours, theirs = socket.socketpair()  # `theirs` stays open: only the shutdown ends recv
            with deadlines.watch(ours.fileno, 0.1) as passed:
                code = 0 if ours.recv(1) == b"" and passed.is_set() else 2
            theirs.close()
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
