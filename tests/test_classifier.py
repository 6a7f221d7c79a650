"""The transformer classifier: the shipped model, its errors, training, and how the
fact assembly uses number roles."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import extractor
from extractor.classify import set_default_classifier
from extractor.classify.data import Sources, build_examples, from_corrections, read_roles_jsonl
from extractor.classify.model import TransformerClassifier, default_model_dir
from extractor.cli import cli
from extractor.errors import ModelMissing

ROOT = Path(__file__).resolve().parents[1]


def _spans(text: str, *numbers: str) -> list[tuple[int, int]]:
    return [(text.index(n), text.index(n) + len(n)) for n in numbers]


# ------------------------------------------------------------------ the shipped model


def test_shipped_model_loads_offline_from_models_folder(real_classifier):
    assert default_model_dir() == ROOT / "extractor" / "models" / "minilm-finance"
    assert isinstance(real_classifier, TransformerClassifier)
    size = sum(f.stat().st_size for f in default_model_dir().iterdir())
    assert size < 40e6, "the artifact must stay small (int8 ONNX + tokenizer)"
    card = (default_model_dir() / "README.md").read_text(encoding="utf-8")
    assert "CC BY-NC-SA 3.0" in card and "sentiment:phrasebank" in card


@pytest.mark.parametrize("text, number, role", [
    ("The Technology Select Sector SPDR allocates over 32 percent of its weight to Apple and Microsoft.",
     "32 percent", "weight"),
    ("The $14.4 billion fund charges an expense ratio of 0.10%.", "$14.4 billion", "aum"),
    ("The $14.4 billion fund charges an expense ratio of 0.10%.", "0.10%", "rate"),
    ("Investors pulled $1.2 billion from HYG last week.", "$1.2 billion", "flow"),
    ("IWM is up just 2.7 percent year-to-date.", "2.7 percent", "return"),
    ("Goldman Sachs expects the S&P 500 to rise 10% next year.", "10%", "forecast"),
])
def test_real_model_labels_number_roles(real_classifier, text, number, role):
    pred = real_classifier.analyze([(text, _spans(text, number))])[0]
    assert pred.roles[0][0] == role


def test_real_model_gives_a_sentence_the_same_labels_whatever_its_batch(real_classifier):
    text = "Investors pulled $1.2 billion from HYG as the fund fell 3% to $80.10."
    spans = _spans(text, "$1.2 billion", "3%", "$80.10")
    others = [("A much longer sentence about the S&P 500, which rose 1.2% to 4,500 points on Tuesday "
               "while Treasury yields climbed to 4.3% and oil slid 2% to $75 a barrel.", [])] * 5
    alone = real_classifier.analyze([(text, spans)])[0]
    in_batch = real_classifier.analyze(others + [(text, spans)] + others)[5]
    assert alone == in_batch


def test_real_model_labels_sentence_sentiment(real_classifier):
    preds = real_classifier.predict([
        "Shares plunged 20% after the company slashed its outlook and warned of losses.",
        "Operating profit rose sharply and the company raised its full-year guidance.",
        "The annual general meeting will be held in Helsinki on March 3.",
    ])
    assert [p[0] for p in preds] == ["negative", "positive", "neutral"]
    assert preds[0][1] < 0 < preds[1][1]


def test_a_list_member_with_its_own_complement_is_no_move_with_or_without_the_model(monkeypatch):
    """"5 percent, while 32 percent of its assets ...": the second percent has its own
    complement, so it does not share the lead's move (the rules read it as a share)."""
    sentence = "date 2019-10-17\nXLK rose 5 percent, while 32 percent of its assets sit in Apple.\n"
    for mode in ("model", "lexicon"):
        set_default_classifier(None)
        monkeypatch.setenv("EXTRACTOR_CLASSIFIER", mode)
        assert [(r.ticker, r.value_pct) for r in extractor.extract(sentence).returns] == [("XLK", 5.0)], mode
    set_default_classifier(None)


