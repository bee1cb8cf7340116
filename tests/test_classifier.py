"""TextIntentClassifier (smtpbot/understanding/classifier.py): the same predictions as scikit-learn, saved and loaded."""

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression

from smtpbot.tools.evaluate import PROBES as PROBE_SET
from smtpbot.tools.evaluate import REAL, load
from smtpbot.understanding.classifier import TextIntentClassifier

EXAMPLES = {
    "done": ["done", "ok done that", "next step please", "finished it", "next"],
    "go_back": ["go back", "previous step", "back one step", "the step before"],
    "human": ["talk to a person", "I want a human", "agent please", "help"],
}
PROBES = [
    "done!",
    "go back please",
    "can I talk to a human agent",
    "zzz",
    "",
    "Next   STEP",
    "ünïcode wörds",
    "next step, next step please",  # a word again: its n-grams come from the per-word cache
]


@pytest.fixture
def trained(tmp_path):
    """A classifier trained on EXAMPLES, its storage and resource."""
    storage = LocalModelStorage(tmp_path)
    resource = Resource("intent_classifier")
    component = TextIntentClassifier.create(
        {}, storage, resource, ExecutionContext(GraphSchema({}), "test")
    )
    data = TrainingData(
        [
            Message(data={"text": text, "intent": intent})
            for intent, texts in EXAMPLES.items()
            for text in texts
        ]
    )
    component.train(data)
    return component, storage, resource, data


def test_char_ngrams_are_scikit_learns_char_wb():
    """The character features are scikit-learn's char_wb 2-4 n-grams of the lowercased words."""
    component = TextIntentClassifier({}, None, None)
    text = "Outlook 2013, please!"
    sklearn = CountVectorizer(analyzer="char_wb", ngram_range=(2, 4)).build_analyzer()(
        "outlook 2013 please"
    )
    ours = component.ngrams(text)
    assert sorted(f[2:] for f in ours if f.startswith("c:")) == sorted(sklearn)
    assert [f for f in ours if f.startswith("w:")] == ["w:outlook", "w:2013", "w:please"]


TOKENISER_CASES = [
    "",
    "   ",
    ":)",
    "😀",
    "done 👍 thanks!!",
    "-- next step --",
    "10'000.00 or blabla@gmail.com",
    "see https://example.org/a?b=c#d (port 587)",
    "#hashtag & @user... ¿qué? «Outlook»",
    "e-mail, smtp.example.com:587; 'quoted' \"double\"",
    "Outlook 2016​ sendet keine Mails mehr",
    "邮件 发不出去 Foxmail 7.2",
]


def test_words_are_rasa_whitespace_tokenizers_words():
    """The classifier's words are the ones Rasa's WhitespaceTokenizer makes (lower-cased), on
    awkward strings, the probes and every third real message of the evaluation."""
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer

    component = TextIntentClassifier({}, None, None)
    rasa_tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    texts = TOKENISER_CASES + [i.text for i in load(PROBE_SET) + load(REAL)[::3]]
    for text in texts:
        tokens = rasa_tokenizer.tokenize(Message(data={"text": text}), "text")
        assert component.words(text) == [t.text.lower() for t in tokens if t.text.strip()], text


def test_probabilities_equal_scikit_learns_predict_proba(trained):
    """The fast scoring (vocabulary lookup + coefficients) gives scikit-learn's own probabilities."""
    component, _, _, data = trained
    vectorizer = CountVectorizer(analyzer=component.ngrams)
    features = vectorizer.fit_transform([m.get("text") for m in data.intent_examples])
    clf = LogisticRegression(
        C=component.config["C"],
        max_iter=component.config["max_iter"],
        tol=component.config["tol"],
        random_state=42,
        class_weight="balanced",
    )
    clf.fit(features, [m.get("intent") for m in data.intent_examples])
    assert list(clf.classes_) == component.classes
    for text in PROBES + PROBES:  # the second time, every word's n-grams are cached
        expected = clf.predict_proba(vectorizer.transform([text]))[0]
        assert np.allclose(component.probabilities(text), expected, atol=1e-9), text


def test_saved_model_loads_and_classifies(trained):
    """Loaded from the model storage: same probabilities; intent and ranking set like Rasa's classifiers."""
    component, storage, resource, _ = trained
    loaded = TextIntentClassifier.load(
        {}, storage, resource, ExecutionContext(GraphSchema({}), "test")
    )
    for text in PROBES:
        assert np.allclose(loaded.probabilities(text), component.probabilities(text))
    message = loaded.process([Message(data={"text": "go back one step"})])[0]
    assert message.get("intent")["name"] == "go_back"
    ranking = message.get("intent_ranking")
    assert [r["name"] for r in ranking][0] == "go_back" and len(ranking) == 3
    assert abs(sum(r["confidence"] for r in ranking) - 1) < 1e-9


def test_untrained_classifier_leaves_messages_alone(tmp_path):
    """No NLU data: the model holds nothing, and messages pass through without an intent."""
    storage = LocalModelStorage(tmp_path)
    loaded = TextIntentClassifier.load(
        {}, storage, Resource("empty"), ExecutionContext(GraphSchema({}), "test")
    )
    assert loaded.process([Message(data={"text": "hello"})])[0].get("intent") is None
