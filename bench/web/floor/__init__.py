"""The floor for `make bench-web`: the least a Django view on the same stack can do per autosave."""
