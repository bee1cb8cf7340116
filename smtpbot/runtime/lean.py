"""`python -m smtpbot.runtime.lean run ...`: Rasa's own command line, without loading TensorFlow.

Rasa 3.6 imports TensorFlow (and with it jax) in every server process, through its featurizers
and training helpers, even when no component of the model uses it - this bot's pipeline is
scikit-learn and spaCy only. That import is ~375 MB of the server's memory and several seconds
of its start-up (README "Performance"). This launcher runs the same `rasa` command with a
placeholder for TensorFlow's modules, for Rasa's own modules only:

- a Rasa module importing `tensorflow` gets `Unloaded` placeholders, good for what those modules
  do at import time (base classes, type hints, constants); any *use* - calling a function,
  creating an object - raises ImportError naming the launcher, so a model with a TensorFlow
  component (DIET, TED) fails loudly at load, never silently;
- any other importer (thinc, scikit-learn) gets ImportError, as if TensorFlow were not
  installed, which those libraries handle.

`rasa run` works unchanged (with TensorFlow loaded); `make run` and the tests use this launcher.
For a Rasa server it also installs the patches to Rasa (smtpbot/runtime/patches), as the
project's tracker stores do in any `rasa run`.
With `--enable-api`, the launcher takes RASA_TOKEN and RASA_JWT_SECRET from its environment
(`secrets_from_env`), so the secrets never appear on a command line.
"""

import importlib.abc
import importlib.machinery
import logging
import os
import sys
import types
from typing import Any, Dict, List, Optional, Sequence

from smtpbot import settings

logger = logging.getLogger(__name__)

# Top-level packages kept out of the process (jax is imported by TensorFlow only).
UNLOADED = (
    "tensorflow",
    "tensorflow_addons",
    "tensorflow_hub",
    "tensorflow_text",
    "tensorflow_probability",
    "keras",
    "jax",
    "jaxlib",
)
HINT = (
    "is not loaded in this server (smtpbot.runtime.lean keeps TensorFlow out); "
    "use `rasa run` for a model with TensorFlow components"
)
# Exit status when the model needs TensorFlow (sysexits' EX_CONFIG).
EXIT_NEEDS_TENSORFLOW = 78
# What the process tried to use (names of placeholders called), for the exit message.
REFUSED: List[str] = []


class _UnloadedMeta(type):
    """Metaclass of the placeholders: attributes are more placeholders, calls raise ImportError."""

    def __getattr__(cls, attr: str) -> Any:
        """`tf.keras.layers.Layer` and the like: a placeholder named after its path."""
        if attr.startswith("__"):
            raise AttributeError(attr)
        return placeholder(f"{cls.__qualname__}.{attr}")

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        """Using TensorFlow (a call, an object) is refused loudly."""
        REFUSED.append(cls.__qualname__)
        raise ImportError(f"{cls.__qualname__} {HINT}")


class Unloaded(metaclass=_UnloadedMeta):
    """Base of every placeholder class (so `isinstance(x, tf.Tensor)` is simply False)."""


def placeholder(name: str) -> type:
    """A placeholder class for the TensorFlow object `name` (subclassable, never callable)."""
    cls = _UnloadedMeta(name.rsplit(".", 1)[-1], (Unloaded,), {"__module__": __name__})
    cls.__qualname__ = name
    return cls


class UnloadedModule(types.ModuleType):
    """A placeholder module: its attributes are placeholder classes."""

    def __getattr__(self, attr: str) -> Any:
        """Any attribute of the module: a placeholder (dunder names stay missing)."""
        if attr.startswith("__"):
            raise AttributeError(attr)
        return placeholder(f"{self.__name__}.{attr}")


def _importer_is_rasa() -> bool:
    """Whether the import statement being run is in one of Rasa's modules."""
    frame = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if not module.startswith(("importlib", "_frozen_importlib")) and module != __name__:
            return module == "rasa" or module.startswith("rasa.")
        frame = frame.f_back
    return False


class UnloadedFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds UNLOADED packages: placeholders for Rasa's modules, ImportError for anyone else."""

    def find_spec(self, fullname: str, path: Optional[Sequence[str]], target: Any = None) -> Any:
        """A placeholder spec for an UNLOADED package imported by Rasa."""
        if fullname.split(".", 1)[0] not in UNLOADED:
            return None
        if not _importer_is_rasa():
            raise ImportError(f"{fullname} {HINT}", name=fullname)
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        """The placeholder module."""
        module = UnloadedModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run."""


def install() -> None:
    """Put the finder first on the import path (once)."""
    if not any(isinstance(finder, UnloadedFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, UnloadedFinder())


def exit_if_model_needs_tensorflow() -> None:
    """Stop the server when its model could not load for want of TensorFlow.

    Rasa logs a model that fails to load and keeps serving with no model ("Ignoring message as
    there is no agent"); here that would be a bot that never answers, so the process exits
    (EXIT_NEEDS_TENSORFLOW) saying why, and whoever started it sees it at once.
    """
    import rasa.core.agent

    load_agent = rasa.core.agent.load_agent

    async def load_or_exit(*args: Any, **kwargs: Any) -> Any:
        """Rasa's load_agent; exit if it failed on a TensorFlow placeholder."""
        agent = await load_agent(*args, **kwargs)
        if REFUSED and (agent is None or not agent.is_ready()):
            logger.critical(f"The model needs TensorFlow: {REFUSED[0]} {HINT}.")
            logging.shutdown()
            os._exit(EXIT_NEEDS_TENSORFLOW)
        return agent

    rasa.core.agent.load_agent = load_or_exit


def secrets_from_env(argv: List[str], environ: Optional[Dict[str, str]] = None) -> List[str]:
    """`argv` plus `--auth-token $RASA_TOKEN` / `--jwt-secret $RASA_JWT_SECRET` when the API is
    enabled and they are not given: Rasa reads them only from its arguments, and this list stays
    inside the process (`ps` and /proc/<pid>/cmdline show the launcher's real command line)."""
    if "--enable-api" not in argv:
        return list(argv)
    extra: List[str] = []
    for option, setting in (
        ("--auth-token", settings.RASA_TOKEN),
        ("--jwt-secret", settings.RASA_JWT_SECRET),
    ):
        value = setting.get(environ)
        if value and not any(arg == option or arg.startswith(option + "=") for arg in argv):
            extra += [option, value]
    return [*argv, *extra]


def main() -> None:
    """Run Rasa's command line (`rasa run ...`) with TensorFlow kept out.

    A Rasa server (`run`, not `run actions`) also gets this project's patches to Rasa
    (smtpbot/runtime/patches), checked against the installed Rasa before it starts.
    """
    install()
    exit_if_model_needs_tensorflow()
    if sys.argv[1:2] == ["run"] and "actions" not in sys.argv[2:3]:
        from smtpbot.runtime.patches import install_all_or_exit

        install_all_or_exit()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *secrets_from_env(sys.argv[1:])]
    rasa_main()


if __name__ == "__main__":
    main()
