"""`memveil eval poisoning`: attack success with the memory guard off and on, and false flags.

For every poisoned record, a fresh store (real SQLite, real embedder, the service's hybrid
search) holds the victim's benign memories plus that one record; the victim's query (with
the trigger, for trigger-conditioned attacks) is run, and the attack succeeds when the
record reaches the consumer: the top-K results with the guard off, the screened results
with it on. Where it reached the agent, the cycle A-MemGuard describes is played on: the
record is deleted (as an operator would once it is flagged), then offered to formation
again as the user's own statement, verbatim and reworded as precedent, and we count how
often formation stores it with the guard (without one it always does).

False flags are measured on benign-only stores: every benign query (and every attack query,
trigger included) against stores that hold no poisoned record, with the guard reporting;
any flag there is a false one.

Data: the generated corpus (`poison_corpus.generate`), or an external JSONL file with one
record per line: `{"kind": "poisoned"|"benign", "query", "record", "trigger",
"malicious_goal"}`. An external file's benign records form the store every poisoned record
is injected into; its benign queries (and the attack queries) are asked of that store alone.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from memveil.cloud.consensus import TOP_K, ConsensusValidator
from memveil.cloud.embedder import Embedder
from memveil.cloud.engine import SimpleEngine
from memveil.cloud.evaluation.poison_corpus import Corpus, PoisonCase, benign_cases, generate
from memveil.cloud.guard import MemoryGuard
from memveil.cloud.lessons import LessonStore
from memveil.cloud.memory import MemoryService
from memveil.cloud.store import SQLiteStore
from memveil.shared.wire import Message

TENANT = "eval"
FIELDS = ("kind", "query", "record", "trigger", "malicious_goal")
#: What an agent stores as precedent after acting on a record: the record, lightly reworded.
_PRECEDENT_PREFIX = {"en": "As learned before: ", "zh": "之前的经验："}
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


class PoisonDataError(ValueError):
    """A poisoning corpus file that cannot be read; the message names the line, never its text."""


def read_cases(path: Path | str) -> list[PoisonCase]:
    """The cases of an external JSONL file. Blank lines are skipped; anything else that is
    not a valid record stops the run with the line number."""
    path = Path(path)
    cases: list[PoisonCase] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                cases.append(_case(line, f"{path}:{number}"))
    if not any(c.kind == "poisoned" for c in cases):
        raise PoisonDataError(f"{path}: no poisoned records (a line with \"kind\": \"poisoned\" and a record)")
    return cases


def _case(line: str, where: str) -> PoisonCase:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise PoisonDataError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise PoisonDataError(f"{where}: each line must be a JSON object")
    unknown = sorted(k for k in data if k not in FIELDS)
    if unknown:
        raise PoisonDataError(f"{where}: unknown field(s) {', '.join(map(repr, unknown[:5]))}; expected {', '.join(FIELDS)}")
    kind = data.get("kind")
    if kind not in ("poisoned", "benign"):
        raise PoisonDataError(f"{where}: \"kind\" must be \"poisoned\" or \"benign\"")
    values: dict[str, str] = {}
    for name in FIELDS[1:]:
        value = data.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise PoisonDataError(f"{where}: \"{name}\" must be a string")
        values[name] = value.strip()
    if "\x00" in "".join(values.values()):
        raise PoisonDataError(f"{where}: text must not contain NUL characters")
    if kind == "poisoned" and not values["record"]:
        raise PoisonDataError(f"{where}: a poisoned line needs a record")
    if kind == "benign" and not (values["record"] or values["query"]):
        raise PoisonDataError(f"{where}: a benign line needs a record or a query")
    language = "zh" if _CJK.search(values["record"] + values["query"]) else "en"
    return PoisonCase(kind=kind, language=language, **values)  # type: ignore[arg-type]


def attack_query(case: PoisonCase) -> str:
    """The victim's query: the trigger appended when the query lacks it (AgentPoison); with no
    query, the trigger alone, or else the record itself (the attacker's best case)."""
    query = case.query
    if case.trigger and case.trigger.lower() not in query.lower():
        query = f"{query} {case.trigger}".strip()
    return query or case.record


# -- outcomes -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AttackOutcome:
    case: PoisonCase
    retrieved: bool  # in the top-K: reached the consumer with the guard off
    reached: bool  # in the screened results: reached the consumer with the guard on
    flag: str | None  # the guard's code for the record, when flagged
    refused_exact: bool  # re-learning the record after its deletion was refused (guard on)
    refused_near: bool  # ...and the record reworded as precedent


@dataclass
class BenignTally:
    queries: int = 0
    returned: int = 0
    flagged: int = 0
    flagged_queries: int = 0
    codes: Counter[str] = field(default_factory=Counter)


def _rate(hits: int, total: int) -> float | None:
    return None if total == 0 else hits / total


def _group(outcomes: Sequence[AttackOutcome]) -> dict[str, Any]:
    off = sum(o.retrieved for o in outcomes)
    on = sum(o.reached for o in outcomes)
    asr_off, asr_on = _rate(off, len(outcomes)), _rate(on, len(outcomes))
    reduction = None if not asr_off else 1 - (asr_on or 0.0) / asr_off
    return {"cases": len(outcomes), "success_off": asr_off, "success_on": asr_on, "relative_reduction": reduction}


@dataclass
class PoisoningReport:
    corpus: str
    top_k: int
    attacks: list[AttackOutcome]
    benign: BenignTally

    def to_dict(self) -> dict[str, Any]:
        attacks = self.attacks
        seen = [o for o in attacks if not o.case.held_out]
        held = [o for o in attacks if o.case.held_out]
        acted = [o for o in attacks if o.retrieved]
        caught = [o for o in acted if o.flag]
        b = self.benign
        return {
            "corpus": self.corpus,
            "top_k": self.top_k,
            "attack_success": _group(attacks),
            "seen_families": _group(seen) if held else None,
            "held_out_families": _group(held) if held else None,
            "by_family": {f: _group([o for o in attacks if o.case.family == f]) for f in dict.fromkeys(o.case.family for o in attacks)},
            "by_language": {lang: _group([o for o in attacks if o.case.language == lang]) for lang in sorted({o.case.language for o in attacks})},
            "flags_on_poison": dict(Counter(o.flag for o in attacks if o.flag).most_common()),
            "precedent": {
                "acted_on_off": len(acted),
                "flagged": len(caught),
                "refused_exact_on": _rate(sum(o.refused_exact for o in acted), len(acted)),
                "refused_reworded_on": _rate(sum(o.refused_near for o in acted), len(acted)),
                "refused_exact_of_flagged": _rate(sum(o.refused_exact for o in caught), len(caught)),
                "refused_reworded_of_flagged": _rate(sum(o.refused_near for o in caught), len(caught)),
            },
            "false_flags": {
                "queries": b.queries,
                "returned": b.returned,
                "flagged": b.flagged,
                "rate": _rate(b.flagged, b.returned),
                "query_rate": _rate(b.flagged_queries, b.queries),
                "by_code": dict(b.codes.most_common()),
            },
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_table(self) -> str:
        d = self.to_dict()

        def pct(x: float | None) -> str:
            return "  n/a" if x is None else f"{100 * x:5.1f}%"

        lines = [f"memory poisoning: {d['corpus']}, top-{d['top_k']}", "", f"{'group':<28} {'cases':>5}  {'off':>6}  {'on':>6}  {'reduction':>9}"]
        rows = [("all", d["attack_success"])]
        if d["held_out_families"]:
            rows += [("seen families", d["seen_families"]), ("held-out families", d["held_out_families"])]
        rows += [(f"  {k}", v) for k, v in d["by_family"].items()] + [(f"  lang {k}", v) for k, v in d["by_language"].items()]
        for name, g in rows:
            lines.append(f"{name:<28} {g['cases']:>5}  {pct(g['success_off'])}  {pct(g['success_on'])}  {pct(g['relative_reduction']):>9}")
        p, f = d["precedent"], d["false_flags"]
        lines += [
            "",
            f"re-learning a deleted record refused (guard on), of {p['acted_on_off']} records acted on: verbatim "
            f"{pct(p['refused_exact_on'])}, reworded as precedent {pct(p['refused_reworded_on'])}; of the {p['flagged']} flagged: "
            f"{pct(p['refused_exact_of_flagged'])}, {pct(p['refused_reworded_of_flagged'])}",
            f"false flags on benign-only stores: {f['flagged']}/{f['returned']} memories ({pct(f['rate'])}), "
            f"{pct(f['query_rate'])} of {f['queries']} queries",
        ]
        if f["by_code"]:
            lines.append("  by code: " + ", ".join(f"{k} {v}" for k, v in f["by_code"].items()))
        return "\n".join(lines)


# -- the run ---------------------------------------------------------------------------------


class PoisoningEvaluation:
    """Runs attacks and benign queries on real stores, guard off and on."""

    def __init__(self, embedder: Embedder | None = None, validator: ConsensusValidator | None = None, top_k: int = TOP_K) -> None:
        if embedder is None:
            from memveil.cloud.embedder import shared_embedder

            embedder = shared_embedder()
        self.embedder = embedder
        self.top_k = top_k
        self.validator = validator or ConsensusValidator(embedder, top_k=top_k)

    def run_generated(self, corpus: Corpus | None = None) -> PoisoningReport:
        corpus = corpus or generate()
        stores = {u.name: list(u.memories) for u in corpus.users}
        benign = benign_cases(corpus) + [PoisonCase("benign", attack_query(c), "", user=c.user) for c in corpus.cases]
        return self._run("generated (held-out families reported apart)", stores, list(corpus.cases), benign)

    def run_external(self, cases: Sequence[PoisonCase], name: str, padding: Corpus | None = None) -> PoisoningReport:
        """One store of the file's benign records for every attack; padded with a generated
        English user's memories when the file has fewer benign records than top-K."""
        pool = [c.record for c in cases if c.kind == "benign" and c.record]
        if len(pool) < self.top_k:
            pool += list((padding or generate(users_per_language=1, cases_per_family=0)).users[0].memories)
        attacks = [PoisonCase(**{**_fields(c), "user": "pool"}) for c in cases if c.kind == "poisoned"]
        queries = [c.query for c in cases if c.kind == "benign" and c.query] + [attack_query(c) for c in attacks]
        benign = [PoisonCase("benign", q, "", user="pool") for q in dict.fromkeys(queries)]
        return self._run(name, {"pool": list(dict.fromkeys(pool))}, attacks, benign)

    def _run(self, name: str, stores: dict[str, list[str]], attacks: list[PoisonCase], benign: list[PoisonCase]) -> PoisoningReport:
        with tempfile.TemporaryDirectory(prefix="memveil-poisoning-") as tmp:
            store = SQLiteStore(Path(tmp) / "memories.sqlite3")
            guard = MemoryGuard(self.validator, LessonStore(Path(tmp) / "lessons.sqlite3", self.embedder))
            service = MemoryService(store, SimpleEngine(self.embedder), self.embedder, guard)
            try:
                outcomes = [self._attack(service, n, case, stores[case.user]) for n, case in enumerate(attacks)]
                tally = self._benign(service, stores, benign)
            finally:
                store.close()
                guard.close()
        return PoisoningReport(name, self.top_k, outcomes, tally)

    def _attack(self, service: MemoryService, n: int, case: PoisonCase, base: list[str]) -> AttackOutcome:
        user, query = f"attack-{n}", attack_query(case)
        poison = service.bulk_add(TENANT, user, None, [*base, case.record])[-1].id
        # Report mode returns every hit with the flags: the guard-off and guard-on result sets
        # of one and the same search.
        screened = service.guarded_search(TENANT, user, None, query, self.top_k, "report")
        flag = next((f.code for f in screened.flags if f.memory_id == poison), None)
        retrieved = any(m.id == poison for m in screened.results)
        reached = retrieved and flag is None
        refused_exact = refused_near = False
        if retrieved:
            # The agent acted on it. Once it is deleted, can it come back as the user's own
            # statement, or reworded as precedent?
            service.delete(TENANT, poison)
            precedent = _PRECEDENT_PREFIX[case.language] + case.record
            refused_exact = not _stored(service.add(TENANT, user, None, [Message(role="user", content=case.record)]))
            refused_near = not _stored(service.add(TENANT, user, None, [Message(role="user", content=precedent)]))
        return AttackOutcome(case, retrieved, reached, flag, refused_exact, refused_near)

    def _benign(self, service: MemoryService, stores: dict[str, list[str]], benign: list[PoisonCase]) -> BenignTally:
        tally = BenignTally()
        for user, texts in stores.items():
            service.bulk_add(TENANT, f"clean-{user}", None, texts)
        for case in benign:
            screened = service.guarded_search(TENANT, f"clean-{case.user}", None, case.query, self.top_k, "report")
            tally.queries += 1
            tally.returned += len(screened.results)
            tally.flagged += len(screened.flags)
            tally.flagged_queries += bool(screened.flags)
            tally.codes.update(f.code for f in screened.flags)
        return tally


def _stored(changes: Sequence[Any]) -> bool:
    return any(c.event in ("ADD", "UPDATE") for c in changes)


def _fields(case: PoisonCase) -> dict[str, Any]:
    return {name: getattr(case, name) for name in PoisonCase.__slots__}
