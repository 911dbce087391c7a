"""A stand-in for data.gdeltproject.org on 127.0.0.1: a masterfilelist.txt and zipped 15-minute exports.

The exports are the GDELT excerpt of tests/fixtures cut into four quarter hours of 24 October 2019
(14:00 to 14:45 UTC), zipped as GDELT zips them. The server counts the requests for each file and can
be told to cut a file short (send half of it and close the connection), as a server that stops would.
"""

from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

EXCERPT = Path(__file__).resolve().parents[1] / "fixtures" / "gdelt" / "20191024143000.excerpt.export.CSV"
QUARTER_HOURS = ("20191024140000", "20191024141500", "20191024143000", "20191024144500")
PREFIX = "/gdeltv2/"


def zipped_exports() -> dict[str, bytes]:
    """File name -> zipped bytes, a quarter of the excerpt's rows in each."""
    lines = EXCERPT.read_text(encoding="utf-8").splitlines(keepends=True)
    size = -(-len(lines) // len(QUARTER_HOURS))
    files = {}
    for index, moment in enumerate(QUARTER_HOURS):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{moment}.export.CSV", "".join(lines[index * size : (index + 1) * size]))
        files[f"{moment}.export.CSV.zip"] = buffer.getvalue()
    return files


class GdeltServer:
    def __init__(self) -> None:
        self.files = zipped_exports()
        self.wrong_md5: set[str] = set()
        self.cut_short: set[str] = set()
        self.requests: Counter[str] = Counter()
        self.ranges = False
        """Whether to answer a Range request with the rest of the file (206), as GDELT's server does."""
        self.range_requests: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{PREFIX}"

    def master_list(self) -> bytes:
        """The list as GDELT writes it: each quarter hour's export, mentions and GKG, a stray line, and the
        next day's first file."""
        lines = []
        for name, data in self.files.items():
            digest = "0" * 32 if name in self.wrong_md5 else hashlib.md5(data).hexdigest()
            moment = name[:14]
            lines.append(f"{len(data)} {digest} http://data.gdeltproject.org/gdeltv2/{name}")
            lines.append(f"1234 {'a' * 32} http://data.gdeltproject.org/gdeltv2/{moment}.mentions.CSV.zip")
            lines.append(f"5678 {'b' * 32} http://data.gdeltproject.org/gdeltv2/{moment}.gkg.csv.zip")
        lines.insert(3, "not a line of the list")
        # The list goes on past the day (here only with a file the tests never ask for), as GDELT's does.
        lines.append(f"999 {'c' * 32} http://data.gdeltproject.org/gdeltv2/20191025000000.mentions.CSV.zip")
        return ("\n".join(lines) + "\n").encode()

    def start(self) -> GdeltServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                name = self.path.removeprefix(PREFIX)
                server.requests[name] += 1
                body = server.master_list() if name == "masterfilelist.txt" else server.files.get(name)
                if body is None or not self.path.startswith(PREFIX):
                    self.send_error(404)
                    return
                asked = self.headers.get("Range", "")
                if asked:
                    server.range_requests.append(f"{name} {asked}")
                if asked and server.ranges:
                    first = int(asked.removeprefix("bytes=").split("-")[0])
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {first}-{len(body) - 1}/{len(body)}")
                    body = body[first:]
                else:
                    self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if name in server.cut_short:
                    self.wfile.write(body[: len(body) // 2])
                    self.close_connection = True
                    return
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler
