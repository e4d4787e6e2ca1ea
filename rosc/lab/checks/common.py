"""What the lab checks share: where the manual says it, and how to name a PPPoE client or an item's line."""

from __future__ import annotations

from rosc.model.device import Item

PPPOE_DOC = "help.mikrotik.com: PPPoE"


AAA_DOC = "help.mikrotik.com: PPP AAA"


WG_DOC = "help.mikrotik.com: WireGuard"


def item_line(ctx, device, item: Item | None) -> int:
    node = item.node() if item is not None else None
    return ctx.line(device, node) if node is not None else 0


def client_label(client) -> str:
    return f"{client.device}'s PPPoE client {client.name} (on {client.interface})"


def which_run(names: list[str]) -> str:
    return f"{', '.join(names)}, which run{'s' if len(names) == 1 else ''}"
