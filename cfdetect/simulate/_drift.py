"""Drift: what each period of the simulated span makes available.

Every drifting item (a tactic, a slang token, an obfuscation, a targeted brand, a seller network)
has an introduction *phase* in [0, 1]. Period ``p`` of ``n`` has phase ``p / (n - 1)``; an item is
used in a period when its phase has been reached. Tactic and case frequencies move linearly from
their first-phase to their last-phase weight. Without drift every item is available in every period
and the mixes are the averages over the phases, so the periods are alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cfdetect.simulate._tactics import ListingRecipe


@dataclass(frozen=True)
class DriftSchedule:
    """Phases of the periods and the tactic mix of each.

    Parameters
    ----------
    drift : bool
        Whether later periods differ from earlier ones.
    n_periods : int
        Number of periods.

    Examples
    --------
    >>> from cfdetect.simulate._tactics import TACTICS
    >>> DriftSchedule(True, 4).weights(TACTICS).shape == (4, len(TACTICS))
    True
    >>> DriftSchedule(True, 4).available(0.6, period=1)
    False
    >>> DriftSchedule(False, 4).available(0.6, period=0)
    True
    """

    drift: bool
    n_periods: int

    def phase(self, period: int) -> float:
        """Phase of a period: 0 for the first, 1 for the last."""
        return period / (self.n_periods - 1) if self.n_periods > 1 else 0.0

    def available(self, intro: float, period: int) -> bool:
        """Whether an item introduced at phase ``intro`` is used in ``period``."""
        return not self.drift or intro <= self.phase(period) + 1e-9

    def weights(self, recipes: tuple[ListingRecipe, ...]) -> np.ndarray:
        """Normalised recipe weights, shape (n_periods, n_recipes), rows in period order."""
        phases = np.array([self.phase(p) for p in range(self.n_periods)])
        start = np.array([r.weight[0] for r in recipes])
        end = np.array([r.weight[1] for r in recipes])
        intro = np.array([r.intro for r in recipes])
        if self.drift:
            weights = start + np.outer(phases, end - start)
            weights[phases[:, None] + 1e-9 < intro[None, :]] = 0.0
        else:
            grid = np.linspace(0.0, 1.0, 11)
            mix = start + np.outer(grid, end - start)
            mix[grid[:, None] + 1e-9 < intro[None, :]] = 0.0
            mix /= mix.sum(axis=1, keepdims=True)
            weights = np.tile(mix.mean(axis=0), (self.n_periods, 1))
        return weights / weights.sum(axis=1, keepdims=True)

    def intro_phases(self, rng: np.random.Generator, n: int, late_share: float) -> np.ndarray:
        """Draw introduction phases for ``n`` items, ``late_share`` of them after the first period.

        Without drift (or with one period) every item is introduced at phase 0.
        """
        if not self.drift or self.n_periods == 1:
            return np.zeros(n)
        late = rng.random(n) < late_share
        return np.where(late, rng.choice([0.3, 0.6, 0.9], size=n), 0.0)
