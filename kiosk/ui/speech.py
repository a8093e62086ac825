"""Speech output: the Listen control's controller, over Qt's text-to-speech.

``SpeechController`` follows the ``Session``. Listen turns the visit's speech
mode on (``session.set_speech(True)``) and reads the current screen, then each
new screen as it appears; Listen again turns it off and stops. Changing screen
stops what is being read; the privacy reset stops at once (the reset also
turns the mode off). Ticking a question in speech mode says its new state.
What is said comes from ``kiosk.speech_text`` (words from the deck).

The engine is QtTextToSpeech's ``speechd`` (speech-dispatcher with espeak-ng,
the stack Linux screen readers use). It is loaded only when first needed:
``warm_up()``, called just after first paint, first starts speech-dispatcher
in the background (``speech-dispatcher --spawn``, out of process), then makes
the engine. Making it blocks the GUI thread: it lists every voice
speech-dispatcher has (about 1500 with espeak-ng), 1-3 s on the 2-core test
machine, and PySide holds the interpreter lock while it runs, so a worker
thread does not help. It happens once, on the Start screen after boot.

Where speech cannot work (``[speech] enabled = false``, no engine, no voice
for the deck language) ``available_changed(False)`` lets the window hide the
control, and the log says why at INFO level.
"""

from __future__ import annotations

import enum
import logging
import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLocale, QLoggingCategory, QObject, QProcess, QRunnable, QThreadPool, Signal

from .. import speechd
from ..config import Speech as SpeechSettings
from ..session import Mode, Session
from ..speech_text import pronounce, pronunciations_for, screen_lines, tick_text
from .state import DeckHolder

if TYPE_CHECKING:
    from ..deck import Language

log = logging.getLogger(__name__)

# Loading QtTextToSpeech loads QtMultimedia, which warns that it found no
# PipeWire library. The speechd engine plays through speech-dispatcher and never
# uses QtMultimedia's audio, so that warning says nothing a person can act on.
QUIET_RULES = "qt.multimedia.symbolsresolver.warning=false"
SPAWN_TIMEOUT_MS = 10_000


class Status(enum.Enum):
    UNLOADED = "unloaded"  # nothing loaded yet (no memory, no process)
    STARTING = "starting"  # speech-dispatcher is being started in the background
    READY = "ready"
    FAILED = "failed"  # no engine; the reason is in the log
    DISABLED = "disabled"  # [speech] enabled = false


class _ProbeRelay(QObject):
    done = Signal(bool)


class _Probe(QRunnable):
    def __init__(self, path: Path | None, relay: _ProbeRelay) -> None:
        super().__init__()
        self._path, self._relay = path, relay

    def run(self) -> None:
        self._relay.done.emit(speechd.answers(self._path))


