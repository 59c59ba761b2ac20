#!/usr/bin/env python3
"""Score `kzqa ask --json` outputs against a question set with the measures of CONTRACTS.md ("Benchmark measures").

This is how sets are scored from outside the process: one `kzqa ask --json` call per question. The measures are the
same functions as `kzqa bench` (Sources/KZQA/Benchmark/Metrics.swift, ShortAnswerScoring.swift) so that the two can
be compared; `--compare` checks an in-process `kzqa bench --json` report against them. Python standard library only.

Answers come either from a file (`--answers`: JSONL, one `kzqa ask --json` object a line, matched to the questions by
an "id" key when present, else by the "question" text) or from running the binary (`--run`: one process per
question, with `--top 10` by default so that recall@10 and mrr@10 see ten passages). A question with no answer
(refused with an error, or missing from the file) counts as an abstention with nothing retrieved, as in the bench.

Examples:
  python3 scripts/score-answers.py --self-test
  python3 scripts/score-answers.py --questions benchmarks/check-questions.jsonl --run .build/release/kzqa \\
      --save /tmp/check-answers.jsonl --json /tmp/check-cli.json
  python3 scripts/score-answers.py --questions benchmarks/dev-questions.jsonl --answers /tmp/dev-answers.jsonl \\
      --compare benchmarks/results/latest.json
"""

import argparse
import json
import math
import subprocess
import sys
import time
import unicodedata

# Unicode White_Space (PropList.txt), the set Swift's `Unicode.Scalar.Properties.isWhitespace` tests.
WHITE_SPACE = set(
    [chr(c) for c in range(0x09, 0x0E)]
    + [" ", "\u0085", "\u00a0", "\u1680"]
    + [chr(c) for c in range(0x2000, 0x200B)]
    + ["\u2028", "\u2029", "\u202f", "\u205f", "\u3000"]
)

# The French articles of CONTRACTS.md "Benchmark measures" (l’ and d’ are handled as elisions).
ARTICLES = {"le", "la", "les", "un", "une", "des", "du", "de", "au", "aux"}

MEASURES = [
    "recall@1", "recall@3", "recall@5", "recall@10", "mrr@10", "ndcg@10", "answer_accuracy", "citation_accuracy",
    "abstain_recall", "false_abstain_rate", "short_answer_exact", "short_answer_f1", "first_citation_accuracy",
    "sentences_per_answer", "squad2_f1",
]


