"""free_ports (smtpbot/tools/stack.py): a port chosen for one server is never chosen again for
another by a later call in the same process, even when the kernel offers it again."""

import socket

from smtpbot.tools import stack


class ScriptedSocket:
    """A socket whose bind(port 0) gets the next port of a script, as the kernel might offer."""

    offers: list = []

    def bind(self, address):
        self.port = ScriptedSocket.offers.pop(0)

    def getsockname(self):
        return ("127.0.0.1", self.port)

    def close(self):
        pass


def test_a_port_handed_out_is_not_handed_out_again(monkeypatch):
    monkeypatch.setattr(stack, "_HANDED_OUT", set(), raising=False)
    monkeypatch.setattr(stack.socket, "socket", ScriptedSocket)
    # the kernel offers 41001 twice (closed in between), as it did to the channels tests
    ScriptedSocket.offers = [41001, 41001, 41002, 41003]
    assert stack.free_ports(1) == [41001]
    assert stack.free_ports(2) == [41002, 41003]
    assert ScriptedSocket.offers == []


def test_free_ports_are_real_and_different():
    ports = stack.free_ports(3) + [stack.free_port()]
    assert len(set(ports)) == 4
    for port in ports:  # nobody listens there: each can be bound
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))
