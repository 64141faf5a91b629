"""What the evaluation services announce (through `core.changes`) when counted results change."""

from dataclasses import dataclass


@dataclass(frozen=True)
class EvaluationsRegistered:
    evaluations: list


@dataclass(frozen=True)
class EvaluationsRecognised:
    """Evaluations that started (a decision published) or stopped (revoked) counting as recognised;
    `Evaluation.recognised` already says so when this is announced."""

    evaluations: list
    recognised: bool
