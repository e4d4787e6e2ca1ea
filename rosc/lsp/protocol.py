"""The JSON-RPC side of the server, where rosc differs from pygls's defaults.

* A request whose params do not fit the protocol (``"line": -1``) gets the
  JSON-RPC error response ``-32602 Invalid params`` with what is wrong;
  pygls drops such a message before it knows whom to answer, and the editor
  waits forever.  An invalid notification cannot be answered: the server
  logs it to the editor instead.
* ``textDocument/didChange`` goes to rosc's own copy of the document only
  (``rosc.lsp.document``).  pygls's workspace copy splits lines as
  ``str.splitlines`` does (at form feeds, U+2028...) and, to apply a
  change, rewrites the change's positions in place — so rosc would apply
  an edit at positions that are no longer the editor's.
"""

from __future__ import annotations

import logging

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

log = logging.getLogger("rosc.lsp")


class Answered:
    """A message that was already answered with an error (nothing to run)."""

    __slots__ = ("id",)

    def __init__(self, msg_id) -> None:
        self.id = msg_id


def _what_is_wrong(exc: JsonRpcException) -> str:
    cause = exc.__cause__
    if cause is None:
        return exc.message
    try:
        from cattrs import transform_error

        details = transform_error(cause, path="params")
    except Exception:  # an error cattrs cannot describe: say what it is
        details = [str(cause)]
    return f"{exc.message}: " + "; ".join(details)


class RoscProtocol(LanguageServerProtocol):
    def structure_message(self, data):
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if not isinstance(data, dict) or "method" not in data:
                raise
            method = data.get("method")
            message = f"{method}: {_what_is_wrong(exc)}"
            if "id" in data:
                error = lsp.ResponseError(code=getattr(exc, "code", JsonRpcInvalidParams.CODE), message=message)
                self._send_response(data["id"], error=error)
            else:
                log.warning("rosc: ignored an invalid notification: %s", message)
                try:
                    self.notify(
                        lsp.WINDOW_LOG_MESSAGE,
                        lsp.LogMessageParams(type=lsp.MessageType.Warning, message=f"rosc: ignored an invalid {message}"),
                    )
                except Exception:  # the log message is a courtesy; never fail on it
                    log.exception("rosc: could not log to the editor")
            return Answered(data.get("id"))

    def handle_message(self, message):
        if isinstance(message, Answered):
            return
        super().handle_message(message)

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: lsp.DidChangeTextDocumentParams):
        handler = self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CHANGE)
        if handler is not None:
            yield handler, (params,), None
