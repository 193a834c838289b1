"""Bad input gives one clear line naming the file, never a traceback; the rest of the input is still read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from propscope.readers import Problem, ReaderConfig, read_inputs
from propscope.schema import Document

GOOD = "The minister said on Tuesday that the sanctions had failed and the government would change course.\n"


def make_empty(folder: Path) -> Path:
    path = folder / "empty.txt"
    path.write_bytes(b"   \n")
    return path


def make_binary(folder: Path) -> Path:
    path = folder / "photo.txt"
    path.write_bytes(bytes(range(256)) * 40)
    return path


def make_huge(folder: Path) -> Path:
    path = folder / "huge.txt"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: refused by its size, so never read
    return path


def make_invalid_utf8(folder: Path) -> Path:
    path = folder / "latin.txt"
    path.write_bytes(GOOD.encode() + b"caf\xe9\n")
    return path


def make_bad_jsonl(folder: Path) -> Path:
    path = folder / "feed.jsonl"
    path.write_text(json.dumps({"text": GOOD}) + '\n{"text": oops}\n', encoding="utf-8")
    return path


def make_pdf(folder: Path) -> Path:
    path = folder / "report.pdf"
    path.write_bytes(b"%PDF-1.7\n" + GOOD.encode())
    return path


# maker, problem message fragment, fatal, documents read
CASES: dict[str, tuple[Callable[[Path], Path], str, bool, int]] = {
    "empty": (make_empty, "empty file", True, 0),
    "binary": (make_binary, "binary file", True, 0),
    "huge": (make_huge, "too large (50.0 MB", True, 0),
    "invalid_utf8": (make_invalid_utf8, "invalid UTF-8", False, 1),
    "bad_jsonl": (make_bad_jsonl, "malformed JSON", True, 1),
    "pdf": (make_pdf, "PDF files are not supported", True, 0),
}


def read(paths: list[str], config: ReaderConfig | None = None) -> tuple[list[Document], list[Problem]]:
    items = list(read_inputs(paths, config))
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, Problem)]


@pytest.mark.parametrize("case", sorted(CASES))
def test_reader_problem(tmp_path: Path, case: str) -> None:
    make, fragment, fatal, n_docs = CASES[case]
    path = make(tmp_path)
    docs, problems = read([str(path)])
    assert len(docs) == n_docs
    (problem,) = problems
    assert problem.path == str(path) and fragment in problem.message and problem.fatal is fatal
    assert "\n" not in str(problem)


def test_huge_file_is_refused_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_huge(tmp_path)

    def no_read(self: Path) -> bytes:
        raise AssertionError("a file over the limit was read")

    monkeypatch.setattr(Path, "read_bytes", no_read)
    _, (problem,) = read([str(path)])
    assert "too large" in problem.message


def test_unreadable_file_in_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD, encoding="utf-8")
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:  # chmod 000 does not stop root, so simulate the refusal
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    docs, (problem,) = read([str(tmp_path)])
    assert [d.id for d in docs] == ["good"]
    assert str(problem) == f"error: {locked}: cannot read: Permission denied"


def test_missing_path() -> None:
    _, (problem,) = read(["/no/such/article.txt"])
    assert str(problem) == "error: /no/such/article.txt: no such file or directory"


def test_oversized_corpus_record(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"text": "x" * 2000}) + "\n" + json.dumps({"text": GOOD}) + "\n", encoding="utf-8")
    docs, (problem,) = read([str(path)], ReaderConfig(max_bytes=1000))
    assert len(docs) == 1 and problem.line == 1 and "limit" in problem.message


# --- through the command line --------------------------------------------------------------------------------------


def cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    cmd = [sys.executable, "-m", "propscope.cli.main", "analyze", "--analyzers", "language", "--no-progress"]
    return subprocess.run(
        [*cmd, "--format", "jsonl", *args],
        input=stdin.decode("latin-1") if stdin is not None else None,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def lines_naming(stderr: str, path: Path | str) -> list[str]:
    return [line for line in stderr.splitlines() if str(path) in line]


@pytest.mark.parametrize("case", sorted(CASES))
def test_cli_bad_input_alone(tmp_path: Path, case: str) -> None:
    make, fragment, _, n_docs = CASES[case]
    path = make(tmp_path)
    run = cli(str(path))
    assert "Traceback" not in run.stderr
    (line,) = lines_naming(run.stderr, path)
    assert fragment in line
    assert (run.returncode == 0) == (n_docs > 0), run.stderr  # non-zero only when nothing could be analysed
    assert len(run.stdout.splitlines()) == n_docs


def test_cli_directory_with_bad_files_still_analyses_the_good(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    bad = [CASES[case][0](tmp_path) for case in ("empty", "binary", "huge", "bad_jsonl")]
    run = cli(str(tmp_path))
    assert run.returncode == 0 and "Traceback" not in run.stderr
    for path in bad:
        assert len(lines_naming(run.stderr, path)) == 1, run.stderr
    analysed = [json.loads(line) for line in run.stdout.splitlines()]
    assert sorted(a["document"]["id"] for a in analysed) == ["feed:1", "good"]
    assert {a["document"]["language"] for a in analysed} == {"en"}


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads chmod 000 files")
def test_cli_unreadable_file_in_directory(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD, encoding="utf-8")
    locked.chmod(0)
    try:
        run = cli(str(tmp_path))
    finally:
        locked.chmod(0o644)
    assert run.returncode == 0 and "Traceback" not in run.stderr
    (line,) = lines_naming(run.stderr, locked)
    assert "Permission denied" in line


def test_cli_empty_stdin() -> None:
    run = cli("-", stdin=b"")
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert lines_naming(run.stderr, "error: -: empty file")


def test_cli_in_process_unreadable_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same refusal through the command line, simulated so that it also runs as root."""
    from propscope.cli.main import main

    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD, encoding="utf-8")
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code = main(["analyze", str(tmp_path), "--analyzers", "language", "--no-progress", "--format", "jsonl"])
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in err
    assert lines_naming(err, locked) == [f"error: {locked}: cannot read: Permission denied"]
    assert [json.loads(line)["document"]["id"] for line in out.splitlines()] == ["good"]
