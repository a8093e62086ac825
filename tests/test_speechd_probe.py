"""The speech-dispatcher probe: a server that answers is used; one that hangs is not waited for."""

import socket
import threading
import time

from kiosk import speechd


def serve(path, answer: bool):
    srv = socket.socket(socket.AF_UNIX)
    srv.bind(str(path))
    srv.listen(1)

    def run():
        conn, _ = srv.accept()
        with conn:
            while True:
                data = conn.recv(1024)
                if not data or not answer:
                    if not answer:
                        time.sleep(3)  # a wedged speech-dispatcher: it reads and never replies
                    return
                if b"CLIENT_NAME" in data:
                    conn.sendall(b"208 OK CLIENT NAME SET\r\n")
                elif b"LIST SYNTHESIS_VOICES" in data:
                    conn.sendall(b"249-English (America)\ten\tnone\r\n249 OK VOICE LIST SENT\r\n")
                elif b"QUIT" in data:
                    return

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return srv, thread


def test_a_server_that_answers_and_lists_voices_is_used(tmp_path):
    path = tmp_path / "speechd.sock"
    srv, thread = serve(path, answer=True)
    assert speechd.answers(path, timeout=2) is True
    srv.close()


def test_a_wedged_server_is_given_up_on_within_the_timeout(tmp_path):
    path = tmp_path / "speechd.sock"
    srv, thread = serve(path, answer=False)
    started = time.monotonic()
    assert speechd.answers(path, timeout=0.5) is False
    assert time.monotonic() - started < 1.5
    srv.close()


def test_no_server_at_all_is_not_usable(tmp_path):
    assert speechd.answers(tmp_path / "missing.sock", timeout=0.5) is False


def test_the_socket_follows_speechd_address_then_runtime_then_cache(tmp_path):
    assert str(speechd.socket_path({"SPEECHD_ADDRESS": "unix_socket:/x/s.sock"})) == "/x/s.sock"
    assert speechd.socket_path({"SPEECHD_ADDRESS": "inet_socket:127.0.0.1:6560"}) is None
    assert str(speechd.socket_path({"XDG_RUNTIME_DIR": "/run/user/5"})) == "/run/user/5/speech-dispatcher/speechd.sock"
    assert str(speechd.socket_path({"HOME": "/home/k"})) == "/home/k/.cache/speech-dispatcher/speechd.sock"
