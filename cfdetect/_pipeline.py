"""The names of the cfdetect pipeline's steps, written once.

``cfdetect.model`` builds the pipeline with them; the scorer and training find the steps by them.
A model file stores these names (its pipeline is a pickled scikit-learn ``Pipeline``): they never
change.

Examples
--------
>>> STEPS
('normalize', 'brands', 'features', 'classifier')
"""

NORMALIZE = "normalize"
"""Text normalisation (``TextNormalizer``)."""
BRANDS = "brands"
"""Brand detection (``BrandMentions``): adds the detected brand and its columns."""
FEATURES = "features"
"""The feature families (a ``ColumnTransformer``)."""
CLASSIFIER = "classifier"
"""The gradient-boosted trees."""
STEPS = (NORMALIZE, BRANDS, FEATURES, CLASSIFIER)
"""The steps in pipeline order."""
