"""`data refresh` as a transaction: locks, atomic swaps, recovery, shared files, adoption
checks, the size cap and its messages. Concurrency runs in processes on scratch copies."""

from __future__ import annotations

import hashlib
import http.server
import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path

import openpyxl
import pytest

from aitrade import data
from aitrade.__main__ import build_parser, follow_up_commands
from aitrade.data import cache, catalogue, schema, snapshots, transaction, vintages
from aitrade.notebooks import NotebookExecutionError, execute_notebooks
from aitrade.paths import PROJECT_DIR
from support import GATT, cached_copy, edit_entry, files_in

pytestmark = pytest.mark.snapshots

# A second small snapshot with no economy column, for two refreshes at once.
STAGES = "eto-chip-stages"
SHARED = ("wb-class-economies", "wb-class-compositions")
FORK = multiprocessing.get_context("fork")
SECONDS = 30  # no process of these tests may take longer (they take a few seconds)


def catalogue_bytes(data_dir: Path) -> bytes:
    return (data_dir / catalogue.CATALOGUE_NAME).read_bytes()


def write_vintage(path: Path, old: str, new: str, source: Path) -> Path:
    """A copy of ``source`` with its first ``old`` replaced by ``new``."""
    text = source.read_text(encoding="utf-8-sig" if source.read_bytes().startswith(b"\xef\xbb\xbf") else "utf-8")
    assert old in text
    path.write_bytes(source.read_bytes().replace(old.encode(), new.encode(), 1))
    return path


