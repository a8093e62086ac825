"""``speech.yaml``: how to say a word, per language (``MRI: "M R I"``).

Read with the deck (``kiosk.deck``), so a running kiosk needs no YAML parser to
speak; ``kiosk.speech_text`` applies the entries and ``kiosk check`` reports
what is wrong in a file (the kiosk then speaks without it).
"""

from __future__ import annotations

from pathlib import Path

from .problems import Problem

FILE_NAME = "speech.yaml"
MAX_BYTES = 64 * 1024
MAX_WORD = 60  # a pronunciation entry is a word or a short phrase


def parse_pronunciations(path: Path, text: str) -> tuple[dict[str, str], list[Problem]]:
    """Entries of a speech.yaml text and a ``path:line: message`` for each one that is wrong."""
    import yaml  # only when a pronunciation list is read, never on the way to the first paint

    problems: list[Problem] = []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        why = getattr(e, "problem", None) or "cannot be read"
        return {}, [Problem(path, mark.line + 1 if mark else 1,
                            f"bad YAML: {why}; write one 'WORD: \"how to say it\"' per line")]
    if root is None:
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        return {}, [Problem(path, root.start_mark.line + 1,
                            "speech.yaml should be 'WORD: \"how to say it\"' lines, like MRI: \"M R I\"")]
    out: dict[str, str] = {}
    first: dict[str, int] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode) or not isinstance(value_node, yaml.ScalarNode):
            problems.append(Problem(path, line, "each entry should be one word and how to say it, "
                                    "like MRI: \"M R I\" (no lists or nested entries)"))
            continue
        word, say = str(key_node.value).strip(), str(value_node.value).strip()
        if not word:
            problems.append(Problem(path, line, "empty word: write the word as it appears in the screens"))
        elif len(word) > MAX_WORD or "\n" in word:
            problems.append(Problem(path, line, f"'{word[:30]}…' is too long; list single words or short "
                                    f"phrases (at most {MAX_WORD} characters)"))
        elif not say:
            problems.append(Problem(path, line, f"'{word}' has no pronunciation: write how to say it, "
                                    f"like {word}: \"...\""))
        elif word in first:
            problems.append(Problem(path, line, f"'{word}' is listed twice (also on line {first[word]}); "
                                    "keep one"))
        else:
            first[word] = line
            out[word] = say
    return out, problems


def load_pronunciations(folder: Path) -> tuple[dict[str, str], list[Problem]]:
    """``<folder>/speech.yaml`` (none is fine: nothing is replaced)."""
    path = folder / FILE_NAME
    if not path.is_file():
        return {}, []
    try:
        data = path.read_bytes()
    except OSError as e:
        return {}, [Problem(path, 1, f"cannot read the file ({e.strerror})")]
    if len(data) > MAX_BYTES:
        return {}, [Problem(path, 1, f"file is over {MAX_BYTES // 1024} KB; a pronunciation list is a few lines")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return {}, [Problem(path, data[: e.start].count(b"\n") + 1, "text is not UTF-8; save the file as UTF-8")]
    return parse_pronunciations(path, text)
