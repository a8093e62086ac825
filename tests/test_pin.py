"""Staff PIN: slow salted hash, lockout with a fake clock, and `kiosk set-pin`."""

from __future__ import annotations

import io
import tomllib

import pytest

from kiosk import cli
from kiosk import config as config_mod
from kiosk.pin import (
    ITERATIONS,
    MIN_ITERATIONS,
    PinGuard,
    hash_pin,
    hash_problem,
    looks_like_hash,
    run_set_pin,
    verify_pin,
)

FAST = MIN_ITERATIONS  # the cheapest hash the kiosk accepts (about 30 ms)


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


def test_a_hand_edited_hash_with_huge_parameters_is_refused_without_hashing():
    salt, digest = hash_pin("2468", iterations=FAST).split("$")[2:]
    huge = f"pbkdf2_sha256$999999999${salt}${digest}"
    assert not looks_like_hash(huge)
    assert hash_problem(huge) == "has 999999999 iterations; allowed 100000 to 2000000 (run 'kiosk set-pin' for a new one)"
    assert not verify_pin("2468", huge)  # returns at once: no 10^9 rounds
    assert hash_problem(f"pbkdf2_sha256$99999${salt}${digest}").startswith("has 99999 iterations")
    assert hash_problem(f"pbkdf2_sha256$600000$AAAA${digest}") == "has a 3-byte salt; allowed 8 to 64 bytes"
    assert hash_problem(f"pbkdf2_sha256$600000${salt}$AAAA") == "has a 3-byte hash; a SHA-256 hash is 32 bytes"
    assert hash_problem("pbkdf2_sha256$" + "9" * 5000 + f"${salt}${digest}").startswith("is 50")
    assert hash_problem("pbkdf2_sha256$\u0661\u0662$a$b") == "has no iteration count; run 'kiosk set-pin'"
    assert hash_problem(hash_pin("2468")) is None


def lock_out(guard: PinGuard, tries: int = 5) -> int:
    for _ in range(tries - 1):
        assert not guard.check("0000").ok
    return guard.check("0000").locked_for


def test_each_lock_is_longer_than_the_last_until_a_right_pin():
    clock = FakeClock()
    guard = PinGuard(hash_pin("2468", iterations=FAST), clock)
    locks = []
    for _ in range(5):
        locks.append(lock_out(guard))
        clock.now += locks[-1]
    assert locks == [60, 300, 900, 3600, 3600]
    assert guard.check("2468").ok
    assert lock_out(guard) == 60


def test_a_restart_keeps_the_lock_and_the_count(tmp_path):
    state = tmp_path / "state" / "pin-lockout.json"
    clock = FakeClock()
    stored = hash_pin("2468", iterations=FAST)
    guard = PinGuard(stored, clock, state_path=state)
    assert lock_out(guard) == 60
    assert oct(state.stat().st_mode & 0o777) == "0o600"
    clock.now += 20
    again = PinGuard(stored, clock, state_path=state)  # the kiosk restarted
    assert again.check("2468").locked_for == 40
    clock.now += 40
    assert lock_out(PinGuard(stored, clock, state_path=state)) == 300  # still escalating
    clock.now += 300
    third = PinGuard(stored, clock, state_path=state)
    assert third.check("0000").tries_left == 4
    fourth = PinGuard(stored, clock, state_path=state)
    assert fourth.check("0000").tries_left == 3  # wrong tries survive a restart too


def test_a_lock_from_a_clock_that_went_back_is_cut_to_one_step(tmp_path):
    state = tmp_path / "pin-lockout.json"
    state.write_text('{"wrong": 0, "level": 1, "locked_until": 1e12}', encoding="utf-8")
    guard = PinGuard(hash_pin("2468", iterations=FAST), FakeClock(), state_path=state)
    assert guard.locked_for() == 60


@pytest.mark.parametrize("content", ["{not json", '{"wrong": "x"}', '{"wrong": 1, "level": 0, "locked_until": "nan"}',
                                     '[1, 2]', '{"wrong": -5, "level": 0, "locked_until": 0}'])
def test_a_corrupt_state_file_is_logged_and_the_lock_still_works(tmp_path, caplog, content):
    state = tmp_path / "pin-lockout.json"
    state.write_text(content, encoding="utf-8")
    guard = PinGuard(hash_pin("2468", iterations=FAST), FakeClock(), state_path=state)
    assert any("PIN lockout state" in r.message for r in caplog.records)
    assert lock_out(guard) == 60
    assert '"level": 1' in state.read_text(encoding="utf-8")  # rewritten whole


def test_an_unwritable_state_file_is_logged_once_and_the_lock_holds_in_memory(tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    guard = PinGuard(hash_pin("2468", iterations=FAST), FakeClock(), state_path=blocker / "pin-lockout.json")
    assert lock_out(guard) == 60
    assert guard.check("2468").locked_for == 60
    warnings = [r for r in caplog.records if "cannot be written" in r.message]
    assert len(warnings) == 1


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
