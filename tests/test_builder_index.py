"""The model builder's selector indexes give the answers a scan of the menu
gives: random scripts of add / set / remove / enable / disable with every
kind of selector are built both ways (``build_device(..., indexed=False)``
scans) and the two models must be the same item for item."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rosc.model.builder import build_device
from rosc.syntax.parser import parse_text

MENUS = ["/interface ethernet", "/interface vlan"]
# Few keys and values, so that selectors often hit items that earlier commands changed.
KEYS = ["name", "interface", "disabled"]
RARE_KEYS = ["default-name", "default", "comment"]
VALUES = ["ether1", "a", "yes"]
RARE_VALUES = ['"two words"', "$x", "no"]

value = st.one_of(st.sampled_from(VALUES), st.sampled_from(VALUES), st.sampled_from(VALUES), st.sampled_from(RARE_VALUES))
key = st.one_of(st.sampled_from(KEYS), st.sampled_from(KEYS), st.sampled_from(RARE_KEYS))


@st.composite
def selector(draw) -> str:
    kind = draw(st.sampled_from(["find"] * 4 + ["where", "name", "name", "number", "names", "none", "undecidable"]))
    conditions = " ".join(f"{draw(key)}={draw(value)}" for _ in range(draw(st.sampled_from([1, 1, 1, 2, 0, 3]))))
    if kind == "find":
        return f"[ find {conditions} ]"
    if kind == "where":
        return f"[ find where {conditions} ]"
    if kind == "name":
        return draw(value)
    if kind == "number":
        return str(draw(st.integers(0, 6)))
    if kind == "names":
        return f"{draw(value)},{draw(value)}"
    if kind == "undecidable":
        return "[ find where name=a or name=b ]"
    return ""


@st.composite
def command(draw) -> str:
    verb = draw(st.sampled_from(["add", "add", "set", "set", "set", "remove", "enable", "disable"]))
    args = " ".join(f"{draw(key)}={draw(value)}" for _ in range(draw(st.integers(1, 3))))
    if verb == "add":
        return f"add {args}"
    return f"{verb} {draw(selector())} {args if verb == 'set' else ''}".rstrip()


@st.composite
def script(draw) -> str:
    """One menu's section, sometimes a second menu's after it."""
    out = []
    for menu in draw(st.sampled_from([MENUS[:1], MENUS[1:], MENUS])):
        out.append(menu)
        out.extend(draw(st.lists(command(), min_size=1, max_size=30)))
    return "\n".join(out) + "\n"


def _shape(device) -> dict:
    """Everything the builder decides, by position (items are distinct objects)."""
    out = {}
    for menu, items in device.menus.items():
        out[menu] = [
            (
                {k: (a.start, a.end) for k, a in item.props.items()},
                item.origin.start if item.origin is not None else None,
                [c.start for c in item.commands],
                item.implicit,
                item.removed,
                dict(item.defaults),
            )
            for item in items
        ]
    return {"menus": out, "unresolved": [c.start for c in device.unresolved]}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script())
def test_indexed_selectors_agree_with_scanning(text):
    parsed = parse_text(text, "t.rsc")
    assert _shape(build_device(parsed)) == _shape(build_device(parsed, indexed=False))


def test_index_follows_renames_removals_and_toggles():
    text = "\n".join([
        "/interface vlan",
        "add interface=ether1 name=v1 vlan-id=1",
        "add interface=ether1 name=v2 vlan-id=2",
        "add interface=ether2 name=v3 vlan-id=3",
        "set [ find name=v1 ] name=v9",  # renamed: found by its new name only
        "set [ find name=v1 ] comment=lost",
        "set [ find name=v9 ] comment=found",
        "remove [ find interface=ether1 name=v2 ]",
        "disable [ find interface=ether1 ]",
        "set [ find disabled=yes ] mtu=1400",
        "set 1 comment=second",  # numbers count the live items: v9, v3
        "/interface ethernet",
        "set [ find default-name=ether5 ] name=uplink",
        "set ether5 comment=by-its-default-name",
        "set [ find name=uplink ] mtu=9000",
    ]) + "\n"
    device = build_device(parse_text(text, "t.rsc"))
    v9, v2, v3 = device.menus["/interface vlan"]
    assert v9.get("name") == "v9" and v9.get("comment") == "found" and v9.get("mtu") == "1400"
    assert v2.removed and v2.get("mtu") is None
    assert v3.get("comment") == "second" and v3.get("mtu") is None
    (port,) = device.menus["/interface ethernet"]
    assert port.get("name") == "uplink" and port.get("comment") == "by-its-default-name" and port.get("mtu") == "9000"
    assert _shape(device) == _shape(build_device(parse_text(text, "t.rsc"), indexed=False))
