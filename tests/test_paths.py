"""Config, state and log locations: the documented lookup orders, with env vars and tmp dirs only."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from kiosk import paths


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"HOME": str(tmp_path / "home"), **extra}


def write(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("", encoding="utf-8")
    return path


def test_config_order_is_flag_env_user_then_system(tmp_path):
    system = tmp_path / "etc" / "kiosk" / "kiosk.toml"
    env = env_for(tmp_path, XDG_CONFIG_HOME=str(tmp_path / "xdg"))
    user = tmp_path / "xdg" / "kiosk" / "kiosk.toml"
    assert paths.config_candidates(None, env, system) == [user, system]
    assert paths.find_config(None, env, system) is None  # nothing there: defaults
    write(system)
    assert paths.find_config(None, env, system) == system
    write(user)
    assert paths.find_config(None, env, system) == user
    env["KIOSK_CONFIG"] = str(tmp_path / "from-env.toml")
    assert paths.find_config(None, env, system) == tmp_path / "from-env.toml"  # even if missing: named in the error
    assert paths.find_config(tmp_path / "flag.toml", env, system) == tmp_path / "flag.toml"


def test_user_config_defaults_to_dot_config_in_home(tmp_path):
    assert paths.user_config(env_for(tmp_path)) == tmp_path / "home" / ".config" / "kiosk" / "kiosk.toml"


def test_state_directory_from_systemd_wins(tmp_path):
    env = env_for(tmp_path, STATE_DIRECTORY=f"{tmp_path}/a:{tmp_path}/b")
    assert paths.state_dir(env, system=tmp_path / "var", uid=0) == tmp_path / "a"


def test_system_user_that_can_write_var_lib_kiosk_uses_it(tmp_path):
    system = tmp_path / "var" / "lib" / "kiosk"
    env = env_for(tmp_path)
    user_state = tmp_path / "home" / ".local" / "state" / "kiosk"
    assert paths.state_dir(env, system=system, uid=120) == user_state  # not there: the user's folder
    system.mkdir(parents=True)
    assert paths.state_dir(env, system=system, uid=120) == system
    assert paths.state_dir(env, system=system, uid=1000) == user_state  # a person's account
    env["XDG_STATE_HOME"] = str(tmp_path / "xdg-state")
    assert paths.state_dir(env, system=system, uid=1000) == tmp_path / "xdg-state" / "kiosk"


def test_journal_stream_must_name_our_stderr(tmp_path):
    log = tmp_path / "stderr"
    with open(log, "w") as f:
        st = os.fstat(f.fileno())
        mine = f"{st.st_dev}:{st.st_ino}"
        assert paths.under_systemd({"JOURNAL_STREAM": mine}, stderr_fd=f.fileno())
        assert not paths.under_systemd({"JOURNAL_STREAM": "1:2"}, stderr_fd=f.fileno())
        assert not paths.under_systemd({}, stderr_fd=f.fileno())


def test_under_journald_no_log_file_unless_configured(tmp_path):
    state = tmp_path / "state"
    assert paths.log_file(None, {}, journal=True, state=state) is None
    assert paths.log_file(tmp_path / "k.log", {}, journal=True, state=state) == tmp_path / "k.log"
    assert paths.log_file(None, {}, journal=False, state=state) == state / "kiosk.log"


def test_journal_lines_carry_their_syslog_level():
    fmt = paths.JournalFormatter()

    def line(level: int, msg: str) -> str:
        return fmt.format(logging.LogRecord("kiosk", level, __file__, 1, msg, None, None))

    assert line(logging.ERROR, "printer stopped") == "<3>kiosk: printer stopped"
    assert line(logging.WARNING, "a\nb") == "<4>kiosk: a\n<4>b"
    assert line(logging.INFO, "session reset").startswith("<6>")
    assert line(logging.DEBUG, "x").startswith("<7>")
    assert line(logging.CRITICAL, "x").startswith("<2>")
