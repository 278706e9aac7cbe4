"""Mutation testing of the core modules with mutmut: how many planted bugs the fast tests catch.

    python benchmarks/mutation.py [MODULE ...] [--work DIR] [--list] [--survivors]

Each module of :data:`MODULES` is run on its own: its files are the only ones mutated, and only
the fast tests that exercise it are run against each mutant (one worker, so the job shares a
small machine). mutmut 3 (the ``dev`` extra) works in a scratch copy of the checkout
(``--work``, default ``$TMPDIR/kg-mutation/<module>``), never in the checkout itself; a second
run of a module reuses the scratch copy's results for the mutants of unchanged functions.

Prints one row per module: mutants, killed (by a test, a timeout or the type checker), survived,
untested (no test reaches them), and the score: killed over all mutants. ``--survivors`` prints each
survivor's diff after the table. The goal is 85% per module; every survivor is either killed by
a test or explained as equivalent in ``docs/mutation.md``. Exit 0 when every module run meets
the goal. This is a benchmark, not a CI step: a module takes minutes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 0.85
#: What the tests read besides the package and the tests.
DATA = ("ontology.ttl", "shapes.ttl", "triples", "queries")


@dataclass(frozen=True)
class Module:
    """One unit of the mutation run.

    Attributes:
        files: The source files to mutate, relative to the checkout.
        tests: The fast tests run against each mutant (pytest node ids or files).
        functions: Patterns of mutmut's mutant names (``kg.server.app.x_answer_version*``)
            when only some functions of the files are this unit; empty for all.
        forkserver: Run the tests in mutmut's fork server, not in its main process: for tests
            that start processes of their own (a server's worker pool), whose exits would
            otherwise reach mutmut's wait for its workers.
        virtuoso: The tests need a Virtuoso: one is started for the whole run and named to them
            by ``KG_TEST_VIRTUOSO`` (``tests/virtuoso_server.py``), not one per mutant (each
            mutant's tests run in a new process; a Virtuoso takes ten seconds and more to start).

    """

    files: tuple[str, ...]
    tests: tuple[str, ...]
    functions: tuple[str, ...] = ()
    forkserver: bool = False
    virtuoso: bool = False


#: The desk's tests that open a desk and read names (fast), and those that decide (seconds each:
#: every decision runs the project's checks, SHACL included, before it writes).
DESK_OPENING = (
    "test_who_decides",
    "test_names_expand_to_iris",
    "test_names_are_shown_short",
    "test_a_dataset_is_written_with_its_header_prefixes_and_graphs",
    "test_the_source_is_the_first_iri_a_proposal_quotes",
    "test_the_desk_finds_its_target_and_its_article",
    "test_the_desk_refuses_another_article_and_a_missing_one",
    "test_a_draft_with_no_source_left_has_no_target",
    "test_the_installed_copy_is_refused_for_kg_review",
    "test_the_desk_knows_the_problems_the_data_has_already",
)
DESK_DECISIONS = (
    "test_a_decision_that_breaks_the_data_is_refused_with_the_first_reason_and_a_count",
    "test_each_decision_says_what_it_did_and_records_who_and_why",
    "test_edits_of_amount_date_role_and_names_then_an_accept",
    "test_a_created_entity_is_named_in_both_languages",
    "test_problems_the_data_had_already_are_not_the_desks",
)

#: The core modules, smallest first, each with the fast tests that exercise it.
MODULES: dict[str, Module] = {
    "quantity_numbers": Module(
        ("kg/data/quantity_numbers.py",),
        ("tests/test_quantities.py", "tests/test_mutants_quantities.py"),
    ),
    "quantity_words": Module(
        ("kg/data/quantity_words.py",),
        (
            "tests/test_quantities.py",
            "tests/test_mutants_quantities.py",
            "tests/test_mutants_quantity_words.py",
        ),
    ),
    "quantities": Module(
        ("kg/data/quantities.py",),
        (
            "tests/test_quantities.py",
            "tests/test_mutants_quantities.py",
            "tests/test_mutants_quantity_passages.py",
        ),
    ),
    "evidence": Module(("kg/validate/evidence.py",), ("tests/test_mutants_evidence.py",)),
    "safety": Module(
        ("kg/query/safety.py",),
        (
            "tests/test_query_analysis.py::test_operator_bombs_are_rejected_before_any_parser",
            "tests/test_query_analysis.py::test_limits_leave_ordinary_expressions_alone",
            "tests/test_query_analysis.py::test_brackets_reset_the_operator_count",
            "tests/test_query_analysis.py::test_token_cap",
            "tests/test_query_analysis.py::test_escapes_are_decoded_for_the_engine",
            "tests/test_query_analysis.py::test_parameters_are_bound_by_substitution_when_projected",
            "tests/test_mutants_safety.py",
        ),
    ),
    "writing": Module(("kg/draft/writing.py",), ("tests/draft/test_mutants_writing.py",)),
    "etag": Module(
        ("kg/server/app.py",),
        ("tests/app/test_server_etags.py", "tests/app/test_mutants_etags.py"),
        ("kg.server.app.x_answer_version*", "kg.server.app.x__tags*", "kg.server.app.xǁAppǁ_etag*"),
        forkserver=True,
    ),
    "resolve": Module(
        ("kg/query/resolve.py",),
        ("tests/test_mutants_resolve.py",),
    ),
    "folding": Module(
        ("kg/identity/folding.py",),
        ("tests/identity/test_identity_folding.py", "tests/identity/test_mutants_folding.py"),
    ),
    "push_verify": Module(
        ("kg/remote/push.py", "kg/remote/report.py", "kg/remote/staging.py"),
        ("tests/process/test_mutants_push.py",),
        (
            "kg.remote.report.xǁPushReportǁdifferences*",
            "kg.remote.report.x_describe_differences*",
            "kg.remote.push.x_plan*",
            "kg.remote.push.xǁ_Runǁrecheck_done*",
            "kg.remote.push.xǁ_Runǁbatch*",
            "kg.remote.push.xǁ_Runǁ_switch*",
            "kg.remote.staging.x_count_triples*",
        ),
    ),
    "push_orchestration": Module(
        ("kg/remote/push.py", "kg/remote/undo.py"),
        ("tests/process/test_mutants_push.py", "tests/process/test_mutants_push_orchestration.py"),
        (
            "kg.remote.push.x_dataset_graphs*",
            "kg.remote.push.x__probe*",
            "kg.remote.push.x_dataset_store*",
            "kg.remote.push.xǁ_Runǁ__init__*",
            "kg.remote.push.xǁ_Runǁrun*",
            "kg.remote.push.xǁ_Runǁstopped*",
            "kg.remote.push.x_journal_path*",
            "kg.remote.push.x__unchanged*",
            "kg.remote.push.x_push__*",
            "kg.remote.push.x_rollback*",
            "kg.remote.push.x_status*",
            "kg.remote.undo.*",
        ),
    ),
    # mutants8 (round 8): the LOAD path of a push (push choosing LOAD, _Run.batch through the
    # Loader), against one real Virtuoso for the whole run and the push tests beside it
    "push_load": Module(
        ("kg/remote/push.py",),
        (
            "tests/process/test_mutants_push.py",
            "tests/process/test_mutants_push_orchestration.py",
            "tests/process/test_mutants_push_load.py",
        ),
        ("kg.remote.push.x_push__*", "kg.remote.push.xǁ_Runǁbatch*"),
        virtuoso=True,
    ),
    "remote_client": Module(("kg/remote/client.py",), ("tests/process/test_mutants_client.py",)),
    "remote_wire": Module(
        ("kg/remote/wire.py",),
        ("tests/process/test_mutants_wire.py", "tests/process/test_mutants_client.py"),
    ),
    "review_journal": Module(
        ("kg/review/journal.py",),
        ("tests/review/test_mutants_journal.py",),
    ),
    "review_decide": Module(
        ("kg/review/decide.py",),
        ("tests/review/test_mutants_decide.py",),
    ),
    "review_document": Module(
        ("kg/review/document.py",),
        (
            "tests/review/test_document.py",
            "tests/review/test_mutants_decide.py",
            "tests/review/test_mutants_document.py",
        ),
    ),
    "review_check": Module(("kg/review/check.py",), ("tests/review/test_mutants_check.py",)),
    "shacl_counts": Module(
        ("kg/validate/shacl_counts.py",),
        tuple(
            f"tests/test_validate_shacl_counts.py::{name}"
            for name in (
                "test_the_language_rules_of_plain_shapes_are_counted_and_the_rest_stays",
                "test_labels_of_each_kind_are_counted_as_pyshacl_counts_them",
                "test_a_subclass_instance_is_a_focus_node_and_a_blank_node_too",
                "test_only_property_shapes_of_the_counted_form_are_taken_from_pyshacl",
                "test_taken_rules_report_what_pyshacl_reports_for_them",
            )
        ),
    ),
    "review_desk": Module(
        ("kg/review/desk.py",),
        tuple(f"tests/review/test_mutants_desk.py::{name}" for name in DESK_OPENING),
        (
            "kg.review.desk.x__user*",
            "kg.review.desk.x__expand*",
            "kg.review.desk.x__short*",
            "kg.review.desk.x__serialize*",
            "kg.review.desk.x__source_of*",
            "kg.review.desk.xǁDeskǁ__init__*",
            "kg.review.desk.xǁDeskǁtarget*",
            "kg.review.desk.xǁDeskǁ_text*",
            "kg.review.desk.xǁDeskǁ_recorded*",
        ),
    ),
    "review_desk_decisions": Module(
        ("kg/review/desk.py",),
        (
            "tests/review/test_mutants_desk_decisions.py",
            *(f"tests/review/test_mutants_desk.py::{name}" for name in DESK_DECISIONS),
        ),
        (
            "kg.review.desk.xǁDeskǁ_decide*",
            "kg.review.desk.xǁDeskǁ_known*",
            "kg.review.desk.xǁDeskǁaccept*",
            "kg.review.desk.xǁDeskǁreject*",
            "kg.review.desk.xǁDeskǁedit*",
            "kg.review.desk.xǁDeskǁname_entity*",
            "kg.review.desk.xǁDeskǁsame_as*",
            "kg.review.desk.xǁDeskǁcreate_entity*",
            "kg.review.desk.xǁDeskǁundo*",
            "kg.review.desk.xǁDeskǁresolve*",
        ),
    ),
    "judgements": Module(
        ("kg/identity/judgements.py",),
        ("tests/identity/test_identity_judgements.py", "tests/identity/test_mutants_judgements.py"),
    ),
    "merge": Module(
        ("kg/identity/merge.py",),
        ("tests/identity/test_mutants_merge.py",),
    ),
    "identity_loading": Module(
        ("kg/identity/loading.py",),
        ("tests/identity/test_mutants_loading.py",),
    ),
    "draft_sentences": Module(
        ("kg/draft/reading.py", "kg/draft/furniture.py"),
        (
            "tests/draft/test_reader_sentences.py",
            "tests/draft/test_reader_dates.py",
            "tests/draft/test_mutants_sentences.py",
        ),
        (
            "kg.draft.reading.x_sentences*",
            "kg.draft.reading.x__trimmed*",
            "kg.draft.reading.x__whole_word*",
            "kg.draft.reading.xǁNameIndexǁ*",
            "kg.draft.reading.xǁSentenceǁ*",
            "kg.draft.furniture.*",
        ),
    ),
    "draft_cues": Module(
        ("kg/draft/cues.py",),
        ("tests/draft/test_mutants_cues.py",),
    ),
    "draft_dates": Module(
        ("kg/draft/dates.py",),
        ("tests/draft/test_reader_dates.py", "tests/draft/test_mutants_dates.py"),
    ),
    "draft_people": Module(
        ("kg/draft/people.py",),
        ("tests/draft/test_mutants_people.py",),
    ),
    "draft_facts": Module(
        ("kg/draft/facts.py",),
        (
            "tests/draft/test_mutants_facts.py",
            "tests/draft/test_mutants_people.py",
            "tests/draft/test_mutants_proposals.py",
        ),
    ),
    "draft_proposals": Module(
        ("kg/draft/proposals.py",),
        ("tests/draft/test_mutants_proposals.py",),
    ),
    "draft_names": Module(
        ("kg/draft/names.py",),
        (
            "tests/draft/test_mutants_names.py",
            "tests/draft/test_mutants_people.py",
            "tests/draft/test_mutants_proposals.py",
        ),
    ),
    "referents": Module(
        ("kg/identity/referents.py",),
        ("tests/identity/test_identity_referents.py", "tests/identity/test_mutants_referents.py"),
    ),
    "xref": Module(
        ("kg/identity/xref.py",),
        ("tests/identity/test_identity_xref.py", "tests/identity/test_mutants_xref.py"),
    ),
    # mutants6 (round 7): the rest of kg/remote, the review desk's page and decisions
    "remote_chunking": Module(("kg/remote/chunking.py",), ("tests/test_mutants_chunking.py",)),
    "remote_digest": Module(("kg/remote/digest.py",), ("tests/test_mutants_chunking.py",)),
    "remote_journal": Module(("kg/remote/journal.py",), ("tests/test_mutants_push_journal.py",)),
    "remote_reading": Module(("kg/remote/reading.py",), ("tests/process/test_mutants_reading.py",)),
    "remote_engine": Module(("kg/remote/engine.py",), ("tests/process/test_mutants_engine.py",)),
    "remote_staging": Module(
        ("kg/remote/staging.py",),
        ("tests/process/test_mutants_staging.py",),
        tuple(
            f"kg.remote.staging.x_{name}*"
            for name in (
                "_key",
                "staging_graph",
                "backup_graph",
                "_slices",
                "drop",
                "switch",
                "restore",
                "send",
                "post_update",
            )
        ),
    ),
    "remote_loading": Module(("kg/remote/loading.py",), ("tests/test_mutants_push_pieces.py",)),
    "remote_piece_server": Module(
        ("kg/remote/piece_server.py",), ("tests/test_mutants_push_pieces.py",)
    ),
    "desk_view": Module(("kg/review/view.py",), ("tests/review/test_mutants_view.py",)),
    "desk_server": Module(("kg/review/server.py",), ("tests/review/test_mutants_desk_server.py",)),
}


def scratch_copy(work: Path, module: Module) -> None:
    """Lay out ``work`` as a copy of the checkout whose mutmut config names ``module``."""
    work.mkdir(parents=True, exist_ok=True)
    tests = [test for test in module.tests if (ROOT / test.split("::")[0]).exists()]
    for name in ("kg", "tests", *DATA):
        source, target = ROOT / name, work / name
        if target.is_dir():
            shutil.rmtree(target)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    config = "\n".join(
        [
            "[tool.mutmut]",
            'source_paths = ["kg"]',
            f"only_mutate = {json.dumps(list(module.files))}",
            f"also_copy = {json.dumps(list(DATA))}",
            f"pytest_add_cli_args_test_selection = {json.dumps(tests)}",
            'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x"]',
            "use_git_change_detection = false",
            f'process_isolation = "{"forkserver" if module.forkserver else "fork"}"',
            "",
        ]
    )
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    # mutmut names the tests a mutant reaches by their ids and runs them by those ids: pytest
    # must keep the ids of parameters written in Chinese as written, not escaped, to find them.
    pyproject = pyproject.replace(
        'addopts = "-ra --strict-markers --doctest-modules"',
        'addopts = ""\ndisable_test_id_escaping_and_forfeit_all_rights_to_community_support = true',
    )
    (work / "pyproject.toml").write_text(pyproject + "\n" + config, encoding="utf-8")


def environment() -> dict[str, str]:
    """The environment of a run: the article found as the checkout finds it, no coverage."""
    sys.path.insert(0, str(ROOT))
    from kg.data.paths import source_text_path

    env = dict(os.environ)
    # mutmut puts its copy first on the import path; a PYTHONPATH naming the scratch copy before
    # mutmut made it would be cached as absent, and kg imported from elsewhere.
    env.pop("PYTHONPATH", None)
    source = source_text_path()
    if source is not None:
        env["KG_SOURCE"] = str(source)
    return env


def mutmut(work: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run one mutmut command in ``work``.

    Through its script, not ``python -m``: that would put ``work`` (whose ``kg`` is the
    unmutated copy mutmut reads) first on the import path.
    """
    command = [str(Path(sys.executable).parent / "mutmut"), *args]
    return subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, check=False)


@dataclass
class Tally:
    """A module's mutants by outcome.

    Attributes:
        killed: Failed a test (or timed out, or the type checker refused them).
        survived: Passed every test that reaches them.
        untested: Reached by no test (counted against the score, as survivors are).
        survivors: The names of the survived and untested mutants.

    """

    killed: int = 0
    survived: int = 0
    untested: int = 0
    survivors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Every mutant of the module."""
        return self.killed + self.survived + self.untested

    @property
    def score(self) -> float:
        """Killed over all mutants."""
        return self.killed / self.total if self.total else 1.0


#: mutmut's exit codes per mutant (see mutmut.stats): 0 survived, 5 and 33 no test reached it.
SURVIVED, UNTESTED = {0}, {5, 33}


@contextlib.contextmanager
def shared_virtuoso(folder: Path) -> Iterator[str]:
    """A scratch Virtuoso in ``folder`` (made anew) for a whole run: ``KG_TEST_VIRTUOSO``."""
    missing = [tool for tool in ("virtuoso-t", "isql-vt") if shutil.which(tool) is None]
    if missing:
        raise SystemExit(
            f"mutation.py: {', '.join(missing)} not found; bash scripts/install-virtuoso.sh "
            "installs Debian's virtuoso-opensource"
        )
    sys.path.insert(0, str(ROOT / "tests"))
    from virtuoso_server import shared_value, started_virtuoso

    shutil.rmtree(folder, ignore_errors=True)

    def stopped(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    # a run stopped by SIGTERM unwinds too: its mutmut is killed and its Virtuoso stopped
    previous = signal.signal(signal.SIGTERM, stopped)
    try:
        with started_virtuoso(folder) as server:  # stopped by its pid when the run ends
            yield shared_value(server)
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_module(name: str, module: Module, work: Path, env: dict[str, str]) -> Tally:
    """Mutate one module and count what its tests kill."""
    scratch_copy(work, module)
    with contextlib.ExitStack() as stack:
        if module.virtuoso:
            env = {
                **env,
                "KG_TEST_VIRTUOSO": stack.enter_context(shared_virtuoso(work / "virtuoso")),
            }
        done = mutmut(work, env, "run", "--max-children", "1", *module.functions)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"mutation.py: mutmut run failed for {name} (exit {done.returncode})")
    tally = Tally()
    for path in module.files:
        meta = json.loads((work / "mutants" / f"{path}.meta").read_text(encoding="utf-8"))
        for key, code in sorted(meta["exit_code_by_key"].items()):
            if module.functions and not any(fnmatch(key, f) for f in module.functions):
                continue
            if code in SURVIVED or code in UNTESTED:
                tally.survivors.append(key)
            if code in SURVIVED:
                tally.survived += 1
            elif code in UNTESTED:
                tally.untested += 1
            elif code is None:
                raise SystemExit(f"mutation.py: {key} was not run")
            else:
                tally.killed += 1
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules to run (default: all)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-mutation")
    parser.add_argument("--list", action="store_true", help="list the modules and exit")
    parser.add_argument("--survivors", action="store_true", help="print each survivor's diff")
    args = parser.parse_args(argv)
    if args.list:
        for name, module in MODULES.items():
            print(f"{name}: {' '.join(module.files)} <- {' '.join(module.tests)}")
        return 0
    unknown = [name for name in args.modules if name not in MODULES]
    if unknown:
        parser.error(f"unknown module(s) {', '.join(unknown)}; --list shows them")
    env = environment()
    rows = []
    print(f"{'module':<18} {'mutants':>7} {'killed':>7} {'survived':>8} {'untested':>8}  score")
    for name in args.modules or list(MODULES):
        tally = run_module(name, MODULES[name], args.work / name, env)
        rows.append((name, tally))
        print(
            f"{name:<18} {tally.total:>7} {tally.killed:>7} {tally.survived:>8} "
            f"{tally.untested:>8}  {tally.score:.1%}",
            flush=True,
        )
    if args.survivors:
        for name, tally in rows:
            for survivor in tally.survivors:
                print(mutmut(args.work / name, env, "show", survivor).stdout)
    return 0 if all(tally.score >= GOAL for _, tally in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