class SpeechController(QObject):
    available_changed = Signal(bool)  # False: hide the Listen control
    speaking_changed = Signal(bool)  # the engine started or stopped speaking

    def __init__(self, session: Session, holder: DeckHolder, settings: SpeechSettings, parent: QObject,
                 *, engine: str = "speechd") -> None:
        super().__init__(parent)
        self._session = session
        self._holder = holder
        self._settings = settings
        self._engine_name = engine
        self._tts: Any = None  # QTextToSpeech, once loaded
        self._status = Status.UNLOADED if settings.enabled else Status.DISABLED
        self._why = "" if settings.enabled else "speech is disabled in the config ([speech] enabled = false)"
        self._spawner: QProcess | None = None
        self._probe: _Probe | None = None
        self._probe_relay = _ProbeRelay(self)
        self._probe_relay.done.connect(self._on_probed)
        self._pending: str | None = None  # asked for before the engine was ready
        self._speaking = False
        self._voices: dict[str, tuple[QLocale, Any] | None] = {}
        self._logged_no_voice: set[str] = set()
        self._mode = session.mode
        self._available = self.is_available(session.language)
        if not settings.enabled:
            log.info("speech: %s; the Listen control is hidden", self._why)
        session.speech_changed.connect(self._on_speech_changed)
        session.screen_changed.connect(self._on_screen_changed)
        session.tick_toggled.connect(self._on_tick_toggled)
        session.language_changed.connect(self._on_language_changed)
        session.about_to_reset.connect(self._on_reset)
        session.was_reset.connect(self.stop)
        session.mode_changed.connect(self._on_mode_changed)

    # -- reading ----------------------------------------------------------------------
    @property
    def available(self) -> bool:
        """What the Listen control should show now (before loading: True when enabled)."""
        return self._available

    @property
    def speaking(self) -> bool:
        return self._speaking

    @property
    def status(self) -> Status:
        return self._status

    @property
    def engine(self) -> Any:
        """The QTextToSpeech object once loaded (tests and benchmarks read its state)."""
        return self._tts

    def is_available(self, language: str) -> bool:
        """Can speech be used in ``language``? Before the engine is loaded this is
        only a guess (True when enabled); ``available_changed`` corrects it."""
        if self._status in (Status.DISABLED, Status.FAILED):
            return False
        if self._status is not Status.READY:
            return True
        return self._choose(language) is not None

    # -- loading ----------------------------------------------------------------------
    def warm_up(self) -> None:
        """Load the engine now rather than on the first Listen (call it after first paint)."""
        if self._status is not Status.UNLOADED:
            return
        if self._engine_name == "speechd" and "SPEECHD_ADDRESS" not in os.environ:
            program = shutil.which("speech-dispatcher")
            if program is not None:
                self._status = Status.STARTING
                self._spawner = QProcess(self)
                self._spawner.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
                self._spawner.finished.connect(self._on_spawned)
                self._spawner.errorOccurred.connect(self._on_spawn_error)
                # --spawn: start unless one already runs (then it exits at once); returns when ready
                self._spawner.start(program, ["--spawn"])
                return
        self._load()

    def _on_spawned(self, code: int, status: QProcess.ExitStatus) -> None:
        if self._spawner is not None:
            out = bytes(self._spawner.readAll().data()).decode(errors="replace").strip()
            log.debug("speech: speech-dispatcher --spawn exited %s: %s", code, out[-200:])
            self._spawner.deleteLater()
            self._spawner = None
        # Qt's engine waits without a limit for a speech-dispatcher that does not answer:
        # ask it first, with a deadline, off the GUI thread.
        self._probe = _Probe(speechd.socket_path(), self._probe_relay)
        QThreadPool.globalInstance().start(self._probe)

    def _on_probed(self, ok: bool) -> None:
        if ok:
            self._load()
        else:
            self._fail(f"no speech engine: speech-dispatcher does not answer at {speechd.socket_path()} "
                       "(restart it: pkill speech-dispatcher; it starts again on the next visit)")

    def _on_spawn_error(self, error: QProcess.ProcessError) -> None:
        if error is QProcess.ProcessError.FailedToStart:
            log.info("speech: could not start speech-dispatcher (%s); trying the engine anyway", error.name)
            self._on_spawned(-1, QProcess.ExitStatus.CrashExit)

    def _load(self) -> None:
        if self._status in (Status.READY, Status.FAILED, Status.DISABLED):
            return
        started = time.perf_counter()
        QLoggingCategory.setFilterRules(QUIET_RULES)
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError as e:
            self._fail(f"no speech engine: QtTextToSpeech is not installed (pip install PySide6-Addons): {e}")
            return
        engines = QTextToSpeech.availableEngines()
        if self._engine_name not in engines:
            found = ", ".join(engines) or "none"
            self._fail(f"no speech engine: Qt has no '{self._engine_name}' engine (found: {found}); "
                       "install libspeechd2")
            return
        tts = QTextToSpeech(self._engine_name, self)
        if tts.state() is QTextToSpeech.State.Error:
            why = tts.errorString() or tts.errorReason().name
            tts.deleteLater()
            self._fail(f"no speech engine: '{self._engine_name}' could not start ({why}); is speech-dispatcher "
                       "installed (apt-get install speech-dispatcher speech-dispatcher-espeak-ng)?")
            return
        tts.setRate(self._settings.rate)
        tts.setVolume(self._settings.volume)
        tts.stateChanged.connect(self._on_state)
        tts.errorOccurred.connect(self._on_error)
        self._tts = tts
        self._status = Status.READY
        log.info("speech: engine '%s' ready in %.0f ms (%d locales)", self._engine_name,
                 (time.perf_counter() - started) * 1000, len(tts.availableLocales()))
        self._apply_language(self._session.language)
        pending, self._pending = self._pending, None
        if pending is not None and self._available:
            self._say(pending)

    def _fail(self, why: str) -> None:
        self._status = Status.FAILED
        self._why = why
        log.info("speech: %s; the Listen control is hidden", why)
        self._set_available(False)
        if self._session.speech:
            self._session.set_speech(False)

    # -- voices -----------------------------------------------------------------------
    def _locales_for(self, code: str) -> list[QLocale]:
        """Locales the engine has whose language is ``code``'s (es -> es_ES, es_419 ...),
        the one for the language's main territory first."""
        wanted = QLocale(code)
        if self._tts is None or wanted.language() is QLocale.Language.C:
            return []
        matches = [loc for loc in self._tts.availableLocales() if loc.language() == wanted.language()]
        return sorted(matches, key=lambda loc: (loc.territory() != wanted.territory(), loc.name()))

    def _choose(self, code: str) -> tuple[QLocale, Any] | None:
        """(locale, voice) for ``code``: the first ``[speech] voices`` name the engine has
        for that language, else the first voice of the main locale that is not a variant."""
        if code in self._voices:
            return self._voices[code]
        tts = self._tts
        locales = self._locales_for(code)
        chosen = None
        if locales:
            preferred = [v.strip() for v in self._settings.voices.split(",") if v.strip()]
            found: dict[str, tuple[QLocale, Any]] = {}
            for loc in locales:
                tts.setLocale(loc)
                for voice in tts.availableVoices():
                    found.setdefault(voice.name(), (loc, voice))
            chosen = next((found[name] for name in preferred if name in found), None)
            if chosen is None:
                first = locales[0]
                tts.setLocale(first)
                plain = [v for v in tts.availableVoices() if "+" not in v.name()] or list(tts.availableVoices())
                chosen = (first, plain[0] if plain else None)
        self._voices[code] = chosen
        return chosen

    def _apply_language(self, code: str) -> None:
        chosen = self._choose(code) if self._status is Status.READY else None
        if chosen is not None:
            locale, voice = chosen
            self._tts.setLocale(locale)
            if voice is not None:
                self._tts.setVoice(voice)
            log.info("speech: %s is read with %s, voice %s", code, locale.name(), self._tts.voice().name())
        elif self._status is Status.READY and code not in self._logged_no_voice:
            self._logged_no_voice.add(code)
            log.info("speech: no voice for language '%s' in engine '%s'; the Listen control is hidden "
                     "(install a voice for it, e.g. espeak-ng)", code, self._engine_name)
        self._set_available(self.is_available(code))

    def _set_available(self, on: bool) -> None:
        if on != self._available:
            self._available = on
            self.available_changed.emit(on)

    # -- actions ----------------------------------------------------------------------
    def toggle(self) -> None:
        """The Listen control or the keypad's speak key: speech mode on (and read), or off."""
        if self._session.speech:
            self._session.set_speech(False)
            return
        if not self.is_available(self._session.language):
            log.info("speech: Listen ignored, speech is not available (%s)",
                     self._why or f"no voice for '{self._session.language}'")
            return
        self._session.set_speech(True)

    def speak_screen(self) -> None:
        """Read the screen on show, from its title."""
        lang = self._language()
        index = self._index(lang)
        self.speak_text("\n".join(screen_lines(lang, index, self._session.ticks)))

    def speak_text(self, text: str) -> None:
        """Say ``text`` now, in the session's language, instead of whatever is being said."""
        if self._status in (Status.DISABLED, Status.FAILED) or not text.strip():
            return
        if self._status is not Status.READY:
            self._pending = text
            if self._status is Status.UNLOADED:
                self.warm_up()
            return
        if self._available:
            self._say(text)

    def stop(self) -> None:
        """Stop at once (nothing left pending)."""
        self._pending = None
        if self._tts is not None:
            self._tts.stop()

    def _say(self, text: str) -> None:
        lang = self._language()
        table = pronunciations_for(lang)
        self._tts.stop()
        self._tts.say(pronounce(text, table))

    # -- following the session ------------------------------------------------------
    def _language(self) -> Language:
        return self._holder.language(self._session.language)

    def _index(self, lang: Language) -> int:
        ids = [s.id for s in lang.screens]
        sid = self._session.screen_id
        return ids.index(sid) if sid in ids else min(self._session.index, len(ids) - 1)

    def _on_speech_changed(self, on: bool) -> None:
        log.info("speech: speech mode %s", "on" if on else "off")
        if on:
            self.speak_screen()
        else:
            self.stop()

    def _on_screen_changed(self, index: int) -> None:
        if self._session.speech:
            self.speak_screen()

    def _on_tick_toggled(self, item_id: str, checked: bool) -> None:
        if not self._session.speech:
            return
        lang = self._language()
        item = lang.item(item_id)
        if item is not None:
            self.speak_text(tick_text(lang.strings, item.text, checked))

    def _on_language_changed(self, code: str) -> None:
        self._apply_language(code)
        if not self._session.speech:
            return
        if self._available:
            self.speak_screen()
        else:
            self._session.set_speech(False)

    def _on_mode_changed(self, mode: Mode) -> None:
        was, self._mode = self._mode, mode
        if was is Mode.IDLE_WARNING and mode is not Mode.IDLE_WARNING:
            self.stop()  # the patient is back (or the reset came): the warning is not read on

    def _on_reset(self, reason: str) -> None:
        self.stop()

    # -- the engine -----------------------------------------------------------------
    def _on_state(self, state: Any) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        speaking = state in (QTextToSpeech.State.Speaking, QTextToSpeech.State.Synthesizing)
        if speaking != self._speaking:
            self._speaking = speaking
            log.info("speech: speaking %s", speaking)  # events only: never what is read
            self.speaking_changed.emit(speaking)

    def _on_error(self, reason: Any, message: str) -> None:
        log.warning("speech: the engine reported an error (%s): %s", getattr(reason, "name", reason), message)
