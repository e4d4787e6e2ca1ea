"""What the editor asks the vocabulary: the parameters of a menu or command, a
parameter's type and values, the menu tree."""

from __future__ import annotations

from functools import cache

from rosc.model.facts import INTERFACE_MENUS


@cache
def vocabulary():
    """``rosc.vocabulary.tree.load()``, or None when it is not available."""
    try:
        from rosc.vocabulary.tree import load
    except ImportError:
        return None
    try:
        return load()
    except Exception:  # a broken vocabulary must not take the editor down
        return None


def menu_object(path: str):
    vocab = vocabulary()
    if vocab is None:
        return None
    try:
        return vocab.menu(path)
    except Exception:
        return None


def menu_params(path: str) -> dict:
    """Parameter name → Param of the menu ``path`` (empty when unknown)."""
    menu = menu_object(path)
    if menu is None:
        return {}
    params = getattr(menu, "params", None)
    if isinstance(params, dict):
        return params
    if params:
        return {getattr(p, "name", str(p)): p for p in params}
    return {}


def menu_param(path: str, name: str):
    menu = menu_object(path)
    if menu is None:
        return None
    getter = getattr(menu, "param", None)
    if getter is not None:
        try:
            return getter(name)
        except Exception:
            return None
    return menu_params(path).get(name)


def command_params(path: str, verb: str) -> dict:
    """Parameters ``verb`` takes in menu ``path``: a menu-specific command's
    own arguments when the vocabulary has them, else the menu's parameters."""
    menu = menu_object(path)
    getter = getattr(menu, "command", None) if menu is not None else None
    if getter is not None:
        try:
            spec = getter(verb)
        except Exception:
            spec = None
        if spec is not None and getattr(spec, "params", None):
            return dict(spec.params)
    return menu_params(path)


def command_param(path: str, verb: str | None, name: str):
    menu = menu_object(path)
    getter = getattr(menu, "command", None) if menu is not None else None
    if verb and getter is not None:
        try:
            spec = getter(verb)
        except Exception:
            spec = None
        if spec is not None and getattr(spec, "params", None):
            found = spec.param(name) if hasattr(spec, "param") else spec.params.get(name)
            if found is not None:
                return found
    return menu_param(path, name)


def is_menu(words: tuple[str, ...]) -> bool:
    known, _ = menu_tree()
    if words in known:
        return True
    vocab = vocabulary()
    check = getattr(vocab, "is_menu_prefix", None) if vocab is not None else None
    return bool(check is not None and check(words))


def menu_commands(path: str) -> list[str]:
    menu = menu_object(path)
    commands = getattr(menu, "commands", None) if menu is not None else None
    if not commands:
        return []
    return sorted(commands if not isinstance(commands, dict) else commands.keys())


def versions_of(obj) -> str:
    """In which RouterOS versions a menu, command or parameter exists, in
    words (``7.12-7.24``, ``RouterOS 6 only``...); empty when unknown."""
    life = getattr(obj, "life", None)
    if life is None or not hasattr(life, "span"):
        return ""
    text = life.span()
    if getattr(life, "major", None) == "7" and life.first is not None:
        text += " (RouterOS 7 only)"
    elif getattr(life, "v6", False):
        text += ", and RouterOS 6"
    hardware = getattr(obj, "hardware", None)
    if hardware:
        text += f"; only on {hardware}"
    return text


def missing_in(obj, target) -> str:
    """Why ``obj`` is not in the target version (a ``Target``), or ''."""
    life = getattr(obj, "life", None)
    if life is None or target is None:
        return ""
    try:
        from rosc.vocabulary.versions import absence

        vocab = vocabulary()
        gone = absence(life, target.version, (vocab.known if vocab is not None else None) or (9, 24))
    except Exception:
        return ""
    return f"{gone.text}: not in RouterOS {target.version}, which this file targets" if gone else ""


def offered_values(param) -> list[str]:
    """The values RouterOS itself completes for a parameter (its dumps)."""
    return [v for v in getattr(param, "values", ()) or () if v and '"' not in v]


def doc_of(obj) -> str:
    for attr in ("doc", "summary", "description"):
        value = getattr(obj, attr, None)
        if value:
            return str(value).strip()
    return ""


def param_type(param):
    """The parameter's type as a ``rosc.vocabulary.value_types`` type, or None."""
    t = getattr(param, "type", None)
    if t is None or not isinstance(t, str):
        return t
    try:
        from rosc.vocabulary.value_types import parse_type

        return parse_type(t)
    except Exception:
        return None


def describe_type(param) -> str:
    t = param_type(param)
    if t is None:
        raw = getattr(param, "type", None)
        return str(raw) if raw else ""
    describe = getattr(t, "describe", None)
    return describe() if describe is not None else str(t)


def enum_values(t) -> list[str]:
    """The literal values a type offers: enum members, yes/no for bools."""
    out: list[str] = []
    name = type(t).__name__
    if name == "Enum":
        out.extend(t.values)
    elif name == "Base" and t.name == "bool":
        out.extend(["yes", "no"])
    elif name == "Union":
        for option in t.options:
            out.extend(v for v in enum_values(option) if v not in out)
    elif name == "ListOf":
        out.extend(enum_values(t.item))
    return out


def param_ref_kind(param) -> str | None:
    kind = getattr(param, "ref_kind", None)
    if kind:
        return str(kind)
    t = param_type(param)
    if t is None:
        return None
    try:
        from rosc.vocabulary.value_types import ref_kind

        return ref_kind(t)
    except Exception:
        return None


@cache
def menu_tree() -> tuple[frozenset, dict]:
    """Known menus as word tuples (with every prefix), and each one's submenu words."""
    known: set[tuple[str, ...]] = {()}
    children: dict[tuple[str, ...], set[str]] = {}
    vocab = vocabulary()
    for path in (getattr(vocab, "menus", None) or ()) if vocab is not None else ():
        words = tuple(str(path).strip("/").split())
        for i in range(1, len(words) + 1):
            known.add(words[:i])
            children.setdefault(words[: i - 1], set()).add(words[i - 1])
    return frozenset(known), {k: sorted(v) for k, v in children.items()}


def all_menu_paths() -> list[str]:
    vocab = vocabulary()
    if vocab is None:
        return []
    paths = ("/" + " ".join(str(p).strip("/").split()) for p in (getattr(vocab, "menus", None) or ()))
    return sorted(p for p in paths if p != "/")


# Menus whose items are named objects: menu → (kind, the parameter holding the name).
# Menus whose items are named objects: menu -> (kind, the parameter holding the name).
NAMING: dict[str, tuple[str, str]] = {
    **{menu: ("interface", "name") for menu in INTERFACE_MENUS},
    "/ip pool": ("pool", "name"),
    "/ppp profile": ("ppp-profile", "name"),
    "/ip dhcp-server": ("dhcp-server", "name"),
    "/interface list": ("interface-list", "name"),
    "/ip firewall address-list": ("address-list", "list"),
    "/ipv6 firewall address-list": ("address-list", "list"),
    "/routing table": ("routing-table", "name"),
    "/system script": ("script", "name"),
}