def normalize(text):
    """CONTRACTS normalisation: NFC, case-folded, white-space runs folded to one space, trimmed."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    out, pending = [], False
    for ch in folded:
        if ch in WHITE_SPACE:
            pending = True
            continue
        if pending and out:
            out.append(" ")
        pending = False
        out.append(ch)
    return "".join(out)


def contains_any(haystack, needles):
    text = normalize(haystack)
    return any(normalize(n) in text for n in needles) if needles else False


def tokens(text):
    """Short-answer tokens: normalised, elided l’/d’ dropped at a word start, P*/S* replaced by a space, articles
    dropped (ShortAnswerScoring.tokens)."""
    chars = normalize(text)
    out, i = [], 0
    while i < len(chars):
        ch = chars[i]
        starts_word = i == 0 or unicodedata.category(chars[i - 1])[0] not in "LMN"
        if starts_word and ch in "ld" and i + 1 < len(chars) and chars[i + 1] in "\u2019'":
            out.append(" ")
            i += 2
            continue
        out.append(" " if unicodedata.category(ch)[0] in "PS" else ch)
        i += 1
    return [t for t in "".join(out).split(" ") if t and t not in ARTICLES]


def exact(prediction, gold):
    return 1.0 if tokens(prediction) == tokens(gold) else 0.0


def f1(prediction, gold):
    predicted, expected = tokens(prediction), tokens(gold)
    if not predicted or not expected:
        return 1.0 if not predicted and not expected else 0.0
    remaining = {}
    for t in expected:
        remaining[t] = remaining.get(t, 0) + 1
    common = 0
    for t in predicted:
        if remaining.get(t, 0) > 0:
            remaining[t] -= 1
            common += 1
    if common == 0:
        return 0.0
    precision, recall = common / len(predicted), common / len(expected)
    return 2 * precision * recall / (precision + recall)


def best(score, prediction, golds):
    if prediction is None or not golds:
        return 0.0
    return max(score(prediction, g) for g in golds)


def share(items, predicate):
    items = list(items)
    return sum(1 for x in items if predicate(x)) / len(items) if items else 0.0


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def ndcg(relevance, k=10):
    count = sum(relevance)
    if k < 1 or count == 0:
        return 0.0
    dcg = sum(1 / math.log2(i + 2) for i, r in enumerate(relevance[:k]) if r)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(count, k)))
    return dcg / ideal


def percentile(values, p):
    s = sorted(v for v in values if math.isfinite(v))
    if not s:
        return 0.0
    h = (len(s) - 1) * p / 100
    lower = int(math.floor(h))
    upper = min(lower + 1, len(s) - 1)
    return s[lower] + (h - lower) * (s[upper] - s[lower])


class Outcome:
    """One question's outcome, as QuestionOutcome in Metrics.swift."""

    def __init__(self, question, answer):
        self.id = question["id"]
        self.answerable = question.get("answerable", True) is not False
        self.answers = question.get("answers") or []
        self.kind = question.get("kind")
        self.abstained = True if answer is None else bool(answer.get("abstained", False))
        passages = sorted((answer or {}).get("passages") or [], key=lambda p: p.get("rank", 0))
        texts = [p.get("text", "") for p in passages]
        if self.answerable and self.answers:
            needles = [normalize(a) for a in self.answers if normalize(a)]
            self.relevance = [any(n in normalize(t) for n in needles) for t in texts]
        else:
            self.relevance = [False] * len(texts)
        citations = sorted((answer or {}).get("citations") or [], key=lambda c: c.get("n", 0))
        self.quotes = [c.get("quote", "") for c in citations]
        self.text = (answer or {}).get("answer", "")
        short = (answer or {}).get("short_answer")
        self.short = None if self.abstained or not isinstance(short, dict) else short.get("text")

    @property
    def first_relevant_rank(self):
        if not self.answerable or True not in self.relevance:
            return None
        return self.relevance.index(True) + 1

    @property
    def answer_correct(self):
        if self.answerable:
            return not self.abstained and contains_any(self.text, self.answers)
        return self.abstained

    @property
    def citation_correct(self):
        return self.answerable and any(contains_any(q, self.answers) for q in self.quotes)

    @property
    def first_citation_correct(self):
        return self.answerable and not self.abstained and bool(self.quotes) and contains_any(self.quotes[0], self.answers)

    @property
    def short_exact(self):
        return best(exact, self.short, self.answers) if self.answerable and not self.abstained else 0.0

    @property
    def short_f1(self):
        return best(f1, self.short, self.answers) if self.answerable and not self.abstained else 0.0

    @property
    def squad2(self):
        return self.short_f1 if self.answerable else (1.0 if self.abstained else 0.0)


def measures(outcomes):
    answerable = [o for o in outcomes if o.answerable]
    unanswerable = [o for o in outcomes if not o.answerable]
    ranks = [o.first_relevant_rank for o in answerable]

    def recall(k):
        return share(ranks, lambda r: r is not None and 1 <= r <= k)

    return {
        "recall@1": recall(1), "recall@3": recall(3), "recall@5": recall(5), "recall@10": recall(10),
        "mrr@10": mean(1 / r if r is not None and r <= 10 else 0.0 for r in ranks),
        "ndcg@10": mean(ndcg(o.relevance) for o in answerable),
        "answer_accuracy": share(answerable, lambda o: o.answer_correct),
        "citation_accuracy": share([o for o in answerable if o.answer_correct], lambda o: o.citation_correct),
        "abstain_recall": share(unanswerable, lambda o: o.abstained),
        "false_abstain_rate": share(answerable, lambda o: o.abstained),
        "short_answer_exact": mean(o.short_exact for o in answerable),
        "short_answer_f1": mean(o.short_f1 for o in answerable),
        "first_citation_accuracy": share(answerable, lambda o: o.first_citation_correct),
        "sentences_per_answer": mean(len(o.quotes) for o in outcomes if not o.abstained),
        "squad2_f1": mean(o.squad2 for o in outcomes),
    }


def per_question(o, mode):
    return {
        "id": o.id, "mode": mode, "first_relevant_rank": o.first_relevant_rank, "answer_correct": o.answer_correct,
        "abstained": o.abstained, "short_answer": o.short,
        "short_answer_f1": round(o.short_f1, 4) if o.answerable else None,
        "first_citation_correct": o.first_citation_correct, "sentences": 0 if o.abstained else len(o.quotes),
    }


