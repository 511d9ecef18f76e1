"""``TextNormalizer``: add normalised and de-obfuscated text columns to a frame of listings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from cfdetect.features._base import ListingTransformer, text_column, text_of
from cfdetect.features._text import deobfuscate_normalized, normalize_text


class TextNormalizer(ListingTransformer):
    """Add ``<column>_norm`` (normalised) and ``<column>_deob`` (de-obfuscated) text columns.

    The output is the input frame (the columns seen in ``fit``; absent ones are added as missing)
    followed by ``<column>_norm`` for each of ``columns`` and ``<column>_deob`` for each of
    ``deobfuscate_columns``, as pandas string columns (missing text gives ``""``). Downstream
    transformers use these columns when present instead of recomputing them. This is the one
    transformer of ``cfdetect.features`` whose output is not numeric.

    Parameters
    ----------
    columns : tuple of str, default=("title", "description")
        Text columns to normalise (``normalize_text``).
    deobfuscate_columns : tuple of str, default=("title",)
        Text columns to de-obfuscate (``deobfuscate``).

    Attributes
    ----------
    passthrough_ : list of str
        The input columns carried to the output.
    feature_names_out_ : list of str

    Examples
    --------
    >>> import pandas as pd
    >>> tn = TextNormalizer().fit(pd.DataFrame({"title": ["x"]}))
    >>> tn.transform(pd.DataFrame({"title": ["G U C C I  Bag"]}))["title_deob"].tolist()
    ['gucci bag']
    """

    def __init__(
        self,
        *,
        columns: tuple[str, ...] = ("title", "description"),
        deobfuscate_columns: tuple[str, ...] = ("title",),
    ) -> None:
        self.columns = columns
        self.deobfuscate_columns = deobfuscate_columns

    def _new_columns(self) -> list[str]:
        return [f"{c}_norm" for c in self.columns] + [f"{c}_deob" for c in self.deobfuscate_columns]

    def fit(self, X: pd.DataFrame, y: object = None) -> TextNormalizer:
        """Validate the parameters and remember the input columns.

        Parameters
        ----------
        X : DataFrame
            Listings.
        y : ignored

        Returns
        -------
        self
        """
        self._check_frame(X, reset=True)
        for name in ("columns", "deobfuscate_columns"):
            value = getattr(self, name)
            if isinstance(value, str) or not all(isinstance(c, str) for c in value):
                raise ValueError(f"{name} must be a tuple of column names, got {value!r}")
        new = self._new_columns()
        if len(set(new)) != len(new):
            raise ValueError("columns and deobfuscate_columns must not repeat a column")
        self.passthrough_ = [str(c) for c in X.columns if c not in new]
        self.feature_names_out_ = [*self.passthrough_, *new]
        return self

    def _transform_frame(self, X: pd.DataFrame) -> pd.DataFrame:
        new: dict[str, Any] = {}
        norms: dict[str, list[str]] = {}
        for column in dict.fromkeys((*self.columns, *self.deobfuscate_columns)):
            memo: dict[str, str] = {}
            norms[column] = [
                memo[v] if v in memo else memo.setdefault(v, normalize_text(v))
                for v in text_column(X, column)
            ]
        for column in self.columns:
            new[f"{column}_norm"] = pd.array(norms[column], dtype="string")
        for column in self.deobfuscate_columns:
            new[f"{column}_deob"] = pd.array(
                [deobfuscate_normalized(v) for v in norms[column]], dtype="string"
            )
        out = X.reindex(columns=self.passthrough_)
        return pd.concat([out, pd.DataFrame(new, index=X.index)], axis=1)

    def transform_record(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Return a copy of one listing (a mapping) with the new text columns added.

        Parameters
        ----------
        record : mapping
            One listing with canonical keys.

        Returns
        -------
        dict
            ``record`` plus ``<column>_norm`` and ``<column>_deob`` keys.
        """
        out = dict(record)
        for column in self.columns:
            out[f"{column}_norm"] = normalize_text(text_of(record, column))
        for column in self.deobfuscate_columns:
            out[f"{column}_deob"] = deobfuscate_normalized(normalize_text(text_of(record, column)))
        return out

    def get_feature_names_out(self, input_features: Iterable[str] | None = None) -> np.ndarray:
        """Return the input column names seen in ``fit``, then the new text columns."""
        check_is_fitted(self, "feature_names_out_")
        if input_features is not None:
            new = self._new_columns()
            passthrough = [str(c) for c in input_features if c not in new]
            return np.asarray([*passthrough, *new], dtype=object)
        return np.asarray(self.feature_names_out_, dtype=object)
