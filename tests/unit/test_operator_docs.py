"""The operator's documents keep up with the code: every setting is in the README, and every
migration says in CHANGELOG.md whether it may run while the previous release serves."""

import re
from pathlib import Path

from portal import config

ROOT = Path(__file__).resolve().parents[2]
VERSIONS = ROOT / "portal" / "migrations" / "versions"


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    settings = [name for name in vars(config.Defaults) if name.isupper()]
    missing = [name for name in settings if f"`{name}`" not in readme]
    assert not missing, f"README lists no `{'`, `'.join(missing)}`"


def test_every_migration_is_in_the_changelog():
    changelog = (ROOT / "CHANGELOG.md").read_text()
    revisions = [re.search(r"^revision = ['\"](\w+)['\"]", path.read_text(), re.M).group(1)
                 for path in VERSIONS.glob("*.py")]
    assert revisions
    missing = [revision for revision in revisions if f"`{revision}`" not in changelog]
    assert not missing, f"CHANGELOG.md does not say whether {missing} are safe to run live"
