"""What a download button serves when clicked, for AppTest.

Pages build their files on click (``st.download_button(data=callable)``, components/downloads.py).
AppTest drops its media manager after each run, so :func:`capture_downloads` records every
deferred file a run registers; ``files[name]()`` returns the bytes a click would download.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager


def capture_downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], bytes]]:
    files: dict[str, Callable[[], bytes]] = {}
    real = MediaFileManager.add_deferred

    def spy(self: MediaFileManager, data_callable: Callable[[], bytes], mimetype: str | None, coordinates: str,
            file_name: str | None = None, **kwargs: object) -> str:
        files[file_name or coordinates] = data_callable
        return real(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return files
