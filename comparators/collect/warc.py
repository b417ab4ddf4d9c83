"""Collect, keeping the evidence: every response used is appended, as received, to EVENT_DIR/raw/<date>.warc.gz
(a request and a response record each, one gzip member per record), so each article traces back to its bytes.

Appending never rewrites what is there: an interrupted write can only leave a torn last member, which
WARC readers skip, and every earlier record stays readable.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import httpx
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .fetch import RawResponse

RAW_FOLDER = "raw"
# The body is stored de-chunked (httpx removes the chunk framing), so the header describing it goes.
_DROPPED_HEADERS = {"transfer-encoding"}


class WarcArchive:
    """Appends to one day's WARC file of an event. Use as a context manager."""

    def __init__(self, event_dir: str | Path, *, day: date, software: str):
        self.name = f"{RAW_FOLDER}/{day.isoformat()}.warc.gz"
        self.path = Path(event_dir) / self.name
        self.software = software
        self._file = None
        self._writer: WARCWriter | None = None

    def __enter__(self) -> "WarcArchive":
        return self

    def __exit__(self, *exc) -> None:
        if self._file:
            self._file.close()

    @property
    def written(self) -> bool:
        return self._writer is not None

    def record(self, response: RawResponse) -> str:
        """Append the exchange; returns its reference, "raw/<date>.warc.gz#<response record id>"."""
        writer = self._open()
        moment = {"WARC-Date": response.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")}
        status = StatusAndHeaders(f"{response.status} {response.reason}".rstrip(),
                                  [(k, v) for k, v in response.headers if k.lower() not in _DROPPED_HEADERS],
                                  protocol=_protocol(response.http_version))
        answer = writer.create_warc_record(response.final_url, "response", payload=io.BytesIO(response.raw_body),
                                           http_headers=status, warc_headers_dict=moment)
        record_id = answer.rec_headers.get_header("WARC-Record-ID")
        # As sent on the wire: a path written in Unicode (/café, common in feeds) went out percent-encoded.
        target = httpx.URL(response.final_url).raw_path.decode("ascii")
        asked = StatusAndHeaders(f"GET {target} {_protocol(response.http_version)}", list(response.request_headers),
                                 is_http_request=True)
        request = writer.create_warc_record(response.final_url, "request", payload=io.BytesIO(b""),
                                            http_headers=asked,
                                            warc_headers_dict={**moment, "WARC-Concurrent-To": record_id})
        writer.write_record(answer)
        writer.write_record(request)
        self._file.flush()
        return f"{self.name}#{record_id.strip('<>')}"

    def _open(self) -> WARCWriter:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(self.path, "ab")
            self._writer = WARCWriter(self._file, gzip=True)
            self._writer.write_record(self._writer.create_warcinfo_record(
                self.path.name, {"software": self.software, "format": "WARC File Format 1.0"}))
        return self._writer


def _protocol(http_version: str) -> str:
    return http_version if http_version.startswith("HTTP/") else "HTTP/1.1"