def load_jsonl(path, what):
    rows = []
    with open(path, encoding="utf-8-sig") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:
                sys.exit(f"error: {path} line {number}: not valid JSON ({error.msg}); each line must be one {what}")
    return rows


def run_binary(args, questions):
    """Asks every question through the CLI; returns ({id: answer or None}, {id: wall ms})."""
    answers, wall = {}, {}
    for q in questions:
        command = [args.run, "ask", "--json", "--top", str(args.top), "--mode", args.mode]
        if args.index:
            command += ["--index", args.index]
        command += ["--", q["question"]]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        wall[q["id"]] = (time.perf_counter() - start) * 1000
        if done.returncode != 0:
            print(f"note: {q['id']}: kzqa refused the question ({done.stderr.strip()[:160]}): counted as abstained",
                  file=sys.stderr)
            answers[q["id"]] = None
            continue
        try:
            answers[q["id"]] = json.loads(done.stdout)
        except json.JSONDecodeError:
            sys.exit(f"error: {q['id']}: `kzqa ask --json` printed something that is not one JSON object")
    return answers, wall


def match_answers(path, questions):
    by_id = {q["id"]: q for q in questions}
    by_text = {}
    for q in questions:
        by_text.setdefault(q["question"], []).append(q["id"])
    answers = {}
    for row in load_jsonl(path, "`kzqa ask --json` object"):
        if "id" in row and str(row["id"]) in by_id:
            qid = str(row["id"])
        elif len(by_text.get(row.get("question"), [])) == 1:
            qid = by_text[row["question"]][0]
        else:
            sys.exit(f"error: {path}: an answer matches no single question (question {row.get('question')!r}); "
                     "add the question's \"id\" to the line")
        answers[qid] = row
    missing = [q["id"] for q in questions if q["id"] not in answers]
    if missing:
        print(f"note: {len(missing)} questions have no answer in {path} and count as abstained: "
              + ", ".join(missing[:10]) + (" …" if len(missing) > 10 else ""), file=sys.stderr)
    return answers


def compare(path, mode, ours, rows):
    """Prints where an in-process `kzqa bench --json` report disagrees with these scores; returns the count."""
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    theirs = report.get("modes", {}).get(mode)
    if theirs is None:
        sys.exit(f"error: {path} has no mode {mode!r}; pass --mode with one of {', '.join(report.get('modes', {}))}")
    differences = 0
    for name in MEASURES:
        if name in theirs and abs(theirs[name] - ours[name]) > 1e-6:
            print(f"differs: {name}: bench {theirs[name]:.4f}, cli {ours[name]:.4f}")
            differences += 1
    bench_rows = {r["id"]: r for r in report.get("per_question", []) if r.get("mode") == mode}
    for row in rows:
        other = bench_rows.get(row["id"])
        if other is None:
            continue
        for key in ["first_relevant_rank", "answer_correct", "abstained", "short_answer", "first_citation_correct",
                    "sentences"]:
            if key in other and other[key] != row[key]:
                print(f"differs: {row['id']} {key}: bench {other[key]!r}, cli {row[key]!r}")
                differences += 1
    print(f"{differences} differences between {path} ({mode}) and the CLI answers", file=sys.stderr)
    return differences


