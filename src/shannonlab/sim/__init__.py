"""The Monte Carlo engine: config, registry, engine, sweep, results, plots."""
