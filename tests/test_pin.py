"""Staff PIN: slow salted hash, lockout with a fake clock, and `kiosk set-pin`."""

from __future__ import annotations

import io
import tomllib

import pytest

from kiosk import cli
from kiosk import config as config_mod
from kiosk.pin import (
    ITERATIONS,
    PinGuard,
    hash_pin,
    looks_like_hash,
    run_set_pin,
    verify_pin,
)

FAST = 1000  # iterations for tests that only need *a* hash


class FakeClock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


class Pipe(io.StringIO):
    """Standard input that is not a terminal."""

    def isatty(self) -> bool:
        return False


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_hash_is_self_describing_salted_and_slow():
    h = hash_pin("2468")
    algo, iterations, salt, digest = h.split("$")
    assert algo == "pbkdf2_sha256"
    assert int(iterations) >= 600_000 == ITERATIONS
    assert "2468" not in h
    assert h != hash_pin("2468")  # a fresh salt every time
    assert looks_like_hash(h)


def test_verify_accepts_the_pin_and_nothing_else():
    h = hash_pin("2468", iterations=FAST)
    assert verify_pin("2468", h)
    assert not verify_pin("2469", h)
    assert not verify_pin("", h)
    assert not verify_pin("2468", "")
    assert not verify_pin("2468", "pbkdf2_sha256$1000$not base64!$x")
    assert not verify_pin("2468", "md5$1$a$b")


def test_five_wrong_tries_lock_for_a_minute():
    clock = FakeClock()
    guard = PinGuard(hash_pin("2468", iterations=FAST), clock)
    lefts = [guard.check("0000").tries_left for _ in range(4)]
    assert lefts == [4, 3, 2, 1]
    fifth = guard.check("0000")
    assert not fifth.ok and fifth.locked_for == 60
    right_but_locked = guard.check("2468")
    assert not right_but_locked.ok and right_but_locked.locked_for == 60
    clock.now += 59.5
    assert guard.locked_for() == 1
    clock.now += 0.5
    assert guard.locked_for() == 0
    assert guard.check("2468").ok


def test_a_right_pin_resets_the_count():
    guard = PinGuard(hash_pin("2468", iterations=FAST), FakeClock())
    for _ in range(4):
        guard.check("1111")
    assert guard.check("2468").ok
    assert guard.check("1111").tries_left == 4


def test_no_pin_set_up_never_opens():
    guard = PinGuard("", FakeClock())
    assert not guard.is_set_up
    assert not guard.check("0000").ok


def test_set_pin_from_stdin_keeps_other_keys_and_comments(tmp_path):
    path = tmp_path / "kiosk.toml"
    original = (
        '# Riverside clinic kiosk\n'
        'clinic_name = "Riverside"  # shown on Start\n'
        '\n'
        '[session]\n'
        '# shorter in the quiet wing\n'
        'idle_timeout_s = 60\n'
        '\n'
        '[staff]\n'
        'hold_seconds = 4\n'
    )
    path.write_text(original, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run_set_pin(str(path), stdin=Pipe("13579\n"), out=out, err=err) == 0
    text = path.read_text(encoding="utf-8")
    for line in original.splitlines():
        assert line in text.splitlines()
    values = config_mod.load(path)
    assert values.staff.hold_seconds == 4 and values.session.idle_timeout_s == 60
    assert verify_pin("13579", values.staff.pin_hash)
    assert "saved" in out.getvalue() and err.getvalue() == ""


def test_set_pin_creates_the_file_and_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert run_set_pin(None, stdin=Pipe("4321\n"), out=io.StringIO(), err=io.StringIO()) == 0
    path = tmp_path / "cfg" / "kiosk" / "kiosk.toml"
    assert verify_pin("4321", tomllib.loads(path.read_text())["staff"]["pin_hash"])
    assert path.stat().st_mode & 0o077 == 0  # not readable by others


def test_set_pin_uses_kiosk_config_env(tmp_path, monkeypatch):
    path = tmp_path / "env.toml"
    monkeypatch.setenv("KIOSK_CONFIG", str(path))
    assert run_set_pin(None, stdin=Pipe("4321\n"), out=io.StringIO(), err=io.StringIO()) == 0
    assert path.is_file()


@pytest.mark.parametrize("line", ["123", "123456789", "12a4", "", "１２３４"])
def test_set_pin_refuses_a_bad_pin_and_changes_nothing(tmp_path, line):
    path = tmp_path / "kiosk.toml"
    path.write_text('clinic_name = "X"\n')
    err = io.StringIO()
    assert run_set_pin(str(path), stdin=Pipe(line + "\n"), out=io.StringIO(), err=err) == 1
    assert "4 to 8 digits" in err.getvalue()
    assert path.read_text() == 'clinic_name = "X"\n'


def test_set_pin_on_a_terminal_asks_twice(tmp_path):
    path = tmp_path / "kiosk.toml"
    answers = iter(["2468", "2468"])
    assert run_set_pin(str(path), stdin=Tty(), out=io.StringIO(), err=io.StringIO(),
                       ask=lambda prompt: next(answers)) == 0
    answers = iter(["2468", "8642"])
    err = io.StringIO()
    assert run_set_pin(str(path), stdin=Tty(), out=io.StringIO(), err=err, ask=lambda prompt: next(answers)) == 1
    assert "not the same" in err.getvalue()


def test_set_pin_refuses_broken_toml(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text("clinic_name = \n")
    err = io.StringIO()
    assert run_set_pin(str(path), stdin=Pipe("2468\n"), out=io.StringIO(), err=err) == 1
    assert "not valid TOML" in err.getvalue()
    assert path.read_text() == "clinic_name = \n"


def test_set_pin_command_line(tmp_path, monkeypatch):
    path = tmp_path / "kiosk.toml"
    monkeypatch.setattr("sys.stdin", Pipe("97531\n"))
    out = io.StringIO()
    assert cli.main(["set-pin", "--config", str(path)], out=out) == 0
    assert verify_pin("97531", config_mod.load(path).staff.pin_hash)


def test_config_refuses_something_that_is_not_a_hash():
    with pytest.raises(config_mod.ConfigError, match="pin_hash"):
        config_mod.validate({"staff": {"pin_hash": "2468"}})
