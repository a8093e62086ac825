"""``kiosk sheet --out``: the PDF a patient gets, read back as text, without a display."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from kiosk.deck import load_deck
from kiosk.resources import bundled_content

CLINIC = "Riverside Spine Clinic"


def kiosk(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("KIOSK_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=60)


def write_config(tmp_path: Path, paper: str = "letter") -> Path:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'clinic_name = "{CLINIC}"\n[print]\npaper = "{paper}"\n'
                   'qr_url = "https://example.org/mri"\n', encoding="utf-8")
    return cfg


def pdf_text(path: Path) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(text.split()), len(reader.pages)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_every_item_ticked_fits_one_page(tmp_path, lang, paper):
    out = tmp_path / "sheet.pdf"
    r = kiosk("sheet", "--config", str(write_config(tmp_path, paper)), "--lang", lang, "--select", "all",
              "--out", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    text, pages = pdf_text(out)
    assert pages == 1
    language = load_deck(bundled_content()).language(lang)
    assert CLINIC in text
    for item in (i for s in language.screens for i in s.items):
        assert item.text in text
    for point in (p for s in language.steps for p in s.sheet):
        assert point.split("<sup")[0] in text
    assert language.strings.get("sheet_disclaimer") in text


def test_only_selected_questions_are_printed(tmp_path):
    out = tmp_path / "sheet.pdf"
    r = kiosk("sheet", "--config", str(write_config(tmp_path)), "--select", "q-cause", "next-steps/6",
              "--out", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    text, _ = pdf_text(out)
    assert "Could this finding be the cause of my pain?" in text
    assert "What are my treatment options?" in text
    assert "Would a shot in my back help me?" not in text


def test_unknown_item_id_is_one_line_listing_valid_ids(tmp_path):
    r = kiosk("sheet", "--select", "q-nope", "--out", str(tmp_path / "x.pdf"), cwd=tmp_path)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "'q-nope'" in lines[0] and "q-cause" in lines[0]
    assert "Traceback" not in r.stderr + r.stdout
    assert not (tmp_path / "x.pdf").exists()


def test_a_qr_url_too_long_to_scan_is_one_clean_line(tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('[print]\nqr_url = "https://example.org/' + "a" * 3000 + '"\n', encoding="utf-8")
    r = kiosk("sheet", "--config", str(cfg), "--out", str(tmp_path / "x.pdf"), cwd=tmp_path)
    assert r.returncode == 2  # a config error, found when the config is read
    assert "Traceback" not in r.stderr + r.stdout
    [line] = r.stderr.strip().splitlines()
    assert line.startswith(f"{cfg}: print.qr_url: invalid value 'https://example.org/aaa") and "at most 213" in line
    assert len(line) < 300  # the 3,000-character value is not repeated
    assert not (tmp_path / "x.pdf").exists()
