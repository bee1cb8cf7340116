"""A TCP proxy in front of PostgreSQL that loses the answer to a COMMIT, on request.

What a "fast" stop of PostgreSQL does at the worst moment: the COMMIT reaches the server and is
carried out, its answer never reaches the client, every connection is cut, and new connections
are refused until the server is back. `lose_next_commit_answer(outage)` makes the next COMMIT
do exactly that (the answer is read from PostgreSQL, so the commit has surely landed, and then
dropped), with the server "down" for `outage` seconds. With `database`, only a COMMIT on a
connection to that database counts (a Rasa server also writes its event broker's database).
"""

import socket
import threading
import time
from typing import Optional

# The simple-query message libpq sends for psycopg2's commit(), and PostgreSQL's answer to it
# (CommandComplete); both are 12 bytes, sent in one piece.
COMMIT = b"Q\x00\x00\x00\x0bCOMMIT\x00"
COMMITTED = b"C\x00\x00\x00\x0bCOMMIT\x00"


class LossyProxy:
    """Forwards 127.0.0.1:`port` to PostgreSQL on 127.0.0.1:`target_port`."""

    def __init__(self, target_port: int, database: Optional[str] = None):
        self.target_port = target_port
        # In libpq's startup message: the parameter "database", then its value.
        self.startup = b"database\x00" + database.encode() + b"\x00" if database else None
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        # [client socket, server socket, watching for the COMMIT's answer, to the database]
        self.links = []
        self.armed, self.outage, self.down_until = False, 0.0, 0.0
        self.commit_lost = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def lose_next_commit_answer(self, outage: float) -> None:
        """Drop the answer to the next COMMIT, then refuse connections for `outage` seconds."""
        with self.lock:
            self.armed, self.outage = True, outage
            self.commit_lost.clear()

    def wait_until_up(self) -> None:
        """Return once the outage is over (connections are forwarded again)."""
        assert self.commit_lost.wait(60), "no COMMIT went through the proxy"
        while time.monotonic() < self.down_until:
            time.sleep(0.05)

    def close(self) -> None:
        """Stop accepting and cut every connection."""
        self.listener.close()
        self._cut_all()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if time.monotonic() < self.down_until:  # PostgreSQL is "down"
                client.close()
                continue
            server = socket.create_connection(("127.0.0.1", self.target_port))
            link = [client, server, False, self.startup is None]
            with self.lock:
                self.links.append(link)
            threading.Thread(target=self._pump, args=(link, 0, 1), daemon=True).start()
            threading.Thread(target=self._pump, args=(link, 1, 0), daemon=True).start()

    def _pump(self, link: list, source: int, sink: int) -> None:
        """Copy one direction of a link; the COMMIT's answer is where the outage starts."""
        while True:
            try:
                data = link[source].recv(65536)
            except OSError:
                break
            if not data:
                break
            with self.lock:
                if source == 0 and not link[3] and self.startup in data:
                    link[3] = True
                if source == 0 and link[3] and self.armed and COMMIT in data:
                    self.armed, link[2] = False, True
                lost = source == 1 and link[2] and COMMITTED in data
                if lost:
                    self.down_until = time.monotonic() + self.outage
            if lost:
                self.commit_lost.set()
                self._cut_all()
                break
            try:
                link[sink].sendall(data)
            except OSError:
                break
        self._cut(link)

    def _cut_all(self) -> None:
        with self.lock:
            links, self.links = self.links, []
        for link in links:
            self._cut(link)

    @staticmethod
    def _cut(link: list) -> None:
        for sock in link[:2]:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
