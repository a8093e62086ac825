"""What a patient sees, measured from outside the kiosk on real X servers, against bare-PySide6 floors.

Everything runs as separate processes on Xvfb servers this module starts itself
(``benchmarks/xharness.py``); the kiosk is started exactly as staff would
(``python -m kiosk --windowed --size WxH --content DIR --lang en --config FILE``), and
only pixels (rows of the root window) and real key presses (XTEST) cross the process
boundary. How each key is measured: docs/benchmarks.md.

``python benchmarks/xbench.py [--quick]`` prints the figures as JSON.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.gen_deck import generate  # noqa: E402
from benchmarks.xharness import Change, Program, Rows, Screen, Xvfb, stop_on_sigterm  # noqa: E402

BUNDLED = ROOT / "content"
SIZE = (1920, 1080)
BODY_PX = {"normal": 26, "largest": 39}  # the kiosk's body text at 1080 px high: 26 px x 1.0 / 1.5
TEXT_SIZES = ("normal", "large", "largest")
BLIND_PRESS_S = 0.2
CLICK = "click the text-size button"  # the fallback when F7 does nothing (today's window)
ACCENT_BGR = bytes((0x63, 0x55, 0x0B))  # the kiosk's button border #0b5563, in the server's pixel order
KEYS = {"next": "Right", "back": "Left", "text_larger": "F7", "text_smaller": "F6"}
CONFIG = """\
# benchmark config: no fade between screens (the change figures time the switch, not a
# 160 ms animation), no idle reset while a run waits its turn, log into the run's folder;
# speech off: issue 9 asks the window's targets to hold with speech off, and speech's own
# cost is measured apart (benchmarks/speech.py: speech_rss_mb, speech_start_ms)
[display]
transition_ms = 0
[session]
idle_timeout_s = 3600
[speech]
enabled = false
[log]
file = "{log}"
"""


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def p95(values: Sequence[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


# -- programs ------------------------------------------------------------------------------
@dataclass
class Flavour:
    """One program under test: how to start it and how many screens it has."""

    name: str
    argv: list[str]
    screens: int
    kiosk: bool  # has text-size keys and a Start screen of its own

    def program(self, display: str, log_dir: Path) -> Program:
        return Program(self.argv, display, log_dir / f"{self.name}.log", {"PYTHONPATH": str(ROOT)})


def kiosk(name: str, content: Path, config: Path) -> Flavour:
    argv = [sys.executable, "-m", "kiosk", "--windowed", "--size", f"{SIZE[0]}x{SIZE[1]}",
            "--content", str(content), "--lang", "en", "--config", str(config)]
    from kiosk.deck import load_deck

    # the patient's journey: every screen but the sources, which open on demand
    return Flavour(name, argv, len(load_deck(content, "en").language("en").journey), True)


def floor(name: str, script: str, content: Path, font_px: int) -> Flavour:
    argv = [sys.executable, str(ROOT / "benchmarks" / script), "--size", f"{SIZE[0]}x{SIZE[1]}",
            "--content", str(content), "--lang", "en", "--font-px", str(font_px)]
    return Flavour(name, argv, len(list((content / "en").glob("*.md"))), False)


# -- first paint ---------------------------------------------------------------------------------
def first_paint(screen: Screen, display: str, flavour: Flavour, log_dir: Path) -> tuple[float, float]:
    """Cold start to the first poll whose pixels differ from the empty screen; also when they settled."""
    ys = [screen.height * k // 8 for k in range(1, 8)]
    empty = screen.rows(ys)
    program = flavour.program(display, log_dir)
    try:
        program.start()
        change = screen.wait_change(ys, empty, program.t0, first_only=True, timeout=60)
        if change.first is None:
            raise RuntimeError(f"{flavour.name} painted nothing within 60 s:\n{program.log_tail()}")
        _, last = screen.wait_still(ys, hold_s=0.3)
        return change.first, last - program.t0
    finally:
        program.stop()
        deadline = time.monotonic() + 5
        while screen.rows(ys) != empty and time.monotonic() < deadline:  # the window has gone
            time.sleep(0.01)


def first_paints(flavours: Sequence[Flavour], runs: int, log_dir: Path) -> dict[str, dict[str, list[float]]]:
    """``runs`` cold starts of every flavour, interleaved (a, b, c, a, b, c, ...), on one fresh Xvfb."""
    out: dict[str, dict[str, list[float]]] = {f.name: {"first": [], "settled": []} for f in flavours}
    with Xvfb(*SIZE, log_dir) as x:
        screen = Screen(x.display)
        try:
            for flavour in flavours:  # one unmeasured start each: files into the page cache
                first_paint(screen, x.display, flavour, log_dir)
            for _ in range(runs):
                for flavour in flavours:
                    first, settled = first_paint(screen, x.display, flavour, log_dir)
                    out[flavour.name]["first"].append(first)
                    out[flavour.name]["settled"].append(settled)
        finally:
            screen.close()
    return out


# -- a running program, driven by keys ----------------------------------------------------------
@dataclass
class Driven:
    """A program on its own Xvfb, its window focused, walked and timed by key presses."""

    flavour: Flavour
    screen: Screen
    program: Program
    index: int = 0  # which screen it shows (as far as the keys said)
    text_size: int = 0
    text_keys_work: bool | None = None
    states: dict[tuple[int, int], Rows] = field(default_factory=dict)  # (screen, text size) -> sparse rows
    samples: list[float] = field(default_factory=list)  # key press to first changed pixels, seconds
    settled: list[float] = field(default_factory=list)
    misses: int = 0  # presses whose change the watched rows did not show
    late: int = 0  # changes whose rows became final more than 50 ms after their first pixels
    unmatched: int = 0  # changes that ended in rows other than the calibration walk's (judged by stillness)
    window_id: int = 0
    text_button: tuple[int, int] | None = None  # where CLICK clicks
    low: int = 0  # the first screen walked to (1 when the text size is changed by a click: Start has no button)
    _ys: list[int] = field(default_factory=list)
    _rows: dict[tuple[int, int], list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sparse = self.screen.sparse_ys()

    def open(self) -> None:
        empty = self.screen.rows(self.sparse)
        self.program.start()
        change = self.screen.wait_change(self.sparse, empty, self.program.t0, first_only=True, timeout=60)
        if change.first is None:
            raise RuntimeError(f"{self.flavour.name} painted nothing:\n{self.program.log_tail()}")
        self.screen.wait_still(self.sparse, hold_s=0.3)
        self.window_id = self.screen.window_of(self.program.pid)
        self.screen.focus(self.window_id)
        time.sleep(0.1)

    @property
    def window(self) -> tuple[int, int]:
        """The window's size on the X server now."""
        return self.screen.window_size(self.window_id)

    @property
    def oversize(self) -> bool:
        """The window is larger than the screen: changes may happen where no pixel shows them."""
        width, height = self.window
        return width > self.screen.width or height > self.screen.height

    def press(self, key: str) -> float:
        if key == CLICK:
            assert self.text_button is not None
            return self.screen.click(*self.text_button)
        return self.screen.press(key)

    def press_settled(self, key: str, hold_s: float = 0.0) -> Change:
        """Press ``key`` and wait (sparse rows) until the screen changed and held still."""
        before = self.screen.rows(self.sparse)
        t0 = self.press(key)
        change = self.screen.wait_change(self.sparse, before, t0, stable_polls=5, timeout=3)
        if change.first is not None and hold_s:
            rows, _ = self.screen.wait_still(self.sparse, hold_s=hold_s)
            change.rows = rows
        return change

    def walk(self, key: str, record: bool = False) -> None:
        """Press ``key`` (next/back) until the last (first) screen, recording each state when asked."""
        step = 1 if key == KEYS["next"] else -1
        hold = 0.12 if record else 0.0
        if record:
            self.states[(self.index, self.text_size)] = self.screen.wait_still(self.sparse, hold_s=hold)[0]
        while self.low <= self.index + step < self.flavour.screens:
            if self.oversize:  # nothing to watch: press at a patient's brisk pace, unobserved
                self.screen.press(key)
                time.sleep(BLIND_PRESS_S)
                self.index += step
                continue
            change = self.press_settled(key, hold)
            if change.first is None:
                raise RuntimeError(f"{self.flavour.name}: {key} on screen {self.index} changed nothing")
            self.index += step
            if record:
                self.states[(self.index, self.text_size)] = change.rows
        if self.oversize:
            time.sleep(1)  # let queued presses be handled

    def text_key(self, key: str, record: bool = False) -> bool:
        """F7/F6 (or CLICK): True when the screen changed; tracks the size reached."""
        if self.oversize and self.text_keys_work is not None:
            self.screen.press(key)
            time.sleep(1)
            if not self.text_keys_work:
                return False
            self.text_size = size_after(key, self.text_size)
            return True
        change = self.press_settled(key, 0.12 if record else 0.0)
        if change.first is None:
            return False
        self.text_size = size_after(key, self.text_size)
        if record:
            self.states[(self.index, self.text_size)] = change.rows
        return True

    # -- timing with a few rows --------------------------------------------------------------
    def choose_rows(self, transitions: Sequence[tuple[tuple[int, int], tuple[int, int]]],
                    cover: int = 2, most: int = 4) -> list[int]:
        """Few sparse rows (greedy, at most ``most``) whose pixels differ across every transition,
        each transition seen by ``cover`` rows where possible (for instance the header and the page),
        so a screen painted in two parts is not judged complete by its first part."""
        known = [t for t, (a, b) in enumerate(transitions) if a in self.states and b in self.states]
        covers: dict[int, set[int]] = {
            r: {t for t in known if self.states[transitions[t][0]][r] != self.states[transitions[t][1]][r]}
            for r in range(len(self.sparse))
        }
        need = {t: cover for t in known}
        chosen: list[int] = []
        while len(chosen) < most:
            apart = self.screen.height // 8  # rows in different parts of the window
            candidates = [r for r in covers if all(abs(self.sparse[r] - self.sparse[c]) >= apart for c in chosen)]
            if not candidates:
                break
            best = max(candidates, key=lambda r: sum(1 for t in covers[r] if need[t] > 0))
            if not any(need[t] > 0 for t in covers[best]):
                break
            chosen.append(best)
            for t in covers[best]:
                need[t] -= 1
        return sorted(chosen)

    def locate_text_button(self) -> tuple[int, int] | None:
        """Where today's text-size button is: the second button from the right in the header.

        Read once from one grab of the header: the first pixel row with two or more long runs of
        the button border colour is the buttons' top edge; the bottom edge is found down the left
        end of that run. Only for the fallback; F7 needs none of this.
        """
        width, top_h = self.screen.width, self.screen.height // 5
        data = bytes(self.screen.root.get_image(0, 0, width, top_h, 2, 0xFFFFFFFF).data)  # 2: ZPixmap

        def accent(x: int, y: int) -> bool:
            i = (y * width + x) * 4
            return data[i:i + 3] == ACCENT_BGR

        for y in range(top_h):
            runs, x = [], 0
            while x < width:
                if accent(x, y):
                    start = x
                    while x < width and accent(x, y):
                        x += 1
                    if x - start >= 40:
                        runs.append((start, x))
                x += 1
            if len(runs) >= 2:
                left, right = runs[-2]
                bottom = next((yy for yy in range(y + 10, top_h) if accent(left + 2, yy)), None)
                if bottom is None:
                    return None
                return (left + right) // 2, (y + bottom) // 2
        return None

    def timed(self, key: str, target: tuple[int, int], rows: list[int], pause_s: float) -> None:
        ys = [self.sparse[r] for r in rows]
        expected = tuple(self.states[target][r] for r in rows) if target in self.states else None
        before = self.screen.rows(ys)
        t0 = self.press(key)
        change = self.screen.wait_change(ys, before, t0, expected=expected, stable_polls=15, timeout=3)
        if change.first is None:
            self.misses += 1
        else:
            self.unmatched += expected is not None and not change.matched
            self.samples.append(change.first)
            if change.settled is not None:
                self.settled.append(change.settled)
                self.late += change.settled - change.first > 0.05
        time.sleep(pause_s)

    def stop(self) -> None:
        self.program.stop()
        self.screen.close()


