"""A small simulator of cross-sectional data with selection on observables and a known ATT.

Treatment follows a logit in the covariates and the untreated outcome is linear in them, so the
logit score and the linear outcome model are both correctly specified: IPW, matching and AIPW
are consistent for the ATT, while the naive difference in means is biased by selection (people
with high ``x1`` both join more often and have better outcomes).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Logit coefficients of treatment on (1, x1, x2, x3, female).
PS_COEF = np.array([-0.6, 0.8, -0.5, 0.3, 0.4])
#: Untreated-outcome coefficients on (1, x1, x2, x3, female).
Y_COEF = np.array([1.0, 2.0, 1.0, -0.5, 0.5])


def simulate(
    n: int = 2000, seed: int = 0, att: float = 1.0, selection: float = 1.0, noise: float = 1.0
) -> pd.DataFrame:
    """Rows of (x1, x2, x3, female, treated, y) with a constant effect ``att`` (so ATT = att).

    ``selection`` scales the logit slopes (0 gives a randomised experiment).
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    female = rng.binomial(1, 0.5, size=n)
    z = np.column_stack([np.ones(n), x, female])
    slopes = PS_COEF.copy()
    slopes[1:] *= selection
    ps = 1 / (1 + np.exp(-(z @ slopes)))
    treated = rng.binomial(1, ps)
    y = z @ Y_COEF + att * treated + rng.normal(scale=noise, size=n)
    return pd.DataFrame(
        {"x1": x[:, 0], "x2": x[:, 1], "x3": x[:, 2], "female": female, "treated": treated, "y": y}
    )


COVARIATES = ("x1", "x2", "x3", "female")
