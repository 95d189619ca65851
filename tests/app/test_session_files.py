"""Chainlit's session files: a folder per app process under BENNY_HOME, deleted by that process alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import chainlit.config
import chainlit.server
import pytest

from tests.conftest import ROOT
from web.files import SESSION_FILES, keep_session_files


def test_each_process_keeps_its_session_files_in_its_own_folder_under_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in (chainlit.config, chainlit.server):  # put back what Chainlit had after the test
        monkeypatch.setattr(module, "FILES_DIRECTORY", module.FILES_DIRECTORY)
    home = tmp_path / "home"
    other = keep_session_files(home)  # as another process of the deployment would
    (other / "session").mkdir()
    mine = keep_session_files(home)
    assert mine != other and {mine.parent, other.parent} == {home / SESSION_FILES}
    assert chainlit.config.FILES_DIRECTORY == chainlit.server.FILES_DIRECTORY == mine
    assert not mine.is_relative_to(ROOT)  # not in the install
    shutil.rmtree(chainlit.server.FILES_DIRECTORY)  # what Chainlit does when this process stops
    assert (other / "session").is_dir()
