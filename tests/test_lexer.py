"""The tokenizer: modes, statement ends, continuations, glue."""

from rosc.syntax.lexer import tokenize


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t[0], text[t[1] : t[2]]) for t in tokenize(text)]


def test_path_only_at_statement_start():
    assert kinds("/ip address add comment=/x\n") == [
        ("PATH", "/ip"),
        ("WORD", "address"),
        ("WORD", "add"),
        ("KVS", "comment=/x"),
        ("$END", ""),
    ]


def test_run_of_arguments_is_one_token_across_clean_continuations():
    text = "add a=1 b=\"x y\" \\\n    c=3\n"
    assert kinds(text) == [("WORD", "add"), ("KVS", 'a=1 b="x y" \\\n    c=3'), ("$END", "")]


def test_backslash_space_continuation_warns_and_joins():
    warnings: list = []
    text = "add a=1 \\ \n    b=2\n"
    toks = [(t[0], text[t[1] : t[2]]) for t in tokenize(text, warnings)]
    assert toks == [("WORD", "add"), ("KVS", "a=1"), ("KVS", "b=2"), ("$END", "")]
    assert [w[0] for w in warnings] == ["SYN009"]
    assert text[warnings[0][1] : warnings[0][2]] == "\\ "


def test_glue_between_adjacent_values():
    assert kinds('find where name~"x"') == [
        ("WORD", "find"),
        ("WORD", "where"),
        ("WORD", "name~"),
        ("GLUE", ""),
        ("STRING", '"x"'),
        ("$END", ""),
    ]


def test_expression_mode_operators():
    got = kinds("(1+$a.\"x\"->k)")
    assert [k for k, _ in got] == ["LPAR", "WORD", "OP", "VAR", "OP", "STRING", "OP", "WORD", "RPAR", "$END"]


def test_newlines_inside_braces_separate_inside_parens_are_space():
    got = [k for k, _ in kinds("{\n:put 1\n:put (1\n+2)\n}\n")]
    assert got == ["LBRACE", "NL", "WORD", "WORD", "NL", "WORD", "LPAR", "WORD", "OP", "WORD", "RPAR", "NL", "RBRACE", "$END"]


def test_comment_only_at_statement_start():
    assert kinds("# hi\nadd comment=#1 x#y\n") == [
        ("COMMENT", "# hi"),
        ("$END", ""),
        ("WORD", "add"),
        ("KVS", "comment=#1"),
        ("WORD", "x#y"),
        ("$END", ""),
    ]


def test_semicolon_ends_statement_at_top_level():
    assert [k for k, _ in kinds(":put 1; :put 2")] == ["WORD", "WORD", "$END", "WORD", "WORD", "$END"]


def test_errors_are_tokens_with_codes():
    toks = list(tokenize('add x="abc\n] \\ x\n'))
    errors = [(t[4], t[1]) for t in toks if t[0] == "ERROR"]
    assert ("SYN002", 6) in errors
    assert ("SYN004", 11) in errors
    assert ("SYN010", 13) in errors


def test_crlf_line_ends():
    assert [k for k, _ in kinds("/ip address\r\nadd a=1\r\n")] == ["PATH", "WORD", "$END", "WORD", "KVS", "$END"]
