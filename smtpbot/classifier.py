"""Rasa's logistic-regression intent classifier, saved as plain arrays instead of skops.

Rasa's `LogisticRegressionClassifier` persists the fitted scikit-learn model with skops.
Importing `skops.io` builds its list of trusted types by scanning every loaded module for
every numpy/scipy ufunc; inside a Rasa process (TensorFlow loaded, thousands of modules)
that took about half of the server's start-up and most of the "training" time (profiled
with py-spy, see the README's Performance section). A linear model is fully described by
its coefficients, intercepts and class labels, so this subclass stores exactly those in a
`.npz` file (numpy, `allow_pickle=False`: no code can be loaded from the model archive) and
rebuilds the estimator on load. Training and prediction are Rasa's own code, unchanged.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, Text

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

logger = logging.getLogger(__name__)

FILE_NAME = "linear_model.npz"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class ArrayLogisticRegressionClassifier(LogisticRegressionClassifier):
    """`LogisticRegressionClassifier` (same config, training, prediction) with array persistence."""

    def persist(self) -> None:
        """Save the fitted coefficients, intercepts and labels (no pickle, no skops)."""
        with self._model_storage.write_to(self._resource) as model_dir:
            np.savez(model_dir / FILE_NAME, coef=self.clf.coef_, intercept=self.clf.intercept_,
                     classes=np.asarray(self.clf.classes_, dtype=str))

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> ArrayLogisticRegressionClassifier:
        """Rebuild the fitted estimator from the saved arrays; untrained if there are none."""
        component = cls(config, execution_context.node_name, model_storage, resource)
        try:
            with model_storage.read_from(resource) as model_dir:
                with np.load(model_dir / FILE_NAME, allow_pickle=False) as arrays:
                    component.clf.coef_ = arrays["coef"]
                    component.clf.intercept_ = arrays["intercept"]
                    component.clf.classes_ = arrays["classes"]
            component.clf.n_features_in_ = component.clf.coef_.shape[1]
        except (ValueError, FileNotFoundError):
            # Same as Rasa's: no trained model (e.g. no NLU data) -> an untrained component.
            logger.debug(f"No trained '{cls.__name__}' in resource '{resource.name}'.")
        return component
