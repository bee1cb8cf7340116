"""The label agreement study (tests/eval/label_agreement.yml) and its figures."""

from smtpbot.tools.agreement import agreement, current_labels, load_study


def test_agreement_counts_per_split_and_overall():
    items = [
        {"split": "test", "expect": "a", "r1": "a", "r2": "b"},
        {"split": "test", "expect": "b", "r1": "b", "r2": "b"},
        {"split": "dev", "expect": "c", "r1": "d", "r2": "d"},
    ]
    assert agreement(items, "r1", "expect") == {"test": (2, 2), "dev": (0, 1), "all": (2, 3)}
    assert agreement(items, "r1", "r2") == {"test": (1, 2), "dev": (1, 1), "all": (2, 3)}


def test_study_items_are_items_of_the_evaluation_set_with_their_labels():
    now = current_labels()
    study = load_study()
    assert len(study) == 315
    assert all(item["sha1"] in now for item in study)
    # the file's labels have not changed since the study (else say so in its header)
    assert [item["expect"] for item in study] == [now[item["sha1"]] for item in study]