@contextmanager
def driven(flavour: Flavour, log_dir: Path) -> Iterator[Driven]:
    with Xvfb(*SIZE, log_dir) as x:
        d = Driven(flavour, Screen(x.display), flavour.program(x.display, log_dir))
        try:
            d.open()
            yield d
        finally:
            d.stop()


def prepare_changes(d: Driven, text_keys_work: bool | None = None) -> None:
    """Visit every screen at every text size the keys reach; end at the largest, states recorded.

    Kiosk: forward at normal, F7, back at large, F7 on the first step, forward at largest
    (recorded). A floor
    stack has one text size (its font is the kiosk's largest): forward, recorded.
    """
    if not d.flavour.kiosk:
        d.walk(KEYS["next"], record=True)
        return
    d.walk(KEYS["next"])
    if d.oversize:  # what the keys do is known from the bundled deck's run; this window cannot show it
        d.text_keys_work = text_keys_work
    d.text_keys_work = d.text_key(KEYS["text_larger"])
    larger = KEYS["text_larger"]
    if not d.text_keys_work and not d.oversize:
        d.text_button = d.locate_text_button()
        if d.text_button is not None and d.text_key(CLICK):
            larger, d.low = CLICK, 1
    if d.text_size:
        d.walk(KEYS["back"])
        if d.index == 0:  # change the size on a content screen: Start may not show it
            d.press_settled(KEYS["next"])
            d.index = 1
        d.text_key(larger)
        d.walk(KEYS["back"])
        d.walk(KEYS["next"], record=True)
    else:
        d.walk(KEYS["back"])
        d.walk(KEYS["next"], record=True)


