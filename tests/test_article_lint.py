"""The article lab lints with no errors; its findings are a snapshot.

Expected: weak PPP passwords (isp1, isp2), no input firewall on the devices
with a WAN-facing client, mtr1's backslash-space continuation, and infos that
say what mtr2's variants mean (ECMP, failover) and that masquerade LANs have
no forward filter.  Nothing else.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import ARTICLE
from rosc.cli.main import main

FILES = sorted(ARTICLE.glob("*.rsc"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_article_lint_snapshot(path, snapshot, monkeypatch):
    monkeypatch.chdir(ARTICLE.parent.parent)
    result = CliRunner().invoke(main, ["lint", f"samples/article/{path.name}"])
    assert result.exit_code == 0, result.output
    assert " error[" not in result.output
    snapshot.assert_match(result.output, path.stem + ".txt")


def test_whole_lab_exit_0_with_only_expected_rules(monkeypatch):
    monkeypatch.chdir(ARTICLE.parent.parent)
    result = CliRunner().invoke(main, ["lint", "--format", "json", "samples/article"])
    assert result.exit_code == 0
    import json

    codes = {d["code"] for d in json.loads(result.output)["diagnostics"]}
    assert codes == {"SEC001", "SEC002", "SEC004", "SYN009", "ROUTE005", "ROUTE006"}
