"""Moved to ``cfdetect._stats`` (shared with training); kept so old imports still work."""

from cfdetect._stats import Z95, Rate, format_percent, ratio_change, wilson_interval

__all__ = ["Z95", "Rate", "format_percent", "ratio_change", "wilson_interval"]
