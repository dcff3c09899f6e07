"""The tagger's training command: a step budget stops it at the same point on any machine."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("torch")
pytest.importorskip("faker")

from memveil.models.tagger.train import main  # noqa: E402


def test_step_budget_stops_training_and_saves_a_loadable_run(tmp_path):
    main(["--examples", "300", "--dev", "40", "--steps", "3", "--threads", "1", "--out", str(tmp_path)])

    report = json.loads((tmp_path / "train_report.json").read_text())
    assert report["steps"] == 3
    assert report["args"]["device"] == "cpu"
    assert report["dev"]["all"]["support"] > 0
    labels = json.loads((tmp_path / "labels.json").read_text())
    config = json.loads((tmp_path / "config.json").read_text())
    assert len(config["id2label"]) == len(labels["labels"])
    from transformers import BertForTokenClassification

    model = BertForTokenClassification.from_pretrained(tmp_path)
    assert model.config.num_labels == len(labels["labels"])
