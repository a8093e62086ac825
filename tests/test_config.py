"""Config: zero config works; bad values and unknown keys say what to do."""

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import cli, config


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "kiosk.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_zero_config_uses_defaults_and_bundled_content(monkeypatch, tmp_path):
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    cfg = config.load()
    assert cfg.path is None
    assert cfg.session.idle_timeout_s == 90
    assert cfg.session.idle_warning_s == 20
    assert cfg.content_dir == config.BUNDLED_CONTENT


def test_lookup_order_flag_then_env_then_platform(monkeypatch, tmp_path):
    flag = write(tmp_path, 'clinic_name = "Flag"')
    env = tmp_path / "env.toml"
    env.write_text('clinic_name = "Env"')
    plat = tmp_path / "xdg" / "kiosk"
    plat.mkdir(parents=True)
    (plat / "kiosk.toml").write_text('clinic_name = "Platform"')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("KIOSK_CONFIG", str(env))
    assert config.load(flag).clinic_name == "Flag"
    assert config.load().clinic_name == "Env"
    monkeypatch.delenv("KIOSK_CONFIG")
    assert config.load().clinic_name == "Platform"


def test_relative_paths_are_relative_to_the_config_file(tmp_path):
    cfg = config.load(write(tmp_path, 'content = "deck"\nlogo = "logo.png"'))
    assert cfg.content_dir == tmp_path / "deck"
    assert cfg.logo_path == tmp_path / "logo.png"


def test_unknown_key_gets_did_you_mean(tmp_path):
    p = write(tmp_path, "[session]\nidle_timout_s = 30\n")
    with pytest.raises(config.ConfigError) as e:
        config.load(p)
    assert str(e.value) == f"{p}: session.idle_timout_s: unknown key, did you mean 'idle_timeout_s'?"


def test_bad_value_says_what_was_expected(tmp_path):
    p = write(tmp_path, '[print]\npaper = "tabloid"\n[display]\ntransition_ms = 900\n')
    with pytest.raises(config.ConfigError) as e:
        config.load(p)
    lines = str(e.value).splitlines()
    assert f"{p}: print.paper: invalid value 'tabloid', expected 'letter' or 'a4'" in lines
    assert any(line.startswith(f"{p}: display.transition_ms: invalid value 900, expected") for line in lines)


def test_boolean_is_not_a_number(tmp_path):
    with pytest.raises(config.ConfigError, match="session.idle_timeout_s: invalid value True"):
        config.load(write(tmp_path, "[session]\nidle_timeout_s = true\n"))


def test_broken_toml_and_missing_file_are_one_line_errors(tmp_path):
    with pytest.raises(config.ConfigError, match="not valid TOML"):
        config.load(write(tmp_path, "clinic_name = \n"))
    with pytest.raises(config.ConfigError, match="file not found"):
        config.load(tmp_path / "nope.toml")


def test_cli_bad_config_exits_2_without_traceback(tmp_path, capsys):
    p = write(tmp_path, "colour = 'blue'\n")
    assert cli.main(["check", "--config", str(p)]) == 2
    err = capsys.readouterr().err
    assert "colour: unknown key" in err
    assert "Traceback" not in err


def test_running_kiosk_keeps_good_keys_and_defaults_bad_ones(tmp_path):
    p = write(tmp_path, 'clinic_name = "Riverside"\n[print]\npaper = "tabloid"\n[sesion]\nx = 1\n')
    cfg = config.load_lenient(p)
    problems = list(cfg.problems)
    assert cfg.clinic_name == "Riverside"
    assert cfg.print.paper == "letter"
    assert problems == [
        f"{p}: print.paper: invalid value 'tabloid', expected 'letter' or 'a4'; using the default",
        f"{p}: sesion: unknown key, did you mean 'session'?; using the default",
    ]


def test_running_kiosk_survives_a_broken_file(tmp_path):
    p = write(tmp_path, "clinic_name = \n")
    cfg = config.load_lenient(p)
    problems = cfg.problems
    assert cfg.session.idle_timeout_s == 90
    assert len(problems) == 1 and "not valid TOML" in problems[0] and problems[0].endswith("using the defaults")


def test_the_kiosks_own_options_parse_without_the_sub_commands_modules():
    """``kiosk --windowed ...`` starts without importing what only the sub-commands need."""
    code = ("import sys\nfrom kiosk.cli import parse_args\n"
            "a = parse_args(['--windowed', '--lang', 'es', '--size', '800x480'])\n"
            "assert a.command is None and a.windowed and a.lang == 'es' and a.size == (800, 480)\n"
            "print(sorted(m for m in ('kiosk.doctor', 'kiosk.stats_cli', 'kiosk.deck_cli') if m in sys.modules))\n"
            "b = parse_args(['stats', '--days', '3'])\n"
            "assert b.command == 'stats' and b.days == 3\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_options_given_before_a_sub_command_are_kept():
    a = cli.parse_args(["--content", "/x", "--lang", "es", "check"])
    assert (a.command, a.content, a.lang) == ("check", "/x", "es")
    b = cli.parse_args(["check", "--content", "/y"])
    assert (b.content, b.lang, b.config) == ("/y", None, None)
    c = cli.parse_args(["--config", "k.toml", "doctor"])
    assert c.config == "k.toml" and c.content is None
