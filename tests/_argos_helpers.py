"""Build real `.argosmodel` packages offline: a sentencepiece model trained on a few hundred lines, a CTranslate2
Transformer with random weights, and a MiniSBD sentence splitter, zipped the way argostranslate installs them.

Random weights translate into gibberish: these packages test mechanics (installing, batching, agreement between
argostranslate and the batched path) and speed, never translation quality.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

NTREX = Path(__file__).resolve().parents[2] / "shared" / "data" / "ntrex-dev" / "documents.jsonl"
THREE_LETTER = {"de": "deu", "es": "spa", "fr": "fra", "en": "eng", "it": "ita", "pt": "por"}


@dataclass(frozen=True)
class ModelShape:
    """The size of the random Transformer. BASE has the shape of a published Argos model (Transformer base)."""

    layers: int = 2
    d_model: int = 64
    heads: int = 4
    ffn: int = 128
    # Sentencepiece pieces, trained on this many NTREX lines; the model's vocabulary is padded up to `vocab`.
    pieces: int = 300
    training_lines: int = 400
    vocab: int = 300
    quantization: str = "float32"
    # Output logits this spread out make one token clearly the likeliest at each step, so rounding differences
    # between batch shapes cannot flip a choice; the bias on </s> ends outputs at sentence length.
    logit_scale: float = 8.0
    eos_bias: float = 11.0
    # With a vocabulary of thousands, a flat bias ends outputs at once or never. BASE instead raises </s> with the
    # decoding step: its projection reads a slow sine of the position encodings (sin(t / 60)).
    eos_ramp: float = 0.0
    weight_std: float = 0.1


# The position-encoding dimension that </s> reads, as a share of 512: sin(t / 60) rises over the first 90 steps.
RAMP_DIMENSION = 228

TINY = ModelShape()
# Weights of a usual initialisation scale (0.02) and the </s> ramp end outputs of NTREX sentences at 42–48
# tokens, about the length of their inputs, as a real model's would.
BASE = ModelShape(layers=6, d_model=512, heads=8, ffn=2048, pieces=4000, training_lines=4000, vocab=32000,
                  quantization="int8", weight_std=0.02, eos_ramp=100.0, eos_bias=0.0)


def ntrex_sentences(*languages: str) -> list[str]:
    """Real sentences from the shared NTREX sample, in the languages given (three-letter codes)."""
    documents = [json.loads(line) for line in NTREX.read_text(encoding="utf-8").splitlines()]
    return [sentence for document in documents for language in languages for sentence in document["sentences"][language]]


@pytest.fixture(scope="session")
def argos_files(tmp_path_factory) -> dict[str, Path]:
    """Three tiny packages, built once per test session: de-en directly, and de-es + es-en for a pivot."""
    folder = tmp_path_factory.mktemp("argosmodels")
    return {pair: build_argosmodel(folder, from_code=pair[:2], to_code=pair[3:], version=version, seed=seed)
            for seed, (pair, version) in enumerate([("de-en", "1.9"), ("de-es", "1.0"), ("es-en", "1.1")])}


def build_argosmodel(folder: Path, *, from_code: str, to_code: str, version: str = "1.0",
                     shape: ModelShape = TINY, seed: int = 0) -> Path:
    """Write `translate-<from>_<to>-<version>.argosmodel` into `folder` and return its path."""
    import sentencepiece as spm

    lines = ntrex_sentences(THREE_LETTER.get(from_code, "deu"), THREE_LETTER.get(to_code, "eng"))
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(lines[:shape.training_lines]), model_writer=model,
                                   vocab_size=shape.pieces, model_type="unigram", character_coverage=1.0,
                                   minloglevel=2, hard_vocab_limit=False)
    processor = spm.SentencePieceProcessor(model_proto=model.getvalue())
    vocabulary = [processor.id_to_piece(index) for index in range(processor.get_piece_size())]
    vocabulary += [f"<unused{index}>" for index in range(shape.vocab - len(vocabulary))]

    name = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    staging = folder / f".{name}"
    _save_ctranslate2_model(staging / "model", vocabulary, shape, seed)
    metadata = {"package_version": version, "argos_version": "1.0", "from_code": from_code, "to_code": to_code,
                "from_name": from_code, "to_name": to_code, "type": "translate",
                "links": [f"http://127.0.0.1/{name}.argosmodel"]}
    files = {
        "metadata.json": json.dumps(metadata).encode(),
        "sentencepiece.model": model.getvalue(),
        "minisbd/never-split.onnx": never_split_sbd_model(),
        "README.md": b"Random weights for tests: outputs are not translations.\n",
    }
    files.update({f"model/{path.name}": path.read_bytes() for path in sorted((staging / "model").iterdir())})
    package = folder / f"{name}.argosmodel"
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in files.items():
            archive.writestr(f"{name}/{path}", content)
    shutil.rmtree(staging)
    return package


def _save_ctranslate2_model(folder: Path, vocabulary: list[str], shape: ModelShape, seed: int) -> None:
    from ctranslate2.specs import TransformerSpec, common_spec

    rng = np.random.default_rng(seed)
    d, vocab = shape.d_model, len(vocabulary)

    def weights(*dims):
        return (rng.standard_normal(dims) * shape.weight_std).astype(np.float32)

    def linear(spec, out_dim, in_dim):
        spec.weight, spec.bias = weights(out_dim, in_dim), weights(out_dim)

    def norm(spec):
        spec.gamma, spec.beta = np.ones(d, np.float32), np.zeros(d, np.float32)

    def ffn(spec):
        norm(spec.layer_norm)
        linear(spec.linear_0, shape.ffn, d)
        linear(spec.linear_1, d, shape.ffn)

    spec = TransformerSpec.from_config((shape.layers, shape.layers), shape.heads, pre_norm=True,
                                       activation=common_spec.Activation.RELU)
    positions = _sinusoids(1024, d)
    for side in (spec.encoder, spec.decoder):
        for embedding in side.embeddings if isinstance(side.embeddings, list) else [side.embeddings]:
            embedding.weight = weights(vocab, d)
        side.position_encodings.encodings = positions
        norm(side.layer_norm)
    for layer in spec.encoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        ffn(layer.ffn)
    for layer in spec.decoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], d, d)
        linear(layer.attention.linear[1], 2 * d, d)
        linear(layer.attention.linear[2], d, d)
        ffn(layer.ffn)
    spec.decoder.projection.weight = weights(vocab, d) * (shape.logit_scale / shape.weight_std / np.sqrt(d))
    spec.decoder.projection.bias = np.zeros(vocab, np.float32)
    eos = vocabulary.index("</s>")
    spec.decoder.projection.bias[eos] = shape.eos_bias
    if shape.eos_ramp:
        # Keep the ramp's dimension of the decoder's residual stream to the position encoding alone.
        ramp = RAMP_DIMENSION * d // 512
        for embedding in spec.decoder.embeddings if isinstance(spec.decoder.embeddings, list) else [spec.decoder.embeddings]:
            embedding.weight[:, ramp] = 0.0
        for layer in spec.decoder.layer:
            for output in (layer.self_attention.linear[1], layer.attention.linear[2], layer.ffn.linear_1):
                output.weight[ramp], output.bias[ramp] = 0.0, 0.0
        spec.decoder.projection.weight[eos] = 0.0
        spec.decoder.projection.weight[eos, ramp] = shape.eos_ramp
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=shape.quantization)
    folder.mkdir(parents=True, exist_ok=True)
    spec.save(str(folder))


def _sinusoids(length: int, d: int) -> np.ndarray:
    position = np.arange(length)[:, None]
    scale = np.exp(np.arange(0, d, 2) * -(np.log(10000.0) / d))
    table = np.zeros((length, d), np.float32)
    table[:, 0::2], table[:, 1::2] = np.sin(position * scale), np.cos(position * scale)
    return table


def never_split_sbd_model() -> bytes:
    """A MiniSBD model (ONNX) that never splits: argostranslate then treats each passage as one sentence, as
    Parallax's passages already are. Shipping it in the package keeps argostranslate from downloading one."""
    import onnx
    from onnx import TensorProto, helper

    # Logits for (no break, token end, sentence end, ...): class 0 always wins.
    bias = helper.make_tensor("bias", TensorProto.FLOAT, [5], [1.0, 0.0, 0.0, 0.0, 0.0])
    weight = helper.make_tensor("weight", TensorProto.FLOAT, [1, 5], [0.0] * 5)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["features", "weight"], ["scores"]),
         helper.make_node("Add", ["scores", "bias"], ["logits"]),
         helper.make_node("Identity", ["units"], ["units_seen"])],
        "never-split",
        [helper.make_tensor_value_info("units", TensorProto.INT64, ["batch", "length"]),
         helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", "length", 1])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "length", 5]),
         helper.make_tensor_value_info("units_seen", TensorProto.INT64, ["batch", "length"])],
        initializer=[weight, bias])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    config = {"feat_funcs": ["space_before"], "max_seqlen": 1000, "batch_size": 32}
    vocab = {"lang": "xx", "idx": 0, "cutoff": 0, "lower": False,
             "_unit2id": {"<PAD>": 0, "<UNK>": 1}, "_id2unit": ["<PAD>", "<UNK>"]}
    for key, value in {"lang_code": "xx", "config": json.dumps(config), "vocab": json.dumps(vocab)}.items():
        model.metadata_props.add(key=key, value=value)
    onnx.checker.check_model(model)
    return model.SerializeToString()
