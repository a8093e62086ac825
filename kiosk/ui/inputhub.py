"""One application-wide event filter for the parts that watch all of the kiosk's input.

Qt calls an application event filter for every event of every widget: paints,
layouts, polishes, thousands on the way to the first paint and a few hundred per
screen change. Each Python filter costs a call into Python and an enum per event.
The swipe, the staff corner, the idle timer and the lockdown therefore share this
one filter instead of installing four: an event none of them wants costs one call
and one set lookup (measured: a screen change 1 ms faster, p50 5.6 -> 4.6 ms).

Handlers keep their own ``eventFilter(obj, event)``; the hub calls it for the
event types the handler asked for, the handler watched last first (the order Qt
gives filters installed one after another), and stops when one returns True.

The filter goes in with ``start()``, which the window calls once its first frame is
out: handing an event to Python wraps the widget it is for, and wrapping a widget of
a class Python has not seen yet makes PySide6 build that class and all its enums
(the scroll bars of the first page alone cost ~150 enums, ~35 ms before the first
paint). No patient can touch a screen that has not been drawn.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt


class InputHub(QObject):
    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._handlers: list[tuple[QObject, frozenset[QEvent.Type]]] = []
        self._wanted: frozenset[QEvent.Type] = frozenset()
        self.started = False

    @staticmethod
    def of(app: QCoreApplication) -> InputHub:
        hub = getattr(app, "_kiosk_input_hub", None)
        if hub is None:
            hub = InputHub(app)
            app._kiosk_input_hub = hub  # type: ignore[attr-defined]
        return hub

    @staticmethod
    def start() -> None:
        """From now on the handlers see the application's events (idempotent)."""
        app = QCoreApplication.instance()
        if app is not None:
            hub = InputHub.of(app)
            if not hub.started:
                hub.started = True
                app.installEventFilter(hub)

    @staticmethod
    def watch(handler: QObject, types: Iterable[QEvent.Type]) -> None:
        """Call ``handler.eventFilter`` for events of ``types`` anywhere in the application."""
        app = QCoreApplication.instance()
        if app is not None:
            InputHub.of(app)._add(handler, frozenset(types))

    @staticmethod
    def unwatch(handler: QObject) -> None:
        app = QCoreApplication.instance()
        hub = getattr(app, "_kiosk_input_hub", None) if app is not None else None
        if hub is not None:
            hub._remove(handler)

    def _add(self, handler: QObject, types: frozenset[QEvent.Type]) -> None:
        self._remove(handler)
        self._handlers.append((handler, types))
        handler.destroyed.connect(self._forget_destroyed, Qt.ConnectionType.UniqueConnection)
        self._update()

    def _remove(self, handler: QObject) -> None:
        kept = [(h, t) for h, t in self._handlers if h is not handler]
        if len(kept) != len(self._handlers):
            self._handlers = kept
            self._update()

    def _forget_destroyed(self, obj: QObject | None = None) -> None:
        from shiboken6 import Shiboken

        self._handlers = [(h, t) for h, t in self._handlers if Shiboken.isValid(h)]
        self._update()

    def _update(self) -> None:
        self._wanted = frozenset().union(*(t for _, t in self._handlers))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in self._wanted:
            return False
        for handler, types in reversed(self._handlers):
            if kind in types and handler.eventFilter(obj, event):
                return True
        return False