def self_test():
    """The hand-computed cases of Tests/KZQATests/MetricsTests.swift, so that both implementations stay alike."""
    cases = [
        (tokens("L’étiquetage du contenu"), ["étiquetage", "contenu"]),
        (tokens("« au nord d’Almaty »"), ["nord", "almaty"]),
        (tokens("l'IA-Gov"), ["ia", "gov"]),
        (tokens("Kai-Fu Lee."), ["kai", "fu", "lee"]),
        (tokens("92\u202f%"), ["92"]),
        (tokens("1,2 billion de tengués"), ["1", "2", "billion", "tengués"]),
        (tokens("24ᵉ"), ["24ᵉ"]),
        (tokens("jusqu’en 2029"), ["jusqu", "en", "2029"]),
        (tokens("grand’mère"), ["grand", "mère"]),
        (tokens("Les Des UNE aux Au"), []),
        (tokens("ÉTATS-UNIS"), ["états", "unis"]),
        (round(f1("Zhaslan Madiyev", "Madiyev"), 9), round(2 / 3, 9)),
        (round(f1("le 2 octobre", "du 2 au 4 octobre"), 9), 0.8),
        (round(f1("la crypto, la crypto", "crypto"), 9), round(2 / 3, 9)),
        (f1("Astana", "Almaty"), 0.0),
        (exact("L’Union  européenne", "union Européenne"), 1.0),
        (exact("Union européenne", "européenne"), 0.0),
        (f1("les", "le"), 1.0),
        (f1("la", "Astana"), 0.0),
        (best(f1, None, ["Madiyev"]), 0.0),
        (normalize("  Le\u00a0Kazakhstan\u202f:  ÉTAT\n\tnumérique \r\n"), "le kazakhstan : état numérique"),
        (normalize("STRASSE") == normalize("Straße"), True),
    ]
    failures = [(n, got, want) for n, (got, want) in enumerate(cases, 1) if got != want]
    for n, got, want in failures:
        print(f"self-test case {n}: got {got!r}, expected {want!r}", file=sys.stderr)
    print(f"self-test: {len(cases) - len(failures)} of {len(cases)} cases pass")
    return not failures


def main():
    if sys.argv[1:] == ["--self-test"]:
        sys.exit(0 if self_test() else 1)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", required=True, help="question set (JSONL, CONTRACTS.md format)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--answers", help="JSONL of `kzqa ask --json` outputs, one a line")
    source.add_argument("--run", metavar="KZQA", help="run this kzqa binary once per question")
    parser.add_argument("--mode", default="hybrid", help="mode passed to --run and the report's mode name")
    parser.add_argument("--top", type=int, default=10, help="passages asked for with --run (default 10)")
    parser.add_argument("--index", help="index file passed to --run")
    parser.add_argument("--save", help="with --run: write the answers here (JSONL, each with its question's id)")
    parser.add_argument("--json", help="write a report shaped like `kzqa bench --json` here")
    parser.add_argument("--compare", metavar="BENCH_JSON",
                        help="an in-process `kzqa bench --json` report to check against (exit 1 when they differ)")
    parser.add_argument("--by-kind", action="store_true", help="also print the measures per question kind")
    args = parser.parse_args()

    questions = load_jsonl(args.questions, "question object")
    for n, q in enumerate(questions, 1):
        q["id"] = str(q.get("id", f"L{n}"))
    wall = {}
    if args.run:
        answers, wall = run_binary(args, questions)
        if args.save:
            with open(args.save, "w", encoding="utf-8") as f:
                for q in questions:
                    if answers.get(q["id"]) is not None:
                        f.write(json.dumps(dict(id=q["id"], **answers[q["id"]]), ensure_ascii=False) + "\n")
    else:
        answers = match_answers(args.answers, questions)

    outcomes = [Outcome(q, answers.get(q["id"])) for q in questions]
    ours = measures(outcomes)
    rows = [per_question(o, args.mode) for o in outcomes]
    answerable = sum(o.answerable for o in outcomes)
    print(f"{len(outcomes)} questions ({answerable} answerable, {len(outcomes) - answerable} unanswerable), "
          f"mode {args.mode}")
    print("| mode | " + " | ".join(MEASURES) + " |")
    print("|:--" + "|--:" * len(MEASURES) + "|")
    print(f"| {args.mode} | " + " | ".join(f"{ours[m]:.3f}" for m in MEASURES) + " |")
    if wall:
        values = list(wall.values())
        print(f"wall time per `kzqa ask` process (not the in-process latency): p50 {percentile(values, 50):.1f} ms, "
              f"p95 {percentile(values, 95):.1f} ms")
    if args.by_kind:
        kinds = sorted({o.kind or "-" for o in outcomes})
        print("\n| kind | questions | " + " | ".join(MEASURES) + " |")
        print("|:--|--:" + "|--:" * len(MEASURES) + "|")
        for kind in kinds:
            group = [o for o in outcomes if (o.kind or "-") == kind]
            m = measures(group)
            print(f"| {kind} | {len(group)} | " + " | ".join(f"{m[x]:.3f}" for x in MEASURES) + " |")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"questions": len(outcomes), "modes": {args.mode: ours}, "per_question": rows}, f,
                      ensure_ascii=False, indent=2, sort_keys=True)
            f.write("\n")
    if args.compare and compare(args.compare, args.mode, ours, rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
