"""The deployment files agree with the code: every setting read from the environment is in the env template."""

import re
from pathlib import Path

import urbangrid.settings

ROOT = Path(__file__).resolve().parents[2]
READ = re.compile(
    r"""(?:os\.getenv|envbool|envsecret|os\.environ\.get)\(\s*"([A-Z0-9_]+)"|os\.environ\["([A-Z0-9_]+)"\]"""
)


def names_in(path: Path) -> set[str]:
    return {a or b for a, b in READ.findall(path.read_text())}


def test_the_env_template_lists_every_setting():
    read = names_in(Path(urbangrid.settings.__file__)) | names_in(ROOT / "deploy" / "gunicorn.conf.py")
    assert {"DATABASE_URL", "SECRET_KEY", "AUDIT_KEY", "LOG_FORMAT", "METRICS_ALLOWED_IPS", "URBANGRID_BIND"} <= read
    template = (ROOT / "deploy" / "urbangrid.env").read_text()
    listed = set(re.findall(r"^#? ?([A-Z0-9_]+)=", template, re.MULTILINE))
    assert read - listed == set()
