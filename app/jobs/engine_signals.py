"""Imported for its effect by the engine processes' fork server (`runner.ENGINE_PRELOAD`): the fork server, and every
engine process forked from it, ignore SIGTERM. A service manager sends SIGTERM to the whole process group; the
parent alone must hear it and drain (running jobs finish, then it stops its engine processes itself). A fork server
that died of it would look to the pool like the death of every engine process."""

import signal

signal.signal(signal.SIGTERM, signal.SIG_IGN)
