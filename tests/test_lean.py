"""The lean launcher (smtpbot/runtime/lean.py): Rasa without TensorFlow, and the plain `rasa run` still works."""

import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from stackkit import ROOT, TOKEN, BotClient, free_port, make_stack, texts


def run_python(code: str) -> str:
    """Run `code` in a fresh interpreter of this venv with the launcher's finder installed; its output."""
    prelude = (
        "import sys; sys.path.insert(0, %r); from smtpbot.runtime import lean; lean.install()\n"
        % str(ROOT)
    )
    done = subprocess.run(
        [sys.executable, "-c", prelude + code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_rasa_imports_without_loading_tensorflow_or_jax():
    """Rasa's server modules import; TensorFlow is a placeholder and jax is never imported."""
    out = run_python(
        "import rasa.core.agent, rasa.core.run, sys\n"
        "print(type(sys.modules['tensorflow']).__name__, 'jax' in sys.modules, "
        "'tensorflow.python' in sys.modules)"
    )
    assert out.split() == ["UnloadedModule", "False", "False"]


def test_other_libraries_see_no_tensorflow():
    """spaCy's thinc (imported after Rasa) sees no TensorFlow rather than a placeholder."""
    out = run_python(
        "import rasa.core.agent, spacy, thinc.compat\nprint(thinc.compat.has_tensorflow)"
    )
    assert out.split() == ["False"]


def test_using_tensorflow_fails_loudly():
    """A placeholder can be subclassed and named, but calling it raises ImportError naming the launcher."""
    from smtpbot.runtime import lean

    Callback = lean.placeholder("tensorflow.keras.callbacks.Callback")

    class Logger(Callback):
        pass

    assert not isinstance(object(), lean.placeholder("tensorflow.Tensor"))
    for use in (
        lambda: Logger(),
        lambda: lean.placeholder("tensorflow.constant")(1),
        lambda: Callback.nested.function(),
    ):
        with pytest.raises(ImportError, match="smtpbot.runtime.lean"):
            use()


def test_a_tensorflow_model_is_refused_at_load():
    """A model component that needs TensorFlow (Rasa's DIET layers) cannot be built: ImportError."""
    out = run_python(
        "import rasa.utils.tensorflow.models as m\n"
        "try:\n    m.RasaModel()\nexcept ImportError as e:\n    print('refused', 'smtpbot.runtime.lean' in str(e))"
    )
    assert out.split() == ["refused", "True"]


def test_plain_rasa_run_serves_the_bot(tmp_path):
    """`rasa run` itself (TensorFlow loaded, not the launcher) serves the same model: a guide's first step."""
    stack = make_stack(tmp_path, "plain-rasa", lean=False)
    assert stack.rasa_args()[0].endswith("rasa")
    try:
        stack.start()
        replies = texts(
            BotClient(f"http://127.0.0.1:{stack.rasa_port}", TOKEN).say(
                "plain-" + uuid.uuid4().hex[:8], "outlook 2013"
            )
        )
        assert "Step 1 of 9" in replies, replies
    finally:
        stack.stop()


def test_server_exits_when_the_model_needs_tensorflow(tmp_path):
    """A model with a TensorFlow component (DIET, trained for one epoch here) makes the lean
    server exit with EXIT_NEEDS_TENSORFLOW and say why, instead of serving without a model."""
    from smtpbot.runtime import lean

    (tmp_path / "config.yml").write_text(
        "recipe: default.v1\nlanguage: en\nassistant_id: tf-test\npipeline:\n  - name: WhitespaceTokenizer\n"
        "  - name: CountVectorsFeaturizer\n  - name: DIETClassifier\n    epochs: 1\npolicies: []\n"
    )
    (tmp_path / "nlu.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hello\n    - hi there\n'
        "- intent: bye\n  examples: |\n    - goodbye\n    - see you\n"
    )
    subprocess.run(
        [
            str(Path(sys.executable).parent / "rasa"),
            "train",
            "nlu",
            "--config",
            "config.yml",
            "--nlu",
            "nlu.yml",
            "--out",
            "models",
            "--fixed-model-name",
            "diet",
        ],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=600,
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "smtpbot.runtime.lean",
            "run",
            "--model",
            str(tmp_path / "models" / "diet.tar.gz"),
            "--port",
            str(free_port()),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == lean.EXIT_NEEDS_TENSORFLOW, done.stdout[-2000:] + done.stderr[-2000:]
    assert "The model needs TensorFlow" in done.stdout + done.stderr