@pytest.mark.parametrize("sentence, returns, flows", [
    # the rules alone read "lost $3 billion" as an outflow
    ("HYG, which lost $3 billion of market value, still manages $20 billion.", [], []),
])
def test_real_model_drops_what_the_rules_misread(real_classifier, monkeypatch, sentence, returns, flows):
    facts = extractor.extract("date 2019-10-17\n" + sentence + "\n")
    assert [(r.ticker, r.value_pct) for r in facts.returns] == returns
    assert [(f.ticker, f.amount_usd) for f in facts.flows] == flows
    set_default_classifier(None)
    monkeypatch.setenv("EXTRACTOR_CLASSIFIER", "lexicon")
    rules_only = extractor.extract("date 2019-10-17\n" + sentence + "\n")
    assert len(rules_only.returns) + len(rules_only.flows) > len(returns) + len(flows)


def test_extraction_with_the_real_model_keeps_claims_and_drops_weights(real_classifier):
    facts = extractor.extract(
        "date 2019-10-17\nTech funds draw money\n\n"
        "Investors poured $450 million into QQQ last week, and the $80 billion fund is up 18 percent "
        "this year. QQQ allocates about 12 percent of its weight to Apple.\n")
    assert [(f.ticker, f.direction, f.amount_usd) for f in facts.flows] == [("QQQ", "inflow", 450e6)]
    assert [(r.ticker, r.value_pct) for r in facts.returns] == [("QQQ", 18.0)]
    assert facts.flows[0].source == "model" and 0.5 < facts.flows[0].confidence <= 1.0


