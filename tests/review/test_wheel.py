"""The README's install, as a new user has it: the wheel in a fresh virtualenv, run outside any
clone. The data installed with the package is read, never written: a write says what to do
(``kg init DIR``), and the folder made so is the one read and written, drafts included.

One process test (it builds the wheel, about ten seconds). The venv borrows the already
installed dependencies through a ``.pth`` line instead of downloading them; the ``kg`` package
it runs is the wheel's (asserted).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from desk_bench import FIXTURES, P

ROOT = Path(__file__).resolve().parents[2]


def test_the_installed_package_refuses_to_write_into_itself_and_kg_init_gives_a_folder(
    tmp_path: Path,
) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    wheel = next(wheels.glob("zhipu_kg-*.whl"))
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(FIXTURES / "xinghe-news.txt", home / "news.txt")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "KG_DATA"}}
    env["USER"] = "lin"

    def kg(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(venv / "bin" / "kg"), *args],
            capture_output=True,
            text=True,
            cwd=home,
            env=env,
            timeout=300,
            check=False,
        )

    where = subprocess.run(
        [str(python), "-c", "import kg; print(kg.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=home,
    )
    assert where.stdout.startswith(str(site)), where.stdout + where.stderr
    refused = kg("sources", "add", "news.txt", "--title", "智谱完成新一轮融资")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
    assert "installed package's data" in refused.stderr and "kg init DIR" in refused.stderr
    installed = site / "kg" / "_data" / "triples"
    drafted = kg("draft", "news.txt", "-o", str(installed / "drafts" / "x.trig"))
    assert drafted.returncode == 2 and "kg init DIR" in drafted.stderr
    assert not (installed / "drafts").exists()  # nothing was written into the installed copy

    assert kg("init", "mine").returncode == 0
    mine = home / "mine"
    added = kg("--data", "mine", "sources", "add", "news.txt", "--title", "智谱完成新一轮融资")
    assert added.returncode == 0, added.stderr
    (mine / "triples" / "drafts").mkdir()
    shutil.copy(FIXTURES / "xinghe-news.draft.trig", mine / "triples" / "drafts" / "news.trig")
    listed = kg("--data", "mine", "--include-drafts", "sources")
    assert listed.returncode == 0, listed.stderr
    assert [line.split("\t")[2] for line in listed.stdout.splitlines() if "Source-" in line] == [
        "4"
    ]
    rejected = kg(
        "--data", "mine", "review", "mine/triples/drafts/news.trig", "--reject", P + "000111-1"
    )
    assert rejected.returncode == 0, rejected.stderr
    assert next((mine / "triples" / "sources").glob("Source-*.trig")).is_file()
    # run from inside the folder, it is found without --data
    inside = subprocess.run(
        [str(venv / "bin" / "kg"), "review", "triples/drafts/news.trig", "--list"],
        capture_output=True,
        text=True,
        cwd=mine,
        env=env,
        timeout=300,
        check=False,
    )
    assert inside.returncode == 0 and len(inside.stdout.splitlines()) == 3, inside.stderr
