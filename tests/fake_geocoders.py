"""A local stand-in for AMap and Nominatim on 127.0.0.1, with the faults real servers have.

Addresses steer its behaviour: 'NOTFOUND' gives no result, 'SHANGHAI' a point in Shanghai, and
'SLOW<n>', 'E429<n>', 'E500<n>' make the first n requests for that address slow (1.5 s), rate-limited or
failing. ``fail_after`` makes every request past that count fail with HTTP 500, as a server going down.
Broken answers: 'CUTSHORT' (the body ends before its stated length), 'NANCOORD', 'INFCOORD', 'BIGLAT'
(coordinates that are no coordinates), 'NODISPLAY' (no label), 'TRICKLE' (a byte every 0.2 s), 'HUGE' (a 10 MB label).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from geo.datums import wgs84_to_gcj02

SLOW_SECONDS = 1.5


def expected_wgs84(address: str) -> tuple[float, float]:
    """Where the fake places an address: a stable point inside central Beijing (WGS-84)."""
    digest = hashlib.sha256(address.encode("utf-8")).digest()
    return 116.2 + digest[0] / 255 * 0.4, 39.8 + digest[1] / 255 * 0.3


class FakeGeocoderServer:
    def __init__(self):
        self.requests = 0
        self.fail_after: int | None = None
        self.seen: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeGeocoderServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _count(self, address: str) -> tuple[int, int]:
        with self._lock:
            self.requests += 1
            self.seen[address] = self.seen.get(address, 0) + 1
            return self.requests, self.seen[address]

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the real services speak
            disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                address = params.get("address") or params.get("q") or ""
                total, nth = fake._count(address)
                if fake.fail_after is not None and total > fake.fail_after:
                    return self._send(500, {"error": "server down"})
                for code, pattern in ((429, r"E429(\d+)"), (500, r"E500(\d+)")):
                    m = re.search(pattern, address)
                    if m and nth <= int(m.group(1)):
                        return self._send(code, {"error": f"fake {code}"}, retry_after="0")
                if "CUTSHORT" in address:
                    return self._cut_short()
                if "TRICKLE" in address:
                    return self._trickle(address)
                m = re.search(r"SLOW(\d+)", address)
                if m and nth <= int(m.group(1)):
                    time.sleep(SLOW_SECONDS)
                if parts.path == "/v3/geocode/geo":
                    return self._amap(address, params)
                if parts.path == "/search":
                    return self._nominatim(address)
                return self._send(404, {"error": "no such path"})

            def _point(self, address: str) -> tuple[float, float]:
                return (121.47, 31.23) if "SHANGHAI" in address else expected_wgs84(address)

            def _amap(self, address: str, params: dict) -> None:
                if params.get("key") == "BADKEY":
                    return self._send(200, {"status": "0", "info": "INVALID_USER_KEY", "infocode": "10001"})
                if "NOTFOUND" in address:
                    return self._send(
                        200, {"status": "1", "info": "OK", "infocode": "10000", "count": "0", "geocodes": []}
                    )
                lon, lat = wgs84_to_gcj02(*self._point(address))  # AMap answers in GCJ-02
                return self._send(
                    200,
                    {
                        "status": "1",
                        "info": "OK",
                        "infocode": "10000",
                        "count": "1",
                        "geocodes": [
                            {
                                "formatted_address": f"北京市{address}",
                                "location": f"{lon:.6f},{lat:.6f}",
                                "level": "门牌号",
                            }
                        ],
                    },
                )

            def _nominatim(self, address: str) -> None:
                if "NOTFOUND" in address:
                    return self._send(200, [])
                lon, lat = self._point(address)
                lat_text = {"NANCOORD": "nan", "INFCOORD": "inf", "BIGLAT": "95.0"}
                shown_lat = next((v for k, v in lat_text.items() if k in address), f"{lat:.7f}")
                place = {
                    "lat": shown_lat,
                    "lon": f"{lon:.7f}",
                    "class": "place",
                    "type": "house",
                    "display_name": address,
                    "boundingbox": [str(lat - 1e-4), str(lat + 1e-4), str(lon - 1e-4), str(lon + 1e-4)],
                }
                if "NODISPLAY" in address:
                    del place["display_name"]
                if "HUGE" in address:
                    place["display_name"] = "x" * 10_000_000
                return self._send(200, [place])

            def _cut_short(self) -> None:
                body = b'{"status": "1", "info": "OK", "geocodes": [{"location": "116.3,'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body) + 100))
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                self.close_connection = True

            def _trickle(self, address: str) -> None:
                data = json.dumps([{"lat": "39.9", "lon": "116.4", "display_name": address}]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    for byte in data:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.2)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _send(self, status: int, body, retry_after: str | None = None) -> None:
                data = json.dumps(body, ensure_ascii=False).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    if retry_after is not None:
                        self.send_header("Retry-After", retry_after)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test): nothing to answer

        return Handler
