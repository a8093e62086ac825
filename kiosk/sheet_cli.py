"""``kiosk sheet``: the printed summary as a PDF file, or sent to a printer, without a display."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TextIO

from .config import Config


def run(config: Config, content: Path, lang_code: str, *, out_path: Path | None, printer: str | None,
        select: list[str], text_size: int, out: TextIO, err: TextIO | None = None) -> int:
    """Exit 0 when the file was written and/or the job was accepted; else 1 and one line."""
    err = err or sys.stderr
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    logging.getLogger().setLevel(logging.ERROR)  # the one-line answer below says it all
    if out_path is None and printer is None:
        print("nothing to do: give --out FILE.pdf and/or --printer NAME", file=err)
        return 1
    from .app import open_deck

    deck = open_deck(content, lang_code, err)
    if deck is None:
        return 1
    if lang_code not in deck.languages:
        print(f"unknown language {lang_code!r}; available: {', '.join(deck.languages)}", file=err)
        return 1
    lang = deck.language(lang_code)
    from . import printing, sheet

    try:
        ticks = sheet.resolve_selection(lang, select)
    except sheet.SelectionError as e:
        print(e, file=err)
        return 1
    qr_problem = sheet.qr_url_problem(config.print.qr_url or "")
    if qr_problem:
        print(f"[print] {qr_problem}", file=err)
        return 1
    logo = printing.read_logo(config)
    from PySide6.QtGui import QGuiApplication

    from . import sheet_render

    composed = sheet.compose(lang, ticks, clinic=config.clinic_name, paper=config.print.paper,
                             text_size=text_size, qr_url=config.print.qr_url, logo=logo,
                             date_text=sheet_render.long_date)
    from .fonts import load_fonts

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    family = load_fonts()
    pdf, pages = sheet_render.pdf_bytes(composed, family)
    if out_path is not None:
        try:
            out_path.write_bytes(pdf)
        except OSError as e:
            print(f"{out_path}: cannot write the PDF ({e.strerror})", file=err)
            return 1
        print(f"{out_path}: {pages} page(s)", file=out)
    if printer is not None:
        result = printing.submit_pdf(pdf, printer or None)
        if not result.ok:
            print(f"not printed: {result.reason}", file=err)
            return 1
        print(f"printed: {result}", file=out)
        from .cups_jobs import forget_job

        # the sheet may name a patient's questions: wait for the job, then purge it from CUPS
        if not forget_job(result.job_id, wait_s=120.0):
            print(f"warning: job {result.job_id} could not be removed from the CUPS spool and history; "
                  "see docs/install.md (PreserveJobFiles No)", file=err)
    return 0