def test_extraction_never_imports_torch(tmp_path):
    """torch (when the train extra is installed) costs ~1.2 s and ~190 MB at start-up;
    spaCy's thinc would import it if we let it."""
    import subprocess
    import sys

    code = ("import sys, extractor; f = extractor.extract('date 2017-08-18\\nIWM is up 2.7 percent "
            "year-to-date.'); print(len(f.returns), 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert out.stdout.split() == ["1", "False"]


# ------------------------------------------------------------------ missing or broken model


def test_missing_model_folder_says_how_to_rebuild(tmp_path):
    with pytest.raises(ModelMissing, match=r"extractor train"):
        TransformerClassifier(tmp_path / "nowhere")


def test_corrupt_model_file_says_how_to_rebuild(tmp_path):
    for name in ("tokenizer.json", "labels.json"):
        (tmp_path / name).write_bytes((default_model_dir() / name).read_bytes())
    (tmp_path / "model.onnx").write_bytes(b"\x00not an onnx graph" * 100)
    with pytest.raises(ModelMissing, match=r"model.onnx: the classifier cannot be loaded.*extractor train"):
        TransformerClassifier(tmp_path)


def test_cli_with_broken_model_prints_one_line_and_exits_1(tmp_path, monkeypatch):
    set_default_classifier(None)
    monkeypatch.setenv("EXTRACTOR_MODEL", str(tmp_path / "gone"))
    article = tmp_path / "a.txt"
    article.write_text("IWM is up 2.7 percent year-to-date.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(article)])
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "extractor train" in lines[0]


def test_lexicon_setting_runs_without_any_model(tmp_path, monkeypatch):
    set_default_classifier(None)
    monkeypatch.setenv("EXTRACTOR_MODEL", str(tmp_path / "gone"))
    monkeypatch.setenv("EXTRACTOR_CLASSIFIER", "lexicon")
    facts = extractor.extract("date 2017-08-18\nIWM is up 2.7 percent year-to-date.\n")
    assert [r.value_pct for r in facts.returns] == [2.7]
    assert facts.returns[0].source == "rules"


# ------------------------------------------------------------------ roles in the fact assembly


def test_a_confident_other_role_vetoes_a_candidate_the_rules_inferred_from_afar(register_fake):
    # "up sharply" is far from the number: the rules read "32 percent" as AAPL's move
    text = "date 2019-10-17\nXLK, up sharply, now has 32 percent in Apple. SPY rose 5 percent this year.\n"
    register_fake({"32 percent": "weight", "5 percent": "other"})
    facts = extractor.extract(text)
    # "rose 5 percent" is a cue that governs its number: the model does not overrule it
    assert [(r.ticker, r.value_pct) for r in facts.returns] == [("SPY", 5.0)]
    assert facts.returns[0].confidence == pytest.approx(2 * 0.05 / 7, abs=1e-3)  # p(return) + p(forecast)


def test_an_unsure_classifier_leaves_the_rules_in_charge(register_fake):
    text = "date 2019-10-17\nXLK, up sharply, now has 32 percent in Apple.\n"
    register_fake({"32 percent": {"weight": 0.5, "return": 0.45}})  # 0.55 on other roles: < 0.6
    facts = extractor.extract(text)
    assert [(r.ticker, r.value_pct) for r in facts.returns] == [("AAPL", 32.0)]
    assert facts.returns[0].confidence == pytest.approx(0.45 + 0.05 / 6, abs=1e-3)


def test_a_list_member_with_its_own_complement_can_be_vetoed(register_fake):
    register_fake({"32 percent": "weight"})
    facts = extractor.extract("date 2019-10-17\nXLK rose 5 percent and 32 percent of the fund is Apple.\n")
    assert [(r.ticker, r.value_pct) for r in facts.returns] == [("XLK", 5.0)]


def test_a_bare_list_member_shares_the_leads_cue(register_fake):
    register_fake({"3.1%": "rate"})
    facts = extractor.extract("date 2022-05-06\nAGG and BND are down 3.2% and 3.1% year to date, respectively.\n")
    assert [(r.ticker, r.value_pct) for r in facts.returns] == [("AGG", -3.2), ("BND", -3.1)]


def test_a_flow_phrase_that_governs_its_amount_is_never_vetoed(register_fake):
    register_fake({"$1 billion": "other"})
    facts = extractor.extract("date 2022-09-01\nARKK still brought in $1 billion year to date.\n")
    assert [(f.ticker, f.direction, f.amount_usd) for f in facts.flows] == [("ARKK", "inflow", 1e9)]


def test_classifier_sees_only_sentences_that_refer_to_a_ticker(fake_classifier):
    extractor.extract("date 2019-10-17\nNothing to see in this line.\nSPY rose 5 percent.\n"
                      "Bakery sales rose 3 percent.\nThe fund is cheap.\n")
    assert fake_classifier.seen == ["SPY rose 5 percent.", "The fund is cheap."]


# ------------------------------------------------------------------ data and training


def test_role_files_are_valid_and_held_out_is_disjoint_from_training():
    written = [e for f in sorted((ROOT / "training/roles").glob("written*.jsonl")) for e in read_roles_jsonl(f)]
    heldout = read_roles_jsonl(ROOT / "training/roles/heldout.jsonl", split="test")
    assert len(heldout) >= 200 and sum(len(e.roles) for e in heldout) >= 400
    assert not {e.text for e in written} & {e.text for e in heldout}


def test_bad_role_line_names_file_and_line(tmp_path):
    f = tmp_path / "roles.jsonl"
    f.write_text('{"text": "SPY rose 5%.", "mentions": [{"text": "5%", "role": "return"}]}\n'
                 '{"text": "SPY rose 5%.", "mentions": [{"text": "7%", "role": "return"}]}\n', encoding="utf-8")
    with pytest.raises(Exception, match=r"roles.jsonl:2: mention '7%' is not in the text"):
        read_roles_jsonl(f)


def test_corrections_pick_the_claimed_number_and_keep_explicit_roles(tmp_path, db_path, make_facts):
    from extractor import store

    text = ("IWM, the $40 billion fund, saw $700 million of outflows last week. "
            "XLK jumped 32 percent this year.\n")
    db = store.open_db(db_path)
    store.write_article(db, make_facts(text, flows=[("IWM, the $40 billion fund, saw $700 million of outflows",
                                                     "IWM", "outflow", 7e8)],
                                       returns=[("XLK jumped 32 percent", "XLK", 32.0)]))
    db.execute("update flows set status = 'accepted'")
    db.execute("update returns set status = 'rejected'")
    db.execute("insert into corrections (fact_table, fact_id, field, old_value, new_value, created_at) "
               "values ('returns', 1, 'role', 'return', 'weight', '2026-11-20T00:00:00')")
    db.conn.commit()
    db.close()
    got = [(e.text, e.text[s:t], r) for e in from_corrections(db_path) for s, t, r in e.roles]
    assert got == [("IWM, the $40 billion fund, saw $700 million of outflows last week.", "$700 million", "flow"),
                   ("XLK jumped 32 percent this year.", "32 percent", "weight")]


@pytest.mark.parametrize("line, problem", [
    ('{"text": 5}', "non-empty string"),
    ('{"text": "SPY rose 5%.", "mentions": "5%"}', "must be a list"),
    ('{"text": "SPY rose 5%.", "mentions": [{"role": "return"}]}', "needs a \"text\" string"),
    ('{"text": "SPY rose 5%.", "mentions": [{"start": 50, "end": 40, "role": "return"}]}', "0 <= start < end"),
    ('{"text": "SPY rose 5%.", "mentions": [{"text": "5%", "role": "gain"}]}', "is not one of"),
    ('not json', "not JSON"),
])
def test_bad_role_lines_are_reported_with_file_and_line(tmp_path, line, problem):
    f = tmp_path / "roles.jsonl"
    f.write_text('{"text": "SPY rose 5%.", "mentions": [{"text": "5%", "role": "return"}]}\n' + line + "\n",
                 encoding="utf-8")
    result = CliRunner().invoke(cli, ["train", "--no-shared", "--roles", str(f), "--max-steps", "1",
                                      "--out", str(tmp_path / "m")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "roles.jsonl:2: " in result.output and problem in result.output


def test_train_refuses_an_out_folder_with_other_files(tmp_path):
    pytest.importorskip("torch")
    csv_file, _ = _tiny_data(tmp_path)
    out = tmp_path / "notes"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["train", "--no-shared", "--csv", str(csv_file), "--max-steps", "1",
                                      "--out", str(out)])
    assert result.exit_code == 1 and "holds other files (keep.txt)" in result.output
    assert (out / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_evaluate_without_data_says_what_to_pass(tmp_path):
    result = CliRunner().invoke(cli, ["evaluate", "--data", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no such folder" in result.output


def test_broken_labels_file_is_named(tmp_path):
    for name in ("tokenizer.json", "model.onnx"):
        (tmp_path / name).write_bytes((default_model_dir() / name).read_bytes())
    (tmp_path / "labels.json").write_text('{"sentiment": "positive", "roles": []}', encoding="utf-8")
    with pytest.raises(ModelMissing, match=r"labels.json: needs lists"):
        TransformerClassifier(tmp_path)


def test_corrections_become_training_labels(tmp_path, db_path, make_facts):
    from extractor import store

    text = "date 2017-08-18\nMore than $700 million has left IWM in the past couple sessions. IWM looks weak.\n"
    db = store.open_db(db_path)
    store.write_article(db, make_facts(text, flows=[("$700 million has left IWM", "IWM", "outflow", 7e8)],
                                       sentiment=[("IWM looks weak.", "IWM", "bearish", -0.6)]))
    db.execute("update flows set status = 'accepted'")
    db.execute("update sentiment set status = 'edited'")
    db.conn.commit()
    db.close()
    got = list(from_corrections(db_path))
    roles = [(e.text[s:t], r) for e in got for s, t, r in e.roles]
    assert roles == [("$700 million", "flow")]
    assert [(e.text, e.sentiment) for e in got if e.sentiment] == [("IWM looks weak.", "negative")]


def _tiny_data(tmp_path: Path) -> tuple[Path, Path]:
    rows = ["text,label"]
    for i in range(12):
        rows += [f"Profit rose {i} percent and the outlook improved,positive",
                 f"Shares plunged {i} percent on weak demand,negative",
                 f"The meeting is on day {i} of the month,neutral"]
    csv_file = tmp_path / "tiny.csv"
    csv_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    roles = tmp_path / "tiny_roles.jsonl"
    roles.write_text("\n".join(json.dumps({"text": f"Investors pulled ${i} million from HYG; the fund has "
                                                   f"${i + 5} billion in assets.",
                                           "mentions": [{"text": f"${i} million", "role": "flow"},
                                                        {"text": f"${i + 5} billion", "role": "aum"}]})
                               for i in range(1, 20)) + "\n", encoding="utf-8")
    return csv_file, roles


def test_tiny_training_run_writes_a_loadable_model_and_is_deterministic(tmp_path, db_path):
    pytest.importorskip("torch")
    csv_file, roles = _tiny_data(tmp_path)
    outs = []
    for run in ("a", "b"):
        out = tmp_path / f"model-{run}"
        result = CliRunner().invoke(cli, ["train", "--no-shared", "--csv", str(csv_file), "--roles", str(roles),
                                          "--max-steps", "3", "--epochs", "1", "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "sentiment:csv:tiny" in result.output
        outs.append(out)
    card = (outs[0] / "README.md").read_text(encoding="utf-8")
    assert "## Reproduce" in card and "--max-steps 3" in card
    a, b = (TransformerClassifier(o) for o in outs)
    text = "Investors pulled $3 million from HYG."
    pa, pb = a.analyze([(text, _spans(text, "$3 million"))])[0], b.analyze([(text, _spans(text, "$3 million"))])[0]
    assert pa.probs == pb.probs and pa.role_probs == pb.role_probs


def test_train_with_corrections_needs_the_database(tmp_path):
    result = CliRunner().invoke(cli, ["train", "--no-shared", "--with-corrections", "--db", str(tmp_path / "no.db")])
    assert result.exit_code == 1 and "no such database" in result.output


def test_base_model_loads_offline_from_the_package():
    pytest.importorskip("torch")
    from transformers import AutoModel

    from extractor.classify.train import base_model_path

    path = base_model_path(None)
    assert (path / "model.safetensors").is_file()
    model = AutoModel.from_pretrained(str(path))
    assert model.config.hidden_size == 384


def test_evaluate_prints_scores_for_a_users_csv(tmp_path, real_classifier):
    csv_file, _ = _tiny_data(tmp_path)
    result = CliRunner().invoke(cli, ["evaluate", "--data", str(tmp_path / "none"), "--csv", str(csv_file),
                                      "--all-rows"])
    assert result.exit_code == 0, result.output
    assert "sentiment:csv:tiny" in result.output and "roles:heldout" in result.output
    assert "|    36 |" in result.output  # a CSV without eval_split is scored whole


def test_build_examples_never_trains_on_held_out(tmp_path):
    heldout = ROOT / "training/roles/heldout.jsonl"
    first = heldout.read_text(encoding="utf-8").splitlines()[0]
    _, roles = _tiny_data(tmp_path)
    mine = tmp_path / "mine.jsonl"
    mine.write_text(roles.read_text(encoding="utf-8") + first + "\n", encoding="utf-8")  # a held-out line slips in
    ex = build_examples(Sources(roles=(mine,), heldout=(heldout,)))
    text = json.loads(first)["text"]
    assert {e.split for e in ex if e.text.strip() == text} == {"test"}
    assert any(e.split == "train" for e in ex)
