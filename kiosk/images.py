"""Which local images a screen may show, decided the same way by ``kiosk check``
and by the renderer (so check reports exactly what the kiosk leaves out).

An image must be a file inside the screen's language folder once ``..`` and
symlinks are resolved, at most ``MAX_BYTES`` and at most ``MAX_SIDE`` pixels a
side (Qt refuses or slowly scales anything bigger). The size is read from the
file header (PNG, GIF, JPEG, BMP, WebP); no image library is needed.
"""

from __future__ import annotations

import struct
from pathlib import Path

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 4096


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            i += 1 if marker == 0xFF else 2
            continue
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + length
    return None


def pixel_size(head: bytes) -> tuple[int, int] | None:
    """(width, height) from the first bytes of an image file, or None when unknown."""
    if head.startswith(b"\x89PNG\r\n\x1a\n") and len(head) >= 24:
        w, h = struct.unpack(">II", head[16:24])
        return int(w), int(h)
    if head[:6] in (b"GIF87a", b"GIF89a") and len(head) >= 10:
        w, h = struct.unpack("<HH", head[6:10])
        return int(w), int(h)
    if head.startswith(b"\xff\xd8"):
        return _jpeg_size(head)
    if head.startswith(b"BM") and len(head) >= 26:
        w, h = struct.unpack("<ii", head[18:26])
        return abs(w), abs(h)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP" and len(head) >= 30:
        chunk = head[12:16]
        if chunk == b"VP8X":
            w = int.from_bytes(head[24:27], "little") + 1
            h = int.from_bytes(head[27:30], "little") + 1
            return w, h
        if chunk == b"VP8L":
            bits = int.from_bytes(head[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if chunk == b"VP8 ":
            w, h = struct.unpack("<HH", head[26:30])
            return w & 0x3FFF, h & 0x3FFF
    return None


def image_problem(target: str, folder: Path) -> str | None:
    """Why the image ``target`` (as written in a screen in ``folder``) is not shown, or None."""
    try:
        base = folder.resolve()
        path = (folder / target).resolve()
    except (OSError, RuntimeError, ValueError):
        return f"image '{target[:60]}' cannot be found"
    if base not in path.parents:
        return (f"image '{target[:60]}' is outside the language folder {folder.name}/ (through '..' or a "
                "symlink); the kiosk does not show it: copy the image into the folder")
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise FileNotFoundError
        with path.open("rb") as f:
            head = f.read(256 * 1024)
    except OSError:
        return f"image '{target[:60]}' not found next to the screen"
    if size > MAX_BYTES:
        return (f"image '{target[:60]}' is {size / 1048576:.1f} MB; the kiosk shows images up to "
                f"{MAX_BYTES // 1048576} MB: make it smaller")
    dims = pixel_size(head)
    if dims is not None and max(dims) > MAX_SIDE:
        return (f"image '{target[:60]}' is {dims[0]}x{dims[1]} pixels; the kiosk shows images up to "
                f"{MAX_SIDE} pixels a side: make it smaller")
    return None
