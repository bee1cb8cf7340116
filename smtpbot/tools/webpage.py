"""Serve the support page (web/) and the Socket.IO client from node_modules: a small static server.

The page talks to the Rasa server directly (Socket.IO on the Rasa port); this server only hands
out files: the page, the widget, its stylesheet and images, the agents' view and insights page,
and the browser bundles of socket.io-client and Chart.js that `make install` put in
web/node_modules. Nothing else in web/ is reachable.

    python -m smtpbot.tools.webpage --port 8080 --rasa-port 5005
"""

import argparse
import html
import json
import mimetypes
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, Optional, Tuple
from urllib.parse import urlsplit

from smtpbot import settings

WEB = Path(__file__).resolve().parents[2] / "web"
SOCKET_IO_DIST = WEB / "node_modules" / "socket.io-client" / "dist"
CHART_JS_DIST = WEB / "node_modules" / "chart.js" / "dist"  # the insights page's charts
# Files of web/ that are part of the page; package.json, node_modules, tests are not.
PUBLIC_SUFFIXES = {".html", ".js", ".css", ".png", ".svg", ".ico"}
VENDOR = {
    "/vendor/socket.io.min.js": SOCKET_IO_DIST / "socket.io.min.js",
    "/vendor/socket.io.min.js.map": SOCKET_IO_DIST / "socket.io.min.js.map",
    "/vendor/chart.umd.min.js": CHART_JS_DIST / "chart.umd.min.js",
    "/vendor/chart.umd.min.js.map": CHART_JS_DIST / "chart.umd.min.js.map",
}
CONFIG_PLACEHOLDER = "{{WIDGET_CONFIG}}"
# A request body of another method is read and dropped up to this size (then the connection closes).
MAX_DISCARDED_BODY = 10_000_000


def page_origins(port: int) -> str:
    """The origins a browser reports for the page served on `port` (for the channel's check)."""
    return f"http://localhost:{port},http://127.0.0.1:{port}"


def request_host(host_header: Optional[str]) -> str:
    """The host name the browser used (without port), 'localhost' when missing or malformed."""
    try:
        name = urlsplit("//" + (host_header or "")).hostname
    except ValueError:
        name = None
    return name if name and all(c.isalnum() or c in ".-:[]" for c in name) else "localhost"


class PageHandler(BaseHTTPRequestHandler):
    """GET/HEAD for the page's files; the widget config is filled in per request."""

    server_version = "smtpbot-web"
    rasa_port = 5005
    server_url: Optional[str] = None

    def widget_config(self) -> Dict[str, object]:
        """The config object of the page's widget: the chat server on the host the browser used."""
        host = request_host(self.headers.get("Host"))
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        return {
            "serverUrl": self.server_url or f"http://{host}:{self.rasa_port}",
            "title": "Mail setup help",
            "initialMessage": "Hi! I can help you change your outgoing (SMTP) port so your mail "
            "sends again. Which mail program do you use? For example "
            '"Outlook 2013", "Mail on my Mac" or "Thunderbird 115".',
            "startOpen": True,
        }

    def resolve(self) -> Optional[Tuple[Path, bool]]:
        """The file for the request path and whether it is the page template; None = 404."""
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            return WEB / "index.html", True
        if path in ("/agents.html", "/insights.html"):  # the agents' pages: same server and CSP
            return WEB / path.lstrip("/"), True
        if path in VENDOR:
            return VENDOR[path], False
        name = path.lstrip("/")
        if "/" in name or name.startswith(".") or Path(name).suffix not in PUBLIC_SUFFIXES:
            return None
        return WEB / name, False

    def send_body(self, status: int, body: bytes, content_type: str, extra: Dict[str, str]) -> None:
        """Headers, then the body unless HEAD."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        """Serve one file."""
        found = self.resolve()
        if found is None or not found[0].is_file():
            self.send_body(HTTPStatus.NOT_FOUND, b"Not found\n", "text/plain; charset=utf-8", {})
            return
        path, is_page = found
        body = path.read_bytes()
        extra: Dict[str, str] = {}
        if is_page:
            config = self.widget_config()
            body = body.replace(
                CONFIG_PLACEHOLDER.encode(), html.escape(json.dumps(config)).encode()
            )
            server = urlsplit(str(config["serverUrl"]))
            socket_origins = (
                f"{server.scheme}://{server.netloc} ws{server.scheme[4:]}://{server.netloc}"
            )
            # Defence in depth: the widget never inserts HTML from messages, and even so no
            # inline or foreign script could run on this page.
            extra["Content-Security-Policy"] = (
                f"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                f"connect-src 'self' {socket_origins}; frame-ancestors 'self'; base-uri 'none'"
            )
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith("javascript"):
            content_type += "; charset=utf-8"
        self.send_body(HTTPStatus.OK, body, content_type, extra)

    do_HEAD = do_GET

    def refuse_method(self) -> None:
        """Only GET and HEAD are served: anything else gets 405 (http.server would answer 501)."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if 0 < length <= MAX_DISCARDED_BODY:  # read it, so the client sees the answer
            while length > 0:
                chunk = self.rfile.read(min(length, 65536))
                if not chunk:
                    break
                length -= len(chunk)
        self.close_connection = True
        self.send_body(
            HTTPStatus.METHOD_NOT_ALLOWED,
            b"Only GET and HEAD\n",
            "text/plain; charset=utf-8",
            {"Allow": "GET, HEAD"},
        )

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = refuse_method

    def log_request(self, code: object = "-", size: object = "-") -> None:
        """Quiet: only failed requests reach the log."""
        if str(getattr(code, "value", code)).startswith(("4", "5")):
            super().log_request(code, size)


def make_server(
    host: str, port: int, rasa_port: int, server_url: Optional[str] = None
) -> ThreadingHTTPServer:
    """A server for the page, bound but not yet serving."""
    handler = type(
        "ConfiguredPageHandler", (PageHandler,), {"rasa_port": rasa_port, "server_url": server_url}
    )
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def main() -> int:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    try:
        port, rasa_port = settings.WEB_PORT.get_int(), settings.RASA_PORT.get_int()
    except settings.SettingError as error:
        parser.error(str(error))
    parser.add_argument("--host", default=settings.WEB_HOST.get())
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--rasa-port", type=int, default=rasa_port)
    parser.add_argument(
        "--server-url",
        default=settings.WEBCHAT_SERVER_URL.get(),
        help="chat server URL the page connects to (default: same host, Rasa port)",
    )
    args = parser.parse_args()
    if not (SOCKET_IO_DIST / "socket.io.min.js").is_file():
        print(f"{SOCKET_IO_DIST} is missing: run `make install` (npm ci in web/)", file=sys.stderr)
        return 1
    server = make_server(args.host, args.port, args.rasa_port, args.server_url)
    print(f"Support page at http://localhost:{args.port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
