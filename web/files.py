"""The chat's files: the stored charts and the route that serves them, and each session's own.

Chainlit keeps an element's content (a chart's JSON) through a storage client and links to it
by the URL the client gives. ``LocalFileStorage`` writes under ``$BENNY_HOME/files`` and links
to ``FILES_ROUTE``; ``file_routes`` answers there, to the file's owner only.

Chainlit also writes every element a session sends to a folder of that session's, under one
folder per process (``keep_session_files``), and serves it from there while the session lasts.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from chainlit.auth import get_current_user
from chainlit.data.storage_clients.base import BaseStorageClient
from fastapi import APIRouter, Depends
from fastapi.responses import Response

FILES_ROUTE = "/benny-files"
SESSION_FILES = "chainlit-files"


class FileStoreError(ValueError):
    """An object key that would leave the store's folder."""


class LocalFileStorage(BaseStorageClient):
    """Chainlit's storage client on local disk: ``root/<object key>``, its type beside it.

    Chainlit names an element's object key ``<chainlit user id>/<element id>/<name>``, so the
    first segment of a key says whose it is: the route that serves files checks it.
    """

    def __init__(self, root: Path, url_prefix: str = FILES_ROUTE) -> None:
        self.root = root.resolve()
        self.url_prefix = url_prefix.rstrip("/")

    def path_of(self, object_key: str) -> Path:
        parts = object_key.split("/")
        if not object_key or any(p in ("", ".", "..") or "\\" in p or "\x00" in p for p in parts):
            raise FileStoreError(f"bad object key {object_key!r}")
        path = (self.root / object_key).resolve()
        if not path.is_relative_to(self.root):
            raise FileStoreError(f"bad object key {object_key!r}")
        return path

    def _write(self, object_key: str, data: bytes, mime: str, overwrite: bool) -> None:
        path = self.path_of(object_key)
        if path.exists() and not overwrite:
            raise FileExistsError(object_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        for target, payload in ((path, data), (_meta(path), json.dumps({"mime": mime}).encode())):
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
            with os.fdopen(fd, "wb") as out:
                out.write(payload)
            os.replace(tmp, target)

    async def upload_file(
        self,
        object_key: str,
        data: bytes | str,
        mime: str = "application/octet-stream",
        overwrite: bool = True,
        content_disposition: str | None = None,
    ) -> dict[str, Any]:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        await asyncio.to_thread(self._write, object_key, payload, mime, overwrite)
        return {"object_key": object_key, "url": await self.get_read_url(object_key)}

    async def delete_file(self, object_key: str) -> bool:
        path = self.path_of(object_key)
        existed = path.exists()
        path.unlink(missing_ok=True)
        _meta(path).unlink(missing_ok=True)
        return existed

    async def get_read_url(self, object_key: str) -> str:
        self.path_of(object_key)
        return f"{self.url_prefix}/{quote(object_key)}"

    async def close(self) -> None:
        return None

    def read(self, object_key: str) -> tuple[bytes, str] | None:
        """A stored file's bytes and type, or None if there is none (or the key is bad)."""
        try:
            path = self.path_of(object_key)
        except FileStoreError:
            return None
        if not path.is_file():
            return None
        try:
            mime = str(json.loads(_meta(path).read_text())["mime"])
        except (OSError, ValueError, KeyError):
            mime = "application/octet-stream"
        return path.read_bytes(), mime


def _meta(path: Path) -> Path:
    return path.with_name(f"{path.name}.meta.json")


def file_routes(files: Callable[[], LocalFileStorage | None]) -> APIRouter:
    """``GET FILES_ROUTE/<key>`` from the store ``files()`` returns (None while there is none)."""
    routes = APIRouter()

    @routes.get(FILES_ROUTE + "/{object_key:path}")
    async def chat_file(object_key: str, user: Annotated[Any, Depends(get_current_user)]) -> Response:
        """A stored chart of the chat history, to its owner only (the key starts with their id)."""
        store = files()
        owner = getattr(user, "id", None)  # Chainlit's persisted user; None without a login
        if store is None or owner is None or object_key.split("/", 1)[0] != str(owner):
            return Response(status_code=404)
        found = await asyncio.to_thread(store.read, object_key)
        if found is None:
            return Response(status_code=404)
        content, mime = found
        return Response(content=content, media_type=mime, headers={"Cache-Control": "private, no-store"})

    return routes


def keep_session_files(home: Path) -> Path:
    """Chainlit's session files in a folder of this process's own under ``home``; that folder.

    Chainlit puts them under ``<install>/.files`` and deletes that whole folder when its process
    stops, so stopping one of several processes run from one install took away the others' files
    (their charts then failed with the folder's path shown to the user). Here each process has its
    own folder under ``home/chainlit-files``, per deployment rather than per install, and what
    Chainlit deletes when the process stops is that folder alone.
    """
    import chainlit.config
    import chainlit.server  # builds Chainlit's app: only in the app process, when it starts

    root = home / SESSION_FILES
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{socket.gethostname()}-{os.getpid()}-", dir=root))
    chainlit.config.FILES_DIRECTORY = folder  # each session's folder is made under it
    chainlit.server.FILES_DIRECTORY = folder  # type: ignore[attr-defined]  # deleted when this process stops
    return folder