def run_in_processes(targets: list[tuple]) -> list[int]:
    """Start one process per (function, args), wait for all (bounded); return exit codes."""
    processes = [FORK.Process(target=function, args=args) for function, args in targets]
    for process in processes:
        process.start()
    deadline = time.monotonic() + SECONDS
    for process in processes:
        process.join(max(0.1, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            process.kill()
            process.join()
    return [process.exitcode for process in processes]


def refresh_quietly(name: str, source: str, data_dir: Path, scratch_cache: Path) -> None:
    """A refresh in a child process; exits 1 on any error."""
    try:
        vintages.refresh(name, source, data_dir=data_dir, cache=scratch_cache, timeout=SECONDS)
    except Exception as exc:  # reported through the exit code
        print(f"refresh failed: {exc}")
        os._exit(1)
    os._exit(0)


def load_repeatedly(names: list[str], data_dir: Path, scratch_cache: Path, stop_file: Path, failures: Path) -> None:
    """Load datasets until ``stop_file`` exists; append any failure to ``failures``."""
    loads = 0
    while not stop_file.exists() or loads == 0:
        for name in names:
            try:
                table = data.load(name, data_dir=data_dir, cache=scratch_cache)
                assert len(table) >= data.resource(name, data_dir)["schema"]["rowCountMin"]
            except Exception as exc:
                with open(failures, "a") as handle:
                    handle.write(f"{name}: {type(exc).__name__}: {exc}\n")
            loads += 1
        time.sleep(0.02)  # leave the two cores to the refreshes now and then
    os._exit(0)


# 1. Concurrent refreshes


def test_two_refreshes_of_different_datasets_both_land(scratch_data, scratch_cache, tmp_path):
    gatt, stages = cached_copy(GATT, scratch_cache), cached_copy(STAGES, scratch_cache)
    new_gatt = write_vintage(tmp_path / "gatt.csv", "16 March 1949", "17 March 1949", gatt)
    new_stages = write_vintage(tmp_path / "stages.csv", ",Design,", ",Designs,", stages)
    codes = run_in_processes([
        (refresh_quietly, (GATT, str(new_gatt), scratch_data, scratch_cache)),
        (refresh_quietly, (STAGES, str(new_stages), scratch_data, scratch_cache)),
    ])
    assert codes == [0, 0]
    assert data.resource(GATT, scratch_data).sha256 == cache.sha256_of(new_gatt)
    assert data.resource(STAGES, scratch_data).sha256 == cache.sha256_of(new_stages)
    assert all(check.ok for check in vintages.verify([GATT, STAGES], scratch_data, scratch_cache, progress=False))


def hold_lock(data_dir: Path, seconds: float, ready: Path) -> None:
    with transaction.writer_lock(data_dir):
        ready.touch()
        time.sleep(seconds)
    os._exit(0)


def test_a_second_writer_waits_then_fails_naming_the_holder(scratch_data, scratch_cache, tmp_path):
    gatt = cached_copy(GATT, scratch_cache)
    new = write_vintage(tmp_path / "gatt.csv", "16 March 1949", "17 March 1949", gatt)
    ready = tmp_path / "ready"
    holder = FORK.Process(target=hold_lock, args=(scratch_data, 1.5, ready))
    holder.start()
    try:
        deadline = time.monotonic() + SECONDS
        while not ready.exists() and holder.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert ready.exists(), "the lock holder did not start"
        before = catalogue_bytes(scratch_data), files_in(scratch_cache)
        started = time.monotonic()
        with pytest.raises(transaction.LockTimeout, match=rf"locked by process {holder.pid}.*waited 0.5 s"):
            vintages.refresh(GATT, str(new), data_dir=scratch_data, cache=scratch_cache, timeout=0.5)
        assert 0.5 <= time.monotonic() - started < 1.5
        assert (catalogue_bytes(scratch_data), files_in(scratch_cache)) == before
        # A writer that may wait long enough gets the lock once the holder is done.
        report = vintages.refresh(GATT, str(new), data_dir=scratch_data, cache=scratch_cache, timeout=SECONDS)
        assert report.new_hash == cache.sha256_of(new)
    finally:
        holder.join(SECONDS)
        if holder.is_alive():
            holder.kill()


def test_twenty_interleaved_refreshes_and_loads_end_with_verify_clean(scratch_data, scratch_cache, tmp_path):
    gatt, stages = cached_copy(GATT, scratch_cache), cached_copy(STAGES, scratch_cache)
    vintages_of = {
        GATT: [write_vintage(tmp_path / f"gatt-{day}.csv", "16 March 1949", f"{day} March 1949", gatt)
               for day in (17, 18, 19)],
        STAGES: [write_vintage(tmp_path / f"stages-{n}.csv", ",Design,", f",Design {n},", stages)
                 for n in (1, 2)],
    }
    stop, failures = tmp_path / "stop", tmp_path / "failures.txt"
    refreshes = [
        (refresh_quietly, (name, str(vintages_of[name][index % len(vintages_of[name])]), scratch_data, scratch_cache))
        for index in range(7) for name in (GATT, STAGES)
    ]
    loaders = [(load_repeatedly, ([GATT, STAGES], scratch_data, scratch_cache, stop, failures))] * 6
    processes = [FORK.Process(target=function, args=args) for function, args in loaders]
    for process in processes:
        process.start()
    codes = run_in_processes(refreshes)
    stop.touch()
    for process in processes:
        process.join(SECONDS)
        if process.is_alive():
            process.kill()
            process.join()
    assert len(refreshes) + len(loaders) == 20
    assert codes == [0] * len(refreshes)
    assert [process.exitcode for process in processes] == [0] * len(loaders)
    assert not failures.exists(), failures.read_text()
    checks = vintages.verify([GATT, STAGES], scratch_data, scratch_cache, progress=False)
    assert [check.ok for check in checks] == [True, True]
    assert transaction.pending(scratch_data) is None
    assert not list(scratch_cache.rglob("*.part"))


def test_a_load_during_the_last_moment_of_a_swap_reads_the_new_vintage(scratch_data, scratch_cache, tmp_path, monkeypatch):
    """The file is already swapped and the catalogue is written just as the reader checks
    whether a swap is under way: the reader must read again, not report a damaged file."""
    current = cached_copy(GATT, scratch_cache)
    new = write_vintage(tmp_path / "gatt.csv", "16 March 1949", "17 March 1949", current)
    current.write_bytes(new.read_bytes())  # the swap: new file, catalogue not yet written

    def swap_ends_now(data_dir):
        edit_entry(scratch_data, GATT, hash=f"sha256:{cache.sha256_of(new)}")
        return False

    monkeypatch.setattr(transaction, "swap_under_way", swap_ends_now)
    table = data.load(GATT, data_dir=scratch_data, cache=scratch_cache).set_index("Country")
    assert table.loc["Chile", "Date"] == "17 March 1949"


# 2. A file shared by several datasets


def class_workbook(tmp_path: Path, change) -> Path:
    """A copy of the cached CLASS.xlsx changed by ``change(workbook)``."""
    book = openpyxl.load_workbook(cache.local_path(data.resource(SHARED[0])))
    change(book)
    path = tmp_path / "CLASS.xlsx"
    book.save(path)
    return path


def rename_first_economy(book) -> None:
    sheet = book["List of economies"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("Economy") + 1).value = "Renamed economy"


def test_a_shared_file_is_refreshed_for_every_dataset_that_reads_it(scratch_data, scratch_cache, tmp_path):
    for name in SHARED:
        cached_copy(name, scratch_cache)
    new = class_workbook(tmp_path, rename_first_economy)
    report = vintages.refresh(SHARED[0], str(new), data_dir=scratch_data, cache=scratch_cache)
    assert report.datasets == list(SHARED)
    for name in SHARED:
        assert data.resource(name, scratch_data).sha256 == cache.sha256_of(new)
        assert len(data.load(name, data_dir=scratch_data, cache=scratch_cache)) > 0
    # No primary key: the renamed row counts as one removed and one added.
    assert (report.rows_added, report.rows_removed) == (1, 1)
    assert (report.shared[0].rows_added, report.shared[0].rows_removed, report.shared[0].cells_changed) == (0, 0, 0)


def test_a_shared_file_one_of_its_readers_refuses_is_not_adopted(scratch_data, scratch_cache, tmp_path):
    for name in SHARED:
        cached_copy(name, scratch_cache)
    new = class_workbook(tmp_path, lambda book: book.remove(book["compositions"]))
    before = catalogue_bytes(scratch_data), files_in(scratch_cache)
    with pytest.raises(vintages.RefreshError, match=rf"{SHARED[1]!r}.*has no sheet 'compositions'"):
        vintages.refresh(SHARED[0], str(new), data_dir=scratch_data, cache=scratch_cache)
    assert (catalogue_bytes(scratch_data), files_in(scratch_cache)) == before


# 3. What a refresh adopts


@pytest.fixture
def gatt_lines(scratch_cache) -> list[str]:
    return cached_copy(GATT, scratch_cache).read_text(encoding="utf-8").splitlines()


def refused(scratch_data, scratch_cache, new: Path, match: str) -> None:
    """The new vintage is refused with ``match`` and nothing changes."""
    before = catalogue_bytes(scratch_data), files_in(scratch_cache)
    with pytest.raises(vintages.RefreshError, match=match) as error:
        vintages.refresh(GATT, str(new), data_dir=scratch_data, cache=scratch_cache)
    assert (catalogue_bytes(scratch_data), files_in(scratch_cache)) == before
    assert str(new) in str(error.value) and ".part" not in str(error.value)


def test_a_file_cut_short_above_the_row_floor_is_refused(scratch_data, scratch_cache, tmp_path, gatt_lines):
    cut = "\n".join(gatt_lines[:-7])[:-3]  # 7 rows lost (121 left: the floor) and the last value cut
    new = tmp_path / "gatt.csv"
    new.write_text(cut, encoding="utf-8")
    refused(scratch_data, scratch_cache, new, r"last line has no line break.*cut short")


def test_an_unmapped_economy_is_refused(scratch_data, scratch_cache, tmp_path, gatt_lines):
    new = tmp_path / "gatt.csv"
    new.write_text("\n".join(gatt_lines).replace("Chile,", "Narnia,") + "\n", encoding="utf-8")
    refused(scratch_data, scratch_cache, new, r"Column 'Country'.*\['Narnia'\]")


def test_a_formula_cell_is_refused(scratch_data, scratch_cache, tmp_path, gatt_lines):
    new = tmp_path / "gatt.csv"
    text = "\n".join(gatt_lines).replace("16 March 1949", "\"=cmd|' /C calc'!A0\"") + "\n"
    new.write_text(text, encoding="utf-8")
    refused(scratch_data, scratch_cache, new, r"Column 'Date' has 1 cell\(s\) that a spreadsheet would run as a formula")


def test_curated_text_is_kept_and_a_summary_without_a_reference_says_so(scratch_data, scratch_cache, tmp_path, gatt_lines):
    edit_entry(scratch_data, GATT, derivation="Curated: how the file was made.")
    new = tmp_path / "gatt.csv"
    new.write_text("\n".join(gatt_lines).replace("16 March 1949", "17 March 1949") + "\n", encoding="utf-8")
    (scratch_cache / data.resource(GATT)["path"]).unlink()  # no copy of the declared vintage
    report = vintages.refresh(GATT, str(new), data_dir=scratch_data, cache=scratch_cache)
    entry = data.resource(GATT, scratch_data)
    assert entry["derivation"] == "Curated: how the file was made." and "url" not in entry
    assert report.cells_changed is None and report.rows_added is None
    assert report.compared_with == "nothing: no local copy of the declared vintage"


def test_the_summary_compares_with_the_declared_vintage_kept_beside_a_damaged_file(
    scratch_data, scratch_cache, tmp_path, gatt_lines
):
    current = cached_copy(GATT, scratch_cache)
    cache.backup_path(current, data.resource(GATT).sha256).write_bytes(current.read_bytes())
    current.write_bytes(b"damaged")
    new = tmp_path / "gatt.csv"
    new.write_text("\n".join(gatt_lines).replace("16 March 1949", "17 March 1949") + "\n", encoding="utf-8")
    report = vintages.refresh(GATT, str(new), data_dir=scratch_data, cache=scratch_cache)
    assert (report.rows_before, report.cells_changed) == (128, 1)
    assert "declared vintage" in report.compared_with


# 4. Interrupted refreshes


def refresh_and_die_before_the_catalogue(name, source, data_dir, scratch_cache) -> None:
    """A refresh killed (SIGKILL, no clean-up) after the file swap, before the catalogue write."""
    transaction.apply_fields = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
    vintages.refresh(name, source, data_dir=data_dir, cache=scratch_cache)
    os._exit(0)


@pytest.fixture
def crashed_refresh(scratch_data, scratch_cache, tmp_path) -> tuple[Path, Path, bytes]:
    old = cached_copy(GATT, scratch_cache)
    old_bytes = old.read_bytes()
    new = write_vintage(tmp_path / "gatt.csv", "16 March 1949", "17 March 1949", old)
    codes = run_in_processes([(refresh_and_die_before_the_catalogue, (GATT, str(new), scratch_data, scratch_cache))])
    assert codes == [-signal.SIGKILL]
    assert old.read_bytes() == new.read_bytes()  # swapped; the catalogue still has the old hash
    return old, new, old_bytes


def test_verify_reports_a_crash_between_swap_and_catalogue_and_finish_completes_it(
    scratch_data, scratch_cache, crashed_refresh
):
    current, new, old_bytes = crashed_refresh
    backup = cache.backup_path(current, hashlib.sha256(old_bytes).hexdigest())
    checks = vintages.verify([GATT], scratch_data, scratch_cache, progress=False)
    assert [check.ok for check in checks] == [False, False]
    assert transaction.FINISH_COMMAND in checks[0].problem and transaction.ROLL_BACK_COMMAND in checks[0].problem
    assert str(backup) in checks[0].problem and backup.read_bytes() == old_bytes
    assert str(backup) in checks[1].problem  # the checksum error names the good copy too
    with pytest.raises(transaction.InterruptedRefresh):  # no new refresh on top of it
        vintages.refresh(GATT, str(new), data_dir=scratch_data, cache=scratch_cache)
    assert build_parser().parse_args(transaction.FINISH_COMMAND.split()[3:]).action == "finish"
    transaction.finish(scratch_data)
    assert data.resource(GATT, scratch_data).sha256 == cache.sha256_of(new)
    assert all(check.ok for check in vintages.verify([GATT], scratch_data, scratch_cache, progress=False))


def test_roll_back_restores_the_declared_vintage(scratch_data, scratch_cache, crashed_refresh):
    current, _, old_bytes = crashed_refresh
    before = data.resource(GATT, scratch_data).sha256
    assert build_parser().parse_args(transaction.ROLL_BACK_COMMAND.split()[3:]).action == "roll-back"
    transaction.roll_back(scratch_data)
    assert current.read_bytes() == old_bytes and data.resource(GATT, scratch_data).sha256 == before
    assert all(check.ok for check in vintages.verify([GATT], scratch_data, scratch_cache, progress=False))
    assert transaction.pending(scratch_data) is None


class SlowHandler(http.server.BaseHTTPRequestHandler):
    """Serves ``size`` bytes slowly and without a Content-Length (read to the end)."""

    size = 200_000
    pause = 0.01

    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        try:
            for _ in range(self.size // 1000):
                self.wfile.write(b"x" * 999 + b"\n")
                self.wfile.flush()
                time.sleep(self.pause)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading: what the tests want

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SlowHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/slow.csv"
    server.shutdown()
    server.server_close()


def refresh_from_url(url: str, data_dir: Path, scratch_cache: Path, temporary: Path) -> None:
    import tempfile

    tempfile.tempdir = str(temporary)
    vintages.refresh(GATT, url, data_dir=data_dir, cache=scratch_cache)
    os._exit(0)


def test_sigterm_mid_download_leaves_no_partial_file(scratch_data, scratch_cache, tmp_path, slow_server):
    cached_copy(GATT, scratch_cache)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    before = catalogue_bytes(scratch_data), files_in(scratch_cache)
    child = FORK.Process(target=refresh_from_url, args=(slow_server, scratch_data, scratch_cache, temporary))
    child.start()
    deadline = time.monotonic() + SECONDS
    while not list(scratch_cache.rglob("*.part")) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)  # the download is under way (it takes 2 s)
    assert child.is_alive()
    os.kill(child.pid, signal.SIGTERM)
    child.join(SECONDS)
    assert child.exitcode == 128 + signal.SIGTERM
    assert (catalogue_bytes(scratch_data), files_in(scratch_cache)) == before
    assert list(temporary.iterdir()) == [] and transaction.pending(scratch_data) is None


def fetch_from(data_dir: Path, scratch_cache: Path) -> None:
    snapshots.fetch_all(scratch_cache, [GATT], data_dir=data_dir, progress=False)
    os._exit(0)


def test_sigterm_mid_fetch_leaves_no_partial_file(scratch_data, scratch_cache, slow_server):
    edit_entry(scratch_data, GATT, url=slow_server)
    child = FORK.Process(target=fetch_from, args=(scratch_data, scratch_cache))
    child.start()
    deadline = time.monotonic() + SECONDS
    while not list(scratch_cache.rglob("*.part")) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    assert child.is_alive()
    os.kill(child.pid, signal.SIGTERM)
    child.join(SECONDS)
    assert child.exitcode == 128 + signal.SIGTERM
    assert files_in(scratch_cache) == {}


def test_the_new_file_is_written_beside_its_target_never_at_it(scratch_cache, tmp_path):
    target = cached_copy(GATT, scratch_cache)
    before = target.read_bytes()
    source = tmp_path / "new.csv"
    source.write_bytes(b"Country,Date\n")
    candidate = vintages.obtain(str(source), target, limit=1000)
    assert candidate.parent == target.parent and candidate != target  # renamed into place, same file system
    assert target.read_bytes() == before and candidate.read_bytes() == b"Country,Date\n"


# 5. Size cap, parsed once


def test_a_download_over_the_size_cap_is_stopped_and_nothing_kept(scratch_data, scratch_cache, file_server, slow_server):
    served, base = file_server
    (served / "big.csv").write_bytes(b"x" * 200_000)
    cached_copy(GATT, scratch_cache)
    edit_entry(scratch_data, GATT, maxBytes=50_000)
    before = catalogue_bytes(scratch_data), files_in(scratch_cache)
    for url, size in ((f"{base}/big.csv", "200,000 bytes"), (slow_server, "65,536 bytes")):  # declared, streamed
        started = time.monotonic()
        with pytest.raises(vintages.RefreshError, match=rf"larger than the 50,000 bytes.*\({size}"):
            vintages.refresh(GATT, url, data_dir=scratch_data, cache=scratch_cache)
        assert time.monotonic() - started < 1.5  # stopped at the cap, not after 200 KB in 2 s
        assert (catalogue_bytes(scratch_data), files_in(scratch_cache)) == before


def test_a_local_file_over_the_size_cap_is_refused(scratch_data, scratch_cache, tmp_path):
    cached_copy(GATT, scratch_cache)
    edit_entry(scratch_data, GATT, maxBytes=1000)
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 5000)
    with pytest.raises(vintages.RefreshError, match=r"5,000 bytes, more than the 1,000 accepted"):
        vintages.refresh(GATT, str(big), data_dir=scratch_data, cache=scratch_cache)


def test_the_new_vintage_is_parsed_once(scratch_data, scratch_cache, tmp_path, monkeypatch, gatt_lines):
    new = tmp_path / "gatt.csv"
    new.write_text("\n".join(gatt_lines).replace("16 March 1949", "17 March 1949") + "\n", encoding="utf-8")
    reads = []
    real = schema.READERS["csv"]
    monkeypatch.setitem(schema.READERS, "csv", lambda entry, path: reads.append(path) or real(entry, path))
    vintages.refresh(GATT, str(new), data_dir=scratch_data, cache=scratch_cache)
    assert len([path for path in reads if path.name.endswith(".part")]) == 1


# 6. Messages


def test_a_truncated_workbook_is_one_sentence_not_a_traceback(scratch_data, scratch_cache, tmp_path):
    for name in SHARED:
        cached_copy(name, scratch_cache)
    whole = cache.local_path(data.resource(SHARED[0]), cache=scratch_cache).read_bytes()
    cut = tmp_path / "CLASS.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(vintages.RefreshError, match=rf"{cut} cannot be read as the Excel workbook.*not a complete workbook \(cut short or damaged\)\. Download it again\.$"):
        vintages.refresh(SHARED[0], str(cut), data_dir=scratch_data, cache=scratch_cache)


def test_a_web_page_saved_as_a_workbook_is_named_as_such(scratch_data, scratch_cache, tmp_path):
    page = tmp_path / "CLASS.xlsx"
    page.write_text("<!DOCTYPE html><html><body>Sign in</body></html>", encoding="utf-8")
    with pytest.raises(vintages.RefreshError, match=r"it is a web page \(HTML\), not the data file") as error:
        vintages.refresh(SHARED[0], str(page), data_dir=scratch_data, cache=scratch_cache)
    assert "Sign in" not in str(error.value)


def test_a_file_that_is_not_the_dataset_is_refused_without_quoting_it(scratch_data, scratch_cache, tmp_path):
    secret = tmp_path / "shadow"
    secret.write_text("root:$y$j9T$SECRETSALT$SECRETHASH:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n")
    with pytest.raises(vintages.RefreshError, match=r"does not look like this dataset") as error:
        vintages.refresh(GATT, str(secret), data_dir=scratch_data, cache=scratch_cache)
    assert "SECRET" not in str(error.value) and "daemon" not in str(error.value)
    assert str(secret) in str(error.value)


def test_the_follow_up_commands_of_a_refresh_run(tmp_path):
    users = data.resource(SHARED[0])["usedBy"]
    assert any(page.endswith(".md") for page in users)  # the case that crashed
    commands = follow_up_commands(users)
    assert "python -m aitrade profiles pages" in commands
    for command in commands:
        args = build_parser().parse_args(command.split()[3:])
        if args.group == "notebooks":
            assert args.paths and all(path.suffix == ".ipynb" and (PROJECT_DIR / path).is_file() for path in args.paths)
    with pytest.raises(NotebookExecutionError, match=r"Not a notebook \(\.ipynb\): .*index\.md.*profiles pages"):
        execute_notebooks([PROJECT_DIR / page for page in users if page.endswith(".md")])


# 7. Escaping in the datasets appendix


def test_a_hostile_address_in_the_catalogue_puts_no_tag_in_the_page(scratch_data):
    from markdown_it import MarkdownIt

    from aitrade.pages import datasets as dataset_pages

    hostile = "http://example.org/x) <img src=x onerror=alert(1)>"
    edit_entry(scratch_data, GATT, url=hostile, homepage="javascript:alert(1)",
               attribution="<script>alert(1)</script> [x](javascript:alert(1)) {doc}`x`")
    page = dataset_pages.render_page(data.resource(GATT, scratch_data))
    html = MarkdownIt("commonmark").enable("table").render(page)
    assert "<img" not in html and "<script" not in html and 'href="javascript' not in html
    assert 'href="http://example.org/x%29%20%3Cimg%20src=x%20onerror=alert%281%29%3E"' in html
    assert "\\{doc}`x`" in page  # the role is escaped: shown as text, never run


def test_the_printed_summary_says_when_it_could_not_compare(scratch_data, scratch_cache, tmp_path, gatt_lines, monkeypatch, capsys):
    from aitrade import __main__ as cli

    new = tmp_path / "gatt.csv"
    new.write_text("\n".join(gatt_lines).replace("16 March 1949", "17 March 1949") + "\n", encoding="utf-8")
    (scratch_cache / data.resource(GATT)["path"]).unlink()
    real_refresh = vintages.refresh
    monkeypatch.setattr(vintages, "refresh", lambda name, source: real_refresh(
        name, source, data_dir=scratch_data, cache=scratch_cache))
    monkeypatch.setattr(cli.dataset_pages, "write", lambda: [])
    monkeypatch.setattr(cli, "resource", lambda name: data.resource(name, scratch_data))
    assert cli.run_refresh(GATT, str(new)) == 0
    out = capsys.readouterr().out
    assert "rows: unknown -> 128; compared with nothing: no local copy of the declared vintage" in out
    assert "cells changed" not in out