def size_after(key: str, size: int) -> int:
    if key == CLICK:
        return (size + 1) % len(TEXT_SIZES)
    return max(0, min(len(TEXT_SIZES) - 1, size + (1 if key == KEYS["text_larger"] else -1)))


def change_plan(d: Driven, presses: int) -> list[tuple[str, tuple[int, int]]]:
    """Ping-pong over the deck from where it is: (key, target state) for ``presses`` presses."""
    plan = []
    index, step = d.index, -1 if d.index == d.flavour.screens - 1 else 1
    for _ in range(presses):
        if not d.low <= index + step < d.flavour.screens:
            step = -step
        index += step
        plan.append((KEYS["next"] if step > 0 else KEYS["back"], (index, d.text_size)))
    return plan


def run_changes(runs: Sequence[Driven], presses: int, block: int = 10, pause_s: float = 0.05) -> None:
    """Timed screen changes, interleaved between the programs in blocks of ``block`` presses."""
    plans, rows = {}, {}
    runs = [d for d in runs if not d.oversize]
    for d in runs:
        plan = change_plan(d, presses)
        transitions, here = [], (d.index, d.text_size)
        for _, target in plan:
            transitions.append((here, target))
            here = target
        plans[d.flavour.name] = plan
        rows[d.flavour.name] = d.choose_rows(transitions)
    for start in range(0, presses, block):
        for d in runs:
            if d.misses >= 5 and d.misses > len(d.samples):
                continue  # the watched rows do not show this program's changes: stop wasting time on it
            for key, target in plans[d.flavour.name][start:start + block]:
                d.timed(key, target, rows[d.flavour.name], pause_s)
                d.index = target[0]


