"""What the evaluation services announce (through `core.changes`) when counted results change."""

from dataclasses import dataclass


@dataclass(frozen=True)
class EvaluationsRegistered:
    evaluations: list

    @classmethod
    def joined(cls, changes) -> "EvaluationsRegistered":
        return cls([evaluation for change in changes for evaluation in change.evaluations])


@dataclass(frozen=True)
class EvaluationsRecognised:
    """Evaluations that started (a decision published) or stopped (revoked) counting as recognised;
    `Evaluation.recognised` already says so when this is announced."""

    evaluations: list
    recognised: bool
