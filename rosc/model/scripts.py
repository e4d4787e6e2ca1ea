"""The scripts of a file and what their names mean: scopes, declarations and
uses of variables and functions.

A file holds several scripts (Scripting, "Scopes"; Script, Scheduler):

* the file itself: what ``/import`` runs (or a ``/system script`` source
  kept in a file).  Its top level is one root scope: the manual's import
  reads the whole file as one script (only ``verbose=yes`` and text pasted
  into a terminal run each line on its own);
* the body of every script-holding argument: ``/system script`` ``source=``,
  scheduler ``on-event=``, Netwatch, PPP, DHCP and HotSpot hooks, written as
  a string (parsed by the parser into ``String.script``) or as a ``{ }``
  block.  Each is a script of its own, run later, seeing none of the file's
  variables;
* every function body (``:global f do={ ... }``): it sees neither the
  globals nor the locals around it, only what it declares itself and the
  arguments it is called with (``$a``, positional ``$1``...);
* the body of ``:execute``, run later as a script of its own.

Inside a script, ``{ }`` blocks (bare, ``do=``, ``else=``, ``on-error=``...)
open local scopes: a declaration is visible from the point it is made to
the end of its block, in nested blocks too.  ``:global`` declarations are
scoped the same way: a script sees a global only after declaring it.

``analyze(script, source)`` walks a parsed file once and returns a
``ScriptAnalysis``: every ``Unit`` (script), ``Scope``, ``Declaration`` and
``Use`` with exact spans in the file, the calls of functions, and where
``:return``, ``:break`` and ``:continue`` stand.  The walk itself lives in
``rosc.model.script_walk``.
"""

from __future__ import annotations

import gc

from rosc.model.script_model import Call, Declaration, Jump, Scope, ScriptAnalysis, Unit, Use
from rosc.model.script_walk import Walker

__all__ = ["Call", "Declaration", "Jump", "Scope", "ScriptAnalysis", "Unit", "Use", "analyze"]


def analyze(script, source, syntax_errors=()) -> ScriptAnalysis:
    """Scopes, declarations and uses of every script in a parsed file.

    ``syntax_errors`` are the ``(start, end)`` spans the parser could not
    read: it dropped the statements there, so the script holding each one
    is marked ``incomplete`` (its declarations and uses are not all known)."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # as the parser does: collecting over a large tree while building costs more than the build
    try:
        analysis = Walker(source.token_text).run(script)
    finally:
        if gc_was_enabled:
            gc.enable()
    for start, _end in syntax_errors:
        holder = None
        for unit in analysis.units:
            if unit.start <= start <= unit.end and (holder is None or unit.end - unit.start <= holder.end - holder.start):
                holder = unit
        if holder is not None:
            holder.incomplete = True
    return analysis