def text_size_changes(d: Driven, presses: int, pause_s: float = 0.05) -> list[float]:
    """F6, F6, F7, F7, ... (or clicks on the button) on the current screen; press to first changed pixels, s."""
    if d.oversize:
        return []
    if d.text_keys_work:
        cycle = [KEYS["text_smaller"]] * 2 + [KEYS["text_larger"]] * 2
    elif d.text_button is not None and d.low:
        cycle = [CLICK] * len(TEXT_SIZES)
    else:
        return []
    for key in cycle:
        d.text_key(key, record=True)
    presses = -(-presses // len(cycle)) * len(cycle)  # whole cycles: end at the size the walk recorded
    targets, size = [], d.text_size
    for n in range(presses):
        key = cycle[n % len(cycle)]
        size = size_after(key, size)
        targets.append((key, (d.index, size)))
    here = (d.index, d.text_size)
    transitions = []
    for _, target in targets:
        transitions.append((here, target))
        here = target
    rows = d.choose_rows(transitions)
    saved = (d.samples, d.settled, d.misses, d.late, d.unmatched)  # these belong to the screen changes
    d.samples, d.settled = [], []
    for key, target in targets:
        d.timed(key, target, rows, pause_s)
        d.text_size = target[1]
    taken = d.samples
    d.samples, d.settled, d.misses, d.late, d.unmatched = saved
    return taken


def contrast_changes(d: Driven, presses: int, pause_s: float = 0.05) -> list[float]:
    """F8 (the keypad's contrast key) on the current screen, back and forth: press to the first
    changed pixels, s.

    Watched as screen and text-size changes are: a few rows (``spread_rows``) in different
    parts of the window, here rows the switch changes from the header to the footer, found by
    one press that is not timed. Reading all ~90 sparse rows takes ~90 requests to the X server
    per poll (7-10 ms on a 2-core machine), which would blur the figure by more than it measures.
    The whole window is repainted and flushed in one go, so any of the rows sees it."""
    if d.oversize:
        return []
    before = d.screen.rows(d.sparse)
    d.press_settled("F8")  # not timed (nor is this first, coldest switch): which rows it changes
    after, _ = d.screen.wait_still(d.sparse, hold_s=0.12)
    ys = spread_rows(d.sparse, [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b],
                     d.screen.height)
    if not ys:  # the key changed nothing: back to the theme the walks recorded, if it did change it
        d.press_settled("F8")
        return []
    taken = []
    for _ in range(presses):
        rows = d.screen.rows(ys)
        change = d.screen.wait_change(ys, rows, d.press("F8"), stable_polls=5, timeout=3)
        if change.first is not None:
            taken.append(change.first)
        time.sleep(pause_s)
    if presses % 2 == 0:
        d.press_settled("F8")  # back to the theme the walks recorded
    return taken


def spread_rows(sparse: Sequence[int], changed: Sequence[int], height: int, most: int = 4) -> list[int]:
    """Of the sparse rows at indices ``changed``, the one nearest each of ``most`` evenly spaced
    heights (top to bottom of the window), without repeats."""
    chosen: list[int] = []
    for k in range(most):
        target = height * (k + 0.5) / most
        free = [sparse[i] for i in changed if sparse[i] not in chosen]
        if free:
            chosen.append(min(free, key=lambda y: abs(y - target)))  # noqa: B023
    return sorted(chosen)


# -- the whole run ----------------------------------------------------------------------------
def measure(quick: bool = False, log: Callable[[str], None] = lambda s: print(s, file=sys.stderr)) -> dict[str, object]:
    runs = 5 if quick else 7
    presses = 60 if quick else 160
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kiosk-xbench-")))
        config = tmp / "kiosk.toml"
        config.write_text(CONFIG.format(log=tmp / "kiosk.log"))
        deck150 = generate(tmp / "deck150", 150)
        bundled = kiosk("kiosk", BUNDLED, config)
        big = kiosk("kiosk_deck150", deck150, config)
        text_floor = floor("floor_textbrowser", "floor_textbrowser.py", BUNDLED, BODY_PX["normal"])
        stack_floor = floor("floor_stack", "floor_stack.py", BUNDLED, BODY_PX["largest"])

        t = time.monotonic()
        fp = first_paints([bundled, text_floor, big], runs, tmp)
        log(f"first paints: {time.monotonic() - t:.0f} s")
        med = {name: statistics.median(v["first"]) for name, v in fp.items()}
        med_settled = {name: statistics.median(v["settled"]) for name, v in fp.items()}

        t = time.monotonic()
        k = stack.enter_context(driven(bundled, tmp))
        f = stack.enter_context(driven(stack_floor, tmp))
        b = stack.enter_context(driven(big, tmp))
        for d in (k, f, b):
            prepare_changes(d, k.text_keys_work)
            log(f"{d.flavour.name}: every screen visited ({time.monotonic() - t:.0f} s)")
        text_samples = text_size_changes(k, 24 if quick else 48)
        contrast_samples = contrast_changes(k, 20 if quick else 40)
        text_samples_big = text_size_changes(b, 12 if quick else 24)
        run_changes([k, f, b], presses)
        log(f"screen changes: {time.monotonic() - t:.0f} s")
        rss = {d.flavour.name: round(d.program.peak_rss_mb(), 1) for d in (k, b, f)}
        windows = {d.flavour.name: "{}x{}".format(*d.window) for d in (k, b, f)}
        big_oversize = b.oversize

    def change(d: Driven) -> dict[str, float | int | None]:
        if not d.samples:
            return {"p50_ms": None, "p95_ms": None, "n": 0, "missed": d.misses}
        return {"p50_ms": _ms(statistics.median(d.samples)), "p95_ms": _ms(p95(d.samples)),
                "settled_p95_ms": _ms(p95(d.settled)) if d.settled else None,
                "n": len(d.samples), "missed": d.misses, "ended_unlike_calibration": d.unmatched,
                "final_50ms_after_first": d.late}

    ck, cf, cb = change(k), change(f), change(b)

    def ratio(a: float | int | None, b_: float | int | None) -> float | None:
        return round(a / b_, 2) if a and b_ else None

    return {
        "first_paint_floor_ratio": ratio(med["kiosk"], med["floor_textbrowser"]),
        "screen_change_floor_ratio": ratio(ck["p95_ms"], cf["p95_ms"]),
        "deck150_first_paint_ratio": ratio(med["kiosk_deck150"], med["kiosk"]),
        "deck150_change_p95_ratio": ratio(cb["p95_ms"], ck["p95_ms"]),
        "text_size_change_p95_ms": _ms(p95(text_samples)) if text_samples else None,
        "contrast_switch_ms": _ms(p95(contrast_samples)) if contrast_samples else None,
        "peak_rss_mb": rss["kiosk"],
        "deck150_peak_rss_mb": rss["kiosk_deck150"],
        "x_screen_change_settled_floor_ratio": ratio(ck.get("settled_p95_ms"), cf.get("settled_p95_ms")),
        "x_first_paint_ms": {name: _ms(v) for name, v in med.items()},
        "x_first_paint_settled_ms": {name: _ms(v) for name, v in med_settled.items()},
        "x_first_paint_runs": runs,
        "x_screen_change": {"kiosk": ck, "floor_stack": cf, "kiosk_deck150": cb},
        "x_text_size_change": {
            "kiosk_p50_ms": _ms(statistics.median(text_samples)) if text_samples else None,
            "kiosk_n": len(text_samples),
            "kiosk_deck150_p95_ms": _ms(p95(text_samples_big)) if text_samples_big else None,
        },
        "x_text_size_reached": TEXT_SIZES[k.text_size],
        "x_text_size_by": ("F7/F6" if k.text_keys_work else
                           "a click on the text-size button (F7 changed nothing)" if k.low else
                           "nothing: F7 changed nothing and no button was found; figures at normal text"),
        "x_window_px": windows,
        "x_deck150_change": ("not measured: the window is larger than the screen, so a screen change "
                             "shows no pixel (walked blind for memory)") if big_oversize else "measured",
        "x_floor_stack_peak_rss_mb": rss["floor_stack"],
        "x_size": f"{SIZE[0]}x{SIZE[1]}",
        "x_transition_ms": 0,
    }


def main() -> int:
    stop_on_sigterm()
    print(json.dumps(measure("--quick" in sys.argv), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
