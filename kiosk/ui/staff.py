"""Staff access: hold the Start screen's top-left corner, enter the PIN, panel.

Patients see nothing of this. The PIN pad's words come from strings.yaml (a
patient may open it by chance); the panel behind it is for staff only and
is in English here. PIN rules and lockout are in ``kiosk.pin``.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPlainTextEdit, QVBoxLayout, QWidget

from .. import __version__
from ..config import Config
from ..deck import DeckError, load_deck, reload_refusal
from ..logs import tail
from ..pin import MAX_DIGITS, Attempt, PinGuard
from ..session import Mode, Session
from .demo import DemoDriver
from .overlay import Overlay
from .staff_print import PrinterTools
from .state import DeckHolder, Look
from .stats_writer import StatsWriter
from .theme import View
from .widgets import Button, Label

log = logging.getLogger(__name__)

PAD_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Backspace, Qt.Key.Key_Escape)


class PinPad(Overlay):
    """Big digits 0-9, Clear, Cancel, OK; also takes keys 0-9, Backspace, Enter."""

    entered = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget, look: Look) -> None:
        super().__init__(parent, look)
        self.setProperty("escape_cancels", True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.title = Label(role="dialog_title")
        self.title.setObjectName("DialogTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = Label(role="pin")
        self.dots.setObjectName("PinDots")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = Label(role="body")
        self.message.setObjectName("DialogBody")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        grid = QGridLayout()
        self.digits: dict[str, Button] = {}
        for n, digit in enumerate("1234567890"):
            b = Button(digit, "PinDigit", role="pin")
            b.setProperty("digit", digit)
            b.clicked.connect(self._digit_clicked)
            self.digits[digit] = b
            row, col = divmod(n, 3)
            grid.addWidget(b, row, 1 if digit == "0" else col)
        self.clear_button = Button("", "PinDigit")
        self.clear_button.clicked.connect(self.clear)
        self.ok_button = Button("", "Primary")
        self.ok_button.clicked.connect(self.submit)
        grid.addWidget(self.clear_button, 3, 0)
        grid.addWidget(self.ok_button, 3, 2)
        self.cancel_button = Button("", "")
        self.cancel_button.clicked.connect(self.cancel)
        self.grid = grid
        self.card_layout.addWidget(self.title)
        self.card_layout.addWidget(self.dots)
        self.card_layout.addWidget(self.message)
        self.card_layout.addLayout(grid)
        self.card_layout.addWidget(self.cancel_button)
        self.pin = ""

    def set_words(self, title: str, clear: str, ok: str, cancel: str) -> None:
        self.title.setText(title)
        self.clear_button.setText(clear)
        self.ok_button.setText(ok)
        self.cancel_button.setText(cancel)

    def show_pad(self, message: str = "", enabled: bool = True) -> None:
        self.clear()
        self.set_message(message, enabled)
        self.open()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_message(self, message: str, enabled: bool = True) -> None:
        self.message.setText(message)
        for b in [*self.digits.values(), self.clear_button, self.ok_button]:
            b.setEnabled(enabled)

    @property
    def accepting(self) -> bool:
        return self.ok_button.isEnabled()

    def press(self, digit: str) -> None:
        if self.accepting and len(self.pin) < MAX_DIGITS:
            self.pin += digit
            self.dots.setText("●" * len(self.pin))

    def clear(self) -> None:
        self.pin = ""
        self.dots.setText("")

    def submit(self) -> None:
        if self.accepting and self.pin:
            pin, self.pin = self.pin, ""
            self.dots.setText("")
            self.entered.emit(pin)

    def cancel(self) -> None:
        self.clear()
        self.hide()
        self.cancelled.emit()

    def _digit_clicked(self) -> None:
        sender = self.sender()
        if isinstance(sender, QObject):
            self.press(str(sender.property("digit")))

    def event(self, event: QEvent) -> bool:
        # The pad takes its own keys (digits, Enter, Backspace, Escape) before any keypad shortcut.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.text() in self.digits or event.key() in PAD_KEYS:
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text, key = event.text(), event.key()
        if text and text in self.digits:
            self.press(text)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        elif key == Qt.Key.Key_Backspace:
            self.clear()
        elif key == Qt.Key.Key_Escape:
            self.cancel()
        event.accept()

    def apply(self, view: View) -> None:
        super().apply(view)
        m = view.metrics
        # the message has a fixed place (one or two lines), so the keys never move
        self.message.setFixedHeight(self.message.fontMetrics().lineSpacing() * 2 + 4)
        self.dots.setFixedHeight(self.dots.fontMetrics().lineSpacing() + 4)
        # The pad must fit a 480-px-high screen: title, dots, message, four rows of keys, Cancel.
        height = self.parentWidget().height()
        margins = self.card_layout.contentsMargins()
        gap = max(4, min(m.gap, 10))
        self.card_layout.setSpacing(gap)
        self.grid.setSpacing(gap)
        fixed = (self.title.sizeHint().height() + self.dots.height() + self.message.height()
                 + margins.top() + margins.bottom() + 5 * gap + 16)
        side = max(36, min(m.target, (height - fixed - 3 * gap) // 5))
        for b in [*self.digits.values(), self.clear_button, self.ok_button]:
            b.setMinimumSize(max(side, m.px(110)), side)
            b.setMaximumHeight(side)
        self.cancel_button.setMinimumHeight(side)
        self.cancel_button.setMaximumHeight(side)


class StaffPanel(Overlay):
    """Staff-only: demo, reload content, version, log, quit. English on purpose."""

    demo_clicked = Signal()
    usage_clicked = Signal()
    reload_clicked = Signal()
    quit_clicked = Signal()
    close_clicked = Signal()

    def __init__(self, parent: QWidget, look: Look) -> None:
        super().__init__(parent, look)
        title = Label("Staff", role="dialog_title")
        title.setObjectName("DialogTitle")
        self.info = Label(role="staff")
        self.info.setObjectName("StaffInfo")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.status = Label(role="staff")
        self.status.setObjectName("StaffInfo")
        self.status.setWordWrap(True)
        self.log_view = QPlainTextEdit()
        self.log_view.setObjectName("StaffLog")
        self.log_view.setProperty("font_role", "mono")
        self.log_view.setReadOnly(True)
        self.log_view.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.log_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.demo_button = Button("Start &demo", "")
        self.reload_button = Button("&Reload content", "")
        self.quit_button = Button("&Quit kiosk", "")
        self.usage_button = Button("&Usage figures", "")
        self.usage_button.clicked.connect(self.usage_clicked)
        self.close_button = Button("&Close", "Primary")
        self.demo_button.clicked.connect(self.demo_clicked)
        self.reload_button.clicked.connect(self.reload_clicked)
        self.quit_button.clicked.connect(self.quit_clicked)
        self.close_button.clicked.connect(self.close_clicked)
        actions = QHBoxLayout()
        for b in (self.demo_button, self.usage_button, self.reload_button, self.quit_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.close_button)
        # printer state and "Print a test page" (staff_print.py); room for usage figures
        self.tools = QVBoxLayout()
        self.card_layout.addWidget(title)
        self.card_layout.addWidget(self.info)
        self.card_layout.addLayout(actions)
        self.card_layout.addWidget(self.status)
        self.card_layout.addLayout(self.tools)
        self.card_layout.addWidget(self.log_view, 1)

    def apply(self, view: View) -> None:
        super().apply(view)
        self.log_view.setMinimumHeight(view.metrics.px(200))


class _PinRelay(QObject):
    done = Signal(object)  # Attempt, queued to the GUI thread


class _PinCheck(QRunnable):
    def __init__(self, guard: PinGuard, pin: str, relay: _PinRelay) -> None:
        super().__init__()
        self._guard, self._pin, self._relay = guard, pin, relay

    def run(self) -> None:
        self._relay.done.emit(self._guard.check(self._pin))


class UsageOverlay(Overlay):
    """The usage figures (kiosk.ui.usage_page) over the staff panel, with a Close button."""

    def __init__(self, parent: QWidget, look: Look) -> None:
        super().__init__(parent, look)
        from .usage_page import UsagePage

        self._page_class = UsagePage
        self.page: UsagePage | None = None
        self.note = Label("", role="staff")
        self.note.setWordWrap(True)
        self.close_button = Button("&Close", "Primary")
        self.card_layout.addWidget(self.note)
        self.card_layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)

    def show_report(self, report, question, order) -> None:  # type: ignore[no-untyped-def]
        if self.page is None:
            self.page = self._page_class(report, question, screen_order=order)
            self.card_layout.insertWidget(0, self.page, 1)
        else:
            self.page.set_report(report)
        self.note.setText("")
        self.note.setVisible(False)

    def apply(self, view: View) -> None:
        super().apply(view)
        w, h = self.parentWidget().width(), self.parentWidget().height()
        self.card.setMaximumWidth(w - 16)
        if self.page is not None:
            self.page.setMinimumSize(min(1200, w - 80), min(760, h - 3 * view.metrics.target))


class StaffAccess(QObject):
    """The PIN pad and the panel behind it; built the first time the corner is held."""

    opened = Signal()  # the panel is showing
    checked = Signal(bool)  # a PIN was checked (off the GUI thread): right or not
    quit_requested = Signal()

    def __init__(self, session: Session, holder: DeckHolder, config: Config, look: Look, demo: DemoDriver,
                 window: QWidget, clock: Callable[[], float] = time.time,
                 stats: StatsWriter | None = None) -> None:
        super().__init__(window)
        self._stats = stats
        self.usage = UsageOverlay(window, look)
        self.usage.close_button.clicked.connect(self.usage.hide)
        self.session = session
        self._holder = holder
        self._config = config
        self._demo = demo
        # wall-clock time: a lockout kept in the state folder must survive a reboot
        self.guard = PinGuard(config.staff.pin_hash, clock, state_path=config.state_dir / "pin-lockout.json")
        self.pad = PinPad(window, look)
        self.pad.entered.connect(self.try_pin)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one check at a time: the guard's count stays exact
        self._relay = _PinRelay(self)
        self._relay.done.connect(self._checked)
        self.pad.cancelled.connect(self._back_to_start)
        self.panel = StaffPanel(window, look)
        self.panel.demo_clicked.connect(self.toggle_demo)
        self.panel.reload_clicked.connect(self.reload_content)
        self.panel.quit_clicked.connect(self.quit)
        self.panel.close_clicked.connect(self.close_panel)
        self.panel.usage_clicked.connect(self.show_usage)
        self.panel.usage_button.setVisible(stats is not None)
        if stats is not None:
            stats.report_ready.connect(self._usage_ready)
            stats.report_failed.connect(self._usage_failed)
        self.printer = PrinterTools(self.panel.tools, config, self._language, self)
        self.lock_timer = QTimer(self)  # counts the lockout down on the pad, only while shown
        self.lock_timer.setInterval(1000)
        self.lock_timer.timeout.connect(self._show_lock)
        session.was_reset.connect(self._on_reset)

    def _language(self):  # type: ignore[no-untyped-def]
        return self._holder.language(self.session.language)

    # -- PIN pad ----------------------------------------------------------------
    def open_pad(self) -> None:
        s = self._language().strings
        self.pad.set_words(s.get("pin_title"), s.get("pin_clear"), s.get("pin_ok"), s.get("pin_cancel"))
        self.session.set_mode(Mode.STAFF)  # also pauses a demo; idle closes a forgotten pad
        if not self.guard.is_set_up:
            log.info("staff corner held, but no PIN is set up")
            self.pad.show_pad(s.get("pin_not_set_up"), enabled=False)
            return
        log.info("staff corner held: PIN pad shown")
        self.pad.show_pad()
        self._show_lock()

    def try_pin(self, pin: str) -> None:
        """Check the PIN on a worker thread (PBKDF2 takes a few tenths of a second);
        the pad waits, disabled, and ``checked`` fires with the answer."""
        self.pad.set_message("", enabled=False)
        self._pool.start(_PinCheck(self.guard, pin, self._relay))

    def _checked(self, result: Attempt) -> None:
        s = self._language().strings
        if not self.pad.isVisible():
            return  # the pad was closed (a reset) while the PIN was being checked
        self.pad.set_message("", enabled=True)
        self.checked.emit(result.ok)
        if result.ok:
            log.info("staff PIN accepted")
            self.pad.hide()
            self.open_panel()
        elif result.locked_for:
            log.warning("staff PIN: too many wrong tries, locked for %d s", result.locked_for)
            self._show_lock()
        else:
            log.info("staff PIN wrong (%d tries left)", result.tries_left)
            self.pad.set_message(s.get("pin_wrong", left=result.tries_left))

    def _show_lock(self) -> None:
        left = self.guard.locked_for()
        if left and self.pad.isVisible():
            self.pad.set_message(self._language().strings.get("pin_locked", seconds=left), enabled=False)
            if not self.lock_timer.isActive():
                self.lock_timer.start()
            return
        self.lock_timer.stop()
        if self.pad.isVisible() and not self.pad.accepting and self.guard.is_set_up:
            self.pad.set_message("", enabled=True)

    # -- panel ----------------------------------------------------------------------
    def open_panel(self) -> None:
        self.session.set_mode(Mode.STAFF)
        self.refresh()
        self.printer.refresh()
        self.panel.open()
        log.info("staff panel opened")
        self.opened.emit()

    def refresh(self, status: str = "") -> None:
        cfg = self._config
        info = f"Kiosk {__version__}\nContent: {self._holder.deck.root}\nLog: {cfg.log_file}"
        if cfg.problems:  # bad keys the kiosk replaced by defaults at start
            info += "\nConfig problems (defaults used):\n" + "\n".join(cfg.problems)
        self.panel.info.setText(info)
        self.panel.demo_button.setText("Stop &demo" if self.session.demo else "Start &demo")
        self.panel.status.setText(status)
        self.panel.status.setVisible(bool(status))
        self.panel.log_view.setPlainText("\n".join(tail(cfg.log_file, 20)))
        bar = self.panel.log_view.verticalScrollBar()
        bar.setValue(bar.maximum())  # the newest lines, not the oldest

    def close_panel(self) -> None:
        self.panel.hide()
        self._back_to_start()

    def _back_to_start(self) -> None:
        self.lock_timer.stop()
        if self.session.demo:
            self._demo.play()
        else:
            self.session.reset("staff")

    def toggle_demo(self) -> None:
        self.panel.hide()
        if self.session.demo:
            self._demo.stop()
        else:
            self._demo.start()

    def reload_content(self) -> None:
        old = self._holder.deck
        try:
            deck = load_deck(old.root, self._config.default_language)
        except DeckError as e:
            log.warning("reload: the content cannot be shown, keeping the last good content:\n%s", e)
            first = "\n".join(str(p) for p in e.problems[:5])
            self.refresh(f"Reload failed; the last good content is still showing.\n{first}")
            return
        refusal = reload_refusal(old, deck)
        if refusal:
            log.warning("reload refused, keeping the last good content: %s", "; ".join(refusal))
            self.refresh("Reload refused; the last good content is still showing.\n" + "\n".join(refusal[:5]))
            return
        self._holder.set_deck(deck)
        self.session.set_mode(Mode.STAFF)
        for p in deck.problems:
            log.warning("content problem: %s", p)
        n = sum(len(lang.screens) for lang in deck.languages.values())
        note = f" with {len(deck.problems)} problem(s); see the log" if deck.problems else ""
        log.info("reload: content reloaded (%d screens)%s", n, note)
        self.refresh(f"Content reloaded: {len(deck.languages)} language(s), {n} screens{note}.")
        self.panel.raise_()

    # -- usage figures ------------------------------------------------------------
    def show_usage(self) -> None:
        """The last 14 days, read on the stats worker (the GUI never waits for SQLite)."""
        if self._stats is None:
            return
        self.usage.note.setText("Reading the usage figures…")
        self.usage.open()
        self._stats.request_report(14, datetime.date.today())

    def _usage_ready(self, report) -> None:  # type: ignore[no-untyped-def]
        deck = self._holder.deck
        en = deck.language(self._config.default_language)

        def question(qid: str) -> str:
            item = en.item(qid)
            return item.text if item is not None else qid

        self.usage.show_report(report, question, [s.id for s in en.screens])

    def _usage_failed(self, sentence: str) -> None:
        self.usage.note.setText(sentence)

    def quit(self) -> None:
        log.info("staff: quit")
        self.quit_requested.emit()

    def _on_reset(self) -> None:
        self.pad.hide()
        self.panel.hide()
        self.usage.hide()
        self.lock_timer.stop()
