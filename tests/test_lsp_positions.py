"""The language server's copy of a document stays the editor's: positions as
the LSP specification defines them (lines end at \\n, \\r\\n and \\r only; a
column past the end of a line is its end; a line past the last is the end
of the document) in UTF-8, UTF-16 and UTF-32, edits applied at exactly
those positions, and an answer to every request, also an invalid one
(issue 10)."""

from __future__ import annotations

import json
import queue
import random
import subprocess
import sys
import threading
import time

import pytest
from lsprotocol import types as lsp

from rosc.format.formatter import format_text
from rosc.lsp.document import Document
from rosc.lsp.positions import UTF8, UTF16, UTF32, LineIndex

ENCODINGS = [UTF8, UTF16, UTF32]

# characters str.splitlines() breaks at but the protocol does not, a lone CR
# (which the protocol does break at), and characters of several code units
ODD = "\f\v\u2028\u2029\x1c\x1d\x1e\x85"
TEXTS = {
    "form feed": "# page one\f page two\n/system identity set name=x\n",
    "U+2028": "# a\u2028b\u2029c\n/system identity set name=x\n",
    "vertical tab": "# a\vb\n/ip address add address=10.0.0.1/24 interface=ether1\n",
    "lone CR": "# one\r# two\r/system identity set name=x\r",
    "mixed": "# é😀\f\r\n# x\u2028y\r/ip address add address=10.0.0.1/24 interface=ether1\n# \x85 end",
    "no final line end": "# 😀😀 a\u2028b",
    "empty": "",
}


# --- a reference: the protocol's rules written out plainly --------------------------------------------


def ref_lines(text: str) -> list[tuple[int, int]]:
    """(start, end before the line end) of every line."""
    lines, start, i = [], 0, 0
    while i < len(text):
        if text[i] == "\r":
            end = i
            i += 2 if text[i + 1 : i + 2] == "\n" else 1
            lines.append((start, end))
            start = i
        elif text[i] == "\n":
            lines.append((start, i))
            i += 1
            start = i
        else:
            i += 1
    lines.append((start, len(text)))
    return lines


def width(char: str, encoding: str) -> int:
    if encoding == UTF8:
        return len(char.encode("utf-8", errors="surrogatepass"))
    if encoding == UTF16:
        return len(char.encode("utf-16-le", errors="surrogatepass")) // 2
    return 1


def ref_offset(text: str, line: int, character: int, encoding: str) -> int:
    lines = ref_lines(text)
    if line >= len(lines):
        return len(text)
    start, end = lines[line]
    units = 0
    for i in range(start, end):
        w = width(text[i], encoding)
        if units + w > character:
            return i
        units += w
    return end


def ref_position(text: str, offset: int, encoding: str) -> tuple[int, int]:
    for n, (start, end) in enumerate(ref_lines(text)):
        next_start = ref_lines(text)[n + 1][0] if n + 1 < len(ref_lines(text)) else len(text) + 1
        if start <= offset < next_start:
            return n, sum(width(c, encoding) for c in text[start:offset])
    raise AssertionError(offset)


def ref_apply(text: str, start: tuple[int, int], end: tuple[int, int], new: str, encoding: str) -> str:
    a = ref_offset(text, *start, encoding)
    b = ref_offset(text, *end, encoding)
    a, b = min(a, b), max(a, b)
    return text[:a] + new + text[b:]


# --- unit level -------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("name", sorted(TEXTS))
def test_every_position_maps_as_the_specification_says(name, encoding):
    text = TEXTS[name]
    index = LineIndex(text, encoding)
    lines = ref_lines(text)
    assert len(index.starts) == len(lines)
    for line in range(len(lines) + 2):
        for character in range(0, 40):
            got = index.offset(lsp.Position(line=line, character=character))
            assert got == ref_offset(text, line, character, encoding), (line, character)
    for offset in range(len(text) + 1):
        if offset < len(text) and text[offset - 1 : offset + 1] == "\r\n":
            continue  # between \r and \n: not a position
        p = index.position(offset)
        assert (p.line, p.character) == ref_position(text, offset, encoding), offset


def test_splitlines_characters_are_not_line_ends():
    for char in ODD:
        index = LineIndex(f"a{char}b\nc")
        assert len(index.starts) == 2, repr(char)
        assert index.position(3) == lsp.Position(line=0, character=3)


