"""``kiosk sheet --out``: the PDF a patient gets, read back as text, without a display."""

from __future__ import annotations

import io
import os
import re
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
    for point in (p for s in language.screens for p in s.sheet):
        assert point.split("<sup")[0] in text
    for key in ("sheet_appointment_date", "sheet_doctor", "today_steps_heading", "sheet_tell_medicines",
                "sheet_disclaimer"):
        assert language.strings.get(key) in text, key
    assert "Page 1" not in text and "Página 1" not in text  # one page: no page numbers


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


def test_spanish_sheet_writes_the_date_the_spanish_way(tmp_path):
    out = tmp_path / "sheet.pdf"
    r = kiosk("sheet", "--config", str(write_config(tmp_path)), "--lang", "es", "--select", "q-cause",
              "--out", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    text, _ = pdf_text(out)
    assert re.search(r"Fecha: \d{1,2} de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|"
                     r"noviembre|diciembre) de \d{4}", text), text[:300]
    assert "Fecha de la cita" in text and "Médico" in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_largest_text_runs_to_numbered_pages_with_the_title_repeated(tmp_path, lang):
    out = tmp_path / "sheet.pdf"
    r = kiosk("sheet", "--config", str(write_config(tmp_path)), "--lang", lang, "--select", "all",
              "--text-size", "2", "--out", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    pages = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    assert len(pages) >= 2
    strings = load_deck(bundled_content()).language(lang).strings
    for n, page in enumerate(pages, start=1):
        assert strings.get("sheet_page_of", n=n, total=len(pages)) in page
        assert strings.get("sheet_title") in page


def test_making_a_sheet_never_loads_the_window_code(tmp_path):
    """``kiosk sheet`` and the sheet renderer stand on their own: nothing from kiosk.ui is imported."""
    script = (
        "import sys, io, pathlib\n"
        "from kiosk import sheet_cli, sheet_render\n"
        "from kiosk.config import load\n"
        "out = pathlib.Path(sys.argv[1])\n"
        "cfg = load(None)\n"
        "code = sheet_cli.run(cfg, pathlib.Path(sys.argv[2]), 'en', out_path=out, printer=None, select=['all'],\n"
        "                     text_size=0, out=io.StringIO())\n"
        "print(code, sorted(m for m in sys.modules if m.startswith('kiosk.ui')))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("KIOSK_CONFIG", None)
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "s.pdf"), str(bundled_content())],
                          capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path)
    assert done.stdout.strip() == "0 []", done.stderr
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
