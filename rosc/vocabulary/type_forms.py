"""The forms a parameter type takes once its expression is read
(``rosc.vocabulary.value_types.parse_type``): a base type, an integer
range, an enum, a list, pair or range of a type, a reference, a union; and
how each is described to a network engineer."""

from __future__ import annotations

_set = object.__setattr__  # how a frozen instance's __init__ sets its fields

#: kinds accepted after ``ref:`` (what a name refers to)
REF_KINDS = frozenset(
    """
    interface bridge pool ppp-profile interface-list address-list dhcp-server
    routing-table wireguard vlan queue queue-type script certificate user-group
    user ipsec-profile ipsec-peer ipsec-proposal ipsec-policy-group
    ipsec-mode-config security-profile wifi-configuration wifi-security
    wifi-channel wifi-datapath wifi-steering wifi-interworking wifi-access-list
    bgp-template bgp-instance ospf-instance ospf-area routing-filter-chain
    logging-action hotspot-profile hotspot-server dhcp-option dhcp-option-set
    vrf ethernet lte-apn snmp-community container-envs container-mounts
    veth firewall-chain file scheduler tunnel interface-lists
    capsman-configuration capsman-security capsman-channel capsman-datapath capsman-rates
    """.split()
)

_BASES = {
    "string": "text",
    "bool": "yes or no",
    "int": "a whole number",
    "num": "a number",
    "time": "a duration",
    "rate": "a rate (e.g. 10M)",
    "size": "a size (e.g. 64KiB)",
    "hex": "a hexadecimal value",
    "ipv4": "an IPv4 address",
    "ipv4-prefix": "an IPv4 address or prefix",
    "ipv4-range": "an IPv4 address, prefix or range",
    "ipv6": "an IPv6 address",
    "ipv6-prefix": "an IPv6 address or prefix",
    "ipv6-range": "an IPv6 address, prefix or range",
    "ip": "an IP address",
    "ip-prefix": "an IP address or prefix",
    "ip-range": "an IP address, prefix or range",
    "mac": "a MAC address",
    "port": "a port number (1-65535)",
    "port-list": "a list of ports or port ranges",
}


class TypeSyntaxError(ValueError):
    """A malformed type expression in the vocabulary data."""


class Base:
    __slots__ = ('name',)
    __match_args__ = __slots__

    def __init__(self, name: str) -> None:
        _set(self, 'name', name)

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(name={self.name!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,) == (other.name,)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.name,))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self):  # pickling (-j workers) and copying, as a frozen dataclass does
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            _set(self, name, value)

    def describe(self) -> str:
        return _BASES[self.name]


class IntRange:
    __slots__ = ('lo', 'hi')
    __match_args__ = __slots__

    def __init__(self, lo: int | None, hi: int | None) -> None:
        _set(self, 'lo', lo)
        _set(self, 'hi', hi)

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(lo={self.lo!r}, hi={self.hi!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.lo, self.hi) == (other.lo, other.hi)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.lo, self.hi))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self):  # pickling (-j workers) and copying, as a frozen dataclass does
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            _set(self, name, value)

    def describe(self) -> str:
        return f"a whole number from {self.lo} to {self.hi}"


class Enum:
    __slots__ = ('values',)
    __match_args__ = __slots__

    def __init__(self, values: tuple[str, ...]) -> None:
        _set(self, 'values', values)

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(values={self.values!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.values,) == (other.values,)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.values,))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self):  # pickling (-j workers) and copying, as a frozen dataclass does
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            _set(self, name, value)

    def describe(self) -> str:
        return "one of: " + _short_list(self.values)


class ListOf:
    __slots__ = ('item',)
    __match_args__ = __slots__

    def __init__(self, item: "Type") -> None:
        _set(self, 'item', item)

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(item={self.item!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.item,) == (other.item,)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.item,))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self):  # pickling (-j workers) and copying, as a frozen dataclass does
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            _set(self, name, value)

    def describe(self) -> str:
        return "a comma-separated list of " + _strip_article(self.item.describe())


class PairOf:
    __slots__ = ('item',)
    __match_args__ = __slots__

    def __init__(self, item: "Type") -> None:
        _set(self, 'item', item)

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(item={self.item!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.item,) == (other.item,)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.item,))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self):  # pickling (-j workers) and copying, as a frozen dataclass does
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            _set(self, name, value)

    def describe(self) -> str:
        return "two values as x/y, each " + self.item.describe()


class RangeOf:
    __slots__ = ('item',)
    __match_args__ = __slots__

    def __init__(self, item: "Type") -> None:
        _set(self, 'item', item)

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(item={self.item!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.item,) == (other.item,)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.item,))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self):  # pickling (-j workers) and copying, as a frozen dataclass does
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            _set(self, name, value)

    def describe(self) -> str:
        return _strip_article(self.item.describe()) + " or a range a-b of them"


class Ref:
    __slots__ = ('kind',)
    __match_args__ = __slots__

    def __init__(self, kind: str) -> None:
        _set(self, 'kind', kind)

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(kind={self.kind!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.kind,) == (other.kind,)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.kind,))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self):  # pickling (-j workers) and copying, as a frozen dataclass does
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            _set(self, name, value)

    def describe(self) -> str:
        return f"the name of a {self.kind.replace('-', ' ')}"


class Union:
    __slots__ = ('options',)
    __match_args__ = __slots__

    def __init__(self, options: tuple["Type", ...]) -> None:
        _set(self, 'options', options)

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(options={self.options!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.options,) == (other.options,)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.options,))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self):  # pickling (-j workers) and copying, as a frozen dataclass does
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            _set(self, name, value)

    def describe(self) -> str:
        return " or ".join(o.describe() for o in self.options)


Type = Base | IntRange | Enum | ListOf | PairOf | RangeOf | Ref | Union


def _strip_article(text: str) -> str:
    for art in ("a ", "an "):
        if text.startswith(art):
            return text[len(art):]
    return text


def _short_list(values: tuple[str, ...], limit: int = 10) -> str:
    if len(values) <= limit:
        return ", ".join(values)
    return ", ".join(values[:limit]) + ", ..."


# ---------------------------------------------------------------- parsing