def test_a_column_inside_a_character_means_its_start():
    text = "😀x"
    assert LineIndex(text, UTF16).offset(lsp.Position(line=0, character=1)) == 0
    assert LineIndex(text, UTF8).offset(lsp.Position(line=0, character=3)) == 0
    assert LineIndex(text, UTF8).offset(lsp.Position(line=0, character=4)) == 1


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_document_edits_follow_the_editor_exactly(encoding):
    rng = random.Random(10)
    pieces = ["\f", "\v", "\u2028", "\r", "\r\n", "\n", "😀", "é", "x", "# c", ""]
    for name, start_text in sorted(TEXTS.items()):
        doc = Document("file:///t.rsc", "t.rsc", start_text, 1, encoding)
        mine = start_text
        for step in range(60):
            lines = len(ref_lines(mine))
            start = (rng.randrange(lines + 2), rng.randrange(12))
            end = (rng.randrange(lines + 2), rng.randrange(12)) if rng.random() < 0.5 else start
            new = "".join(rng.choice(pieces) for _ in range(rng.randrange(3)))
            change = lsp.TextDocumentContentChangePartial(
                range=lsp.Range(start=lsp.Position(line=start[0], character=start[1]), end=lsp.Position(line=end[0], character=end[1])),
                text=new,
            )
            doc.apply_change(change)
            mine = ref_apply(mine, start, end, new, encoding)
            assert doc.text == mine, (name, step)
            if step % 7 == 0:
                doc.parsed()  # the incremental re-parse path sees the same text


# --- the real server over stdio, in each position encoding -------------------------------------------


class RawClient:
    """JSON-RPC over the server's stdin/stdout, with a timeout on every wait."""

    def __init__(self, encoding: str):
        self.proc = subprocess.Popen([sys.executable, "-m", "rosc", "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.inbox: queue.Queue = queue.Queue()
        self.notifications: list[dict] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.next_id = 0
        reply = self.request("initialize", {"processId": None, "rootUri": None,
                                            "capabilities": {"general": {"positionEncodings": [encoding]}}})
        assert reply["result"]["capabilities"]["positionEncoding"] == encoding
        self.notify("initialized", {})

    def _read(self):
        stream = self.proc.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.inbox.put(json.loads(stream.read(length)))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params, timeout: float = 20.0) -> dict:
        self.next_id += 1
        msg_id = self.next_id
        self.send({"id": msg_id, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = self.inbox.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if message.get("id") == msg_id and "method" not in message:
                return message
            if "method" in message:
                self.notifications.append(message)
                if "id" in message:  # a request from the server: answer it
                    self.send({"id": message["id"], "result": None})
        raise AssertionError(f"no answer to {method} within {timeout} s")

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(params=ENCODINGS)
def client(request):
    c = RawClient(request.param)
    c.encoding = request.param
    yield c
    c.close()


def _apply_edits(text: str, edits: list[dict], encoding: str) -> str:
    spans = []
    for e in edits:
        r = e["range"]
        a = ref_offset(text, r["start"]["line"], r["start"]["character"], encoding)
        b = ref_offset(text, r["end"]["line"], r["end"]["character"], encoding)
        spans.append((a, b, e["newText"]))
    for a, b, new in sorted(spans, reverse=True):
        text = text[:a] + new + text[b:]
    return text


EDITS = [
    # (start, end, text): near a form feed, U+2028, a vertical tab, a lone CR, past the ends
    ((0, 13), (0, 13), "x"),  # just after the form feed
    ((1, 5), (1, 6), "é"),  # after U+2028 on the same protocol line
    ((2, 200), (2, 200), " more"),  # past the end of a line: its end
    ((3, 2), (3, 4), "😀"),  # on the line after a lone CR
    ((40, 0), (40, 0), "/ip route add gateway=10.0.0.254\n"),  # past the last line: the end
    ((4, 0), (4, 0), "/ip address add interface=ether2 address=10.0.2.1/24\n"),
]
START = "# one\f two\n# a\u2028b\vc\n# third\r# fourth\n/ip address add interface=ether1 address=10.0.0.1/24\n"


def test_the_servers_copy_stays_the_editors_and_formatting_edits_are_right(client):
    uri = "file:///tmp/rosc-positions.rsc"
    text = START
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "routeros", "version": 1, "text": text}})
    for version, (start, end, new) in enumerate(EDITS, 2):
        rng = {"start": {"line": start[0], "character": start[1]}, "end": {"line": end[0], "character": end[1]}}
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                 "contentChanges": [{"range": rng, "text": new}]})
        text = ref_apply(text, start, end, new, client.encoding)
    reply = client.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": True}})
    expected = format_text(text).output
    assert expected is not None and expected != text
    assert _apply_edits(text, reply["result"], client.encoding) == expected


def test_an_invalid_request_gets_an_error_response(client):
    uri = "file:///tmp/rosc-invalid.rsc"
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "routeros", "version": 1, "text": "/ip address\n"}})
    reply = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": -1, "character": 0}})
    assert reply["error"]["code"] == -32602
    assert "textDocument/hover" in reply["error"]["message"]
    # an invalid notification cannot be answered; it is logged, and the server goes on
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"range": {"start": {"line": -1, "character": 0},
                                                                           "end": {"line": 0, "character": 0}}, "text": "x"}]})
    reply = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    assert "result" in reply
    assert any(n.get("method") == "window/logMessage" and "ignored an invalid textDocument/didChange" in n["params"]["message"]
               for n in client.notifications)
