"""Tests of the VS Code extension in editors/vscode/.

They drive Node scripts in editors/vscode/test/ and need its npm packages,
installed beforehand with ``npm ci --prefix editors/vscode`` (nothing is
downloaded here):

* the TextMate grammar, run by vscode-textmate on vscode-oniguruma (the
  engine VS Code uses), gives every non-blank character of the samples and of
  the shared corpus a scope of its own, and those scopes agree with the
  Pygments lexer's tokens character by character (see SCOPE_CLASSES and
  TOKEN_CLASSES for the mapping, and ``excused_from`` for the two documented
  differences of the engines);
* the manifest and the language configuration are valid, the client's unit
  tests pass (``tsc`` type errors fail them), and ``vsce package`` builds a
  .vsix with what VS Code needs.

None of this starts VS Code itself.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from pygments.lexers import get_lexer_by_name
from pygments.token import (
    Comment,
    Keyword,
    Literal,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
)

ROOT = Path(__file__).resolve().parent.parent
EXT = ROOT / "editors" / "vscode"
INSTALL = "npm ci --prefix editors/vscode"
SAMPLES = sorted((ROOT / "samples").rglob("*.rsc"))
FIXTURE = EXT / "test" / "fixtures" / "constructs.rsc"
NEEDED_PACKAGES = [
    "vscode-textmate",
    "vscode-oniguruma",
    "typescript",
    "@vscode/vsce",
    "@types/vscode",
    "@types/node",
    "vscode-languageclient",
]


def _find_corpus() -> Path | None:
    """``shared/corpus/public`` beside the repository (or beside a folder above it)."""
    for folder in ROOT.parents:
        candidate = folder / "shared" / "corpus" / "public"
        if candidate.is_dir():
            return candidate
    return None


CORPUS = _find_corpus()

# -- how the two lexers' classes are compared ---------------------------------
#
# Each side is reduced to one class name per character. A TextMate token's
# class comes from its innermost scope (the `.routeros` suffix dropped): the
# first entry below that equals it or is a dot-separated prefix of it. A
# character whose innermost scope is the root `source.routeros` or a `meta.*`
# region scope was matched by no rule: it is "unscoped".
SCOPE_CLASSES: list[tuple[str, str]] = [
    ("comment.line.number-sign.export-header", "comment.special"),
    ("comment", "comment"),
    ("keyword.operator.word", "operator.word"),
    ("keyword.operator", "operator"),
    ("keyword.control", "keyword"),  # :local, :if, :put ...
    ("keyword.other.command", "keyword"),  # add, set, print ...
    ("constant.language.boolean", "keyword.constant"),
    ("entity.name.namespace", "namespace"),
    ("entity.other.attribute-name", "attribute"),
    ("variable.other.interpolated", "string.interpol"),
    # Pygments: "$[" and "$(" in a string are String.Interpol, the bracket
    # that closes them is Punctuation.
    ("punctuation.section.interpolation.begin", "string.interpol"),
    ("punctuation.section.interpolation.end", "punctuation"),
    ("variable", "variable"),
    ("string.unquoted.argument", "name"),  # a bare word: Pygments Name
    ("string.unquoted.value", "string.other"),  # after key=: String.Other
    ("constant.numeric.address", "number"),  # IPv4/IPv6 address or prefix: Number
    ("constant.numeric.hex", "number.hex"),  # 0x1F, *1A, MAC addresses
    ("constant.numeric.integer", "number.integer"),
    ("constant.numeric.float", "number.float"),
    ("constant.numeric.time", "date"),  # dates, clock times, durations: Literal.Date
    ("constant.character.escape", "string.escape"),
    ("punctuation.definition.string", "string"),  # the quotes: String.Double
    ("string.quoted.double", "string"),
    # what the Pygments lexer's catch-all rules leave as Text
    ("punctuation.other", "text"),
    ("punctuation", "punctuation"),
]

# Pygments token types, most specific first: a token gets the class of the
# first type it is in.
TOKEN_CLASSES: list[tuple[object, str]] = [
    (Comment.Special, "comment.special"),
    (Comment, "comment"),
    (Keyword.Constant, "keyword.constant"),
    (Keyword, "keyword"),
    (Name.Namespace, "namespace"),
    (Name.Attribute, "attribute"),
    (Name.Variable, "variable"),
    (Name, "name"),
    (Number.Hex, "number.hex"),
    (Number.Integer, "number.integer"),
    (Number.Float, "number.float"),
    (Number, "number"),
    (Literal.Date, "date"),
    (String.Escape, "string.escape"),
    (String.Interpol, "string.interpol"),
    (String.Other, "string.other"),
    (String, "string"),
    (Operator.Word, "operator.word"),
    (Operator, "operator"),
    (Punctuation, "punctuation"),
    (Text, "text"),
]
CLASSES = sorted({c for _, c in TOKEN_CLASSES})
UNSCOPED = "unscoped"
LINE_BREAK = "line-break"


def scope_class(scope: str) -> str:
    if scope == "":
        return LINE_BREAK
    if scope == "source.routeros" or scope.startswith("meta.") or scope == "(no token)":
        return UNSCOPED
    name = scope.removesuffix(".routeros")
    for prefix, cls in SCOPE_CLASSES:
        if name == prefix or name.startswith(prefix + "."):
            return cls
    return f"unknown scope {scope}"


def token_class(ttype) -> str:
    for parent, cls in TOKEN_CLASSES:
        if ttype in parent:
            return cls
    return f"unknown token {ttype}"


# The two documented differences of the engines; both last to the end of the
# file, and neither occurs in the samples or the corpus:
# * TextMate sees every line with a line end, the last one too
#   (vscode-textmate appends "\n"), so a backslash that ends a file without a
#   final newline is a line continuation for it and plain text for Pygments;
# * a quoted variable name ($"..." or :local "...") that is never closed: for
#   TextMate it runs to the end of the file; Pygments, which looks ahead for
#   the closing quote, reads `$` and then a string instead.
_TRAILING_BACKSLASH = re.compile(r"\\[ \t]*\Z")
_QUOTED_NAME = re.compile(r'\$"|:(?:local|global|set|foreach|for|onerror)[ \t]+"')
_QUOTED = re.compile(r'"(?:[^"\\]|\\[\s\S])*"')


def excused_from(text: str) -> int:
    """Offset from which differences are one of the documented ones."""
    limit = len(text)
    if m := _TRAILING_BACKSLASH.search(text):
        limit = m.start()
    for m in _QUOTED_NAME.finditer(text):
        if not _QUOTED.match(text, m.end() - 1):
            limit = min(limit, m.start())
            break
    return limit


def editor_text(data: bytes) -> str:
    """The text VS Code shows for a file: UTF-8 with replacement characters,
    without a BOM, every line break (CR, LF or CRLF) kept as a line break; a
    lone CR is a line break there, so it is one for Pygments too."""
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return re.sub(r"\r(?!\n)", "\n", text)


# -- running Node ---------------------------------------------------------------


@pytest.fixture(scope="module")
def node() -> str:
    exe = shutil.which("node")
    if exe is None:
        pytest.fail("`node` (Node.js 20 or later) is not on the PATH; the VS Code extension tests need it")
    missing = [p for p in NEEDED_PACKAGES if not (EXT / "node_modules" / p / "package.json").is_file()]
    if missing:
        pytest.fail(
            f"editors/vscode/node_modules lacks {', '.join(missing)}: run `{INSTALL}` "
            "in the repository root first (it installs from editors/vscode/package-lock.json)"
        )
    return exe


def test_npm_packages_are_installed():
    missing = [p for p in NEEDED_PACKAGES if not (EXT / "node_modules" / p / "package.json").is_file()]
    assert not missing, f"editors/vscode/node_modules lacks {', '.join(missing)}: run `{INSTALL}` in the repository root first"


def run_node(node: str, *args: str, input: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    res = subprocess.run(
        [node, *args],
        cwd=EXT,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=None if input is not None else subprocess.DEVNULL,
    )
    assert res.returncode == 0, f"node {' '.join(args)} failed ({res.returncode}):\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}"
    return res


# One character per class, so that whole files compare as strings.
CLASS_CHARS = {cls: chr(0x100 + i) for i, cls in enumerate([*CLASSES, UNSCOPED, LINE_BREAK])}
_BLANKS = re.compile(r"\s+")


def _blank_out(classes: str, text: str) -> str:
    """`classes` with a space at each blank character of `text`."""
    parts, last = [], 0
    for m in _BLANKS.finditer(text):
        parts.append(classes[last : m.start()])
        parts.append(" " * (m.end() - m.start()))
        last = m.end()
    parts.append(classes[last:])
    return "".join(parts)


_LEXER = get_lexer_by_name("routeros")


def pygments_classes(text: str) -> str:
    """The Pygments class of each character of `text` (blanks as spaces)."""
    cache: dict = {}
    parts = []
    for ttype, value in _LEXER.get_tokens(text):
        ch = cache.get(ttype)
        if ch is None:
            ch = cache[ttype] = CLASS_CHARS.get(token_class(ttype), "?")
        parts.append(ch * len(value))
    out = "".join(parts)
    assert len(out) == len(text), "the Pygments lexer is lossless"
    return _blank_out(out, text)


class TextMateResult:
    """What test/tokenize.mjs gave for some texts, as class strings."""

    def __init__(self, raw: dict, texts: dict[str, str]):
        self.ms: float = raw["ms"]
        self.texts = texts
        self.char_class = {ch: cls for cls, ch in CLASS_CHARS.items()}
        table = {}
        for i, scope in enumerate(raw["scopes"]):
            cls = scope_class(scope)
            if cls not in CLASS_CHARS:  # an unknown scope gets a character of its own
                self.char_class.setdefault(chr(0x1000 + i), cls)
            table[0x30 + i] = CLASS_CHARS.get(cls, chr(0x1000 + i))
        self.classes: dict[str, str] = {}
        for f in raw["files"]:
            name = f["name"]
            assert f["stoppedEarly"] == 0, name
            classes = f["classes"].translate(table)
            assert len(classes) == len(texts[name]), name
            self.classes[name] = _blank_out(classes, texts[name])
        assert set(self.classes) == set(texts)
        self.pygments: dict[str, str] = {}

    def pygments_for(self, name: str) -> str:
        if name not in self.pygments:
            self.pygments[name] = pygments_classes(self.texts[name])
        return self.pygments[name]


def tokenize(node: str, texts: dict[str, str], while_waiting=None) -> TextMateResult:
    """Runs test/tokenize.mjs once over all `texts`; calls `while_waiting()`
    while Node works (the machine has more than one core)."""
    request = json.dumps({"files": [{"name": n, "text": t} for n, t in texts.items()]})
    proc = subprocess.Popen(
        [node, "test/tokenize.mjs"],
        cwd=EXT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    outcome: dict = {}
    talker = threading.Thread(target=lambda: outcome.update(zip(("out", "err"), proc.communicate(request, timeout=300))))
    talker.start()
    try:
        if while_waiting is not None:
            while_waiting()
    finally:
        talker.join()
    assert proc.returncode == 0, f"test/tokenize.mjs failed ({proc.returncode}):\n{outcome.get('err', '')[-3000:]}"
    return TextMateResult(json.loads(outcome["out"]), texts)


def unscoped(result: TextMateResult) -> dict[str, list[tuple[int, str, str]]]:
    """Non-blank characters that no rule gave a scope of its own (or whose
    scope the tables above do not know), per file: (line, text around, class)."""
    bad = {ch for ch, cls in result.char_class.items() if cls == UNSCOPED or cls.startswith("unknown")}
    found = {}
    for name, classes in result.classes.items():
        if not bad & set(classes):
            continue
        text = result.texts[name]
        hits = [i for i, ch in enumerate(classes) if ch in bad]
        found[name] = [(text.count("\n", 0, i) + 1, text[max(0, i - 20) : i + 20], result.char_class[classes[i]]) for i in hits[:5]]
    return found


class Agreement:
    def __init__(self):
        self.compared = 0
        self.agreed = 0
        self.excused = 0
        self.confusions: Counter = Counter()
        self.examples: dict = {}
        self.per_class: Counter = Counter()

    def __str__(self):
        lines = [f"{self.agreed} of {self.compared} non-blank characters agree ({self.excused} excused)"]
        for (py, tm), n in self.confusions.most_common(15):
            lines.append(f"  Pygments {py} / TextMate {tm}: {n}, e.g. {self.examples[py, tm]}")
        return "\n".join(lines)


def compare(result: TextMateResult, names=None) -> Agreement:
    agreement = Agreement()
    for name, tm in result.classes.items():
        if names is not None and name not in names:
            continue
        text = result.texts[name]
        py = result.pygments_for(name)
        non_blank = len(text) - py.count(" ")
        agreement.compared += non_blank
        for ch in set(py) - {" "}:
            agreement.per_class[result.char_class.get(ch, ch)] += py.count(ch)
        if tm == py:
            agreement.agreed += non_blank
            continue
        limit = excused_from(text)
        for i, (a, b) in enumerate(zip(py, tm)):
            if a == " ":
                continue
            if a == b:
                agreement.agreed += 1
            elif i >= limit:
                agreement.excused += 1
            else:
                key = (result.char_class.get(a, a), result.char_class.get(b, b))
                agreement.confusions[key] += 1
                agreement.examples.setdefault(key, (Path(name).name, text.count("\n", 0, i) + 1, text[max(0, i - 25) : i + 25]))
    return agreement


# -- the grammar ----------------------------------------------------------------


def _texts(paths) -> dict[str, str]:
    return {str(p): editor_text(p.read_bytes()) for p in paths}


@pytest.fixture(scope="module")
def samples_result(node) -> TextMateResult:
    assert SAMPLES, "samples/ has .rsc files"
    return tokenize(node, _texts([*SAMPLES, FIXTURE]))


@pytest.fixture(scope="module")
def corpus_result(node) -> TextMateResult:
    if CORPUS is None:
        pytest.skip("no shared/corpus/public beside the repository")
    files = sorted(CORPUS.rglob("*.rsc"))
    assert files
    texts = _texts(files)
    started = time.perf_counter()
    pygments: dict[str, str] = {}

    def lex_with_pygments():
        for name, text in texts.items():
            pygments[name] = pygments_classes(text)

    result = tokenize(node, texts, while_waiting=lex_with_pygments)
    result.pygments = pygments
    print(
        f"\n{len(files)} corpus files, {sum(map(len, texts.values())) / 1e6:.1f} M characters: "
        f"TextMate {result.ms / 1000:.1f} s, with Pygments alongside {time.perf_counter() - started:.1f} s"
    )
    return result


def test_grammar_is_generated_from_its_source(node):
    run_node(node, "scripts/build-grammar.mjs", "--check")


def test_grammar_rules_are_named_used_and_resolvable():
    grammar = json.loads((EXT / "syntaxes" / "routeros.tmLanguage.json").read_text())
    assert grammar["scopeName"] == "source.routeros"
    repository = grammar["repository"]
    used, names = set(), []

    def walk(rule):
        if isinstance(rule, dict):
            if "include" in rule:
                ref = rule["include"]
                assert ref.startswith("#") and ref[1:] in repository, ref
                used.add(ref[1:])
            for key in ("name", "contentName"):
                if key in rule:
                    names.append(rule[key])
            for value in rule.values():
                walk(value)
        elif isinstance(rule, list):
            for item in rule:
                walk(item)

    walk(grammar["patterns"])
    walk(repository)
    assert set(repository) == used, f"unused rules: {set(repository) - used}"
    assert names and all(n.endswith(".routeros") for n in names)
    for name in names:
        if not name.startswith("meta."):
            assert not scope_class(name).startswith("unknown"), name


def test_samples_have_no_unscoped_text(samples_result):
    assert unscoped(samples_result) == {}


def test_corpus_has_no_unscoped_text(corpus_result):
    assert len(corpus_result.texts) > 400, "the whole corpus was tokenized"
    assert unscoped(corpus_result) == {}


def test_samples_agree_with_pygments_exactly(samples_result):
    agreement = compare(samples_result)
    print(f"\nsamples and constructs.rsc: {agreement}")
    assert agreement.compared > 10_000
    assert agreement.agreed == agreement.compared, str(agreement)


def test_constructs_fixture_exercises_every_class(samples_result):
    agreement = compare(samples_result, names={str(FIXTURE)})
    assert agreement.agreed == agreement.compared
    assert sorted(agreement.per_class) == CLASSES


def test_corpus_agrees_with_pygments_exactly(corpus_result):
    started = time.perf_counter()
    agreement = compare(corpus_result)
    print(f"\ncorpus: {agreement} (compared in {time.perf_counter() - started:.1f} s)")
    assert agreement.compared > 1_000_000
    assert agreement.agreed + agreement.excused == agreement.compared, str(agreement)


_PIECES = [
    "/ip address ", "add ", "set ", "print ", "where ", ":local ", ":if ", ":foreach i in=", "do={", "}",
    "[find ", "]", "(", ")", "$[", "$(", '"', '\\"', "\\\n    ", "\\ \n", "\\\r\n", "\\", "$x", '$"a-b"',
    '$"a\nb"', ':local "q\nr" ', "1.2.3.4/24", "fe80::1", "::", "00:11:22:AA:bb:CC", "00:05:00", "1d2h",
    "150ms", "jan/01/2024", "2024-01-01", "0x1F", "*1A", "2.5", "42", "yes", "->", "key=", "ip firewall filter ",
    "..", "/", "\\4F", "\\n", "# c\n", "# 2024-01-01 12:00:00 by RouterOS 7.16\n", "\n", "\r\n", "\r", " ", "\t",
    ";", ",", "=", "~", "!", "-",
]
_CHARS = list('"\\$[]{}();=~!,.-/:#\t \x00\x1c\xa0') + list("abcxyz019AF") + ["\u00e9", "\u0416", "\u2028", "\ufffd", "\U0001f600"]


def test_random_text_agrees_with_pygments(node):
    """Random mixtures of RouterOS fragments and odd characters: the two
    lexers agree everywhere but in the documented differences."""
    rng = random.Random(16)
    texts = {}
    for n in range(2000):
        pieces = [rng.choice(_PIECES) if rng.random() < 0.65 else rng.choice(_CHARS) for _ in range(rng.randint(1, 40))]
        texts[f"random-{n}"] = editor_text("".join(pieces).encode())
    result = tokenize(node, texts)
    agreement = compare(result)
    print(f"\nrandom texts: {agreement}")
    assert agreement.agreed + agreement.excused == agreement.compared, str(agreement)
    assert agreement.excused < agreement.compared / 100
    assert unscoped(result) == {}


def test_excused_differences_are_only_the_documented_ones():
    assert excused_from("add a=1\n") == 8
    assert excused_from("add a=1 \\") == 8
    assert excused_from("add a=1 \\  ") == 8
    assert excused_from(':put $"never closed\n:put 1\n') == 5
    assert excused_from(':put $"closed\nlater" "x"\n') == len(':put $"closed\nlater" "x"\n')
    assert excused_from(':local "x\n') == 0


def test_line_splitting_matches_vscode():
    assert editor_text(b"\xef\xbb\xbfa\rb\r\nc\xff\n") == "a\nb\r\nc\ufffd\n"


# -- the language configuration and the manifest ----------------------------------


def _manifest() -> dict:
    return json.loads((EXT / "package.json").read_text())


def test_language_configuration():
    config = json.loads((EXT / "language-configuration.json").read_text())
    assert config["comments"] == {"lineComment": "#"}
    assert sorted(map(tuple, config["brackets"])) == [("(", ")"), ("[", "]"), ("{", "}")]
    closing = {(p["open"], p["close"]): p for p in config["autoClosingPairs"]}
    assert set(closing) == {("{", "}"), ("[", "]"), ("(", ")"), ('"', '"')}
    assert "string" in closing['"', '"']["notIn"]
    assert sorted(map(tuple, config["surroundingPairs"])) == [('"', '"'), ("(", ")"), ("[", "]"), ("{", "}")]
    start = re.compile(config["folding"]["markers"]["start"])
    end = re.compile(config["folding"]["markers"]["end"])
    assert start.search(":if ($x > 3) do={") and start.search("{")
    assert not start.search("# a comment {") and not start.search("add a=1")
    assert end.search("}") and end.search("  } else={") and not end.search("add a=}")
    words = re.findall(config["wordPattern"], "add dst-address=10.0.0.0/8 comment=$name")
    assert words == ["add", "dst-address", "10.0.0.0", "8", "comment", "name"]


def _server_option_defaults() -> dict[str, object]:
    """The defaults in docs/editors.md's "Server options" table."""
    text = (ROOT / "docs" / "editors.md").read_text()
    section = text.split("## Server options", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\|\s*`(\w+)`\s*\|\s*`([^`]+)`\s*\|", section, re.M)
    return {name: json.loads(value) for name, value in rows}


def test_manifest_is_complete():
    m = _manifest()
    for key in ("name", "displayName", "description", "version", "publisher", "license", "repository", "engines", "main", "contributes"):
        assert m.get(key), key
    assert m["publisher"] == "rosc"
    assert m["license"] == "MIT"
    assert re.fullmatch(r"\d+\.\d+\.\d+", m["version"])
    assert m["main"] == "./out/extension.js"
    assert (EXT / "src" / "extension.ts").is_file()
    assert re.fullmatch(r"\^1\.\d+\.0", m["engines"]["vscode"])
    # @types/vscode must not be newer than the oldest VS Code the engine allows
    types = re.sub(r"^[~^]", "", m["devDependencies"]["@types/vscode"])
    assert types.split(".")[:2] == m["engines"]["vscode"][1:].split(".")[:2]
    assert "vsce package" in m["scripts"]["package"]
    assert "compile" in m["scripts"]["vscode:prepublish"]
    assert (EXT / "LICENSE").read_text().startswith("MIT License")
    assert (EXT / "README.md").is_file()
    assert (EXT / "package-lock.json").is_file()
    ignored = (EXT / ".gitignore").read_text().split()
    assert {"node_modules/", "out/", "*.vsix"} <= set(ignored)


def test_manifest_contributions_point_to_real_files():
    c = _manifest()["contributes"]
    [language] = c["languages"]
    assert language["id"] == "routeros"
    assert language["extensions"] == [".rsc"]
    assert {"RouterOS", "rsc"} <= set(language["aliases"])
    assert (EXT / language["configuration"]).is_file()
    [grammar] = c["grammars"]
    assert grammar["language"] == "routeros"
    grammar_file = EXT / grammar["path"]
    assert json.loads(grammar_file.read_text())["scopeName"] == grammar["scopeName"] == "source.routeros"


def test_settings_match_the_server_options():
    props = _manifest()["contributes"]["configuration"]["properties"]
    assert props["rosc.path"]["default"] == "rosc"
    assert props["rosc.trace.server"]["enum"] == ["off", "messages", "verbose"]
    assert props["rosc.trace.server"]["default"] == "off"
    documented = _server_option_defaults()
    assert documented == {"debounce": 150, "incremental": True, "lab": True}
    for option, default in documented.items():
        assert props[f"rosc.{option}"]["default"] == default, option
        assert props[f"rosc.{option}"]["type"] == ("number" if option == "debounce" else "boolean")


# -- the client and the package -----------------------------------------------------


@pytest.fixture(scope="module")
def compiled(node) -> Path:
    run_node(node, "node_modules/typescript/bin/tsc", "-p", ".", "--noEmit", "false")
    out = EXT / "out"
    for name in ("extension", "executable", "folding", "settings"):
        assert (out / f"{name}.js").is_file(), name
    return out


def test_client_unit_tests(node, compiled):
    tests = sorted(str(p.relative_to(EXT)) for p in (EXT / "test").glob("*.test.mjs"))
    assert len(tests) >= 4
    res = run_node(node, "--test", *tests, timeout=120)
    counts = dict(re.findall(r"^# (pass|fail) (\d+)$", res.stdout, re.M))
    assert counts.get("fail") == "0" and int(counts.get("pass", 0)) >= 20, res.stdout[-2000:]


@pytest.fixture(scope="module")
def vsix(node, compiled, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("vsix") / "rosc.vsix"
    run_node(node, "node_modules/@vscode/vsce/vsce", "package", "--out", str(out), timeout=300)
    assert out.is_file()
    return out


def test_vsix_contains_the_extension(vsix):
    manifest = _manifest()
    with zipfile.ZipFile(vsix) as z:
        names = set(z.namelist())
        for needed in (
            "extension.vsixmanifest",
            "extension/package.json",
            "extension/syntaxes/routeros.tmLanguage.json",
            "extension/language-configuration.json",
            "extension/out/extension.js",
            "extension/out/executable.js",
            "extension/out/folding.js",
            "extension/out/settings.js",
            "extension/readme.md",  # vsce lower-cases the name
            "extension/LICENSE.txt",
            "extension/node_modules/vscode-languageclient/node.js",
        ):
            assert needed in names, needed
        for name in names:
            assert not name.startswith(("extension/src/", "extension/test/", "extension/scripts/")), name
            for dev in ("vscode-textmate", "vscode-oniguruma", "typescript", "@vscode/vsce"):
                assert not name.startswith(f"extension/node_modules/{dev}/"), name
        assert json.loads(z.read("extension/package.json")) == manifest
        assert z.read("extension/syntaxes/routeros.tmLanguage.json") == (EXT / "syntaxes/routeros.tmLanguage.json").read_bytes()
        vsixmanifest = z.read("extension.vsixmanifest").decode()
    assert f'Id="{manifest["name"]}"' in vsixmanifest
    assert f'Version="{manifest["version"]}"' in vsixmanifest
    assert f'Publisher="{manifest["publisher"]}"' in vsixmanifest


_LOAD_PACKAGED = """
const Module = require("module");
const original = Module._load;
// a stand-in for the vscode API: enough to load the modules, not to run them
const stub = new Proxy(function () {}, { get: () => stub, apply: () => stub, construct: () => stub });
Module._load = function (request, ...rest) {
  if (request === "vscode") return stub;
  return original.call(this, request, ...rest);
};
const root = process.argv[1];
const extension = require(root + "/out/extension.js");
const client = require(root + "/node_modules/vscode-languageclient/node");
console.log(JSON.stringify({ extension: Object.keys(extension).sort(), client: typeof client.LanguageClient }));
"""


def test_vsix_client_loads_with_its_packaged_dependencies(node, vsix, tmp_path):
    with zipfile.ZipFile(vsix) as z:
        z.extractall(tmp_path)
    res = run_node(node, "-e", _LOAD_PACKAGED, str(tmp_path / "extension"))
    assert json.loads(res.stdout) == {"extension": ["activate", "deactivate", "restart"], "client": "function"}
