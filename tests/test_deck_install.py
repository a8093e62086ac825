"""``kiosk deck install|status|rollback``: checked decks become the current version atomically.

Real folders, real .tar.gz archives and real git repositories (made with the git CLI here).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from kiosk import deck_cli, deckstore
from kiosk.resources import bundled_content
from tests.decks import copy_bundled
from tests.realenv import require_tools


def deck_cmd(state: Path, *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="kiosk")
    deck_cli.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["deck", *argv])
    out, err = io.StringIO(), io.StringIO()
    code = deck_cli.run(args, state_dir=state, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def set_manifest(deck: Path, **fields: str) -> Path:
    values = {"version": '"2026.11.1"', "clinical_reviewer": '"Dr. Ana Ruiz"', "approved": "2026-11-20", **fields}
    text = "".join(f"{k} = {v}\n" for k, v in values.items() if v is not None)
    (deck / "manifest.toml").write_text(text, encoding="utf-8")
    return deck


@pytest.fixture
def state(tmp_path) -> Path:
    return tmp_path / "state"


@pytest.fixture
def deck(tmp_path) -> Path:
    return set_manifest(copy_bundled(tmp_path / "deck"))


def folders(state: Path) -> list[str]:
    return sorted(p.name for p in (state / "decks").iterdir())


def test_install_from_a_folder_makes_it_current_and_status_shows_the_manifest(state, deck):
    code, out, err = deck_cmd(state, "install", str(deck))
    assert code == 0, err
    assert out.startswith("installed 2026.11.1-1 (version 2026.11.1, approved 2026-11-20 by Dr. Ana Ruiz)")
    assert deckstore.current_version(state) == "2026.11.1"
    active = deckstore.active_deck_dir(state)
    assert active == state / "decks" / "2026.11.1-1"
    assert (active / "en" / "10-mri-risk.md").read_text() == (deck / "en" / "10-mri-risk.md").read_text()
    assert (state / "decks" / "current").is_symlink()
    code, out, _ = deck_cmd(state, "status")
    assert code == 0
    assert out.splitlines()[:5] == ["current: 2026.11.1-1", "version: 2026.11.1", "clinical reviewer: Dr. Ana Ruiz",
                                    "approved: 2026-11-20", f"source: {deck.resolve()}"]
    assert folders(state) == [".lock", "2026.11.1-1", "current"]  # no staging left behind


def test_the_same_deck_twice_changes_nothing(state, deck):
    assert deck_cmd(state, "install", str(deck))[0] == 0
    code, out, _ = deck_cmd(state, "install", str(deck))
    assert code == 0
    assert out.startswith("already current: 2026.11.1-1")
    assert folders(state) == [".lock", "2026.11.1-1", "current"]


def test_a_deck_with_problems_is_refused_with_each_problem_and_the_current_deck_stays(state, deck):
    assert deck_cmd(state, "install", str(deck))[0] == 0
    set_manifest(deck, version='"2026.12.0"')
    screen = deck / "es" / "20-doctor-review.md"
    screen.write_text(screen.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n", encoding="utf-8")
    code, out, err = deck_cmd(state, "install", str(deck))
    assert code == 1
    assert out == ""
    assert err.splitlines()[0].startswith(f"refused: {deck} has ")
    assert any(line.startswith(f"{screen}:") and "HTML" in line for line in err.splitlines()), err
    assert deckstore.current_version(state) == "2026.11.1"


@pytest.mark.parametrize("field", ["version", "clinical_reviewer", "approved"])
def test_the_manifest_fields_are_required_and_named(state, deck, field):
    set_manifest(deck, **{field: None})
    code, out, err = deck_cmd(state, "install", str(deck))
    assert code == 1
    assert err.strip() == (f"{deck / 'manifest.toml'}: missing field '{field}'; a deck manifest needs "
                           "version, clinical_reviewer, approved")
    assert deckstore.current_name(state) is None


def test_a_deck_without_manifest_is_refused(state, deck):
    (deck / "manifest.toml").unlink()
    code, _, err = deck_cmd(state, "install", str(deck))
    assert code == 1
    assert err.startswith(f"{deck / 'manifest.toml'}: missing; a deck needs a manifest")


def test_bad_manifest_values_say_what_is_expected(deck):
    set_manifest(deck, version='"nov 2026"')
    with pytest.raises(deckstore.DeckStoreError, match="version 'nov 2026' should be letters, digits"):
        deckstore.read_manifest(deck)
    set_manifest(deck, approved='"last week"')
    with pytest.raises(deckstore.DeckStoreError, match="approved 'last week' should be a date like 2026-11-28"):
        deckstore.read_manifest(deck)


def test_the_bundled_deck_has_a_valid_manifest(tmp_path):
    m = deckstore.manifest_or_none(bundled_content())
    assert m is not None and m.clinical_reviewer and m.version
    assert deckstore.manifest_or_none(tmp_path) is None  # a configured folder without one: nothing to show


def make_tarball(deck: Path, archive: Path, top: str = "clinic-deck") -> Path:
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(deck, arcname=top)
    return archive


def test_install_from_a_tarball_and_problems_name_files_inside_it(state, deck, tmp_path):
    archive = make_tarball(deck, tmp_path / "deck.tar.gz")
    code, out, err = deck_cmd(state, "install", str(archive))
    assert code == 0, err
    assert deckstore.current_name(state) == "2026.11.1-1"
    assert "source: " + str(archive.resolve()) in deck_cmd(state, "status")[1]

    (deck / "en" / "10-mri-risk.md").write_text("---\ntitle: [broken\n---\nText.\n", encoding="utf-8")
    bad = make_tarball(deck, tmp_path / "bad.tar.gz")
    code, _, err = deck_cmd(state, "install", str(bad))
    assert code == 1
    assert f"{bad}/en/10-mri-risk.md:" in err, err  # the file inside the archive, not a temp folder


def git(cwd: Path, *argv: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *argv], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


def test_install_from_a_git_repository_at_a_tag_and_at_a_branch(state, deck, tmp_path):
    require_tools("git")
    repo = tmp_path / "repo"
    (repo / "content").mkdir(parents=True)
    shutil.copytree(deck, repo / "content", dirs_exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "deck 2026.11.1")
    git(repo, "tag", "v1")
    first = git(repo, "rev-parse", "HEAD")
    set_manifest(repo / "content", version='"2026.12.0"')
    git(repo, "commit", "-qam", "deck 2026.12.0")

    code, out, err = deck_cmd(state, "install", str(repo), "--ref", "v1")
    assert code == 0, err
    assert deckstore.current_version(state) == "2026.11.1"
    assert f"source: git {repo} v1 (commit {first})" in deck_cmd(state, "status")[1]
    assert not (deckstore.active_deck_dir(state) / ".git").exists()

    assert deck_cmd(state, "install", str(repo), "--ref", "main")[0] == 0
    assert deckstore.current_version(state) == "2026.12.0"

    code, _, err = deck_cmd(state, "install", str(repo), "--ref", "no-such-tag")
    assert code == 1
    assert err.startswith(f"git checkout {repo} no-such-tag: ")


def test_rollback_goes_to_the_version_before_and_stops_at_the_oldest(state, deck):
    assert deck_cmd(state, "install", str(deck))[0] == 0
    set_manifest(deck, version='"2026.12.0"')
    assert deck_cmd(state, "install", str(deck))[0] == 0
    assert deckstore.current_name(state) == "2026.12.0-2"
    code, out, _ = deck_cmd(state, "rollback")
    assert code == 0
    assert out.startswith("rolled back: 2026.11.1-1 is current")
    assert deckstore.current_version(state) == "2026.11.1"
    assert "kept for rollback: 2026.12.0-2" in deck_cmd(state, "status")[1]
    code, _, err = deck_cmd(state, "rollback")
    assert code == 1
    assert "2026.11.1-1 is the oldest version kept" in err


def test_status_and_rollback_with_nothing_installed(state):
    code, out, _ = deck_cmd(state, "status")
    assert (code, out.split(";")[0]) == (0, f"no deck installed in {state / 'decks'}")
    assert deckstore.current_version(state) is None
    assert deckstore.active_deck_dir(state) is None
    code, _, err = deck_cmd(state, "rollback")
    assert code == 1 and "nothing to roll back" in err


def test_only_the_last_five_versions_are_kept(state, deck):
    for n in range(1, 8):
        set_manifest(deck, version=f'"2026.{n}.0"')
        deckstore.store(state, deck, str(deck))
    assert [i.name for i in deckstore.installed(state)] == [f"2026.{n}.0-{n}" for n in range(7, 2, -1)]
    assert deckstore.current_name(state) == "2026.7.0-7"


def test_what_the_kiosk_shows_follows_the_documented_order(state, deck, tmp_path):
    bundled = bundled_content()
    assert deckstore.resolve_content(None, None, state, bundled) == bundled
    deckstore.store(state, deck, str(deck))
    installed = deckstore.active_deck_dir(state)
    assert deckstore.resolve_content(None, None, state, bundled) == installed
    assert deckstore.resolve_content(None, tmp_path / "cfg", state, bundled) == tmp_path / "cfg"
    assert deckstore.resolve_content(tmp_path / "flag", tmp_path / "cfg", state, bundled) == tmp_path / "flag"


def test_a_new_install_never_changes_the_folder_a_running_kiosk_reads(state, deck):
    deckstore.store(state, deck, str(deck))
    shown = deckstore.active_deck_dir(state)
    before = (shown / "en" / "10-mri-risk.md").read_text()
    set_manifest(deck, version='"2026.12.0"')
    (deck / "en" / "10-mri-risk.md").write_text(before.replace("MRI", "MRI scan", 1))
    deckstore.store(state, deck, str(deck))
    assert (shown / "en" / "10-mri-risk.md").read_text() == before
    assert deckstore.active_deck_dir(state) != shown


def test_a_source_that_is_nothing_known_is_a_usage_error(state, tmp_path):
    code, _, err = deck_cmd(state, "install", str(tmp_path / "nope"))
    assert code == 2
    assert "not a deck folder, a .tar.gz or a git repository" in err


def test_a_tarball_of_a_whole_repository_installs_its_content_folder(state, deck, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(deck, repo / "content")
    (repo / "README.md").write_text("a clinic's deck repository\n")
    archive = make_tarball(repo, tmp_path / "repo.tar.gz", top="deck-main")
    code, _, err = deck_cmd(state, "install", str(archive))
    assert code == 0, err
    assert deckstore.current_version(state) == "2026.11.1"


def test_a_tarball_with_a_link_out_of_the_deck_is_refused(state, deck, tmp_path):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(deck, arcname="deck")
        link = tarfile.TarInfo("deck/en/passwd.md")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
    code, _, err = deck_cmd(state, "install", str(archive))
    assert code == 1
    assert err.startswith(f"{archive}: ")
    assert deckstore.current_name(state) is None
