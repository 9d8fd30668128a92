"""The bulk scorer and the FHIR builders are plain Python: importing them starts no Django, and
``python -m bounceback.research`` gives what ``bounceback score`` gives without starting the web application."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PHQ2 = "id,phq2_1,phq2_2\na,1,2\nb,3,\n"


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False, timeout=120
    )


# That bulk.py, files.py, cli.py and the FHIR builders import no Django, even indirectly, is checked with the
# other pure modules in bounceback/tests/test_purity.py.


def test_it_scores_without_django_as_the_command_does(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text(PHQ2)
    args = [str(tmp_path / "in.csv"), "--instrument", "phq2", "--output", str(tmp_path / "out.csv")]
    done = _python(
        "import sys\nfrom bounceback.research.cli import main\n"
        f"code = main({args!r})\nprint('django' in sys.modules)\nsys.exit(code)"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
    assert "phq2: 2 rows, 1 complete, 1 incomplete" in done.stderr
    assert (tmp_path / "out.csv").read_text().splitlines() == [
        "id,phq2_1,phq2_2,phq2_total,phq2_band,phq2_complete,phq2_flags",
        'a,1,2,3,positive,true,""',
        'b,3,,,,false,""',
    ]


def test_it_reports_errors_without_django(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text("id,phq2_1,phq2_2\na,1,4\n")
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "bounceback.research",
            str(tmp_path / "in.csv"),
            "--instrument",
            "phq2",
            "--output",
            str(tmp_path / "o.csv"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("error: row 1, column phq2_2: 4 is out of range")
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
