"""One analyzer per capability. See ``base.Analyzer`` for the contract."""
