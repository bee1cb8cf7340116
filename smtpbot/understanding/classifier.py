"""The intent classifier: character and word n-grams into a logistic regression, in one component.

Rasa's `LogisticRegressionClassifier` persists the fitted model with skops, whose import
scans every loaded module (about half of the server's start-up, measured with py-spy), and
receives its features from two `CountVectorsFeaturizer`s through per-token sparse matrices.
This component fits the same kind of model with scikit-learn and stores exactly what a linear
model is - vocabulary, coefficients, intercepts, class labels - as JSON and a `.npz` file
(numpy, `allow_pickle=False`: no code can be loaded from the model archive).
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Optional, Text

import numpy as np
import rasa.utils.io
import regex
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import RANKING_LENGTH

logger = logging.getLogger(__name__)

FILE_NAME = "linear_model.npz"
# Rasa's WhitespaceTokenizer's separators, as in its tokenize() (rasa 3.6): non-word characters
# at a word's end, at its start (unless a digit follows) and inside it (unless between digits or
# URL and e-mail characters). `tests/test_classifier.py` checks the words are the same.
WORD_BOUNDARIES = regex.compile(
    r"[^\w#@&]+(?=\s|$)|"
    r"(\s|^)[^\w#@&]+(?=[^0-9\s])|"
    r"(?<=[^0-9\s])[^\w._~:/?#\[\]()@!$&*+,;=-]+(?=[^0-9\s])"
)
VOCABULARY_FILE = "vocabulary.json"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TextIntentClassifier(GraphComponent, IntentClassifier):
    """Intent classifier straight from the message text: character (2-4, within words) and word
    n-gram counts into a logistic regression, as Rasa's CountVectorsFeaturizer x2 +
    LogisticRegressionClassifier compute it, in one component.

    Why one component: in Rasa's pipeline each message's n-grams become per-token sparse
    matrices that are stacked, combined and converted several times before the regression sees
    them; profiling the server (README "Performance") put that at ~4.5 ms of the ~7 ms of NLU
    per message. Here scikit-learn fits the same model at training time, and prediction looks
    the message's n-grams up in the saved vocabularies and adds the matching coefficients
    (~0.3 ms). The model is saved as JSON vocabularies and numpy arrays (no pickle).
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """N-gram ranges and the regression's settings (Rasa's defaults, balanced classes)."""
        return {
            "char_ngrams": [2, 4],
            "word_ngrams": [1, 1],
            "max_iter": 200,
            "C": 1.0,
            "tol": 1e-4,
            "random_state": 42,
            RANKING_LENGTH: LABEL_RANKING_LENGTH,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[Dict[Text, Any]] = None,
    ) -> None:
        """A classifier with its trained model (vocabularies, coefficients), if any."""
        self.config = {**self.get_default_config(), **config}
        self._model_storage, self._resource = model_storage, resource
        self.vocabulary: Dict[Text, int] = {}
        self.coef = self.intercept = None
        self.classes: List[Text] = []
        self._emoji = rasa.utils.io.get_emoji_regex().fullmatch
        self._word_cache: Dict[Text, np.ndarray] = {}  # see _word_scores()
        if model:
            self.vocabulary = model["vocabulary"]
            self.coef, self.intercept, self.classes = (
                model["coef"],
                model["intercept"],
                list(model["classes"]),
            )

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TextIntentClassifier:
        """An untrained classifier."""
        return cls(config, model_storage, resource)

    def words(self, text: Text) -> List[Text]:
        """The words Rasa's WhitespaceTokenizer makes (punctuation around words dropped,
        "e-mail" kept), lower-cased: its own regular expression and emoji filter, without the
        Message and Token objects it builds around them (a sixth of the classifier's time)."""
        words = [w for w in WORD_BOUNDARIES.sub(" ", text).split() if not self._emoji(w)]
        return [word.lower() for word in (words or [text]) if word.strip()]

    def char_ngrams(self, word: Text) -> List[Text]:
        """A word's "c:" features: its character n-grams, padded as scikit-learn's char_wb."""
        low, high = self.config["char_ngrams"]
        padded = f" {word} "
        return [
            "c:" + padded[i : i + n]
            for n in range(low, high + 1)
            for i in range(max(len(padded) - n + 1, 1))
        ]

    def word_ngrams(self, words: List[Text]) -> List[Text]:
        """The message's "w:" features: its word n-grams."""
        low, high = self.config["word_ngrams"]
        return [
            "w:" + " ".join(words[i : i + n])
            for n in range(low, high + 1)
            for i in range(len(words) - n + 1)
        ]

    def ngrams(self, text: Text) -> List[Text]:
        """The message's features: "c:" character n-grams within words, "w:" word n-grams."""
        words = self.words(text)
        return [f for word in words for f in self.char_ngrams(word)] + self.word_ngrams(words)

    def _word_scores(self, word: Text) -> np.ndarray:
        """Every class's score from a word's character n-grams (those the model knows): the
        sum of their coefficients, each n-gram as often as it occurs in the word.

        Kept per word: customers' words repeat, and a word's n-grams are most of a message's
        features. Bounded like the KB matcher's typo cache.
        """
        scores = self._word_cache.get(word)
        if scores is None:
            found = (self.vocabulary.get(f) for f in self.char_ngrams(word))
            scores = self.coef[:, [i for i in found if i is not None]].sum(axis=1)
            if len(self._word_cache) < 50_000:
                self._word_cache[word] = scores
        return scores

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the regression on the intent examples' n-gram counts and save it."""
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.linear_model import LogisticRegression

        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            logger.debug(f"No intent examples: '{self.__class__.__name__}' stays untrained.")
            return self._resource
        vectorizer = CountVectorizer(analyzer=self.ngrams)
        features = vectorizer.fit_transform([e.get(TEXT) for e in examples])
        clf = LogisticRegression(
            C=self.config["C"],
            max_iter=self.config["max_iter"],
            tol=self.config["tol"],
            random_state=self.config["random_state"],
            class_weight="balanced",
        )
        clf.fit(features, [e.get(INTENT) for e in examples])
        self.vocabulary = {k: int(v) for k, v in vectorizer.vocabulary_.items()}
        self.coef, self.intercept, self.classes = (
            clf.coef_,
            clf.intercept_,
            [str(c) for c in clf.classes_],
        )
        with self._model_storage.write_to(self._resource) as model_dir:
            (model_dir / VOCABULARY_FILE).write_text(json.dumps(self.vocabulary), encoding="utf-8")
            np.savez(
                model_dir / FILE_NAME,
                coef=self.coef,
                intercept=self.intercept,
                classes=np.asarray(self.classes, dtype=str),
            )
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TextIntentClassifier:
        """The trained classifier; untrained when the model holds none (no NLU data)."""
        try:
            with model_storage.read_from(resource) as model_dir:
                vocabulary = json.loads((model_dir / VOCABULARY_FILE).read_text(encoding="utf-8"))
                with np.load(model_dir / FILE_NAME, allow_pickle=False) as arrays:
                    model = {
                        "vocabulary": vocabulary,
                        "coef": arrays["coef"],
                        "intercept": arrays["intercept"],
                        "classes": [str(c) for c in arrays["classes"]],
                    }
        except (ValueError, FileNotFoundError):
            logger.debug(f"No trained '{cls.__name__}' in resource '{resource.name}'.")
            model = None
        return cls(config, model_storage, resource, model)

    def probabilities(self, text: Text) -> np.ndarray:
        """P(intent | text) for every class, in `self.classes` order (softmax of the scores)."""
        words = self.words(text)
        found = (self.vocabulary.get(f) for f in self.word_ngrams(words))
        columns = [i for i in found if i is not None]
        # Sums, not `@`: a product this small through BLAS wakes its worker threads, which
        # then spin (twice the CPU time of the wall time, measured)
        scores = self.intercept + self.coef[:, columns].sum(axis=1)
        if words:
            scores = scores + np.sum([self._word_scores(word) for word in words], axis=0)
        if len(self.classes) == 2:  # binary regression: one score for the second class
            scores = np.array([0.0, scores[0]])
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()

    def process(self, messages: List[Message]) -> List[Message]:
        """Set each message's intent and intent ranking (as Rasa's classifiers do)."""
        if self.coef is None:
            return messages
        for message in messages:
            probabilities = self.probabilities(message.get(TEXT) or "")
            ranking = sorted(
                (
                    {"name": name, "confidence": float(p)}
                    for name, p in zip(self.classes, probabilities)
                ),
                key=lambda entry: -entry["confidence"],
            )
            if self.config[RANKING_LENGTH] > 0:
                ranking = ranking[: self.config[RANKING_LENGTH]]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
